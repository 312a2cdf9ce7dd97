"""Issues in the store: creating drafts, editing their items, numbering, viewing.

Numbers come from the store, never from the editor's typing, and by construction: a
published issue keeps its number for good; a draft's number is provisional — the drafts
of a publication are numbered in date order after its last published issue (or from its
first number), again whenever a draft is made, deleted or published, so a deleted or
duplicate draft never consumes a number. A period has one issue: asking for a new draft
of a period that has one opens that one. The item list is one ordered list from which the
导语, the 目录 and the 具体内容 are all drawn.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from jianbao.candidates import list_candidates
from jianbao.collect.urls import canonicalize_url
from jianbao.config import Settings
from jianbao.db.models import Article, Delivery, Issue, IssueItem, Publication
from jianbao.decisions import latest_decisions, record_decision
from jianbao.editions.check import check_view, format_findings, has_errors
from jianbao.editions.compose import build_issue_view
from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.findings import CheckOptions, Finding, PastIssue, short
from jianbao.editions.periods import period_for
from jianbao.editions.publication import Publication as PublicationConfig
from jianbao.editions.publication import default_publications, house_defaults, load_publications
from jianbao.errors import InputError, IssueConflict, IssueError, NotFound
from jianbao.judge.rank import ranking_weights
from jianbao.records import SHANGHAI, IssueItemView, IssueKind, IssueView
from jianbao.render import render_many
from jianbao.render.feed import write_atom_feed
from jianbao.render.layout import xml_text

#: how many stories a new draft is filled with, by kind
DEFAULT_FILL = {"daily": 5, "weekly": 20, "monthly": 40}


def publication_configs(settings: Settings) -> dict[str, PublicationConfig]:
    """The publications as configured: the publications file, or the built-in three."""
    if settings.publications_file is not None:
        return load_publications(settings.publications_file)
    return default_publications(house_defaults(settings))


def calendar_override(settings: Settings) -> CalendarOverride | None:
    """The user's holiday file for years beyond the calendar library, when set."""
    return CalendarOverride.load(settings.calendar_file) if settings.calendar_file else None


def ensure_publications(session: Session, settings: Settings) -> dict[str, Publication]:
    """The configured publications in the store, created on first use and kept in step
    with the configuration (what a publication is called, who publishes it, its period);
    a publication's kind and first number no longer change once it has issues."""
    existing = {p.key: p for p in session.scalars(select(Publication))}
    for key, config in publication_configs(settings).items():
        row = existing.get(key)
        if row is None:
            row = Publication(key=key, kind=config.kind, first_number=config.first_number)
            session.add(row)
            existing[key] = row
        elif not row.issues:
            row.kind = config.kind
            row.first_number = config.first_number
        row.title = config.title
        row.publisher = config.publisher
        row.topic_phrase = config.topic_phrase
        row.scope = config.scope
        row.period_rule = config.period_rule
        row.source_label = config.source_label
    session.flush()
    return existing


def get_publication(session: Session, settings: Settings, key: str) -> Publication:
    pubs = ensure_publications(session, settings)
    if key not in pubs:
        raise NotFound("没有这个刊物", item=key, hint="可用：" + "、".join(pubs))
    return pubs[key]


def next_number(session: Session, publication: Publication) -> int:
    """The number the next published issue takes: the one after the publication's last
    published issue, or its first number (drafts hold no number for good)."""
    last = session.scalar(
        select(func.max(Issue.number)).where(
            Issue.publication_id == publication.id, Issue.status == "published"
        )
    )
    return publication.first_number if last is None else max(last + 1, publication.first_number)


def renumber_drafts(session: Session, publication: Publication) -> None:
    """Give the publication's drafts their provisional numbers: in date order, after the
    last published issue. Corrections (revision 2 on) keep the number they correct."""
    if publication.kind == "daily":
        return
    drafts = session.scalars(
        select(Issue)
        .where(
            Issue.publication_id == publication.id,
            Issue.status == "draft",
            Issue.revision == 1,
        )
        .order_by(Issue.issue_date, Issue.id)
    ).all()
    first = next_number(session, publication)
    changed = [(d, first + i) for i, d in enumerate(drafts) if d.number != first + i]
    if not changed:
        return
    for draft, _ in changed:  # cleared first: the unique key holds at every statement
        draft.number = None
    session.flush()
    for draft, number in changed:
        draft.number = number
    session.flush()


