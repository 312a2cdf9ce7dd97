"""An article's event facts stored with it read back as the facts made from the row as
the store hands it back, and are not used once they are stale (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jianbao import stored_facts
from jianbao.judge.events import LEAD_CHARS, event_facts
from jianbao.records import SHANGHAI

TITLE = "四川芦山县发生7.0级地震 国家卫健委派出工作组"
#: a lead naming many of the specifics facts hold: a document, institutions, a day
#: without its month, a clock time, numbers, a code, a meeting, a named site
BODY = (
    "记者1日从国家卫生健康委员会获悉，4月20日8时02分四川雅安芦山县发生7.0级地震，"
    "四川省人民医院派出120名医护人员，MU5735航班……第72届世界卫生大会期间，"
    "《关于加强地震灾区卫生防疫工作的通知》（国卫办应急发〔2013〕12号）印发，"
    "深中通道暂停施工。" * 3
)
#: published early in the morning in Shanghai: another day (and month) in UTC, so the
#: day the lead names without its month (1日) is dated by the zone facts are made in
PUBLISHED = datetime(2026, 5, 1, 3, 30, tzinfo=SHANGHAI)


def as_the_store_reads(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def test_stored_facts_read_back_as_the_facts_made_from_the_row() -> None:
    text = stored_facts.make(TITLE, BODY, PUBLISHED)
    assert text is not None
    read = stored_facts.loads(text, TITLE, as_the_store_reads(PUBLISHED))
    made = event_facts(TITLE, BODY[: 2 * LEAD_CHARS], as_the_store_reads(PUBLISHED))
    assert read == made
    # the example fills what it says it fills (the comparison covers sets and texts)
    assert made.documents and made.days and made.clocks and made.incidents and made.numbers
    # the same instant, given in another zone when prepared: the store's reading counts
    in_utc = PUBLISHED.astimezone(UTC)
    assert event_facts(TITLE, BODY[: 2 * LEAD_CHARS], in_utc).days != made.days
    again = stored_facts.make(TITLE, BODY, in_utc)
    assert stored_facts.loads(again, TITLE, as_the_store_reads(in_utc)) == made


def test_empty_sets_read_back_shared_and_fields_left_out_are_empty() -> None:
    text = stored_facts.make("东川市召开会议", "会议召开。", PUBLISHED)
    read = stored_facts.loads(text, "东川市召开会议", PUBLISHED)
    assert read == event_facts("东川市召开会议", "会议召开。", PUBLISHED)
    assert read is not None and read.codes is read.meetings  # one empty set, shared
    assert text is not None and '"codes"' not in text


def test_stale_or_unreadable_facts_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    text = stored_facts.make(TITLE, BODY, PUBLISHED)
    assert stored_facts.loads(text, TITLE, PUBLISHED) is not None
    # an edited title, a moved publication
    assert stored_facts.loads(text, TITLE + "（更正）", PUBLISHED) is None
    assert stored_facts.loads(text, TITLE, PUBLISHED + timedelta(microseconds=1)) is None
    # none stored, no publication, text that is no stored facts
    assert stored_facts.loads(None, TITLE, PUBLISHED) is None
    assert stored_facts.loads(text, TITLE, None) is None
    assert stored_facts.loads("{", TITLE, PUBLISHED) is None
    assert stored_facts.loads("[1]", TITLE, PUBLISHED) is None
    # made by other code (an upgrade changed how facts are made)
    monkeypatch.setattr(stored_facts, "facts_code", lambda: "another")
    assert stored_facts.loads(text, TITLE, PUBLISHED) is None


def test_no_facts_are_made_without_a_publication() -> None:
    assert stored_facts.make(TITLE, BODY, None) is None


def test_only_articles_the_event_stage_compares_get_facts() -> None:
    assert stored_facts.compared(True, TITLE, None)
    assert not stored_facts.compared(False, TITLE, None)
    assert not stored_facts.compared(True, "", None)
    assert not stored_facts.compared(True, TITLE, stored_facts.POLICY_DOCUMENT)
