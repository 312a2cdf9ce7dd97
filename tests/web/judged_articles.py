"""Articles stored as collection stores them (judged, with their tone), for the web tests
of issues 17 and 18: a national-policy article in the daily's scope and two incidents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.judge import judge_article, parse_topic
from jianbao.judge.tone import judge_tone
from jianbao.records import Article as ArticleRecord
from jianbao.testing import make_settings

POLICY = (
    "国务院常务会议部署促进数字经济高质量发展",
    [
        "国务院总理主持召开国务院常务会议，部署促进数字经济高质量发展的政策措施。",
        "会议指出，要加快数据要素市场建设，国家发展改革委、国家数据局等部门要抓紧出台配套政策。",
        "会议还研究了深化医药卫生体制改革、推动公立医院高质量发展等事项，要求各部门抓好落实。",
    ],
)
INCIDENTS = [
    (
        "东川市卫健委遭勒索病毒攻击 多家医院系统瘫痪",
        ["东川市卫健委遭勒索病毒攻击，多家医院挂号系统瘫痪，患者无法就诊。"],
    ),
    (
        "澜海市人民医院患者信息泄露 涉事人员被立案调查",
        ["澜海市人民医院发生患者信息泄露事件，数万条就诊记录遭贩卖，涉事人员已被立案调查。"],
    ),
]


def store_article(
    db: Database, n: int, title: str, paragraphs: list[str], published: datetime
) -> None:
    """An article stored as collection stores it: judged, with its tone."""
    settings_topic = parse_topic(make_settings(Path("."), database_url="sqlite://").topic)
    url = f"https://news.example/judging/{n}.html"
    record = ArticleRecord(url=url, canonical_url=url, title=title, paragraphs=paragraphs)
    judged = judge_article(record, settings_topic)
    tone = judge_tone(title, record.body)
    with db.session() as session:
        session.add(
            Article(
                url=url,
                canonical_url=url,
                content_hash=f"{n:064d}",
                title=title,
                body=record.body,
                source_name="东川日报",
                published_at=published,
                extracted_at=datetime.now(UTC),
                relevant=judged.relevant,
                score=judged.score,
                matched_terms=judged.matched_terms,
                category=judged.category,
                scope=judged.scope,
                summary=judged.summary,
                sentiment=tone.sentiment,
                risk=tone.risk,
            )
        )
