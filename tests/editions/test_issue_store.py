"""Issues in the store: numbering, editing, checking, publishing, revising — both backends."""

from __future__ import annotations

import threading
from datetime import date, datetime

import feedparser
import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.models import Article, Decision, Issue
from jianbao.db.session import Database
from jianbao.deliver.send import correction_note
from jianbao.editions.issue_store import (
    add_item,
    check_issue,
    edit_item,
    get_issue,
    issue_view,
    new_issue,
    publish_issue,
    revise_issue,
)
from jianbao.errors import InputError, IssueConflict, IssueError
from jianbao.records import SHANGHAI
from jianbao.render.markdown import render_markdown

STORIES = [
    ("东川省全民健康信息平台二期通过验收", "东川省卫生健康委员会", datetime(2026, 11, 16, 9)),
    ("南岭市电子健康卡实现一码通用", "南岭在线", datetime(2026, 11, 18, 10)),
    ("云州互联网医院接入医保移动支付", "云州日报", datetime(2026, 11, 19, 15)),
]


def seed(db: Database, *, when: list[datetime] | None = None) -> list[int]:
    ids = []
    with db.session() as session:
        for n, (title, source, published) in enumerate(STORIES):
            row = Article(
                url=f"https://news.example/{n}.html",
                canonical_url=f"https://news.example/{n}.html",
                content_hash=f"{n}" * 64,
                title=title,
                body=f"{title}。相关工作稳步推进。\n第二段正文，介绍具体做法。",
                source_name=source,
                published_at=(when[n] if when else published).replace(tzinfo=SHANGHAI),
                relevant=True,
                score=1.0 + n,
                summary=f"{title}。",
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


def test_a_weekly_draft_takes_the_next_number_and_the_period_stories(
    db: Database, settings: Settings
) -> None:
    seed(db)
    with db.session() as session:
        first = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        assert first.number == 547 and len(first.items) == 3
        assert (first.period_start, first.period_end) == (date(2026, 11, 14), date(2026, 11, 20))
        assert [i.position for i in first.items] == [1, 2, 3]
        second = new_issue(session, settings, "weekly", date(2026, 11, 27))
        assert second.number == 548 and second.items == []
        with pytest.raises(IssueError, match="已存在"):
            new_issue(session, settings, "weekly", date(2026, 12, 4), number=547)


def test_publishing_freezes_archives_and_records(db: Database, settings: Settings) -> None:
    seed(db)
    with db.session() as session:
        issue = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        assert check_issue(session, issue) == [] or all(
            f.severity != "error" for f in check_issue(session, issue)
        )
        paths = publish_issue(session, settings, issue)
        issue_id = issue.id
    assert {p.suffix for p in paths} == {".docx", ".html", ".md"}
    assert all(p.is_file() and settings.data_dir in p.parents for p in paths)
    with db.session() as session:
        issue = get_issue(session, issue_id)
        assert issue.status == "published" and issue.published_at is not None
        assert len(issue.files) == 3 and issue.check_override is None
        assert (
            session.scalar(
                sa.select(sa.func.count(Decision.id)).where(Decision.action == "publish")
            )
            == 3
        )
        with pytest.raises(IssueError, match="不能再改"):
            add_item(session, issue, 1)
        with pytest.raises(IssueConflict, match="不再重复发布"):
            publish_issue(session, settings, issue)


def test_one_draft_published_twice_at_once_is_published_once(
    db: Database, settings: Settings
) -> None:
    """Two editors (two tabs, a retry) publishing one draft at the same moment: both read
    it as a draft, and both published it — rendered its folder twice (one removing the
    other's files as it wrote them) and recorded every item's publish twice. The store
    now lets one through and refuses the other with 409's conflict, naming the issue."""
    seed(db)
    with db.session() as session:
        issue_id = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547).id
    loaded = threading.Barrier(2, timeout=30)
    outcomes: list[object] = []

    def publish() -> None:
        try:
            with db.session() as session:
                issue = get_issue(session, issue_id)
                assert issue.status == "draft" and len(issue.items) == 3
                loaded.wait()  # both have read the draft before either publishes
                outcomes.append(publish_issue(session, settings, issue))
        except Exception as exc:  # the outcome is what the test checks
            outcomes.append(exc)

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    published = [o for o in outcomes if isinstance(o, list)]
    assert len(published) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], IssueConflict) and "不再重复发布" in refused[0].message
    assert "547" in str(refused[0]) and "already published" in str(refused[0])
    assert all(path.is_file() for path in published[0])
    with db.session() as session:
        issues = session.scalars(sa.select(Issue).where(Issue.number == 547)).all()
        assert [(i.status, i.revision) for i in issues] == [("published", 1)]
        actions = sa.select(sa.func.count(Decision.id)).where(Decision.action == "publish")
        assert session.scalar(actions) == 3
        # and again, one after the other (a retry after the first answered): refused too
        with pytest.raises(IssueConflict, match="不再重复发布"):
            publish_issue(session, settings, get_issue(session, issue_id))


