"""The built-in 卫生健康信息化 lexicon, as a topic expression.

Three kinds of terms:

- terms that are about health informatics on their own (电子病历, 互联网医院, 健康码,
  医保电子凭证 …), grouped by what they name;
- general technology words that count only near a health context (人工智能, 大数据, 5G,
  机器人, 信创, 网络安全 … within :data:`CONTEXT_DISTANCE` characters of 医院, 患者, 卫健委,
  医保 …): general tech news and general health news are the hard cases, and each shares
  words with the topic;
- words of online and remote service that count only when they qualify a health service
  directly (在线/网上/远程/视频 … next to 问诊, 挂号, 会诊, 购药 …): "网上挂号" is a hospital
  going online, "网上" and "医院" thirty characters apart are not.

Some words do not count where they are part of something else (:data:`MASKS`): 信息化 in
工业和信息化部; health as one item in a list of trades, places or professions (人工智能赋能
医疗、教育、交通 is a story about every trade); 智慧化 as one of the qualities a new hospital
promises (现代化、智慧化、人文化).

A topic match says whether the expression holds on the headline alone and in how many
sentences of the body; relevance (:mod:`jianbao.judge.relevance`) trusts a headline match
or several sentences, and lets the learned model weigh a lone mention in the body.
``HEALTH_IT_TOPIC`` is written to be read and edited by an editor; it parses with
:func:`jianbao.judge.topic.parse_topic`.
"""

from __future__ import annotations

#: terms that are about health informatics on their own
CORE_TERMS: tuple[str, ...] = (
    # informatization, its institutions and its evaluations
    "卫生信息化",
    "健康信息化",
    "卫生健康信息化",
    "医疗信息化",
    "医院信息化",
    "医保信息化",
    "医药信息化",
    "中医药信息化",
    "卫生信息",
    "医学信息",
    "医疗健康信息",
    "健康医疗信息",
    "全民健康信息",
    "全民健康保障信息化",
    "健康信息平台",
    "卫生信息平台",
    "医院信息平台",
    "医保信息平台",
    "医疗保障信息平台",
    "医院信息系统",
    "医院信息管理系统",
    "医疗信息系统",
    "临床信息系统",
    "医学影像信息系统",
    "临床数据中心",
    "统计信息中心",
    "规划发展与信息化司",
    "互联互通标准化成熟度",
    "电子病历系统应用水平",
    "智慧服务分级评估",
    "智慧管理分级评估",
    "信息便民惠民",
    "信息惠民",
    "人口健康信息",
    "医疗信创",
    "信息业务编码",
    "医保编码",
    # smart hospitals and smart health
    "智慧医院",
    "智慧医疗",
    "智慧卫生",
    "智慧卫健",
    "智慧健康",
    "智慧医保",
    "智慧养老",
    "智慧康养",
    "智慧药房",
    "智慧药学",
    "智慧病房",
    "智慧门诊",
    "智慧护理",
    "智慧急救",
    "智慧中医",
    "智慧疾控",
    "智慧公卫",
    "智慧医共体",
    "智慧医联体",
    "智慧化预警",
    "智能导诊",
    "智能预问诊",
    # internet healthcare, online and remote services
    "互联网医院",
    "互联网中医",
    "互联网医疗",
    "互联网诊疗",
    "互联网+医疗",
    "互联网+医保",
    "互联网+护理",
    # nurses booked online for care at home (互联网+护理服务 as its users name it)
    "网约护士",
    "网约护理",
    "互联网+健康",
    "互联网+医药",
    "互联网+中医",
    "互联网+药",
    "网络医院",
    "网上医院",
    "掌上医院",
    "云医院",
    "远程医疗",
    "远程会诊",
    "远程诊疗",
    "远程问诊",
    "远程诊断",
    "远程影像",
    "远程心电",
    "远程超声",
    "远程手术",
    "远程病理",
    "远程监护",
    "远程医学",
    "视频会诊",
    "视频问诊",
    "在线问诊",
    "网上问诊",
    "线上问诊",
    "网络问诊",
    "在线诊疗",
    "线上诊疗",
    "互联网复诊",
    "在线复诊",
    "线上复诊",
    "线上就医",
    "线上就诊",
    "线上购药",
    "线上医疗",
    "线上义诊",
    "线上挂号",
    "线上医保",
    "网上挂号",
    "在线挂号",
    "预约诊疗",
    "分时段预约",
    "处方流转",
    "诊间支付",
    "诊间结算",
    "床旁结算",
    "医生工作站",
    "移动查房",
    "医药电商",
    "医药O2O",
    "医疗O2O",
    "网上药店",
    "网售处方药",
    "处方药网售",
    # records, cards and codes
    "电子病历",
    "电子病案",
    "电子健康档案",
    "电子健康卡",
    "电子健康码",
    "居民健康卡",
    "电子处方",
    "电子医保",
    "医保电子凭证",
    "医保码",
    "健康码",
    "电子胶片",
    "云胶片",
    "共享调阅",
    "检查检验结果互认",
    "检验检查结果互认",
    "检查检验结果互通",
    "检验检查结果互通",
    # data
    "医疗大数据",
    "健康大数据",
    "健康医疗大数据",
    "卫生健康大数据",
    "医保大数据",
    "医疗数据",
    "健康数据",
    "医学数据",
    "病历数据",
    "诊疗数据",
    "卫生健康数据",
    "公共卫生数据",
    # digital, mobile, cloud and AI health
    "数字医疗",
    "数字健康",
    "数字疗法",
    "数字医院",
    "数字化医院",
    "数字中医",
    "移动医疗",
    "移动健康",
    "移动护理",
    "医疗云",
    "健康云",
    "影像云",
    "云影像",
    "云诊室",
    "云诊疗",
    "云问诊",
    "云门诊",
    "云药房",
    "云HIS",
    "医疗AI",
    "AI医疗",
    "AI影像",
    "影像AI",
    "医疗人工智能",
    "医学人工智能",
    "医疗大模型",
    "医学大模型",
    "健康大模型",
    "人工智能辅助诊断",
    "辅助诊断系统",
    "临床决策支持",
    "医疗IT",
    "医疗软件",
    # disease reporting
    "传染病网络直报",
    "网络直报",
    "直报系统",
    "疫情网络报告",
    "网络报告系统",
    # standards and trades of the field
    "HL7",
    "FHIR",
    "DICOM",
    "HIMSS",
    "CHIMA",
    "CDSS",
    "EMRAM",
    "HIS系统",
    "LIS系统",
    "RIS系统",
    "PACS系统",
    "eHealth",
    "mHealth",
    "telemedicine",
    "telehealth",
    "digital health",
    "health IT",
    "healthcare IT",
    "health informatics",
    "medical informatics",
    "electronic health record",
    "electronic medical record",
    # remote surgery over 5G, told as a case (5G网络下完成1例远程机器人辅助……根治术)
    "5G远程",
    "远程机器人手术",
    "远程机器人辅助",
    "远程外科",
    "超远程",
    # Taiwan's words for the same things, as a 繁體 page reads once normalised (远距医疗,
    # 视讯诊疗, 虚拟健保卡): normalisation converts characters, not vocabulary
    "远距医疗",
    "远距照护",
    "远距诊疗",
    "远距会诊",
    "视讯诊疗",
    "视讯门诊",
    "视讯看诊",
    "通讯诊察",
    "虚拟健保卡",
    "健保云端",
    "云端药历",
    "电子处方笺",
    "电子处方签",
    "医疗资讯",
    "数位医疗",
    "数位健康",
    # and Hong Kong's (医健通, the territory's shared electronic health record)
    "医健通",
    "电子健康纪录",
    "电子健康记录",
    # a person's own record looked up online (澳门's 个人健康记录查询系统), as 健康存折 is
    "个人健康记录",
    "个人健康纪录",
    # health IT told through the application rather than the word 信息化: follow-up and
    # call systems, pharmacy automation, a hospital's record and nursing systems
    "随访系统",
    "随访平台",
    "智能随访",
    "智慧随访",
    "发药机",
    "智能药房",
    "智能药柜",
    "病历系统",
    "护理信息系统",
    "药品追溯码",
    # imaging archives and their exchange between hospitals (院际影像交换, 影像交换中心),
    # and vaccines traced from the factory to the arm: named only in health IT
    "PACS",
    "影像交换",
    "疫苗追溯",
    # a person's own health record opened to them online, in Taiwan's word (健康存摺),
    # and the health inspectorate's own systems (数字卫监, 智慧卫监)
    "健康存折",
    "数字卫监",
    "智慧卫监",
    # epidemic control told through its applications: a city's own name for its health
    # code (北京健康宝), the travel and venue codes, Taiwan's SMS contact register
    # (简讯实联制), the mask-stock map and the vaccine passport — each names a
    # public-health system and nothing else (a 健康宝宝 contest is masked)
    "健康宝",
    "行程卡",
    "场所码",
    "实联制",
    "口罩地图",
    "疫苗护照",
    # a referral sent between clinic and hospital as a record (健保署's 电子转诊平台, a
    # county's 双向转诊平台): the referral's system, not the rule that patients be referred
    "电子转诊",
    "转诊平台",
    "转诊系统",
    # records shared between hospitals told as a service (澳门's 病历互通 between 山顶医院
    # and 镜湖医院, 病历共享), and the national booking website (全国门诊预约挂号网)
    "病历互通",
    "病历共享",
    "挂号网",
)

