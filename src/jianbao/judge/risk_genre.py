"""The kind of page a headline or an opening names: pages that report no new incident,
whatever harm they tell of.

The learned risk model reads the topic, and the framing judgement
(:mod:`jianbao.judge.risk_framing`) the voice of the opening; neither stops a page whose
*genre* rules it out. A court's judgment document opens with dates, a hospital and a
death, and reads like a report; a commentary column retells a fresh case; a regulation
names every violation it punishes. On the held-out real pages of issue 18 (blind, blind2
… blind5, read after each was scored) these were a steady share of the false alarms, and
the sets' own definition labels every one of them 0: a judgment document or a law firm's
case page kept as reference, a commentary on a case, a plan, a regulation, a drill, a
rumour put right (``benchmarks/data/README.md``).

A genre is named by words that say what the page *is*, not what it is about: the end of
a headline (…民事判决书, …工作方案, …处罚办法), a column's name (时评, 锐评 …), or the first
characters of the body (a case number, 【简要案情】, 法律解答). A news report of a verdict
(法院一审宣判), an official notice of findings (情况通报) or a penalty decision against a
hospital (行政处罚决定书) is an incident and names none of them. The spent part blind6
added four kinds that no headline names alone: a drill told from its first sentence
(…举行消防疏散演练 in the opening), a novel's chapter (第452章), a warning against fraud in
a health-insurance body's name (反诈防骗, 诈骗分子冒充医保局) and a jurist's reading of a
kind of case (…如何定性); a report of a fraud ring broken up or of a hospital's own drill
gone wrong still has to name neither in its headline or first sentence. The ninth round
added, from the spent parts blind…blind7, a collection of cases (…案件汇总, 大盘点), an
explainer (…情况全解析, 以下是对此次故障的详细分析), a survey (…现状调查), a case numbered
in its opening (【案情一】) and a placeholder for a city (A市某医院, c市第一人民医院), which
no report names. The tenth round added an epidemic's daily case counts (云南无新增确诊病例,
多名患者治愈出院): once the classifier learned from the spent parts' Hong Kong infection
notices, the realistic stream's bulletins of this kind rose above the alert threshold
(single-item alerts 13 -> 64 of 1,311); the labelled sets count such a bulletin 0. The
eleventh round added the stream's other epidemic kinds that name no harm in the sector:
patients sent home (a headline ending in 出院) and calls for a case's fellow passengers
(急寻…同乘乘客) — with real pages of both kinds labelled 0 among the development pages.
The twelfth round added two of the spent part blind9's false-alarm classes that no labelled
incident's headline names: a hospital authority's bed-occupancy figures, and a poisoning told
by the kindergarten, school, firm or home where it happened (the hospital only treated it).
The fifteenth round widened the rumour put right from the spent part blind12's false alarms:
the rumour-monger caught (造谣者已被拘), and a claim called false in the opening (网传“…”等不实
信息, 经公安机关查证…为谣言) when no headline says so, and a novel's passage told without
its chapter heading (a narrator's 说道, 一怔 in the opening); then a hospital's opening or move
(搬迁, 新址, 开诊试运行) and a poisoning told by its eatery or school in the opening alone, and
a campaign launched or a work meeting held (启动…专项行动, 召开…工作会议) with no result named.
The eighteenth round took five classes of the realistic stream's false alerts (not of any
labelled part): an epidemic's deaths counted (河北1例新型肺炎病例死亡, 首例新冠肺炎死亡病例;
the development pages label such deaths 0), a hospital built (…全部完工交付, 竣工, 建成), a
university's canteen poisoning told in the opening (…大学…54名学生出现食物中毒), a column's
新闻回放 opening and a treatment told as a success (成功进行…换肾手术); on the labelled pages
they name seven pages, all 0, and move no decision.
:func:`jianbao.judge.risk.framed` caps the incident probability of a page of such a genre
below the alert threshold on every path.
"""

from __future__ import annotations

import re