def test_a_failed_check_blocks_publishing_unless_a_reason_is_given(
    db: Database, settings: Settings
) -> None:
    # one story is dated a month before the period: the checker must object
    outside = [datetime(2026, 10, 1, 9), datetime(2026, 11, 18, 10), datetime(2026, 11, 19, 9)]
    ids = seed(db, when=outside)
    with db.session() as session:
        issue = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547, fill=0)
        for article_id in ids:
            add_item(session, issue, article_id)
        findings = check_issue(session, issue)
        assert any(f.severity == "error" and f.item == 1 for f in findings)
        with pytest.raises(IssueError, match="检查发现错误"):
            publish_issue(session, settings, issue)
        assert issue.status == "draft"
        publish_issue(session, settings, issue, override_reason="该文为本周重新发布的旧政策")
        assert issue.status == "published"
        assert issue.check_override == "该文为本周重新发布的旧政策"


def test_a_correction_is_a_new_revision_and_the_original_is_kept(
    db: Database, settings: Settings
) -> None:
    seed(db)
    with db.session() as session:
        issue = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        with pytest.raises(IssueError, match="只有已发布"):
            revise_issue(session, issue)
        publish_issue(session, settings, issue)
        correction = revise_issue(session, issue)
        assert (correction.number, correction.revision, correction.status) == (547, 2, "draft")
        assert [i.title for i in correction.items] == [i.title for i in issue.items]
        # the correction keeps its number without the checker calling it a gap
        assert not any(f.rule == "number" for f in check_issue(session, correction))
        paths = publish_issue(session, settings, correction)
        assert all("-r2" in str(p.parent) for p in paths)
    # the publication's feed lists both revisions, each linking to its own HTML page
    feed = feedparser.parse((settings.data_dir / "archive" / "weekly" / "feed.atom").read_bytes())
    assert feed.feed.title == "全国卫生信息化舆情监测周报" and len(feed.entries) == 2
    links = [entry.link for entry in feed.entries]
    assert any("-r2/" in link for link in links) and any("-r1/" in link for link in links)
    assert all(link.endswith(".html") for link in links)
    with db.session() as session:
        revisions = session.scalars(sa.select(Issue).where(Issue.number == 547)).all()
        assert sorted(i.revision for i in revisions) == [1, 2]
        assert all(i.status == "published" for i in revisions)


def test_a_dailys_correction_counts_the_revisions_of_its_own_day(
    db: Database, settings: Settings
) -> None:
    """revB item 3: dailies have no number, and the revision was counted over every daily
    of the publication (number IS NULL): after two corrections of one day, the first
    correction of the next went out to the groups as 第 4 版."""
    ids = seed(db)
    with db.session() as session:
        first, second = (
            new_issue(session, settings, "daily", day, fill=0)
            for day in (date(2026, 11, 19), date(2026, 11, 20))
        )
        for issue in (first, second):
            add_item(session, issue, ids[0])
            publish_issue(session, settings, issue, override_reason="测试")
        again = revise_issue(session, first)
        publish_issue(session, settings, again, override_reason="测试")
        assert revise_issue(session, again).revision == 3
        correction = revise_issue(session, second)
        assert (correction.issue_date, correction.revision) == (date(2026, 11, 20), 2)
        assert "第 2 版" in correction_note(correction)
        # a numbered issue still counts by its number
        weekly = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        publish_issue(session, settings, weekly, override_reason="测试")
        assert revise_issue(session, weekly).revision == 2


def test_publications_come_from_the_configuration_file(db: Database, settings: Settings) -> None:
    path = settings.data_dir / "publications.toml"
    path.write_text(
        """
[publications.weekly]
title = "全国卫生信息化舆情监测周报"
kind = "weekly"
publisher = "北京市卫生健康大数据与政策研究中心"
period_rule = "mon-fri"
first_number = 547
formats = ["md", "html"]

[publications.security]
title = "卫生健康数据安全专报"
kind = "weekly"
publisher = "某省卫生健康信息中心"
topic_phrase = "数据安全"
first_number = 12
formats = ["md"]
""",
        encoding="utf-8",
    )
    configured = settings.model_copy(update={"publications_file": path})
    seed(db)
    with db.session() as session:
        weekly = new_issue(session, configured, "weekly", date(2026, 11, 20))
        special = new_issue(session, configured, "security", date(2026, 11, 20))
        assert weekly.number == 547 and special.number == 12
        assert (weekly.period_start, weekly.period_end) == (date(2026, 11, 16), date(2026, 11, 20))
        assert special.publication.title == "卫生健康数据安全专报"
        paths = publish_issue(session, configured, special)
        assert [p.suffix for p in paths] == [".md"]
        text = paths[0].read_text(encoding="utf-8")
        assert "卫生健康数据安全专报" in text and "（第一二期）" in text
        assert "本期周报共收集3篇数据安全相关信息" in text