def period_issue(
    session: Session, publication: Publication, start: date, end: date
) -> Issue | None:
    """The issue (its latest revision) the publication already has for a period."""
    return session.scalar(
        select(Issue)
        .where(
            Issue.publication_id == publication.id,
            Issue.period_start == start,
            Issue.period_end == end,
        )
        .order_by(Issue.revision.desc(), Issue.id.desc())
        .limit(1)
    )


def new_issue(
    session: Session,
    settings: Settings,
    key: str,
    issue_date: date,
    *,
    number: int | None = None,
    fill: int | None = None,
) -> Issue:
    """A new draft issue of publication ``key`` (daily, weekly, monthly or a configured
    one) dated ``issue_date``, filled with the top candidates of its period — or the
    issue the publication already has for that period (see :func:`open_or_new_issue`)."""
    return open_or_new_issue(session, settings, key, issue_date, number=number, fill=fill)[0]


def open_or_new_issue(
    session: Session,
    settings: Settings,
    key: str,
    issue_date: date,
    *,
    number: int | None = None,
    fill: int | None = None,
) -> tuple[Issue, bool]:
    """(issue, created): the period's issue when it has one, else a new draft.

    ``number`` only continues a numbering kept by hand before jianbao (the publication's
    first issue); later numbers follow by construction and another one is refused."""
    publication = get_publication(session, settings, key)
    kind: IssueKind = publication.kind  # type: ignore[assignment]
    start, end = period_for(kind, issue_date, publication.period_rule, calendar_override(settings))
    existing = period_issue(session, publication, start, end)
    if existing is not None:
        if number is not None and kind != "daily" and existing.number != number:
            raise IssueError(
                f"{publication.title}这一时段已有一期（第{existing.number}期，编号 {existing.id}）",
                item=f"{start.isoformat()} – {end.isoformat()}",
                hint="打开已有的一期；不写 --number",
            )
        return existing, False
    if kind != "daily" and number is not None:
        has_issues = session.scalar(
            select(Issue.id).where(Issue.publication_id == publication.id).limit(1)
        )
        clash = session.scalar(
            select(Issue.id).where(Issue.publication_id == publication.id, Issue.number == number)
        )
        if clash is not None:
            raise IssueError(
                f"{publication.title}第{number}期已存在",
                hint="不写 --number 即自动接续下一期",
            )
        if has_issues is None:
            # the first issue jianbao makes continues the numbering kept by hand before
            publication.first_number = number
    issue = Issue(
        publication=publication,
        number=None,
        issue_date=issue_date,
        period_start=start,
        period_end=end,
    )
    session.add(issue)
    session.flush()
    renumber_drafts(session, publication)
    if kind != "daily" and number is not None and issue.number != number:
        raise IssueError(
            f"期号由上一期决定：这一期应是第{issue.number}期，不是第{number}期",
            item=f"{publication.title} {issue_date.isoformat()}",
            hint="不写 --number 即自动接续；草稿的期号在发布时确定",
        )
    count = DEFAULT_FILL.get(kind, 20) if fill is None else fill
    if count:
        weights = ranking_weights(settings)
        config = publication_configs(settings).get(key)
        scopes = config.candidate_scopes if config is not None else ()
        for candidate in list_candidates(
            session, start, end, limit=count, weights=weights, scopes=scopes
        ):
            article = session.get(Article, candidate.article.id)
            if article is not None:
                _append(session, issue, article)
    return issue, True


