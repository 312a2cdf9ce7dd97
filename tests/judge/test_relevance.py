from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.normalize import simplified
from jianbao.judge.relevance import (
    LONE_REASON,
    MODEL_ALONE,
    MODEL_RESCUE,
    MODEL_VETO,
    PAPER_REASON,
    aside,
    combine,
    keyword_evidence,
    lone_mention,
    names_topic,
    passing_mention,
    subject_elsewhere,
    told_as_application,
)
from jianbao.judge.topic import TopicMatch, parse_topic


def test_keyword_match_is_relevant_and_model_adds_score():
    match = TopicMatch(True, 0.5, ["电子病历"], headline=True)
    alone = combine(match, None)
    assert alone.relevant and alone.score == 0.5
    assert alone.reasons == ["关键词：电子病历"]
    low, high = combine(match, 0.01), combine(match, 0.9)
    assert low.relevant and high.relevant
    assert high.score > low.score >= keyword_evidence(match)
    assert "模型概率 0.90" in high.reasons


def test_several_sentences_of_the_body_are_trusted_like_a_headline():
    match = TopicMatch(True, 0.3, ["电子病历"], headline=False, sentences=2)
    assert not passing_mention(match)
    assert combine(match, 0.01).relevant


def test_the_model_may_overrule_a_passing_mention_only():
    # a general technology word near a health word (大数据 … 医院) in one sentence
    passing = TopicMatch(True, 0.22, ["大数据", "医院"], headline=False, sentences=1)
    assert passing_mention(passing)
    assert not names_topic(passing)
    assert combine(passing, None).relevant  # without a model the keywords decide
    assert combine(passing, MODEL_VETO).relevant
    vetoed = combine(passing, MODEL_VETO - 0.01)
    assert not vetoed.relevant
    assert "关键词仅在正文一句中出现，模型判断不相关" in vetoed.reasons


def test_a_word_that_names_health_it_is_not_vetoed():
    # the model has seen few pages on a hospital's PACS or vaccine tracing: a sentence
    # naming one (彰化秀傳終於要有PACS了) stays relevant however low the model scores it
    for term in ("PACS", "疫苗追溯", "远程会诊"):
        passing = TopicMatch(True, 0.22, [term], headline=False, sentences=1)
        assert names_topic(passing)
        assert combine(passing, 0.01).relevant
    # an aside is still an aside
    topic = parse_topic(HEALTH_IT_TOPIC)
    title, body = "某医院建院70周年庆典举行", "庆典上回顾了医院建设PACS的历程。"
    match = topic.match(title, body)
    assert names_topic(match) and aside(match, title, body)
    assert not combine(match, 0.01, title=title, body=body).relevant


def test_without_keyword_the_model_must_be_confident():
    miss = TopicMatch(False, 0.0, [])
    assert not passing_mention(miss)
    assert not combine(miss, None).relevant
    assert not combine(miss, MODEL_ALONE - 0.01).relevant
    sure = combine(miss, 0.95)
    assert sure.relevant and sure.score == 0.95


def test_builtin_lexicon_parses_and_separates_hard_cases():
    topic = parse_topic(HEALTH_IT_TOPIC)
    assert topic.match("县医院远程会诊中心启用", "").matched
    assert topic.match("", "医院引进机器人配送药品，提升效率。").matched
    assert not topic.match("北京新增7例确诊病例", "均已送至定点医疗机构救治。").matched
    assert not topic.match("人工智能芯片公司完成融资", "资金用于自动驾驶芯片研发。").matched
    # 工业和信息化部 is a ministry's name, not informatics
    assert not topic.match("工业和信息化部：口罩日产量提升", "一些医院口罩紧缺。").matched


def test_a_passing_mention_in_a_case_count_story_is_weak_evidence():
    topic = parse_topic(HEALTH_IT_TOPIC)
    story = topic.match(
        "钟南山：疫情峰值或在本月下旬",
        "钟南山院士在与前方医疗队远程会诊时表示，峰值可能在本月下旬到来。他提醒公众继续做好防护。",
    )
    assert story.matched and passing_mention(story)
    informatics = topic.match(
        "某县让群众看病少跑腿",
        "该县建成远程会诊中心，乡镇卫生院可与县医院远程会诊。患者的电子病历在医共体内共享调阅。",
    )
    assert informatics.matched and not passing_mention(informatics)
    assert informatics.sentences == 2 and not informatics.headline


