"""归档: each listed issue shows its number of items, counted by one grouped query
(jianbao.archive.listing.item_counts) instead of loading every issue's items (issue 19:
500 issues took seconds on PostgreSQL)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import event

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.editions.issue_store import new_issue, publish_issue


def test_each_issue_shows_its_item_count_in_few_queries(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        for day, fill in ((date(2026, 11, 13), 2), (date(2026, 11, 20), 3)):
            issue = new_issue(s, web_settings, "weekly", day, fill=fill)
            publish_issue(s, web_settings, issue, override_reason="测试")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(web_db.engine, "before_cursor_execute", count)
    try:
        html = editor.get("/archive").text
    finally:
        event.remove(web_db.engine, "before_cursor_execute", count)
    assert "2026-11-20 #2</a> <small>3 条</small>" in html
    assert "2026-11-13 #1</a> <small>2 条</small>" in html
    # none of the issue_items queries is per issue
    assert sum("FROM issue_items" in st for st in statements) == 1
