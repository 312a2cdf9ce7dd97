"""What is due when: the schedule driven by explicit datetimes, never the real clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from jianbao.config import Settings
from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.publication import Publication, default_publications
from jianbao.errors import InputError
from jianbao.jobs.due import PlannedJob, due_between, planned_jobs
from jianbao.records import SHANGHAI
from jianbao.testing import make_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def plan(
    settings: Settings,
    start: datetime,
    end: datetime,
    publications: dict[str, Publication] | None = None,
    override: CalendarOverride | None = None,
) -> list[PlannedJob]:
    return planned_jobs(
        start,
        end,
        publications=publications or default_publications(),
        override=override,
        settings=settings,
    )


def pub_jobs(jobs: list[PlannedJob], publication: str, job: str = "draft") -> list[PlannedJob]:
    return [j for j in jobs if j.publication == publication and j.job == job]


def test_the_tiaoxiu_saturday_has_a_daily_and_the_spring_festival_none(
    settings: Settings,
) -> None:
    jobs = plan(settings, at(2026, 2, 14), at(2026, 2, 18))
    daily = {j.at: j for j in pub_jobs(jobs, "daily") + pub_jobs(jobs, "daily", "send")}
    draft_14 = daily[at(2026, 2, 14, 7)]
    assert draft_14.runs and draft_14.reason == "调休上班"
    assert draft_14.issue_date == date(2026, 2, 14)
    assert daily[at(2026, 2, 14, 8)].runs and daily[at(2026, 2, 14, 8)].job == "send"
    festival = daily[at(2026, 2, 17, 7)]
    assert festival.runs is False and festival.reason == "春节假期"
    assert daily[at(2026, 2, 17, 8)].runs is False


def test_a_week_whose_friday_is_a_holiday_has_its_weekly_on_thursday(
    settings: Settings,
) -> None:
    # 2026-05-01 (Friday) is 劳动节: the weekly of 27 April–3 May comes out on the 30th
    jobs = plan(settings, at(2026, 4, 27), at(2026, 5, 4))
    weekly = pub_jobs(jobs, "weekly")
    running = [j for j in weekly if j.runs]
    assert [j.at for j in running] == [at(2026, 4, 30, 7)]
    assert "周四" in running[0].reason and "周五劳动节假期" in running[0].reason
    skipped = [j for j in weekly if not j.runs]
    assert [j.at.date() for j in skipped] == [date(2026, 5, 1)]
    assert "改在 4月30日出刊" in skipped[0].reason
    sends = [j for j in pub_jobs(jobs, "weekly", "send") if j.runs]
    assert [j.at for j in sends] == [at(2026, 4, 30, 8)]


def test_an_ordinary_week_has_its_weekly_on_friday(settings: Settings) -> None:
    jobs = plan(settings, at(2026, 3, 9), at(2026, 3, 16))
    assert [(j.at, j.runs) for j in pub_jobs(jobs, "weekly")] == [(at(2026, 3, 13, 7), True)]


def test_the_monthly_is_on_the_months_last_working_day(settings: Settings) -> None:
    # January 2026 ends on a Saturday: the monthly is on Friday the 30th
    jobs = plan(settings, at(2026, 1, 1), at(2026, 2, 1))
    monthly = pub_jobs(jobs, "monthly")
    assert [(j.at, j.runs) for j in monthly] == [(at(2026, 1, 30, 7), True)]
    assert "本月最后一个工作日" in monthly[0].reason


def test_a_date_beyond_the_data_is_loud_in_every_job(settings: Settings) -> None:
    jobs = plan(settings, at(2027, 1, 1), at(2027, 1, 2))
    daily = pub_jobs(jobs, "daily")
    assert len(daily) == 1
    assert daily[0].reason.startswith("数据外：2027 年")
    check = [j for j in jobs if j.job == "calendar_check"]
    assert len(check) == 1 and check[0].runs and "2027" in check[0].reason


def test_with_the_override_2027_new_year_has_no_daily(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text('[2027]\nholidays = {"2027-01-01" = "元旦"}\n', encoding="utf-8")
    override = CalendarOverride.load(path)
    jobs = plan(settings, at(2027, 1, 1), at(2027, 1, 2), override=override)
    daily = pub_jobs(jobs, "daily")
    assert [(j.runs, j.reason) for j in daily] == [(False, "元旦假期")]


def test_collection_runs_every_interval_within_the_hours(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, collect_every_minutes=45, collect_hours="06:00-09:00")
    jobs = plan(settings, at(2026, 2, 17), at(2026, 2, 18))
    collect = [j.at.strftime("%H:%M") for j in jobs if j.job == "collect"]
    # slots counted from midnight: 06:00, 06:45, 07:30, 08:15 — on holidays too
    assert collect == ["06:00", "06:45", "07:30", "08:15"]


def test_publication_times_and_switches_come_from_its_table(settings: Settings) -> None:
    pubs = {
        "daily": Publication.from_mapping(
            "daily",
            {"title": "每日学习播报", "kind": "daily", "draft_at": "06:30", "send_at": "09:15"},
        ),
        "weekly": Publication.from_mapping(
            "weekly", {"title": "周报", "kind": "weekly", "enabled": False}
        ),
    }
    jobs = plan(settings, at(2026, 3, 13), at(2026, 3, 14), publications=pubs)
    mine = [(j.job, j.publication, j.at.strftime("%H:%M"), j.runs) for j in jobs if j.publication]
    assert mine == [
        ("draft", "daily", "06:30", True),
        ("draft", "weekly", "07:00", False),
        ("send", "weekly", "08:00", False),
        ("send", "daily", "09:15", True),
    ]
    assert "刊物已停用" in pub_jobs(jobs, "weekly")[0].reason


def test_times_are_in_the_settings_time_zone(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, timezone="Europe/Berlin")
    jobs = plan(settings, at(2026, 3, 13), at(2026, 3, 14, 23))
    draft = pub_jobs(jobs, "daily")[0]
    assert draft.at.utcoffset() == timedelta(hours=1)
    assert draft.at.hour == 7


def test_naive_datetimes_are_refused(settings: Settings) -> None:
    with pytest.raises(InputError) as err:
        plan(settings, datetime(2026, 3, 13), at(2026, 3, 14))
    assert err.value.hint and "时区" in err.value.message


def _due(settings: Settings, last: datetime, now: datetime) -> list[PlannedJob]:
    return due_between(
        last, now, publications=default_publications(), override=None, settings=settings
    )


def test_a_tick_sees_what_became_due_since_the_last(settings: Settings) -> None:
    due = _due(settings, at(2026, 3, 13, 6, 59), at(2026, 3, 13, 7, 0))
    assert [(j.job, j.publication) for j in due] == [
        ("collect", None),
        ("draft", "daily"),
        ("draft", "weekly"),
    ]
    # the same instant is not due twice
    assert _due(settings, at(2026, 3, 13, 7, 0), at(2026, 3, 13, 7, 0, 30)) == []


def test_after_downtime_collection_is_one_cycle_and_a_send_within_grace_is_made(
    settings: Settings,
) -> None:
    # down from 05:00 to 09:30: six missed collections become one; 08:00 is 90 min late
    due = _due(settings, at(2026, 3, 13, 5, 0), at(2026, 3, 13, 9, 30))
    collect = [j for j in due if j.job == "collect"]
    assert len(collect) == 1 and collect[0].at == at(2026, 3, 13, 9, 30)
    assert "合并为一次" in collect[0].reason
    sends = [j for j in due if j.job == "send"]
    assert {j.publication for j in sends} == {"daily", "weekly"}
    assert all(j.runs and not j.missed and "在宽限内" in j.reason for j in sends)
    drafts = [j for j in due if j.job == "draft"]
    assert {j.publication for j in drafts} == {"daily", "weekly"}


def test_a_send_beyond_the_grace_is_reported_missed_not_sent(settings: Settings) -> None:
    due = _due(settings, at(2026, 3, 13, 5, 0), at(2026, 3, 13, 10, 1))
    sends = [j for j in due if j.job == "send"]
    assert sends and all(j.missed and not j.runs for j in sends)
    assert "超过宽限 120 分钟" in sends[0].reason and "不补发" in sends[0].reason


def test_the_window_may_be_given_in_utc(settings: Settings) -> None:
    last = datetime(2026, 3, 12, 22, 59, tzinfo=UTC)  # 06:59 in Shanghai
    now = datetime(2026, 3, 12, 23, 0, tzinfo=UTC)
    assert [j.job for j in _due(settings, last, now)] == ["collect", "draft", "draft"]


def test_a_holiday_tick_drafts_nothing(settings: Settings) -> None:
    due = _due(settings, at(2026, 2, 17, 6, 0), at(2026, 2, 17, 9, 0))
    assert {j.job for j in due} == {"collect"}


def test_every_week_and_month_of_2025_and_2026_has_one_issue_on_its_last_working_day(
    tmp_path: Path,
) -> None:
    from jianbao.editions.daynote import is_working_day

    settings = make_settings(tmp_path, collect_every_minutes=1440)
    jobs = plan(settings, at(2024, 12, 30), at(2027, 1, 1))  # 2024-12-30 is a Monday
    weekly = {j.issue_date for j in pub_jobs(jobs, "weekly") if j.runs}
    monthly = {j.issue_date for j in pub_jobs(jobs, "monthly") if j.runs}
    monday = date(2024, 12, 30)
    while monday < date(2026, 12, 28):
        week = [monday + timedelta(days=i) for i in range(7)]
        working = [d for d in week if is_working_day(d)]
        assert {d for d in weekly if monday <= d <= week[-1]} == set(working[-1:]), monday
        monday += timedelta(days=7)
    for year in (2025, 2026):
        for month in range(1, 13):
            days = [d for d in monthly if (d.year, d.month) == (year, month)]
            assert len(days) == 1, (year, month)
            later = days[0] + timedelta(days=1)
            while later.month == month:
                assert not is_working_day(later)
                later += timedelta(days=1)