def delete_issue(session: Session, issue: Issue) -> None:
    """Delete a draft (a published issue is kept for good). The later drafts close up
    their provisional numbers; a preview's delivery records are kept, detached."""
    if issue.status != "draft":
        raise IssueError(
            "已发布的一期不能删除",
            item=f"#{issue.id}",
            hint="用 jianbao issue revise 建立更正稿",
        )
    for delivery in session.scalars(select(Delivery).where(Delivery.issue_id == issue.id)):
        delivery.issue_id = None
        delivery.summary = f"（已删除的草稿 #{issue.id}）{delivery.summary}"
    publication = issue.publication
    session.delete(issue)
    session.flush()
    renumber_drafts(session, publication)


def default_draft(drafts: list[Issue], day: date) -> Issue | None:
    """The draft the candidates' 加入 goes to unless the editor picks another: the daily
    of ``day``, else the draft whose period holds ``day`` (the shortest period: a weekly
    before a monthly), else the latest."""
    for draft in drafts:
        if draft.publication.kind == "daily" and draft.issue_date == day:
            return draft
    covering = [d for d in drafts if d.period_start <= day <= d.period_end]
    if covering:
        return min(covering, key=lambda d: (d.period_end - d.period_start, -d.id))
    return drafts[0] if drafts else None


def get_issue(session: Session, issue_id: int) -> Issue:
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise NotFound("没有这一期", item=str(issue_id), hint="用 jianbao issue list 查看")
    return issue


def list_issues(session: Session) -> list[Issue]:
    return list(session.scalars(select(Issue).order_by(Issue.issue_date.desc(), Issue.id.desc())))


def _editable(issue: Issue) -> None:
    if issue.status != "draft":
        raise IssueError(
            "已发布的一期不能再改",
            item=f"#{issue.id}",
            hint="用 jianbao issue revise 建立更正稿",
        )


def _append(session: Session, issue: Issue, article: Article) -> IssueItem:
    item = IssueItem(
        article_id=article.id,
        position=len(issue.items) + 1,
        title=article.title,
        summary=article.summary or "",
        source_name=article.source_name or "",
        category=article.category,
    )
    issue.items.append(item)
    session.flush()
    return item


def add_item(
    session: Session, issue: Issue, article_id: int, position: int | None = None
) -> IssueItem:
    """Add an article to a draft, at the end or at ``position`` (1-based)."""
    _editable(issue)
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(
            "没有这篇文章", item=str(article_id), hint="用 jianbao candidates 查看文章编号"
        )
    if any(item.article_id == article_id for item in issue.items):
        raise IssueError("这篇文章已在本期中", item=str(article_id))
    item = _append(session, issue, article)
    if position is not None:
        move_item(session, issue, item.position, position)
    return item


def remove_item(session: Session, issue: Issue, position: int) -> None:
    _editable(issue)
    item = _item_at(issue, position)
    issue.items.remove(item)
    _renumber(issue)
    session.flush()


def move_item(session: Session, issue: Issue, position: int, to: int) -> None:
    """Move the item at ``position`` to ``to`` (both 1-based); the others close up."""
    _editable(issue)
    item = _item_at(issue, position)
    if not 1 <= to <= len(issue.items):
        raise InputError(f"位置 {to} 超出本期范围", hint=f"可用 1 至 {len(issue.items)}")
    items = list(issue.items)
    items.remove(item)
    items.insert(to - 1, item)
    issue.items[:] = items
    _renumber(issue)
    session.flush()


def _item_at(issue: Issue, position: int) -> IssueItem:
    for item in issue.items:
        if item.position == position:
            return item
    raise InputError(
        f"本期没有第 {position} 条",
        item=f"#{issue.id}",
        hint=f"可用 1 至 {len(issue.items)}" if issue.items else "本期还是空的",
    )


def _renumber(issue: Issue) -> None:
    for index, item in enumerate(issue.items, start=1):
        item.position = index


