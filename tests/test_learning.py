"""The relevance model learns from the editor's decisions and the pipeline uses it."""

from __future__ import annotations

import pytest

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.decisions import record_decision
from jianbao.errors import NotConfigured
from jianbao.learning import current_model, models_dir, train_from_decisions
from jianbao.pipeline import Pipeline

TAKEN = [
    "某省上线全民健康信息平台 实现检查检验结果互认",
    "互联网医院接入医保移动支付 患者线上复诊即可结算",
    "电子病历系统应用水平分级评价启动 二级医院年底完成自评",
    "医院数据治理平台建成 打通二十余个业务系统",
    "影像云平台覆盖全市 患者手机查看检查影像",
    "远程会诊中心连通乡镇卫生院 专家在线诊断",
]
DROPPED = [
    "秋冬季流感进入高发期 专家提醒及时接种疫苗",
    "市人民医院新院区开诊 设置床位一千张",
    "马拉松赛周末开跑 部分道路交通管制",
    "冬季养生要注意保暖 多喝热水少熬夜",
    "新药获批上市 用于治疗罕见病",
    "股市收盘上涨 科技板块领涨",
]


def seed_decisions(db: Database) -> None:
    with db.session() as session:
        for n, title in enumerate(TAKEN + DROPPED):
            row = Article(
                url=f"https://n.example/{n}",
                canonical_url=f"https://n.example/{n}",
                content_hash=str(n).rjust(64, "0"),
                title=title,
                body=title + "。" * 3,
            )
            session.add(row)
            session.flush()
            record_decision(session, row.id, "accept" if title in TAKEN else "reject")


def test_a_model_is_trained_versioned_and_used(db: Database, settings: Settings) -> None:
    assert current_model(settings) is None
    seed_decisions(db)
    with db.session() as session:
        first = train_from_decisions(session, settings)
        second = train_from_decisions(session, settings)
    assert (first.items, first.positives) == (12, 6)
    assert (first.version, second.version) == (1, 2)
    assert sorted(p.name for p in models_dir(settings).glob("*.joblib")) == [
        "relevance-0001.joblib",
        "relevance-0002.joblib",
    ]
    model = Pipeline(settings, db).model
    assert model is not None
    taken = model.probability("互联网医院接入医保信息平台", "患者线上复诊，检查检验结果互认。")
    dropped = model.probability("流感进入高发期", "专家提醒接种疫苗，冬季注意保暖。")
    assert taken > dropped


def test_training_needs_both_kinds_of_decision(db: Database, settings: Settings) -> None:
    with db.session() as session:
        row = Article(
            url="https://n.example/x",
            canonical_url="https://n.example/x",
            content_hash="x" * 64,
            title="t",
            body="b",
        )
        session.add(row)
        session.flush()
        record_decision(session, row.id, "accept")
        with pytest.raises(NotConfigured, match="拒绝"):
            train_from_decisions(session, settings)
