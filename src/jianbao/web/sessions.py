"""Workstation sessions kept in the store, so that they can really end.

A signed cookie alone cannot be taken back: signing out only asked the browser to forget
it, and a kept copy read and wrote for its whole lifetime. Now the cookie carries a
random token, the store keeps its SHA-256 with the user, the start, the last request and
the end. A session ends at sign-out, when the user's password or role changes or the
account is removed (``jianbao.accounts.end_sessions``, from the CLI as well), after
``web_session_idle_minutes`` without a request and ``web_session_days`` after sign-in.

Checking a session is one indexed read per request; ``last_seen_at`` is written at most
once a minute, so the busiest pages rarely write. The web's middleware checks it with
:func:`look_up`: one statement on an autocommit connection that also reads the store's
revision (:mod:`jianbao.db.revision`), so a page served from the cache of rendered pages
costs one round trip to the store; only a session that must be written (ended, timed
out, or touched) goes through :func:`session_user` in a transaction (issue 19).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, literal_column, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from jianbao.config import Settings
from jianbao.db.models import SignInSession, User
from jianbao.db.session import Database, make_engine

#: how stale ``last_seen_at`` may be before a request writes it again
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lasts: without requests (idle) and at most (absolute)."""

    idle: timedelta = timedelta(hours=8)
    absolute: timedelta = timedelta(days=14)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, now: datetime, lifetimes: Lifetimes) -> str:
    """Start a session for ``user``; returns the token for the cookie (never stored).

    The user's sessions that ended or expired long ago are swept here, so the table
    holds about one row per browser that signed in within the absolute lifetime."""
    session.execute(
        delete(SignInSession).where(
            SignInSession.user_id == user.id,
            or_(
                SignInSession.created_at < now - lifetimes.absolute,
                SignInSession.ended_at < now - lifetimes.absolute,
            ),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        SignInSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            end_reason="",
        )
    )
    session.flush()
    return token


def session_user(session: Session, token: str, now: datetime, lifetimes: Lifetimes) -> User | None:
    """The active user of the session with this token, or None when there is none or it
    has ended; a session found past its idle timeout or lifetime is ended here."""
    row = session.execute(
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    record, user = row
    if record.ended_at is not None:
        return None
    reason = _end_reason(record.created_at, record.last_seen_at, user.active, now, lifetimes)
    if reason:
        record.ended_at = now
        record.end_reason = reason
        return None
    if _stale(record.last_seen_at, now, lifetimes):
        record.last_seen_at = now  # (a short idle timeout is tracked more finely)
    return user


def _end_reason(
    created_at: datetime, last_seen_at: datetime, active: bool, now: datetime, lifetimes: Lifetimes
) -> str:
    """Why a session still open in the store is over now ('' when it is not)."""
    if now - created_at >= lifetimes.absolute:
        return "expired"
    if now - last_seen_at >= lifetimes.idle:
        return "idle"
    if not active:
        return "inactive"
    return ""


def _stale(last_seen_at: datetime, now: datetime, lifetimes: Lifetimes) -> bool:
    """Whether ``last_seen_at`` is old enough to be written again."""
    return now - last_seen_at >= min(TOUCH_EVERY, lifetimes.idle / 10)


@dataclass(frozen=True)
class Lookup:
    """What one read found for a session token: the active user (None: no session, or it
    has ended), the store's revision read in the same statement (None without a
    session), and whether the store must record something first (an ending, or
    ``last_seen_at``): then :func:`session_user` decides, in a transaction."""

    user: User | None
    revision: int | None
    write: bool = False


#: the store's revision, read by the same statement as the session
_REVISION: ColumnClause[Any] = literal_column("(SELECT value FROM store_revision WHERE id = 1)")


def look_up(connection: Connection, token: str, now: datetime, lifetimes: Lifetimes) -> Lookup:
    """The session with this token and the store's revision, in one statement (for an
    autocommit connection: a read needs no transaction). The user is a detached copy
    holding what the pages read (id, username, display_name, role, active)."""
    row = connection.execute(
        select(
            SignInSession.created_at,
            SignInSession.last_seen_at,
            SignInSession.ended_at,
            User.id,
            User.username,
            User.display_name,
            User.role,
            User.active,
            _REVISION,
        )
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return Lookup(None, None)
    created, seen, ended, user_id, username, display_name, role, active, revision = row
    revision = int(revision or 0)
    if ended is not None:
        return Lookup(None, revision)
    if _end_reason(created, seen, active, now, lifetimes) or _stale(seen, now, lifetimes):
        return Lookup(None, revision, write=True)
    user = User(id=user_id, username=username, display_name=display_name, role=role, active=active)
    return Lookup(user, revision)


def end_session(session: Session, token: str, now: datetime, reason: str = "signed-out") -> None:
    """End the one session with this token (sign-out)."""
    session.execute(
        update(SignInSession)
        .where(SignInSession.token_hash == token_hash(token), SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )


class SessionLookups:
    """:func:`look_up` on an engine of its own: autocommit, no ping before each use (on
    PostgreSQL one round trip per request instead of four). Made on first use, with the
    store's time limits; a connection found broken (the server restarted) is dropped
    and the read tried once more on a fresh one."""

    def __init__(self, database: Database, settings: Settings):
        self.database = database
        self.settings = settings
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(
                    self.database.url,
                    connect_timeout=self.settings.database_connect_timeout,
                    statement_timeout=self.settings.database_statement_timeout,
                    busy_timeout=self.settings.database_busy_timeout,
                    pre_ping=False,
                    autocommit=True,
                    # one per thread checking a session at once (anyio's 40 threads):
                    # a connection opened and closed per request cost PostgreSQL more
                    # than the page (20 clients: ~9 ms of server CPU per request)
                    pool_size=20,
                )
            return self._engine

    def look_up(self, token: str, now: datetime, lifetimes: Lifetimes) -> Lookup:
        engine = self.engine()
        for attempt in (1, 2):
            try:
                with engine.connect() as connection:
                    return look_up(connection, token, now, lifetimes)
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