#: technology words that need a health context nearby
TECH_TERMS: tuple[str, ...] = (
    # informatization and digitalization (with Taiwan's words: 资讯化, 数位化)
    "信息化",
    "资讯化",
    "资讯系统",
    # Taiwan's and Hong Kong's words for security and apps (资安, 骇客, 应用程式)
    "资安",
    "资讯安全",
    "骇客",
    "资料外泄",
    "个资",
    "应用程式",
    "移动程式",
    "手机程式",
    "电脑系统",
    # a computer system named as such (器官分配与共享计算机系统), and a system told by
    # its failure (核酸系统崩溃, 健保机房当机)
    "计算机系统",
    "计算机网络",
    # a hospital's servers and computer network told by their failure (计算机房服务器故障
    # 造成医院电脑网络两度瘫痪): beside care, as 宕机 is; a game's server is not
    "服务器",
    "电脑网络",
    "网络瘫痪",
    # a patient identified by the code on a wristband scanned at the bedside (二维条码
    # 腕带, 扫描腕带) and the hand-held terminal nurses record with; a concert's RFID
    # wristband has no care beside it
    "条码腕带",
    "二维码腕带",
    "腕带条码",
    "腕带二维码",
    "扫描腕带",
    "扫腕带",
    "腕带扫描",
    "识别腕带",
    "电子腕带",
    "手持终端",
    "系统崩溃",
    "系统瘫痪",
    "系统故障",
    "系统宕机",
    "宕机",
    "当机",
    # tags that identify a patient or a newborn (RFID婴儿防盗系统, 新生儿芯片识别系统),
    # and an inspector's mobile enforcement terminal
    "RFID",
    "射频识别",
    "电子标签",
    "识别系统",
    "防盗系统",
    "移动执法",
    "数位化",
    "数位转型",
    "资讯科技",
    "人工智慧",
    "资料库",
    "软体",
    "数字化",
    "数据化",
    "数智",
    "智能",
    "智慧化",
    "智慧服务",
    "智慧管理",
    "互联网+",
    "信息技术",
    "无纸化",
    "电子化",
    "数字中国",
    "数字政府",
    "数字鸿沟",
    "线上服务",
    "线上办理",
    "网上办理",
    "在线办理",
    "掌上办",
    "一网通办",
    "跨省通办",
    # AI
    "人工智能",
    "AI",
    "大模型",
    "生成式",
    "AIGC",
    "ChatGPT",
    "GPT",
    "DeepSeek",
    "智能体",
    "深度学习",
    "机器学习",
    "神经网络",
    "知识图谱",
    "自然语言处理",
    "语音识别",
    "图像识别",
    "人脸识别",
    "刷脸",
    "扫脸",
    "面部识别",
    "计算机辅助",
    "辅助决策",
    "算法",
    "预测模型",
    "算力",
    # data
    "大数据",
    "数据共享",
    "数据治理",
    "数据要素",
    "数据开放",
    "数据标准",
    "数据平台",
    "数据中心",
    "数据中台",
    "数据库",
    "数据采集",
    "数据上报",
    "数据挖掘",
    "数据汇聚",
    "数据驱动",
    "数据资源",
    "数据资产",
    "数据仓库",
    "数据分类分级",
    "数据合规",
    "数据出境",
    "数据互通",
    "数据交换",
    "数据赋能",
    "数字技术",
    "数字赋能",
    "科技赋能",
    "智慧科技",
    "信息共享",
    "信息管理",
    "信息采集",
    "信息录入",
    "信息互通",
    "互通共享",
    "互认共享",
    "互通互认",
    "结果互认",
    "互联互通",
    "互操作",
    # platforms, systems, software
    "信息平台",
    "信息系统",
    "集成平台",
    "业务系统",
    "管理系统",
    "管理平台",
    "监管平台",
    "服务平台",
    "协同平台",
    "一体化平台",
    "结算系统",
    "挂号系统",
    "审方系统",
    "质控系统",
    "监控系统",
    "监测系统",
    "支付系统",
    "追溯系统",
    "追溯码",
    # images and reports exchanged between hospitals (院际交换), a computer's reading of
    # an ECG (心电图自动化诊断), an elderly person's care system watched from a back office
    "院际交换",
    "自动诊断",
    "自动化诊断",
    "照护系统",
    "监护系统",
    "后台监测",
    "软件",
    "操作系统",
    "Windows",
    "EMR",
    "EHR",
    "成熟度测评",
    "分级评价",
    # networks, devices and the cloud
    "5G",
    "区块链",
    "云计算",
    "云平台",
    "云服务",
    "上云",
    "专网",
    "云端",
    "物联网",
    "边缘计算",
    "元宇宙",
    "虚拟现实",
    "增强现实",
    "VR",
    "数字孪生",
    "机器人",
    "无人机",
    # apps, codes, payment
    "APP",
    # an app in its formal words (流动应用程序 in Hong Kong, 應用程式 in Taiwan) and the
    # booking apps named after what they book (预约通, 挂号通), beside care as APP is
    "应用程序",
    "流动应用",
    "预约通",
    "挂号通",
    "电商",
    "O2O",
    "网售",
    "网络销售",
    "小程序",
    "公众号",
    "客户端",
    "二维码",
    "扫码",
    "一码通",
    "移动支付",
    "移动端",
    "自助机",
    "自助终端",
    "自助服务",
    "一卡通",
    "电子票据",
    "电子发票",
    "电子签名",
    "电子认证",
    "电子证照",
    "电子社保卡",
    # security
    "网络安全",
    "数据安全",
    "信息安全",
    "等级保护",
    "等保测评",
    "等保2.0",
    "信创",
    "密码应用",
    "网络攻击",
    "勒索病毒",
    "勒索软件",
    "黑客",
    "数据泄露",
    "信息泄露",
    "隐私",
    "个人信息",
    # the people and offices of health IT
    "信息中心",
    "信息科",
    "信息处",
    "信息部门",
    "首席信息官",
    "信息专业委员会",
    "website",
    "online",
    # a system at work, told without naming the technology: the system checks, pushes,
    # reminds; data uploaded, synchronised; a service on the phone or on a big screen
    "系统自动",
    "系统会",
    "系统即",
    "系统将",
    "系统可",
    "系统还",
    "系统对",
    "系统根据",
    "系统提示",
    "自动推送",
    "自动提醒",
    "自动分析",
    "自动识别",
    "自动预警",
    "自动生成",
    "自动校验",
    "自动审核",
    "自动结算",
    "自动上传",
    "自动整理",
    "自动判读",
    "自动派单",
    "自动匹配",
    "自动抓取",
    "自动采集",
    "自动化监测",
    "推送给",
    "推送至",
    "推送到",
    "上传至",
    "上传到",
    "实时上传",
    "实时同步",
    "同步更新",
    "同步给",
    "同步推送",
    "一键转",
    "一键呼叫",
    "一键查询",
    "手机上就能",
    "手机上就可",
    "手机上即可",
    "手机上查看",
    "手机上查询",
    "手机上完成",
    "手机上预约",
    "手机上办",
    "手机端",
    "手机APP",
    "手机应用",
    "手机查看",
    "手机查询",
    "在线核验",
    "在线申请",
    "在线预约",
    "网上预约",
    "线上预约",
    "网上申领",
    "线上申领",
    "网上签署",
    "在线签约",
    "在线咨询",
    "线上签约",
    "线上咨询",
    "线上方式",
    "图文咨询",
    "预问诊",
    "预警平台",
    "预警系统",
    "症状监测",
    "症候群监测",
    "外呼",
    "呼叫中心",
    "呼叫系统",
    "叫号系统",
    "数字影像",
    "电子白板",
    "调度系统",
    "指挥系统",
    # a hospital's own WeChat platform and its accounts (21家市属医院将建微信矩阵)
    "微信平台",
    "微信矩阵",
    "微信服务号",
    # a reading sent from a device to the centre that reads it (手持心电采集仪……通过有线或
    # 无线的方式发送到心电会诊中心), a vaccine's barcode scanned and the shot entered by itself
    "有线或无线",
    "无线方式",
    "无线传输",
    "传输至",
    "传输到",
    "条形码",
    "自动录入",
    "院内导航",
    "传感器",
    "触摸屏",
    "触摸大屏",
    "随身终端",
    "移动终端",
    "电子凭证",
    "电子证",
    "电子档案",
    "电子登记",
    "免排队",
    "无感支付",
    "无感就医",
    "接入平台",
    "平台上",
    "平台汇聚",
    "平台整合",
    # the standards health information is written to (卫生健康信息数据元标准化规则, 电子病历
    # 基本数据集, 互联互通标准): data elements, their dictionaries and value codes, shared
    # documents — the words of information standards, beside care as every standard is;
    # a land registry's data elements have no care beside them
    "数据元",
    "元数据",
    "数据字典",
    "值域代码",
    "基本数据集",
    "数据集标准",
    "信息标准",
    "互联互通标准",
    "共享文档",
)

