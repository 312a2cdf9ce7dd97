"""Reading feeds: RSS 0.9x/1.0/2.0, Atom, CDF (through feedparser) and JSON Feed.

Real feeds are broken in every way — truncated, mislabelled, HTML in titles, items
without links or dates, the same GUID twice — and one broken feed must never stop a
cycle. ``parse_feed`` therefore returns whatever usable items it finds and raises
``ParseError`` only when the document is not a feed at all (an HTML page, a 404 page, an
empty body); it raises nothing else, whatever the bytes.

Feeds from RSS bridges (RSSHub, WeWe RSS, Wechat2RSS) often carry only a title and a link;
the pipeline then fetches the article page for the text. Dates without a zone are read
as Asia/Shanghai (see ``jianbao.collect.dates``).
"""

from __future__ import annotations

import calendar
import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from jianbao.collect.dates import parse_datetime, plausible, to_shanghai
from jianbao.collect.urls import canonicalize_url
from jianbao.collect.xmlhead import FEED_ROOTS, root_name, starts_as_html
from jianbao.errors import ParseError, excerpt
from jianbao.extract.decoding import decode_html
from jianbao.records import Link

# Each pattern below is linear in its input: no repeated group of alternatives, and no
# run that can cross the next "<" (so a body of "<a<a<a…" or "<link <link…" is read once,
# not once per "<").
_TAG = re.compile(r"<[^<>]+>")
_SPACE = re.compile(r"\s+")
_LINK_TAG = re.compile(r"<link\b[^<>]*>", re.I)
_FEED_TYPE = re.compile(r"\btype\s*=\s*[\"']application/(?:rss|atom)\+xml[\"']", re.I)
_XML_DECL_ENCODING = re.compile(r"(<\?xml[^<>]*encoding\s*=\s*[\"'])[^\"']*([\"'])", re.I)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?[^;\s\"']*[\"']?", re.I)
_HREF = re.compile(r"href\s*=\s*[\"']([^\"']+)[\"']", re.I)
#: an RSS ``<link>`` with attributes and an http address as its text (Bluesky's bridge
#: writes ``<link uri="at://…">https://bsky.app/…</link>``): feedparser reads the attribute
_RSS_LINK_WITH_ATTRIBUTES = re.compile(
    rb"<link\s[^<>]*(?<!/)>(\s*https?://[^<>\s]+\s*)</link>", re.I
)


@dataclass
class FeedResult:
    """What a feed yielded: its title, its site link and one Link per usable item."""

    title: str | None
    links: list[Link]
    site_url: str | None = None
    #: "rss20", "atom10", "rss10", "json1"…; empty when unknown
    format: str = ""
    #: items dropped for want of a usable link, or as duplicates
    skipped: int = 0
    #: why the feed is not well-formed, when it is not (it was read anyway)
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> FeedResult:
    """Read a feed document fetched from ``url``.

    Raises ParseError when the document is not a feed at all; never anything else.
    """
    try:
        return _parse(body, url, content_type)
    except ParseError:
        raise
    except Exception as exc:  # the promise: a broken feed never raises anything else
        raise ParseError(
            f"无法解析订阅源：{type(exc).__name__}",
            item=url,
            hint="该订阅源内容严重损坏；检查网址，或改用 listing 类型抓取网页",
        ) from exc


