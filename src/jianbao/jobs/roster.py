"""The duty roster (值班表): who is on duty on a day, and the week ahead.

The seed's rule: each seconded editor is on duty for one week, in turn. Here a rotation
goes through the active people in order from a start date, one per week from Monday or
one per working day (调休 days count, holidays do not); a swap gives a turn to someone
else (two rows, one per turn exchanged); leave passes a day's duty to the next person in
turn who is not away. The duty editor is the one the scheduler notifies and the default
editor of the day's draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import RosterLeave, RosterPerson, RosterRotation, RosterSwap, User
from jianbao.editions.daynote import CalendarOverride, is_working_day
from jianbao.errors import InputError, NotFound
from jianbao.jobs.calendar import day_info

ROTATION_UNITS = ("week", "day")

#: the note of a turn kept as the rotation gave it before a new roster was imported with
#: a later start (see :func:`import_roster`): shown as 轮值, not as a swap
KEPT_TURN = "导入新值班表前的轮值"


@dataclass(frozen=True, slots=True)
class DutyPerson:
    """Who is on duty on a day, how to reach them, and why it is them."""

    name: str
    username: str | None
    channel: str | None
    email: str | None
    #: 轮值, 调换, or 代张三值班（张三请假）
    reason: str
    #: the person whose turn it was when this one covers for them on leave
    covering_for: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person of a roster file, validated."""

    name: str
    username: str | None = None
    channel: str | None = None
    email: str | None = None


class _Roster:
    """The roster's rows, read once, answering for many days."""

    def __init__(self, session: Session, override: CalendarOverride | None) -> None:
        self.override = override
        self.people = list(
            session.scalars(
                select(RosterPerson)
                .where(RosterPerson.active.is_(True))
                .order_by(RosterPerson.position, RosterPerson.id)
            )
        )
        self.rotations = list(
            session.scalars(
                select(RosterRotation).order_by(RosterRotation.start, RosterRotation.id)
            )
        )
        self.swaps = {(s.unit, s.slot): s for s in session.scalars(select(RosterSwap))}
        self.leave = list(session.scalars(select(RosterLeave)))
        self._working: dict[date, bool] = {}
        self._counted: dict[int, tuple[date, int]] = {}

    def working(self, day: date) -> bool:
        """Whether ``day`` is a working day (a per-day rotation counts them from its
        start, so the answers are kept)."""
        if day not in self._working:
            try:
                self._working[day] = is_working_day(day, self.override)
            except InputError:  # beyond the holiday data: the weekday's guess, as day_info
                self._working[day] = day_info(day, self.override).working
        return self._working[day]

    def rotation(self, day: date) -> RosterRotation | None:
        """The newest rotation begun by ``day`` (a weekly one begins on its start's
        Monday: turns are whole weeks)."""
        governing = [r for r in self.rotations if _first_day(r) <= day]
        return governing[-1] if governing else None

    def slot(self, day: date) -> tuple[RosterRotation, date] | None:
        """The rotation governing ``day`` and the turn ``day`` belongs to (its Monday, or
        the day itself), or None when nobody is on duty that day."""
        rotation = self.rotation(day)
        if rotation is None or not self.people:
            return None
        if rotation.unit == "week":
            return rotation, day - timedelta(days=day.weekday())
        if not self.working(day):
            return None
        return rotation, day

    def turn_index(self, rotation: RosterRotation, slot: date) -> int:
        if rotation.unit == "week":
            return (slot - _first_day(rotation)).days // 7
        # working days counted from the start, carried on from the last day asked
        day, count = self._counted.get(rotation.id, (rotation.start, 0))
        if slot < day:
            day, count = rotation.start, 0
        while day < slot:
            if self.working(day):
                count += 1
            day += timedelta(days=1)
        self._counted[rotation.id] = (day, count)
        return count

    def assigned(self, rotation: RosterRotation, slot: date) -> tuple[RosterPerson, bool]:
        """The person whose turn ``slot`` is, and whether a swap put them there (a turn
        kept from before an import is the rotation's, not a swap)."""
        swap = self.swaps.get((rotation.unit, slot))
        if swap is not None and (swap.person.active or swap.note == KEPT_TURN):
            return swap.person, swap.note != KEPT_TURN
        index = self.turn_index(rotation, slot) % len(self.people)
        return self.people[index], False

    def away(self, person: RosterPerson, day: date) -> bool:
        return any(
            leave.person_id == person.id and leave.first_day <= day <= leave.last_day
            for leave in self.leave
        )

    def duty(self, day: date) -> DutyPerson | None:
        found = self.slot(day)
        if found is None:
            return None
        rotation, slot = found
        person, swapped = self.assigned(rotation, slot)
        if not self.away(person, day):
            return _duty(person, "调换" if swapped else "轮值")
        start = self.people.index(person) if person in self.people else 0
        for step in range(1, len(self.people)):
            other = self.people[(start + step) % len(self.people)]
            if not self.away(other, day):
                return _duty(other, f"代{person.name}值班（{person.name}请假）", person.name)
        return None


