"""The bundled demo site: seven fictional outlets served over loopback HTTP.

Every page is built from ``articles.yaml`` and the templates in ``templates/``, in the
style of the kind of site it imitates — a provincial health commission's TRS-like pages
with a listing and no feed, a national portal, two news portals with RSS/Atom, stock
tickers and editor credits spliced into the text, an old table-layout portal whose bytes
really are GBK, an industry site with an Atom feed and a local paper's e-paper pages — so
that the pipeline has the same mess to clean as on real sites. The port is only known
once the server is bound, so every builder takes the site's ``base_url``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from xml.sax.saxutils import escape

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from jianbao.demo.content import (
    DEMO_ISSUE_DATE,
    DemoArticle,
    DemoContent,
    DemoOutlet,
    expected_daily_story_keys,
    expected_monthly_story_keys,
    expected_weekly_story_keys,
    informatics_story_keys,
    load_content,
    republished_stories,
)
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route

__all__ = [
    "DEMO_ISSUE_DATE",
    "ArticleRef",
    "DemoSite",
    "article_path",
    "article_url",
    "demo_article_for_url",
    "demo_routes",
    "demo_sources",
    "expected_daily_story_keys",
    "expected_monthly_story_keys",
    "expected_weekly_story_keys",
    "informatics_story_keys",
    "republished_stories",
    "serve_demo",
]

HTML_UTF8 = "text/html; charset=utf-8"

#: listing pages and feeds, by path (the sources the demo registers)
DCWJW_LISTING = "/dcwjw/xxgk/gzdt/index.html"
GJJKJ_LISTING = "/gjjkj/zwgk/gzdt/index.shtml"
LANHAI_RSS = "/lanhai/rss/news.xml"
LANHAI_ATOM = "/lanhai/rss/health.atom"
QINGHE_RSS = "/qinghe/rss/all.xml"
NANLING_RSS = "/nanling/rss/news.xml"
YIXIN_ATOM = "/yixin/feed/atom.xml"
YUNZHOU_RSS = "/yunzhou/rss/yzxw.xml"

_EDITORS = ("张晓燕", "李文博", "王一鸣", "刘思齐", "陈静怡", "赵海峰", "孙悦", "周子健")
_TICKER_STYLES = {"portal_lanhai", "portal_qinghe", "gbk_portal"}
_env = Environment(
    loader=PackageLoader("jianbao.demo", "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def article_path(outlet: DemoOutlet, article: DemoArticle) -> str:
    """The path of an article page, in the URL style of its outlet."""
    p = article.published
    n = article.number
    if outlet.style == "gov_province":
        return f"/dcwjw/xxgk/gzdt/{p:%Y%m}/t{p:%Y%m%d}_{n}.html"
    if outlet.style == "gov_national":
        return f"/gjjkj/zwgk/gzdt/{p:%Y%m}/{article.guid}.shtml"
    if outlet.style == "portal_lanhai":
        return f"/lanhai/news/{p:%Y-%m}/{p:%d}/c_{n}.htm"
    if outlet.style == "portal_qinghe":
        return f"/qinghe/a/{p:%Y%m%d}/{n}.shtml"
    if outlet.style == "gbk_portal":
        return f"/nanling/html/{p:%Y}/{p:%m%d}/{n}.shtml"
    if outlet.style == "industry":
        return f"/yixin/article/{n}.html"
    if outlet.style == "local":
        return f"/yunzhou/content/{p:%Y-%m}/{p:%d}/content_{n}.htm"
    raise ValueError(f"演示媒体 {outlet.id} 的页面样式未知：{outlet.style}")


def article_url(base_url: str, article: DemoArticle) -> str:
    content = load_content()
    return base_url.rstrip("/") + article_path(content.outlets[article.outlet], article)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article as other pages link to it (sidebars, listings, feeds)."""

    article: DemoArticle
    path: str
    title: str
    date: str
    relpath: str


def _ref(content: DemoContent, article: DemoArticle) -> ArticleRef:
    path = article_path(content.outlets[article.outlet], article)
    relpath = path.rsplit("/", 2)[-2] + "/" + path.rsplit("/", 1)[-1]
    return ArticleRef(article, path, article.title, f"{article.published:%Y-%m-%d}", relpath)


