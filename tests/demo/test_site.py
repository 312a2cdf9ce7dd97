"""The demo site over real loopback HTTP: every page, feed and listing answers and links
to pages that exist; the GBK outlet really is GBK; the pages carry the mess of real ones."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest
import trafilatura

from jianbao.demo.content import load_content
from jianbao.demo.site import (
    NANLING_RSS,
    DemoSite,
    article_path,
    article_url,
    demo_article_for_url,
    demo_routes,
    demo_sources,
)

#: loopback only: never through a proxy named in the environment
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url: str) -> tuple[int, str, bytes]:
    with _opener.open(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_every_route_answers_over_http(demo_site: DemoSite) -> None:
    assert len(demo_site.routes) >= 48 + 2 + 6
    for path in demo_site.routes:
        status, ctype, body = get(demo_site.url(path))
        assert status == 200, path
        assert body, path
        assert ctype.startswith(("text/", "application/")), path


def test_sources_are_feeds_and_government_listings(demo_site: DemoSite) -> None:
    specs = demo_sources(demo_site.base_url)
    names = [s.name for s in specs]
    assert len(set(names)) == len(names)
    kinds = {s.kind for s in specs}
    assert kinds == {"feed", "listing"}
    assert sum(s.kind == "listing" for s in specs) == 2
    for spec in specs:
        assert spec.url.startswith(demo_site.base_url + "/")
        assert spec.default_source_name


def test_feeds_parse_and_link_to_live_pages(demo_site: DemoSite) -> None:
    content = load_content()
    seen_outlets = set()
    for spec in demo_sources(demo_site.base_url):
        if spec.kind != "feed":
            continue
        _, ctype, body = get(spec.url)
        parsed = feedparser.parse(body, response_headers={"content-type": ctype})
        assert not parsed.bozo, (spec.name, parsed.get("bozo_exception"))
        assert parsed.entries, spec.name
        for entry in parsed.entries:
            assert entry.link.startswith(demo_site.base_url + "/"), entry.link
            assert get(entry.link)[0] == 200
            assert entry.get("published_parsed") is not None
        outlet_id = spec.url.split("/")[3]
        seen_outlets.add(outlet_id)
        if "健康" not in spec.name:
            assert len(parsed.entries) == len(content.of_outlet(outlet_id)), spec.name
    assert len(seen_outlets) == 5


def test_gbk_feed_decodes_to_chinese(demo_site: DemoSite) -> None:
    _, ctype, body = get(demo_site.url(NANLING_RSS))
    assert "gbk" in ctype.lower()
    parsed = feedparser.parse(body, response_headers={"content-type": ctype})
    titles = {a.title for a in load_content().of_outlet("nanling")}
    assert {e.title for e in parsed.entries} == titles


def test_listings_link_every_article_of_their_outlet(demo_site: DemoSite) -> None:
    content = load_content()
    xpaths = {
        "ul.gl_list li a": "//ul[@class='gl_list']/li/a",
        "ul.zxxx_list li a": "//ul[@class='zxxx_list']/li/a",
    }
    for spec in demo_sources(demo_site.base_url):
        if spec.kind != "listing":
            continue
        assert spec.link_selector in xpaths
        hrefs: list[str] = []
        page_url: str | None = spec.url
        for _ in range(spec.max_pages):
            if page_url is None:
                break
            _, _, body = get(page_url)
            doc = lxml.html.fromstring(body)
            hrefs += [
                urljoin(page_url, a.get("href")) for a in doc.xpath(xpaths[spec.link_selector])
            ]
            nxt = doc.xpath("//a[text()='下一页']/@href")
            page_url = urljoin(page_url, nxt[0]) if nxt else None
        assert page_url is None, f"{spec.name}: more pages than max_pages"
        outlet_id = spec.url.split("/")[3]
        expected = {article_url(demo_site.base_url, a) for a in content.of_outlet(outlet_id)}
        assert set(hrefs) == expected
        for href in hrefs:
            assert get(href)[0] == 200


def test_gbk_pages_are_really_gbk(demo_site: DemoSite) -> None:
    content = load_content()
    articles = content.of_outlet("nanling")
    assert articles
    for article in articles:
        _, ctype, body = get(article_url(demo_site.base_url, article))
        assert "charset=gbk" in ctype.lower()
        assert b'charset=gbk"' in body[:400]
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gb18030")
        assert article.title in text
        assert article.body[-1] in text
    # GBK, not GB2312: a reporter's name uses a character GB2312 lacks
    named = next(a for a in articles if a.author and "周喆" in a.author)
    page = get(article_url(demo_site.base_url, named))[2]
    assert "周喆".encode("gbk") in page
    with pytest.raises(UnicodeDecodeError):
        page.decode("gb2312")


def test_pages_carry_the_mess_of_real_sites() -> None:
    content = load_content()
    routes = demo_routes("http://127.0.0.1:9")

    def page(article_id: str) -> str:
        article = next(a for a in content.articles if a.id == article_id)
        outlet = content.outlets[article.outlet]
        return routes[article_path(outlet, article)].body.decode(outlet.encoding)

    drug = page("lh-new-drug")
    assert "(38.650, 1.25, 3.34%)" in drug
    assert "责任编辑" in drug and "扫一扫" in drug and "相关阅读" in drug
    earnings = page("qh-earnings")
    assert "华瑞智能</a>" in earnings and "(11.170, -0.09, -0.80%)" in earnings
    gov = page("dc-ehr-rating")
    assert "来源：东川省卫生健康委员会" in gov and "发布时间：2026-11-16 09:30" in gov
    assert "打印本页" in gov and "相关链接" in gov


def test_trafilatura_finds_the_body_of_every_page() -> None:
    content = load_content()
    routes = demo_routes("http://127.0.0.1:9")
    for article in content.articles:
        outlet = content.outlets[article.outlet]
        html = routes[article_path(outlet, article)].body.decode(outlet.encoding)
        lines = [line.strip() for line in (trafilatura.extract(html) or "").splitlines()]
        # every paragraph is found, and kept as its own line (tickers may sit inside it)
        kept = sum(1 for p in article.body if any(line.endswith(p[-15:]) for line in lines))
        assert kept == len(article.body), (article.id, lines[:5])


def test_urls_map_back_to_their_articles(demo_site: DemoSite) -> None:
    for article in load_content().articles:
        url = article_url(demo_site.base_url, article)
        assert demo_article_for_url(url) is article
        assert demo_article_for_url(url + "?utm_source=rss") is article
    assert demo_article_for_url(demo_site.url("/no/such/page.html")) is None


def test_feeds_and_listings_answer_conditional_gets(demo_site: DemoSite) -> None:
    for spec in demo_sources(demo_site.base_url):
        with _opener.open(spec.url, timeout=5) as response:
            etag = response.headers["ETag"]
        assert etag, spec.name
        request = urllib.request.Request(spec.url, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as caught:
            _opener.open(request, timeout=5)
        assert caught.value.code == 304


def test_government_pages_name_their_charset_only_in_meta(demo_site: DemoSite) -> None:
    article = load_content().of_outlet("dcwjw")[0]
    _, ctype, body = get(article_url(demo_site.base_url, article))
    assert ctype == "text/html"
    assert b'content="text/html; charset=utf-8"' in body[:600]