def _parse(body: bytes, url: str, content_type: str | None) -> FeedResult:
    if not body or not body.strip():
        raise ParseError("订阅源内容为空", item=url, hint="检查网址是否仍是订阅源（feed）地址")
    if _looks_json(body, content_type):
        return _parse_json_feed(body, url)
    body, content_type = _as_utf8(body, content_type)
    body = _rss_link_text(body)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version and not entries and root_name(body[:4096]) not in FEED_ROOTS:
        raise _not_a_feed(body, url)
    if not version and starts_as_html(body[:2048]):
        raise _not_a_feed(body, url)
    feed = parsed.get("feed") or {}
    title = _text(feed.get("title"))
    result = FeedResult(
        title=title or None,
        links=[],
        site_url=_absolute(url, feed.get("link")),
        format=version,
        problem=(excerpt(str(parsed.get("bozo_exception") or "")) or None)
        if parsed.get("bozo")
        else None,
    )
    seen_urls: set[str] = set()
    seen_ids: set[str] = set()
    for entry in entries:
        try:
            link = _link_from_entry(entry, url, title)
        except Exception as exc:  # one bad item never spoils the others
            result.skipped += 1
            result.warnings.append(f"跳过无法读取的条目：{type(exc).__name__}")
            continue
        guid = str(entry.get("id") or "")
        if link is None or not _first(link.url, seen_urls) or (guid and guid in seen_ids):
            result.skipped += 1
            continue
        if guid:
            seen_ids.add(guid)
        result.links.append(link)
    return result


def _rss_link_text(body: bytes) -> bytes:
    """An RSS document whose item links carry attributes, with the attributes dropped.

    An RSS ``<link>`` holds its address as text and has no attributes; feedparser
    prefers an attribute when one is there (``uri="at://…"``), which is no web address,
    and the item was dropped although its text was a valid http link. Atom links (the
    address in ``href``, the element empty) are left alone.
    """
    if root_name(body[:4096]) not in ("rss", "rdf", "channel"):
        return body
    return _RSS_LINK_WITH_ATTRIBUTES.sub(rb"<link>\1</link>", body)


def _as_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """Re-encode a feed that is not UTF-8 as UTF-8, decoded the way HTML pages are.

    feedparser without chardet reads an undeclared GBK feed as windows-1252 (mojibake)
    and trusts wrong labels; our decoder checks every label and detects GBK. UTF-8 (and
    UTF-16/32 with a BOM, which feedparser handles) is passed through untouched.
    """
    if body.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return body, content_type
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return body, content_type
    text = decode_html(body, content_type)
    text = _XML_DECL_ENCODING.sub(r"\1utf-8\2", text, count=1)
    if content_type:
        content_type = _CHARSET_PARAM.sub("charset=utf-8", content_type)
    return text.encode("utf-8"), content_type


def _first(url: str, seen: set[str]) -> bool:
    key = canonicalize_url(url)
    if key in seen:
        return False
    seen.add(key)
    return True


def _not_a_feed(body: bytes, url: str) -> ParseError:
    """The error for a document that is no feed, pointing at the page's own feed if any."""
    head = body[:65536].decode("utf-8", errors="replace")
    hint = "该地址返回的不是订阅源；若是网页列表，把来源类型设为 listing"
    declared = next((m for m in _LINK_TAG.finditer(head) if _FEED_TYPE.search(m.group(0))), None)
    if declared:
        href = _HREF.search(declared.group(0))
        if href:
            hint = f"该地址是网页，页面声明的订阅源是 {urljoin(url, html.unescape(href.group(1)))}"
    looks_html = starts_as_html(body[:2048]) or "<html" in head[:4096].lower()
    what = "网页（HTML）" if looks_html else "无法识别的内容"
    return ParseError(f"不是订阅源：收到的是{what}", item=url, hint=hint)


def _text(value: object) -> str:
    """Plain text from a feed field that may hold markup and entities."""
    if not value:
        return ""
    text = html.unescape(_TAG.sub(" ", str(value)))
    return _SPACE.sub(" ", text).strip()


def _absolute(base: str, href: object) -> str | None:
    if not href or not isinstance(href, str):
        return None
    target = urljoin(base, href.strip())
    return target if target.startswith(("http://", "https://")) else None