def test_a_match_says_where_its_one_sentence_stands_in_the_body():
    """A passing mention is told apart from a one-sentence excerpt by its place: the
    match reports the body's sentences and whether the matching one is the lead."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    building = topic.match(
        "新院区主体结构封顶",
        "3月28日，新院区住院楼主体结构全面封顶。项目总建筑面积7.4万平方米，设床位700张。"
        "建成后将引入电子病历系统。\n\n项目力争明年投入使用。",
    )
    assert passing_mention(building)
    assert (building.sentences, building.body_sentences, building.lead) == (1, 4, False)
    assert building.first == 2  # the third sentence
    excerpt = topic.match("", "医院上线电子病历系统，医生可随时调阅患者病历。")
    assert passing_mention(excerpt)
    assert (excerpt.sentences, excerpt.body_sentences, excerpt.lead) == (1, 1, True)
    assert excerpt.first == 0
    assert topic.match("北京新增病例", "均已送至定点医院。").body_sentences == 0  # no match


def test_a_kept_passing_mention_tells_the_editor_it_rests_on_one_sentence():
    """The judge keeps a passing mention unless the model vetoes it (on the labelled pages
    most such items are relevant); the reason tells the editor it rests on one sentence
    and where that sentence stands, so a building story that names 智慧医院 in its third
    sentence is quick to reject."""
    passing = TopicMatch(
        True, 0.22, ["智慧医院"], headline=False, sentences=1, body_sentences=3, lead=False
    )
    kept = combine(passing, 0.7)
    assert kept.relevant
    assert "关键词仅在正文一句中出现（非首句，共3句）" in kept.reasons
    lead = TopicMatch(True, 0.22, ["电子病历"], sentences=1, body_sentences=1, lead=True)
    assert "关键词仅在正文一句中出现（首句，共1句）" in combine(lead, 0.7).reasons
    trusted = TopicMatch(True, 0.5, ["电子病历"], headline=True, sentences=1, body_sentences=3)
    assert not any("一句" in reason for reason in combine(trusted, 0.7).reasons)


def test_a_passing_mention_late_in_the_body_is_an_aside():
    """Issue 17's passing mentions: one sentence on health IT after a headline and a lead
    about something else (a building, an epidemic count) is not what the item is about;
    the model keeps it only when nearly sure. A one-sentence excerpt, or a lead that
    names the system, stays relevant."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "新院区主体结构封顶"
    body = (
        "3月28日，新院区住院楼主体结构全面封顶。项目总建筑面积7.4万平方米，设床位700张。"
        "建成后将引入电子病历系统。\n\n项目力争明年投入使用。"
    )
    building = topic.match(title, body)
    assert aside(building, title, body)[0] == "第3句"
    assert not combine(building, 0.7, title=title, body=body).relevant
    assert not combine(building, None, title=title, body=body).relevant
    assert combine(building, MODEL_RESCUE, title=title, body=body).relevant
    vetoed = combine(building, 0.7, title=title, body=body)
    assert any("主题另有所指：第3句" in reason for reason in vetoed.reasons)
    excerpt = "医院上线电子病历系统，医生可随时调阅患者病历。"
    assert combine(topic.match("", excerpt), 0.7, title="", body=excerpt).relevant
    second = "医院召开职工大会。会上通报，电子病历系统已上线。医生查房时可在电脑上调阅。"
    kept = topic.match("", second)
    assert kept.first == 1 and not aside(kept, "", second)
    assert combine(kept, 0.7, title="", body=second).relevant


