"""jianbao.extract: fetched bytes → a clean Article.

``extract_article(body, url, headers, hint)`` decodes the page (``decoding``), applies a
site rule when one matches (``site_rules``), chooses the main text among candidate bodies
(``body``), reads the 来源/作者/发布时间 lines (``byline``) and the publish date (``dates``),
cleans the paragraphs (``cleanup``) and keeps a sanitized HTML copy (``sanitize``).
"""

from jianbao.extract.article import (
    decode_page,
    extract_article,
    extract_decoded,
    extract_from_tree,
)
from jianbao.extract.decoding import decode_html

__all__ = [
    "decode_html",
    "decode_page",
    "extract_article",
    "extract_decoded",
    "extract_from_tree",
]
