"""Sign-in throttling, per account and per address, counted in the store.

Without it a script tried 60 passwords at 4.6 per second and was then let in. Failed
sign-ins are counted per account (``account:<name>``, known or not, so a lock does not
tell which names exist) and per address (``address:<ip>``, which catches one password
tried on many accounts). Past the allowed attempts the key is locked for
``web_signin_lockout_seconds``, doubled with every further failure up to an hour; while
locked, even the right password is refused, without checking it. A count is forgotten a
day after its last failure, and an account's when it signs in.

The counts live in the store, not in memory, so every ``serve --workers`` process sees
the same; each failure is one conditional UPDATE (or the INSERT of a new key), so
concurrent failures are all counted.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import SignInFailures

log = logging.getLogger("jianbao.web.throttle")

#: the longest lock, however many failures
MAX_LOCK = timedelta(hours=1)
#: a count is forgotten this long after its last failure
FORGET_AFTER = timedelta(days=1)
#: keys are cut to the column's width (a username may be long)
KEY_WIDTH = 200


@dataclass(frozen=True)
class ThrottlePolicy:
    account_attempts: int = 5
    address_attempts: int = 20
    first_lock: timedelta = timedelta(seconds=60)

    @classmethod
    def from_settings(cls, settings: Settings) -> ThrottlePolicy:
        return cls(
            account_attempts=settings.web_signin_attempts,
            address_attempts=settings.web_signin_address_attempts,
            first_lock=timedelta(seconds=settings.web_signin_lockout_seconds),
        )

    def lock_for(self, failures: int, allowed: int) -> timedelta | None:
        """How long ``failures`` lock a key allowed ``allowed`` attempts (None: not)."""
        if failures < allowed:
            return None
        doublings = min(failures - allowed, 20)
        return min(self.first_lock * (2**doublings), MAX_LOCK)


def account_key(username: str) -> str:
    return ("account:" + username.strip())[:KEY_WIDTH]


def address_key(address: str) -> str:
    """The key of a client address; an IPv6 address counts by its /64, the block one
    subscriber holds, so rotating addresses within it does not reset the count."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ("address:" + address)[:KEY_WIDTH]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"address:{ip}"


def locked_until(session: Session, keys: list[str], now: datetime) -> datetime | None:
    """The latest time until which any of ``keys`` is locked, or None when none is."""
    rows = session.scalars(
        select(SignInFailures.locked_until).where(
            SignInFailures.key.in_(keys), SignInFailures.locked_until > now
        )
    )
    found = [until for until in rows if until is not None]
    return max(found) if found else None


def record_failure(
    session: Session, username: str, address: str, now: datetime, policy: ThrottlePolicy
) -> datetime | None:
    """Count a failed sign-in for the account and the address; returns the time until
    which this failure locks either (None when it does not), and logs a lock."""
    until = None
    for key, allowed in (
        (account_key(username), policy.account_attempts),
        (address_key(address), policy.address_attempts),
    ):
        failures = _count(session, key, now)
        lock = policy.lock_for(failures, allowed)
        if lock is not None:
            key_until = now + lock
            session.execute(
                update(SignInFailures)
                .where(SignInFailures.key == key)
                .values(locked_until=key_until)
            )
            log.warning(
                "sign-in locked: %s after %d failures, until %s (account %r, address %s)",
                key,
                failures,
                key_until.isoformat(timespec="seconds"),
                username[:100],
                address,
            )
            until = key_until if until is None else max(until, key_until)
    return until


def _count(session: Session, key: str, now: datetime) -> int:
    """Add one failure to ``key`` (starting afresh when its last is a day old) and
    return its count. The UPDATE takes the row's write lock before anything is read."""
    fresh = SignInFailures.last_failure_at < now - FORGET_AFTER
    for _attempt in range(3):
        changed = session.execute(
            update(SignInFailures)
            .where(SignInFailures.key == key)
            .values(
                failures=case((fresh, 1), else_=SignInFailures.failures + 1),
                last_failure_at=now,
            )
        )
        if changed.rowcount:  # type: ignore[attr-defined]
            count = session.scalar(select(SignInFailures.failures).where(SignInFailures.key == key))
            return int(count or 1)
        try:
            with session.begin_nested():
                session.add(SignInFailures(key=key, failures=1, last_failure_at=now))
            return 1
        except IntegrityError:  # another process inserted the key first: count on it
            continue
    return 1


def clear_account(session: Session, username: str) -> None:
    """A successful sign-in forgets the account's failures (not the address's)."""
    session.execute(delete(SignInFailures).where(SignInFailures.key == account_key(username)))