#: the health context those words need
HEALTH_CONTEXT: tuple[str, ...] = (
    "医疗",
    "医院",
    "医生",
    "医师",
    "医学",
    "医务",
    "医护",
    "护士",
    "诊疗",
    "诊断",
    "诊所",
    "就医",
    "看病",
    "挂号",
    "患者",
    "病历",
    "病案",
    "病人",
    "病房",
    "卫生健康",
    "卫健",
    "卫计委",
    "卫生计生",
    "卫生部",
    "卫生厅",
    "卫生局",
    "卫生系统",
    "卫生机构",
    "卫生院",
    "卫生室",
    "社区卫生",
    "公共卫生",
    "健康中国",
    "健康档案",
    "健康卡",
    "健康管理",
    "健康服务",
    "健康监测",
    "医保",
    "医改",
    "医药",
    "药品",
    "药房",
    "药店",
    "处方",
    "疾控",
    "传染病",
    "疫苗",
    "慢病",
    "护理",
    "临床",
    "影像",
    "读片",
    "阅片",
    "筛查",
    "分诊",
    "导诊",
    "检验",
    "体检",
    "心电",
    "血压",
    "血糖",
    "心率",
    "急救",
    "门诊",
    "中医",
    "中药",
    "医共体",
    "医联体",
    "疾病",
    "养老",
    "照护",
    "独居老人",
    "高龄老人",
    "health",
    "healthcare",
    "medical",
    "hospital",
    "patient",
    "clinic",
    "disease",
    "covid",
    "coronavirus",
    # services, places and people of care a story names instead of the hospital
    "就诊",
    "住院",
    "出院",
    "科室",
    "病区",
    "病床",
    "护士站",
    "医嘱",
    "检查结果",
    "检验结果",
    "检查检验",
    "化验",
    "放射科",
    "家庭医生",
    "孕产妇",
    "妇幼",
    "产检",
    "接种",
    "献血",
    "血站",
    "救护车",
    "急救中心",
    "120急救",
    "拨打120",
    "120调度",
    "120指挥",
    "120救护",
    "卒中",
    "胸痛",
    "糖尿病",
    "慢性病",
    "血氧",
    "胰岛素",
    "病组",
    "DRG",
    "DIP",
    "参保",
    "定点医",
    "医疗器械",
    # and the large equipment of care the health commission licenses and supervises (大型
    # 医用设备: CT, MRI), as 医疗器械 is a device of care
    "医用设备",
    "流调",
    "核酸",
    "密接",
    # organs given and transplanted, newborns in a maternity ward, the health inspectorate
    "器官",
    "移植",
    "新生儿",
    "产科",
    "卫生监督",
    # a radiograph read (AI辅助胸腔X光片判读系统) and Taiwan's word for medical staff (医事
    # 人员): an airport's X-ray scanner reads no film
    "X光片",
    "X线片",
    "胸片",
    "医事人员",
    # Taiwan's health ministry and insurance, as a 繁體 page names them once normalised
    "卫福部",
    "卫生福利部",
    "健保",
    "健康保险",
    # Taiwan's long-term care (长照2.0, 长照服务), as 健保 is its health insurance
    "长照",
    # and Hong Kong's
    "医管局",
    "医卫局",
    "卫生署",
)

#: words of online and remote service …
ONLINE_TERMS: tuple[str, ...] = (
    "在线",
    "网上",
    "互联网",
    "远程",
    "视频",
    "手机",
    "掌上",
    "自助",
    "线上",
    "微信",
    "支付宝",
    # Taiwan's 网路 and 视讯 (网路挂号, 视讯看诊)
    "网路",
    "视讯",
)

#: what a public-health application is built on (疫苗预约平台, 施打登记系统, 检疫者的手机
#: 定位, 健康证明的数位版本): a system, a platform, a site or an app …
PUBLIC_HEALTH_SYSTEMS: tuple[str, ...] = (
    "系统",
    "平台",
    "网站",
    "小程序",
    "程式",
    "app",
    "电子围篱",
    "电子围栏",
    "手机定位",
    "数位证明",
    "数字证明",
    "电子证明",
    "健康证明",
)
#: … when it stands right beside the public-health task it serves: booking or registering
#: for a vaccine, watching people in home quarantine, tracing contacts, testing. A fence
#: round shared bikes, a museum's booking system or a 疾控系统 (a sector) has none of them
PUBLIC_HEALTH_TASKS: tuple[str, ...] = (
    "疫苗预约",
    "预约疫苗",
    "疫苗登记",
    "登记疫苗",
    "接种登记",
    "接种预约",
    "预约接种",
    "施打登记",
    "接种意愿",
    "意愿登记",
    "疫苗接种",
    "疫苗施打",
    "接种数位",
    "新冠病毒健康",
    "居家检疫",
    "居家隔离",
    "检疫者",
    "隔离者",
    "检疫范围",
    "隔离范围",
    "疫调",
    "疫情调查",
    "接触者追踪",
    # Hong Kong's and Taiwan's word for it, and an app that tells a user of an exposure
    # (感染风险通知「安心出行」流动应用程式): a broker's 风险通知 is not an infection's
    "接触追踪",
    "感染风险通知",
    # a child's vaccination record checked at school (预防接种证查验系统), the vaccination
    # entered into a register (接种信息……录入……系统)
    "接种证",
    "接种信息",
    "接种记录",
    # organs allocated by a system (中国器官分配与共享系统) and diseases watched for an
    # outbreak (传染病监测预警和应急指挥平台)
    "器官分配",
    "器官共享",
    "传染病监测",
)
#: how close the two must stand (疫苗施打登记系统, 启动电子围篱系统……居家检疫)
PUBLIC_HEALTH_DISTANCE = 12
#: an electronic fence is epidemic control only with the epidemic in its sentence (科技防疫
#: 措施中，电子围篱系统……); round shared bikes or a car park it is no health system
FENCES: tuple[str, ...] = ("电子围篱", "电子围栏")
EPIDEMIC_CONTEXT: tuple[str, ...] = ("防疫", "疫情", "检疫", "隔离", "确诊", "染疫")