def test_a_passing_mention_alone_among_sentences_on_something_else_is_an_aside():
    """Issue 17's fifth round: a passing mention in the lead's neighbour under a plain
    headline (a first surgery whose patient had consulted online) is an aside when no
    other sentence of a body of three or more names any technology; a page about health
    IT tells the rest in such words, and one- or two-sentence excerpts are left alone."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "县医院成功开展首例腹腔镜结肠癌根治术"
    lead = "近日，县人民医院成功为一名80岁患者实施腹腔镜结肠癌根治术。患者此前通过互联网医院问诊。"
    body = lead + "目前患者恢复良好，已康复出院。"
    match = topic.match(title, body)
    assert passing_mention(match) and match.first == 1 and not subject_elsewhere(title, body)
    assert lone_mention(match, body, title) and aside(match, title, body) == [LONE_REASON]
    judged = combine(match, 0.8, title=title, body=body)
    assert not judged.relevant
    assert any(f"主题另有所指：{LONE_REASON}" in reason for reason in judged.reasons)
    assert combine(match, MODEL_RESCUE, title=title, body=body).relevant
    assert not combine(match, None, title=title, body=body).relevant
    # another sentence in the words of technology (数据, AI as a word) keeps it
    for rest in ("接诊医生随后调取了他的检查数据。", "家属用AI助手写了感谢信。"):
        told = lead + rest
        assert not lone_mention(topic.match(title, told), told)
        assert combine(topic.match(title, told), 0.8, title=title, body=told).relevant
    # nor when the headline names technology (the page's own word for its subject)
    assert not lone_mention(match, body, "县医院首例手术患者曾在互联网医院问诊 智能随访")
    # a two-sentence excerpt is never lone: its other sentence may be the topic told plainly
    assert not lone_mention(topic.match(title, lead), lead)
    assert combine(topic.match(title, lead), 0.8, title=title, body=lead).relevant
    # latin letters inside a word are no technology word: "said" holds no AI
    said = lead + "The family said thanks."
    assert lone_mention(topic.match(title, said), said)


def test_a_passing_mention_under_a_headline_about_something_else_is_an_aside():
    """An anniversary, a groundbreaking, a volunteers' day or a scenic spot named in the
    headline or the lead says what the item is about, even when its one sentence on
    health IT is the lead's neighbour."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "市人民医院举行建院70周年庆祝大会"
    body = "10月18日，医院举行建院70周年庆祝大会。医院互联网医院去年上线。全院职工参加。"
    match = topic.match(title, body)
    assert passing_mention(match) and match.first == 1
    assert subject_elsewhere(title, body) == ["周年", "庆祝大会"]
    assert not combine(match, 0.8, title=title, body=body).relevant
    # the other subject counts in the headline and the lead only, not further on
    late = "医院上线互联网医院，患者可在线复诊。下月将举行建院70周年庆祝大会。"
    assert not subject_elsewhere("", late)
    assert combine(topic.match("", late), 0.7, title="", body=late).relevant
    # a headline that itself matches is trusted, whatever else it names
    trusted = topic.match("医院庆祝建院70周年 电子病历系统上线", "全院职工参加。")
    assert trusted.headline and not aside(trusted, "医院庆祝建院70周年", "全院职工参加。")


