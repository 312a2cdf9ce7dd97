"""The daily broadcast's own scope: national policy on health and the digital economy
reaches the daily's candidates and drafts, not the weekly's (issue 17) — both backends."""

from __future__ import annotations

from datetime import date, datetime

import opencc

from jianbao.candidates import list_candidates
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.editions.issue_store import new_issue, publication_configs
from jianbao.editions.publication import Publication
from jianbao.judge import judge_article, parse_topic
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.scope import POLICY_SCOPE, scope_of
from jianbao.records import SHANGHAI
from jianbao.records import Article as ArticleRecord

TOPIC = parse_topic(HEALTH_IT_TOPIC)

POLICY = (
    "国家卫生健康委：全面推进社区医院建设工作",
    "国家卫生健康委办公厅日前印发通知，部署全面推进社区医院建设。通知明确社区医院的功能定位。",
)
ECONOMY = (
    "国家统计局公布上半年国民经济运行情况",
    "上半年国民经济逐步复苏，二季度GDP增长3.2%。",
)
CASE_COUNT = (
    "某市新增确诊病例2例",
    "今天，国家卫健委通报了各地疫情。该市新增确诊病例2例，均为输入病例。患者已转入定点医院治疗。",
)
HEALTH_IT = ("某市人民医院上线互联网医院", "患者可在线复诊，电子处方流转到药店。")


def test_national_policy_on_health_and_the_economy_is_in_the_scope():
    assert scope_of(*POLICY) == POLICY_SCOPE
    assert scope_of(*ECONOMY) == POLICY_SCOPE


def test_a_one_sentence_lead_counts_when_the_headline_names_the_subject():
    # the headline says it is about the economy, the lead names the national actor once
    assert (
        scope_of("经济形势座谈会在京召开", "总理主持会议，强调大力发展工业互联网") == POLICY_SCOPE
    )
    assert (
        scope_of("年度蓝皮书发布", "会上发布《移动互联网发展报告》，总结行业三大特点")
        == POLICY_SCOPE
    )
    # a plan for the digital economy is one of its documents (a daily pick of seed 000)
    assert (
        scope_of("《贵州省大数据标准化体系建设规划》印发", "规划到2022年，标准化体系基本建成。")
        == POLICY_SCOPE
    )
    assert scope_of("城市绿化规划公示", "新增公园绿地12处。") is None
    # a headline that names only who acts, or the epidemic, is not such a subject
    assert scope_of("教育部：学生暂缓返校", "教育部召开疫情防控工作视频会议，部署学校管理") is None
    assert scope_of("疫情防控宣传片登陆50城", "国家卫健委宣传司推出系列公益短片") is None


def test_a_story_that_names_the_commission_once_is_not():
    assert scope_of(*CASE_COUNT) is None
    assert scope_of("足球联赛开幕", "主队二比一获胜。") is None


def test_judging_gives_the_scope_beside_relevance_and_reads_a_traditional_page():
    to_traditional = opencc.OpenCC("s2t")
    url = "https://example.cn/policy"
    title, body = (to_traditional.convert(text) for text in POLICY)
    judgement = judge_article(
        ArticleRecord(url=url, canonical_url=url, title=title, paragraphs=[body]), TOPIC
    )
    assert not judgement.relevant
    assert judgement.scope == POLICY_SCOPE


def test_only_the_daily_reaches_the_policy_scope_by_default(settings: Settings):
    configs = publication_configs(settings)
    assert configs["daily"].candidate_scopes == (POLICY_SCOPE,)
    assert configs["weekly"].candidate_scopes == ()
    assert configs["monthly"].candidate_scopes == ()
    configured = Publication.from_mapping(
        "special", {"title": "专报", "kind": "weekly", "candidate_scopes": [POLICY_SCOPE]}
    )
    assert configured.candidate_scopes == (POLICY_SCOPE,)


def _seed(db: Database) -> None:
    with db.session() as session:
        for n, ((title, body), relevant, scope) in enumerate(
            [
                (HEALTH_IT, True, None),
                (POLICY, False, POLICY_SCOPE),
                (CASE_COUNT, False, None),
            ]
        ):
            session.add(
                Article(
                    url=f"https://news.example/{n}",
                    canonical_url=f"https://news.example/{n}",
                    content_hash=str(n) * 64,
                    title=title,
                    body=body,
                    source_name="东川日报",
                    published_at=datetime(2026, 11, 19, 9 + n, tzinfo=SHANGHAI),
                    relevant=relevant,
                    score=0.9 if relevant else 0.0,
                    scope=scope,
                    summary=title,
                )
            )


def test_the_daily_candidates_and_draft_reach_the_scope_the_weeklys_do_not(
    db: Database, settings: Settings
):
    _seed(db)
    day = date(2026, 11, 19)
    with db.session() as session:
        weekly = {c.article.title for c in list_candidates(session, day, day)}
        daily = {
            c.article.title for c in list_candidates(session, day, day, scopes=(POLICY_SCOPE,))
        }
        assert weekly == {HEALTH_IT[0]}
        assert daily == {HEALTH_IT[0], POLICY[0]}
        draft = new_issue(session, settings, "daily", day)
        titles = {item.article.title for item in draft.items}
        assert titles == {HEALTH_IT[0], POLICY[0]}
        week = new_issue(session, settings, "weekly", day)
        assert {item.article.title for item in week.items} == {HEALTH_IT[0]}
