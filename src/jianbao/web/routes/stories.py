"""Stories by hand: the editor splits an article off a story that is not its event, or
merges two stories that are one. Each correction is kept (``story_corrections``) and
the event stage learns its threshold from them (:func:`jianbao.stories.event_threshold`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from jianbao.db.models import User
from jianbao.judge.authority import authority_rules
from jianbao.stories import merge_stories, split_article
from jianbao.web.routes import database, settings
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/stories", dependencies=[Depends(csrf_protect)])
Editor = Annotated[User, Depends(require("editor"))]


def _back(request: Request) -> str:
    """Where the editor came from (a page of this site only), else the candidates."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.path.startswith("/") and referer.netloc in ("", request.url.netloc):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/candidates"


@router.post("/split/{article_id}", response_model=None)
def split(request: Request, article_id: int, user: Editor) -> Response:
    """拆出: the article is another event; it becomes a story of its own."""
    rules = authority_rules(settings(request).authority)
    with database(request).session() as s:
        try:
            split_article(s, article_id, editor=user.username, rules=rules)
        except LookupError:
            raise HTTPException(404) from None
    return RedirectResponse(_back(request), status_code=303)


@router.post("/merge/{article_id}", response_model=None)
def merge(
    request: Request, article_id: int, user: Editor, other: Annotated[int, Form()]
) -> Response:
    """合并: the article's story and ``other``'s are one event."""
    rules = authority_rules(settings(request).authority)
    with database(request).session() as s:
        try:
            merge_stories(s, article_id, other, editor=user.username, rules=rules)
        except LookupError:
            raise HTTPException(404) from None
    return RedirectResponse(_back(request), status_code=303)
