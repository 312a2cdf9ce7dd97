"""The stored records: sources, fetch attempts, articles, stories, editor decisions,
publications, issues and their items.

Everything an editor or a reader may need later is kept here: articles are never deleted
by collection, decisions are appended, a published issue is frozen and its corrections
are new revisions of the same number.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from jianbao.db.types import AwareDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A place to collect from, with its fetch state and health."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="feed")
    link_selector: Mapped[str | None] = mapped_column(Text, default=None)
    max_pages: Mapped[int] = mapped_column(Integer, default=1)
    default_source_name: Mapped[str | None] = mapped_column(String(200), default=None)
    render: Mapped[str] = mapped_column(String(20), default="http")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: whether robots.txt is honoured for this source
    respect_robots: Mapped[bool] = mapped_column(Boolean, default=True)
    poll_minutes: Mapped[int] = mapped_column(Integer, default=60)
    etag: Mapped[str | None] = mapped_column(Text, default=None)
    last_modified: Mapped[str | None] = mapped_column(Text, default=None)
    last_checked_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class FetchAttempt(Base):
    """One visit to a source in a collection cycle, with what it found or why it failed.

    Kept for ``fetch_attempts_keep_days`` (jianbao.db.attempts prunes older ones), and
    read only through the indexes below (migration 0025): the table gains a row per
    source visit, millions a year."""

    __tablename__ = "fetch_attempts"
    __table_args__ = (
        # a source's visits newest first: its last ones (adaptive poll interval), its
        # newest that found links (source health), the ones pruning keeps
        Index("ix_fetch_attempts_source_id_id", "source_id", "id"),
        # the oldest first, for pruning
        Index("ix_fetch_attempts_started_at", "started_at"),
        # the few a killed cycle left running, closed when the next one starts
        Index(
            "ix_fetch_attempts_running",
            "id",
            sqlite_where=text("outcome = 'running'"),
            postgresql_where=text("outcome = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    http_status: Mapped[int | None] = mapped_column(Integer, default=None)
    outcome: Mapped[str] = mapped_column(String(20), default="running")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    links_found: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class Story(Base):
    """A story cluster: the same event carried by one or more outlets."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the article shown for the story; a plain id (not a foreign key) because articles
    #: also point at their story, and a cycle of keys complicates every migration
    representative_id: Mapped[int | None] = mapped_column(Integer, default=None)
    size: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class Article(Base):
    """An extracted article with what the judge stage said about it."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_published_at", "published_at"),
        # the candidates list: the relevant articles of a period (migration 0005)
        Index("ix_articles_relevant_published_at", "relevant", "published_at"),
        # each source's articles of the last week and month (source health)
        Index("ix_articles_extracted_at_source_id", "extracted_at", "source_id"),
        # the articles the alert pass has not looked at yet: a few rows of a large store
        # (migration 0019)
        Index(
            "ix_articles_alerts_pending",
            "id",
            sqlite_where=text("alerts_seen_at IS NULL"),
            postgresql_where=text("alerts_seen_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    #: the address of the link it was collected from, spelled as ``canonical_url`` is,
    #: where the two differ (the page named another address of itself); None otherwise.
    #: A cycle counts a link known by either (migration 0026)
    fetched_key: Mapped[str | None] = mapped_column(String(2000), default=None, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text, default=None)
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    source_name: Mapped[str | None] = mapped_column(String(200), default=None)
    author: Mapped[str | None] = mapped_column(String(200), default=None)
    language: Mapped[str] = mapped_column(String(10), default="zh")
    extracted_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True, default=None
    )
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True, default=None)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    matched_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the learned model's probability when it judged the article, and the features that
    #: made a relevant one relevant (empty before any model was trained)
    model_probability: Mapped[float | None] = mapped_column(Float, default=None)
    model_features: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str | None] = mapped_column(String(50), default=None)
    #: a wider scope the article is in besides relevance (the daily's 卫生健康与数字经济政策,
    #: jianbao.judge.scope; issue 17), None when none
    scope: Mapped[str | None] = mapped_column(String(50), default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    #: the policy document this reading or report cites (by 发文字号 or title); a plain id
    #: like a story's representative, so the migration adds a column, not a constraint
    policy_article_id: Mapped[int | None] = mapped_column(Integer, default=None)
    #: stored from an imported back issue's own text, not collected (issue 16)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    #: neg, neu or pos (jianbao.judge.sentiment) and the incident probability
    #: (jianbao.judge.risk), judged at collection (jianbao.judge.tone); the alert job
    #: judges the rows stored without them
    sentiment: Mapped[str | None] = mapped_column(String(3), default=None)
    risk: Mapped[float | None] = mapped_column(Float, default=None)
    #: the fingerprint of the judge that judged it (jianbao.judge.fingerprint): another
    #: than today's, or none, and ``jianbao rejudge`` judges it again (migration 0019)
    judged_with: Mapped[str | None] = mapped_column(String(16), default=None)
    #: when the alert pass applied its rules to the article's story; None until then
    alerts_seen_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    #: the event stage's facts of its headline and lead (jianbao.stored_facts), made where
    #: it was prepared so no process makes them again; None for a relevant article stored
    #: before migration 0024 (made when read) and for most others (never needed)
    event_facts: Mapped[str | None] = mapped_column(Text, default=None)

    story: Mapped[Story | None] = relationship(foreign_keys=[story_id])


class Decision(Base):
    """An editor's decision on an article (accept, reject, publish, edit): training data."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    editor: Mapped[str | None] = mapped_column(String(100), default=None)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class Publication(Base):
    """A publication (the daily broadcast, the weekly, the monthly): configuration."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    publisher: Mapped[str] = mapped_column(String(200), default="")
    topic_phrase: Mapped[str] = mapped_column(String(100), default="卫生信息化")
    scope: Mapped[str] = mapped_column(Text, default="")
    period_rule: Mapped[str | None] = mapped_column(String(30), default=None)
    first_number: Mapped[int] = mapped_column(Integer, default=1)
    source_label: Mapped[str] = mapped_column(String(20), default="来源")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    issues: Mapped[list[Issue]] = relationship(back_populates="publication")


class Issue(Base):
    """One issue of a publication: a draft until published, then frozen."""

    __tablename__ = "issues"
    __table_args__ = (UniqueConstraint("publication_id", "number", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    issue_date: Mapped[date] = mapped_column(Date)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    #: the reason given when the checker's errors were overridden at publishing
    check_override: Mapped[str | None] = mapped_column(Text, default=None)
    #: the files written when published (paths relative to the data folder)
    files: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: a back issue read from a file by ``jianbao archive import`` (issue 16)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the ArchiveFile it was read from (a plain id: the migration adds a column only)
    archive_file_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    #: an imported back issue's own 导语 and (a daily) day heading, shown as printed;
    #: None for an issue composed here, whose 导语 and heading are computed (0018)
    lead: Mapped[str | None] = mapped_column(Text, default=None)
    heading: Mapped[str | None] = mapped_column(Text, default=None)

    publication: Mapped[Publication] = relationship(back_populates="issues")
    items: Mapped[list[IssueItem]] = relationship(
        back_populates="issue", order_by="IssueItem.position", cascade="all, delete-orphan"
    )


class IssueItem(Base):
    """An item of an issue: a link to its article plus the editor's edits."""

    __tablename__ = "issue_items"
    __table_args__ = (UniqueConstraint("issue_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str | None] = mapped_column(String(50), default=None)
    #: the editor's 主要内容 (paragraphs, one a line); None prints the article's own text
    body: Mapped[str | None] = mapped_column(Text, default=None)
    #: an imported issue's link as it printed it ('' when none); None: the article's
    printed_url: Mapped[str | None] = mapped_column(Text, default=None)
    #: an imported issue's date as it printed it (with ``printed_url`` set; None: none)
    printed_date: Mapped[date | None] = mapped_column(Date, default=None)

    issue: Mapped[Issue] = relationship(back_populates="items")
    article: Mapped[Article] = relationship()


class User(Base):
    """An account of the web workstation: admin, editor or reader."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    #: argon2 hash, never the password
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


# -- delivery (issue 12): the delivery log ---------------------------------------------


class Delivery(Base):
    """One part of one issue revision sent to one channel, in one round.

    ``state`` is pending, sending, sent or failed. A part is marked ``sending`` (and
    committed) before its request and ``sent``/``failed`` after the platform's answer, so
    a part found ``sending`` later was interrupted in flight (see ``jianbao.deliver.log``).
    ``purpose`` is issue (to the audience), preview (a draft to one channel), notice (a
    reminder, ``issue_id`` empty) or alert (``alert_id`` set, ``issue_id`` empty). Sending
    anew (``--again``) starts a new ``round``; earlier rounds stay as history.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("issue_id", "channel", "purpose", "round", "part"),
        # an alert's notice: one row per alert, channel and part (migration 0020)
        UniqueConstraint("alert_id", "channel", "part", name="uq_deliveries_alert_channel_part"),
        # pacing across processes reads each channel's recent attempts
        Index("ix_deliveries_channel_attempted_at", "channel", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issues.id", ondelete="CASCADE"), index=True, default=None
    )
    #: the alert a row carries (purpose ``alert``), else empty
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE", name="fk_deliveries_alert_id_alerts"),
        default=None,
    )
    channel: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(10), default="issue")
    round: Mapped[int] = mapped_column(Integer, default=1)
    part: Mapped[int] = mapped_column(Integer, default=1)
    total: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: a short readable excerpt of what the part says (a notice's title)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: the platform's answer, short and free of secrets
    answer: Mapped[str] = mapped_column(Text, default="")
    #: why a part failed, in Chinese, naming the setting to fix
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


# -- jobs (issue 13): scheduler lease, job runs ----------------------------------------


class SchedulerLease(Base):
    """Who schedules: one row per lease name, held by one process until ``expires_at``.

    Taken and renewed by a conditional UPDATE (holder is me, or the lease has expired) or
    an INSERT of the missing row, so exactly one of several ``jianbao run`` processes
    sharing a store fires the schedule (jianbao.jobs.lease). ``ticked_at`` is the end of
    the last scheduling pass: after downtime the schedule is caught up from there.
    """

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(AwareDateTime)
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime)
    ticked_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


