"""The runner when the holiday file or the publications file stops reading (a typo, a
file saved as GBK): the schedule goes on with the version read last, the admins are told
once per distinct problem (not at every tick), and ``schedule_problems`` (``jianbao beat
--check``) says it."""

from __future__ import annotations

import ctypes
import os
import struct
from pathlib import Path

import pytest

from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.editions.daynote import CalendarOverride
from jianbao.errors import ConfigError
from jianbao.jobs.runner import schedule_problems
from jianbao.jobs.schedule_files import CALENDAR, PUBLICATIONS, kept_copy_path
from jobs.conftest import MakeRunner, shanghai

GOOD = '[2027]\nholidays = {"2027-01-01" = "元旦"}\nworkdays = ["2027-02-07"]\n'
TYPO = GOOD.replace('"2027-02-07"', '"2027-2-7"')

Notices = list[tuple[str, str, str, str]]


@pytest.fixture
def calendar(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.toml"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def told_settings(settings: Settings, calendar: Path) -> Settings:
    # the admins' channel configured (the health check names one that is not); the
    # tests catch the notices themselves, nothing is sent to it
    admins = ChannelConfig(kind="wecom", url="http://127.0.0.1:9/cgi-bin/webhook/send?key=k-03")
    return settings.model_copy(
        update={
            "admin_channel": "管理员群",
            "channels": {"管理员群": admins},
            "calendar_file": calendar,
        }
    )


def collects(acted: list) -> list[str]:
    return [a.outcome for a in acted if a.job == "collect"]


def test_a_typo_in_the_holiday_file_keeps_the_last_version_and_tells_once(
    db: Database, told_settings: Settings, calendar: Path, make_runner: MakeRunner
) -> None:
    notices: Notices = []
    runner, clock = make_runner(
        shanghai(2026, 12, 8, 9, 20),
        shanghai(2026, 12, 8, 9, 25),
        notify=lambda *notice: notices.append(notice),
        settings_=told_settings,
    )
    runner.tick_safely()  # reads the good file
    calendar.write_text(TYPO, encoding="utf-8")
    clock.set(2026, 12, 8, 9, 30, 5)
    acted = runner.tick_safely()
    runner.wait_idle(timeout=60)
    assert collects(acted) == ["running"]  # the 09:30 collection still runs
    assert runner.lease.last_tick() == clock.now
    # the jobs (a draft's 调休 heading, the duty editor) read the version kept
    kept = runner.settings.calendar_file
    assert kept is not None and kept != calendar and kept.read_text(encoding="utf-8") == GOOD
    for _ in range(5):  # the beat's next ticks: not told again
        clock.advance(seconds=20)
        runner.tick_safely()
    [(channel, title, text, _url)] = notices
    assert channel == "管理员群" and str(calendar) in title
    assert "2027-2-7" in text and "下一轮自动生效" in text
    clock.advance(hours=1)  # still broken an hour later: told again
    runner.tick_safely()
    assert len(notices) == 2
    calendar.write_text(GOOD, encoding="utf-8")  # fixed, then broken anew: told afresh
    clock.advance(seconds=20)
    runner.tick_safely()
    assert runner.settings.calendar_file == calendar
    calendar.write_text(TYPO, encoding="utf-8")
    clock.advance(seconds=20)
    runner.tick_safely()
    runner.wait_idle(timeout=60)
    assert len(notices) == 3
    assert any("2027-2-7" in p for p in schedule_problems(db, told_settings, clock.now))


def test_a_gbk_holiday_file_from_the_start_uses_the_library_told_once(
    db: Database, told_settings: Settings, calendar: Path, make_runner: MakeRunner
) -> None:
    calendar.write_bytes(GOOD.encode("gbk"))
    notices: Notices = []
    runner, clock = make_runner(
        shanghai(2026, 12, 8, 9, 20),
        shanghai(2026, 12, 8, 9, 31),
        notify=lambda *notice: notices.append(notice),
        settings_=told_settings,
    )
    acted = runner.tick_safely()  # never read: the library's holidays (2026 it knows)
    runner.wait_idle(timeout=60)
    assert collects(acted) == ["running"]
    assert runner.settings.calendar_file is None
    for _ in range(4):
        clock.advance(seconds=20)
        runner.tick_safely()
    assert runner.lease.last_tick() == clock.now
    [(channel, title, text, _url)] = notices
    assert channel == "管理员群" and "日历库" in title and str(calendar) in title
    assert "UTF-8" in text
    [problem] = schedule_problems(db, told_settings, clock.now)
    assert "UTF-8" in problem
    calendar.write_text(GOOD, encoding="utf-8")
    clock.advance(seconds=20)
    runner.tick_safely()
    runner.wait_idle(timeout=60)
    assert runner.settings.calendar_file == calendar
    assert schedule_problems(db, told_settings, clock.now) == []


def test_a_bad_publications_file_from_the_start_fails_the_tick_once_told(
    db: Database, told_settings: Settings, tmp_path: Path, make_runner: MakeRunner
) -> None:
    publications = tmp_path / "publications.toml"
    publications.write_text('[publications.daily]\ntitle = "日报\n', encoding="utf-8")
    configured = told_settings.model_copy(update={"publications_file": publications})
    notices: Notices = []
    runner, clock = make_runner(
        shanghai(2026, 12, 8, 9, 20),
        shanghai(2026, 12, 8, 9, 31),
        notify=lambda *notice: notices.append(notice),
        settings_=configured,
    )
    for _ in range(4):
        assert runner.tick_safely() == []  # no publications to go on with
        clock.advance(seconds=20)
    assert runner.lease.last_tick() == shanghai(2026, 12, 8, 9, 20)
    [(channel, title, text, _url)] = notices
    assert channel == "管理员群" and "日程出错" in title and str(publications) in text
    clock.advance(minutes=10)
    runner.lease.acquire()  # the keeper renews it while the ticks fail
    problems = schedule_problems(db, configured, clock.now)
    assert len(problems) == 2  # the file, and no tick finished for over 10 minutes
    assert "TOML" in problems[0] and "没有完成一轮" in problems[1]


def test_a_bad_publications_file_keeps_the_last_version(
    db: Database, told_settings: Settings, tmp_path: Path, make_runner: MakeRunner
) -> None:
    publications = tmp_path / "publications.toml"
    publications.write_text(
        '[publications.daily]\ntitle = "每日学习播报"\nkind = "daily"\n', encoding="utf-8"
    )
    configured = told_settings.model_copy(update={"publications_file": publications})
    notices: Notices = []
    runner, clock = make_runner(
        shanghai(2026, 12, 8, 9, 20),
        shanghai(2026, 12, 8, 9, 25),
        notify=lambda *notice: notices.append(notice),
        settings_=configured,
    )
    runner.tick_safely()
    publications.write_bytes('[publications.daily]\ntitle = "日报"\n'.encode("gbk"))
    clock.set(2026, 12, 8, 9, 30, 5)
    acted = runner.tick_safely()
    runner.wait_idle(timeout=60)
    assert collects(acted) == ["running"]
    [(_channel, title, text, _url)] = notices
    assert str(publications) in title and "UTF-8" in text


def test_a_gbk_holiday_file_says_save_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(ConfigError) as caught:
        CalendarOverride.load(path)
    assert "UTF-8" in str(caught.value) and str(path) in str(caught.value)


DAILY = '[publications.daily]\ntitle = "每日学习播报"\nkind = "daily"\n'


class Opens:
    """How many times files were opened, as the kernel tells it (inotify): a read is an
    open, whoever makes it, with no hook in the code read."""

    _OPEN, _CLOSE_NOWRITE = 0x20, 0x10  # open and close alternate: never coalesced

    def __init__(self, *paths: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK)
        if self.fd < 0:
            pytest.skip("inotify is not available here")
        self.watches = {
            libc.inotify_add_watch(self.fd, os.fsencode(p), self._OPEN | self._CLOSE_NOWRITE): p
            for p in paths
        }

    def take(self) -> dict[Path, int]:
        """The opens of each file since the last call."""
        counts = dict.fromkeys(self.watches.values(), 0)
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return counts
            at = 0
            while at < len(data):
                watch, mask, _cookie, size = struct.unpack_from("iIII", data, at)
                at += 16 + size
                if mask & self._OPEN:
                    counts[self.watches[watch]] += 1

    def close(self) -> None:
        os.close(self.fd)


def test_each_tick_reads_each_schedule_file_once_and_keeps_what_it_parsed(
    told_settings: Settings, calendar: Path, tmp_path: Path, make_runner: MakeRunner
) -> None:
    publications = tmp_path / "publications.toml"
    publications.write_text(DAILY, encoding="utf-8")
    configured = told_settings.model_copy(update={"publications_file": publications})
    runner, clock = make_runner(
        shanghai(2026, 12, 8, 9, 20), shanghai(2026, 12, 8, 9, 25), settings_=configured
    )
    opens = Opens(publications, calendar)
    try:
        runner.tick_safely()
        assert opens.take() == {publications: 1, calendar: 1}
        kept = kept_copy_path(configured, CALENDAR, calendar)
        assert kept.read_bytes() == GOOD.encode()  # written when it read, not when it broke
        # the editor saves a new version between two ticks: read once, and kept
        newer = GOOD.replace('"元旦"}', '"元旦", "2027-01-02" = "元旦"}')
        calendar.write_text(newer, encoding="utf-8")
        opens.take()  # (the save's own open)
        clock.advance(seconds=20)
        runner.tick_safely()
        assert opens.take() == {publications: 1, calendar: 1}
        assert kept.read_bytes() == newer.encode()
        clock.advance(seconds=20)  # unchanged: read once more, the copy not written again
        written = kept.stat().st_mtime_ns
        runner.tick_safely()
        assert opens.take() == {publications: 1, calendar: 1}
        assert kept.stat().st_mtime_ns == written
    finally:
        opens.close()


def test_a_runner_started_again_with_broken_files_uses_the_copies_kept(
    db: Database, told_settings: Settings, calendar: Path, tmp_path: Path, make_runner: MakeRunner
) -> None:
    publications = tmp_path / "publications.toml"
    publications.write_text(DAILY, encoding="utf-8")
    configured = told_settings.model_copy(update={"publications_file": publications})
    first, _clock = make_runner(
        shanghai(2026, 12, 8, 9, 20), shanghai(2026, 12, 8, 9, 25), settings_=configured
    )
    first.tick_safely()  # both read: their copies kept on disk
    first.close()
    publications.write_bytes('[publications.daily]\ntitle = "日报"\n'.encode("gbk"))
    calendar.write_text(TYPO, encoding="utf-8")
    notices: Notices = []
    runner, clock = make_runner(  # a restart: a new process knows nothing of the first
        shanghai(2026, 12, 8, 9, 25),
        shanghai(2026, 12, 8, 9, 30, 5),
        notify=lambda *notice: notices.append(notice),
        settings_=configured,
    )
    acted = runner.tick_safely()
    runner.wait_idle(timeout=60)
    assert collects(acted) == ["running"]  # the tick did not fail on the publications
    assert runner.lease.last_tick() == clock.now
    # the jobs read the versions kept, the holiday file's not the library's data
    kept_publications = runner.settings.publications_file
    kept_calendar = runner.settings.calendar_file
    assert kept_publications == kept_copy_path(configured, PUBLICATIONS, publications)
    assert kept_publications.read_text(encoding="utf-8") == DAILY
    assert kept_calendar is not None and kept_calendar.read_text(encoding="utf-8") == GOOD
    titles = sorted(title for _channel, title, _text, _url in notices)
    assert len(titles) == 2 and all("沿用上次读出的版本" in t for t in titles)
    assert str(calendar) in titles[0] + titles[1] and str(publications) in titles[0] + titles[1]
    # beat --check still says both files are broken
    assert len(schedule_problems(db, configured, clock.now)) == 2
