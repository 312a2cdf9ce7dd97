"""The schedule's two files as a tick reads them: each read once, its last good copy kept
on disk.

The publications file and the holiday file (``calendar_file``) are read at every tick of
the runner (every 20–30 s), so an edit takes effect without a restart. A file that stops
reading (a typo, saved as GBK) must not stop the schedule: the runner goes on with the
version that read last. That version is the bytes the tick parsed — read once, so the
copy kept is the very text whose schedule ran, not a second read the editor's next save
may have changed — and it is kept in the store's data folder (``schedule/``, beside
``models/``), written whole, so a runner started again while the file is broken still
has it.

A copy belongs to the file it was read from (its name carries a digest of the file's
path): a file configured anew that is broken from the start has no last good version.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jianbao.config import Settings
from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.issue_store import calendar_override, publication_configs
from jianbao.editions.publication import publications_from_bytes
from jianbao.errors import ConfigError
from jianbao.jobs.messages import say
from jianbao.whole_file import write_whole

log = logging.getLogger("jianbao.jobs")


@dataclass(frozen=True, slots=True)
class ScheduleFile:
    """One of the two files: the setting naming it, how its bytes parse, and what the
    schedule uses when the setting is empty."""

    source: str
    setting: str
    parse: Callable[[bytes, Path], Any]
    unset: Callable[[Settings], Any]


PUBLICATIONS = ScheduleFile(
    "publications", "publications_file", publications_from_bytes, publication_configs
)
CALENDAR = ScheduleFile("calendar", "calendar_file", CalendarOverride.from_bytes, calendar_override)


@dataclass(frozen=True, slots=True)
class GoodVersion:
    """A version of a file that parsed: what it parsed to, its bytes, and where its copy
    is kept."""

    value: Any
    data: bytes
    copy: Path


def schedule_dir(settings: Settings) -> Path:
    """Where the schedule keeps its state in the store's data folder."""
    return settings.data_dir / "schedule"


def kept_copy_path(settings: Settings, file: ScheduleFile, path: Path) -> Path:
    """Where the last good version of the file at ``path`` is kept."""
    digest = hashlib.sha256(str(path.absolute()).encode("utf-8", "surrogatepass")).hexdigest()
    return schedule_dir(settings) / f"last-good-{file.source}-{digest[:12]}{path.suffix}"


def read_schedule_file(settings: Settings, file: ScheduleFile) -> tuple[Any, bytes | None]:
    """The file's schedule and the bytes it was parsed from, the file read once; or what
    an empty setting means, and None. A ConfigError when the file cannot be read or
    does not parse."""
    path: Path | None = getattr(settings, file.setting)
    if path is None:
        return file.unset(settings), None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            say(
                settings,
                "tick.unreadable_file",
                what=say(settings, f"tick.source.{file.source}"),
                error=exc.strerror or exc,
            ),
            item=str(path),
            hint=say(settings, "tick.unreadable_file.hint"),
        ) from exc
    return file.parse(data, path), data


def keep_copy(version: GoodVersion) -> bool:
    """Write the good version's copy whole; False (and logged) when the data folder
    refuses it: the version is still kept in memory for this process."""
    try:
        version.copy.parent.mkdir(parents=True, exist_ok=True)
        write_whole(version.copy, lambda out: out.write(version.data))
    except OSError as exc:
        log.warning("无法保存日程文件的可用版本 %s：%s", version.copy, exc)
        return False
    return True


def kept_version(settings: Settings, file: ScheduleFile, path: Path) -> GoodVersion | None:
    """The last good version kept on disk for the file at ``path`` (a runner started
    again while the file is broken), or None when there is none that parses."""
    copy = kept_copy_path(settings, file, path)
    try:
        data = copy.read_bytes()
        return GoodVersion(file.parse(data, copy), data, copy)
    except (OSError, ConfigError):  # none kept (or damaged by hand): nothing to go on with
        return None
