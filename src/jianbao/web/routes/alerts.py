"""预警: the alerts page — open, acknowledged and dismissed alerts with who, when and a note;
acknowledging or dismissing one teaches the risk classifier; the rule editor, with a dry
run over the last 30 days ("this rule would have fired 4 times: …") before a rule is saved.

An alert whose send to a channel was interrupted in flight (未确认: the robot may have
posted it) shows those channels and, for an editor, 重发: after the editor confirms the
group lacks it, it is sent again to those channels only — as ``jianbao alerts resend``,
never to a channel that took it, and not while the send may still be under way (its last
attempt less than five minutes old). Those channels are read from the delivery log
(jianbao.alerts.sends), not from a note on the alert. Sending runs in the request (a
plain ``def``: a worker thread, and ``resend_unconfirmed`` has its own event loop).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jianbao.alerts.dryrun import DAYS, dry_run
from jianbao.alerts.job import resend_outcome, resend_unconfirmed, thresholds
from jianbao.alerts.levels import LEVELS, NAMES
from jianbao.alerts.rules import Rule, builtin_rules
from jianbao.alerts.sends import refusals, send_states
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
from jianbao.errors import InputError
from jianbao.web.routes import database, pages, settings
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/alerts", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]


def _page(request: Request, state: str = "open", **extra: Any) -> HTMLResponse:
    config = settings(request)
    extra.setdefault("dry", None)
    extra.setdefault("draft", None)
    extra.setdefault("resend", None)
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
            sends=send_states(s, alerts),
            refusals=refusals,
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


@router.post("/{alert_id}/resend", response_model=None)
def resend(
    request: Request,
    alert_id: int,
    user: Editor,
    confirm: Annotated[str, Form()] = "",
    state: Annotated[str, Form()] = "open",
) -> Response:
    """重发 an alert to its unconfirmed channels, once the editor has confirmed that the
    group lacks it (the robot may have posted it before the sender died)."""
    if confirm != "yes":
        raise InputError(
            "重发前请确认群内确实没有收到这条预警",
            item=f"预警 {alert_id}",
            hint="查看群内消息后勾选确认再重发",
        )
    report = resend_unconfirmed(database(request), settings(request), alert_id, datetime.now(UTC))
    # shown above the list in the user's language: (ok or error, catalogue key, values)
    kind, said = resend_outcome(report, alert_id)
    outcomes: dict[str, tuple[str, str, dict[str, Any]]] = {
        "sent": ("ok", "alerts.resent", {"id": alert_id}),
        "failed": ("error", "alerts.resend_failed", {"error": said}),
        "unconfirmed": ("error", "alerts.resend_unconfirmed", {"channels": said}),
        "in_flight": ("error", "alerts.resend_in_flight", {"channels": said}),
    }
    return _page(request, state, resend=outcomes[kind])


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
