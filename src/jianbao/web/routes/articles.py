"""An article: its sanitized text, what the judge said, and its editable fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jianbao.db.models import Article, User
from jianbao.errors import NotFound
from jianbao.web import services
from jianbao.web.rendering import safe_article_html
from jianbao.web.routes import database, pages
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/articles", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]


@router.get("/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, user: Reader) -> HTMLResponse:
    with database(request).session() as s:
        article = s.get(Article, article_id)
        if article is None:
            raise NotFound("没有这篇文章", item=str(article_id))
        return pages(request).render(
            request,
            "article.html",
            partial="_article_fields.html",
            article=article,
            body=safe_article_html(article.html, article.body),
            saved=False,
        )


@router.post("/{article_id}", response_model=None)
def article_save(
    request: Request,
    article_id: int,
    user: Editor,
    title: Annotated[str, Form()],
    published: Annotated[str, Form()] = "",
    source_name: Annotated[str, Form()] = "",
) -> Response:
    with database(request).session() as s:
        article = services.edit_article(
            s,
            article_id,
            title=title,
            published=published,
            source_name=source_name,
            editor=user.username,
        )
        if client_is_htmx(request):
            return pages(request).render(
                request, "_article_fields.html", article=article, saved=True
            )
    return RedirectResponse(f"/articles/{article_id}", status_code=303)
