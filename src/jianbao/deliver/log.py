"""The delivery log: one row per issue revision × channel × part, and its queries.

Exactly once, nothing lost: a part is *claimed* — marked ``sending`` and committed by a
conditional UPDATE that only one process can win — before its request, and marked
``sent`` or ``failed`` with the platform's answer right after it. A run that finds a
round's rows resumes it: ``sent`` parts are never sent again, ``pending`` and ``failed``
ones are sent.

A part found ``sending`` was interrupted between its claim and the recording of the
answer: the process was killed while the request was in flight. The platform has most
likely posted it (a robot posts on receipt; the answer comes after), and a robot's post
cannot be recalled, so such a part is **not** sent again by itself: it is reported as
unconfirmed (未确认), and the editor, after looking at the group, resends it on purpose
(``send_issue(…, resend_unconfirmed=True)``: the workstation's 重发 or
``jianbao issue send ID --resend-unconfirmed``).
Nothing is sent twice without someone asking; the only part that can go missing is one
whose process died in the instant between its claim and its request leaving, and it is
shown, never silent.

Only a part ``sending`` for longer than ``IN_FLIGHT`` is unconfirmed: a younger one may
be in another process's hands right now (the scheduler's late send and the editor's 发送
meet), so a sender leaves it, and the channel's later parts, to that process.

A sender whose request left but got no answer (a read timeout, a connection dropped
after sending, a 502/504: ``SendResult.unconfirmed``) records the same state at once:
the row stays ``sending`` with its ``finished_at`` and why; finished, it is nobody's in
flight, so it is unconfirmed from that moment and the editor may resend it at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from jianbao.db.models import Delivery, utcnow
from jianbao.deliver.base import SendResult

#: the states of a part, in the order a part goes through them
STATES = ("pending", "sending", "sent", "failed")
#: what a row is for
PURPOSES = ("issue", "preview", "notice", "alert")
#: the longest answer or error kept on a row
MAX_TEXT = 300
#: how long a part marked sending may still be in flight in another process (its tries,
#: the waits between them and their timeouts); an explicit resend of an unconfirmed part
#: waits this long after its last attempt
IN_FLIGHT = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class PartPlan:
    """A part about to be logged: its number, the round's total and a short excerpt."""

    part: int
    total: int
    summary: str = ""


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def latest_round(session: Session, issue_id: int, channel: str, purpose: str = "issue") -> int:
    """The newest round of an issue on a channel (0 when it was never sent there)."""
    value = session.scalar(
        select(func.max(Delivery.round)).where(
            Delivery.issue_id == issue_id,
            Delivery.channel == channel,
            Delivery.purpose == purpose,
        )
    )
    return int(value or 0)


def round_rows(
    session: Session, issue_id: int | None, channel: str, purpose: str, round_no: int
) -> list[Delivery]:
    """The rows of one round, by part."""
    query = select(Delivery).where(
        Delivery.channel == channel, Delivery.purpose == purpose, Delivery.round == round_no
    )
    query = query.where(
        Delivery.issue_id.is_(None) if issue_id is None else Delivery.issue_id == issue_id
    )
    return list(session.scalars(query.order_by(Delivery.part)))


def open_round(
    session: Session,
    *,
    issue_id: int,
    channel: str,
    kind: str,
    purpose: str,
    parts: Sequence[PartPlan],
    again: bool = False,
) -> tuple[int, list[Delivery]]:
    """The round to send in and its rows, one per part, created ``pending`` when new.

    Without ``again`` the latest round is resumed (its missing parts added); with it, or
    when there is none, a new round starts. Previews always start a new round: each one
    shows the draft as it is now. Two processes opening the same round at once end with
    the same rows (the unique key decides; the loser reads the winner's)."""
    current = latest_round(session, issue_id, channel, purpose)
    round_no = current + 1 if (again or purpose == "preview" or current == 0) else current
    known = {row.part for row in round_rows(session, issue_id, channel, purpose, round_no)}
    _add_missing_parts(
        session,
        parts,
        known,
        issue_id=issue_id,
        channel=channel,
        kind=kind,
        purpose=purpose,
        round=round_no,
    )
    return round_no, round_rows(session, issue_id, channel, purpose, round_no)