def test_a_semicolon_list_is_one_sentence_for_the_place_of_a_match():
    """A short item written as a semicolon list (一是…；二是…；三是…) is one sentence when
    the judge asks where its match stands: the third clause is not "the third sentence"
    of an item about something else. The clauses still count as sentences for how often
    the topic is named."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "南岭推进医疗保障经办服务"
    body = (
        "一是推行窗口延时服务；二是开展上门办理；三是异地就医备案线上办，参保人通过手机即可办理。"
    )
    match = topic.match(title, body)
    assert passing_mention(match) and match.body_sentences == 3
    assert match.first == 0 and match.lead
    assert not aside(match, title, body)
    assert combine(match, 0.5, title=title, body=body).relevant
    # a full stop still moves the place
    late = "医院召开职工大会。会议通报了上半年工作。异地就医备案可线上办理。"
    assert topic.match("", late).first == 2


def test_two_sentences_under_another_subject_are_an_aside():
    """A New-Year speech that lists its app and its 预约诊疗 rate names the topic in two
    sentences, yet is a speech: under another subject (headline or lead), a match in two
    body sentences is an aside like a passing mention; three sentences are trusted."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "医院新年致辞"
    body = (
        "今年是建院95周年，我们心怀感恩。这一年，医院连续六年蝉联排行榜榜首。"
        "这一年，医院借助互联网+探索管理创新。医院自主研发的官方APP正式上线，预约诊疗率达60%。"
    )
    match = topic.match(title, body)
    assert match.sentences == 2 and not match.headline
    assert aside(match, title, body) == ["致辞", "周年"]
    speech = combine(match, 0.5, title=title, body=body)
    assert not speech.relevant
    assert any(r.startswith("关键词仅在正文两句中出现，主题另有所指") for r in speech.reasons)
    assert combine(match, MODEL_RESCUE, title=title, body=body).relevant
    longer = body + "医院上线电子病历系统，实现检查结果互认。"
    assert not aside(topic.match(title, longer), title, longer)
    plain = body.replace("今年是建院95周年，", "")
    assert not aside(topic.match("", plain), "", plain)


def test_a_slogan_in_a_headline_about_a_building_is_an_aside():
    """A new building or a hospital's opening that promises 智慧医疗 in its headline:
    the slogan word alone (SLOGAN_TERMS) under another subject does not make the item
    health IT, and the model (which learnt 智慧医院 headlines from the seeds) cannot
    rescue it; a headline naming a system, or a body that returns to the topic, is
    trusted."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "新医疗大楼开工 导入智慧医疗系统"
    body = "医院26日举行新医疗大楼开工仪式。大楼为地上16层的智慧医疗大楼。完工后可容纳病床870床。"
    match = topic.match(title, body)
    assert match.headline and match.terms == ["智慧医疗"]
    assert aside(match, title, body) == ["大楼", "开工"]
    judged = combine(match, 0.99, title=title, body=body)
    assert not judged.relevant
    assert any(r.startswith("标题仅有口号式用词") for r in judged.reasons)
    assert not combine(match, None, title=title, body=body).relevant
    system = "新医疗大楼开工 电子病历系统同步建设"
    assert combine(topic.match(system, body), 0.5, title=system, body=body).relevant
    opening = "智慧医院正式上线互联网诊疗服务"
    assert not aside(topic.match(opening, "患者可在线复诊。"), opening, "患者可在线复诊。")


def test_a_building_named_after_a_slogan_is_an_aside():
    """惠民智慧医院 … 主体施工基本完成, 预计年底竣工: every topic word of the item is a
    slogan and the body tells a building project, so the headline's 智慧医院 is a name,
    however often the body repeats it; a body naming a system is trusted."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "惠民智慧医院(组照一)"
    body = (
        "惠民智慧医院,位于南彭街道,全称是公共卫生医疗救治中心应急医院。"
        "其主体施工基本完成,正顺利进行装修,预计年底竣工。惠民智慧医院交通十分便捷。"
    )
    match = topic.match(title, body)
    assert match.headline and match.sentences == 2 and match.terms == ["智慧医院"]
    assert aside(match, title, body) == ["施工", "装修", "竣工"]
    assert not combine(match, 0.99, title=title, body=body).relevant
    systems = body + "医院将上线电子病历系统。"
    assert not aside(topic.match(title, systems), title, systems)


def test_a_meeting_about_health_it_is_not_another_subject():
    """A meeting word in the lead is another subject unless the clause naming the
    meeting names health IT: a 互联网+医疗健康 congress that opens is the topic's own."""
    congress = (
        "10月27日,由中国卫生信息学会主办的2016全国“互联网+医疗健康”创新创业大会在成都开幕,"
        "我院作为代表参会。"
    )
    assert subject_elsewhere("", congress) == []
    assert subject_elsewhere("", "10月27日,全院职工年会在礼堂开幕,院长致辞。") == [
        "年会",
        "开幕",
        "致辞",
    ]
    # a hospital's opening in a headline whose next clause promises 智慧医疗 is no meeting
    assert subject_elsewhere("台中市立医院9/24开幕 拥逾1400床、主打智慧医疗", "") == ["开幕"]
    # 点开工作站 is no groundbreaking
    assert subject_elsewhere("", "主治医生点开工作站上的影像共享模块。") == []


