"""概览: articles per day by category and source, relevant share, top terms, largest
stories and sources needing attention; the charts are drawn by ECharts from JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from jianbao.db.models import User
from jianbao.db.revision import current as store_revision
from jianbao.web import services
from jianbao.web.routes import cache, database, pages
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/dashboard", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]


@router.get("", response_class=HTMLResponse)
def dashboard_page(request: Request, user: Reader, end: str = "") -> HTMLResponse:
    last = services.parse_day(end, services.today())
    with database(request).session() as s:
        revision = store_revision(s)  # read before the data it guards

        def figures() -> tuple[dict[str, object], str, list[services.SourceHealth]]:
            data = services.dashboard_data(s, last)
            # no "<" at all, so nothing can end the <script type="application/json"> block
            data_json = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
            attention = [row for row in services.source_health(s) if row.attention]
            return data, data_json, attention

        # health verdicts age with the clock: kept for the minute at most
        key = ("dashboard", last, datetime.now(UTC).strftime("%Y%m%d%H%M"))
        data, data_json, attention = cache(request).fetch(revision, key, figures)
        return pages(request).render(
            request,
            "dashboard.html",
            data=data,
            data_json=data_json,
            attention=attention,
            end=last.isoformat(),
        )
