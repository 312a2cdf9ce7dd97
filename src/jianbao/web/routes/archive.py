"""归档检索: every published issue by publication and date, and search over articles
and published items (the full-text index of jianbao.archive.search; published items by SQL LIKE)."""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from jianbao.db.models import User
from jianbao.db.revision import current as store_revision
from jianbao.records import ISSUE_KINDS
from jianbao.web import services
from jianbao.web.cache import with_csrf
from jianbao.web.routes import cache, database, pages
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/archive", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]


@router.get("", response_class=HTMLResponse)
def archive_page(
    request: Request,
    user: Reader,
    q: str = "",
    kind: str = "",
    start: str = "",
    end: str = "",
) -> HTMLResponse:
    started = time.perf_counter()
    first = services.parse_day(start, date(1970, 1, 1)) if start else None
    last = services.parse_day(end, date(9999, 12, 30)) if end else None
    view = pages(request)
    kind = kind if kind in ISSUE_KINDS else ""
    with database(request).session() as s:
        revision = store_revision(s)  # read before the data it guards

        def listing() -> str:
            return view.fragment(
                request,
                "_search_listing.html",
                results=services.search(s, q, start=first, end=last) if q.strip() else None,
                issues=services.published_issues(s, kind or None),
            )

        key = ("archive", view.language(request), q.strip(), kind, first, last)
        fragment = with_csrf(cache(request).fetch(revision, key, listing), view.csrf(request))
        took = round((time.perf_counter() - started) * 1000)
        return view.render(
            request,
            "archive.html",
            partial="_search_results.html",
            q=q,
            kind=kind,
            kinds=ISSUE_KINDS,
            start=start,
            end=end,
            results=bool(q.strip()),
            listing=fragment,
            took=took,
        )
