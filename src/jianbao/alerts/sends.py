"""What became of alerts' sends, read from the delivery log (review finding 12).

An alert's send to a channel is logged like an issue's parts (jianbao.deliver.log). A part
left ``sending`` was interrupted in flight: by a process that died more than
``log.IN_FLIGHT`` ago it is *unconfirmed* (未确认: the robot may have posted it; it is not
sent again without an editor's word), else it may still be *in flight*. Those channels
are kept as data — the log's rows — and the pages and the CLI word them in the reader's
language; they were once a Chinese sentence stored on the alert and parsed back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import Alert, Delivery
from jianbao.deliver import log

#: where the sentence about unconfirmed channels began in the delivery note of alerts
#: recorded before review finding 12 (the note now holds refusals only)
_OLD_UNCONFIRMED_MARK = "：未确认——"


@dataclass
class AlertSends:
    """An alert's channels whose send is unconfirmed, and those it may still be under way."""

    unconfirmed: list[str] = field(default_factory=list)
    in_flight: list[str] = field(default_factory=list)


def send_states(
    session: Session, alerts: Sequence[Alert], now: datetime | None = None
) -> dict[int, AlertSends]:
    """Per alert with a part left ``sending``: its unconfirmed and in-flight channels."""
    found: dict[int, AlertSends] = {}
    ids = [a.id for a in alerts]
    if not ids:
        return found
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.alert_id.in_(ids), Delivery.state == "sending")
        .order_by(Delivery.alert_id, Delivery.channel, Delivery.part)
    )
    for row in rows:
        assert row.alert_id is not None
        sends = found.setdefault(row.alert_id, AlertSends())
        names = sends.in_flight if log.in_flight(row, now) else sends.unconfirmed
        if row.channel not in names:
            names.append(row.channel)
    return found


def refusals(note: str) -> str:
    """An alert's stored delivery note: the channels that refused, and why. A note
    recorded before review finding 12 also held a sentence about unconfirmed channels
    (always last); it is cut off, as those channels are read from the log."""
    at = note.find(_OLD_UNCONFIRMED_MARK)
    if at < 0:
        return note
    cut = note.rfind("；", 0, at)
    return note[:cut] if cut >= 0 else ""
