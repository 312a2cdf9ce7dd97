"""来源: the sources with their health; add, edit, delete, enable/disable, OPML import and
export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from jianbao.collect.opml import write_opml
from jianbao.db.models import Source, User
from jianbao.db.revision import current as store_revision
from jianbao.db.store import SOURCE_KINDS, add_source, list_sources, source_spec
from jianbao.errors import NotFound
from jianbao.records import SourceSpec
from jianbao.sources import remove_source, update_source
from jianbao.web import services
from jianbao.web.routes import cache, database, pages, settings
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/sources", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]


def _page(request: Request, message: str = "", status_code: int = 200) -> HTMLResponse:
    with database(request).session() as s:
        revision = store_revision(s)  # read before the data it guards
        # health verdicts age with the clock: kept for the minute at most
        key = ("sources", datetime.now(UTC).strftime("%Y%m%d%H%M"))
        rows = cache(request).fetch(revision, key, lambda: services.source_health(s))
        return pages(request).render(
            request,
            "sources.html",
            partial="_sources_table.html",
            status_code=status_code,
            rows=rows,
            kinds=SOURCE_KINDS,
            message=message,
        )


@router.get("", response_class=HTMLResponse)
def sources_page(request: Request, user: Reader) -> HTMLResponse:
    return _page(request)


def _done(request: Request, message: str = "") -> Response:
    if client_is_htmx(request):
        return _page(request, message)
    return RedirectResponse("/sources", status_code=303)


class SourceForm(BaseModel):
    """The add and edit forms' fields, one model for both routes."""

    name: str
    url: str
    kind: str = "feed"
    link_selector: str = ""
    source_name: str = ""
    max_pages: int = 1

    def spec(self) -> SourceSpec:
        """The form as a source (checked by the store before it is written)."""
        return SourceSpec(
            name=self.name.strip(),
            url=self.url.strip(),
            kind=self.kind,  # type: ignore[arg-type]
            link_selector=self.link_selector.strip() or None,
            default_source_name=self.source_name.strip() or None,
            max_pages=self.max_pages,
        )


@router.post("", response_model=None)
def create_source(
    request: Request,
    user: Editor,
    form: Annotated[SourceForm, Form()],
) -> Response:
    spec = form.spec()
    with database(request).session() as s:
        add_source(s, spec)
    return _done(request)


@router.post("/{source_id:int}", response_model=None)
def edit_source(
    request: Request,
    source_id: int,
    user: Editor,
    form: Annotated[SourceForm, Form()],
) -> Response:
    """Change a source's name, address, kind, link selector, 来源 and pages."""
    spec = form.spec()
    with database(request).session() as s:
        update_source(s, source_id, spec)
    t = pages(request).context(request)["t"]
    return _done(request, t("src.saved", name=spec.name))


@router.post("/{source_id:int}/delete", response_model=None)
def delete_source(request: Request, source_id: int, user: Editor) -> Response:
    """Delete a source; the articles collected from it are kept."""
    with database(request).session() as s:
        name = remove_source(s, source_id)
    t = pages(request).context(request)["t"]
    return _done(request, t("src.deleted", name=name))


@router.post("/{source_id}/enabled", response_model=None)
def toggle(
    request: Request, source_id: int, user: Editor, enabled: Annotated[str, Form()]
) -> Response:
    with database(request).session() as s:
        services.set_source_enabled(s, source_id, enabled == "1")
    return _done(request)


@router.post("/{source_id}/test", response_class=HTMLResponse)
def test_source(request: Request, source_id: int, user: Editor) -> HTMLResponse:
    """Fetch the source now and list what it would yield (stores nothing)."""
    with database(request).session() as s:
        row = s.get(Source, source_id)
        if row is None:
            raise NotFound("没有这个来源", item=str(source_id))
        spec = source_spec(row)
    probe = services.preview_source(settings(request), spec)
    return pages(request).render(
        request, "_source_test.html", spec=spec, probe=probe, links=probe.links[:20]
    )


@router.post("/import", response_model=None)
def import_sources(request: Request, user: Editor, file: UploadFile) -> Response:
    data = file.file.read(5 * 1024 * 1024)
    with database(request).session() as s:
        added, skipped = services.import_opml(s, data)
    t = pages(request).context(request)["t"]
    return _page(request, t("src.imported", n=added, skipped=skipped))


@router.get("/export.opml", response_model=None)
def export_sources(request: Request, user: Reader) -> Response:
    with database(request).session() as s:
        text = write_opml([source_spec(row) for row in list_sources(s)])
    return Response(
        text,
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="jianbao-sources.opml"'},
    )
