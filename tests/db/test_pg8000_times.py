"""PostgreSQL dates and times read by jianbao's fast readers equal what pg8000 reads
(jianbao.db.pg8000_times; issue 19: strptime was the largest cost of a week's candidates
at 1,000,000 articles). Real server, real driver, both ways on the same values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pg8000.dbapi
import pytest
import sqlalchemy as sa

from jianbao.db import pg8000_times
from jianbao.db.session import make_engine

VALUES = [
    "'2026-11-13 16:00:00+00'::timestamptz",
    "'2026-11-13 16:00:00.123456+00'::timestamptz",
    "'2026-11-13 16:00:00.5+08'::timestamptz",
    "'0200-01-01 00:00:00+00'::timestamptz",
    "'2026-11-13 16:00:00.25'::timestamp",
    "'2026-02-28'::date",
    "'infinity'::timestamptz",
    "'-infinity'::date",
    "'0044-03-15 BC'::date",
]
ZONES = ["UTC", "Asia/Shanghai", "America/St_Johns"]


@pytest.fixture
def admin_url(postgres_admin: sa.Engine | None) -> str:
    if postgres_admin is None:
        pytest.skip("PostgreSQL not reachable")
    return postgres_admin.url.render_as_string(hide_password=False)


def _plain_pg8000(url: str, zone: str) -> list[object]:
    parsed = sa.engine.make_url(url)
    conn = pg8000.dbapi.connect(
        user=parsed.username or "postgres",
        password=parsed.password,
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        database=parsed.database,
    )
    try:
        cursor = conn.cursor()
        cursor.execute(f"SET TimeZone = '{zone}'")
        cursor.execute("SELECT " + ", ".join(VALUES))
        return list(cursor.fetchone())
    finally:
        conn.close()


@pytest.mark.parametrize("zone", ZONES)
def test_fast_readers_read_what_pg8000_reads(admin_url: str, zone: str) -> None:
    engine = make_engine(admin_url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f"SET TimeZone = '{zone}'"))
            ours = list(conn.execute(sa.text("SELECT " + ", ".join(VALUES))).one())
    finally:
        engine.dispose()
    theirs = _plain_pg8000(admin_url, zone)
    # a year-200 time in a zone whose offset then had seconds (local mean time, as
    # Asia/Shanghai's +08:05:43) is text to pg8000; it is the right instant here
    assert ours[3] == datetime(200, 1, 1, tzinfo=UTC)
    assert ours[:3] + ours[4:] == theirs[:3] + theirs[4:]
    assert theirs[3] == ours[3] or zone != "UTC"
    assert ours[1] == datetime(2026, 11, 13, 16, 0, 0, 123456, tzinfo=UTC)
    assert ours[2] == datetime(2026, 11, 13, 8, 0, 0, 500000, tzinfo=UTC)  # the same instant
    assert ours[5] == date(2026, 2, 28)
    assert ours[6] == "infinity"  # pg8000's own answer for values Python cannot hold


def test_installed_on_the_stores_connections(admin_url: str) -> None:
    engine = make_engine(admin_url)
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            readers = raw.pg_types
            assert readers[pg8000_times.TIMESTAMPTZ] is pg8000_times.read_timestamptz
            assert readers[pg8000_times.DATE] is pg8000_times.read_date
    finally:
        engine.dispose()


def test_a_text_that_is_not_iso_goes_to_pg8000() -> None:
    assert pg8000_times.read_timestamptz("infinity") == "infinity"
    assert pg8000_times.read_date("0044-03-15 BC") == pg8000_times.converters.date_in(
        "0044-03-15 BC"
    )
    assert pg8000_times.read_timestamptz("2026-11-13 16:00:00+08") == datetime(
        2026, 11, 13, 8, tzinfo=UTC
    )
