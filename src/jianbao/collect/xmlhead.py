"""What a document starts with: its root element after the prolog, or an HTML start.

Telling a feed from a sitemap from a web page means looking past the XML declaration,
processing instructions, comments and a doctype to the first element. Regular
expressions with a repeated group of lazy alternatives did this and backtracked
exponentially on a few dozen comments (a 440-byte feed froze a collection cycle), so the
prolog is skipped here by a scanner that reads each byte at most a few times: linear in
the length of the head, whatever it holds.
"""

from __future__ import annotations

#: the root elements of RSS, RDF, Atom and CDF documents (as ``root_name`` gives them)
FEED_ROOTS = ("rss", "feed", "rdf", "channel")
_SPACE = b" \t\n\r\f\v"
_BOM = b"\xef\xbb\xbf"
#: the bytes a regex ``\\w`` matches in a bytes pattern
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _skip_space(data: bytes, at: int) -> int:
    while at < len(data) and data[at] in _SPACE:
        at += 1
    return at


def _skip_doctype(data: bytes, at: int) -> int:
    """The index after a ``<!DOCTYPE …>`` starting at ``at`` (an internal subset in
    brackets included), or -1 when it does not end."""
    close = data.find(b">", at)
    if close < 0:
        return -1
    bracket = data.find(b"[", at, close)
    if bracket >= 0:
        end = data.find(b"]", bracket)
        if end < 0:
            return -1
        close = data.find(b">", end)
        if close < 0:
            return -1
    return close + 1


def prolog_end(data: bytes, *, doctype: bool = True, instructions: bool = True) -> int:
    """The index of the first byte after the leading BOM, white space, comments and
    (when asked) processing instructions and doctypes; -1 when one of them does not end
    within ``data``."""
    at = len(_BOM) if data.startswith(_BOM) else 0
    while True:
        at = _skip_space(data, at)
        if data.startswith(b"<!--", at):
            end = data.find(b"-->", at + 4)
            if end < 0:
                return -1
            at = end + 3
        elif instructions and data.startswith(b"<?", at):
            end = data.find(b"?>", at + 2)
            if end < 0:
                return -1
            at = end + 2
        elif doctype and data[at : at + 9].lower() == b"<!doctype":
            at = _skip_doctype(data, at + 9)
            if at < 0:
                return -1
        else:
            return at


def root_name(data: bytes) -> str:
    """The root element's local name, lower-cased (``rss``, ``feed``, ``rdf`` for
    ``<rdf:RDF>``, ``urlset``…); "" when the head shows no element."""
    at = prolog_end(data)
    if at < 0 or not data.startswith(b"<", at):
        return ""
    end = at + 1
    while end < len(data) and (data[end] in _WORD or data[end] in b"-:"):
        end += 1
    name = data[at + 1 : end].decode("ascii")
    return name.rsplit(":", 1)[-1].lower()


def starts_as_html(data: bytes) -> bool:
    """Whether the document opens (after white space and comments) with an HTML doctype
    or an ``<html>``, ``<head>`` or ``<body>`` tag."""
    at = prolog_end(data, doctype=False, instructions=False)
    if at < 0 or not data.startswith(b"<", at):
        return False
    at += 1
    if data[at : at + 8].lower() == b"!doctype":
        name = _skip_space(data, at + 8)
        return name > at + 8 and data[name : name + 4].lower() == b"html" and _ends(data, name + 4)
    return any(
        data[at : at + 4].lower() == tag and _ends(data, at + 4)
        for tag in (b"html", b"head", b"body")
    )


def _ends(data: bytes, at: int) -> bool:
    """Whether a word ends before ``at`` (a regex ``\\b`` after an ASCII word)."""
    return at >= len(data) or data[at] not in _WORD