def edit_item(
    session: Session,
    issue: Issue,
    position: int,
    *,
    title: str | None = None,
    summary: str | None = None,
    category: str | None = None,
    body: str | None = None,
    restore_body: bool = False,
    editor: str | None = None,
) -> IssueItem:
    """Change a draft item's title, summary, category or 主要内容 (None leaves a field as
    it is; an empty category clears it). The 主要内容 is kept on the item — the article's
    own text never changes — and ``restore_body`` (or a text equal to the article's)
    prints the article's text again. Each change is recorded as an editor decision, so
    the category model learns from corrections."""
    _editable(issue)
    item = _item_at(issue, position)
    detail: dict[str, list[str | None]] = {}
    if restore_body or body is not None:
        paragraphs = body_paragraphs(body or "") if not restore_body else []
        if not restore_body and not paragraphs:
            raise InputError(
                "主要内容不能为空",
                item=f"#{issue.id} 第{position}条",
                hint="要用文章原文，选「恢复原文」",
            )
        original = body_paragraphs(item.article.body)
        new_body = None if restore_body or paragraphs == original else "\n".join(paragraphs)
        if new_body != item.body:
            detail["body"] = [item.body, new_body]
            item.body = new_body
    if title is not None:
        # an invisible control character pasted with a title is dropped here, where it
        # comes in: the editor cannot see it, and the XML formats cannot hold it
        title = xml_text(title).strip()
        if not title:
            raise InputError("标题不能为空", item=f"#{issue.id} 第{position}条")
        if item.title != title:
            detail["title"] = [item.title, title]
            item.title = title
    if summary is not None:
        summary = xml_text(summary).strip()
        if item.summary != summary:
            detail["summary"] = [item.summary, summary]
            item.summary = summary
    if category is not None:
        new_category = category.strip() or None
        if new_category != item.category:
            record_decision(
                session,
                item.article_id,
                "category",
                editor=editor,
                detail={"category": [item.category, new_category]},
            )
            item.category = new_category
    if detail:
        detail["issue"] = [None, str(issue.id)]
        record_decision(session, item.article_id, "edit", editor=editor, detail=detail)
    session.flush()
    return item


def publication_config(row: Publication, settings: Settings | None = None) -> PublicationConfig:
    """The configuration of a stored publication: from the settings' publications when
    it is configured there (with its formats, categories and typography), else as stored."""
    if settings is not None:
        configured = publication_configs(settings).get(row.key)
        if configured is not None:
            return configured
    return PublicationConfig(
        key=row.key,
        title=row.title,
        kind=row.kind,  # type: ignore[arg-type]
        publisher=row.publisher,
        topic_phrase=row.topic_phrase,
        scope=row.scope,
        period_rule=row.period_rule,
        first_number=row.first_number,
        source_label=row.source_label,
    )


#: how many earlier published issues are searched for stories published again
RECENT_ISSUES = 4


def check_issue(
    session: Session,
    issue: Issue,
    *,
    settings: Settings | None = None,
    link_checker: Callable[[str], str | None] | None = None,
) -> list[Finding]:
    """Run the checker on a stored issue, with what the store knows: the number the
    issue should carry and the stories of the publication's recent issues."""
    publication = issue.publication
    expected: int | None = None
    waiting: list[Finding] = []
    if publication.kind != "daily":
        if issue.revision > 1:
            expected = issue.number
        elif issue.status == "draft":
            # a draft's number is the store's own (provisional, by construction)
            expected = issue.number
            waiting = _earlier_drafts(session, issue)
        else:
            last = session.scalar(
                select(func.max(Issue.number)).where(
                    Issue.publication_id == publication.id,
                    Issue.status == "published",
                    Issue.number != issue.number,
                )
            )
            expected = publication.first_number if last is None else last + 1
    earlier = select(Issue).where(
        Issue.publication_id == publication.id,
        Issue.status == "published",
        Issue.id != issue.id,
    )
    if issue.number is not None:  # earlier revisions of this number are not other issues
        earlier = earlier.where(Issue.number != issue.number)
    # nor, for a daily (no number), the issue of the same period it corrects
    earlier = earlier.where(
        or_(Issue.period_start != issue.period_start, Issue.period_end != issue.period_end)
    )
    recent = session.scalars(
        earlier.order_by(Issue.issue_date.desc(), Issue.id.desc()).limit(RECENT_ISSUES)
    )
    config = publication_config(publication, settings)
    override = calendar_override(settings) if settings else None
    options = CheckOptions(
        publication=config,
        expected_number=expected,
        recent=[PastIssue.from_view(issue_view(past)) for past in recent],
        link_checker=link_checker,
        calendar=override,
    )
    view = issue_view(issue, config, override)
    return check_view(view, options) + waiting + rejected_items(session, issue, view)


