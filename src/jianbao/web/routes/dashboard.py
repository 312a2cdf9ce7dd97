"""概览: articles per day by category and source, relevant share, top terms, largest
stories and sources needing attention; the charts are drawn by ECharts from JSON."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from jianbao.db.models import User
from jianbao.web import services
from jianbao.web.routes import database, pages
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/dashboard", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]


@router.get("", response_class=HTMLResponse)
def dashboard_page(request: Request, user: Reader, end: str = "") -> HTMLResponse:
    last = services.parse_day(end, services.today())
    with database(request).session() as s:
        data = services.dashboard_data(s, last)
        attention = [row for row in services.source_health(s) if row.attention]
        return pages(request).render(
            request,
            "dashboard.html",
            data=data,
            # no "<" at all, so nothing can end the <script type="application/json"> block
            data_json=json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"),
            attention=attention,
            end=last.isoformat(),
        )
