"""归档检索: every published issue by publication and date, and search over articles
and published items (SQL LIKE for now; correct for one- and two-character terms)."""

from __future__ import annotations

import time
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
def archive_page(request: Request, user: Reader, q: str = "", kind: str = "") -> HTMLResponse:
    started = time.perf_counter()
    with database(request).session() as s:
        results = services.search(s, q) if q.strip() else None
        issues = services.published_issues(s, kind if kind in ISSUE_KINDS else None)
        took = round((time.perf_counter() - started) * 1000)
        return pages(request).render(
            request,
            "archive.html",
            partial="_search_results.html",
            q=q,
            kind=kind,
            kinds=ISSUE_KINDS,
            results=results,
            issues=issues,
            took=took,
        )