#: the emergency lines' dispatch told as a system (“120”应急通讯指挥系统, 120急救统一调度,
#: 呼叫120后GPS定位): 120 or 999 with a dispatch system, a map or positioning a few
#: characters away, quotes and words between them allowed. 120 as a number (120万元,
#: 120余家) is masked; a 120 centre sending an ambulance (指挥中心接到报警) names no system
EMERGENCY_LINES: tuple[str, ...] = ("120", "999")
EMERGENCY_SYSTEMS: tuple[str, ...] = (
    "调度系统",
    "指挥系统",
    "调度平台",
    "指挥平台",
    "调度指挥平台",
    "统一调度",
    "GPS",
    "北斗",
    "定位",
    "电子地图",
)
#: how close the two must stand (“120”应急通讯指挥系统: five characters between)
EMERGENCY_DISTANCE = 8

#: the ambulance sent by a located call (119's 定位簡訊 in Taiwan, where 119 is fire and
#: ambulance; 110 and 120 dispatched together): a locator or dispatch system beside the
#: ambulance it sends. A fire engine dispatched (119 alone) or a lost man found by GPS
#: names no ambulance
CALL_LOCATORS: tuple[str, ...] = (
    "GPS",
    "北斗",
    "定位简讯",
    "定位短信",
    "报案定位",
    "来电定位",
    "定位系统",
    "实时定位",
    "电子地图",
    "调度系统",
    "指挥系统",
    "派遣系统",
    "派车系统",
)
AMBULANCES: tuple[str, ...] = ("救护车", "急救车", "救护员", "急救员", "急救任务", "院前急救")

#: dispatch and command told as a platform (院前医疗急救联合指挥调度平台, 传染病监测预警和
#: 应急指挥平台) beside the emergency care or disease control it directs: a fire brigade's
#: or the traffic police's platform directs neither, and a hospital joining a platform
#: says nothing of what the platform is for
COMMAND_PLATFORMS: tuple[str, ...] = ("调度平台", "指挥平台")
EMERGENCY_CARE: tuple[str, ...] = ("急救", "院前", "救护", "传染病", "疾控", "卫生应急")

#: a patient's records leaked (泄露患者信息, 病人资料外泄): the word order 信息泄露 already
#: names; a hospital telling a patient's condition (病情) leaks nothing
LEAKS: tuple[str, ...] = ("泄露", "外泄", "泄漏")
PATIENT_DATA: tuple[str, ...] = (
    "患者信息",
    "患者资料",
    "患者数据",
    "病人信息",
    "病人资料",
    "病人数据",
    "就诊信息",
    "病历资料",
)
#: how close the two must stand (泄露了近千名患者信息)
LEAK_DISTANCE = 6

#: a booking platform told by the appointment slots it releases (预约挂号统一平台运行至今，
#: 已放号源累计达5218.7万个): the platform as the subject, with its figures. Overnight
#: queues for a number (号源很快挂完) name no platform, and a queue story that recalls
#: when the city's platform opened names no slots (blind13's m025); the national booking
#: website is a core term (挂号网)
BOOKING_SYSTEMS: tuple[str, ...] = ("平台", "网站")
BOOKING_SLOTS: tuple[str, ...] = ("号源", "放号")
#: how close the two must stand (统一平台运行至今，已放号源: eight characters between)
BOOKING_DISTANCE = 12

#: a law or rule on health data (全民健康保险资料管理条例, 医疗卫生机构数据管理办法): a
#: data rule with health insurance, care or records right before it; an archive's or a
#: science data rule (科学数据管理办法) names no health
DATA_RULES: tuple[str, ...] = (
    "资料管理条例",
    "数据管理条例",
    "资料管理办法",
    "数据管理办法",
    "资料管理法",
    "数据管理法",
)
DATA_RULE_SUBJECTS: tuple[str, ...] = (
    "健康保险",
    "健保",
    "医保",
    "医疗",
    "卫生",
    "健康",
    "病历",
    "病人",
    "患者",
)
#: how close the two must stand (医疗卫生机构数据管理办法: four characters between)
DATA_RULE_DISTANCE = 8

#: a hospital's information systems named by the clinical task they manage (血透管理系统,
#: 手术麻醉管理系统, 输血管理系统, 院感管理系统 — the department's software, bought through
#: the 信息科 and named so in procurement notices): a word of treatment or of a clinical
#: department right before 管理系统 or 信息系统. A dialysis machine (血透机), a quality
#: system (质量管理系统) or a ward's rules (血透室管理制度) name no such system
MANAGED_SYSTEMS: tuple[str, ...] = ("管理系统", "信息系统")
CLINICAL_TASKS: tuple[str, ...] = (
    "血透",
    "透析",
    "血液净化",
    "手麻",
    "手术麻醉",
    "麻醉",
    "手术",
    "输血",
    "病理",
    "重症",
    "ICU",
    "院感",
    "医院感染",
    "消毒供应",
    "内镜",
    "超声",
    "急诊",
    "随访",
    "康复",
)
#: how close the two must stand (血透室管理系统, 血液净化中心信息系统: the room between)
CLINICAL_SYSTEM_DISTANCE = 4

#: a hospital's queue shown or looked up (等候时间显示系统 in an A&E, 候诊大屏, an app's
#: 轮候时间查询) …
WAIT_DISPLAYS: tuple[str, ...] = (
    "候诊显示",
    "候诊系统",
    "候诊屏",
    "候诊大屏",
    "候诊查询",
    "等候时间显示",
    "等候时间查询",
    "等候人数显示",
    "轮候时间显示",
    "轮候时间查询",
)
#: … in a place of care: a theme park's or a border crossing's waiting times are not
WAIT_PLACES: tuple[str, ...] = (*HEALTH_CONTEXT, "急症室", "急诊", "门诊", "候诊")

#: registration of riders or visitors by a code, as the epidemic's contact tracing did
#: (扫描车上的二维码实名登记乘车, 扫码出入登记): the mainland's 场所码 and Taiwan's 实联制.
#: Paying a fare by code (扫码乘车) or booking a museum visit registers no one's presence
PRESENCE_CODES: tuple[str, ...] = ("二维码", "扫码", "扫一扫", "扫描")
PRESENCE_REGISTRATIONS: tuple[str, ...] = (
    "登记乘车",
    "乘车登记",
    "乘客登记",
    "出入登记",
    "进出登记",
    # a visit recorded on the phone by scanning a venue's code (扫描……处所位置的二维码，将
    # 行程纪录在手机内: Hong Kong's 安心出行): a tour's itinerary is no record of a visit
    "行程记录",
    "行程纪录",
    "记录行程",
    "出行记录",
    "记录出行",
)
#: how close the two must stand (使用微信扫描……专用二维码……实名登记乘车)
PRESENCE_DISTANCE = 30

#: counselling services of mental health: in a sentence with an online word or a hotline
#: (在线心理咨询, 心理援助热线) they are care given remotely, the way 远程会诊 is
MENTAL_HEALTH_SERVICES: tuple[str, ...] = (
    "心理咨询",
    "心理援助",
    "心理支持",
    "心理疏导",
    "心理辅导",
    "心理危机干预",
)

