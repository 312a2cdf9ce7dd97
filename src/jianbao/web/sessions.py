"""Workstation sessions kept in the store, so that they can really end.

A signed cookie alone cannot be taken back: signing out only asked the browser to forget
it, and a kept copy read and wrote for its whole lifetime. Now the cookie carries a
random token, the store keeps its SHA-256 with the user, the start, the last request and
the end. A session ends at sign-out, when the user's password or role changes or the
account is removed (``jianbao.accounts.end_sessions``, from the CLI as well), after
``web_session_idle_minutes`` without a request and ``web_session_days`` after sign-in.

Checking a session is one indexed read per request; ``last_seen_at`` is written at most
once a minute, so the busiest pages rarely write.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from jianbao.db.models import SignInSession, User

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
    reason = ""
    if now - record.created_at >= lifetimes.absolute:
        reason = "expired"
    elif now - record.last_seen_at >= lifetimes.idle:
        reason = "idle"
    elif not user.active:
        reason = "inactive"
    if reason:
        record.ended_at = now
        record.end_reason = reason
        return None
    if now - record.last_seen_at >= min(TOUCH_EVERY, lifetimes.idle / 10):
        record.last_seen_at = now  # (a short idle timeout is tracked more finely)
    return user


def end_session(session: Session, token: str, now: datetime, reason: str = "signed-out") -> None:
    """End the one session with this token (sign-out)."""
    session.execute(
        update(SignInSession)
        .where(SignInSession.token_hash == token_hash(token), SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )
