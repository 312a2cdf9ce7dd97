"""The calendar: China's working days (with 调休) and the daily heading's note of the day.

Working days come from chinese_calendar, which only knows the years whose schedule the
State Council has published (1.11 covers 2004–2026). Beyond its data we raise an
InputError saying so, unless the user supplied the year's schedule in an override
(``CalendarOverride``; the schedule for next year is announced each winter). Solar terms
and the three 伏 periods come from lunar-python, so the note is computed, never typed.
"""

from __future__ import annotations

import functools
import io
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
from lunar_python import Solar

from jianbao.errors import ConfigError, InputError

#: chinese_calendar's holiday names, in the words used in Chinese headings
HOLIDAY_NAMES_CN = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

#: lunar-python's names of the 伏 periods → the note on their first day
_FU_NOTES = {"初伏": "今日入伏", "中伏": "今日中伏", "末伏": "今日末伏"}


@dataclass(frozen=True, slots=True)
class CalendarOverride:
    """Days the library does not know yet (or gets wrong): extra holidays and workdays.

    The override adds to the library's data and corrects it day by day: ``holidays`` are
    days off, ``workdays`` are 调休 working days, every other day of a year the library
    knows keeps the library's answer. A year listed in ``years`` that the library does
    not know is described by the override alone: weekends off, the listed days as listed.
    """

    holidays: dict[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()

    @classmethod
    def load(cls, path: Path) -> CalendarOverride:
        """Read a TOML file: ``[2027] holidays = {"2027-01-01" = "元旦"} workdays = [...]``."""
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"无法读取节假日补充文件：{exc}",
                item=str(path),
                hint="检查文件路径与 TOML 格式",
            ) from exc
        return cls.from_bytes(content, path)

    @classmethod
    def from_bytes(cls, content: bytes, path: Path) -> CalendarOverride:
        """:meth:`load` of the file's bytes, read already (the scheduler reads them once
        a tick and keeps the last that parsed); ``path`` is named in an error."""
        try:
            data = tomllib.loads(utf8_file_text(content))
        except UnicodeDecodeError as exc:  # a Windows editor's GBK: say how to save it
            raise ConfigError(
                f"节假日补充文件不是 UTF-8 编码（not UTF-8: byte {exc.start}）",
                item=str(path),
                hint="用 UTF-8 另存该文件 (save the file as UTF-8)",
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"无法读取节假日补充文件：{exc}",
                item=str(path),
                hint="检查文件路径与 TOML 格式",
            ) from exc
        holidays: dict[date, str] = {}
        workdays: set[date] = set()
        years: set[int] = set()
        for year, table in data.items():
            try:
                years.add(int(year))
                for day, name in dict(table.get("holidays", {})).items():
                    holidays[date.fromisoformat(str(day))] = str(name)
                for day in table.get("workdays", []):
                    workdays.add(date.fromisoformat(str(day)))
            except (ValueError, TypeError, AttributeError) as exc:
                raise ConfigError(
                    f"节假日补充文件第 {year} 年格式不对：{exc}",
                    item=str(path),
                    hint='写作 [2027] holidays = {"2027-01-01" = "元旦"} workdays = ["2027-02-07"]',
                ) from exc
        return cls(holidays=holidays, workdays=frozenset(workdays), years=frozenset(years))


_NO_OVERRIDE = CalendarOverride()


def _beyond_data(d: date, exc: Exception) -> InputError:
    return InputError(
        f"{d.year}年的法定节假日安排不在日历库的数据范围内（{exc}）",
        item=d.isoformat(),
        hint="升级 chinesecalendar，或在节假日补充文件中写入该年的放假与调休安排",
    )


@functools.lru_cache(maxsize=8192)
def _library_workday(d: date) -> bool:
    """chinese_calendar's answer, kept: each of its calls scans its whole table for the
    range it knows (~50 µs), and a per-day rotation or a schedule asks for years of days."""
    return bool(chinese_calendar.is_workday(d))


@functools.lru_cache(maxsize=8192)
def _library_holiday(d: date) -> tuple[bool, str | None]:
    on_holiday, name = chinese_calendar.get_holiday_detail(d)
    return bool(on_holiday), str(name) if name else None


def is_working_day(d: date, override: CalendarOverride | None = None) -> bool:
    """Whether ``d`` is a working day in China, 调休 make-up days included."""
    override = override or _NO_OVERRIDE
    if d in override.workdays:
        return True
    if d in override.holidays:
        return False
    try:
        return _library_workday(d)
    except NotImplementedError as exc:
        if d.year in override.years:
            return d.weekday() < 5
        raise _beyond_data(d, exc) from exc


def holiday_name(d: date, override: CalendarOverride | None = None) -> str | None:
    """The public holiday ``d`` falls in (春节, 国庆节 …), or None."""
    override = override or _NO_OVERRIDE
    if d in override.holidays:
        return override.holidays[d]
    if d in override.workdays:
        return None
    try:
        on_holiday, name = _library_holiday(d)
    except NotImplementedError as exc:
        if d.year in override.years:
            return None
        raise _beyond_data(d, exc) from exc
    if not on_holiday or not name:
        return None
    return HOLIDAY_NAMES_CN.get(str(name), str(name))


def is_makeup_workday(d: date, override: CalendarOverride | None = None) -> bool:
    """A weekend day worked in exchange for a holiday (调休上班)."""
    return d.weekday() >= 5 and is_working_day(d, override)


def previous_working_day(d: date, override: CalendarOverride | None = None) -> date:
    """The working day before ``d`` (holidays and weekends skipped, 调休 honoured)."""
    day = d - timedelta(days=1)
    for _ in range(40):  # the longest break (春节 + weekends) is far shorter
        if is_working_day(day, override):
            return day
        day -= timedelta(days=1)
    return d - timedelta(days=1)


def solar_term(d: date) -> str | None:
    """The solar term (节气) starting on ``d``, e.g. 立秋, or None."""
    name = Solar.fromYmd(d.year, d.month, d.day).getLunar().getJieQi()
    return name or None


def fu_start(d: date) -> str | None:
    """今日入伏 / 今日中伏 / 今日末伏 on the first day of each 伏 period, else None."""
    fu = Solar.fromYmd(d.year, d.month, d.day).getLunar().getFu()
    if fu is None or fu.getIndex() != 1:
        return None
    return _FU_NOTES.get(fu.getName())


def day_note(d: date, override: CalendarOverride | None = None) -> str:
    """The note after a daily heading's weekday: 今日立秋, 今日入伏, 国庆节假期, 调休上班 …

    Several notes are joined with a full-width comma; an empty string when the day has
    none. Holidays are only named when the calendar knows the year (a missing year must
    not stop a broadcast's heading).
    """
    notes: list[str] = []
    term = solar_term(d)
    if term:
        notes.append(f"今日{term}")
    fu = fu_start(d)
    if fu:
        notes.append(fu)
    try:
        name = holiday_name(d, override)
        makeup = name is None and is_makeup_workday(d, override)
    except InputError:
        name, makeup = None, False
    if name:
        notes.append(f"{name}假期")
    elif makeup:
        notes.append("调休上班")
    return "，".join(notes)


def utf8_file_text(content: bytes) -> str:
    """A file's bytes as ``Path.read_text(encoding="utf-8")`` gives the file: UTF-8, and a
    lone carriage return (an old Mac editor's) or CRLF read as a newline. Raises
    ``UnicodeDecodeError`` as that does (the schedule's files, read once a tick as bytes)."""
    return io.TextIOWrapper(io.BytesIO(content), encoding="utf-8").read()
