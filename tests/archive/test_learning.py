"""Imported items are the editors' past choices: accepted for the relevance model, and
their grouping counts as the editors' categories for the category model."""

from __future__ import annotations

from pathlib import Path

from jianbao.archive.importer import import_file
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.decisions import training_labels
from jianbao.learning import category_training_set

BROADCAST = """# 每日学习播报

## 2021年3月5日（周五）

**国家政策**

1. [国务院印发“十四五”全民健康信息化规划](<https://gov.example.cn/1>)。规划提出推进全民健康信息平台建设。
2. [国家卫生健康委发布电子病历评级新标准](<https://gov.example.cn/2>)。新标准覆盖评级流程与数据质量。
3. [医保信息平台全国上线](<https://gov.example.cn/3>)。统一的医保信息平台在全国上线运行。

**卫生健康信息化**

4. [东川省互联网医院复诊量增长三成](<https://news.example.cn/4>)。线上复诊与药品配送衔接。
5. [南岭市上线区域影像云平台](<https://news.example.cn/5>)。检查影像在医院间调阅互认。
6. [AI辅助阅片系统进入县级医院](<https://news.example.cn/6>)。阅片时间缩短一半。
"""


def test_imported_items_are_accepted_and_their_groups_are_categories(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "播报.md"
    path.write_text(BROADCAST, encoding="utf-8")
    result = import_file(db, settings, path)
    assert result.status == "imported" and result.items == 6
    with db.session() as session:
        assert [label for _, label in training_labels(session)] == [1] * 6
        items, categories, _corrections = category_training_set(session)
    assert len(items) == 6
    assert sorted(categories) == ["卫生健康信息化"] * 3 + ["国家政策"] * 3
