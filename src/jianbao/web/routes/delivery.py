"""发送: an issue's delivery screen — send a published issue to its channels (after a
confirmation naming them), see per channel the parts sent k/n or why they failed, 重发
what failed, 复制全文 (the plain-text broadcast for a WeChat group that has no robot), the
.txt download, and 预览到我的频道 (a draft to one channel, marked 预览).

Sending runs in the request (a daily is one or two parts; pacing may make a long weekly
wait): the route is a plain ``def``, so it runs on a worker thread and ``send_issue``
has its own event loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import Issue, RosterPerson, User
from jianbao.deliver.log import channel_states
from jianbao.deliver.send import DeliveryReport, audience, send_issue
from jianbao.editions.issue_store import configured_view, get_issue
from jianbao.errors import DeliveryError, InputError, JianbaoError, NotConfigured
from jianbao.render.chat import render_chat_text
from jianbao.web.routes import database, pages, settings
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/issues", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]


def own_channel(session: Session, user: User) -> str:
    """The channel of the user's own chat or mailbox, from the duty roster ('' if none)."""
    found = session.scalar(
        select(RosterPerson.channel).where(
            RosterPerson.username == user.username, RosterPerson.active.is_(True)
        )
    )
    return found or ""


def channel_table(request: Request) -> dict[str, str]:
    """Every configured channel by name: '' when usable, else why it is switched off."""
    from jianbao.deliver.registry import configured_channels

    return {
        name: str(found) if isinstance(found, NotConfigured) else ""
        for name, found in configured_channels(settings(request)).items()
    }


def _screen(
    request: Request,
    issue_id: int,
    user: User,
    *,
    report: DeliveryReport | None = None,
    error: str = "",
) -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        try:
            names = audience(settings(request), issue, None)
        except DeliveryError:
            names = []
        return pages(request).render(
            request,
            "delivery.html",
            partial="_delivery_body.html",
            issue=issue,
            audience=names,
            channels=channel_table(request),
            states=channel_states(s, issue_id),
            chat_text=render_chat_text(configured_view(settings(request), issue)),
            own=own_channel(s, user),
            report=report,
            error=error,
        )


@router.get("/{issue_id}/delivery", response_model=None)
def delivery(request: Request, issue_id: int, user: Reader) -> Response:
    return _screen(request, issue_id, user)


def _send(request: Request, issue_id: int, user: User, **options: object) -> Response:
    try:
        report = send_issue(database(request), settings(request), issue_id, **options)  # type: ignore[arg-type]
    except JianbaoError as exc:
        return _screen(request, issue_id, user, error=str(exc))
    return _screen(request, issue_id, user, report=report)


def _published(request: Request, issue_id: int) -> Issue:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
    if issue.status != "published":
        raise InputError(
            "草稿不能发给受众",
            item=f"#{issue_id}",
            hint="先发布这一期；要先看效果，用「预览到我的频道」",
        )
    return issue


@router.post("/{issue_id}/delivery/send", response_model=None)
def send(
    request: Request,
    issue_id: int,
    user: Editor,
    confirm: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    """发送 to the publication's channels (the confirmation named them)."""
    _published(request, issue_id)
    if confirm != "yes":
        raise InputError("发送前请勾选确认", item=f"#{issue_id}", hint="核对频道后勾选「确认发送」")
    return _send(request, issue_id, user, again=again == "yes")


@router.post("/{issue_id}/delivery/resend", response_model=None)
def resend(
    request: Request,
    issue_id: int,
    user: Editor,
    channel: Annotated[str, Form()],
    unconfirmed: Annotated[str, Form()] = "",
) -> Response:
    """重发 one channel's failed (and, when asked, unconfirmed) parts; sent ones stay."""
    _published(request, issue_id)
    return _send(
        request, issue_id, user, channels=[channel], resend_unconfirmed=unconfirmed == "yes"
    )


@router.post("/{issue_id}/delivery/preview", response_model=None)
def preview(
    request: Request,
    issue_id: int,
    user: Editor,
    channel: Annotated[str, Form()] = "",
) -> Response:
    """预览到我的频道: the issue as it is now, to the channel named or the user's own."""
    if not channel.strip():
        with database(request).session() as s:
            channel = own_channel(s, user)
    if not channel:
        raise InputError(
            "没有可预览的频道",
            item=user.username,
            hint="选择一个频道，或在值班表中为自己登记频道（jianbao roster import）",
        )
    return _send(request, issue_id, user, preview=channel.strip())
