"""HTML: one self-contained page per issue, readable on a phone, with a print stylesheet.

The template lives in the package (templates/issue.html.j2) and Jinja2 escapes every
value, so a title with ``<script>`` stays text. Links are made only for http(s) URLs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from jianbao.issue_layout import grouped_items
from jianbao.records import IssueItemView, IssueView
from jianbao.render.layout import (
    CONTENT_HEADING,
    CONTENT_LABEL,
    LEAD_HEADING,
    TOC_HEADING,
    issue_date_text,
    item_fields,
    safe_url,
    summary_join,
    toc_text,
    view_title,
)

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _item(view: IssueView, item: IssueItemView) -> dict[str, Any]:
    return {
        "position": item.position,
        "title": item.title,
        "summary": item.summary,
        "join": summary_join(item.title, item.summary),
        "href": safe_url(item.url),
        "toc": toc_text(item),
        "fields": item_fields(view, item),
        "paragraphs": item.paragraphs,
    }


def render_html(view: IssueView) -> str:
    """The issue as one HTML page (no external CSS, scripts or fonts)."""
    page_title = view_title(view)
    groups = [
        (category, [_item(view, item) for item in items]) for category, items in grouped_items(view)
    ]
    template = _environment().get_template("issue.html.j2")
    return template.render(
        view=view,
        page_title=page_title,
        groups=groups,
        items=[_item(view, item) for item in view.items],
        date_text=issue_date_text(view),
        lead_heading=LEAD_HEADING,
        toc_heading=TOC_HEADING,
        content_heading=CONTENT_HEADING,
        content_label=CONTENT_LABEL,
        footer=f"{view.publication_title} · {issue_date_text(view)}",
    )