def test_a_correction_is_not_a_duplicate_of_what_it_corrects(
    db: Database, settings: Settings
) -> None:
    """Issue 15, item 4: 出修订版 flagged every item as 已在…刊出 (its own original)."""
    seed(
        db, when=[datetime(2026, 11, 20, 7), datetime(2026, 11, 19, 10), datetime(2026, 11, 19, 9)]
    )
    with db.session() as session:
        for kind in ("weekly", "daily"):
            issue = new_issue(session, settings, kind, date(2026, 11, 20))
            publish_issue(session, settings, issue, override_reason="测试")
            correction = revise_issue(session, issue)
            findings = check_issue(session, correction, settings=settings)
            assert not [f for f in findings if "已在" in f.message], (kind, findings)


def test_the_editor_shortens_the_main_text_and_the_original_is_kept(
    db: Database, settings: Settings
) -> None:
    """Issue 15, item 3: 主要内容 is the item's own text once the editor edits it."""
    seed(db)
    with db.session() as session:
        issue = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        item = issue.items[0]
        original = item.article.body
        edit_item(session, issue, 1, body="只保留的一段。\r\n\r\n  第二段，删短了。 ")
        view = issue_view(issue)
        assert view.items[0].paragraphs == ["只保留的一段。", "第二段，删短了。"]
        assert item.article.body == original
        markdown = render_markdown(view)
        assert (
            "只保留的一段。" in markdown and "相关工作稳步推进" not in markdown.split("主要内容")[1]
        )
        with pytest.raises(InputError, match="主要内容不能为空"):
            edit_item(session, issue, 1, body="  \n ")
        edit_item(session, issue, 1, restore_body=True)
        assert item.body is None
        assert issue_view(issue).items[0].paragraphs == original.split("\n")
        # the correction of a published issue keeps the editor's text
        edit_item(session, issue, 2, body="第二条的短文。")
        publish_issue(session, settings, issue)
        assert revise_issue(session, issue).items[1].body == "第二条的短文。"


def test_an_invisible_control_character_never_stops_publishing(
    db: Database, settings: Settings
) -> None:
    """A control character XML cannot hold (\\x08 pasted with a title, \\x1b in a daily's
    summary) made the Atom feed, written last, fail the whole publish. An edit drops it
    where it comes in; one already in the store (an article's own title, an import) is
    dropped by the feed, and the issue is published."""
    seed(
        db, when=[datetime(2026, 11, 20, 7), datetime(2026, 11, 19, 10), datetime(2026, 11, 19, 9)]
    )
    with db.session() as session:
        issue = new_issue(session, settings, "daily", date(2026, 11, 20))
        edit_item(session, issue, 1, title="国家卫健委\x08发布通知\x00", summary="摘要\x1b一句。")
        assert (issue.items[0].title, issue.items[0].summary) == (
            "国家卫健委发布通知",
            "摘要一句。",
        )
        with pytest.raises(InputError, match="标题不能为空"):
            edit_item(session, issue, 1, title=" \x08 ")
        issue.items[1].title = "已在库中\x08的标题"
        issue.items[1].summary = "已在库中\x1b的摘要。"
        paths = publish_issue(session, settings, issue, override_reason="测试")
        assert issue.status == "published"
    feed = feedparser.parse((settings.data_dir / "archive" / "daily" / "feed.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    content = feed.entries[0].content[0].value
    assert "国家卫健委发布通知" in content and "已在库中的标题" in content
    assert "已在库中的摘要。" in content
    assert paths and all(p.is_file() for p in paths)


def test_published_links_are_canonical(db: Database, settings: Settings) -> None:
    """Issue 15, item 7: no utm_ parameters in what is published."""
    seed(db)
    with db.session() as session:
        article = session.scalars(sa.select(Article).order_by(Article.id)).first()
        assert article is not None
        article.url = "https://www.example.gov.cn/xwdt/51263.shtml?utm_source=rss&utm_medium=feed"
        issue = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        urls = [i.url for i in issue_view(issue).items]
        assert "https://www.example.gov.cn/xwdt/51263.shtml" in urls
        assert not any("utm_" in url for url in urls)