def _earlier_drafts(session: Session, issue: Issue) -> list[Finding]:
    """A draft numbered after another unpublished draft: publishing it first gives it
    that draft's number (and the other the next) — say so before the editor sees the
    number change."""
    next_up = next_number(session, issue.publication)
    if issue.number is None or issue.number == next_up:
        return []
    first = session.scalar(
        select(Issue).where(
            Issue.publication_id == issue.publication_id,
            Issue.status == "draft",
            Issue.number == next_up,
        )
    )
    other = f"第{next_up}期草稿（{first.issue_date.isoformat()}）" if first else "较早的草稿"
    return [
        Finding(
            rule="number",
            message=f"本期期号暂定为第{issue.number}期：{other}尚未发布",
            fix=f"先发布较早的一期；若先发布本期，本期取第{next_up}期，那一期顺延",
            severity="warning",
        )
    ]


def rejected_items(session: Session, issue: Issue, view: IssueView) -> list[Finding]:
    """Items the editor marked 不用 after they were put in the draft: the row's 不用 and
    the draft's copy must not disagree unnoticed."""
    if issue.status != "draft" or not issue.items:
        return []
    status = latest_decisions(session, [item.article_id for item in issue.items])
    urls = {
        canonicalize_url(item.article.url)
        for item in issue.items
        if status.get(item.article_id) == "reject"
    }
    return [
        Finding(
            rule="rejected",
            message=f"《{short(item.title)}》已标为「不用」，却仍在本期中",
            fix="确需刊用就重新采用，否则移出本期",
            item=item.position,
            where="具体内容" if view.kind != "daily" else "",
        )
        for item in view.items
        if item.url in urls
    ]


def publish_issue(
    session: Session,
    settings: Settings,
    issue: Issue,
    *,
    override_reason: str | None = None,
    link_checker: Callable[[str], str | None] | None = None,
    as_number: int | None = None,
) -> list[Path]:
    """Check, freeze and archive a draft; return the files written.

    A failed check blocks publishing unless ``override_reason`` says why it may go out
    anyway; the reason is recorded on the issue. Publishing renders every format of the
    publication into the archive folder and records a publish decision per item.

    The draft is claimed in the store first (:func:`_claim_draft`), so one draft is
    published once however many requests, tabs or processes ask at the same moment: the
    others are refused with an :class:`IssueConflict` naming the issue already published.

    ``as_number`` is the number the editor confirmed (the draft's number as their request
    read it). Publishes of one publication take their numbers one after the other
    (:func:`_hold_numbering`); when another draft was published meanwhile under that
    number (out of turn, by another editor), this one is refused with an IssueConflict
    before anything is written, rather than going out under a number nobody confirmed.
    The unattended send gives none: no one confirmed a number, it takes the next one.
    """
    _hold_numbering(session, issue)
    _claim_draft(session, issue)
    if not issue.items:
        raise IssueError("空的一期不能发布", item=f"#{issue.id}")
    _take_next_number(session, issue, as_number)
    findings = check_issue(session, issue, settings=settings, link_checker=link_checker)
    if has_errors(findings) and not (override_reason and override_reason.strip()):
        raise IssueError(
            "检查发现错误：\n" + format_findings(findings),
            item=f"#{issue.id}",
            hint='改正后再发布，或用 --force --reason "理由" 强制发布（理由记录在案）',
        )
    config = publication_config(issue.publication, settings)
    view = issue_view(issue, config, calendar_override(settings))
    folder = archive_folder(settings, issue)
    if folder.exists():
        shutil.rmtree(folder)
    paths = render_many(view, config.output_formats, folder, config.render_options())
    issue.status = "published"
    issue.published_at = datetime.now(UTC)
    issue.check_override = (
        override_reason.strip() if has_errors(findings) and override_reason else None
    )
    issue.files = [path.relative_to(settings.data_dir).as_posix() for path in paths]
    for item in issue.items:
        record_decision(session, item.article_id, "publish", detail={"issue": issue.id})
    session.flush()
    renumber_drafts(session, issue.publication)
    write_issues_feed(session, settings, issue.publication)
    return paths