def test_jobs_and_holiday_notices_are_other_subjects():
    topic = parse_topic(HEALTH_IT_TOPIC)
    notice = (
        "医院过年期间提供医疗服务,关键亮点包括急诊24小时开放、部分科室值班、互联网诊疗等。"
        "急诊服务全年无休,优先接诊危急重症患者。"
    )
    match = topic.match("", notice)
    assert passing_mention(match)
    assert aside(match, "", notice) == ["过年期间"]
    assert not combine(match, 0.7, body=notice).relevant
    jobs = "医院公开招聘工作人员是吸纳人才的重要渠道。部分医院新增了互联网医疗岗位。"
    assert "公开招聘" in subject_elsewhere("", jobs)
    # a company hiring graduates to label images for diagnosis algorithms is not a notice
    assert subject_elsewhere("", "贵阳建设医学影像数据标注基地，招聘医学院校毕业生。") == []


def test_a_column_name_is_no_online_service_and_a_sector_no_system():
    topic = parse_topic(HEALTH_IT_TOPIC)
    assert not topic.match("果然视频|“上海医疗专家工作站”落户县人民医院", "").headline
    assert topic.match("医院开通视频问诊", "").headline
    # 医疗系统 (the sector) is no technology word: the one sentence on 互联网医疗 is alone
    body = (
        "医院招人是医疗系统吸纳人才的渠道。各地医院定期发布公告。"
        "部分医院新增了互联网医疗岗位。应聘者需提前准备材料。"
    )
    match = topic.match("", body)
    assert lone_mention(match, body)
    assert not lone_mention(match, body.replace("医疗系统", "信息系统"))


def test_applications_the_lexicon_now_names():
    """Health IT told through its applications, as real pages tell it (blind7's misses)."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    assert topic.match("", "彰化秀传终于要有PACS了!等了好久哦!").matched
    assert topic.match("", "自卫生署影像交换中心下载您的报告与影像。").matched
    assert topic.match("", "只要您检查的医院有参与卫生署的影像院际交换计划。").matched
    assert topic.match("上海率先实施疫苗追溯机制", "").headline
    assert topic.match("社区为独居老人安装照护系统", "").headline
    assert topic.match("全国首届心电图自动化诊断研讨会在京召开", "").headline
    # not a sector's exchange of staff, nor a care system with no one to care for
    assert not topic.match("两院院际交换学生", "").matched
    assert not topic.match("完善养老服务体系", "").matched


def test_a_fair_is_another_subject_unless_it_is_about_health_it():
    assert subject_elsewhere("", "第90届中国国际医疗器械博览会在深圳举办,4000余家企业参展。") == [
        "博览会"
    ]
    themed = "以“数字医疗与医院信息化”为主题的医疗器械博览会在深圳开幕。"
    assert subject_elsewhere("", themed) == []


def test_a_page_told_as_its_application_is_no_aside_for_a_late_sentence():
    """Issue 17's eighth round (blind9's 繁體 asides): a short report whose headline or
    lead names the application (an electronic card, a preorder online) tells it in words
    the lexicon lacks, and names it in the lexicon's words only third or later; it is not
    an aside for that. Under a headline and lead that name no application, or a home
    robot, the same late sentence still is."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    body = (
        "卫生局今天介绍新卡的用法。第一款是挂号卡，方便市民预约。第二款是长者卡。"
        "市民持卡后可把自测的血压记入健康数据库。"
    )
    title = "卫生局推出两款电子卡"
    match = topic.match(title, body)
    assert match.first == 3 and passing_mention(match)
    assert told_as_application(title, body)
    assert not aside(match, title, body)
    assert combine(match, 0.5, title=title, body=body).relevant
    assert combine(match, None, title=title, body=body).relevant
    plain = "卫生局介绍长者优惠"
    assert not told_as_application(plain, body)
    assert aside(topic.match(plain, body), plain, body)[0] == "第4句"
    robot = "家里来了个机器人"
    home = (
        "它每天陪孩子读书，讲各种故事。周末它陪全家唱歌、做游戏。它也能提醒老人复诊时带上电子病历。"
    )
    assert not told_as_application(robot, home)
    assert aside(topic.match(robot, home), robot, home)[0] == "第3句"


