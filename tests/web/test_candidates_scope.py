"""The candidates screen lists the chosen draft's publication's scope (issue 17): the
daily adds 卫生健康与数字经济政策 to the relevant articles, the weekly does not. On
PostgreSQL (the chromium test, test_browser_judging, drives the same on SQLite)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.db.models import Issue
from jianbao.db.session import Database
from jianbao.judge.scope import POLICY_SCOPE
from jianbao.records import SHANGHAI
from jianbao.web.rendering import LANG_COOKIE
from web.conftest import DEMO_DAY
from web.judged_articles import POLICY, store_article


def draft(client: TestClient, db: Database, kind: str) -> int:
    made = client.post(
        "/issues", data={"kind": kind, "issue_date": DEMO_DAY.isoformat()}, follow_redirects=False
    )
    assert made.status_code == 303, made.text
    with db.session() as s:
        return max(s.scalars(select(Issue.id)))


# SQLite: the chromium test (test_browser_judging) drives the same screen
@pytest.mark.parametrize("web_settings", ["postgres"], indirect=True)
def test_the_daily_lists_its_scope_the_weekly_relevance_alone(
    editor: TestClient, web_db: Database
) -> None:
    store_article(web_db, 1, *POLICY, datetime.combine(DEMO_DAY, time(12), SHANGHAI))
    daily, weekly = draft(editor, web_db, "daily"), draft(editor, web_db, "weekly")
    window = f"/candidates?start={DEMO_DAY.isoformat()}&end={DEMO_DAY.isoformat()}"
    shown = editor.get(f"{window}&issue={daily}").text
    assert POLICY[0] in shown and f'<span class="scope-name">{POLICY_SCOPE}</span>' in shown
    assert shown.count('class="scope"') == 1  # only the policy article is marked
    weekly_list = editor.get(f"{window}&issue={weekly}").text
    assert POLICY[0] not in weekly_list and POLICY_SCOPE not in weekly_list
    editor.cookies.set(LANG_COOKIE, "en")
    english = editor.get(f"{window}&issue={daily}").text
    assert "Candidates from: " in english and "Health informatics" in english
    assert english.count("National policy on health and the digital economy") == 2  # line, row