def _claim_draft(session: Session, issue: Issue) -> None:
    """Hold the draft for this publish until the transaction ends, or refuse.

    A compare-and-set on its state (``UPDATE … WHERE status = 'draft'``, changing
    nothing): on PostgreSQL it takes the row's lock, so a second publisher waits for the
    first to commit and then finds no draft left; on SQLite the statement takes the
    store's write lock, with the same result. Both had read the issue as a draft before,
    so the state in memory (``_editable``) could not tell them apart; and the claim comes
    before the rendering, so two publishers never write one archive folder at once."""
    claimed = session.execute(
        update(Issue)
        .where(Issue.id == issue.id, Issue.status == "draft")
        .values(status="draft")
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) == 1:
        session.refresh(issue)  # as the lock found it: another publish may have renumbered it
        return
    row = session.execute(
        select(Issue.number, Issue.published_at).where(Issue.id == issue.id)
    ).first()
    if row is None:
        raise NotFound("没有这一期（已被删除）", item=f"#{issue.id}", hint="刷新「编刊」列表")
    number, published_at = row
    when = f"{published_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if published_at else ""
    label = f"第{number}期" if number is not None else issue.issue_date.isoformat()
    raise IssueConflict(
        f"这一期已于 {when} 发布，不再重复发布（already published at {when}）"
        if when
        else "这一期已发布，不再重复发布（already published）",
        item=f"{issue.publication.title} {label} #{issue.id}",
        hint=(
            "可能是另一位编辑或另一个窗口先发布了；刷新页面查看，要修改请建立更正稿"
            " (another editor or tab published it first: reload to see it; to change it,"
            " make a correction)"
        ),
    )


def _hold_numbering(session: Session, issue: Issue) -> None:
    """Hold the publication's numbering until the transaction ends: a statement that
    changes nothing on its row, which takes the row's lock on PostgreSQL (the store's
    write lock on SQLite). Two editors publishing two drafts of one publication at once
    then take numbers one after the other, the second reading the first's number once it
    is committed. (The store's revision counter serialises writers on PostgreSQL too
    today; the numbering does not depend on it.)"""
    _hold_row(session, Publication, issue.publication_id, Publication.first_number)


def _take_next_number(session: Session, issue: Issue, as_number: int | None = None) -> None:
    """A draft being published takes the publication's next number, even when an
    earlier-dated draft was still waiting (that one is renumbered after it) — unless the
    number the editor confirmed (``as_number``) was taken meanwhile by another publish."""
    if issue.revision != 1 or issue.publication.kind == "daily":
        return
    number = next_number(session, issue.publication)
    if as_number is not None and as_number != number:
        _refuse_taken_number(session, issue, as_number, number)
    if issue.number == number:
        return
    holder = session.scalar(
        select(Issue).where(
            Issue.publication_id == issue.publication_id,
            Issue.number == number,
            Issue.status == "draft",
        )
    )
    if holder is not None:
        holder.number = None
        session.flush()
    issue.number = number
    session.flush()


def _refuse_taken_number(session: Session, issue: Issue, confirmed: int, number: int) -> None:
    """Refuse a publish whose confirmed number another issue, published meanwhile, holds:
    the editor saw 第547期 in the composer, and 547 is now printed on another issue (one
    published out of turn took it and this draft was renumbered after it). Publishing
    it as 第548期 would print a number nobody confirmed, so the editor is told, and
    reloads to see the draft's new number. A number not taken (a later draft published
    out of turn before this one moved nothing) is no conflict."""
    taken = session.scalar(
        select(Issue)
        .where(
            Issue.publication_id == issue.publication_id,
            Issue.number == confirmed,
            Issue.status == "published",
        )
        .order_by(Issue.revision)
        .limit(1)
    )
    if taken is None:
        return
    at = taken.published_at
    when = f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if at else ""
    raise IssueConflict(
        f"第{confirmed}期刚被 {taken.issue_date} 那一期（#{taken.id}）于 {when} 发布时占用，"
        f"本稿未发布，现为第{number}期"
        f"（No. {confirmed} was just taken by the issue of {taken.issue_date}, #{taken.id},"
        f" published at {when}; this draft was not published and is now No. {number}）",
        item=f"{issue.publication.title} {issue.issue_date} #{issue.id}",
        hint=(
            f"刷新页面核对期号；确应作为第{number}期发布就再发布一次"
            f" (reload and check the number; publish again if it should go out as"
            f" No. {number})"
        ),
    )


