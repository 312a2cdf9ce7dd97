"""A big PostgreSQL store for the web benchmark: a million articles in minutes.

The workstation must stay quick when the store holds years of collection (issue 19: a
provincial deployment, 1,000,000 articles on PostgreSQL). Storing that many articles
through the pipeline would take days, so this module writes the rows the pipeline would
have written, straight into the tables by COPY, into a database of its own
(``jianbao_bench`` by default, never the ``test`` database of the suite):

- articles spread over ``--years`` years (fewer on weekends), ids in publication order as
  collection gives them; a quarter relevant (health informatics), a few in the daily's
  policy scope (卫生健康与数字经济政策), the rest general news; one relevant article in
  eight republished by two to four outlets within hours (a story); sentiment, risk,
  scores, categories and the learned model's probability filled in as the judge would;
- every article in the search index, with exactly the tokens ``index_tokens`` gives
  (checked on a sample before loading) and PostgreSQL's own ``to_tsvector``;
- 300 outlets, the configured publications with a published daily issue for every
  weekday and a weekly for every Friday, the editors' accept decisions on their items
  and some rejections; a ``bench`` editor to sign in with.

Texts: headlines and sentences are read at run time from the evaluation pages of
``../shared/eval`` (real Chinese news written by others; never copied into the project),
drawn with a long-tailed frequency so some sentences (and their words) are common and
others rare, as in a real store. Health-informatics headlines and sentences are composed
from a vocabulary written here (places, institutions, actions, systems). Without the
evaluation folder a small built-in set is used, and the run says so.

Secondary indexes are dropped before loading and made again afterwards from their own
definitions (as the migrations created them), then the tables are vacuumed and analysed.

    .venv/bin/python benchmarks/bigstore.py [--articles 1000000] [--years 4] [--url URL] [--force]

Reuses a complete store of the same size and seed; ``--force`` builds it anew.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pg8000.native
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from jianbao.accounts import add_user
from jianbao.archive.search import TITLE_MARK, index_tokens, search_tokens
from jianbao.db.models import Base
from jianbao.db.session import Database, alembic_config, make_engine
from jianbao.editions.issue_store import ensure_publications
from jianbao.judge.normalize import simplified
from jianbao.judge.scope import POLICY_SCOPE
from jianbao.records import SHANGHAI
from jianbao.testing import make_settings

DEFAULT_URL = "postgresql+pg8000://postgres@127.0.0.1:5432/jianbao_bench"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
END = date(2026, 11, 20)
PASSWORD = "bench-password-1"
#: the share of relevant articles, and of the daily's policy scope among the others
RELEVANT_SHARE = 0.25
SCOPE_SHARE = 0.06
#: the share of relevant articles carried by more than one outlet
STORY_SHARE = 0.125
CATEGORIES = ["政策文件", "地方实践", "技术应用", "行业动态", "观点研究", "其他"]
TABLES = ("articles", "article_search", "stories", "decisions", "issue_items", "issues")

PROVINCES = [
    "北京市", "上海市", "天津市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省",
    "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
    "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
    "甘肃省", "青海省", "广西", "内蒙古", "宁夏", "新疆", "西藏", "东川省",
]  # fmt: skip
CITIES = [
    "云州市", "南岭市", "澜海市", "青禾市", "北川市", "临江市", "石湾市", "桐乡县",
    "安平县", "永宁区", "西湖区", "高新区", "滨海新区", "金山区", "长乐市", "武陵区",
]  # fmt: skip
INSTITUTIONS = [
    "卫生健康委", "医疗保障局", "疾控中心", "人民医院", "中医院", "妇幼保健院",
    "第一人民医院", "大数据局", "卫生健康信息中心", "医学中心", "社区卫生服务中心",
]  # fmt: skip
ACTIONS = [
    "上线", "启动建设", "通过验收", "印发", "召开推进会部署", "试点推广", "全面推行",
    "完成升级", "发布", "开展评估", "加快建设", "建成运行", "签约共建", "探索",
]  # fmt: skip
SYSTEMS = [
    "电子病历系统", "互联网医院", "医保信息平台", "智慧医院", "远程医疗平台", "电子健康卡",
    "全民健康信息平台", "区域影像云", "AI辅助诊断系统", "医疗大数据中心", "处方流转平台",
    "检查检验结果互认平台", "家庭医生签约服务系统", "5G急救平台", "医保移动支付",
    "DRG付费系统", "医院信息系统等级保护", "健康医疗数据安全体系", "分级诊疗信息平台",
    "电子病历应用水平分级评价", "互联互通标准化成熟度测评", "医学人工智能实验室",
    "智慧医共体信息平台", "公共卫生监测预警系统", "云胶片服务", "医疗区块链电子票据",
    "数字健康服务平台", "预约挂号统一平台", "医保电子凭证", "病案首页质控系统",
]  # fmt: skip
TAILS = [
    "", "", "", "工作", "实施方案", "三年行动计划", "建设指南", "管理办法（试行）",
    "试点工作", "应用成效显著", "覆盖全部县级医院", "惠及百万群众", "取得阶段性成果",
]  # fmt: skip
RESULTS = [
    "群众就医更加便捷", "实现数据互联互通", "平均候诊时间缩短三成", "覆盖二级以上公立医院",
    "年内完成全部接入", "推动优质医疗资源下沉", "患者可在手机上查看报告", "减少重复检查",
    "进一步提升服务效率", "保障数据安全", "为分级诊疗提供支撑", "基层医生可远程会诊",
]  # fmt: skip
NATIONAL = ["国务院", "国务院常务会议", "国家发展改革委", "国家卫生健康委", "工业和信息化部",
            "国家数据局", "国家统计局", "财政部", "国家医保局", "中共中央办公厅"]  # fmt: skip
POLICY_THEMES = [
    "数字经济发展", "稳增长促消费", "公共卫生体系建设", "深化医药卫生体制改革", "数据要素市场化",
    "新型基础设施建设", "养老服务体系", "上半年国民经济运行", "优化营商环境", "乡村振兴",
]  # fmt: skip
POLICY_ACTIONS = ["部署", "印发关于", "发布", "召开会议研究", "公布", "出台"]
OUTLET_KINDS = ["日报", "新闻网", "卫生健康委员会", "晚报", "广播电视台", "健康报", "在线"]

FALLBACK_TITLES = [
    "秋冬季流感疫苗接种工作全面启动，重点人群免费接种",
    "市疾控中心提醒市民注意饮食卫生，预防诺如病毒感染",
    "本市举办金秋马拉松比赛，两万名跑者参赛",
    "新能源汽车销量持续增长，充电设施建设加快",
    "地铁新线开通运营，沿线居民出行更加便利",
    "博物馆推出特展，展出文物三百余件",
]
_SENTENCE = re.compile(r"[^。！？!?\n]{6,}?[。！？!?]")
_TITLE = re.compile(r"^.{6,40}$")


@dataclass
class Piece:
    """A headline or a sentence with its search tokens, computed once."""

    text: str
    tokens: list[str]


@dataclass
class Pools:
    """What articles are made of; ``weights`` are cumulative (a long tail)."""

    general_titles: list[Piece]
    informatics_titles: list[Piece]
    policy_titles: list[Piece]
    sentences: list[Piece]
    informatics_sentences: list[Piece]
    weights: list[float] = field(default_factory=list)
    from_eval: bool = True


def _piece(value: str) -> Piece:
    """Pieces are kept in their Simplified form: whether a text is read as 繁體 depends
    on the whole of it, so a mix of both would not tokenize piece by piece."""
    value = simplified(value)
    return Piece(value, search_tokens(value))


def _eval_texts() -> tuple[list[str], list[str]]:
    """Headlines and running texts of the evaluation pages (read, never copied)."""
    titles: list[str] = []
    texts: list[str] = []
    dev = EVAL / "relevance" / "dev.tsv"
    if dev.exists():
        for line in dev.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) >= 6:
                titles.append(cells[4])
                texts.append(cells[5])
    lcsts = EVAL / "summaries" / "PART_III.txt"
    if lcsts.exists():
        raw = lcsts.read_text(encoding="utf-8")
        titles += [t.strip() for t in re.findall(r"<summary>(.*?)</summary>", raw, re.S)]
        texts += [t.strip() for t in re.findall(r"<short_text>(.*?)</short_text>", raw, re.S)]
    neardup = EVAL / "neardup" / "samples.jsonl"
    if neardup.exists():
        for line in neardup.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            texts += [pair.get("source", ""), pair.get("target", "")]
    for path in sorted((EVAL / "extraction" / "daniel-dev" / "reference").glob("*.txt")):
        paragraphs = re.findall(r"<p>(.*?)</p>", path.read_text(encoding="utf-8"), re.S)
        if paragraphs:
            titles.append(paragraphs[0])
            texts += paragraphs[2:]
    return titles, texts


def make_pools(rng: random.Random) -> Pools:
    """Headline and sentence pools, each with its tokens."""
    titles, texts = _eval_texts()
    from_eval = bool(titles)
    if not from_eval:
        titles, texts = FALLBACK_TITLES, [t + "。" for t in FALLBACK_TITLES]
    titles = list(dict.fromkeys(t.strip() for t in titles if _TITLE.match(t.strip())))
    clauses = [c for t in titles for c in re.split(r"[，,：:\s]+", t) if 4 <= len(c) <= 20]
    # real headlines, and as many again made of two real headlines' clauses
    composed = {rng.choice(clauses) + "，" + rng.choice(clauses) for _ in range(len(titles) * 8)}
    general = [_piece(t) for t in titles + sorted(composed)]
    sentences = sorted({s.strip() for t in texts for s in _SENTENCE.findall(t) if len(s) <= 120})
    rng.shuffle(sentences)
    places = PROVINCES + CITIES
    informatics = {
        rng.choice(places)
        + rng.choice(INSTITUTIONS)
        + rng.choice(ACTIONS)
        + rng.choice(SYSTEMS)
        + rng.choice(TAILS)
        for _ in range(20000)
    }
    informatics_sentences = {
        f"{rng.choice(places)}{rng.choice(INSTITUTIONS)}{rng.choice(ACTIONS)}"
        f"{rng.choice(SYSTEMS)}，{rng.choice(RESULTS)}。"
        for _ in range(20000)
    }
    policy = {
        rng.choice(NATIONAL) + rng.choice(POLICY_ACTIONS) + rng.choice(POLICY_THEMES) + tail
        for _ in range(3000)
        for tail in [rng.choice(["", "的意见", "工作", "若干措施", "的通知"])]
    }
    pools = Pools(
        general_titles=general,
        informatics_titles=[_piece(t) for t in sorted(informatics)],
        policy_titles=[_piece(t) for t in sorted(policy)],
        sentences=[_piece(s) for s in sentences],
        informatics_sentences=[_piece(s) for s in sorted(informatics_sentences)],
        from_eval=from_eval,
    )
    # a long tail: the first sentences are common, the last appear in a few articles
    total = 0.0
    for rank in range(len(pools.sentences)):
        total += 1.0 / (rank + 50)
        pools.weights.append(total)
    return pools


@dataclass
class Made:
    """One generated article (copies of a story share everything but outlet and time)."""

    title: str
    body: str
    tokens: str
    kind: str  # informatics, policy or general
    terms: list[str]


def make_article(pools: Pools, seed: int, kind: str) -> Made:
    """The text of an article, the same for the same seed (so a story's copies agree)."""
    rng = random.Random(seed)
    if kind == "informatics":
        title = rng.choice(pools.informatics_titles)
        lead = [rng.choice(pools.informatics_sentences) for _ in range(rng.randint(1, 3))]
    elif kind == "policy":
        title = rng.choice(pools.policy_titles)
        lead = []
    else:
        title = rng.choice(pools.general_titles)
        lead = []
    rest = rng.choices(pools.sentences, cum_weights=pools.weights, k=rng.randint(5, 12))
    sentences = lead + rest
    cut = sorted(rng.sample(range(1, len(sentences)), k=min(2, len(sentences) - 1)))
    paragraphs = [sentences[a:b] for a, b in zip([0, *cut], [*cut, len(sentences)], strict=True)]
    body = "\n".join("".join(p.text for p in para) for para in paragraphs)
    tokens = list(title.tokens)
    for piece in sentences:
        tokens += piece.tokens
    tokens += [TITLE_MARK + t for t in dict.fromkeys(title.tokens)]
    terms = [s for s in SYSTEMS if s in title.text][:2] if kind == "informatics" else []
    return Made(title.text, body, " ".join(tokens), kind, terms)


def check_tokens(pools: Pools, samples: int = 300) -> None:
    """The composed tokens must be what the pipeline would index; stop if not."""
    wrong = 0
    for seed in range(samples):
        kind = ("informatics", "policy", "general")[seed % 3]
        made = make_article(pools, seed, kind)
        if made.tokens != index_tokens(made.title, made.body):
            wrong += 1
    if wrong:
        raise SystemExit(
            f"{wrong} of {samples} generated articles are not tokenized as index_tokens "
            "tokenizes them: the sentence pools split where the segmenter does not"
        )


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    value = str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _rows(rows: Iterator[tuple[Any, ...]], chunk: int = 500) -> Iterator[str]:
    buffer: list[str] = []
    for row in rows:
        buffer.append("\t".join(_copy_value(v) for v in row) + "\n")
        if len(buffer) >= chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


@dataclass
class Plan:
    """When each article appears and what it is, in id order."""

    times: list[datetime]
    kinds: list[str]
    seeds: list[int]
    stories: list[int]  # 0 when alone
    outlets: list[int]


def make_plan(rng: random.Random, count: int, years: int, outlets: int) -> Plan:
    """Publication times over ``years`` years ending at END (weekends lighter), kinds and
    stories; sorted by time so ids grow with publication, as collection gives them."""
    first = END - timedelta(days=365 * years - 1)
    days = [first + timedelta(days=d) for d in range((END - first).days + 1)]
    cumulative: list[float] = []
    total = 0.0
    for day in days:
        total += 0.45 if day.weekday() >= 5 else 1.0
        cumulative.append(total)
    entries: list[tuple[float, str, int, int, int]] = []
    story = 0
    while len(entries) < count:
        day = days[bisect.bisect_left(cumulative, rng.random() * total)]
        start = datetime(day.year, day.month, day.day, 7, tzinfo=SHANGHAI).timestamp()
        when = start + rng.random() * 15 * 3600
        roll = rng.random()
        kind = (
            "informatics"
            if roll < RELEVANT_SHARE
            else "policy"
            if roll < RELEVANT_SHARE + SCOPE_SHARE
            else "general"
        )
        seed = rng.getrandbits(48)
        copies = 1
        if kind == "informatics" and rng.random() < STORY_SHARE:
            story += 1
            copies = min(rng.choice((2, 2, 3, 4)), count - len(entries))
        for copy in range(copies):
            entries.append(
                (
                    when + copy * rng.uniform(600, 6 * 3600),
                    kind,
                    seed,
                    story if copies > 1 else 0,
                    rng.randrange(outlets),
                )
            )
    entries.sort()
    return Plan(
        times=[datetime.fromtimestamp(e[0], UTC) for e in entries],
        kinds=[e[1] for e in entries],
        seeds=[e[2] for e in entries],
        stories=[e[3] for e in entries],
        outlets=[e[4] for e in entries],
    )


def outlet_names(rng: random.Random, count: int) -> list[str]:
    names: dict[str, None] = {}
    places = PROVINCES + CITIES
    while len(names) < count:
        names[rng.choice(places) + rng.choice(OUTLET_KINDS)] = None
    return list(names)


ARTICLE_COLUMNS = (
    "id, url, canonical_url, content_hash, title, body, published_at, source_name, language, "
    "extracted_at, source_id, story_id, relevant, score, matched_terms, model_probability, "
    "model_features, category, scope, summary, imported, sentiment, risk"
)


def article_rows(
    pools: Pools, plan: Plan, names: list[str], progress: Progress
) -> Iterator[tuple[Any, ...]]:
    for index, when in enumerate(plan.times):
        article_id = index + 1
        kind = plan.kinds[index]
        made = make_article(pools, plan.seeds[index], kind)
        rng = random.Random(plan.seeds[index] ^ article_id)
        relevant = kind == "informatics"
        outlet = plan.outlets[index]
        url = f"https://news{outlet}.example.cn/{when:%Y%m%d}/{article_id}.html"
        sentiment = rng.choices(("neu", "pos", "neg"), (80, 12, 8))[0]
        yield (
            article_id,
            url,
            url,
            f"{article_id:064x}",
            made.title,
            made.body,
            when,
            names[outlet],
            "zh",
            when + timedelta(minutes=rng.randint(2, 90)),
            outlet + 1,
            plan.stories[index] or None,
            relevant,
            round(rng.uniform(0.55, 1.0) if relevant else rng.uniform(0.0, 0.45), 3),
            json.dumps(made.terms, ensure_ascii=False),
            round(rng.uniform(0.5, 0.99), 3) if relevant and rng.random() < 0.7 else None,
            json.dumps(made.terms[:1], ensure_ascii=False),
            rng.choice(CATEGORIES) if relevant else "其他",
            POLICY_SCOPE if kind == "policy" else None,
            made.body.split("。")[0][:120] + "。",
            False,
            sentiment,
            round(rng.uniform(0.0, 0.9 if sentiment == "neg" else 0.3), 3),
        )
        progress.tick()


def token_rows(pools: Pools, plan: Plan, progress: Progress) -> Iterator[tuple[Any, ...]]:
    for index in range(len(plan.times)):
        yield index + 1, make_article(pools, plan.seeds[index], plan.kinds[index]).tokens
        progress.tick()


class Progress:
    """A line every ``every`` rows: how far, how fast."""

    def __init__(self, what: str, total: int, every: int = 100_000):
        self.what, self.total, self.every = what, total, every
        self.done = 0
        self.started = time.perf_counter()

    def tick(self) -> None:
        self.done += 1
        if self.done % self.every == 0 or self.done == self.total:
            took = time.perf_counter() - self.started
            print(
                f"  {self.what}: {self.done:,} / {self.total:,} ({self.done / took:,.0f}/s)",
                flush=True,
            )


def _connect(url: str, database: str | None = None) -> pg8000.native.Connection:
    parsed = make_url(url)
    return pg8000.native.Connection(
        user=parsed.username or "postgres",
        password=parsed.password,
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        database=database or parsed.database,
    )


def built(url: str, count: int, seed: int) -> bool:
    """Whether the database holds a complete store of this size and seed."""
    try:
        conn = _connect(url)
    except Exception:
        return False
    try:
        rows = conn.run("SELECT articles, seed FROM bench_meta")
    except Exception:
        return False
    finally:
        conn.close()
    return bool(rows) and tuple(rows[0]) == (count, seed)


def recreate_database(url: str) -> None:
    name = make_url(url).database
    if not name or name in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to rebuild the database {name!r}: name a bench database")
    admin = _connect(url, "postgres")
    try:
        admin.run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()",
            name=name,
        )
        admin.run(f'DROP DATABASE IF EXISTS "{name}"')
        admin.run(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def build(url: str, count: int, years: int, seed: int) -> None:
    """Make the database at ``url`` anew with ``count`` articles (see the docstring)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    print("reading texts and tokenizing the pools …", flush=True)
    pools = make_pools(rng)
    if not pools.from_eval:
        print(f"  {EVAL} not found: using the small built-in text set", flush=True)
    print(
        f"  {len(pools.general_titles):,} general and {len(pools.informatics_titles):,} "
        f"informatics headlines, {len(pools.sentences):,} + "
        f"{len(pools.informatics_sentences):,} sentences",
        flush=True,
    )
    check_tokens(pools)
    names = outlet_names(rng, 300)
    plan = make_plan(rng, count, years, len(names))
    recreate_database(url)
    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder), database_url=url)
        db = Database.from_settings(settings)  # the schema, by the migrations
        with db.session() as s:
            add_user(s, "bench", PASSWORD, "editor")
            ensure_publications(s, settings)
        db.close()
    conn, other = _connect(url), _connect(url)
    try:
        for c in (conn, other):
            c.run("SET maintenance_work_mem = '1GB'")
            c.run("SET synchronous_commit = off")
        indexes, constraints = _drop_indexes_and_keys(conn)
        load(conn, other, pools, plan, names, rng, indexes)
        print(f"checking {len(constraints)} foreign keys again …", flush=True)
        for table, definition in constraints:
            conn.run(f"ALTER TABLE {table} ADD {definition}")
        for table in ("sources", "stories", "articles", "issues", "issue_items", "decisions"):
            conn.run(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        # every counter of jianbao.db.revision: the workstation's and the stories'
        conn.run("UPDATE store_revision SET value = value + 1")
        step = time.perf_counter()
        conn.run("VACUUM ANALYZE")
        print(f"  vacuum analyze: {time.perf_counter() - step:.0f} s", flush=True)
        conn.run("CREATE TABLE bench_meta (articles integer, seed integer, built_at timestamptz)")
        conn.run("INSERT INTO bench_meta VALUES (:n, :s, now())", n=count, s=seed)
        size = conn.run("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
    finally:
        conn.close()
        other.close()
    print(f"built in {time.perf_counter() - started:.0f} s; database size {size}", flush=True)


def _drop_indexes_and_keys(
    conn: pg8000.native.Connection,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Drop the secondary indexes and foreign keys of the loaded tables (loading is then
    several times faster); returns their definitions to make them again."""
    indexes = [
        (name, definition)
        for name, definition in conn.run(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(:t) AND indexname NOT IN ("
            " SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
            t=list(TABLES),
        )
    ]
    constraints = [
        (table, name, definition)
        for table, name, definition in conn.run(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(:t)",
            t=list(TABLES),
        )
    ]
    for table, name, _ in constraints:
        conn.run(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.run(f'DROP INDEX "{name}"')
    return indexes, [(t, f'CONSTRAINT "{n}" {d}') for t, n, d in constraints]


def load(
    conn: pg8000.native.Connection,
    other: pg8000.native.Connection,
    pools: Pools,
    plan: Plan,
    names: list[str],
    rng: random.Random,
    indexes: list[tuple[str, str]],
) -> None:
    """Sources, stories, articles, the search index, issues and decisions, then the
    indexes. The server's work on the search index (to_tsvector, the GIN index) runs on a
    second connection while this process makes and sends the articles."""
    count = len(plan.times)
    conn.run(
        "COPY sources (id, name, url, kind, enabled, respect_robots, max_pages, render, "
        "poll_minutes, consecutive_failures, created_at) FROM STDIN",
        stream=_rows(
            (i + 1, n, f"https://news{i}.example.cn/rss", "feed", True, True, 1, "http",
             60, 0, datetime.now(UTC))
            for i, n in enumerate(names)
        ),
    )  # fmt: skip
    first_of: dict[int, int] = {}
    size_of: dict[int, int] = {}
    for index, story in enumerate(plan.stories):
        if story:
            first_of.setdefault(story, index + 1)
            size_of[story] = size_of.get(story, 0) + 1
    conn.run(
        "COPY stories (id, representative_id, size, created_at) FROM STDIN",
        stream=_rows(
            (s, first_of[s], size_of[s], plan.times[first_of[s] - 1]) for s in sorted(first_of)
        ),
    )
    print("loading the search index's tokens …", flush=True)
    other.run("CREATE UNLOGGED TABLE bench_tokens (id integer, tokens text)")
    other.run(
        "COPY bench_tokens (id, tokens) FROM STDIN",
        stream=_rows(token_rows(pools, plan, Progress("tokens", count))),
    )
    search_index = [d for name, d in indexes if name.startswith("ix_article_search")]
    failed: list[BaseException] = []

    def index_in_server() -> None:
        try:
            step = time.perf_counter()
            other.run(
                "INSERT INTO article_search (article_id, tokens) "
                "SELECT id, to_tsvector('simple', tokens) FROM bench_tokens"
            )
            other.run("DROP TABLE bench_tokens")
            print(f"  to_tsvector: {time.perf_counter() - step:.0f} s", flush=True)
            for definition in search_index:
                step = time.perf_counter()
                other.run(definition)
                print(f"  search index: {time.perf_counter() - step:.0f} s", flush=True)
        except BaseException as exc:  # reported by the main thread
            failed.append(exc)

    server_side = threading.Thread(target=index_in_server)
    server_side.start()
    print(f"loading {count:,} articles (the search index is made meanwhile) …", flush=True)
    conn.run(
        f"COPY articles ({ARTICLE_COLUMNS}) FROM STDIN",
        stream=_rows(article_rows(pools, plan, names, Progress("articles", count))),
    )
    issues_and_decisions(conn, plan, rng)
    rest = [(n, d) for n, d in indexes if d not in search_index]
    print(f"making {len(rest)} indexes again …", flush=True)
    for name, definition in rest:
        step = time.perf_counter()
        conn.run(definition)
        print(f"  {name}: {time.perf_counter() - step:.0f} s", flush=True)
    server_side.join()
    if failed:
        raise failed[0]


def issues_and_decisions(conn: pg8000.native.Connection, plan: Plan, rng: random.Random) -> None:
    """A published daily for every weekday (ten of the previous day's relevant articles)
    and a weekly every Friday (fifteen of the week's), with the editors' decisions."""
    publications = dict(conn.run("SELECT key, id FROM publications"))
    by_day: dict[date, list[int]] = {}
    for index, when in enumerate(plan.times):
        if plan.kinds[index] == "informatics":
            by_day.setdefault(when.astimezone(SHANGHAI).date(), []).append(index + 1)
    issues: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    decisions: list[tuple[Any, ...]] = []
    numbers = {"daily": 0, "weekly": 0}
    days = sorted(by_day)
    for day in days[1:]:
        for key, period, size in (("daily", 1, 10), ("weekly", 7, 15)):
            if key not in publications or (key == "daily" and day.weekday() >= 5):
                continue
            if key == "weekly" and day.weekday() != 4:
                continue
            pool = [
                a for d in range(1, period + 1) for a in by_day.get(day - timedelta(days=d), [])
            ]
            if not pool:
                continue
            numbers[key] += 1
            issue_id = len(issues) + 1
            published = datetime(day.year, day.month, day.day, 8, tzinfo=SHANGHAI)
            start = day - timedelta(days=period)
            issues.append(
                (issue_id, publications[key], numbers[key], 1, day, start,
                 day - timedelta(days=1), "published", published, published, "[]", False)
            )  # fmt: skip
            for position, article_id in enumerate(rng.sample(pool, min(size, len(pool)))):
                items.append((issue_id, article_id, position + 1, position))
                decisions.append((article_id, "accept", "bench", published - timedelta(hours=1)))
    rejected = rng.sample(range(len(plan.times)), k=len(plan.times) // 50)
    for index in rejected:
        if plan.kinds[index] == "informatics":
            decisions.append((index + 1, "reject", "bench", plan.times[index] + timedelta(hours=9)))
    conn.run(
        "COPY issues (id, publication_id, number, revision, issue_date, period_start, "
        "period_end, status, created_at, published_at, files, imported) FROM STDIN",
        stream=_rows(iter(issues)),
    )
    # the item's texts are the article's own, as accepting copies them
    conn.run("CREATE TEMP TABLE bench_items (issue_id int, article_id int, position int, n int)")
    conn.run("COPY bench_items FROM STDIN", stream=_rows(iter(items)))
    conn.run(
        "INSERT INTO issue_items (issue_id, article_id, position, title, summary, source_name, "
        "category) SELECT i.issue_id, i.article_id, i.position, a.title, a.summary, "
        "coalesce(a.source_name, ''), a.category FROM bench_items i JOIN articles a "
        "ON a.id = i.article_id"
    )
    conn.run(
        "COPY decisions (article_id, action, editor, at) FROM STDIN",
        stream=_rows(iter(decisions)),
    )
    print(
        f"  {len(issues):,} published issues, {len(items):,} items, {len(decisions):,} decisions",
        flush=True,
    )


def catch_up_schema(url: str) -> None:
    """Tables and nullable columns the models have and the built store lacks, added.

    The store is built once and kept; a migration filled in since (this session's
    placeholders) is recorded as applied already and would never run on it. Adding what
    such a migration adds keeps a kept store usable; anything else needs ``--force``."""
    engine = make_engine(url)
    try:
        _forget_removed_revision(engine)
        present = inspect(engine)
        tables = set(present.get_table_names())
        with engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                if table.name not in tables:
                    table.create(conn)
                    print(f"  added table {table.name} (the models have it)", flush=True)
                    continue
                have = {c["name"] for c in present.get_columns(table.name)}
                for column in table.columns:
                    if column.name in have:
                        continue
                    if not column.nullable:
                        raise SystemExit(
                            f"the store lacks {table.name}.{column.name} (NOT NULL): "
                            "build it again with --force"
                        )
                    kind = column.type.compile(dialect=conn.dialect)
                    conn.execute(
                        text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}')
                    )
                    print(f"  added column {table.name}.{column.name} (the models have it)")
    finally:
        engine.dispose()


#: the open draft of each publication (period in days), so its candidates can be asked for
DRAFTS = {"daily": 1, "weekly": 7, "monthly": 30}


def ensure_drafts(url: str) -> dict[str, int]:
    """Publication key → the id of its open draft (for the period ending at END), made
    when missing: the candidates screen lists a draft's publication's scopes."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            found: dict[str, int] = {}
            rows = conn.execute(
                text(
                    "SELECT p.key, p.id, min(i.id) FROM publications p LEFT JOIN issues i "
                    "ON i.publication_id = p.id AND i.status = 'draft' GROUP BY p.key, p.id"
                )
            )
            for key, publication_id, draft_id in rows:
                if key not in DRAFTS:
                    continue
                if draft_id is None:
                    draft_id = conn.execute(
                        text(
                            "INSERT INTO issues (publication_id, revision, issue_date, "
                            "period_start, period_end, status, created_at, files, imported) "
                            "VALUES (:p, 1, :day, :start, :end, 'draft', now(), '[]', false) "
                            "RETURNING id"
                        ),
                        {
                            "p": publication_id,
                            "day": END + timedelta(days=1),
                            "start": END - timedelta(days=DRAFTS[key] - 1),
                            "end": END,
                        },
                    ).scalar_one()
                    conn.execute(text("UPDATE store_revision SET value = value + 1"))
                found[key] = int(draft_id)
        return found
    finally:
        engine.dispose()


def _forget_removed_revision(engine: Engine) -> None:
    """A store built at a revision since removed from the chain (an empty placeholder
    dropped, as 0020 and 0021 were) is marked at the chain's head, so the app starts;
    its tables are then caught up from the models."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    heads = script.get_heads()
    known = {revision.revision for revision in script.walk_revisions()}
    with engine.begin() as conn:
        stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if stored not in known:
            conn.execute(text("UPDATE alembic_version SET version_num = :h"), {"h": heads[0]})
            print(f"  revision {stored} is no longer in the chain: marked at {heads[0]}")


def ensure_store(
    url: str, count: int, years: int = 4, seed: int = 19, force: bool = False
) -> dict[str, int]:
    """Build the store unless a complete one of this size and seed is there; returns the
    open draft of each publication."""
    if force or not built(url, count, seed):
        build(url, count, years, seed)
    else:
        print(f"reusing the store of {count:,} articles at {make_url(url).database}", flush=True)
        catch_up_schema(url)
    return ensure_drafts(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--url", default=DEFAULT_URL, help="the bench database (made anew)")
    parser.add_argument("--force", action="store_true", help="build even if already built")
    args = parser.parse_args()
    ensure_store(args.url, args.articles, args.years, args.seed, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