def _ticker(price: float, change: float) -> str:
    percent = change / (price - change) * 100
    return f"({price:.3f}, {change:.2f}, {percent:.2f}%)"


def _paragraphs(content: DemoContent, outlet: DemoOutlet, article: DemoArticle) -> list[Markup]:
    """The body as HTML paragraphs; portals splice a stock quote after the first mention
    of each listed company, the way real portals do."""
    quoted: set[str] = set()
    out: list[Markup] = []
    for text in article.body:
        html = Markup.escape(text)
        if outlet.style in _TICKER_STYLES:
            for name, (price, change) in content.tickers.items():
                if name in quoted or name not in text:
                    continue
                quoted.add(name)
                code = hashlib.md5(name.encode("utf-8")).hexdigest()[:6]
                quote = (
                    f'<a href="/{outlet.id}/quote/{code}" class="stock_link">{name}</a>'
                    f'<span class="stock_quote" id="quote_{code}">{_ticker(price, change)}</span>'
                )
                html = Markup(str(html).replace(name, quote, 1))
        out.append(html)
    return out


def _channel(outlet: DemoOutlet, article: DemoArticle) -> tuple[str, str]:
    if outlet.style == "industry":
        return ("医院信息化", "yiyuan")
    if article.kind in ("informatics", "health"):
        return ("健康", "health")
    return ("新闻", "news")


def _keywords(article: DemoArticle) -> list[str]:
    return {
        "informatics": ["数字健康", "医疗服务"],
        "health": ["健康", "医疗"],
        "other": ["东川", "民生"],
    }[article.kind]


def _article_page(
    content: DemoContent, outlet: DemoOutlet, article: DemoArticle, base_url: str
) -> bytes:
    """One article page with its outlet's chrome: sidebars of the outlet's other articles
    (with their dates, to tempt a date extractor), editor credits, counters and widgets."""
    mine = content.of_outlet(outlet.id)
    index = mine.index(article)
    others = [a for a in mine if a is not article]
    related = sorted(others, key=lambda a: abs((a.published - article.published).total_seconds()))
    n = article.number
    channel, channel_path = _channel(outlet, article)
    prev = _ref(content, mine[index + 1]) if index + 1 < len(mine) else None
    nxt = _ref(content, mine[index - 1]) if index > 0 else None
    html = _env.get_template(f"{outlet.style}_article.html").render(
        outlet=outlet,
        a=article,
        url=base_url + article_path(outlet, article),
        paras=_paragraphs(content, outlet, article),
        related=[_ref(content, a) for a in related[:5]],
        hot=[_ref(content, a) for a in others[:4]],
        prev=prev,
        next=nxt,
        hits=100 + n % 4000,
        comments=n % 97,
        editor=_EDITORS[n % len(_EDITORS)],
        reviewer=_EDITORS[(n // 7) % len(_EDITORS)],
        channel=channel,
        channel_path=channel_path,
        keywords=_keywords(article),
        paper="云州日报",
        page_no=f"{1 + n % 8:02d}",
        page_name=("要闻", "综合", "民生", "城事")[n % 4],
    )
    return html.encode(outlet.encoding)


def _listing_pages(content: DemoContent, outlet: DemoOutlet, per_page: int) -> list[bytes]:
    """The outlet's listing, newest first, split into pages of ``per_page`` items."""
    refs = [_ref(content, a) for a in content.of_outlet(outlet.id)]
    chunks = [refs[i : i + per_page] for i in range(0, len(refs), per_page)] or [[]]
    template = _env.get_template(f"{outlet.style}_listing.html")
    return [
        template.render(
            outlet=outlet, items=items, page=i, pages=len(chunks), total=len(refs)
        ).encode(outlet.encoding)
        for i, items in enumerate(chunks)
    ]


# -- feeds ------------------------------------------------------------------------------------


def _rss(
    base_url: str,
    title: str,
    home: str,
    articles: list[DemoArticle],
    *,
    encoding: str = "utf-8",
    gmt: bool = False,
    full_text: bool = False,
    link_suffix: str = "",
) -> bytes:
    """An RSS 2.0 feed. ``gmt`` writes dates in GMT (as some CMSs do) instead of +0800;
    ``full_text`` adds content:encoded with the article's HTML, editor credit included;
    ``link_suffix`` appends tracking parameters to the item links, as portals do."""
    content = load_content()
    items: list[str] = []
    for a in articles:
        url = article_url(base_url, a) + link_suffix
        when = a.published.astimezone(UTC) if gmt else a.published
        parts = [
            f"<title>{escape(a.title)}</title>",
            f"<link>{escape(url)}</link>",
            f'<guid isPermaLink="true">{escape(url)}</guid>',
            f"<pubDate>{format_datetime(when, usegmt=gmt)}</pubDate>",
            f"<description>{escape(a.body[0])}</description>",
            f'<source url="{escape(base_url + home)}">{escape(a.source)}</source>',
        ]
        if a.author:
            parts.append(f"<author>{escape(a.author)}</author>")
        if full_text:
            paras = _paragraphs(content, content.outlets[a.outlet], a)
            body = "".join(f"<p>{p}</p>" for p in paras)
            body += f"<p>（责任编辑：{_EDITORS[a.number % len(_EDITORS)]}）</p>"
            parts.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
        items.append("<item>" + "".join(parts) + "</item>")
    latest = max((a.published for a in articles), default=datetime(2026, 11, 20, tzinfo=UTC))
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        "<channel>\n"
        f"<title>{escape(title)}</title>\n<link>{escape(base_url + home)}</link>\n"
        f"<description>{escape(title)}（演示用虚构媒体）</description>\n"
        "<language>zh-cn</language>\n"
        f"<lastBuildDate>{format_datetime(latest)}</lastBuildDate>\n"
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )
    return xml.encode(encoding)


def _atom(
    base_url: str, title: str, self_path: str, home: str, articles: list[DemoArticle], author: str
) -> bytes:
    entries: list[str] = []
    for a in articles:
        url = article_url(base_url, a)
        stamp = a.published.isoformat()
        entries.append(
            "<entry>"
            f"<title>{escape(a.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{escape(url)}"/>'
            f"<id>tag:demo.jianbao,2026:{a.outlet}:{a.number}</id>"
            f"<published>{stamp}</published><updated>{stamp}</updated>"
            f"<author><name>{escape(a.author or author)}</name></author>"
            f"<summary>{escape(a.body[0])}</summary>"
            "</entry>"
        )
    updated = max((a.published for a in articles), default=datetime(2026, 11, 20, tzinfo=UTC))
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="self" href="{escape(base_url + self_path)}"/>\n'
        f'<link rel="alternate" type="text/html" href="{escape(base_url + home)}"/>\n'
        f"<id>{escape(base_url + self_path)}</id>\n"
        f"<updated>{updated.isoformat()}</updated>\n" + "\n".join(entries) + "\n</feed>\n"
    )
    return xml.encode("utf-8")