class JobRun(Base):
    """One run of a scheduled job (or a missed one): what, for which publication, when it
    was planned, when it ran, how it ended and why (jianbao.jobs.runs).

    ``outcome`` is running, ok, failed, skipped, missed or late; a planned job is recorded
    once (the unique key), so a second scheduler tick never repeats it.
    """

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "publication", "planned_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(30))
    #: the publication's key for draft and send jobs; empty for the others
    publication: Mapped[str] = mapped_column(String(50), default="")
    planned_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    outcome: Mapped[str] = mapped_column(String(20), default="running")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    #: what the run did: counts, the issue made or sent, the duty editor, progress
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the process that ran it (the lease holder, or web:<user> for 立即采集)
    holder: Mapped[str] = mapped_column(String(200), default="")


# -- roster (issue 13): people on duty, rotation, swaps, leave -----------------------


class RosterPerson(Base):
    """Someone who takes a turn on duty (值班), and how to reach them.

    ``position`` is their place in the rotation; a person left out of a later roster
    import is made inactive, not deleted, so past swaps and leave still name them.
    """

    __tablename__ = "roster_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: their account on the web workstation, if any
    username: Mapped[str | None] = mapped_column(String(100), default=None)
    #: their own channel, a ``[channels.<name>]`` of the configuration
    channel: Mapped[str | None] = mapped_column(String(100), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class RosterRotation(Base):
    """How turns go from ``start``: one person per week from Monday, or per working day.

    The newest rotation starting on or before a day governs it, so a new rotation can be
    set for the future without rewriting the past.
    """

    __tablename__ = "roster_rotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: week or day
    unit: Mapped[str] = mapped_column(String(10), default="week")
    start: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class RosterSwap(Base):
    """One turn (the week from its Monday, or one day) given to another person than the
    rotation's; a swap of two people writes two rows."""

    __tablename__ = "roster_swaps"
    __table_args__ = (UniqueConstraint("unit", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(10))
    slot: Mapped[date] = mapped_column(Date)
    person_id: Mapped[int] = mapped_column(ForeignKey("roster_people.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    person: Mapped[RosterPerson] = relationship()


class RosterLeave(Base):
    """Days someone is away (first and last day included): their turn passes to the next."""

    __tablename__ = "roster_leave"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("roster_people.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    person: Mapped[RosterPerson] = relationship()


# -- web (issue 14): server-side sessions, sign-in throttling --------------------------


class SignInSession(Base):
    """One signed-in browser of the workstation (jianbao.web.sessions).

    The browser's cookie carries a random token; only its SHA-256 is stored, so a copy of
    the store opens no session. A session ends (``ended_at``, ``end_reason``: signed-out,
    password, role, idle, expired) at sign-out, when the user's password or role changes,
    and after the idle timeout or the absolute lifetime; an ended row never reads or
    writes again. Removing the account deletes its rows.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    #: written at most once a minute, so reading a page rarely writes
    last_seen_at: Mapped[datetime] = mapped_column(AwareDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    end_reason: Mapped[str] = mapped_column(String(20), default="")


class SignInFailures(Base):
    """Failed sign-ins counted per key (``account:<name>`` or ``address:<ip>``), in the
    store so every web worker process counts the same (jianbao.web.throttle).

    ``locked_until`` is set once the count passes the allowed attempts; the count is
    forgotten a day after the last failure, and an account's on a successful sign-in.
    """

    __tablename__ = "sign_in_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(AwareDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)


# -- editor's week (issue 15) -----------------------------------------------------------


# -- archive import (issue 16) ----------------------------------------------------------


class ArchiveFile(Base):
    """A back-issue file read by ``jianbao archive import`` and kept in the archive.

    Its SHA-256 is unique: importing the same bytes again changes nothing. ``stored_path``
    is the kept copy, relative to the data folder; ``name`` the file's name as given.
    """

    __tablename__ = "archive_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    stored_path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: the checker's findings on the file as written (never blocking the import)
    findings: Mapped[list[str]] = mapped_column(JSON, default=list)
    imported_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


# -- relevance scope (issue 17) ---------------------------------------------------------


# -- alerts (issue 18) ------------------------------------------------------------------


class AlertRule(Base):
    """An editor's alert rule (jianbao.alerts.rules): a keyword expression in the topic
    syntax, a risk threshold, a spike or a watch condition, with the level it raises."""

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: keyword, risk, spike or watch
    kind: Mapped[str] = mapped_column(String(10))
    expression: Mapped[str] = mapped_column(Text, default="")
    #: red, orange, yellow or blue (红/橙/黄/蓝)
    level: Mapped[str] = mapped_column(String(10), default="yellow")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class Alert(Base):
    """One alert: a story at one level, fired once (the unique key; a story that grows
    from 黄 to 橙 is a second row), delivered to the alert channels (held through the
    quiet hours unless red), then acknowledged or dismissed by an editor."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("story_key", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: s<story id>, or a<article id> for an article in no story
    story_key: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    article_id: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(Text)
    #: why it fired: one line per rule
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    outlets: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    fired_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow, index=True)
    #: not sent before this (the end of the quiet hours)
    held_until: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    delivery_error: Mapped[str] = mapped_column(Text, default="")
    #: open, acknowledged or dismissed
    state: Mapped[str] = mapped_column(String(15), default="open")
    handled_by: Mapped[str] = mapped_column(String(100), default="")
    handled_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class RiskMark(Base):
    """An editor's word on whether an article reports an incident (the ⚠ on a story, an
    alert acknowledged or dismissed): the training data of the risk classifier."""

    __tablename__ = "risk_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    incident: Mapped[bool] = mapped_column(Boolean)
    editor: Mapped[str] = mapped_column(String(100), default="")
    #: mark, acknowledged or dismissed
    origin: Mapped[str] = mapped_column(String(15), default="mark")
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


# -- scale-out (issue 19) ---------------------------------------------------------------


# -- event stories (issue 20) -----------------------------------------------------------
class StoryLink(Base):
    """Why an article is in its story when the event stage put it there: the article of
    the story it was matched with, the score and the reasons (同一文件《…》, 同一机构,
    标题相近 0.82), shown in the candidates list. Near-copies need no row."""

    __tablename__ = "story_links"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    matched_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    #: [[kind, detail], …]: kinds document, institution, numbers, day, place, title
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class StoryCorrection(Base):
    """An editor splitting an article off its story or merging two stories: the event
    stage's training data (the score the pair had and whether it is one event)."""

    __tablename__ = "story_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    other_id: Mapped[int] = mapped_column(Integer)
    #: split or merge
    action: Mapped[str] = mapped_column(String(10))
    #: the event stage's score of the pair (None when it could not compare them)
    score: Mapped[float | None] = mapped_column(Float, default=None)
    editor: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
