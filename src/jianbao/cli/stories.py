"""``jianbao stories split|merge``: the editor's word on what is one event, as in the
workstation's 拆出 and 合并. Each is kept as a story correction, from which the event stage
learns its threshold. Registered on ``jianbao.cli.app`` when imported."""

from __future__ import annotations

from typing import Annotated

import typer

from jianbao.cli.common import app, console, open_db, state, t

stories_app = typer.Typer(
    help="报道合并：拆出或合并同一事件 (split or merge stories by hand).",
    no_args_is_help=True,
)
app.add_typer(stories_app, name="stories")


def _who() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in a container: still say where it came from
        return "cli"


def _missing(article_id: object) -> Exception:
    from jianbao.errors import InputError

    return InputError(
        f"找不到文章 {article_id}，或它还不属于任何报道",
        hint="文章编号见 jianbao candidates 的第一列",
    )


@stories_app.command("split")
def stories_split(article_id: Annotated[int, typer.Argument(help="文章编号")]) -> None:
    """把文章从所在报道拆出，单独成条：不是同一事件 (split an article off its story)."""
    from jianbao.judge.authority import authority_rules
    from jianbao.stories import split_article

    rules = authority_rules(state.get_settings().authority)
    with open_db() as db, db.session() as session:
        try:
            story = split_article(session, article_id, editor=_who(), rules=rules)
        except LookupError:
            raise _missing(article_id) from None
    console.print(t("stories.split", id=article_id, story=story), markup=False)


@stories_app.command("merge")
def stories_merge(
    article_id: Annotated[int, typer.Argument(help="文章编号")],
    other_id: Annotated[int, typer.Argument(help="另一篇文章的编号")],
) -> None:
    """把两篇文章所在的报道合为一条：同一事件 (merge two articles' stories)."""
    from jianbao.judge.authority import authority_rules
    from jianbao.stories import merge_stories

    rules = authority_rules(state.get_settings().authority)
    with open_db() as db, db.session() as session:
        try:
            story = merge_stories(session, article_id, other_id, editor=_who(), rules=rules)
        except LookupError as missing:
            raise _missing(missing.args[0] if missing.args else article_id) from None
    console.print(t("stories.merged", id=article_id, other=other_id, story=story), markup=False)