def _add_missing_parts(
    session: Session, parts: Sequence[PartPlan], known: set[int], **fields: object
) -> None:
    """Add a ``pending`` row for each part not ``known``, each in its own savepoint: when
    another process adds the same part at once, the unique key keeps one row and this
    process goes on (the caller reads the rows back)."""
    for plan in parts:
        if plan.part in known:
            continue
        row = Delivery(
            **fields, part=plan.part, total=plan.total, summary=_short(plan.summary, 120)
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another process added this part first
            pass


def add_notice_row(
    session: Session, *, channel: str, kind: str, part: int, total: int, summary: str
) -> Delivery:
    """A row for one part of a notice (a reminder or alert: no issue, one round each)."""
    row = Delivery(
        issue_id=None,
        channel=channel,
        kind=kind,
        purpose="notice",
        round=1,
        part=part,
        total=total,
        summary=_short(summary, 120),
    )
    session.add(row)
    session.flush()
    return row


def alert_rows(
    session: Session, *, alert_id: int, channel: str, kind: str, parts: Sequence[PartPlan]
) -> list[Delivery]:
    """The rows of an alert's notice on one channel, one per part, created ``pending`` when
    new: an alert has a single round, so a later pass resumes it (``sent`` parts are not
    sent again, a part left ``sending`` is unconfirmed). Two processes adding the same part
    at once end with one row (the unique key decides; the loser reads the winner's)."""

    def existing() -> list[Delivery]:
        query = select(Delivery).where(Delivery.alert_id == alert_id, Delivery.channel == channel)
        return list(session.scalars(query.order_by(Delivery.part)))

    known = {row.part for row in existing()}
    _add_missing_parts(
        session,
        parts,
        known,
        issue_id=None,
        alert_id=alert_id,
        channel=channel,
        kind=kind,
        purpose="alert",
        round=1,
    )
    return existing()


def claim(
    session: Session, row_id: int, *, unconfirmed: bool = False, now: datetime | None = None
) -> bool:
    """Mark a part ``sending`` before its request; False when it is not this process's to
    send (already sent, or claimed by another process). ``unconfirmed`` also takes a part
    left ``sending`` by an interrupted run (the editor's explicit resend) — once its last
    attempt is older than ``IN_FLIGHT``, so a part another process is sending right now
    is never taken from it. ``now`` is the sender's clock (default: the wall clock)."""
    now = now or utcnow()
    takeable: ColumnElement[bool] = Delivery.state.in_(("pending", "failed"))
    if unconfirmed:
        left = or_(
            Delivery.attempted_at < now - IN_FLIGHT,
            Delivery.finished_at >= Delivery.attempted_at,  # its sender recorded no answer
        )
        takeable = or_(takeable, and_(Delivery.state == "sending", left))
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == row_id, takeable)
        .values(
            state="sending",
            attempts=Delivery.attempts + 1,
            attempted_at=now,
            finished_at=None,
            error="",
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def in_flight(row: Delivery, now: datetime | None = None) -> bool:
    """Whether a ``sending`` part may still be on its way (its last attempt is recent, and
    its sender has not recorded it unconfirmed)."""
    if row.state != "sending" or row.attempted_at is None:
        return False
    if row.finished_at is not None and row.finished_at >= row.attempted_at:
        return False
    return row.attempted_at >= (now or utcnow()) - IN_FLIGHT


def mark_attempt(
    session: Session, row_id: int, *, retry: bool, now: datetime | None = None
) -> None:
    """A claimed part's request leaves now (after the pacer's wait): its time is what other
    processes pace from; a retry (after a rate limit or network fault) is counted too."""
    values: dict[str, object] = {"attempted_at": now or utcnow()}
    if retry:
        values["attempts"] = Delivery.attempts + 1
    session.execute(
        update(Delivery)
        .where(Delivery.id == row_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def finish(session: Session, row_id: int, result: SendResult, now: datetime | None = None) -> None:
    """Record the platform's answer: ``sent`` when accepted, ``failed`` with why, or left
    ``sending`` — unconfirmed, with why — when the request left and no answer came."""
    state = "sent" if result.ok else "sending" if result.unconfirmed else "failed"
    session.execute(
        update(Delivery)
        .where(Delivery.id == row_id)
        .values(
            state=state,
            answer=_short(result.answer),
            error="" if result.ok else _short(result.error or result.answer or "发送失败"),
            finished_at=now or utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


def recent_attempts(
    session: Session, channel: str, window: timedelta, now: datetime | None = None
) -> list[datetime]:
    """When this channel's requests of the last ``window`` were made, by any process: the
    pacer starts from them, so separate processes together keep the platform's limit.
    Times more than a ``window`` after ``now`` were logged before the clock stepped back:
    they are left out (the pacer would otherwise wait until the clock caught up)."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(Delivery.attempted_at)
            .where(
                Delivery.channel == channel,
                Delivery.attempted_at >= now - window,
                Delivery.attempted_at <= now + window,
            )
            .order_by(Delivery.attempted_at)
        )
    )


def deliveries(session: Session, issue_id: int | None = None, limit: int = 200) -> list[Delivery]:
    """The log, newest first: one issue's rows (every round), or the latest of all."""
    query = select(Delivery)
    if issue_id is None:
        query = query.order_by(Delivery.id.desc())
    else:
        query = query.where(Delivery.issue_id == issue_id).order_by(
            Delivery.channel, Delivery.purpose, Delivery.round.desc(), Delivery.part
        )
    return list(session.scalars(query.limit(limit)))


@dataclass(frozen=True, slots=True)
class ChannelState:
    """Where an issue stands on one channel: its latest round's parts by state."""

    channel: str
    kind: str
    purpose: str
    round: int
    total: int
    sent: int
    failed: int
    pending: int
    #: parts left sending by an interrupted run, the platform's answer unknown
    unconfirmed: int
    #: parts being sent right now (or interrupted less than IN_FLIGHT ago)
    in_flight: int
    error: str
    finished_at: datetime | None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.sent == self.total


def channel_states(session: Session, issue_id: int) -> list[ChannelState]:
    """An issue's latest round on each channel (and each purpose), for the workstation."""
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.issue_id == issue_id)
        .order_by(Delivery.channel, Delivery.purpose, Delivery.round.desc(), Delivery.part)
    ).all()
    latest: dict[tuple[str, str], list[Delivery]] = {}
    for row in rows:
        key = (row.channel, row.purpose)
        group = latest.setdefault(key, [])
        if not group or group[0].round == row.round:
            group.append(row)
    states = []
    now = utcnow()
    for (channel, purpose), group in latest.items():
        by_state = {state: [r for r in group if r.state == state] for state in STATES}
        failed = by_state["failed"]
        finished = [r.finished_at for r in group if r.finished_at is not None]
        states.append(
            ChannelState(
                channel=channel,
                kind=group[0].kind,
                purpose=purpose,
                round=group[0].round,
                total=max(r.total for r in group),
                sent=len(by_state["sent"]),
                failed=len(failed),
                pending=len(by_state["pending"]),
                unconfirmed=sum(1 for r in by_state["sending"] if not in_flight(r, now)),
                in_flight=sum(1 for r in by_state["sending"] if in_flight(r, now)),
                error=failed[0].error if failed else "",
                finished_at=max(finished) if finished else None,
            )
        )
    return states