#: how many published issues the feed of a publication lists
FEED_ISSUES = 20


def write_issues_feed(session: Session, settings: Settings, publication: Publication) -> Path:
    """archive/<publication>/feed.atom: the publication's latest published issues, each
    linking to its HTML rendering (or its first file) in the archive."""
    folder = settings.data_dir / "archive" / publication.key
    base = (
        settings.public_url.rstrip("/") + "/archive/" + publication.key
        if settings.public_url
        else folder.resolve().as_uri()
    )
    issues = session.scalars(
        select(Issue)
        .where(Issue.publication_id == publication.id, Issue.status == "published")
        .order_by(Issue.issue_date.desc(), Issue.revision.desc())
        .limit(FEED_ISSUES)
    ).all()
    config = publication_config(publication, settings)
    views, links, stamps = [], [], []
    for past in issues:
        files = past.files or []
        page = next((f for f in files if f.endswith(".html")), files[0] if files else "")
        relative = page.split(f"archive/{publication.key}/", 1)[-1]
        views.append(issue_view(past, config))
        links.append(f"{base}/{relative}")
        stamps.append(past.published_at)
    folder.mkdir(parents=True, exist_ok=True)
    return write_atom_feed(
        views,
        folder / "feed.atom",
        feed_title=publication.title,
        base_url=base,
        published=stamps,
        links=links,
    )


def archive_folder(settings: Settings, issue: Issue) -> Path:
    """Where a published issue's files live: archive/<publication>/<date>-<number>-r<rev>."""
    number = f"-{issue.number}" if issue.number is not None else ""
    name = f"{issue.issue_date.isoformat()}{number}-r{issue.revision}"
    return settings.data_dir / "archive" / issue.publication.key / name


def revise_issue(session: Session, issue: Issue) -> Issue:
    """A correction of a published issue: a new draft revision with the same number and
    items, or the correction draft it already has (:func:`open_or_revise_issue`)."""
    return open_or_revise_issue(session, issue)[0]


def open_or_revise_issue(session: Session, issue: Issue) -> tuple[Issue, bool]:
    """A correction of a published issue and whether it was created now: a new draft
    revision with the same number and items (the published revision is kept as it was),
    or the correction draft the issue already has.

    Its revision follows the highest of the same issue: the same number, or for a daily
    (no number) the same period. Matching ``number IS NULL`` counted every daily of the
    publication, and the first correction of a day went out as 第 5 版.

    One correction draft at a time: two editors (two tabs, a retried request) asking at
    once each made one — for a daily two 第 2 版 drafts, for a numbered issue a 500 from
    the unique key. The published row is held first (:func:`_hold_published`), so the
    second waits for the first to commit and is given the draft it made: the editor asked
    for a draft to correct, and there is one."""
    if issue.status != "published":
        raise IssueError(
            "只有已发布的一期才能更正",
            item=f"#{issue.id}",
            hint="直接修改草稿即可",
        )
    _hold_published(session, issue)
    same_issue = (
        [Issue.number == issue.number]
        if issue.number is not None
        else [
            Issue.number.is_(None),
            Issue.period_start == issue.period_start,
            Issue.period_end == issue.period_end,
        ]
    )
    waiting = session.scalar(
        select(Issue)
        .where(
            Issue.publication_id == issue.publication_id,
            *same_issue,
            Issue.status == "draft",
            Issue.revision > 1,
        )
        .order_by(Issue.revision.desc())
        .limit(1)
    )
    if waiting is not None:
        return waiting, False
    latest = session.scalar(
        select(func.max(Issue.revision)).where(
            Issue.publication_id == issue.publication_id, *same_issue
        )
    )
    revision = Issue(
        publication=issue.publication,
        number=issue.number,
        revision=(latest or issue.revision) + 1,
        issue_date=issue.issue_date,
        period_start=issue.period_start,
        period_end=issue.period_end,
        lead=issue.lead,
        heading=issue.heading,
    )
    session.add(revision)
    session.flush()
    for item in issue.items:
        revision.items.append(
            IssueItem(
                article_id=item.article_id,
                position=item.position,
                title=item.title,
                summary=item.summary,
                source_name=item.source_name,
                category=item.category,
                body=item.body,
                printed_url=item.printed_url,
                printed_date=item.printed_date,
            )
        )
    session.flush()
    return revision, True


