"""待选: the ranked candidates of a period, triaged with the keyboard.

Accepting or rejecting records an editor decision (training data) and accepting adds the
story to the open draft chosen at the top of the page. Each action answers with the
updated row, which htmx swaps in place.

The list is that of the chosen draft's publication: its candidate scopes (the daily's
卫生健康与数字经济政策, beside the relevant articles) as its drafts and ``jianbao
candidates --for`` have them; the weekly and the monthly list the relevant articles only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from jianbao.candidates import latest_candidate_day
from jianbao.db.models import Issue, User
from jianbao.editions.issue_store import default_draft, get_issue, publication_config
from jianbao.judge.category import DEFAULT_CATEGORIES
from jianbao.judge.rank import ranking_weights
from jianbao.judge.sentiment import POLARITIES
from jianbao.web import services
from jianbao.web.routes import cache, database, pages, settings, store_revision
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/candidates", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]


def _issue(session: Session, issue_id: int | None) -> Issue | None:
    if issue_id:
        return get_issue(session, issue_id)
    return default_draft(services.open_drafts(session), services.today())


def candidate_scopes(request: Request, target: Issue | None) -> tuple[str, ...]:
    """The scopes beyond relevance that ``target``'s publication lists (none without a
    draft: relevance alone, as the weekly)."""
    if target is None:
        return ()
    return publication_config(target.publication, settings(request)).candidate_scopes


@router.get("", response_class=HTMLResponse)
async def candidates_page(
    request: Request,
    user: Reader,
    start: str = "",
    end: str = "",
    category: str = "",
    source: str = "",
    status: str = "",
    q: str = "",
    all: str = "",
    issue: int | None = None,
    sentiment: str = "",
) -> HTMLResponse:
    """The page is kept whole per store revision (see ``Pages.cached_page``): a request
    for a kept page runs no query and renders nothing."""
    view = pages(request)
    today = services.today()

    def render() -> bytes:
        return _candidates_page(
            request,
            user.role,
            today,
            start,
            end,
            category,
            source,
            status,
            q,
            all,
            issue,
            sentiment,
        )

    key = view.page_key(request, today)
    return await view.cached_page(request, cache(request), key, store_revision(request), render)


def _candidates_page(
    request: Request,
    role: str,
    today: date,
    start: str,
    end: str,
    category: str,
    source: str,
    status: str,
    q: str,
    all: str,
    issue: int | None,
    sentiment: str,
) -> bytes:
    last = services.parse_day(end, today)
    first = services.parse_day(start, last - timedelta(days=6))
    status_filter = status if status in services.STATUSES else None
    view = pages(request)
    kept = cache(request)
    with database(request).session() as s:
        revision = store_revision(request, s)  # read before the data it guards
        assert revision is not None
        drafts = services.open_drafts(s)
        target = get_issue(s, issue) if issue else default_draft(drafts, today)
        scopes = candidate_scopes(request, target)

        def list_fragment() -> str:
            rows = services.candidate_rows(
                s,
                first,
                last,
                category=category,
                source=source,
                status=status_filter,
                text=q.strip(),
                include_irrelevant=bool(all),
                issue=target,
                weights=ranking_weights(settings(request)),
                sentiment=sentiment if sentiment in POLARITIES else None,
                scopes=scopes,
            )
            # an empty window says where the latest candidates are
            filtered = rows or all or category or source or status_filter or q.strip() or sentiment
            latest = None if filtered else latest_candidate_day(s, last)
            if latest is not None and latest >= first:
                latest = None
            return view.fragment(
                request,
                "_cand_list.html",
                rows=rows,
                target=target,
                categories=DEFAULT_CATEGORIES,
                period_end=last.isoformat(),
                latest=latest,
                latest_start=(latest - timedelta(days=6)).isoformat() if latest else "",
                scopes=() if all else scopes,
            )

        key = (
            "candidates",
            view.language(request),
            role == "reader",
            first,
            last,
            category,
            source,
            status_filter,
            q.strip(),
            bool(all),
            target.id if target else None,
            sentiment,
            scopes,
        )
        listing = Markup(kept.fetch(revision, key, list_fragment))  # its CSRF slot kept
        if client_is_htmx(request):
            return str(listing).encode()
        return view.kept_page(
            request,
            "candidates.html",
            listing=listing,
            drafts=drafts,
            target=target,
            categories=DEFAULT_CATEGORIES,
            sources=kept.fetch(
                revision, ("sources", first, last), lambda: services.source_names(s, first, last)
            ),
            statuses=services.STATUSES,
            period_end=last.isoformat(),
            f={
                "start": first.isoformat(),
                "end": last.isoformat(),
                "category": category,
                "source": source,
                "status": status,
                "q": q,
                "all": all,
                "sentiment": sentiment,
            },
            polarities=POLARITIES,
        )


def _row(
    request: Request,
    s: Session,
    article_id: int,
    issue_id: int | None,
    end: str,
    removed_from: Issue | None = None,
) -> HTMLResponse:
    target = _issue(s, issue_id) if issue_id else None
    period_end = services.parse_day(end, services.today()) if end else None
    row = services.candidate_row(
        s, article_id, target, period_end, ranking_weights(settings(request))
    )
    return pages(request).render(
        request,
        "_cand_row.html",
        row=row,
        target=target,
        categories=DEFAULT_CATEGORIES,
        period_end=period_end.isoformat() if period_end else "",
        removed_from=removed_from,
    )


@router.post("/{article_id}/accept", response_class=HTMLResponse)
def accept(
    request: Request,
    article_id: int,
    user: Editor,
    issue: Annotated[int | None, Form()] = None,
    end: Annotated[str, Form()] = "",
) -> HTMLResponse:
    with database(request).session() as s:
        services.accept_article(s, article_id, issue, user.username)
        return _row(request, s, article_id, issue, end)


@router.post("/{article_id}/reject", response_class=HTMLResponse)
def reject(
    request: Request,
    article_id: int,
    user: Editor,
    issue: Annotated[int | None, Form()] = None,
    end: Annotated[str, Form()] = "",
) -> HTMLResponse:
    with database(request).session() as s:
        left = services.reject_article(s, article_id, user.username, issue)
        return _row(request, s, article_id, issue, end, removed_from=left)


@router.post("/{article_id}/summary", response_class=HTMLResponse)
def summary(
    request: Request,
    article_id: int,
    user: Editor,
    summary: Annotated[str, Form()],
    issue: Annotated[int | None, Form()] = None,
    end: Annotated[str, Form()] = "",
) -> HTMLResponse:
    with database(request).session() as s:
        services.edit_summary(s, article_id, summary, user.username)
        return _row(request, s, article_id, issue, end)