def demo_article_for_url(url: str) -> DemoArticle | None:
    """The demo article a URL (on any demo server) points at, or None: lets tests map
    what the pipeline stored back to the story it belongs to."""
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
    path = path.split("?", 1)[0].split("#", 1)[0]
    return _articles_by_path().get(path)


@cache
def _articles_by_path() -> dict[str, DemoArticle]:
    content = load_content()
    return {article_path(content.outlets[a.outlet], a): a for a in content.articles}


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


# -- public builders ----------------------------------------------------------------------------


def demo_routes(base_url: str) -> dict[str, Route]:
    """Every page of the demo site, keyed by path: articles, listings, feeds, a home page."""
    base_url = base_url.rstrip("/")
    content = load_content()
    routes: dict[str, Route] = {}
    for article in content.articles:
        outlet = content.outlets[article.outlet]
        body = _article_page(content, outlet, article, base_url)
        # the provincial site, like many government servers, names no charset in the
        # header: only its <meta http-equiv> says utf-8
        ctype = (
            "text/html"
            if outlet.style == "gov_province"
            else f"text/html; charset={outlet.encoding}"
        )
        modified = format_datetime(article.published.astimezone(UTC), usegmt=True)
        routes[article_path(outlet, article)] = Route(
            body, content_type=ctype, headers={"Last-Modified": modified}
        )

    def feed(path: str, body: bytes, ctype: str) -> None:
        routes[path] = Route(body, content_type=ctype, etag=_etag(body))

    # the provincial listing shows seven items a page, like a TRS column: the October
    # article is on the second page (index_1.html), reached by its 下一页 link
    for i, page in enumerate(_listing_pages(content, content.outlets["dcwjw"], 7)):
        feed(
            DCWJW_LISTING.replace("index.html", f"index_{i}.html" if i else "index.html"),
            page,
            HTML_UTF8,
        )
    (page,) = _listing_pages(content, content.outlets["gjjkj"], 20)
    feed(GJJKJ_LISTING, page, HTML_UTF8)

    lanhai = content.of_outlet("lanhai")
    feed(
        LANHAI_RSS,
        _rss(base_url, "澜海新闻网", "/lanhai/", lanhai),
        "application/rss+xml; charset=utf-8",
    )
    health = [a for a in lanhai if a.kind != "other"]
    feed(
        LANHAI_ATOM,
        _atom(
            base_url, "澜海新闻网·健康频道", LANHAI_ATOM, "/lanhai/health/", health, "澜海新闻网"
        ),
        "application/atom+xml; charset=utf-8",
    )
    feed(
        QINGHE_RSS,
        _rss(
            base_url,
            "青禾网-滚动新闻",
            "/qinghe/",
            content.of_outlet("qinghe"),
            full_text=True,
            link_suffix="?utm_source=rss&utm_medium=feed",
        ),
        "application/rss+xml; charset=utf-8",
    )
    feed(
        NANLING_RSS,
        _rss(
            base_url,
            "南岭在线-新闻中心",
            "/nanling/news/",
            content.of_outlet("nanling"),
            encoding="gbk",
        ),
        "text/xml; charset=gbk",
    )
    feed(
        YIXIN_ATOM,
        _atom(
            base_url, "医信观察网", YIXIN_ATOM, "/yixin/", content.of_outlet("yixin"), "医信观察网"
        ),
        "application/atom+xml; charset=utf-8",
    )
    feed(
        YUNZHOU_RSS,
        _rss(
            base_url,
            "云州新闻网-云州新闻",
            "/yunzhou/yzxw/",
            content.of_outlet("yunzhou"),
            gmt=True,
        ),
        "application/rss+xml; charset=utf-8",
    )

    index = _env.get_template("index.html").render(sources=demo_sources(base_url))
    routes["/"] = Route(index.encode("utf-8"), content_type=HTML_UTF8)
    return routes


