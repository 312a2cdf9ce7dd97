from jianbao.judge.tokenize import DOMAIN_TERMS, add_terms, tokenize


def test_domain_terms_stay_whole():
    tokens = tokenize("国家卫生健康委推进全民健康信息平台互联互通，加快电子病历和互联网医院建设。")
    for term in ("全民健康信息平台", "互联互通", "电子病历", "互联网医院"):
        assert term in tokens


def test_every_domain_term_is_one_token():
    for term in DOMAIN_TERMS:
        assert tokenize(term) == [term.lower()], term


def test_punctuation_and_space_dropped_latin_lowered():
    assert tokenize("AI 大模型，赋能！") == ["ai", "大模型", "赋能"]
    assert tokenize("") == []
    assert tokenize("  ，。") == []


def test_add_terms_teaches_new_words():
    assert "数智赋能中心" not in tokenize("建设数智赋能中心")
    add_terms(["数智赋能中心", " "])
    assert "数智赋能中心" in tokenize("建设数智赋能中心")
