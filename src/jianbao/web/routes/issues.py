"""编刊: the issue composer — items, edits, order, checker findings, preview, export,
publishing (with confirmation) and revisions of a published issue."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask

from jianbao.db.models import Issue, User
from jianbao.editions.check import has_errors
from jianbao.editions.issue_store import (
    add_item,
    configured_view,
    delete_issue,
    get_issue,
    list_issues,
    move_item,
    open_or_new_issue,
    publication_config,
    remove_item,
    revise_issue,
)
from jianbao.errors import InputError
from jianbao.judge.category import DEFAULT_CATEGORIES
from jianbao.records import ISSUE_KINDS
from jianbao.render import available_formats, get_renderer, render
from jianbao.render.html import render_html
from jianbao.web import services
from jianbao.web.routes import database, pages, settings
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/issues", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]

PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@router.get("", response_class=HTMLResponse)
def issues_page(request: Request, user: Reader, deleted: int | None = None) -> HTMLResponse:
    with database(request).session() as s:
        return pages(request).render(
            request,
            "issues.html",
            issues=list_issues(s),
            kinds=ISSUE_KINDS,
            today=services.today().isoformat(),
            deleted=deleted,
        )


@router.post("", response_model=None)
def create_issue(
    request: Request,
    user: Editor,
    kind: Annotated[str, Form()],
    issue_date: Annotated[str, Form()],
    fill: Annotated[str, Form()] = "",
) -> Response:
    day = services.parse_day(issue_date, services.today())
    with database(request).session() as s:
        issue, created = open_or_new_issue(
            s, settings(request), kind, day, fill=None if fill else 0
        )
        issue_id = issue.id
    # a period has one issue: asking again opens it, and says so
    return _redirect(request, f"/issues/{issue_id}" + ("" if created else "?opened=1"))


def _redirect(request: Request, target: str) -> Response:
    if client_is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _composer(
    request: Request,
    issue: Issue,
    *,
    changed: bool = False,
    written: list[str] | None = None,
    opened: bool = False,
) -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue.id)
        findings = services.issue_findings(s, settings(request), issue)
        config = publication_config(issue.publication, settings(request))
        return pages(request).render(
            request,
            "composer.html",
            partial="_composer_body.html",
            headers={"HX-Trigger": "issue-changed"} if changed else None,
            issue=issue,
            findings=findings,
            categories=DEFAULT_CATEGORIES,
            formats=available_formats(),
            written=written or [],
            has_errors=has_errors(findings),
            opened=opened,
            grouped=bool(config.categories),
        )


@router.get("/{issue_id}", response_model=None)
def composer(request: Request, issue_id: int, user: Reader, opened: str = "") -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
    return _composer(request, issue, opened=bool(opened))


@router.post("/{issue_id}/delete", response_model=None)
def delete(request: Request, issue_id: int, user: Editor) -> Response:
    """Delete a draft; the later drafts take its number."""
    with database(request).session() as s:
        delete_issue(s, get_issue(s, issue_id))
    return _redirect(request, f"/issues?deleted={issue_id}")


def _changed(request: Request, issue: Issue) -> Response:
    if not client_is_htmx(request):
        return RedirectResponse(f"/issues/{issue.id}", status_code=303)
    return _composer(request, issue, changed=True)


@router.post("/{issue_id}/items", response_model=None)
def add(
    request: Request, issue_id: int, user: Editor, article_id: Annotated[int, Form()]
) -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        add_item(s, issue, article_id)
    return _changed(request, issue)


@router.post("/{issue_id}/items/{position}/move", response_model=None)
def move(
    request: Request, issue_id: int, position: int, user: Editor, to: Annotated[int, Form()]
) -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        if to < 1 or to > len(issue.items):
            to = min(max(to, 1), len(issue.items))
        move_item(s, issue, position, to)
    return _changed(request, issue)


@router.post("/{issue_id}/items/{position}/remove", response_model=None)
def remove(request: Request, issue_id: int, position: int, user: Editor) -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        remove_item(s, issue, position)
    return _changed(request, issue)


@router.post("/{issue_id}/items/{position}", response_model=None)
def edit(
    request: Request,
    issue_id: int,
    position: int,
    user: Editor,
    title: Annotated[str, Form()],
    summary: Annotated[str | None, Form()] = None,
    category: Annotated[str, Form()] = "",
    body: Annotated[str | None, Form()] = None,
    restore_body: Annotated[str, Form()] = "",
) -> Response:
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        services.edit_item(
            s,
            issue,
            position,
            title=title,
            summary=summary,
            category=category,
            body=body,
            restore_body=bool(restore_body),
            editor=user.username,
        )
    return _changed(request, issue)


@router.get("/{issue_id}/preview", response_class=HTMLResponse)
def preview(request: Request, issue_id: int, user: Reader) -> HTMLResponse:
    """The house-style HTML rendering, shown in a sandboxed frame."""
    with database(request).session() as s:
        body = render_html(configured_view(settings(request), get_issue(s, issue_id)))
    return HTMLResponse(body, headers={"Content-Security-Policy": PREVIEW_CSP})


@router.get("/{issue_id}/export/{fmt}", response_model=None)
def export(request: Request, issue_id: int, fmt: str, user: Reader) -> Response:
    """The issue as a file, drawn with its publication's render options (fonts and sizes)
    as ``jianbao issue render`` and publishing draw it: the composer's 导出 and the
    archive's 重新生成 give the document that was, or will be, published."""
    renderer = get_renderer(fmt)
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        view = configured_view(settings(request), issue)
        options = publication_config(issue.publication, settings(request)).render_options()
    folder = Path(tempfile.mkdtemp(prefix="jianbao-export-"))
    try:
        path = render(view, renderer.name, folder, options)
    except BaseException:
        _cleanup(folder)
        raise
    return FileResponse(
        path,
        filename=path.name,
        background=BackgroundTask(_cleanup, folder),
    )


def _cleanup(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@router.post("/{issue_id}/publish", response_model=None)
def publish(
    request: Request,
    issue_id: int,
    user: Editor,
    confirm: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    if confirm != "yes":
        raise InputError("发布前请勾选确认", item=f"#{issue_id}", hint="核对后勾选「确认发布」")
    with database(request).session() as s:
        issue = get_issue(s, issue_id)
        paths = services.publish(s, settings(request), issue, reason)
    if not client_is_htmx(request):
        return RedirectResponse(f"/issues/{issue_id}", status_code=303)
    return _composer(request, issue, changed=True, written=[p.name for p in paths])


@router.post("/{issue_id}/revise", response_model=None)
def revise(request: Request, issue_id: int, user: Editor) -> Response:
    with database(request).session() as s:
        copy = revise_issue(s, get_issue(s, issue_id))
        copy_id = copy.id
    return _redirect(request, f"/issues/{copy_id}")
