"""Issue 15 in chromium: what only a drawn page shows (the dashboard's chart labels).

Reuses test_browser's server over a copy of the demo store and its chromium page."""

from __future__ import annotations

from typing import Any

import pytest

browser_test = pytest.importorskip("web.test_browser")  # skips without chromium
base_url = browser_test.base_url
page = browser_test.page
DEMO_DAY = browser_test.DEMO_DAY


@pytest.fixture(scope="module")
def signed_in(page: Any, passwords: dict[str, str]) -> Any:
    page.goto("/login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", passwords["editor"])
    page.click("button[type=submit].primary")
    page.wait_for_url("**/candidates")
    return page


def test_source_names_on_the_dashboard_are_not_clipped(signed_in: Any) -> None:
    """Issue 15, item 9: a fixed 110 px margin cut long outlet names at the chart's edge."""
    page = signed_in
    page.goto(f"/dashboard?end={DEMO_DAY.isoformat()}")
    page.wait_for_selector("#chart-sources svg text")
    names = page.evaluate(
        "JSON.parse(document.getElementById('dash-data').textContent).per_source.map(p => p[0])"
    )
    assert names and max(len(n) for n in names) >= 6, names
    boxes = page.evaluate(
        """(names) => {
            const chart = document.getElementById('chart-sources').getBoundingClientRect();
            const texts = [...document.querySelectorAll('#chart-sources svg text')];
            return names.map(name => {
                const el = texts.find(t => t.textContent === name);
                if (!el) { return [name, null, chart.left, chart.right]; }
                const box = el.getBoundingClientRect();
                return [name, box.left, chart.left, box.right];
            });
        }""",
        names,
    )
    for name, left, chart_left, _right in boxes:
        assert left is not None, f"{name} not drawn whole"
        assert left >= chart_left - 0.5, f"{name} starts {chart_left - left:.0f}px outside"
