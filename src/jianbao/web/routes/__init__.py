"""One module per screen; shared helpers for reaching the app's state from a route."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.revision import current
from jianbao.db.session import Database
from jianbao.web.cache import RevisionCache
from jianbao.web.rendering import Pages


def pages(request: Request) -> Pages:
    result: Pages = request.app.state.pages
    return result


def cache(request: Request) -> RevisionCache:
    result: RevisionCache = request.app.state.cache
    return result


def database(request: Request) -> Database:
    result: Database = request.app.state.db
    return result


def settings(request: Request) -> Settings:
    result: Settings = request.app.state.settings
    return result


def store_revision(request: Request, session: Session | None = None) -> int | None:
    """The store's revision as the session middleware read it with the signed-in session,
    before anything this request reads (so it never claims data newer than it is), else
    read now through ``session`` (None without one)."""
    revision: int | None = getattr(request.state, "revision", None)
    if revision is None and session is not None:
        revision = current(session)
    return revision
