"""Every channel name the schedule will send to, checked before it is needed.

A publication's ``channels``, ``admin_channel``, ``alert_channels`` and the duty roster's
people name ``[channels.<name>]`` tables. A typo (``处室 群`` for ``处室群``), a table
removed, or a channel switched off because its ``secret_env`` variable is not set in the
service's environment (systemd does not read a login shell's exports) used to show only
when the send came — at 08:00, when the daily failed; and a wrong ``admin_channel`` meant
nobody was told of that either. :func:`channel_problems` names each such reference (who
refers to it, the field, the name, the channels configured) so ``jianbao run`` and
``jianbao beat`` say it at start-up and ``jianbao beat --check`` counts it as unhealthy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import RosterPerson
from jianbao.editions.publication import Publication
from jianbao.errors import NotConfigured
from jianbao.jobs.messages import say


@dataclass(frozen=True, slots=True)
class ChannelReference:
    """A place that names a channel: where (said to a person) and the name."""

    where: str
    name: str


def channel_references(
    settings: Settings, publications: dict[str, Publication], session: Session | None = None
) -> list[ChannelReference]:
    """Every channel name the schedule may send to, with who names it: the publications'
    ``channels``, ``admin_channel``, ``alert_channels`` and (with a session) the active
    roster people's own channels."""
    found = [
        ChannelReference(
            say(settings, "channel.where.publication", publication=key, title=publication.title),
            name,
        )
        for key, publication in publications.items()
        for name in publication.channels
    ]
    if settings.admin_channel:
        found.append(ChannelReference(say(settings, "channel.where.admin"), settings.admin_channel))
    found += [
        ChannelReference(say(settings, "channel.where.alerts"), name)
        for name in dict.fromkeys(settings.alert_channels)
    ]
    if session is not None:
        people = session.execute(
            select(RosterPerson.name, RosterPerson.channel)
            .where(RosterPerson.active.is_(True))
            .order_by(RosterPerson.position, RosterPerson.id)
        )
        found += [
            ChannelReference(say(settings, "channel.where.roster", person=person), channel)
            for person, channel in people
            if channel
        ]
    return found


def channel_problems(
    settings: Settings, publications: dict[str, Publication], session: Session | None = None
) -> list[str]:
    """One line per reference to a channel that is not configured or is switched off (and
    why); empty when every name resolves."""
    from jianbao.deliver.registry import configured_channels

    built = configured_channels(settings)
    known = say(settings, "list.separator").join(built) or say(settings, "channel.none")
    problems = []
    for reference in channel_references(settings, publications, session):
        channel = built.get(reference.name)
        if channel is None:
            problems.append(
                say(
                    settings,
                    "channel.unknown",
                    where=reference.where,
                    name=reference.name,
                    known=known,
                )
            )
        elif isinstance(channel, NotConfigured):
            problems.append(
                say(
                    settings,
                    "channel.off",
                    where=reference.where,
                    name=reference.name,
                    reason=str(channel),
                )
            )
    return problems
