"""Publications as configuration, loaded from TOML, with clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jianbao.editions.publication import (
    Publication,
    default_publications,
    load_publications,
)
from jianbao.errors import ConfigError
from jianbao.records import IssueItemView

TOML = """
[publications.weekly]
title = "全国卫生信息化舆情监测周报"
kind = "weekly"
publisher = "北京市卫生健康大数据与政策研究中心"
topic_phrase = "卫生健康大数据与政策研究"
scope = "全国主流媒体及政府网站等"
period_rule = "mon-fri"
first_number = 547
channels = ["wecom:处室群"]

[publications.security]
title = "数据安全专报"
kind = "monthly"
source_label = "来源"

[publications.daily]
title = "每日学习播报"
kind = "daily"
categories = ["国家政策", "卫生健康信息化", "其他"]
formats = ["txt", "wecom", "feishu"]
"""


def _item(title: str, category: str | None = None) -> IssueItemView:
    return IssueItemView(
        0, title, "https://e.cn/" + title, "新华网", date(2023, 10, 16), category=category
    )


def test_several_publications_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "publications.toml"
    path.write_text(TOML, encoding="utf-8")
    pubs = load_publications(path)
    assert list(pubs) == ["weekly", "security", "daily"]
    weekly = pubs["weekly"]
    assert weekly.first_number == 547
    assert weekly.channels == ("wecom:处室群",)
    assert weekly.period(date(2023, 10, 18)) == (date(2023, 10, 16), date(2023, 10, 20))
    assert weekly.output_formats == ("docx", "html", "md")
    assert pubs["daily"].output_formats == ("txt", "wecom", "feishu")
    view = weekly.view(date(2023, 10, 20), [_item("甲"), _item("乙")], number=547)
    assert view.number_text == "（第五四七期）"
    assert view.lead.startswith("本期周报共收集2篇卫生健康大数据与政策研究相关信息")
    assert "2023年10月16日到2023年10月20日" in view.lead
    monthly = pubs["security"].view(date(2023, 6, 30), [_item("丙")], number=3)
    assert monthly.lead.startswith("本期月报")
    daily = pubs["daily"].view(date(2020, 7, 16), [_item("a", "其他"), _item("b", "国家政策")])
    assert [i.title for i in daily.items] == ["b", "a"]
    assert daily.number is None


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('title = "x"\nkind = "yearly"', "yearly"),
        ('kind = "weekly"', "title"),
        ('title = "x"\nkind = "weekly"\nperiod_rule = "fortnight"', "fortnight"),
        ('title = "x"\nkind = "weekly"\nfirst_number = "547"', "first_number"),
        ('title = "x"\nkind = "weekly"\ncolour = "red"', "colour"),
        ('title = "x"\nkind = "weekly"\ncategories = "a"', "categories"),
    ],
)
def test_bad_configuration_is_a_clear_error(tmp_path: Path, table: str, needle: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(f"[publications.p]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_publications(path)
    assert needle in str(err.value)
    assert "publications.p" in str(err.value)


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_publications(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[publications.p\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_publications(bad)
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_publications(empty)


def test_a_publications_file_saved_as_gbk_says_to_save_it_as_utf8(tmp_path: Path) -> None:
    """A Windows editor's GBK file was a raw UnicodeDecodeError (an internal error on the
    今日 page and in ``jianbao schedule``); it is the file's own configuration error."""
    path = tmp_path / "publications.toml"
    path.write_bytes('[publications.p]\ntitle = "每日学习播报"\n'.encode("gbk"))
    with pytest.raises(ConfigError) as err:
        load_publications(path)
    assert "UTF-8" in str(err.value)
    assert str(path) in str(err.value)


def test_defaults_match_the_house() -> None:
    pubs = default_publications()
    assert pubs["weekly"].title == "全国卫生信息化舆情监测周报"
    assert pubs["weekly"].period(date(2023, 10, 20)) == (date(2023, 10, 14), date(2023, 10, 20))
    assert pubs["monthly"].period(date(2023, 6, 5)) == (date(2023, 6, 1), date(2023, 6, 30))
    assert not pubs["daily"].numbered
    assert Publication("x", "t", "weekly").source_label == "来源"


