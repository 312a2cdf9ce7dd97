"""预警: the alerts page — open, acknowledged and dismissed alerts with who, when and a note;
acknowledging or dismissing one teaches the risk classifier; the rule editor, with a dry
run over the last 30 days ("this rule would have fired 4 times: …") before a rule is saved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jianbao.alerts.dryrun import DAYS, dry_run
from jianbao.alerts.job import thresholds
from jianbao.alerts.levels import LEVELS, NAMES
from jianbao.alerts.rules import Rule, builtin_rules
from jianbao.alerts.spike import BASELINE_DAYS
from jianbao.alerts.store import (
    STATES,
    editor_rules,
    handle_alert,
    list_alerts,
    mark_risk,
    remove_rule,
    save_rule,
)
from jianbao.db.models import User
from jianbao.web.routes import database, pages, settings
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/alerts", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]


def _page(request: Request, state: str = "open", **extra: Any) -> HTMLResponse:
    config = settings(request)
    extra.setdefault("dry", None)
    extra.setdefault("draft", None)
    state = state if state in STATES else "open"
    with database(request).session() as s:
        alerts = list_alerts(s, state)
        rules = builtin_rules(config.alert_levels, config.alert_watch) + editor_rules(
            s, enabled_only=False
        )
        return pages(request).render(
            request,
            "alerts.html",
            partial="_alerts_list.html",
            alerts=alerts,
            state=state,
            states=STATES,
            rules=rules,
            levels=LEVELS,
            level_names=NAMES,
            days=DAYS,
            channels=config.alert_channels,
            # what the built-in rules fire on, shown in their row (they have no expression)
            limits=thresholds(config),
            baseline_days=BASELINE_DAYS,
            **extra,
        )


@router.get("", response_class=HTMLResponse)
def alerts_page(request: Request, user: Reader, state: str = "open") -> HTMLResponse:
    return _page(request, state)


@router.post("/{alert_id}/handle", response_model=None)
def handle(
    request: Request,
    alert_id: int,
    user: Editor,
    state: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    with database(request).session() as s:
        handle_alert(s, alert_id, state, by=user.username, note=note, now=datetime.now(UTC))
    if client_is_htmx(request):
        return _page(request, "open")
    return RedirectResponse("/alerts", status_code=303)


@router.post("/mark/{article_id}", response_model=None)
def mark(
    request: Request,
    article_id: int,
    user: Editor,
    incident: Annotated[str, Form()] = "1",
) -> Response:
    """The ⚠ on a candidate: the article reports an incident (``incident=0`` takes it
    back); the risk classifier learns from it at the next alert pass."""
    with database(request).session() as s:
        mark_risk(s, article_id, incident != "0", by=user.username, now=datetime.now(UTC))
    if client_is_htmx(request):
        return Response(status_code=204)
    return RedirectResponse("/candidates", status_code=303)


@router.post("/rules", response_model=None)
def add_rule(
    request: Request,
    user: Editor,
    name: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    level: Annotated[str, Form()],
    expression: Annotated[str, Form()] = "",
) -> Response:
    with database(request).session() as s:
        save_rule(s, Rule(name, kind, level, expression), by=user.username)
    return RedirectResponse("/alerts#rules", status_code=303)


@router.post("/rules/{name}/remove", response_model=None)
def delete_rule(request: Request, name: str, user: Editor) -> Response:
    with database(request).session() as s:
        remove_rule(s, name)
    return RedirectResponse("/alerts#rules", status_code=303)


@router.post("/dry-run", response_class=HTMLResponse)
def rule_dry_run(
    request: Request,
    user: Reader,
    kind: Annotated[str, Form()],
    level: Annotated[str, Form()] = "yellow",
    expression: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
) -> HTMLResponse:
    config = settings(request)
    rule = Rule(name or "试运行", kind, level, expression)
    with database(request).session() as s:
        found = dry_run(s, config, rule, datetime.now(UTC), thresholds(config))
    draft = {"name": name, "kind": kind, "level": level, "expression": expression}
    if client_is_htmx(request):
        return pages(request).render(
            request, "_alerts_dryrun.html", dry=found, days=DAYS, draft=draft
        )
    return _page(request, "open", dry=found, draft=draft)
