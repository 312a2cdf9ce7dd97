"""The 导语 in the publication kind's own words, figures from the data."""

from __future__ import annotations

from datetime import date

from jianbao.editions.lead import lead_text

SEED_2023 = (
    "本期周报共收集3篇卫生信息化相关信息，时间从2023年10月14日到2023年10月20日，"
    "监测范围包括全国主流媒体及政府网站等。"
)


def test_weekly_lead_matches_the_seed_wording() -> None:
    text = lead_text(
        "weekly",
        3,
        "卫生信息化",
        date(2023, 10, 14),
        date(2023, 10, 20),
        "全国主流媒体及政府网站等",
    )
    assert text == SEED_2023


def test_monthly_lead_says_yuebao() -> None:
    text = lead_text(
        "monthly", 12, "卫生信息化", date(2023, 6, 1), date(2023, 6, 30), "全国主流媒体"
    )
    assert text.startswith("本期月报共收集12篇")
    assert "周报" not in text
    assert "时间从2023年6月1日到2023年6月30日" in text


def test_lead_tolerates_phrases_typed_in_full() -> None:
    text = lead_text(
        "weekly",
        1,
        "卫生信息化相关信息",
        date(2023, 1, 1),
        date(2023, 1, 7),
        "监测范围包括各地网站。",
    )
    assert "相关信息相关" not in text
    assert text.endswith("监测范围包括各地网站。")
    assert "包括监测范围" not in text


def test_lead_without_scope() -> None:
    text = lead_text("weekly", 0, "卫生信息化", date(2023, 1, 1), date(2023, 1, 7), "")
    assert text.endswith("到2023年1月7日。")