def test_fonts_and_formats_are_configuration(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        '[publications.w]\ntitle = "周报"\nkind = "weekly"\nformats = ["word", "md"]\n'
        '[publications.w.docx]\nbody_font = "仿宋"\nbody_size = 14\nmargins_mm = [30, 25, 30, 25]\n',
        encoding="utf-8",
    )
    pub = load_publications(path)["w"]
    assert pub.docx.body_font == "仿宋"
    assert pub.docx.body_size == 14
    assert pub.docx.margins_mm == (30, 25, 30, 25)
    assert pub.render_options().docx_style is pub.docx


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ('formats = ["pptx"]', "pptx"),
        ('[publications.p.docx]\nbody_colour = "red"', "body_colour"),
        ("[publications.p.docx]\nbody_size = -3", "body_size"),
        ("[publications.p.docx]\nmargins_mm = [1, 2]", "margins_mm"),
    ],
)
def test_bad_fonts_or_formats(tmp_path: Path, extra: str, needle: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(f'[publications.p]\ntitle = "x"\nkind = "weekly"\n{extra}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_publications(path)
    assert needle in str(err.value)


def test_defaults_follow_the_settings(tmp_path: Path) -> None:
    from jianbao.editions.publication import house_defaults
    from jianbao.testing import make_settings

    settings = make_settings(tmp_path).model_copy(update={"publisher": "某市卫生健康信息中心"})
    pubs = default_publications(house_defaults(settings))
    assert pubs["weekly"].publisher == "某市卫生健康信息中心"
    assert pubs["daily"].title == settings.daily_publication


def test_schedule_fields_are_read_and_checked() -> None:
    pub = Publication.from_mapping(
        "daily",
        {
            "title": "每日学习播报",
            "kind": "daily",
            "draft_at": "06:30",
            "send_at": "08:15",
            "auto_send": True,
            "send_grace_minutes": 60,
            "enabled": False,
        },
    )
    assert (pub.draft_at, pub.send_at, pub.auto_send) == ("06:30", "08:15", True)
    assert (pub.send_grace_minutes, pub.enabled) == (60, False)
    defaults = Publication("w", "周报", "weekly")
    assert (defaults.draft_at, defaults.send_at, defaults.send_grace_minutes) == (
        "07:00",
        "08:00",
        120,
    )
    assert defaults.auto_send is False and defaults.enabled is True


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"send_at": "8点"}, "send_at 不是时刻"),
        ({"draft_at": "24:00"}, "draft_at 不是时刻"),
        ({"draft_at": "09:00", "send_at": "08:00"}, "不晚于生成草稿的时间"),
        ({"send_grace_minutes": -5}, "不能为负"),
        ({"send_grace_minutes": "120"}, "应是整数"),
        ({"auto_send": "yes"}, "应是 true 或 false"),
    ],
)
def test_bad_schedule_fields_are_clear_errors(values: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as err:
        Publication.from_mapping("daily", {"title": "播报", "kind": "daily", **values})
    assert words in err.value.message
    assert err.value.item == "publications.daily"


def test_a_bad_first_number_hints_an_issue_number() -> None:
    """The integer fields share a check; each hint shows a value of its own kind."""
    with pytest.raises(ConfigError) as err:
        Publication.from_mapping("weekly", {"title": "周报", "kind": "weekly", "first_number": "x"})
    assert err.value.hint == "first_number = 547"


def test_checker_thresholds_are_read_and_checked() -> None:
    """Issue 15, item 22: the checker's warning thresholds belong to the publication."""
    base = {"title": "播报", "kind": "daily"}
    pub = Publication.from_mapping(
        "daily", {**base, "min_items": 4, "max_title_chars": 60, "similar_titles": 0.75}
    )
    assert (pub.item_minimum, pub.max_title_chars, pub.similar_titles) == (4, 60, 0.75)
    assert Publication.from_mapping("daily", base).item_minimum == 3
    assert Publication.from_mapping("w", {"title": "周报", "kind": "weekly"}).item_minimum == 1
    for values, words in [
        ({"min_items": "3"}, "应是整数"),
        ({"min_items": -1}, "不能为负"),
        ({"max_title_chars": 0}, "至少为 1"),
        ({"similar_titles": 1.5}, "应在 0 到 1 之间"),
        ({"similar_titles": "高"}, "应是数字"),
    ]:
        with pytest.raises(ConfigError) as err:
            Publication.from_mapping("daily", {**base, **values})
        assert words in err.value.message, values
