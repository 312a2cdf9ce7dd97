"""``jianbao demo``: the whole flow on the bundled demo site, offline, into ./out/.

Serves the fictional demo outlets over loopback HTTP, collects them into a fresh SQLite
database, and writes the weekly report, the monthly report and the daily broadcast for
the demo's dates. The demo never touches the user's own database.

Its data folder (``out/demo-data``) is a normal one: the store is ``jianbao.db`` as in any
data folder, so ``JIANBAO_DATA_DIR=out/demo-data jianbao serve`` opens the demo's store
(it used to be ``demo.db``, and that command silently made an empty store beside it);
``jianbao demo --serve`` does it in one step, with an account to sign in with.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from jianbao.accounts import add_user, get_user, set_password
from jianbao.config import Settings, load_settings
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.demo.site import DEMO_ISSUE_DATE, demo_sources, serve_demo
from jianbao.editions.issue_store import configured_view, new_issue
from jianbao.i18n import Messages
from jianbao.pipeline import Pipeline
from jianbao.render import render

#: the demo weekly continues the numbering of the 2023 seed report (第五四六期)
DEMO_WEEKLY_NUMBER = 547
DEMO_MONTHLY_NUMBER = 35

#: (kind, issue date, number, formats)
DEMO_ISSUES: list[tuple[str, date, int | None, tuple[str, ...]]] = [
    ("weekly", DEMO_ISSUE_DATE, DEMO_WEEKLY_NUMBER, ("docx", "md", "html")),
    (
        "monthly",
        date(DEMO_ISSUE_DATE.year, DEMO_ISSUE_DATE.month, 30),
        DEMO_MONTHLY_NUMBER,
        ("docx", "md", "html"),
    ),
    ("daily", DEMO_ISSUE_DATE, None, ("txt", "md", "wecom")),
]


#: the demo workstation's account (``jianbao demo --serve``)
DEMO_USER = "demo"


def demo_data_dir(out: Path) -> Path:
    """The demo's data folder under ``out``: a normal data folder (its store jianbao.db)."""
    return out / "demo-data"


def demo_settings(out: Path, language: str = "zh") -> Settings:
    """Settings for the demo's data folder: the default store in it, loopback allowed
    (the demo site is on 127.0.0.1), no politeness delay."""
    return load_settings(
        data_dir=demo_data_dir(out),
        database_url="",
        ssrf_allowlist=["127.0.0.0/8"],
        per_host_delay=0.0,
        language=language,
        # the demo world's national authority is fictional: named as government, as a
        # publication names the official sites it watches
        authority={"government_names": ["国家健康事务局"]},
    )


def demo_account(settings: Settings) -> tuple[str, str]:
    """An editor account in the demo's store with a fresh random password (set anew on
    each call): (username, password), to sign in to the demo workstation."""
    password = secrets.token_urlsafe(9)
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            if get_user(session, DEMO_USER) is None:
                add_user(session, DEMO_USER, password, "editor", "演示编辑")
            else:
                set_password(session, DEMO_USER, password)
    finally:
        db.close()
    return DEMO_USER, password


def run_demo(out: Path, *, language: str = "zh", say: Callable[[str], None] = print) -> list[Path]:
    """Run the demo and return the paths of the files written."""
    t = Messages(language)
    out.mkdir(parents=True, exist_ok=True)
    data_dir = demo_data_dir(out)
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    settings = demo_settings(out, language)
    db = Database.from_settings(settings)
    paths: list[Path] = []
    with serve_demo() as site:
        say(t("demo.serving", url=site.base_url))
        specs = demo_sources(site.base_url)
        with db.session() as session:
            for spec in specs:
                add_source(session, spec)
        say(t("demo.sources", count=len(specs)))
        report = asyncio.run(Pipeline(settings, db).run_cycle())
        say(report.summary(language))
        for line in report.errors:
            say(f"  • {line}")
    for kind, issue_date, number, formats in DEMO_ISSUES:
        with db.session() as session:
            issue = new_issue(session, settings, kind, issue_date, number=number)
            view = configured_view(settings, issue)
        for fmt in formats:
            paths.append(render(view, fmt, out))
    db.close()
    return paths