#: … that make a health service an online one when they stand right next to it
SERVICE_CONTEXT: tuple[str, ...] = (
    "问诊",
    "复诊",
    "义诊",
    "会诊",
    "诊疗",
    "诊断",
    "就诊",
    "就医",
    "看病",
    "挂号",
    "购药",
    "配药",
    "取药",
    "问药",
    "处方",
    "随访",
    "查房",
    "探视",
    "手术",
    "超声",
    "影像",
    "心电",
    "病理",
    "监护",
    "门诊",
    "医疗",
    "医保",
    "药房",
    "药店",
    "护理",
    "健康咨询",
    *MENTAL_HEALTH_SERVICES,
)

#: a finder of a care service (AED地图, 长照地图, 长照服务查询平台) …
SERVICE_FINDERS: tuple[str, ...] = ("地图", "查询平台", "查询系统")
#: … beside the service it finds: the defibrillators, Taiwan's long-term care
FOUND_SERVICES: tuple[str, ...] = ("AED", "除颤", "长照")
#: how close the two must stand (AED(自动除颤仪)地图, 长照服务查询平台)
FINDER_DISTANCE = 6

#: Hong Kong's and Taiwan's words for what the lexicon writes in the mainland's (as OpenCC's
#: ``t2s`` leaves a 繁體 page: 遙距醫療 → 遥距医疗): every term is matched in these forms too
#: (:func:`regional_forms`), so 遥距医疗 counts as 远程医疗 and 智慧药柜 as 智能药柜. Only the
#: lexicon's terms are given them; the text judged, shown and signed is not rewritten.
#: OpenCC's ``tw2sp`` maps some of these words but not Hong Kong's (遥距, 视像, 诊症, 机械人)
#: and costs three times ``t2s``; its phrase table (``s2twp``) suggested most of the pairs,
#: read one by one: 视频 is not 影片 here, nor 远程 远端, nor 社区 社群. A longer mainland
#: word comes before a shorter one it contains (信息技术 before 信息)
REGIONAL_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("远程", ("远距", "遥距")),  # 遠距醫療 (Taiwan), 遙距醫療 (Hong Kong)
    ("视频", ("视讯", "视像")),  # 視訊看診, 視像診症
    ("问诊", ("诊症", "看诊")),  # 診症 (Hong Kong), 看診 (Taiwan)
    ("机器人", ("机械人",)),  # Hong Kong
    ("软件", ("软体",)),
    ("网络", ("网路",)),
    ("信息技术", ("资讯科技",)),
    ("首席信息官", ("资讯长",)),
    ("信息", ("资讯",)),
    ("数字", ("数位",)),
    ("集成平台", ("整合平台",)),
    ("实时", ("即时",)),
    # Taiwan's 智慧 for a device of care (智慧藥櫃, 智慧藥車), not for every 智能 (a 智慧手錶
    # is a watch, as 智能手表 is)
    ("智能药", ("智慧药",)),
    ("智能导诊", ("智慧导诊",)),
    ("智能随访", ("智慧随访",)),
)
#: mainland words given no regional form when they are the whole term: 资讯 alone is the
#: news (健康资讯 is a column of tips) and 数位 alone is "several" (数位专家)
BARE_ONLY_MAINLAND: frozenset[str] = frozenset({"信息", "数字"})
#: regional forms not used although the pairs give them: 卫生资讯 is a portal's news column
REGIONAL_EXCLUDED: frozenset[str] = frozenset({"卫生资讯"})