def test_service_notices_and_events_are_other_subjects():
    """Issue 17's fourteenth round (the spent parts' false positives, by class): a
    holiday's opening hours (端午节 as 春节 already was), a free vaccination's notice, an
    overnight queue for a number, a hospital's car park, a free-clinic event, a watch on
    pre-sale name another subject, so a passing mention of the booking app is an aside. A
    free clinic held online is the service itself, and 行动工作部署 holds no groundbreaking
    (动工)."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    notice = (
        "下星期一端午节为公众假期，当日将有14间普通科门诊诊所提供服务。"
        "求诊人士可透过流动应用程式预约普通科门诊。"
    )
    match = topic.match("端午节14间普通科门诊诊所提供服务", notice)
    assert passing_mention(match)
    assert "端午" in aside(match, "端午节14间普通科门诊诊所提供服务", notice)
    assert not combine(match, 0.73, title="端午节14间普通科门诊诊所提供服务", body=notice).relevant
    assert "免费接种" in subject_elsewhere("", "今年全市老人免费接种流感疫苗。可扫码预约。")
    assert "深夜排" in subject_elsewhere("深夜排挂号 抢看名医门诊", "")
    assert "停车" in subject_elsewhere("缓解停车难 医院升级停车系统", "")
    assert "义诊" in subject_elsewhere("", "医院专家深入社区开展大型健康义诊活动。")
    assert "预售" in subject_elsewhere("新款手表开启预售", "")
    assert subject_elsewhere("", "医院开展线上义诊，专家在线解答。") == []
    assert subject_elsewhere("", "医院召开百日行动工作部署专题会议。") == []


def test_a_surgical_robot_is_another_subject_unless_its_clause_is_remote_surgery():
    """A surgical-robot industry report or a maker's interview names a device, and its one
    sentence on AI or software is an aside; a robot operating over 5G from afar, told in
    the same clause, is remote surgery (the clause is read as a meeting's is)."""
    assert "手术机器人" in subject_elsewhere(
        "手术机器人行业深度研究：国产手术机器人进入商业化时代", ""
    )
    assert "手术机器人" in subject_elsewhere("做“金字塔尖”的手术机器人", "")
    assert subject_elsewhere("", "评价国产手术机器人在5G远程条件下行结肠癌根治术的安全性。") == []


def test_a_groundbreaking_headline_that_promises_ai_is_an_aside():
    """A headline telling a building's stage (动土) whose topic words are only general
    technology beside care promises the building's AI: an aside the model cannot rescue,
    as a slogan headline is. A data centre of the health-information platform names the
    topic in a core term, and a body that tells the topic twice is not a promise."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "AI智慧绿能医养 台中首座市立医院动土"
    body = "市立医院动土，预计年底营运。董事长表示将以病人为中心。"
    match = topic.match(title, body)
    assert match.headline and aside(match, title, body) == ["动土"]
    assert not combine(match, 1.0, title=title, body=body).relevant
    core = "全民健康信息平台数据中心开工"
    assert aside(topic.match(core, body), core, body) == []
    twice = "医院将以AI辅助诊断。AI系统还将为病人排班。"
    assert aside(topic.match(title, twice), title, twice) == []


def test_an_outage_told_by_its_waiting_room_and_a_delegates_proposal_told_twice():
    """Issue 17's fifteenth round: a hospital's computers down told by the waiting room
    (electronic records, fees and registration stopped; fees taken by hand) names health
    IT once, in a sentence that tells the systems failing, and the rest of the page tells
    the outage in plain words — no lone mention; the same body whose one sentence names a
    system at work (a new sign by the door) is one.
    A delegate who speaks twice of health IT is making a health-IT proposal; one sentence
    among a delegate's words stays an aside."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    outage = (
        "市民带着发烧的儿子到医院看病，却没有办法交费。"
        "四十多分钟里，医院的电脑无法登录网络，电子病历、收费、挂号都不能结算。"
        "医院启动应急预案，划价交费改为手工操作。"
    )
    match = topic.match("", outage)
    assert passing_mention(match) and aside(match, "", outage) == []
    assert combine(match, 0.7, title="", body=outage).relevant
    plain = (
        "市民带着发烧的儿子到医院看病，却没有办法交费。"
        "医院新设的智能导视牌前排起长队。"
        "医院启动应急预案，划价交费改为手工操作。"
    )
    general = topic.match("", plain)
    assert passing_mention(general) and "其余各句未提技术" in aside(general, "", plain)
    proposal = (
        "全国政协委员某某：提升基层医疗服务能力十分迫切。"
        "人工智能与医疗健康的深度融合是推动优质资源下沉的有效途径。"
        "建议推进人工智能辅助诊断系统向基层医疗机构延伸。"
    )
    told = topic.match("", proposal)
    assert told.sentences == 2 and aside(told, "", proposal) == []
    once = "全国政协委员某某：提升基层医疗服务能力十分迫切。建议加大财政投入。建议推进人工智能辅助诊断系统向基层延伸。"
    one = topic.match("", once)
    assert passing_mention(one) and "政协委员" in aside(one, "", once)


