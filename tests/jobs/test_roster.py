"""The duty roster: rotation by week or working day, swaps, leave, and roster files."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from jianbao.db.models import Base, RosterPerson, User
from jianbao.db.session import Database
from jianbao.errors import InputError, NotFound
from jianbao.jobs.roster import (
    PersonRow,
    add_leave,
    duty_between,
    duty_editor,
    import_roster,
    swap_duty,
    week_ahead,
)
from jianbao.jobs.roster_file import read_roster_file

PEOPLE = [
    PersonRow("张三", "zhangsan", "wecom-zhang", None),
    PersonRow("李四", None, None, "lisi@example.cn"),
    PersonRow("王五"),
]


def names(db: Database, first: date, last: date) -> list[str | None]:
    with db.session() as session:
        return [p.name if p else None for _, p in duty_between(session, first, last)]


def test_the_roster_tables_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "roster" in repr(d)] == []


def test_no_roster_means_no_duty_editor(db: Database) -> None:
    with db.session() as session:
        assert duty_editor(session, date(2026, 12, 7)) is None


def test_one_person_per_week_from_monday(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="week", start=date(2026, 12, 9))  # a Wednesday
    week = names(db, date(2026, 12, 7), date(2026, 12, 13))
    assert week == ["张三"] * 7  # the start's whole week, weekend included
    assert names(db, date(2026, 12, 14), date(2026, 12, 14)) == ["李四"]
    assert names(db, date(2026, 12, 21), date(2026, 12, 21)) == ["王五"]
    assert names(db, date(2026, 12, 28), date(2026, 12, 28)) == ["张三"]
    assert names(db, date(2026, 11, 30), date(2026, 11, 30)) == [None]  # before the start
    with db.session() as session:
        person = duty_editor(session, date(2026, 12, 8))
    assert person is not None
    assert (person.username, person.channel, person.reason) == ("zhangsan", "wecom-zhang", "轮值")


def test_one_person_per_working_day_skips_the_spring_festival(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="day", start=date(2026, 2, 12))
    got = names(db, date(2026, 2, 12), date(2026, 2, 25))
    assert got[:3] == ["张三", "李四", "王五"]  # 02-14 is a 调休 Saturday: a working day
    assert got[3:12] == [None] * 9  # 春节 02-15 … 02-23
    assert got[12:] == ["张三", "李四"]


def test_leave_passes_the_day_to_the_next_in_turn(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="week", start=date(2026, 12, 7))
        add_leave(session, "李四", date(2026, 12, 15), date(2026, 12, 16))
    assert names(db, date(2026, 12, 14), date(2026, 12, 18)) == [
        "李四",
        "王五",
        "王五",
        "李四",
        "李四",
    ]
    with db.session() as session:
        cover = duty_editor(session, date(2026, 12, 15))
        assert cover is not None and cover.covering_for == "李四"
        assert cover.reason == "代李四值班（李四请假）"
        with pytest.raises(InputError, match="结束日期早于开始日期"):
            add_leave(session, "李四", date(2026, 12, 16), date(2026, 12, 15))
        with pytest.raises(NotFound) as err:
            add_leave(session, "赵六", date(2026, 12, 16), date(2026, 12, 17))
        assert err.value.hint and "张三" in err.value.hint


def test_a_swap_exchanges_two_weeks(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="week", start=date(2026, 12, 7))
        turns = swap_duty(session, "王五", "张三", date(2026, 12, 9), unit="week")
    assert turns == (date(2026, 12, 7), date(2026, 12, 21))
    mondays = [date(2026, 12, 7) + timedelta(weeks=i) for i in range(4)]
    assert [names(db, d, d)[0] for d in mondays] == ["王五", "李四", "张三", "张三"]
    with db.session() as session:
        swapped = duty_editor(session, date(2026, 12, 7))
        assert swapped is not None and swapped.reason == "调换"
        with pytest.raises(InputError) as err:
            swap_duty(session, "张三", "王五", date(2026, 12, 14), unit="week")
        assert "这一轮值班的是李四" in err.value.message
        with pytest.raises(InputError, match="按周轮值"):
            swap_duty(session, "张三", "李四", date(2026, 12, 14), unit="day")


def test_a_swap_of_days_in_a_daily_rotation(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="day", start=date(2026, 2, 12))
        turns = swap_duty(session, "张三", "李四", date(2026, 2, 24), unit="day")
    assert turns == (date(2026, 2, 24), date(2026, 2, 25))
    assert names(db, date(2026, 2, 24), date(2026, 2, 26)) == ["李四", "张三", "王五"]


def test_a_new_import_reorders_and_retires_people(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="week", start=date(2026, 12, 7))
        import_roster(session, [PersonRow("王五"), PersonRow("张三")])
        retired = session.scalar(select(RosterPerson).where(RosterPerson.name == "李四"))
        assert retired is not None and retired.active is False
    assert [names(db, d, d)[0] for d in (date(2026, 12, 7), date(2026, 12, 14))] == [
        "王五",
        "张三",
    ]


def test_a_new_rotation_with_one_more_person_leaves_this_week_and_the_past_alone(
    db: Database,
) -> None:
    """revC finding 4: 孙七 added at the end with a rotation from next Monday; this week
    (李四's, the fifth since 11-02) and every week before keep their editor, next week
    starts the new order; the kept turns read as 轮值, not as swaps."""
    four = [PersonRow("张三"), PersonRow("李四"), PersonRow("王五"), PersonRow("赵六")]
    with db.session() as session:
        import_roster(session, four, unit="week", start=date(2026, 11, 2))
    past = names(db, date(2026, 11, 2), date(2026, 12, 13))
    assert names(db, date(2026, 12, 7), date(2026, 12, 9)) == ["李四"] * 3
    with db.session() as session:
        import_roster(session, [*four, PersonRow("孙七")], unit="week", start=date(2026, 12, 14))
        kept = duty_editor(session, date(2026, 12, 8))
        assert kept is not None and kept.reason == "轮值"
    assert names(db, date(2026, 11, 2), date(2026, 12, 13)) == past
    assert names(db, date(2026, 12, 14), date(2026, 12, 14)) == ["张三"]
    assert [names(db, date(2027, 1, 11), date(2027, 1, 11))[0]] == ["孙七"]  # 5th week
    # a swap of a kept turn still works, and a later import keeps the turns again
    with db.session() as session:
        swap_duty(session, "李四", "王五", date(2026, 12, 8), unit="week")
        import_roster(session, [PersonRow("赵六"), *four[:3]], unit="week", start=date(2027, 1, 4))
    assert names(db, date(2026, 12, 7), date(2026, 12, 7)) == ["王五"]
    assert names(db, date(2026, 11, 2), date(2026, 11, 30))[::7] == [
        "张三",
        "李四",
        "王五",
        "赵六",
        "张三",
    ]
    assert names(db, date(2027, 1, 4), date(2027, 1, 11))[::7] == ["赵六", "张三"]


def test_a_new_daily_rotation_keeps_the_days_before_it(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="day", start=date(2026, 12, 1))
    before = names(db, date(2026, 12, 1), date(2026, 12, 11))
    with db.session() as session:
        import_roster(
            session, [PersonRow("王五"), *PEOPLE[:2]], unit="day", start=date(2026, 12, 14)
        )
    assert names(db, date(2026, 12, 1), date(2026, 12, 11)) == before
    assert names(db, date(2026, 12, 14), date(2026, 12, 15)) == ["王五", "张三"]


def test_unknown_workstation_accounts_are_noted(db: Database) -> None:
    with db.session() as session:
        session.add(User(username="lisi", password_hash="x"))
        session.flush()
        people = [PersonRow("张三", "zhangsan"), PersonRow("李四", "lisi"), PersonRow("王五")]
        notes = import_roster(session, people, unit="week", start=date(2026, 12, 7))
    assert notes == ["张三的工作台账号 zhangsan 不存在（可稍后用 jianbao users add 创建）"]


def test_the_first_import_needs_a_rotation(db: Database) -> None:
    with db.session() as session, pytest.raises(InputError, match="还没有轮值安排"):
        import_roster(session, PEOPLE)


def test_week_ahead(db: Database) -> None:
    with db.session() as session:
        import_roster(session, PEOPLE, unit="week", start=date(2026, 12, 7))
        ahead = week_ahead(session, date(2026, 12, 11))
    assert [d for d, _ in ahead] == [date(2026, 12, 11) + timedelta(days=i) for i in range(7)]
    assert [p.name if p else None for _, p in ahead] == ["张三"] * 3 + ["李四"] * 4


# -- roster files ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_roster_with_chinese_headers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roster.csv",
        "姓名,账号,渠道,邮箱\n张三,zhangsan,wecom-zhang,\n\n李四,,,lisi@example.cn\n",
    )
    roster = read_roster_file(path, channels={"wecom-zhang"})
    assert roster.people == [
        PersonRow("张三", "zhangsan", "wecom-zhang", None),
        PersonRow("李四", None, None, "lisi@example.cn"),
    ]
    assert roster.unit is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name,email\n张三,\n李四,lisi.example.cn\n", 3, "邮箱"),
        ("name\n张三\n李四\n张三\n", 4, "张三出现了两次"),
        ("name,channel\n张三,dingtalk-x\n", 2, "没有名为 dingtalk-x 的渠道"),
        ("name,email\n,a@b.cn\n", 2, "没有姓名"),
        ("name\n张三,多余\n", 2, "列数多于表头"),
    ],
)
def test_a_bad_csv_row_names_its_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, "roster.csv", text)
    with pytest.raises(InputError) as err:
        read_roster_file(path, channels={"wecom-zhang"})
    assert words in err.value.message
    assert err.value.item == f"{path} 第 {line} 行"


def test_a_csv_without_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="表头"):
        read_roster_file(write(tmp_path, "roster.csv", "张三,zhangsan\n"))


def test_a_toml_roster_with_its_rotation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roster.toml",
        '[rotation]\nunit = "day"\nstart = 2026-12-07\n\n'
        '[[people]]\nname = "张三"\nchannel = "wecom-zhang"\n\n'
        '[[people]]\nname = "李四"\nemail = "lisi@example.cn"\n',
    )
    roster = read_roster_file(path)
    assert [p.name for p in roster.people] == ["张三", "李四"]
    assert (roster.unit, roster.start) == ("day", date(2026, 12, 7))


def test_a_bad_toml_entry_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roster.toml",
        '[[people]]\nname = "张三"\n\n[[people]]\nname = "李四"\nphone = "123"\n',
    )
    with pytest.raises(InputError) as err:
        read_roster_file(path)
    assert "phone" in err.value.message and err.value.item == f"{path} 第 4 行"
    bad_unit = write(
        tmp_path,
        "r2.toml",
        '[rotation]\nunit = "month"\nstart = 2026-12-07\n[[people]]\nname = "张三"\n',
    )
    with pytest.raises(InputError, match="轮值方式"):
        read_roster_file(bad_unit)


def test_other_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.xlsx"):
        read_roster_file(write(tmp_path, "roster.xlsx", "x"))
