"""Storing back issues: the seeds as a person reads them, numbering that continues,
the same file twice, a clash of numbers, damaged and scanned files, joined articles,
search and training labels — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from archive.support import SEEDS, needs_seeds, scanned_pdf
from jianbao.archive.importer import import_file, import_paths
from jianbao.archive.parse import parse_issues
from jianbao.archive.readers import read_document
from jianbao.archive.search import search_articles
from jianbao.config import Settings
from jianbao.db.models import ArchiveFile, Article, Issue, Story
from jianbao.db.session import Database
from jianbao.decisions import training_labels
from jianbao.editions.issue_store import issue_view, new_issue, revise_issue
from jianbao.judge.dedup import StoryIndex


def _issues(db: Database) -> list[tuple[str, int | None, date, int]]:
    with db.session() as session:
        return [
            (i.publication.key, i.number, i.issue_date, len(i.items))
            for i in session.scalars(select(Issue).order_by(Issue.issue_date, Issue.id))
        ]


def test_the_seed_reports_import_as_a_person_reads_them(db: Database, settings: Settings) -> None:
    needs_seeds()
    results = import_paths(db, settings, [SEEDS])
    assert [r.status for r in results] == ["imported"] * 3, [r.reason for r in results]
    with db.session() as session:
        weekly = {
            i.number: i for i in session.scalars(select(Issue).where(Issue.number.is_not(None)))
        }
        assert set(weekly) == {296, 546}
        old, new = weekly[296], weekly[546]
        assert (old.issue_date, new.issue_date) == (date(2018, 4, 27), date(2023, 10, 20))
        assert old.publication.key == new.publication.key == "weekly"
        assert old.imported and old.status == "published"
        assert [(i.title, i.source_name) for i in new.items] == [
            # as written in the file (half-width punctuation in its first heading)
            ("数据赋能,推动卫生健康事业高质量发展!2023首届苏州大数据医疗创新论坛举行", "腾讯"),
            ("衡水“1+2+2+6+4”智慧医疗架构建设内容基本完成", "衡水新闻网"),
            ("常州首家！常州市中医医院建成5G智慧医院创新实验室", "新浪"),
        ]
        assert [i.article.url for i in new.items] == [
            "https://new.qq.com/rain/a/20231015A06Y3I00",
            "http://www.hsrb.com.cn/detail/169742391644407.html",
            "https://finance.sina.com.cn/jjxw/2023-10-20/doc-imzrtwak0444561.shtml",
        ]
        view = issue_view(new)
        assert [i.published_at for i in view.items] == [
            date(2023, 10, 15),
            date(2023, 10, 16),
            date(2023, 10, 20),
        ]
        assert "苏州市立医院副院长郝跃峰表示" in view.items[0].paragraphs[-2]
        # the issue's own 导语 (its topic is not the publication's), not one computed anew
        assert view.lead == (
            "本期周报共收集3篇卫生健康大数据与政策研究相关信息,"
            "时间从2023年10月14日到2023年10月20日,监测范围包括全国主流媒体及政府网站等。"
        )
        # a title broken over two lines by the converter is one title again
        assert old.items[1].title == "探索医疗大数据落地路径：服务能力建设的脚步声由远及近"
        assert (old.items[0].source_name, issue_view(old).items[0].published_at) == (
            "社会保障卡",
            date(2018, 4, 23),
        )
        dailies = session.scalars(
            select(Issue).where(Issue.number.is_(None)).order_by(Issue.issue_date.desc())
        ).all()
        assert [(d.issue_date.day, len(d.items)) for d in dailies] == [
            (17, 5),
            (16, 5),
            (15, 5),
            (14, 9),
            (13, 7),
        ]
        assert [issue_view(d).heading for d in dailies[:2]] == [
            "2020年7月17日（周五）",
            "2020年7月16日（周四）今日入伏",
        ]
        first = dailies[0].items[0]
        assert first.title == "最新！国家统计局公布2020年上半年国民经济运行情况。"
        assert first.article.url == "https://mp.weixin.qq.com/s/A1EidwBvuwY5CRUQAr-8Aw"
        assert first.summary.startswith("统筹防疫和发展成效显著")
        kept = session.scalars(select(ArchiveFile)).all()
        assert all((settings.data_dir / f.stored_path).is_file() for f in kept)
        # the checker's findings on the seeds (the typed date 2018 年 4 年 23 日 …)
        findings = {f.name: f.findings for f in kept}
    assert any("4 年" in f or "日期" in f for f in findings["weekly-report-296-2018.md"])


def test_new_issues_continue_after_the_highest_imported_number(
    db: Database, settings: Settings
) -> None:
    needs_seeds()
    import_file(db, settings, SEEDS / "weekly-report-546-2023.md")
    with db.session() as session:
        draft = new_issue(session, settings, "weekly", date(2023, 10, 27), fill=0)
        assert draft.number == 547


def test_the_same_file_twice_changes_nothing(db: Database, settings: Settings) -> None:
    needs_seeds()
    path = SEEDS / "weekly-report-296-2018.md"
    assert import_file(db, settings, path).status == "imported"
    before = _issues(db)
    with db.session() as session:
        articles = len(session.scalars(select(Article.id)).all())
    again = import_file(db, settings, path)
    assert again.status == "unchanged"
    assert _issues(db) == before
    with db.session() as session:
        assert len(session.scalars(select(Article.id)).all()) == articles


def test_another_file_with_the_same_number_is_a_conflict_naming_both(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    needs_seeds()
    import_file(db, settings, SEEDS / "weekly-report-546-2023.md")
    other = tmp_path / "另一份第546期.md"
    text = (SEEDS / "weekly-report-546-2023.md").read_text(encoding="utf-8")
    other.write_text(text.replace("常州首家", "常州第一家"), encoding="utf-8")
    result = import_file(db, settings, other)
    assert result.status == "conflict"
    assert "第546期" in result.conflicts[0] and "weekly-report-546-2023.md" in result.conflicts[0]
    assert len(_issues(db)) == 1
    with db.session() as session:
        assert session.scalar(select(ArchiveFile).where(ArchiveFile.name == other.name)) is None


def test_a_damaged_or_scanned_file_fails_alone(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    needs_seeds()
    folder = tmp_path / "往期"
    folder.mkdir()
    (folder / "a-损坏.docx").write_bytes(b"PK\x03\x04 not really a zip")
    scanned_pdf(folder / "b-扫描件.pdf")
    (folder / "c-空白.txt").write_text("没有任何条目的一段文字\n", encoding="utf-8")
    (folder / "d.md").write_bytes((SEEDS / "weekly-report-546-2023.md").read_bytes())
    (folder / "~$d.docx").write_bytes(b"lock file")
    results = import_paths(db, settings, [folder])
    assert [(r.path.name, r.status) for r in results] == [
        ("a-损坏.docx", "failed"),
        ("b-扫描件.pdf", "failed"),
        ("c-空白.txt", "failed"),
        ("d.md", "imported"),
    ]
    assert "Word" in results[0].reason
    assert results[1].reason.startswith("需要 OCR")
    assert "没有读到" in results[2].reason


def test_items_join_collected_articles_are_searchable_and_teach_the_model(
    db: Database, settings: Settings
) -> None:
    needs_seeds()
    with db.session() as session:
        collected = Article(
            url="https://new.qq.com/rain/a/20231015A06Y3I00?utm_source=feed",
            canonical_url="https://new.qq.com/rain/a/20231015A06Y3I00",
            content_hash="f" * 64,
            title="数据赋能，推动卫生健康事业高质量发展！",
            body="采集到的正文。",
        )
        session.add(collected)
        session.flush()
        collected_id = collected.id
    import_file(db, settings, SEEDS / "weekly-report-546-2023.md")
    with db.session() as session:
        issue = session.scalars(select(Issue).where(Issue.number == 546)).one()
        assert issue.items[0].article_id == collected_id
        assert not issue.items[0].article.imported and issue.items[1].article.imported
        hits = search_articles(session, "衡水")
        assert [h.article.id for h in hits] == [issue.items[1].article_id]
        labels = dict(training_labels(session))
        assert all(labels[item.article_id] == 1 for item in issue.items)


def test_an_unknown_title_becomes_a_publication_unless_the_configuration_maps_it(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    needs_seeds()
    text = (SEEDS / "weekly-report-546-2023.md").read_text(encoding="utf-8")
    renamed = tmp_path / "东川周报.md"
    renamed.write_text(
        text.replace("全国卫生信息化舆情监测周报", "东川省卫生信息化周报", 1), "utf-8"
    )
    import_file(db, settings, renamed)
    with db.session() as session:
        issue = session.scalars(select(Issue)).one()
        assert issue.publication.title == "东川省卫生信息化周报"
        assert issue.publication.key.startswith("archive-weekly-")
        assert issue.publication.first_number == 546
    mapped = settings.model_copy(
        update={"archive_publications": {"东川省卫生信息化周报": "weekly"}}
    )
    moved = tmp_path / "东川周报-547.md"
    moved.write_text(renamed.read_text("utf-8").replace("第五四六期", "第五四七期"), "utf-8")
    assert import_file(db, mapped, moved).status == "imported"
    with db.session() as session:
        assert session.scalars(select(Issue).where(Issue.number == 547)).one().publication.key == (
            "weekly"
        )


def test_a_rendered_issue_stored_and_viewed_again_has_the_same_items(
    db: Database, settings: Settings, rendered, weekly_view
) -> None:
    result = import_file(db, settings, rendered[("weekly", "docx")])
    assert result.status == "imported"
    with db.session() as session:
        view = issue_view(session.scalars(select(Issue)).one())
    assert (view.number_text, view.period_start, view.lead) == (
        weekly_view.number_text,
        weekly_view.period_start,
        weekly_view.lead,
    )
    assert view.items == weekly_view.items


def test_the_original_lead_is_kept_and_survives_a_correction(
    db: Database, settings: Settings, rendered, tmp_path: Path
) -> None:
    """A 导语 the house style would not write (another count, period and wording) is shown
    and re-rendered as printed, also in a correction of the imported issue."""
    own = "本期周报精选6篇，时间从2023年10月20日到2023年10月26日，含两篇地方经验。"
    text = rendered[("weekly", "md")].read_text(encoding="utf-8")
    edited = tmp_path / "edited.md"
    lead_line = next(line for line in text.splitlines() if line.startswith("本期周报共收集"))
    edited.write_text(text.replace(lead_line, own), encoding="utf-8")
    assert import_file(db, settings, edited).status == "imported"
    with db.session() as session:
        issue = session.scalars(select(Issue)).one()
        assert issue.lead == own and issue_view(issue).lead == own
        assert revise_issue(session, issue).lead == own
        composed = new_issue(session, settings, "weekly", date(2023, 11, 3), fill=0)
        assert composed.lead is None and issue_view(composed).lead.startswith("本期周报共收集0篇")


def test_an_item_joins_the_story_of_a_collected_near_copy_and_is_signed(
    db: Database, settings: Settings
) -> None:
    """The same report carried by another site (other link, a line more) was collected:
    the imported item, stored as its own article, joins that story; and it is signed as
    the collector signs, so a near-copy collected later finds it too."""
    needs_seeds()
    issues, _doc = parse_issues(read_document(SEEDS / "weekly-report-546-2023.md"))
    item = issues[0].items[1]
    assert item.title.startswith("衡水")
    body = "\n".join(item.paragraphs) + "\n（来源：河北新闻网，转载请注明出处）"
    signer: StoryIndex[int] = StoryIndex(settings.dedup_threshold)
    with db.session() as session:
        collected = Article(
            url="https://hebei.example.cn/2023/10/16/hs.html",
            canonical_url="https://hebei.example.cn/2023/10/16/hs.html",
            content_hash="e" * 64,
            title=item.title,
            body=body,
            signature=signer.signature(item.title + "\n" + body),
        )
        session.add(collected)
        session.flush()
        story = Story(representative_id=collected.id)
        session.add(story)
        session.flush()
        collected.story_id = story.id
        collected_id, story_id = collected.id, story.id
    assert import_file(db, settings, SEEDS / "weekly-report-546-2023.md").status == "imported"
    with db.session() as session:
        issue = session.scalars(select(Issue).where(Issue.number == 546)).one()
        own = issue.items[1].article
        assert own.imported and own.id != collected_id
        assert own.story_id == story_id
        # the other items are no copy of it: stories of their own
        assert {i.article.story_id for i in issue.items} == {
            story_id,
            issue.items[0].article.story_id,
            issue.items[2].article.story_id,
        }
        assert len({i.article.story_id for i in issue.items}) == 3
        assert all(i.article.signature for i in issue.items)
