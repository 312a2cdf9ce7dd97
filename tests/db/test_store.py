"""Shared store queries: sources, known URLs, signatures."""

from __future__ import annotations

import pytest

from jianbao.db import store
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.errors import InputError, NotFound
from jianbao.records import SourceSpec


def test_sources_are_added_listed_and_found(db: Database) -> None:
    with db.session() as session:
        store.add_source(
            session, SourceSpec(name="卫健委", url="https://w.example/list", kind="listing")
        )
        store.add_source(session, SourceSpec(name="新闻网", url="https://n.example/rss"))
    with db.session() as session:
        names = [row.name for row in store.list_sources(session)]
        spec = store.source_spec(store.get_source(session, "卫健委"))
    assert sorted(names) == sorted(["卫健委", "新闻网"])
    assert spec.kind == "listing" and spec.id is not None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (SourceSpec(name="x", url="ftp://x.example/"), "http"),
        (SourceSpec(name="x", url="https://x.example/", kind="magic"), "未知的来源类型"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_source_is_refused_with_a_reason(
    db: Database, spec: SourceSpec, message: str
) -> None:
    with pytest.raises(InputError, match=message), db.session() as session:
        store.add_source(session, spec)


def test_a_source_name_is_not_overwritten(db: Database) -> None:
    with db.session() as session:
        store.add_source(session, SourceSpec(name="a", url="https://a.example/rss"))
    with pytest.raises(InputError, match="已有同名来源"), db.session() as session:
        store.add_source(session, SourceSpec(name="a", url="https://b.example/rss"))
    with db.session() as session:
        assert store.get_source(session, "a").url == "https://a.example/rss"


def test_an_unknown_source_says_where_to_look(db: Database) -> None:
    with pytest.raises(NotFound, match="没有这个来源"), db.session() as session:
        store.get_source(session, "missing")


def test_known_urls_and_signatures(db: Database) -> None:
    with db.session() as session:
        for i in range(3):
            session.add(
                Article(
                    url=f"https://a.example/{i}",
                    canonical_url=f"https://a.example/{i}",
                    content_hash=f"{i}" * 64,
                    title="t",
                    body="b",
                    signature=bytes([i]) * 8 if i else None,
                )
            )
    with db.session() as session:
        known = store.known_urls(session, ["https://a.example/1", "https://a.example/9"])
        sigs = dict(store.stored_signatures(session))
        same = store.article_with_hash(session, "2" * 64)
    assert known == {"https://a.example/1"}
    assert set(sigs.values()) == {b"\x01" * 8, b"\x02" * 8}
    assert same is not None and same.url == "https://a.example/2"