def _regional(term: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The term's regional forms, each with the (mainland, regional) pairs that made it."""
    forms: list[tuple[str, tuple[tuple[str, str], ...]]] = [(term, ())]
    for mainland, regionals in REGIONAL_FORMS:
        if term == mainland and mainland in BARE_ONLY_MAINLAND:
            continue
        forms += [
            (form.replace(mainland, regional), (*made, (mainland, regional)))
            for form, made in forms
            if mainland in form
            for regional in regionals
        ]
    seen = {term}
    out = []
    for form, made in forms:
        if form not in seen and form not in REGIONAL_EXCLUDED:
            seen.add(form)
            out.append((form, made))
    return out


def regional_forms(term: str) -> list[str]:
    """How Hong Kong and Taiwan write ``term`` (遥距医疗 and 远距医疗 for 远程医疗), in
    Simplified characters; empty when the term has no other form."""
    return [form for form, _ in _regional(term)]


def with_regional(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The terms followed by their regional forms, each once."""
    out = dict.fromkeys(terms)
    for term in terms:
        out.update(dict.fromkeys(regional_forms(term)))
    return tuple(out)


#: a telephone line a mental-health service is given on (心理援助热线): the service itself,
#: told remotely, as a 心理支持热线 is counselling by phone — unlike a hospital's or an
#: insurance office's hotline, which a notice lists as where to ask
HOTLINES: tuple[str, ...] = ("热线",)


def _quoted(terms: tuple[str, ...]) -> str:
    return " OR ".join(f'"{t}"' for t in with_regional(terms))


#: what the window of a technology word and its health context may be, in characters
CONTEXT_DISTANCE = 30
#: what the gap between an online word and the service it qualifies may be
SERVICE_DISTANCE = 4


def _near_pairs(tech: tuple[str, ...], context: tuple[str, ...], distance: int) -> str:
    """A technology word within ``distance`` characters of a context word: "人工智能 …
    医疗" in one sentence, not "人工智能" in one story and "医疗" at its end."""
    return f"({_quoted(tech)}) NEAR/{distance} ({_quoted(context)})"


#: trades that general technology stories list beside health (人工智能赋能医疗、教育、交通),
#: public places that notices list beside hospitals, professions listed beside doctors
OTHER_TRADES: tuple[str, ...] = (
    "教育",
    "交通",
    "金融",
    "工业",
    "制造",
    "农业",
    "能源",
    "电力",
    "物流",
    "零售",
    "商贸",
    "政务",
    "文旅",
    "旅游",
    "文化",
    "安防",
    "城市",
    "汽车",
    "家居",
    "娱乐",
    "游戏",
    "传媒",
    "司法",
    "环保",
    "电商",
    "通信",
    "建筑",
    "办公",
    "体育",
    "出行",
    "社保",
    # and the public places a notice lists (学校、医院、商场等场所)
    "学校",
    "商场",
    "超市",
    "车站",
    "机场",
    "景区",
    "酒店",
    "银行",
    "餐厅",
    "影院",
    # and the professions a story about jobs lists beside doctors
    "警察",
    "法官",
    "律师",
    "教师",
    "记者",
    "司机",
    "工人",
    "会计",
    "程序员",
    "设计师",
    "翻译",
    "客服",
    "厨师",
    "快递员",
    "保安",
    "消防员",
    "公务员",
)
#: health words that, as one item in a list of trades, are not what a story is about
TRADE_WORDS: tuple[str, ...] = (
    "医疗",
    "医院",
    "医生",
    "护士",
    "医药",
    "健康",
    "卫生健康",
    "养老",
    "智慧医疗",
    "智慧医院",
    "智慧健康",
    "智慧养老",
    "智慧康养",
    "数字医疗",
    "数字健康",
    "互联网医疗",
    "移动医疗",
    # and care given remotely as one of a government's fields (交通、行政申办、府内应用及
    # 远距医疗方面: a county's transport-data award)
    "远程医疗",
)
#: what qualifies a trade as an item of such a list (智慧交通、远距医疗): the item is still
#: one trade among others, and its 医疗 is no context for the online word before it
TRADE_QUALIFIERS: tuple[str, ...] = ("智慧", "数字", "智能", "互联网", "远程", "在线", "移动")


def _trade_list(word: str) -> str:
    """A list of trades with ``word`` among them: 医疗、教育 / 智慧交通、智慧医疗、智慧养老
    / 交通、行政申办及远距医疗 (``word`` qualified: :data:`TRADE_QUALIFIERS`)."""
    trade = "(?:智慧|数字|智能|互联网)?(?:" + "|".join(OTHER_TRADES) + ")"
    qualified = "(?:" + "|".join(with_regional(TRADE_QUALIFIERS)) + ")?" + word
    between = r"(?:[、，,/和与及][^、，,/和与及。！？；!?;\s]{1,8}){0,3}?"
    return f"{trade}{between}[、，,/和与及]{qualified}|{word}{between}[、，,/和与及]{trade}"


#: qualities a new hospital promises beside being 智慧化 (现代化、智慧化、人文化): in such
#: a list the word is a slogan, not a technology
QUALITIES: tuple[str, ...] = (
    "现代化",
    "人文化",
    "人性化",
    "国际化",
    "生态化",
    "园林化",
    "花园式",
    "规范化",
    "精细化",
    "专业化",
    "特色化",
    "品牌化",
    "集团化",
    "同质化",
    "均衡化",
    "便捷化",
    "舒适化",
    "家庭化",
    "绿色化",
    "高端化",
)


def _slogan(word: str) -> str:
    """``word`` (ending in 化) next to one of the QUALITIES in a list."""
    quality = "(?:" + "|".join(QUALITIES) + ")"
    return f"{quality}[、，,和与及]{word}|{word}[、，,和与及]{quality}"


#: what a recogniser reads beside images (语音、影像、身分辨识; 人脸、指纹): images in
#: such a list are a medium, not a patient's scans
MEDIA: tuple[str, ...] = (
    "语音",
    "声音",
    "文字",
    "文本",
    "图像",
    "视频",
    "人脸",
    "指纹",
    "身分",
    "身份",
)


def _media_list(word: str) -> str:
    """``word`` next to one of the :data:`MEDIA` in a list (语音、影像 / 影像与文字)."""
    media = "(?:" + "|".join(MEDIA) + ")"
    return f"{media}[、，,/和与及]{word}|{word}[、，,/和与及]{media}"


#: the words of care a building is named after (长照卫福大楼, 门诊大楼, 医疗大楼, 住院楼): in
#: the name they tell what the building houses, not care a technology beside them serves
#: (长照卫福大楼启用 … AI桌游: a building's games room)
BUILDING_CARE: tuple[str, ...] = ("长照", "医疗", "门诊", "住院", "护理", "妇幼", "急救")
#: what may stand between the word and the building (长照卫福大楼, 医疗综合楼, 门诊医技楼)
BUILDING_NAME = "(?:卫福|综合|服务|保健|医技|新)?(?:大楼|大厦|楼(?!层))"


#: where a term does not count although its characters are there (a regular expression
#: per term: an occurrence inside a match is ignored): 信息化 in the ministry's name
#: 工业和信息化部, health as one of the trades a technology story lists, 智慧化 as one of
#: the qualities a new hospital promises, 网上 in 网上流传
#: the body's systems (免疫系统会攻击……): a 系统 of medicine, not of software
BODY_SYSTEMS = (
    "(?:免疫|神经|呼吸|消化|循环|泌尿|生殖|内分泌|运动|心血管|淋巴|骨骼|血液|感觉|视觉)系统"
)
#: the tech phrases that begin with 系统 (the system checks, pushes, reminds)
SYSTEM_PHRASES = tuple(t for t in TECH_TERMS if t.startswith("系统"))

#: 系统 as a sector (全省卫生健康系统将…, 卫生系统会议): the people of a trade, not software
SECTOR_SYSTEMS = (
    "(?:卫生健康|卫生|卫健|卫计|计生|医疗卫生|医疗|医药|医保|医疗保障|疾控|中医药|妇幼|"
    "全|本|各|该|整个|行业|全行业|全省|全市|全区|全县|全国|政法|教育|民政|公安|人社)系统"
)


def _system_mask(phrase: str) -> str:
    """Where a 系统… phrase is not software: the body's systems, a sector, a meeting."""
    masks = [BODY_SYSTEMS[:-2] + phrase, SECTOR_SYSTEMS[:-2] + phrase]
    if phrase == "系统会":
        masks.append("系统会(?:议|诊|同|商|上)")
    return "|".join(f"(?:{m})" for m in masks)


#: what follows a number that counts, costs or measures (120万元, 120余家, 120%): no
#: emergency line
NUMBER_UNITS = "[万亿千百余多个名人家张床台辆次天日年周岁米元分秒度项所座户%％位例条只件]|km|mm|kg"


MASKS: dict[str, str] = {
    **{word: _trade_list(word) for word in TRADE_WORDS},
    **{phrase: _system_mask(phrase) for phrase in SYSTEM_PHRASES},
    "信息化": "工业和信息化|工业化信息化|工业化、信息化|信息化和工业化|" + _slogan("信息化"),
    "数字化": _slogan("数字化"),
    "智慧化": _slogan("智慧化"),
    # and a consumer gadget is 智能 without being a system (智能手表 counts as a wearable)
    "智能": _slogan("智能化") + "|智能(?:手表|手环|穿戴|家居|音箱|门锁|马桶|手机)",
    # a camera's imaging (影像芯片, 手机影像) is not medical imaging, nor images as one of
    # the media a recogniser reads (语音、影像、身分辨识 in a bank's AI)
    "影像": "影像(?:芯片|传感器|旗舰|能力|算法|模组)|(?:手机|相机|车载|主摄)影像"
    f"|{_media_list('影像')}",
    # a robot vacuum, a toy or a surgical robot is a device, not health IT (a remote
    # operation over 5G is, and is matched by its own terms: 5G远程, 远程手术); a
    # surgical robot named by its brand too (达芬奇机器人妇科日间手术, 天玑机器人)
    "机器人": "(?:扫地|扫拖|拖地|吸尘|擦窗|割草|陪伴|玩具|人形|手术|外科|腔镜|骨科"
    "|达芬奇|天玑|图迈)机器人"
    "|机器人(?:辅助|手术)",
    # a city's roads or power grid down is no hospital's network (交通网络瘫痪)
    "网络瘫痪": "(?:交通|道路|公路|铁路|电力|供电|供水|物流)网络瘫痪",
    # a column's or channel's name before a headline (果然视频|…, 视频 | …): not a service
    "视频": r"视频\s*[|｜丨]|【视频】|\[视频\]",
    # a doctor's fame on a video or social platform is media, not a health platform
    # (短视频平台上医学科普领域的“顶流”)
    "平台上": "(?:短视频|视频|直播|社交|社交媒体|自媒体)平台上",
    # health news items sent up to the office above (卫生信息报送工作): 信息 as news
    "卫生信息": "卫生信息(?:报送|简报|宣传)",
    # page furniture: a video player's or a share button's code (用手机扫描二维码在手机上继续
    # 观看, 扫码分享) tells how to watch the page, not what it is about
    **{
        code: rf"{code}\s*(?:(?:在|到)?手机(?:上|端)?(?:继续|接着)?观看|继续观看|分享|下载客户端)"
        for code in ("二维码", "扫码", "扫一扫")
    },
    # a rumour going round online is not an online service
    "网上": "网上(?:流传|传言|传闻|热传|盛传|谣传|疯传|传播|热议|曝光|搜索)",
    # 系统 alone (beside a public-health task) is software, not a sector or the body's
    "系统": f"{SECTOR_SYSTEMS}|{BODY_SYSTEMS}",
    # a healthy-baby contest or a book of health tips is no health-code app
    "健康宝": "健康宝(?:宝|典|贝)",
    # 120 and 999 as numbers (120万元, 120余家, 第120, 120%) or a medicine's brand (999感冒灵)
    "120": rf"第120|120\s*(?:{NUMBER_UNITS})",
    "999": rf"第999|999\s*(?:{NUMBER_UNITS}|感冒|皮炎|胃泰)",
}


# a word of care in a building's name (长照卫福大楼), beside the word's other masks
MASKS.update({w: "|".join(filter(None, (MASKS.get(w), w + BUILDING_NAME))) for w in BUILDING_CARE})


def _regional_masks(masks: dict[str, str]) -> dict[str, str]:
    """Each mask again for the term's regional forms, its words written the same way
    (机械人 in 手术机械人, 资讯化 in 工业和资讯化部)."""
    out: dict[str, str] = {}
    for term, pattern in masks.items():
        for form, made in _regional(term):
            written = pattern
            for mainland, regional in made:
                written = written.replace(mainland, regional)
            out.setdefault(form, written)
    return out


MASKS.update({t: p for t, p in _regional_masks(MASKS).items() if t not in MASKS})


#: medical images read in one hospital and opened in another (全国医学影像共享系统, 影像
#: 互认) — beside a word of care other than 影像 itself: a camera's 影像共享 has none
IMAGE_SHARING: tuple[str, ...] = ("影像共享", "影像互认", "影像互通", "影像调阅")
IMAGE_CARE: tuple[str, ...] = tuple(w for w in HEALTH_CONTEXT if w not in ("影像", "读片", "阅片"))

#: consumer wearables: health IT when their data reaches care (a doctor, a hospital, a
#: family-doctor team), not when a watch counts heart beats for its owner
WEARABLES: tuple[str, ...] = ("可穿戴", "手环", "智能手表", "智能穿戴")
#: the body's own measures, which a gadget test names as readily as a clinic does
BODY_MEASURES: tuple[str, ...] = ("心率", "血氧", "血压", "血糖", "心电", "健康监测", "health")
CARE_CONTEXT: tuple[str, ...] = tuple(w for w in HEALTH_CONTEXT if w not in BODY_MEASURES)

HEALTH_IT_TOPIC = " OR ".join(
    (
        f"({_quoted(CORE_TERMS)})",
        _near_pairs(TECH_TERMS, HEALTH_CONTEXT, CONTEXT_DISTANCE),
        _near_pairs(WEARABLES, CARE_CONTEXT, CONTEXT_DISTANCE),
        _near_pairs(ONLINE_TERMS, SERVICE_CONTEXT, SERVICE_DISTANCE),
        _near_pairs(HOTLINES, MENTAL_HEALTH_SERVICES, SERVICE_DISTANCE),
        _near_pairs(PUBLIC_HEALTH_SYSTEMS, PUBLIC_HEALTH_TASKS, PUBLIC_HEALTH_DISTANCE),
        _near_pairs(FENCES, EPIDEMIC_CONTEXT, CONTEXT_DISTANCE),
        _near_pairs(SERVICE_FINDERS, FOUND_SERVICES, FINDER_DISTANCE),
        _near_pairs(EMERGENCY_SYSTEMS, EMERGENCY_LINES, EMERGENCY_DISTANCE),
        _near_pairs(WAIT_DISPLAYS, WAIT_PLACES, CONTEXT_DISTANCE),
        _near_pairs(PRESENCE_CODES, PRESENCE_REGISTRATIONS, PRESENCE_DISTANCE),
        _near_pairs(CALL_LOCATORS, AMBULANCES, CONTEXT_DISTANCE),
        _near_pairs(COMMAND_PLATFORMS, EMERGENCY_CARE, CONTEXT_DISTANCE),
        _near_pairs(IMAGE_SHARING, IMAGE_CARE, CONTEXT_DISTANCE),
        _near_pairs(LEAKS, PATIENT_DATA, LEAK_DISTANCE),
        _near_pairs(BOOKING_SYSTEMS, BOOKING_SLOTS, BOOKING_DISTANCE),
        _near_pairs(DATA_RULES, DATA_RULE_SUBJECTS, DATA_RULE_DISTANCE),
        _near_pairs(MANAGED_SYSTEMS, CLINICAL_TASKS, CLINICAL_SYSTEM_DISTANCE),
    )
)

#: built-in lexicons by name, usable in any topic expression as ``@name``
LEXICONS: dict[str, str] = {"卫生健康信息化": HEALTH_IT_TOPIC, "health_it": HEALTH_IT_TOPIC}


#: topic words that in a headline naming another subject (a building, an opening) are a
#: slogan: 林口长庚「新医疗大楼」开工 导入最新智慧医疗系统 (relevance.slogan_headline)
SLOGAN_TERMS: frozenset[str] = frozenset(
    {"智慧医疗", "智慧医院", "智慧化", "智能化", "数字化", "现代化", "智慧健康", "智慧康养"}
)

#: a building project's stages and parts: the other subject of a page about a new ward or
#: hospital building (:data:`OTHER_SUBJECTS`), and what a building says of itself
#: (:data:`BUILDING_SUBJECTS`)
#: the stages a building's headline tells (动土, 封顶): a headline that tells one and
#: names the topic only in general technology words promises the building's technology
#: (:func:`jianbao.judge.relevance.groundbreaking`)
BUILDING_STAGES: tuple[str, ...] = ("开工", "动工", "动土", "奠基", "上梁", "封顶", "竣工")
CONSTRUCTION_WORDS: tuple[str, ...] = (
    *BUILDING_STAGES,
    "建筑面积",
    "主体结构",
    "新院区",
    "大楼",
)

#: a vaccination programme named as such (疫苗接种计划, Hong Kong's 防疫注射计划 and 疫苗资助
#: 计划): another subject only when the clause naming it names no health IT
#: (:data:`CLAUSE_SUBJECTS`: 接种计划网上预约系统今起开放 is the booking system's story)
VACCINATION_PROGRAMMES: tuple[str, ...] = ("接种计划", "注射计划", "疫苗资助计划")

#: subjects that are not health IT, which an item's headline or lead names when its one
#: sentence on health IT is an aside (issue 17's passing mentions): a hospital's
#: anniversary that lists its 智慧医院 among its achievements, a building that will be
#: 智慧化, volunteers at the self-service machines, a scenic spot asking for the 健康码, an
#: insurer's online policy, a watch's blood pressure. Read by
#: :func:`jianbao.judge.relevance.subject_elsewhere` on the headline and the first
#: sentence only, and only for a match that rests on one sentence of the body.
OTHER_SUBJECTS: tuple[str, ...] = (
    # ceremonies, anniversaries, speeches
    "周年",
    "院庆",
    "庆典",
    "庆祝大会",
    "表彰大会",
    "颁奖",
    "致辞",
    "贺词",
    "新春",
    "毕业典礼",
    "开学典礼",
    "医学新生",
    "级新生",
    "护士节",
    "医师节",
    # meetings whose agenda lists informatization among other tasks
    "工作会议",
    "年会",
    "论坛",
    "研讨会",
    "党委会议",
    "部署会",
    "职工代表大会",
    "中心组",
    "座谈会",
    "学术会议",
    # fairs (a medical-device fair whose products use AI: a fair, not health IT)
    "博览会",
    "展览会",
    "展会",
    # construction
    *CONSTRUCTION_WORDS,
    "开幕",
    # volunteering and classes for the elderly
    "志愿者",
    "志愿服务",
    "公益课",
    "防诈",
    "反诈",
    "智能手机",
    # travel
    "景区",
    "游客",
    "入园",
    # insurance products
    "保险公司",
    "保单",
    "保费",
    "投保",
    # consumer gadgets on sale (not 手环 itself: a wristband whose data reaches the
    # family doctor is health IT)
    "售价",
    "新品",
    "预售",
    "开售",
    "发售",
    "智能手表",
    "手表",
    # a surgical robot as a product or an industry (国产手术机器人进入商业化时代): a device,
    # as its mask says, not the health system's IT
    "手术机器人",
    # the epidemic's course and its test kits (钟南山 forecasting the peak in a remote
    # consultation with a medical team: the forecast is the news)
    "峰值",
    "拐点",
    "试剂盒",
    # recruitment notices (a hospital-jobs overview that lists 信息技术 posts; not a
    # company that hires graduates to label images)
    "公开招聘",
    "招聘公告",
    "招聘会",
    "招录",
    # holiday opening hours (a notice listing 互联网诊疗 among the services kept open)
    "春节",
    "过年期间",
    "节假日",
    "连假",
    "停诊",
    "休诊",
    # and the other holidays' (端午节14间普通科门诊诊所提供服务, 公众假期)
    "端午",
    "中秋",
    "国庆",
    "元旦",
    "清明节",
    "劳动节",
    "五一",
    "公众假期",
    # service notices: a free vaccination's places and dates (可扫码预约), overnight queues
    # for a number (深夜排挂号; 网路挂号容易秒杀), a hospital's car park (停车费 by code)
    "免费接种",
    "免费流感疫苗",
    "免费疫苗",
    # and a vaccination programme's (季节性流感疫苗接种计划本月26日展开, 院舍防疫注射计划):
    # its places, dates and how to book them, not the booking system
    *VACCINATION_PROGRAMMES,
    "通宵排",
    "深夜排",
    "连夜排",
    "彻夜排",
    "半夜排",
    "停车",
    # a free-clinic event (健康义诊活动) that promises its hospital's online services
    "义诊",
    # sport and the legislature's sessions
    "马拉松",
    *("两会", "人大代表", "政协委员"),
)

#: the legislature's delegates among :data:`OTHER_SUBJECTS`: another subject for one
#: sentence on health IT (a delegate's list of proposals that names 数字化 once), not for
#: two — a delegate who speaks twice of health IT is making a health-IT proposal (建议
#: 推进人工智能辅助智慧医疗系统向基层延伸)
DELEGATE_SUBJECTS: frozenset[str] = frozenset({"两会", "人大代表", "政协委员"})
#: the subjects of one sentence only (:func:`jianbao.judge.relevance.aside`): the
#: delegates, and a vaccination programme — a programme's notice that tells its booking
#: system in two sentences (新冠疫苗预约系统即日起全面开放 … 网站预约) is the system's story
ONE_SENTENCE_SUBJECTS: frozenset[str] = DELEGATE_SUBJECTS | frozenset(VACCINATION_PROGRAMMES)

#: longer words that hold a word of :data:`OTHER_SUBJECTS` without being that subject:
#: 点开工作站 is no groundbreaking (开工), nor 百日行动工作部署 (动工); a free clinic held
#: online (线上义诊) is a service online, not a free-clinic event
SUBJECT_EXCEPTIONS: tuple[str, ...] = (
    "开工作",
    "动工作",
    *(
        f"{online}义诊"
        for online in ("线上", "网上", "在线", "远程", "云", "视频", "直播", "互联网")
    ),
)

#: the meetings among :data:`OTHER_SUBJECTS`: such a meeting is another subject only when
#: its own name does not name health IT — a 互联网+医疗健康 congress that opens, an ECG
#: automatic-diagnosis seminar are about the topic
#: (:func:`jianbao.judge.relevance.subject_elsewhere` reads the clause naming the meeting)
MEETING_SUBJECTS: frozenset[str] = frozenset(
    {
        "年会",
        "论坛",
        "研讨会",
        "开幕",
        "学术会议",
        "座谈会",
        "工作会议",
        "部署会",
        "博览会",
        "展览会",
        "展会",
    }
)
#: the subjects read like the meetings: another subject only when the clause naming them
#: does not name health IT — the meetings, and a surgical robot (an industry report or a
#: maker's interview is a device's story; 国产手术机器人在5G远程条件下行根治术 is remote
#: surgery, told in the same clause), and a vaccination programme
CLAUSE_SUBJECTS: frozenset[str] = MEETING_SUBJECTS | {"手术机器人", *VACCINATION_PROGRAMMES}

#: what a building project says of itself: where a headline's only topic word is a slogan
#: and no other topic word is found anywhere, these words anywhere in the item mean the
#: slogan is a building's name or promise (惠民智慧医院 … 主体施工基本完成, 预计年底竣工)
BUILDING_SUBJECTS: tuple[str, ...] = (*CONSTRUCTION_WORDS, "施工", "装修", "占地面积")

#: words of any technology at all — a system, a platform, a phone, data, an app, a robot.
#: A passing mention whose sentence is the only one of a longer body (three full
#: sentences or more) to name any of them is an aside: the page is about something else
#: and says so in its other sentences (a surgery, a ceremony, a flu clinic), while a
#: page about health IT that names the topic once tells the rest of it in such words
#: (系统仍未恢复, 视频急救系统, 调取数据). Read by :func:`jianbao.judge.relevance.lone_mention`;
#: broad on purpose: a word found anywhere else keeps the item as it was. ``AI`` and
#: ``APP`` are matched as words (not in "said"), case-insensitively.
TECH_WORDS: tuple[str, ...] = (
    "系统",
    "平台",
    "线上",
    "网上",
    "在线",
    "手机",
    "数据",
    "信息",
    "小程序",
    "公众号",
    "扫码",
    "二维码",
    "智能",
    "智慧",
    "数字",
    "电子",
    "网络",
    "互联网",
    "软件",
    "电脑",
    "终端",
    "上线",
    "云端",
    "云平台",
    "云计算",
    "远程",
    "视频",
    "自助",
    "人工智能",
    "算法",
    "模型",
    "自动",
    "网站",
    "屏幕",
    "大屏",
    "机器人",
    "科技",
    "ai",
    "app",
)

#: the words of privacy that the lexicon counts beside care (个资, 个人信息, 泄露患者信息): a
#: page whose only such words are these, and whose headline or lead says the records were
#: on paper (路旁掉百张纸露「个资」, 纸质病历被当废纸卖), tells a privacy incident with no
#: technology in it (:func:`jianbao.judge.relevance.paper_records`); a hack, a database
#: or records made digital name technology of their own and are not read so
PRIVACY_WORDS: tuple[str, ...] = (
    "个资",
    "个人信息",
    "隐私",
    "资料外泄",
    "信息泄露",
    "数据泄露",
    *LEAKS,
    *PATIENT_DATA,
)
#: what says the records were paper
PAPER_WORDS: tuple[str, ...] = ("纸张", "纸本", "纸质", "废纸", "张纸", "纸箱", "纸条", "纸片")

#: what a sentence says when the systems it names fail (医院的电脑无法登录网络，电子病历、
#: 收费、挂号都不能结算; 系统瘫痪; 宕机): a page about a hospital's outage tells the rest
#: by its waiting room (no one could pay, fees taken by hand) in no word of
#: :data:`TECH_WORDS`, so its one sentence in the lexicon's words is no lone mention
#: (:func:`jianbao.judge.relevance.lone_mention`)
SYSTEM_FAILURES: tuple[str, ...] = (
    "无法登录",
    "无法登入",
    "无法连线",
    "无法联网",
    "无法使用",
    "不能使用",
    "不能结算",
    "无法结算",
    "断网",
    "瘫痪",
    "故障",
    "宕机",
    "当机",
    "崩溃",
    "停摆",
)

#: the words of :data:`TECH_WORDS` that name an application rather than data, news or a
#: gadget in general (数据显示, 信息, 网络谣言, 科技公司, 视频, a home robot, an 智能 watch,
#: a 智慧 slogan): a headline or lead naming one tells the page's subject as that
#: application, and its sentence in the lexicon's words is not an aside for coming third
#: or later (:func:`jianbao.judge.relevance.told_as_application`)
APPLICATION_WORDS: tuple[str, ...] = tuple(
    w
    for w in TECH_WORDS
    if w
    not in {"数据", "信息", "网络", "科技", "模型", "自动", "屏幕", "大屏", "数字", "视频"}
    | {"机器人", "智能", "智慧"}
)
