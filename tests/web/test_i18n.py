"""The web catalog: both languages complete, every key the templates use exists."""

from __future__ import annotations

import re

from jianbao.web.i18n import CATALOG, WebMessages
from jianbao.web.rendering import TEMPLATES


def test_both_languages_are_filled() -> None:
    for key, (zh, en) in CATALOG.items():
        assert zh.strip() and en.strip(), key
        assert re.findall(r"\{\w+\}", zh) == re.findall(r"\{\w+\}", en) or set(
            re.findall(r"\{\w+\}", zh)
        ) == set(re.findall(r"\{\w+\}", en)), key


def test_templates_use_known_keys() -> None:
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""t\('([\w.]+\w)'[,)]""", path.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    assert used <= set(CATALOG), used - set(CATALOG)


def test_lookup() -> None:
    assert WebMessages("zh")("cand.others", n=2) == "另有 2 家媒体报道"
    assert WebMessages("en")("cand.others", n=2) == "2 other outlets"
    assert WebMessages("fr")("nav.issues") == "编刊"


def test_keys_built_from_values_exist() -> None:
    from jianbao.accounts import ROLES
    from jianbao.records import ISSUE_KINDS
    from jianbao.web.services import STATUSES

    for key in [f"role.{r}" for r in ROLES] + [f"kind.{k}" for k in ISSUE_KINDS]:
        assert key in CATALOG, key
    for key in [f"status.{s}" for s in (*STATUSES, "draft", "published")]:
        assert key in CATALOG, key
