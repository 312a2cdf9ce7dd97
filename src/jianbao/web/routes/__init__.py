"""One module per screen; shared helpers for reaching the app's state from a route."""

from __future__ import annotations

from fastapi import Request

from jianbao.config import Settings
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
