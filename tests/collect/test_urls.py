"""URL canonicalization and site comparison."""

from __future__ import annotations

import pytest

from jianbao.collect.urls import canonicalize_url, same_site, site_of, trusted_canonical


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.NHC.GOV.CN/xcs/a.shtml#top", "http://www.nhc.gov.cn/xcs/a.shtml"),
        ("http://www.nhc.gov.cn:80/a.shtml", "http://www.nhc.gov.cn/a.shtml"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://a.com/x?b=2&a=1", "https://a.com/x?a=1&b=2"),
        (
            "https://a.com/x?id=5&utm_source=wx&utm_medium=social&spm=1.2.3&from=timeline",
            "https://a.com/x?id=5",
        ),
        ("https://a.com/x?scene=1&srcid=0315&share_token=abc&fbclid=z", "https://a.com/x"),
        ("  https://a.com/x  ", "https://a.com/x"),
        ("https://a.com/中文/页.html", "https://a.com/%E4%B8%AD%E6%96%87/%E9%A1%B5.html"),
    ],
)
def test_canonical_spellings(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


def test_wechat_article_keeps_only_identifying_parameters() -> None:
    long = (
        "http://mp.weixin.qq.com/s?__biz=MzA5NzQ0ODIxMA==&mid=2650&idx=1&sn=abc123"
        "&chksm=8b5e&scene=21&sessionid=99&pass_ticket=xyz#wechat_redirect"
    )
    short = "https://mp.weixin.qq.com/s?sn=abc123&idx=1&mid=2650&__biz=MzA5NzQ0ODIxMA%3D%3D"
    assert canonicalize_url(long) == canonicalize_url(short)
    assert canonicalize_url(long).startswith("https://mp.weixin.qq.com/s?__biz=")
    for gone in ("chksm", "scene", "sessionid", "pass_ticket", "wechat_redirect"):
        assert gone not in canonicalize_url(long)


def test_two_wechat_articles_stay_apart() -> None:
    a = "https://mp.weixin.qq.com/s?__biz=AAA&mid=1&idx=1&sn=x"
    b = "https://mp.weixin.qq.com/s?__biz=AAA&mid=1&idx=2&sn=y"
    assert canonicalize_url(a) != canonicalize_url(b)


def test_wechat_short_link_kept_as_is() -> None:
    url = "https://mp.weixin.qq.com/s/AbC-dEf_123xyz"
    assert canonicalize_url(url + "?scene=1#rd") == url


def test_non_http_and_garbage_are_returned_stripped() -> None:
    assert canonicalize_url(" mailto:a@b.c ") == "mailto:a@b.c"
    assert canonicalize_url("not a url") == "not a url"
    assert canonicalize_url("http://[broken") == "http://[broken"


def test_canonicalization_is_idempotent() -> None:
    for url in (
        "https://a.com/x?b=2&a=1&utm_x=1",
        "http://mp.weixin.qq.com/s?__biz=Mz==&mid=1&idx=1&sn=q&scene=3",
        "https://a.com/a b?q=中 文",
    ):
        once = canonicalize_url(url)
        assert canonicalize_url(once) == once


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("http://www.nhc.gov.cn/a", "http://nhc.gov.cn/b", True),
        ("http://www.nhc.gov.cn/a", "http://www.gov.cn/b", False),
        ("https://news.sina.com.cn/a", "https://finance.sina.com.cn/b", True),
        ("https://wjw.beijing.gov.cn/a", "https://wjw.shanghai.gov.cn/b", False),
        ("https://health.people.com.cn/a", "https://www.people.com.cn/b", True),
        ("https://a.example.com/", "https://b.example.com/", True),
        ("https://example.com/", "https://example.org/", False),
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8001/b", True),
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/b", False),
        ("mailto:x@y.z", "mailto:x@y.z", False),
    ],
)
def test_same_site(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same


def test_site_of_provincial_domain() -> None:
    assert site_of("http://www.wsjkw.bj.cn/x") == "wsjkw.bj.cn"


PAGE = "http://www.example.com.cn/news/2026/12/a.html"


@pytest.mark.parametrize(
    ("claimed", "kept"),
    [
        ("https://www.example.com.cn/news/2026/12/a.html", True),  # its https spelling
        ("https://m.example.com.cn/news/2026/12/a.html", True),  # another host of the site
        ("https://www.example.com.cn/a/12345", True),  # another path for the article
        ("http://www.example.com.cn/?p=123", True),  # a query names one page
        ("https://www.example.com.cn/", False),  # the home page
        ("https://www.example.com.cn", False),
        ("http://www.example.com.cn/news/", False),  # the channel: a folder above the page
        ("http://www.example.com.cn/news/2026/12", False),
        ("https://other.example.org/news/2026/12/a.html", False),  # another site
        ("ftp://www.example.com.cn/news/2026/12/a.html", False),
        ("", False),
        (None, False),
    ],
)
def test_a_claimed_canonical_is_trusted_only_as_the_pages_own_address(
    claimed: str | None, kept: bool
) -> None:
    assert trusted_canonical(claimed, PAGE) == (claimed if kept else PAGE)


def test_an_amp_copy_may_name_the_page_it_copies() -> None:
    amp = "https://www.example.com.cn/news/2026/12/story/amp"
    assert trusted_canonical("https://www.example.com.cn/news/2026/12/story", amp).endswith(
        "/story"
    )
