"""Issue numbers written the way the reports print them: digit by digit in Chinese numerals.

The center writes 296 as 二九六 and 301 as 三〇一 (not 二百九十六), so the conversion is a
plain digit mapping; the zero is 〇, never 零.
"""

from __future__ import annotations

from jianbao.errors import InputError

_DIGITS = "〇一二三四五六七八九"
_VALUES = {ch: i for i, ch in enumerate(_DIGITS)} | {"零": 0, "○": 0, "O": 0}


def chinese_digits(n: int) -> str:
    """``n`` digit by digit: 296 → 二九六, 1005 → 一〇〇五."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InputError(f"期号必须是非负整数，收到 {n!r}", hint="issue numbers are 0, 1, 2 …")
    return "".join(_DIGITS[int(d)] for d in str(n))


def parse_chinese_digits(text: str) -> int | None:
    """The number written digit by digit (二九六 → 296), or None when ``text`` is not one.

    Used when checking hand-made reports; Arabic digits are accepted too.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    digits = []
    for ch in text:
        if ch not in _VALUES:
            return None
        digits.append(str(_VALUES[ch]))
    return int("".join(digits))


def issue_number_text(n: int) -> str:
    """The number line of a weekly or monthly: （第五四六期）, full-width parentheses."""
    return f"（第{chinese_digits(n)}期）"
