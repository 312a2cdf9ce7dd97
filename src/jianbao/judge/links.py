"""Linking readings of a policy document to the document itself.

When a ministry issues 《关于加快推进电子病历系统应用的通知》 (国卫医发〔2023〕3号), the
interpretations, Q&As and reports that follow cite its 发文字号 or its title. An editor
wants them next to the document, not as separate stories. :class:`PolicyIndex` keeps
the documents seen so far (by 发文字号 key and by normalized title) and tells, for a new
item, which documents it cites.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Generic, TypeVar

from jianbao.judge.category import document_key, document_numbers

K = TypeVar("K", bound=Hashable)

_CITED_TITLE = re.compile(r"《([^《》]{4,80})》")
_NON_WORD = re.compile(r"[\W_]+")
#: wrapper words around a document's own name in an announcement's headline
_ANNOUNCING = re.compile(
    r"^(?:.{0,30}?(?:关于)?(?:印发|发布|转发|公布|出台))|(?:的通知|的公告|的通告)$"
)
_MIN_TITLE = 6


def _normalize(title: str) -> str:
    return _NON_WORD.sub("", title)


def document_titles(title: str) -> set[str]:
    """The normalized names a policy document may be cited by: its headline, the name in
    《》 inside it, and the headline without 关于印发 … 的通知."""
    names = {_normalize(title)}
    names.update(_normalize(m) for m in _CITED_TITLE.findall(title))
    names.add(_normalize(_ANNOUNCING.sub("", title)))
    return {n for n in names if len(n) >= _MIN_TITLE}


def document_name(title: str) -> str:
    """How a reading names the document: the name in 《》 of an announcement's headline
    (国家卫生健康委关于印发《…方案》的通知 → …方案), else the headline itself."""
    inner = _CITED_TITLE.findall(title)
    name = max(inner, key=len) if inner else title
    return name.strip()


def cited_titles(text: str) -> set[str]:
    """Normalized titles cited as 《…》 in a text."""
    return {n for n in (_normalize(m) for m in _CITED_TITLE.findall(text)) if len(n) >= _MIN_TITLE}


class PolicyIndex(Generic[K]):
    """Policy documents by 发文字号 and title; finds the documents an item cites."""

    def __init__(self) -> None:
        self._by_number: dict[str, K] = {}
        self._by_title: dict[str, K] = {}

    def __len__(self) -> int:
        return len(set(self._by_number.values()) | set(self._by_title.values()))

    def add_document(self, key: K, title: str, body: str = "") -> None:
        """Register a policy document (an item categorized 政策文件)."""
        for number in document_numbers(title + "\n" + body[:400]):
            self._by_number.setdefault(document_key(number), key)
        for name in document_titles(title):
            self._by_title.setdefault(name, key)

    def cited_by(self, title: str, body: str, *, exclude: K | None = None) -> list[K]:
        """Keys of registered documents the item cites by 发文字号 or by 《title》."""
        text = title + "\n" + body
        found: dict[K, None] = {}
        for number in document_numbers(text):
            key = self._by_number.get(document_key(number))
            if key is not None:
                found.setdefault(key, None)
        for name in cited_titles(text):
            key = self._by_title.get(name)
            if key is not None:
                found.setdefault(key, None)
        return [key for key in found if key != exclude]