def _hold_published(session: Session, issue: Issue) -> None:
    """Hold a published issue's row until the transaction ends (a statement changing
    nothing: the row's lock on PostgreSQL, the write lock on SQLite), so its corrections
    are made one at a time, each reading the drafts the ones before it committed."""
    _hold_row(session, Issue, issue.id, Issue.status)


def _hold_row(
    session: Session,
    model: type[Issue | Publication],
    row_id: int,
    column: InstrumentedAttribute[Any],
) -> None:
    """Hold one row until the transaction ends: a statement setting ``column`` to itself
    (changing nothing) takes the row's lock on PostgreSQL and the store's write lock on
    SQLite."""
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column.key: column})
        .execution_options(synchronize_session=False)
    )


def body_paragraphs(text: str) -> list[str]:
    """A 主要内容 as paragraphs: one a line, trimmed, blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def item_paragraphs(item: IssueItem) -> list[str]:
    """The item's 主要内容: the editor's text when set, else the article's own."""
    return body_paragraphs(item.body if item.body is not None else item.article.body)


def item_url(item: IssueItem) -> str:
    """The link an item prints: an imported issue's as it printed it, else the article's
    canonical one (no utm_ and the like)."""
    if item.printed_url is not None:
        return item.printed_url
    return canonicalize_url(item.article.url)


def item_date(item: IssueItem) -> date | None:
    """The date an item prints: an imported issue's as it printed it, else the article's
    publication day (Shanghai)."""
    if item.printed_url is not None:
        return item.printed_date
    published = item.article.published_at
    return published.astimezone(SHANGHAI).date() if published else None


def configured_view(settings: Settings, issue: Issue) -> IssueView:
    """The view of an issue with everything the configuration adds (categories, holidays)."""
    return issue_view(
        issue, publication_config(issue.publication, settings), calendar_override(settings)
    )


def issue_view(
    issue: Issue,
    config: PublicationConfig | None = None,
    override: CalendarOverride | None = None,
) -> IssueView:
    """The render-ready view of an issue, computed from its stored items (``config`` adds
    the publication's categories; ``override`` the user's holiday file)."""
    pub = issue.publication
    items = [
        IssueItemView(
            position=item.position,
            title=item.title,
            url=item_url(item),
            source=item.source_name,
            published_at=item_date(item),
            summary=item.summary,
            paragraphs=item_paragraphs(item),
            category=item.category,
        )
        for item in issue.items
    ]
    kind: IssueKind = pub.kind  # type: ignore[assignment]
    view = build_issue_view(
        kind,
        publication_title=pub.title,
        issue_date=issue.issue_date,
        number=issue.number,
        items=items,
        publisher=pub.publisher,
        topic_phrase=pub.topic_phrase,
        scope=pub.scope,
        period=(issue.period_start, issue.period_end),
        source_label=pub.source_label,
        categories=list(config.categories) if config and config.categories else None,
        calendar_override=override,
    )
    # an imported back issue says what it said (its own 导语 and day heading)
    if issue.lead:
        view.lead = issue.lead
    if issue.heading:
        view.heading = issue.heading
    return view