def demo_sources(base_url: str) -> list[SourceSpec]:
    """The sources the demo registers: two government listing pages and six feeds."""
    base_url = base_url.rstrip("/")
    return [
        SourceSpec(
            name="东川省卫生健康委员会·工作动态",
            url=base_url + DCWJW_LISTING,
            kind="listing",
            link_selector="ul.gl_list li a",
            max_pages=2,
            default_source_name="东川省卫生健康委员会",
        ),
        SourceSpec(
            name="国家健康事务局·工作动态",
            url=base_url + GJJKJ_LISTING,
            kind="listing",
            link_selector="ul.zxxx_list li a",
            default_source_name="国家健康事务局",
        ),
        SourceSpec("澜海新闻网", base_url + LANHAI_RSS, default_source_name="澜海新闻网"),
        SourceSpec("澜海新闻网·健康频道", base_url + LANHAI_ATOM, default_source_name="澜海新闻网"),
        SourceSpec("青禾网", base_url + QINGHE_RSS, default_source_name="青禾网"),
        SourceSpec("南岭在线", base_url + NANLING_RSS, default_source_name="南岭在线"),
        SourceSpec("医信观察网", base_url + YIXIN_ATOM, default_source_name="医信观察网"),
        SourceSpec("云州新闻网", base_url + YUNZHOU_RSS, default_source_name="云州日报"),
    ]


class DemoSite(LoopbackSite):
    """The demo site on a free loopback port, its routes built for its own base URL.

    Not started on construction: use it as a context manager (``with DemoSite() as
    site:``) or call ``start()``.
    """

    def __init__(self, port: int = 0):
        super().__init__(port=port)
        self.routes.update(demo_routes(self.base_url))

    def start(self) -> DemoSite:
        super().start()
        return self

    def __enter__(self) -> DemoSite:
        return self.start()


def serve_demo(port: int = 0) -> DemoSite:
    """The demo site, bound but not yet serving: ``with serve_demo() as site: …``."""
    return DemoSite(port=port)
