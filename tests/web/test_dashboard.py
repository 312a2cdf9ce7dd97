"""概览: the chart data is embedded as JSON and the charts' script is vendored."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient


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
