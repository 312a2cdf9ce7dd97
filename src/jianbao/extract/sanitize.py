"""Sanitized HTML of the body, for the web view.

The HTML is rebuilt from the cleaned paragraphs (so it holds exactly the text the
article holds) and then passed through nh3 with a small allowlist: no scripts, styles,
event handlers, iframes or remote frames can survive, whatever the page contained.
"""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "h2", "h3"}


def sanitize_html(fragment: str) -> str:
    """An HTML fragment reduced to the allowlist (no attributes at all)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes={},
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript"},
        strip_comments=True,
    )


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """The body as sanitized ``<p>`` paragraphs."""
    fragment = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    return sanitize_html(fragment)
