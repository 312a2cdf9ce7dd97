"""Issue 15, item 11: no English inside the Chinese workstation — the checker's rule
codes and the export buttons read as Chinese labels from the catalogue, and counts read
"12 条", not "12 条数"."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.config import Settings
from jianbao.db.models import IssueItem
from jianbao.db.session import Database
from jianbao.editions.issue_store import new_issue
from jianbao.render import available_formats
from jianbao.web.i18n import CATALOG

EDITIONS = Path(__file__).resolve().parents[2] / "src" / "jianbao" / "editions"


def rule_codes() -> set[str]:
    """Every rule code the checker's sources name in a ``Finding("code", …)``."""
    found: set[str] = set()
    for path in EDITIONS.glob("*.py"):
        found |= set(re.findall(r'Finding\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    return found


def test_every_rule_and_format_has_a_label_in_both_languages() -> None:
    codes = rule_codes()
    assert {"toc-mismatch", "missing-field", "duplicate"} <= codes
    missing = sorted(c for c in codes if f"rule.{c}" not in CATALOG)
    assert not missing, f"add rule.<code> labels to jianbao.web.i18n: {missing}"
    for fmt in available_formats():
        assert f"fmt.{fmt}" in CATALOG, fmt


def test_the_composer_names_rules_and_formats_in_chinese(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=3)
        issue_id = issue.id
        items = list(
            s.scalars(
                select(IssueItem).where(IssueItem.issue_id == issue_id).order_by(IssueItem.position)
            )
        )
        # a finding for certain: item 2 titled as item 1 (rule duplicate)
        items[1].title = items[0].title
    html = editor.get(f"/issues/{issue_id}").text
    findings = html.split('id="findings"', 1)[1].split("</section>", 1)[0]
    badges = re.findall(r'<span class="badge (?:error|warning)"[^>]*>([^<]*)</span>', findings)
    assert "重复" in badges, badges
    assert not [b for b in badges if re.fullmatch(r"[a-z0-9-]+", b)], badges
    export = html.split('class="formats"', 1)[1].split("</p>", 1)[0]
    buttons = re.findall(r"download[^>]*>([^<]*)</a>", export)
    assert "Word 文档" in buttons and "网页" in buttons
    assert not [b for b in buttons if re.fullmatch(r"[a-z]+", b)], buttons
    editor.cookies.set("jianbao_lang", "en")
    english = editor.get(f"/issues/{issue_id}").text
    assert ">duplicate</span>" in english and ">Word (.docx)</a>" in english


def test_published_issues_count_items_as_tiao(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=3)
        issue.status = "published"
        issue_id, count = issue.id, len(issue.items)
    listing = editor.get("/archive").text.split(f'href="/issues/{issue_id}"', 1)[1]
    assert f"<small>{count} 条</small>" in listing.split("</li>", 1)[0]
