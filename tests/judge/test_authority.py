from dataclasses import dataclass
from datetime import datetime

import pytest

from jianbao.judge.authority import (
    CENTRAL_MEDIA,
    DEFAULT_RULES,
    GOVERNMENT,
    OTHER,
    AuthorityRules,
    authority_rules,
    authority_tier,
    choose_representative,
)
from jianbao.records import SHANGHAI


@dataclass
class Item:
    url: str
    source_name: str | None
    published_at: datetime | None
    body: str


def test_tiers_by_domain_and_name():
    assert authority_tier("http://www.nhc.gov.cn/x.html", None) == GOVERNMENT
    assert authority_tier("https://example.com/a", "北京市卫生健康委员会") == GOVERNMENT
    assert authority_tier("https://example.com/a", "北京市卫健委") == GOVERNMENT
    assert authority_tier("http://www.news.cn/a", None) == CENTRAL_MEDIA
    assert authority_tier("https://x.com/a", "人民日报") == CENTRAL_MEDIA
    assert authority_tier("https://www.cn-healthcare.com/a", "健康界") == OTHER
    assert authority_tier("not a url", None) == OTHER
    # a look-alike host is not the domain
    assert authority_tier("http://fakegov.cn.evil.com/", None) == OTHER


def test_rules_are_configurable():
    rules = AuthorityRules(central_media_domains=("cn-healthcare.com",))
    assert authority_tier("https://www.cn-healthcare.com/a", None, rules) == CENTRAL_MEDIA


def test_representative_authority_then_earliest_then_longest():
    early = datetime(2023, 10, 16, 8, tzinfo=SHANGHAI)
    late = datetime(2023, 10, 16, 12, tzinfo=SHANGHAI)
    portal = Item("https://news.example.com/1", "某门户", early, "长" * 900)
    gov = Item("http://www.nhc.gov.cn/1", "国家卫生健康委", late, "短")
    media_late = Item("http://www.news.cn/1", "新华网", late, "长" * 900)
    media_early = Item("http://www.people.com.cn/1", "人民网", early, "短")
    assert choose_representative([portal, media_late, gov]) is gov
    assert choose_representative([portal, media_late, media_early]) is media_early
    longer = Item("http://www.news.cn/2", "新华网", early, "长" * 1000)
    assert choose_representative([media_early, longer]) is longer
    undated = Item("http://www.news.cn/3", "新华网", None, "长" * 5000)
    assert choose_representative([undated, media_late]) is media_late
    with pytest.raises(ValueError):
        choose_representative([])


def test_a_publication_adds_its_own_sites_and_outlets() -> None:
    rules = authority_rules(
        {"government_domains": ["wsjkw.example.cn"], "central_media_names": ["医信观察"]}
    )
    assert authority_tier("https://wsjkw.example.cn/x.html", "某网", rules) == GOVERNMENT
    assert authority_tier("https://m.example.com/y", "医信观察网", rules) == CENTRAL_MEDIA
    # the defaults stay
    assert authority_tier("https://www.nhc.gov.cn/z", None, rules) == GOVERNMENT
    assert authority_tier("https://wsjkw.example.cn/x.html", "某网") == OTHER
    assert authority_rules({}) is DEFAULT_RULES
    with pytest.raises(ValueError, match="unknown authority list government_sites"):
        authority_rules({"government_sites": ["x"]})
