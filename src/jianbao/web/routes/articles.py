"""An article: its sanitized text, what the judge said, its editable fields, the other
outlets of its story, and accepting it into a draft (as from the candidates list)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Issue, IssueItem, User
from jianbao.decisions import latest_decisions
from jianbao.editions.issue_store import default_draft
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
            **_story_and_drafts(s, article),
        )


def _story_and_drafts(s: Session, article: Article) -> dict[str, Any]:
    """The other outlets of the article's story, the drafts it could go into (today's
    daily first, as on the candidates list), the drafts holding it, and its status."""
    others: list[Article] = []
    if article.story_id is not None:
        others = list(
            s.scalars(
                select(Article)
                .where(Article.story_id == article.story_id, Article.id != article.id)
                .order_by(Article.published_at)
            )
        )
    drafts = services.open_drafts(s)
    holding = list(
        s.scalars(
            select(Issue)
            .join(IssueItem)
            .where(IssueItem.article_id == article.id, Issue.status == "draft")
        )
    )
    return {
        "others": others,
        "drafts": drafts,
        "target": default_draft(drafts, services.today()),
        "holding": holding,
        "status": latest_decisions(s, [article.id]).get(article.id, "new"),
    }


@router.post("/{article_id}/accept", response_model=None)
def article_accept(
    request: Request,
    article_id: int,
    user: Editor,
    issue: Annotated[int | None, Form()] = None,
) -> Response:
    """采用 from the article page: the decision, and the article added to the draft chosen."""
    with database(request).session() as s:
        services.accept_article(s, article_id, issue, user.username)
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


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