def test_records_told_as_paper_are_no_health_it():
    """A hospital's prescriptions scattered on a road expose patients' personal data
    (个资) on paper: the match holds only on a word of privacy and the headline says
    paper — an aside, whatever the model says. A hack that leaks the same data, records
    made digital and a patient database sold still count."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = simplified("路旁掉百張紙露「個資」 竟是醫院「藥箋」")
    body = simplified("民眾發現路邊有大量紙張散落，是醫院的處方箋，上頭還有病患姓名等個資。")
    match = topic.match(title, body)
    assert match.headline and aside(match, title, body) == [PAPER_REASON]
    assert not combine(match, 1.0, title=title, body=body).relevant
    hacked = simplified("醫院資訊系統遭駭客入侵 病患個資外洩")
    digital = "医院将纸质病历全部电子化，保护患者个人信息。"
    sold = "医院数据库被卖 数万患者个人信息泄露"
    for headline, text in ((hacked, body), (digital, ""), (sold, "")):
        told = topic.match(headline, text)
        assert told.headline and aside(told, headline, text) == []


def test_a_vaccination_programme_notice_is_another_subject_for_one_sentence():
    """Issue 17's sixteenth round (blind18's spent false positive): a seasonal flu
    vaccination programme's notice whose second sentence says parents may book online
    tells the programme, not its booking system — the one sentence is an aside. Counter-
    examples: the programme's booking system told in two sentences (新冠疫苗预约系统即日
    起全面开放 … 网站预约), and a headline whose clause names the booking system itself,
    stay relevant."""
    topic = parse_topic(HEALTH_IT_TOPIC)
    title = "卫生防护中心:季节性流感疫苗接种计划本月26日展开"
    notice = (
        "卫生防护中心宣布季节性流感疫苗接种计划,将于本月26日展开。"
        "今年新增多个接种地点,家长于下星期一起可透过网上预约系统为子女预约接种疫苗。"
    )
    match = topic.match(title, notice)
    assert passing_mention(match) and "接种计划" in aside(match, title, notice)
    assert not combine(match, 0.71, title=title, body=notice).relevant
    twice = (
        "新型冠状病毒疫苗预约系统,即日起全面开放予前线人员进行预约。"
        "市民可透过网站预约接种时段,系统会发出确认短信。"
    )
    told = topic.match("新型冠状病毒疫苗接种计划", twice)
    assert told.sentences == 2 and aside(told, "新型冠状病毒疫苗接种计划", twice) == []
    assert combine(told, 0.29, title="新型冠状病毒疫苗接种计划", body=twice).relevant
    assert subject_elsewhere("流感疫苗接种计划网上预约系统今起开放", "") == []