def _entry_url(entry: Any, base: str) -> str | None:
    link = _absolute(base, entry.get("link"))
    if link:
        return link
    for candidate in entry.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate":
            link = _absolute(base, candidate.get("href"))
            if link:
                return link
    if entry.get("guidislink") or str(entry.get("id", "")).startswith(("http://", "https://")):
        return _absolute(base, entry.get("id"))
    return None


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published", "updated", "created", "issued", "modified", "date"):
        # dict.get: feedparser's own get() maps missing keys to others, with a warning
        raw = dict.get(entry, key)
        if raw:
            value = parse_datetime(str(raw))
            if value is not None:
                return value
            parsed = dict.get(entry, f"{key}_parsed")
            if parsed:
                try:
                    stamp = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
                except (OverflowError, ValueError, TypeError, OSError):
                    continue
                return plausible(to_shanghai(stamp))
    return None


def _link_from_entry(entry: Any, base: str, feed_title: str) -> Link | None:
    url = _entry_url(entry, base)
    if url is None:
        return None
    content_html: str | None = None
    for block in entry.get("content") or []:
        value = block.get("value")
        if value and (content_html is None or len(value) > len(content_html)):
            content_html = value
    summary = _text(entry.get("summary"))
    author = _text(entry.get("author")) or None
    return Link(
        url=url,
        title=_text(entry.get("title")) or None,
        published_at=_entry_date(entry),
        summary=summary or None,
        author=author,
        source_name=feed_title or None,
        content_html=content_html,
    )


# -- JSON Feed (https://jsonfeed.org/version/1.1) ---------------------------------------


def _looks_json(body: bytes, content_type: str | None) -> bool:
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        return True
    return bool(content_type and "json" in content_type.lower()) and start != b"<"


def _parse_json_feed(body: bytes, url: str) -> FeedResult:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise ParseError(
            "JSON 订阅源格式错误", item=url, hint=f"JSON 无法解析（{exc.msg}，第 {exc.lineno} 行）"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ParseError("JSON 订阅源格式错误", item=url, hint=str(exc)[:200]) from exc
    version = str(data.get("version", "")) if isinstance(data, dict) else ""
    if not isinstance(data, dict) or "jsonfeed.org" not in version:
        raise ParseError(
            "不是订阅源：收到的是普通 JSON 数据",
            item=url,
            hint="JSON Feed 需要 version 字段为 https://jsonfeed.org/version/1.1",
        )
    title = _text(data.get("title"))
    result = FeedResult(
        title=title or None,
        links=[],
        site_url=_absolute(url, data.get("home_page_url")),
        format="json1" if version.endswith("/1") else "json11",
    )
    items = data.get("items")
    seen_urls: set[str] = set()
    seen_ids: set[str] = set()
    for item in items if isinstance(items, list) else []:
        link = _link_from_json_item(item, url, title) if isinstance(item, dict) else None
        guid = str(item.get("id", "")) if isinstance(item, dict) else ""
        if link is None or not _first(link.url, seen_urls) or (guid and guid in seen_ids):
            result.skipped += 1
            continue
        if guid:
            seen_ids.add(guid)
        result.links.append(link)
    return result


def _link_from_json_item(item: dict[str, Any], base: str, feed_title: str) -> Link | None:
    url = _absolute(base, item.get("url")) or _absolute(base, item.get("external_url"))
    if url is None:
        item_id = item.get("id")
        url = _absolute(base, item_id) if isinstance(item_id, str) and "://" in item_id else None
    if url is None:
        return None
    author = None
    authors = item.get("authors")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        author = _text(authors[0].get("name")) or None
    elif isinstance(item.get("author"), dict):
        author = _text(item["author"].get("name")) or None
    content_html = item.get("content_html")
    summary = _text(item.get("summary")) or _text(item.get("content_text"))[:500]
    published = parse_datetime(str(item.get("date_published") or "")) or parse_datetime(
        str(item.get("date_modified") or "")
    )
    return Link(
        url=url,
        title=_text(item.get("title")) or None,
        published_at=published,
        summary=summary or None,
        author=author,
        source_name=feed_title or None,
        content_html=content_html if isinstance(content_html, str) and content_html else None,
    )
