"""Templates: one Jinja2 environment per app, the page context, and htmx partials.

Autoescaping is on for every template; the only HTML from articles that reaches a page
goes through ``safe_article_html`` (the nh3 sanitizer, run last). Static URLs carry a
content hash (``/static/app.css?v=…``) so they can be cached for a year. Templates are
read once: they ship with the package (restart the server after editing one).

The busiest pages (candidates, search) are kept whole, rendered, for as long as the
store's revision holds (:meth:`Pages.cached_page`): rendered once per role and language
with slots for what is the requester's own — the CSRF token, the name in the header and
the time the request took — which each request fills in. A kept page costs a lookup and
three byte replacements instead of queries and a template (issue 19).
"""

from __future__ import annotations

import hashlib
import html
import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from jianbao.archive.search import fold_term, mark_all
from jianbao.extract.sanitize import sanitize_html
from jianbao.records import SHANGHAI
from jianbao.web.cache import CSRF_SLOT, RevisionCache
from jianbao.web.i18n import WebMessages
from jianbao.web.security import (
    LANG_COOKIE,
    client_is_htmx,
    current_user,
    safe_href,
    url_part,
    web_session,
)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def static_versions() -> dict[str, str]:
    """A short content hash per static file, for cache-busting URLs."""
    versions = {}
    for path in STATIC.rglob("*"):
        if path.is_file():
            rel = path.relative_to(STATIC).as_posix()
            versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions


def fmt_time(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "-"
    return value.astimezone(SHANGHAI).strftime(pattern)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    return value.isoformat()


def safe_article_html(fragment: str | None, paragraphs: str = "") -> Markup:
    """An article's body as inert HTML: the stored HTML re-sanitized, else escaped text."""
    if fragment:
        return Markup(sanitize_html(fragment))
    parts = [p for p in paragraphs.split("\n") if p.strip()]
    return Markup("".join(f"<p>{html.escape(p)}</p>" for p in parts))


def highlight(text: str, terms: list[str]) -> Markup:
    """``text`` escaped, with every occurrence of the terms wrapped in <mark>, matched
    folded as search matches them (:func:`jianbao.archive.search.mark_all`): a published
    item found by 醫保 has its 医保 marked."""
    return Markup(mark_all(text, [fold_term(t) for t in terms]))


#: the signed-in user's name in a kept page: markup that escaped text never produces
NAME_SLOT = Markup("<name-slot/>")
#: the time a request took, in a kept page: per process, unguessable (it passes through
#: the message catalogue and is escaped like text, so it is letters and digits only)
TOOK_SLOT = "took" + secrets.token_hex(8)
_CSRF_BYTES = str(CSRF_SLOT).encode()
_NAME_BYTES = str(NAME_SLOT).encode()
_TOOK_BYTES = TOOK_SLOT.encode()


@dataclass(frozen=True)
class StandIn:
    """The signed-in user as a kept page shows them: the role decides what the page
    offers; the name is a slot each request fills in."""

    role: str
    display_name: str = NAME_SLOT
    username: str = NAME_SLOT


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # no stat of every template on every request
    )
    env.filters["time"] = fmt_time
    env.filters["day"] = fmt_date
    env.filters["safe_href"] = safe_href  # every stored URL that becomes a link
    env.filters["url_part"] = url_part  # every stored name put into a URL path
    env.globals["highlight"] = highlight
    return env


class Pages:
    """Renders templates with the context every page needs."""

    def __init__(self, default_language: str):
        self.env = make_environment()
        self.versions = static_versions()
        self.default_language = default_language

    def static(self, rel: str) -> str:
        return f"/static/{rel}?v={self.versions.get(rel, '0')}"

    def language(self, request: Request) -> str:
        lang = request.cookies.get(LANG_COOKIE, self.default_language)
        return lang if lang in ("zh", "en") else "zh"

    def csrf(self, request: Request) -> str:
        session = getattr(request.state, "web_session", None)
        return web_session(request).csrf if session else ""

    def context(self, request: Request, **values: Any) -> dict[str, Any]:
        lang = self.language(request)
        return {
            "request": request,
            "t": WebMessages(lang),
            "lang": lang,
            "user": current_user(request),
            "csrf": self.csrf(request),
            "static": self.static,
            "path": request.url.path,
            **values,
        }

    def fragment(self, request: Request, template: str, **values: Any) -> str:
        """A template rendered for caching: the CSRF token left as a slot
        (see :mod:`jianbao.web.cache`)."""
        context = self.context(request, **values)
        context["csrf"] = CSRF_SLOT
        return self.env.get_template(template).render(context)

    def kept_context(self, request: Request, **values: Any) -> dict[str, Any]:
        """The context of a page rendered to be kept: slots for the CSRF token and the
        user's name, the user's role as it is (see :data:`StandIn`)."""
        context = self.context(request, **values)
        user = context["user"]
        context["csrf"] = CSRF_SLOT
        context["user"] = StandIn(user.role) if user is not None else None
        return context

    def kept_page(
        self, request: Request, template: str, *, partial: str | None = None, **values: Any
    ) -> bytes:
        """``template`` (or ``partial`` when htmx asks) rendered with slots, encoded."""
        name = partial if partial and client_is_htmx(request) else template
        page = self.env.get_template(name).render(self.kept_context(request, **values))
        return page.encode()

    def page_key(self, request: Request, today: date) -> tuple[Hashable, ...]:
        """What a kept page depends on besides the store: the page and its query, the
        day (periods default to this week), the language, the user's role, and whether
        htmx asks for the partial."""
        user = current_user(request)
        return (
            "page",
            request.url.path,
            request.url.query,
            today,
            self.language(request),
            user.role if user is not None else None,
            client_is_htmx(request),
        )

    async def cached_page(
        self,
        request: Request,
        kept: RevisionCache,
        key: Hashable,
        revision: int | None,
        render: Callable[[], bytes],
    ) -> HTMLResponse:
        """The page for ``key`` at the store's ``revision``, rendered (in a worker
        thread) only when not kept; its slots filled in for this request. ``revision``
        None (not known yet): rendered afresh, not kept."""
        started = time.perf_counter()
        body: bytes | None = kept.peek(revision, key) if revision is not None else None
        if body is None:
            if revision is None:
                body = await run_in_threadpool(render)
            else:
                body = await run_in_threadpool(kept.fetch, revision, key, render)
        user = current_user(request)
        name = (user.display_name or user.username) if user is not None else ""
        took = round((time.perf_counter() - started) * 1000)
        body = (
            body.replace(_CSRF_BYTES, self.csrf(request).encode())
            .replace(_NAME_BYTES, html.escape(name).encode())
            .replace(_TOOK_BYTES, str(took).encode())
        )
        return HTMLResponse(body)

    def render(
        self,
        request: Request,
        template: str,
        *,
        partial: str | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        """The full page, or ``partial`` alone when htmx asks (the same route serves both)."""
        name = partial if partial and client_is_htmx(request) else template
        body = self.env.get_template(name).render(self.context(request, **values))
        return HTMLResponse(body, status_code=status_code, headers=headers)
