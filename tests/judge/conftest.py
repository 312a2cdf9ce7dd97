"""Shared data for the judge tests: small labelled items written for the tests, and the
path of the evaluation data (../shared/eval, absent on some machines: tests skip)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO.parent / "shared" / "eval"
SEEDS = REPO.parent / "shared" / "seeds"

RELEVANT = [
    ("某市人民医院上线互联网医院平台", "患者可在线复诊、处方流转，医院信息系统完成升级。"),
    ("电子病历系统应用水平分级评价结果公布", "多家医院达到五级，电子病历互联互通水平提升。"),
    ("全民健康信息平台建设推进会召开", "会议部署区域全民健康信息平台互联互通工作。"),
    ("医保信息平台全面建成", "国家医保信息平台在全国上线，医保电子凭证激活用户过亿。"),
    ("人工智能辅助诊断进入基层医院", "AI影像辅助诊断系统在县医院部署，提升诊疗效率。"),
    ("远程医疗覆盖所有县区", "远程会诊中心连接省级医院与乡镇卫生院。"),
    ("智慧医院建设指南发布", "指南要求医院推进智慧服务、智慧管理和电子病历建设。"),
    ("健康医疗大数据中心启用", "中心汇聚医疗数据，支持临床科研和公共卫生决策。"),
    ("医院数据安全管理办法出台", "办法要求医疗机构加强患者数据安全和网络安全防护。"),
    ("5G急救车实现上车即入院", "5G网络实时回传患者生命体征，医院提前准备抢救。"),
    ("电子健康卡普及应用", "居民使用电子健康卡挂号就诊，实现一卡通用。"),
    ("医疗大模型发布", "大模型用于医院病历生成与临床决策支持。"),
]
IRRELEVANT = [
    ("北京新增7例确诊病例", "截至20时，北京累计确诊病例121例，均已送医。"),
    ("秋季养生喝什么茶", "专家建议秋季多喝温性茶饮，注意保暖和作息。"),
    ("某手机品牌发布新款旗舰机", "新机搭载最新芯片，拍照性能提升，售价四千元。"),
    ("国足客场负于对手", "比赛中国足两度落后，最终一比三告负。"),
    ("新能源汽车销量创新高", "上月新能源汽车销量同比增长三成，出口表现亮眼。"),
    ("多地出台稳就业措施", "各地加大就业补贴，支持高校毕业生就业创业。"),
    ("专家解读流感高发原因", "流感病毒活跃，建议高危人群接种疫苗，勤洗手。"),
    ("某医院新院区开业", "新院区设置床位一千张，开设门诊急诊等科室。"),
    ("股市三大指数集体收涨", "两市成交额超过一万亿元，科技板块领涨。"),
    ("暴雨预警发布", "气象台发布暴雨蓝色预警，提醒市民注意出行安全。"),
    ("人工智能芯片公司完成融资", "公司将资金用于自动驾驶芯片研发和量产。"),
    ("减肥药走红引发关注", "医生提醒减肥药需遵医嘱使用，不可盲目跟风。"),
]


@pytest.fixture
def labelled() -> tuple[list[tuple[str, str]], list[int]]:
    items = RELEVANT + IRRELEVANT
    return items, [1] * len(RELEVANT) + [0] * len(IRRELEVANT)


@pytest.fixture
def eval_dir() -> Path:
    return EVAL


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def benchmark_module():
    return load_benchmark


def load_benchmark(name: str) -> ModuleType:
    """A module of benchmarks/ (their loaders double as the quality gates' loaders)."""
    path = REPO / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"jianbao_benchmark_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
