"""概览: the chart data is embedded as JSON and the charts' script is vendored."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.db.models import Source
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.records import SourceSpec


def test_dashboard_data(editor: TestClient) -> None:
    html = editor.get("/dashboard", params={"end": "2026-11-20"}).text
    raw = re.search(r'<script type="application/json" id="dash-data">(.*?)</script>', html, re.S)
    assert raw
    data = json.loads(raw.group(1))
    assert len(data["days"]) == 30 and data["days"][-1] == "2026-11-20"
    assert data["total"] > 0 and 0 < data["relevant"] <= data["total"]
    assert sum(sum(s["data"]) for s in data["per_day"]) == data["total"]
    assert data["terms"] and data["stories"]
    assert "/static/vendor/echarts.min.js?v=" in html
    assert "cdn" not in html.lower()


def test_totals_say_what_each_number_is(editor: TestClient) -> None:
    """Issue 15, item 9: "49 · 相关占比 24" labelled a count as a share and left the
    other number unlabelled."""
    html = editor.get("/dashboard", params={"end": "2026-11-20"}).text
    raw = re.search(r'<script type="application/json" id="dash-data">(.*?)</script>', html, re.S)
    assert raw
    data = json.loads(raw.group(1))
    share = round(100 * data["relevant"] / data["total"])
    expected = f"共 {data['total']} 篇，相关 {data['relevant']} 篇（{share}%）"
    assert expected in html
    editor.cookies.set("jianbao_lang", "en")
    english = editor.get("/dashboard", params={"end": "2026-11-20"}).text
    assert f"{data['total']} articles, {data['relevant']} relevant ({share}%)" in english


def test_a_source_needing_a_look_shows_why(editor: TestClient, web_db: Database) -> None:
    """A source that never succeeded is listed at its first failure, with the reason."""
    with web_db.session() as s:
        add_source(s, SourceSpec(name="新网站", url="https://new.example/rss"))
        row = s.scalar(select(Source).where(Source.name == "新网站"))
        assert row is not None
        row.consecutive_failures = 1
        row.last_error = "HTTP 404"
    html = editor.get("/dashboard", params={"end": "2026-11-20"}).text
    attention = html.split('id="attention"', 1)[1]
    assert "新网站" in attention and "从未成功抓取，已失败 1 次：HTTP 404" in attention
    assert "新网站" in editor.get("/sources").text


def test_every_health_status_has_a_label() -> None:
    from typing import get_args

    from jianbao.collect.health import HealthStatus
    from jianbao.web.i18n import CATALOG

    for status in get_args(HealthStatus):
        assert f"src.st_{status}" in CATALOG, status
