import pytest
from hypothesis import given
from hypothesis import strategies as st

from jianbao.config import DEFAULT_TOPIC
from jianbao.errors import TopicSyntaxError
from jianbao.judge.topic import parse_topic


def test_default_topic_parses_and_matches_informatics():
    topic = parse_topic(DEFAULT_TOPIC)
    hit = topic.match("某医院上线互联网医院", "该院推进电子病历系统建设。")
    assert hit.matched
    assert set(hit.terms) >= {"互联网医院", "电子病历"}
    assert 0 < hit.score < 1


def test_default_topic_rejects_general_health_news():
    topic = parse_topic(DEFAULT_TOPIC)
    miss = topic.match("北京新增7例确诊病例", "截至1月30日20时，北京累计确诊病例121例，均已送医。")
    assert not miss.matched
    assert miss.score == 0.0
    assert miss.terms == []


def test_title_weighs_more_than_body():
    topic = parse_topic("电子病历")
    in_title = topic.match("推进电子病历", "全文没有别的")
    in_body = topic.match("推进建设", "推进电子病历")
    assert in_title.score > in_body.score > 0


def test_boolean_operators_and_precedence():
    topic = parse_topic("人工智能 AND (医院 OR 诊疗) NOT 招聘")
    assert topic.match("人工智能进医院", "").matched
    assert not topic.match("人工智能进学校", "").matched
    assert not topic.match("人工智能医院招聘", "").matched
    assert topic.match("", "人工智能辅助诊疗").terms == ["人工智能", "诊疗"]


def test_implicit_and_and_chinese_operators():
    assert parse_topic("医保 信息平台").match("医保信息平台上线", "").matched
    assert not parse_topic("医保 信息平台").match("医保改革", "").matched
    topic = parse_topic("医保 或 远程医疗 不含 广告")
    assert topic.match("远程医疗", "").matched
    assert not topic.match("远程医疗广告", "").matched


def test_quoted_phrase_keeps_spaces_and_latin_is_case_insensitive():
    topic = parse_topic('"Health IT" OR ＡＩ')
    assert topic.match("", "the health it market").matched
    assert topic.match("ai helps", "").matched
    assert topic.match("", "“智慧 医院”").terms == []


def test_near_counts_characters_between_terms():
    topic = parse_topic("互联网医院 NEAR/5 监管")
    assert topic.match("", "互联网医院加强监管").matched
    assert topic.match("", "监管互联网医院").matched
    assert not topic.match("", "互联网医院的事情很多很多很多，加强监管").matched
    # the two terms must be near each other inside the same field
    assert not topic.match("互联网医院", "监管").matched


def test_terms_under_not_are_not_positive():
    topic = parse_topic("电子病历 NOT (广告 OR 招聘)")
    assert topic.terms == ["电子病历"]


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        ("", 0),
        ("电子病历 AND", 8),
        ("(电子病历 OR 医保", 0),
        ("电子病历 )", 5),
        ('"电子病历', 0),
        ("OR 电子病历", 0),
        ("电子病历 NEAR 医保", 5),
        ("(电子病历 AND 医保) NEAR/5 平台", 14),
        ("()", 0),
        ('""', 0),
        ("a NEAR/3 b NEAR/3 c", 11),
    ],
)
def test_syntax_errors_carry_the_position(expression, position):
    with pytest.raises(TopicSyntaxError) as caught:
        parse_topic(expression)
    assert caught.value.position == position
    assert f"第 {position + 1} 个字符" in str(caught.value)


@given(st.text(alphabet='ab医"() NOTANDOR/5', max_size=30))
def test_parser_never_fails_otherwise(expression):
    try:
        topic = parse_topic(expression)
    except TopicSyntaxError as exc:
        assert 0 <= exc.position <= len(expression)
    else:
        topic.match("ab医", "a b 医")


def test_latin_terms_match_whole_words_only():
    topic = parse_topic("AI OR 5G OR Windows")
    assert topic.match("AI辅助诊断", "").terms == ["AI"]
    assert topic.match("", "the new AI model").matched
    assert not topic.match("", "The minister said the plan is again on schedule.").matched
    assert not topic.match("", "套餐含15G流量").matched
    assert topic.match("", "5G网络覆盖医院").terms == ["5G"]
    assert topic.match("", "卫生厅电脑仍在用Windows7").terms == ["Windows"]


def test_headline_and_body_sentences_tell_how_strong_a_match_is():
    topic = parse_topic('"电子病历" OR ("人工智能" NEAR/10 "医院")')
    body_once = topic.match("医院动态", "医院推进电子病历建设。医院新增床位。")
    assert body_once.matched and not body_once.headline and body_once.sentences == 1
    body_twice = topic.match("医院动态", "医院推进电子病历建设。电子病历实现共享！")
    assert body_twice.sentences == 2 and body_twice.score > body_once.score
    headline = topic.match("电子病历系统上线", "")
    assert headline.headline and headline.sentences == 0
    assert headline.score > body_once.score
    # the context of a NEAR pair is shown but not counted: 医院 in every sentence does
    # not make one 人工智能 several
    pair = topic.match("", "医院引进人工智能。医院扩建病房。医院招聘护士。")
    assert pair.sentences == 1
    assert pair.terms == ["人工智能", "医院"]


def test_masks_leave_out_occurrences_inside_longer_phrases():
    topic = parse_topic('"信息化" NEAR/10 "医院"', masks={"信息化": "工业和信息化"})
    assert not topic.match("", "工业和信息化部向医院调拨物资").matched
    assert topic.match("", "工业和信息化部表示，医院信息化水平提升").matched
    unmasked = parse_topic('"信息化" NEAR/10 "医院"', masks={})
    assert unmasked.match("", "工业和信息化部向医院调拨物资").matched


def test_health_as_one_of_many_trades_is_not_a_health_context():
    topic = parse_topic('"人工智能" NEAR/10 "医疗"')
    assert not topic.match("", "人工智能赋能医疗、教育、交通等行业").matched
    assert not topic.match("", "人工智能在金融、教育和医疗领域落地").matched
    assert topic.match("", "人工智能辅助医疗诊断，提升基层医疗水平").matched


@given(
    st.lists(st.text(alphabet="医疗信息化智慧", min_size=1, max_size=4), min_size=1, max_size=6),
    st.text(alphabet="医疗信息化智慧，。", max_size=40),
)
def test_the_one_pass_scan_finds_every_term_a_substring_test_finds(terms, text):
    expression = " OR ".join(f'"{t}"' for t in terms)
    found = parse_topic(expression, masks={}).match("", text).terms
    assert set(found) == {t for t in terms if t in text}


def test_near_joins_groups_of_alternatives():
    topic = parse_topic("(人工智能 OR 大数据) NEAR/5 (医院 OR 患者)")
    hit = topic.match("", "医院引入人工智能，患者数据进入大数据平台。")
    assert hit.matched and hit.terms == ["人工智能", "大数据", "医院", "患者"]
    assert not topic.match("", "人工智能芯片发布。很多很多很多很多医院").matched
    assert topic.terms == ["人工智能", "大数据", "医院", "患者"]
    with pytest.raises(TopicSyntaxError, match="括号中用 OR 连接"):
        parse_topic("(人工智能 AND 大数据) NEAR/5 医院")
