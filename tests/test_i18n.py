"""Every CLI message exists in Chinese and English and takes the same values."""

from __future__ import annotations

import string

from jianbao.i18n import CATALOG, Messages


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_take_the_same_values() -> None:
    for key, (zh, en) in CATALOG.items():
        assert _fields(zh) == _fields(en), key
        assert zh and en, key


def test_chinese_is_the_default() -> None:
    assert Messages()("kind.weekly") == "周报"
    assert Messages("en")("kind.weekly") == "weekly"