#: a chapter's heading: 第452章, 第十二回
_CHAPTER = r"^\s*第[0-9一二三四五六七八九十百千零〇两]+[章回节]"
#: an epidemic's call for the passengers who rode with a case: 急寻…同乘乘客, 紧急寻找…乘客
_TRACING = (
    r"(?:急寻|紧急寻找|寻找|查找)[^，,。！!]{0,24}(?:乘客|同乘|同车|同航班|同行人员|密切接触者)|"
    r"同乘(?:人员|乘客)"
)
#: a treatment told as a success (成功进行…手术, 成功实施…移植, …手术成功), with no death,
#: fault or dispute beside it
_SUCCESS = (
    r"^(?!.*(?:死亡|身亡|去世|离世|事故|纠纷|投诉|索赔|起诉|误诊|失误|感染|后遗症|致残|瘫痪|"
    r"故障|失败)).*(?:成功(?:进行|实施|完成|开展)[^，,。]{0,24}(?:手术|移植|治疗)|"
    r"(?:手术|移植)(?:获得)?(?:圆满)?成功)"
)
#: a bracketed note a document's name may end with: （试行）, (2024年版), (2)
_NOTE = r"(?:[（(][^）)]{0,12}[)）])?"
#: genre → what the headline says (a document's name is its headline's end)
HEADLINE_GENRES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        # issue 18's own list: an exercise is not an incident
        "drill": r"演练|演习",
        # …谣言, or a verdict on a claim: …不实信息, "…, 假的", "假:…"; the rumour-monger
        # caught (造谣者已被拘, 造谣者抓到了) or the claim called 谣传 / 不实言论 (blind12)
        "rumour put right": r"辟谣|谣言|造谣|谣传|不实(?:信息|消息|传言|言论)|假的\s*$|"
        r"[,，]\s*假\s*$|^\s*假[:：]",
        "court document": rf"(?:判决书|裁定书|调解书){_NOTE}\s*$",
        "commentary": r"时评|锐评|短评|快评|热评|社评|社论|评论员|述评|杂谈|漫谈|警示录|之鉴",
        "rules or plan": r"(?:管理办法|处罚办法|实施办法|暂行办法|工作方案|实施方案|行动方案|"
        r"专项方案|实施细则|管理细则|条例|管理规定|暂行规定|若干规定|工作要点|管理规范|"
        rf"技术规范|指南|指引|应急预案){_NOTE}\s*$",
        # a document issued or announced: 关于印发…的通知, …联合发文 整治红包
        "issued document": r"联合发文|发文(?:规定|明确|要求)|"
        r"印发[^，,。]{0,40}(?:通知|意见|方案|办法|规划)",
        "speech or summary": r"上的讲话\s*$|工作(?:情况)?总结\s*$",
        # a study of cases: …1例分析, …回顾性分析, 浅谈…, …研究
        "study": r"例分析\s*$|回顾性分析\s*$|研究\s*$|综述\s*$|^\s*(?:浅谈|浅析|试论|探析)",
        # a chapter of a novel: 第452章 医疗事故
        "fiction": _CHAPTER,
        # a warning against fraud in a health body's name: 反诈防骗, 警惕医保卡诈骗
        "fraud warning": r"反诈|防骗|谨防[^,，。]{0,8}诈骗|警惕[^,，。]{0,10}诈骗",
        # a lawyer's or a jurist's reading of a kind of case
        "legal analysis": r"如何定性|定性之辩|刑事定性|法律认定|如何认定|罪与非罪",
        # a collection of cases, not one (…案件汇总, 年终大盘点, 十大医疗卫生事件); an
        # official notice of typical cases (…十大典型案件的通报) is a report and names none
        "roundup": r"汇总|盘点|大事记|十大[^，,。]{0,10}事件",
        # a page that explains an affair or a kind of fault: …情况全解析, …的故事解析
        "explainer": r"全解析|解析\s*$",
        # a survey of a field: …市场现状调查, …调查报告
        "survey": r"现状调查|调查报告\s*$",
        # an epidemic's daily figures (云南无新增确诊, 北京新增7例累计确诊121例, 确诊人数上升至
        # 368人, 多名患者治愈出院, …疫情情况): counts of cases, not an adverse event in the
        # health sector; infections in a ward or among its staff (院内, 医护 …) stay reports
        "case-count bulletin": r"^(?!.*(?:院内|院感|医院感染|聚集|医护|职员|员工))"
        r".*(?:无新增|(?:新增|累计)(?:确诊)?(?:病例)?\d+例|确诊(?:病例|人数)?(?:上升|增至|升至)|"
        r"(?:治愈|痊愈|康复)出院|患者(?:治愈|痊愈)|疫情(?:情况|通报)\s*$|"
        r"(?:肺炎|新冠|确诊)(?:病例|患者)?死亡|死亡病例)",
        # patients sent home (上海又有10人出院, 湖北91岁老兵患者出院): the headline ends with the
        # discharge; a death, a dispute or a ward's infection named in it keeps it a report
        "discharge": r"^(?!.*(?:死亡|身亡|去世|离世|病逝|拒|纠纷|投诉|索赔|误诊|被打|伤医|"
        r"欠费|扣押|滞留|院内|院感|医院感染)).*出院\s*[!！]?\s*$",
        # an epidemic's call for fellow passengers (急寻21日D3937次7号车厢乘客, 同乘人员)
        "contact tracing": _TRACING,
        # a hospital authority's figures of beds in use (联合医院占用率最高达109%, 病床使用率
        # 98%): a season's load, not an adverse event (blind9's spent false alarm)
        "occupancy figures": r"(?:病床|床位|住院|内科|儿科)[^，,。]{0,8}(?:占用率|使用率)|"
        r"(?:占用率|使用率)[^，,。]{0,8}\d+(?:\.\d+)?\s*%",
        # a poisoning at a kindergarten, a school, a firm or a home, told by its place: the
        # hospital only treats it (blind9's spent false alarms); a hospital's own staff or
        # patients poisoned (医院职员食物中毒) name the hospital before them and stay reports
        "poisoning outside care": r"^(?!.*(?:医院|卫生院|诊所|院内|院方)[^，,。送]{0,6}"
        r"(?:职员|员工|医护|护士|医生|病人|患者|食堂|饭堂|餐厅))"
        r".*(?:幼儿园|学校|小学|中学|国中|高中|大学|师生|学生|企业|公司|工厂|工地|家中|一家|"
        r"餐馆|饭店|酒店)[^，,。]{0,14}(?:中毒|误食|误服)",
        # a hospital's opening or move (…启动搬迁工作 新址全面启用, 东院今日开诊试运行): a
        # service begun, not an adverse event (blind11's and blind12's spent false alarms);
        # a fault, a death or a complaint named beside it keeps it a report
        "opening or move": r"^(?!.*(?:故障|瘫痪|宕机|崩溃|停电|死亡|身亡|事故|起火|泄露|投诉|"
        r"被罚|暂停|混乱|排长队)).*(?:搬迁|新址|开诊试运行|正式开诊|(?:正式|全面)启用|投入使用|"
        r"开业|揭牌|落成|完工|竣工|建成|交付使用)",
        # a campaign launched or a work meeting held (我省启动打击非法行医专项行动, …召开卫生
        # 健康工作会议): what will be done, not what happened (blind10's spent false alarm);
        # a campaign's results in the headline (查处, 查封, 抓获, N家) keep it a report
        "campaign launched": r"^(?!.*(?:查处|查封|取缔|抓获|拔掉|处罚|罚款|立案|被罚|\d+家|\d+起|"
        r"\d+人)).*(?:启动|部署|开展|召开)[^，,。]{0,14}(?:专项行动|专项整治|专项检查|集中整治|"
        r"整治行动|专项治理|工作会议)",
        # a treatment that succeeded (…成功进行一场夫妻交叉换肾手术, 首例…移植手术成功): a
        # hospital's achievement, not an adverse event (the realistic stream's false alarm); a
        # death, a fault or a dispute named beside it keeps it a report
        "medical success": _SUCCESS,
    }.items()
}
#: characters of the body's opening read for an opening's genre
OPENING_CHARS = 80
#: genre → what the opening of the body says
OPENING_GENRES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        # a case number, the court, or the parties as a judgment opens
        "court document": r"^\s*[（(]\d{4}[)）][^，,。]{0,12}号|审理法院|裁判日期|案由[:：]|"
        r"^\s*(?:上诉人|原告)[（(]原审",
        # a law firm's or a journal's case page, a lawyer's answer
        "case write-up": r"【(?:简要案情|案情简介|基本案情|案情回顾|裁判要旨)】|裁判要旨|"
        r"^\s*案例(?:介绍|分析)|【(?:案情|案例)[一二三四五六七八九十0-9]+】",
        "legal answer": r"法律解答[:：]|律师解答[:：]|律师回答[:：]",
        # a drill told without a headline: the opening holds the exercise (…举行消防疏散演练,
        # …演练正式拉开帷幕); a report that recalls a drill held before (组织过演练) is not one
        "drill": r"(?<![曾过])(?:举行|开展|组织|进行|举办)(?!过)[^。，,；;]{0,30}(?:演练|演习)|"
        r"(?:演练|演习)[^。，,]{0,12}(?:正式|拉开帷幕|开始)",
        "fiction": _CHAPTER,
        # a novel's passage without its chapter heading: a narrator's verbs of speech and
        # start (刘民举又继续说道, 黄老一怔) — a report quotes with 说 / 表示 (the spent parts'
        # blind8 and blind12 false alarms)
        "narrated fiction": r"(?:说道|问道|喊道|答道|笑道|怒道|叹道|骂道|嚷道|一怔|一愣)",
        # a placeholder for a city (A市某医院, c市第一人民医院) names no real place: a story
        # or a case told with invented names
        "invented place": r"(?<![A-Za-z])[A-Za-z]市",
        # an explainer that announces its parts (以下是对此次故障的详细分析, 以下是处理建议)
        # or its cases (下面，我将用三则案例…); a notice's 以下是通报全文 is not one
        "explainer": r"以下是[^。:：]{0,16}(?:介绍|解析|分析|建议|方法|要点)|"
        r"下面[,，]?我(?:将|们将)",
        # a rumour put right without a headline: a claim called false (网传“…”等不实信息,
        # 此消息纯属谣言) or found so by a check (经公安机关查证，网传信息为谣言) — the
        # spent blind12's false alarms; a report in which a hospital denies a detail (否认殴打,
        # 院方称家属说法系不实) names no claim spread online put right
        "rumour put right": r"(?:网传|网上|网络|网民|微信|传言|传闻|消息|信息|言论)[^。]{0,60}?"
        r"(?:为|系|属|是|等)(?:不实|谣言|谣传)|纯属(?:谣言|谣传|捏造|虚构)|"
        r"(?:查证|核实)[^。]{0,16}(?:谣言|不实)",
        # the call for fellow passengers told without a headline (…急寻与确诊患者同乘…的乘客)
        "contact tracing": _TRACING,
        # a poisoning told by the eatery, school or kindergarten where it happened, when no
        # headline names it (有四宗涉及旺角一间食肆…的怀疑食物中毒个案): the hospitals only
        # treat it (blind10's and blind12's spent false alarms); a hospital's own staff or
        # patients poisoned stay reports
        "poisoning outside care": r"^(?!.*(?:医院|卫生院|诊所|院内|院方)[^，,。送]{0,6}"
        r"(?:职员|员工|医护|护士|医生|病人|患者|食堂|饭堂|餐厅))"
        r".*(?:食肆|餐馆|饭店|酒店|餐厅|幼儿园|学校|大学|学院|学生|师生|食堂)[^。]{0,20}"
        r"(?:中毒|误食|误服)",
        # a column that retells the news before its comment (新闻回放：4月7日晚上11时，…): the
        # opening of an opinion piece, not a report (the realistic stream's false alarm)
        "commentary": r"^\s*(?:新闻回放|事件回放|新闻回顾)\s*[:：]",
        "medical success": _SUCCESS,
        # a health-insurance body's name borrowed by fraudsters: 诈骗分子冒充医保局…
        "fraud warning": r"(?:冒充|冒用|假冒)[^,，。]{0,6}(?:医保|社保|人社)[^,，。]{0,2}"
        r"(?:局|部门|中心|机构|工作人员)",
    }.items()
}


def genre(title: str, text: str) -> str | None:
    """The genre a page's headline or opening names, if it is one that reports no
    incident; None for every other page."""
    for name, pattern in HEADLINE_GENRES.items():
        if pattern.search(title):
            return name
    opening = text[:OPENING_CHARS]
    for name, pattern in OPENING_GENRES.items():
        if pattern.search(opening):
            return name
    return None
