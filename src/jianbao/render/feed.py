"""An Atom feed of published issues, newest first, so readers can subscribe to a publication.

Each entry links to the issue's web page (``<base_url>/<file stem>.html``, the name
``render`` gives the HTML file), carries the 导语 or the daily heading as its summary and
the numbered list of linked titles as its content. Built with lxml, so every value is
escaped by the serializer; the characters XML cannot hold (an invisible control character
pasted into a title) are dropped first, as Word drops them, since lxml refuses the string
and publishing, which writes the feed last, would fail on a character no one can see.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path

from lxml import etree
from lxml.html import builder as E

from jianbao.records import SHANGHAI, IssueView
from jianbao.render.layout import file_stem, safe_url, toc_text, view_title, xml_text

ATOM = "http://www.w3.org/2005/Atom"
#: when an issue without a recorded publish time is taken to appear (the 08:00 broadcast)
DEFAULT_PUBLISH_TIME = time(8, 0)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(
        parent, f"{{{ATOM}}}{tag}", {key: xml_text(value) for key, value in attrs.items()}
    )
    if text is not None:
        el.text = xml_text(text)
    return el


def _content_html(view: IssueView) -> str:
    items = []
    for item in view.items:
        href = safe_url(item.url)
        label = xml_text(toc_text(item) if view.kind != "daily" else item.title)
        link = E.A(label, href=href) if href else E.SPAN(label)
        parts = [link]
        if view.kind == "daily" and item.summary:
            parts.append(E.SPAN(" " + xml_text(item.summary)))
        items.append(E.LI(*parts))
    body = [E.P(xml_text(view.lead or view.heading)), E.OL(*items)]
    return "".join(etree.tostring(el, encoding="unicode", method="html") for el in body)


def render_atom_feed(
    views: Sequence[IssueView],
    *,
    feed_title: str,
    base_url: str,
    published: Sequence[datetime | None] | None = None,
    links: Sequence[str] | None = None,
) -> str:
    """The Atom XML of ``views`` (given newest first, or sorted here by issue date).

    Each entry links to ``links[i]`` when given, else to ``<base_url>/<file stem>.html``."""
    base = base_url.rstrip("/")
    stamps = list(published) if published is not None else [None] * len(views)
    urls = list(links) if links is not None else [f"{base}/{file_stem(v)}.html" for v in views]
    triples = sorted(
        zip(views, stamps, urls, strict=True), key=lambda p: p[0].issue_date, reverse=True
    )
    pairs = [(view, stamp) for view, stamp, _url in triples]
    when = [
        (stamp or datetime.combine(v.issue_date, DEFAULT_PUBLISH_TIME, SHANGHAI)).astimezone(
            SHANGHAI
        )
        for v, stamp in pairs
    ]
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-CN")
    _sub(root, "title", feed_title)
    _sub(root, "id", f"{base}/feed.atom")
    _sub(root, "link", href=f"{base}/feed.atom", rel="self")
    _sub(root, "link", href=f"{base}/")
    _sub(root, "updated", max(when).isoformat() if when else datetime.now(SHANGHAI).isoformat())
    _sub(root, "generator", "jianbao")
    for (view, _), stamp, (_v, _s, url) in zip(pairs, when, triples, strict=True):
        entry = _sub(root, "entry")
        _sub(entry, "title", view_title(view))
        _sub(entry, "id", url)
        _sub(entry, "link", href=url, rel="alternate", type="text/html")
        _sub(entry, "updated", stamp.isoformat())
        _sub(entry, "published", stamp.isoformat())
        if view.publisher:
            author = _sub(entry, "author")
            _sub(author, "name", view.publisher)
        _sub(entry, "summary", view.lead or view.heading)
        _sub(entry, "content", _content_html(view), type="html")
    return etree.tostring(root, encoding="unicode", pretty_print=True, xml_declaration=False)


def write_atom_feed(
    views: Sequence[IssueView],
    path: Path,
    *,
    feed_title: str,
    base_url: str,
    published: Sequence[datetime | None] | None = None,
    links: Sequence[str] | None = None,
) -> Path:
    text = render_atom_feed(
        views, feed_title=feed_title, base_url=base_url, published=published, links=links
    )
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + text, encoding="utf-8")
    return path
