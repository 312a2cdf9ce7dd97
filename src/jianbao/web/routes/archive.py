"""归档检索: every published issue — composed here or imported from back-issue files — by
publication and year, with its kept files to download and a re-rendering in today's
house style; search over articles (naming the issues each appeared in) and published
items (the full-text index of jianbao.archive.search; published items read one by one),
every word read folded (Simplified, NFKC) in both."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse
from markupsafe import Markup

from jianbao.archive.listing import (
    appearances,
    archive_publications,
    archive_years,
    archived_issues,
    item_counts,
    kept_file,
)
from jianbao.db.models import User
from jianbao.editions.issue_store import get_issue
from jianbao.errors import NotFound
from jianbao.records import ISSUE_KINDS
from jianbao.web import services
from jianbao.web.rendering import TOOK_SLOT
from jianbao.web.routes import cache, database, pages, settings, store_revision
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/archive", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]

#: the formats an archived issue can be rendered in anew (today's house style)
RERENDER_FORMATS = ("docx", "pdf", "html")


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2999 else None


@router.get("", response_class=HTMLResponse)
async def archive_page(
    request: Request,
    user: Reader,
    q: str = "",
    kind: str = "",
    publication: str = "",
    year: str = "",
    start: str = "",
    end: str = "",
) -> HTMLResponse:
    """The page is kept whole per store revision (see ``Pages.cached_page``); 用时 says
    how long this request took."""
    view = pages(request)

    def render() -> bytes:
        return _archive_page(request, q, kind, publication, year, start, end)

    key = view.page_key(request, date.today())
    return await view.cached_page(request, cache(request), key, store_revision(request), render)


def _archive_page(
    request: Request, q: str, kind: str, publication: str, year: str, start: str, end: str
) -> bytes:
    first = services.parse_day(start, date(1970, 1, 1)) if start else None
    last = services.parse_day(end, date(9999, 12, 30)) if end else None
    view = pages(request)
    kind = kind if kind in ISSUE_KINDS else ""
    chosen_year = _year(year)
    with database(request).session() as s:
        revision = store_revision(request, s)  # read before the data it guards
        assert revision is not None
        choices = archive_publications(s)
        keys = {key for key, _title in choices}
        publication = publication if publication in keys else ""
        years = archive_years(s)

        def listing() -> str:
            results = services.search(s, q, start=first, end=last) if q.strip() else None
            seen = appearances(s, [hit.article.id for hit in results.articles]) if results else {}
            issues = archived_issues(s, publication=publication or kind or None, year=chosen_year)
            return view.fragment(
                request,
                "_search_listing.html",
                results=results,
                appeared=seen,
                issues=issues,
                item_counts=item_counts(s, [i.id for i in issues]),
                rerender=RERENDER_FORMATS,
            )

        key = (
            "archive",
            view.language(request),
            q.strip(),
            kind,
            publication,
            chosen_year,
            first,
            last,
        )
        fragment = Markup(cache(request).fetch(revision, key, listing))  # its CSRF slot kept
        return view.kept_page(
            request,
            "archive.html",
            partial="_search_results.html",
            q=q,
            kind=kind,
            kinds=ISSUE_KINDS,
            publication=publication,
            publications=choices,
            year=chosen_year,
            years=years,
            start=start,
            end=end,
            results=bool(q.strip()),
            listing=fragment,
            took=TOOK_SLOT,
        )


@router.get("/files/{issue_id}/{index}", response_model=None)
def archived_file(request: Request, issue_id: int, index: int, user: Reader) -> FileResponse:
    """A file kept for a published issue: its renderings, or the back-issue file it was
    imported from."""
    with database(request).session() as s:
        path = kept_file(settings(request).data_dir, get_issue(s, issue_id), index)
    if path is None:
        raise NotFound("归档中没有这个文件", item=f"#{issue_id}/{index}", hint="回到归档页重新选择")
    return FileResponse(path, filename=path.name)
