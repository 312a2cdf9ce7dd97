"""归档检索: every published issue by publication and date, and search over articles
and published items (the full-text index of jianbao.archive.search; published items by SQL LIKE)."""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from jianbao.db.models import User
from jianbao.records import ISSUE_KINDS
from jianbao.web import services
from jianbao.web.routes import database, pages
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
    with database(request).session() as s:
        results = services.search(s, q, start=first, end=last) if q.strip() else None
        issues = services.published_issues(s, kind if kind in ISSUE_KINDS else None)
        took = round((time.perf_counter() - started) * 1000)
        return pages(request).render(
            request,
            "archive.html",
            partial="_search_results.html",
            q=q,
            kind=kind,
            kinds=ISSUE_KINDS,
            start=start,
            end=end,
            results=results,
            issues=issues,
            took=took,
        )