def _first_day(rotation: RosterRotation) -> date:
    if rotation.unit == "week":
        return rotation.start - timedelta(days=rotation.start.weekday())
    return rotation.start


def _duty(person: RosterPerson, reason: str, covering_for: str | None = None) -> DutyPerson:
    return DutyPerson(
        name=person.name,
        username=person.username,
        channel=person.channel,
        email=person.email,
        reason=reason,
        covering_for=covering_for,
    )


def duty_editor(
    session: Session, day: date, override: CalendarOverride | None = None
) -> DutyPerson | None:
    """The duty editor of ``day``, or None when no roster is kept (or nobody is on duty:
    a day off in a per-day rotation, everyone away)."""
    return _Roster(session, override).duty(day)


def duty_between(
    session: Session, first: date, last: date, override: CalendarOverride | None = None
) -> list[tuple[date, DutyPerson | None]]:
    """Each day from ``first`` to ``last`` with its duty editor."""
    roster = _Roster(session, override)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [(d, roster.duty(d)) for d in days]


def week_ahead(
    session: Session, day: date, override: CalendarOverride | None = None
) -> list[tuple[date, DutyPerson | None]]:
    """The seven days from ``day`` with their duty editors (the workstation's 今日 page)."""
    return duty_between(session, day, day + timedelta(days=6), override)


# -- changing the roster ---------------------------------------------------------------


def import_roster(
    session: Session,
    people: Sequence[PersonRow],
    *,
    unit: str | None = None,
    start: date | None = None,
) -> list[str]:
    """Make ``people`` the rotation, in this order; people left out become inactive.

    With ``unit`` and ``start``, a rotation starting that day is added, and the earlier
    ones keep governing the days before it *with the people and order they had*: the
    turns before the new rotation that the new order would give to someone else are
    kept as they were (a ``RosterSwap`` row noted :data:`KEPT_TURN` per such turn, so
    this week's duty editor does not change mid-week when one person is added, and the
    past is not rewritten; the store has one order of people, not one per rotation).
    Without them the new order replaces the current rotation's from its start. Returns
    notes for the importer: workstation accounts named that do not exist (yet; they may
    be created later).
    """
    if not people:
        raise InputError("值班表里没有人", hint="至少写一行：姓名,账号,渠道,邮箱")
    if (unit is None) != (start is None):
        raise InputError(
            "轮值方式与起始日期要一起给出",
            hint="如 unit = week 且 start = 2026-12-07（TOML 的 [rotation] 表，或命令行参数）",
        )
    if unit is not None and unit not in ROTATION_UNITS:
        raise InputError(
            f"不认识的轮值方式 {unit!r}", hint="week（每人一周，周一起）或 day（每人一个工作日）"
        )
    if start is None and not session.scalars(select(RosterRotation)).first():
        raise InputError(
            "还没有轮值安排：不知道从哪天开始轮",
            hint="给出轮值方式与起始日期，如 --unit week --start 2026-12-07",
        )
    before = _turns_before(session, unit, start) if unit and start else {}
    existing = {p.name: p for p in session.scalars(select(RosterPerson))}
    for person in existing.values():
        person.active = False
    for position, row in enumerate(people):
        person = existing.get(row.name) or RosterPerson(name=row.name)
        session.add(person)
        person.username = row.username
        person.channel = row.channel
        person.email = row.email
        person.position = position
        person.active = True
    if unit is not None and start is not None:
        session.add(RosterRotation(unit=unit, start=start))
    session.flush()
    if before:
        _keep_turns(session, before)
    named = {row.username for row in people if row.username}
    known = set(session.scalars(select(User.username).where(User.username.in_(named))))
    return [
        f"{row.name}的工作台账号 {row.username} 不存在（可稍后用 jianbao users add 创建）"
        for row in people
        if row.username and row.username not in known
    ]


