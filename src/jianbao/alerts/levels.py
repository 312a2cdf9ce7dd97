"""The four alert levels, from the most urgent: 红 (red), 橙 (orange), 黄 (yellow), 蓝 (blue).

Defaults (``alert_levels`` replaces a built-in rule's level):

- 蓝 blue — worth knowing: a story spreading fast (spike), or central media or a
  government site reporting on a watched region or institution (watch);
- 黄 yellow — a health-sector incident (risk), or an editor's keyword rule;
- 橙 orange — an incident that also concerns a watched entity or spreads fast;
- 红 red — an incident on a watched entity that also spreads fast. Red alerts ignore
  the quiet hours.

Each further condition that holds beside risk (watch, spike) raises the level by one.
"""

from __future__ import annotations

from jianbao.errors import InputError

#: most urgent first
LEVELS = ("red", "orange", "yellow", "blue")
NAMES = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
NAMES_EN = {"red": "red", "orange": "orange", "yellow": "yellow", "blue": "blue"}
BY_NAME = {**{v: k for k, v in NAMES.items()}, **{k: k for k in LEVELS}}

#: the built-in rules' levels
DEFAULT_LEVELS = {"keyword": "yellow", "risk": "yellow", "spike": "blue", "watch": "blue"}


def rank(level: str) -> int:
    """0 for blue up to 3 for red: higher is more urgent."""
    return len(LEVELS) - 1 - LEVELS.index(level)


def higher(level: str, steps: int = 1) -> str:
    """The level ``steps`` above ``level``, at most red."""
    return LEVELS[max(0, LEVELS.index(level) - steps)]


def highest(levels: list[str]) -> str:
    return max(levels, key=rank)


def parse_level(text: str) -> str:
    """红/橙/黄/蓝 or red/orange/yellow/blue → the stored name."""
    found = BY_NAME.get(text.strip().lower()) or BY_NAME.get(text.strip())
    if found is None:
        raise InputError(
            f"未知的预警级别：{text}", hint="级别为 红、橙、黄、蓝（或 red、orange、yellow、blue）"
        )
    return found


def label(level: str, language: str = "zh") -> str:
    """红色预警 / red alert."""
    return f"{NAMES[level]}色预警" if language == "zh" else f"{level} alert"
