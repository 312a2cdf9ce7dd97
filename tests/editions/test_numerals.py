"""Issue numbers digit by digit in Chinese numerals (publications.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jianbao.editions.numerals import chinese_digits, issue_number_text, parse_chinese_digits
from jianbao.errors import InputError


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (296, "二九六"),
        (301, "三〇一"),
        (546, "五四六"),
        (1005, "一〇〇五"),
        (0, "〇"),
        (10, "一〇"),
    ],
)
def test_chinese_digits_digit_by_digit(number: int, text: str) -> None:
    assert chinese_digits(number) == text


def test_issue_number_text_uses_full_width_parentheses() -> None:
    assert issue_number_text(546) == "（第五四六期）"
    assert issue_number_text(296) == "（第二九六期）"


@pytest.mark.parametrize("bad", [-1, True, 2.0, "3"])
def test_chinese_digits_refuses_what_is_not_a_number(bad: object) -> None:
    with pytest.raises(InputError):
        chinese_digits(bad)  # type: ignore[arg-type,unused-ignore]


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_reverses_chinese_digits(n: int) -> None:
    assert parse_chinese_digits(chinese_digits(n)) == n


def test_parse_accepts_variants_and_rejects_words() -> None:
    assert parse_chinese_digits("三零一") == 301
    assert parse_chinese_digits("547") == 547
    assert parse_chinese_digits("二百九十六") is None
    assert parse_chinese_digits("") is None