def _turns_before(session: Session, unit: str, start: date) -> dict[tuple[str, date], int]:
    """Every turn of the rotations in the store before a new rotation's first day, with
    the person the present order gives it (turns already given by a swap are left out:
    that row stays and keeps them)."""
    roster = _Roster(session, None)
    if not roster.rotations or not roster.people:
        return {}
    end = _first_day(RosterRotation(unit=unit, start=start))
    turns: dict[tuple[str, date], int] = {}
    day = _first_day(roster.rotations[0])
    while day < end:
        found = roster.slot(day)
        if found is not None and (found[0].unit, found[1]) not in roster.swaps:
            rotation, slot = found
            turns[(rotation.unit, slot)] = roster.assigned(rotation, slot)[0].id
        day += timedelta(days=1)
    return turns


def _keep_turns(session: Session, before: dict[tuple[str, date], int]) -> None:
    """Pin each turn of ``before`` the new order would give to someone else."""
    roster = _Roster(session, None)
    for (unit, slot), person_id in before.items():
        rotation = roster.rotation(slot)
        if rotation is None or rotation.unit != unit:
            continue
        if roster.assigned(rotation, slot)[0].id != person_id:
            session.add(RosterSwap(unit=unit, slot=slot, person_id=person_id, note=KEPT_TURN))
    session.flush()


def _person(session: Session, name: str) -> RosterPerson:
    person = session.scalar(select(RosterPerson).where(RosterPerson.name == name))
    if person is None or not person.active:
        names = session.scalars(
            select(RosterPerson.name)
            .where(RosterPerson.active.is_(True))
            .order_by(RosterPerson.position)
        )
        raise NotFound("值班表里没有这个人", item=name, hint="值班表中的人：" + "、".join(names))
    return person


def swap_duty(
    session: Session,
    a: str,
    b: str,
    day: date,
    *,
    unit: str,
    override: CalendarOverride | None = None,
) -> tuple[date, date]:
    """Exchange two people's turns: the turn containing ``day`` (which must be one of
    theirs) and the other person's next turn after it. Returns the two turns' first days."""
    if a == b:
        raise InputError("不能和自己调换", item=a, hint="写两个不同的人")
    person_a, person_b = _person(session, a), _person(session, b)
    roster = _Roster(session, override)
    found = roster.slot(day)
    rotation = found[0] if found else roster.rotation(day)
    if rotation is None:
        raise InputError(
            "这一天还没有轮值安排", item=day.isoformat(), hint="先用 roster import 设定轮值"
        )
    if rotation.unit != unit:
        word = "周" if rotation.unit == "week" else "天"
        flag = "--week" if rotation.unit == "week" else "--day"
        raise InputError(f"当前按{word}轮值", item=day.isoformat(), hint=f"用 {flag} 指定日期")
    if found is None:
        raise InputError("这一天不是工作日，没有人值班", item=day.isoformat(), hint="换一个工作日")
    slot = found[1]
    holder, _ = roster.assigned(rotation, slot)
    if holder.id not in (person_a.id, person_b.id):
        raise InputError(
            f"这一轮值班的是{holder.name}，不是{a}或{b}",
            item=slot.isoformat(),
            hint=f"调换的两人中须有一人在 {slot.isoformat()} 这一轮值班",
        )
    other = person_b if holder.id == person_a.id else person_a
    other_slot = _next_turn(roster, rotation, slot, other)
    _set_swap(session, rotation.unit, slot, other, f"与{holder.name}调换")
    _set_swap(session, rotation.unit, other_slot, holder, f"与{other.name}调换")
    session.flush()
    return slot, other_slot


def _next_turn(roster: _Roster, rotation: RosterRotation, slot: date, person: RosterPerson) -> date:
    step = timedelta(days=7 if rotation.unit == "week" else 1)
    candidate = slot + step
    for _ in range(len(roster.people) * 60):
        counts = rotation.unit == "week" or roster.working(candidate)
        if counts and roster.assigned(rotation, candidate)[0].id == person.id:
            return candidate
        candidate += step
    raise InputError(
        f"找不到{person.name}之后的轮次", item=person.name, hint="检查值班表中是否有此人"
    )


def _set_swap(session: Session, unit: str, slot: date, person: RosterPerson, note: str) -> None:
    row = session.scalar(select(RosterSwap).where(RosterSwap.unit == unit, RosterSwap.slot == slot))
    if row is None:
        session.add(RosterSwap(unit=unit, slot=slot, person=person, note=note))
    else:
        row.person = person
        row.note = note


def add_leave(session: Session, name: str, first: date, last: date, note: str = "") -> None:
    """``name`` is away from ``first`` to ``last`` (both included)."""
    if last < first:
        raise InputError(
            "请假的结束日期早于开始日期",
            item=f"{first.isoformat()}—{last.isoformat()}",
            hint="--from 写第一天，--to 写最后一天",
        )
    session.add(
        RosterLeave(person=_person(session, name), first_day=first, last_day=last, note=note)
    )
    session.flush()
