"""Collection benchmark: jianbao's pipeline against a naive sequential collector, one run.

A loopback news world is served by a separate process (aiohttp, one port per host, so
politeness is per host as on the real web): ``--sources`` sources, half RSS feeds and half
government-style listing pages without feeds, spread over ``--hosts`` hosts, holding
``--articles`` article pages in all, each answered after a random latency between
``--min-latency`` and ``--max-latency`` seconds (Chinese sites seen from a server are
typically 0.1–0.8 s). Feeds and listing pages carry an ETag and answer 304 to it.

Measured, each side in its own process so memory figures are its own:

* jianbao: ``Pipeline.run_cycle`` over every source into a fresh SQLite store with the
  default settings (2 requests per host, 0.5 s apart, 32 in all; one extract-and-judge
  worker per core): articles stored per second, peak memory (the collecting process and
  its workers together, as proportional set sizes: a page the processes share counts
  once; the sum of resident sizes is printed beside it), then a second cycle over the
  unchanged sources (conditional GET) and its time as a share of the first's;
* the naive baseline: sequential ``urllib`` requests, feedparser for feeds, link
  heuristics for listing pages, trafilatura for each article, one article at a time,
  stored into SQLite; run over ``--baseline-sources`` sources (it would take hours over
  all of them) and reported as articles per second.

With it, the CPU milliseconds per article by stage (decode, extract, judge, sign, store,
policy links, story assignment, search index: :mod:`jianbao.stage_times`), the whole
cycle's CPU per article (every process of it) and the machine's load average at the start,
during the first cycle and at the end: a shared machine's wall-clock figures vary with
what else runs, its CPU figures much less.

Targets (issues 3 and 21): ≥ 25× the baseline's throughput, < 500 MB peak, second cycle
< 10%.

    .venv/bin/python benchmarks/collect.py [--sources 1000] [--articles 20000] [--hosts 250]

Prints the figures and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import resource
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

BASE_DAY = (2026, 11, 16)

_SUBJECTS = [
    "省卫生健康委员会",
    "市人民医院",
    "国家医保局",
    "区疾病预防控制中心",
    "大学附属医院",
    "县医共体",
    "市卫生健康信息中心",
    "省中医院",
]
_ACTIONS_RELEVANT = [
    "推进电子病历系统应用水平分级评价",
    "上线互联网医院服务平台",
    "建设全民健康信息平台并实现互联互通",
    "开展智慧医院建设试点",
    "启用电子健康卡和医保电子凭证",
    "部署医疗大数据中心和数据安全防护体系",
    "推广远程医疗服务覆盖基层卫生院",
]
_ACTIONS_OTHER = [
    "举办秋季职工运动会",
    "开展义诊进社区活动",
    "组织流感疫苗接种",
    "召开年度党风廉政建设会议",
    "发布城市马拉松交通管制通告",
    "举办青年书法作品展",
]
#: clauses an article's sentences are drawn from, three to a sentence, with the article's
#: own figures: real articles share a phrase here and there but not their text (sentences
#: from a handful of fixed ones would make every article a near-duplicate of every other,
#: one story of thousands, which no news world is)
_CLAUSES = [
    "坚持以人民健康为中心",
    "统筹推进各项重点工作落地见效",
    "进一步完善工作机制",
    "加强部门协同和督导检查",
    "相关工作已在{place}先行先试",
    "取得了较好的社会反响",
    "与会人员围绕难点问题进行了深入交流",
    "提出了{count}条意见建议",
    "群众纷纷表示希望此类活动能够常态化开展",
    "各单位要明确责任分工",
    "确保{count}项任务按时保质完成",
    "截至{month}月底已有{count}家单位完成自评",
    "全年累计服务群众{big}人次",
    "覆盖{place}{k}个乡镇卫生院",
    "财政投入{count}万元用于设备更新",
    "{place}率先实现检查检验结果互认",
    "患者平均等候时间缩短{k}分钟",
    "基层首诊比例提高到百分之{k}",
    "组织专家开展现场指导{k}次",
    "培训业务骨干{count}人",
    "建立月调度和季通报制度",
    "将考核结果纳入年度绩效评价",
    "推动优质资源向{place}下沉",
    "开通线上预约和缴费服务",
    "同步上线手机端查询功能",
    "设立{k}个便民服务点",
    "与{place}签订合作协议",
    "邀请第三方机构开展评估",
    "收集群众意见{count}条",
    "整改问题{k}项",
    "召开推进会{k}次",
    "印发实施方案和任务清单",
    "明确了时间表和路线图",
    "下一步将扩大试点范围",
    "力争年底前覆盖全部二级以上医院",
    "做好数据安全和个人信息保护",
]
_PLACES = [
    "东川",
    "西岭",
    "南湖",
    "北塘",
    "青山",
    "白水",
    "金沙",
    "石桥",
    "云台",
    "临江",
    "平原",
    "长乐",
]
#: every REPUBLISHED-th article is a copy of the one before it (its last paragraph cut, a
#: line of its own added): stories of two, which the pipeline groups
REPUBLISHED = 25


@dataclass(frozen=True)
class World:
    sources: int
    articles: int
    hosts: int
    min_latency: float
    max_latency: float
    seed: int = 7

    def host_of(self, source: int) -> int:
        return source % self.hosts

    def articles_of(self, source: int) -> range:
        per, extra = divmod(self.articles, self.sources)
        start = source * per + min(source, extra)
        return range(start, start + per + (1 if source < extra else 0))

    def kind_of(self, source: int) -> str:
        return "feed" if source % 2 == 0 else "listing"


def article_text(n: int) -> tuple[str, str, list[str]]:
    """Title, date-time text and paragraphs of article ``n`` (deterministic)."""
    if n % REPUBLISHED == REPUBLISHED - 1 and n > 0:
        title, _when, paragraphs = article_text(n - 1)
        when = _when_of(n)
        return title, when, [*paragraphs[:-2], f"（转载 编号{n}）"]
    rnd = random.Random(n)
    subject = rnd.choice(_SUBJECTS)
    relevant = rnd.random() < 0.4
    action = rnd.choice(_ACTIONS_RELEVANT if relevant else _ACTIONS_OTHER)
    title = f"{subject}{action}（第{n}号）"
    day = BASE_DAY[2] - (n % 10)
    when = _when_of(n)
    paragraphs = [f"{BASE_DAY[1]}月{day}日，{subject}{action}，编号{n}的工作正式启动。"]
    for _ in range(4):
        clauses = [
            clause.format(
                place=rnd.choice(_PLACES),
                k=rnd.randint(2, 30),
                count=rnd.randint(10, 900),
                big=rnd.randint(1000, 99999),
                month=rnd.randint(1, 12),
            )
            for clause in rnd.sample(_CLAUSES, 3)
        ]
        paragraphs.append("，".join(clauses) + "。")
    paragraphs.append(f"（记者 编号{n} 报道）")
    return title, when, paragraphs


def _when_of(n: int) -> str:
    day = BASE_DAY[2] - (n % 10)
    return f"{BASE_DAY[0]}-{BASE_DAY[1]:02d}-{day:02d} {8 + n % 10:02d}:{n % 60:02d}"


def article_html(n: int) -> bytes:
    title, when, paragraphs = article_text(n)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    nav = "".join(f'<a href="/col/{i}/index.html">栏目{i}</a> ' for i in range(12))
    return (
        f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="publishdate" content="{when}"></head><body><div class="nav">{nav}</div>
<div class="article"><h1>{title}</h1><div class="info">发布时间：{when} 来源：示例日报</div>
<div class="content">{body}</div><div class="editor">责任编辑：王小明</div></div>
<div class="footer">版权所有 示例日报社 备案号 示ICP备00000000号</div></body></html>"""
    ).encode()


def feed_xml(world: World, source: int, base: str) -> bytes:
    items = []
    for n in world.articles_of(source):
        title, when, _ = article_text(n)
        items.append(
            f"<item><title>{title}</title><link>{base}/s{source}/a/{n}.html</link>"
            f"<guid>{base}/s{source}/a/{n}.html</guid><pubDate>{when}</pubDate></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>示例来源{source}</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def listing_html(world: World, source: int) -> bytes:
    rows = []
    for n in world.articles_of(source):
        title, when, _ = article_text(n)
        rows.append(
            f'<li><a href="/s{source}/{BASE_DAY[0]}{BASE_DAY[1]:02d}/t{BASE_DAY[0]}'
            f'{BASE_DAY[1]:02d}{BASE_DAY[2]:02d}_{n}.html">{title}</a><span>{when[:10]}</span></li>'
        )
    nav = "".join(f'<a href="/col/{i}/index.html">栏目{i}</a> ' for i in range(12))
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态</title></head>'
        f'<body><div class="nav">{nav}</div><ul class="list">{"".join(rows)}</ul></body></html>'
    ).encode()


# -- the server process ---------------------------------------------------------------


def serve(world: World, ready: Any, stop: Any) -> None:
    from aiohttp import web

    async def main() -> None:
        rnd = random.Random(world.seed)
        last_modified = format_datetime(
            __import__("datetime").datetime(2026, 11, 16, tzinfo=__import__("datetime").UTC),
            usegmt=True,
        )

        async def handle(request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(rnd.uniform(world.min_latency, world.max_latency))
            path = request.path
            parts = path.strip("/").split("/")
            base = f"http://127.0.0.1:{request.url.port}"
            try:
                source = int(parts[0][1:])
            except (ValueError, IndexError):
                return web.Response(status=404, text="not found")
            if len(parts) == 2 and parts[1] in ("feed.xml", "index.html"):
                if request.headers.get("If-None-Match") == '"v1"':
                    return web.Response(status=304, headers={"ETag": '"v1"'})
                headers = {"ETag": '"v1"', "Last-Modified": last_modified}
                if parts[1] == "feed.xml":
                    body = feed_xml(world, source, base)
                    ctype = "application/rss+xml"
                else:
                    body = listing_html(world, source)
                    ctype = "text/html"
                return web.Response(body=body, content_type=ctype, charset="utf-8", headers=headers)
            name = parts[-1]
            digits = name.rsplit("_", 1)[-1].split(".")[0]
            try:
                n = int(digits)
            except ValueError:
                return web.Response(status=404, text="not found")
            return web.Response(body=article_html(n), content_type="text/html", charset="utf-8")

        app = web.Application()
        app.router.add_get("/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        ports = []
        for _ in range(world.hosts):
            site = web.TCPSite(runner, "127.0.0.1", 0, backlog=512)
            await site.start()
            ports.append(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        ready.send(ports)
        while not stop.is_set():
            await asyncio.sleep(0.2)
        await runner.cleanup()

    asyncio.run(main())


def source_urls(world: World, ports: list[int]) -> list[tuple[str, str, str]]:
    """(name, url, kind) of every source."""
    out = []
    for s in range(world.sources):
        base = f"http://127.0.0.1:{ports[world.host_of(s)]}"
        kind = world.kind_of(s)
        path = "feed.xml" if kind == "feed" else "index.html"
        out.append((f"source-{s}", f"{base}/s{s}/{path}", kind))
    return out


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_kb(pid: int) -> tuple[int, int]:
    """(proportional, resident) set size of a process in kB. The proportional size
    counts a page shared by n processes (the interpreter, numpy, lxml) as 1/n in each,
    so the sizes of a process tree add up to the memory it really holds; resident sizes
    count a shared page in every process."""
    pss = rss = 0
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    for line in lines:
        if line.startswith("Pss:"):
            pss = int(line.split()[1])
        elif line.startswith("Rss:"):
            rss = int(line.split()[1])
    return pss, rss


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a process has used so far (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    """The machine's one-minute load average (other work sharing the cores)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def _role(pid: int, parent: str, seen: dict[str, int]) -> str:
    """What a process of the tree is: the collecting process (this one), the workers'
    fork server, a worker (forked from it; numbered), or another child by its command."""
    if not parent:
        return "collecting"
    if parent == "fork server":
        return f"worker {sum(role.startswith('worker') for role in seen) + 1}"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        command = b""
    for role in ("forkserver", "resource_tracker"):
        if role.encode() in command:
            return role.replace("forkserver", "fork server").replace("_", " ")
    return f"child {pid}"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


class TreeMemory:
    """Peak memory of this process and its children together (the pipeline's worker
    processes count), sampled a few times a second: the proportional set sizes summed
    (``peak_mb``) and, for comparison, the resident sizes summed (``peak_rss_mb``, which
    counts the libraries every process maps once per process).

    Sampled with it: the CPU time each process of the tree used (``cpu_seconds``, the
    last sample of each: a process that ended counts up to one interval short), the
    machine's load average (``loads``), to tell how much other work shared the cores,
    and each process's proportional size at the tree's peak (``at_peak``, by role: the
    collecting process, the workers' fork server, each worker), to tell whose it is.
    With ``stored`` (how many articles are stored so far), the collecting process's size
    is sampled against it (``growth``), to tell how much each stored article adds."""

    def __init__(self, interval: float = 0.2, stored: Callable[[], int] | None = None):
        self.interval = interval
        self.stored = stored
        self.growth: list[tuple[int, int]] = []
        self.peak_kb = 0
        self.peak_rss_kb = 0
        self.at_peak: dict[str, int] = {}
        self.cpu: dict[int, float] = {}
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            pids, total, resident = [(os.getpid(), "")], 0, 0
            sizes: dict[str, int] = {}
            while pids:
                pid, parent = pids.pop()
                pss, rss = _memory_kb(pid)
                total, resident = total + pss, resident + rss
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))
                role = _role(pid, parent, sizes)
                sizes[role] = pss
                pids += [(child, role) for child in _children(pid)]
            if total > self.peak_kb:
                self.at_peak = sizes
            if self.stored is not None:
                self.growth.append((self.stored(), sizes.get("collecting", 0)))
            self.peak_kb = max(self.peak_kb, total)
            self.peak_rss_kb = max(self.peak_rss_kb, resident)
            self.loads.append(load_average())

    def cpu_seconds(self) -> float:
        """CPU seconds of the whole tree (this process exactly, the others as sampled)."""
        here = os.getpid()
        own = resource.getrusage(resource.RUSAGE_SELF)
        others = sum(seconds for pid, seconds in self.cpu.items() if pid != here)
        return own.ru_utime + own.ru_stime + others

    def kb_per_article(self) -> float:
        """The collecting process's growth per stored article: the least-squares slope
        of its proportional size against the articles stored, from a tenth of them on
        (the start loads modules and fills caches)."""
        if not self.growth:
            return 0.0
        last = self.growth[-1][0]
        points = [(n, kb) for n, kb in self.growth if n >= last / 10]
        if len(points) < 2:
            return 0.0
        mean_n = sum(n for n, _ in points) / len(points)
        mean_kb = sum(kb for _, kb in points) / len(points)
        spread = sum((n - mean_n) ** 2 for n, _ in points)
        if not spread:
            return 0.0
        return sum((n - mean_n) * (kb - mean_kb) for n, kb in points) / spread

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_kb / 1024


# -- jianbao --------------------------------------------------------------------------


def run_jianbao(sources: list[tuple[str, str, str]], out: Any) -> None:
    from jianbao.config import Settings
    from jianbao.db import store
    from jianbao.db.session import Database
    from jianbao.pipeline import Pipeline
    from jianbao.prepare import worker_count
    from jianbao.records import SourceSpec

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), ssrf_allowlist=["127.0.0.0/8"])
        db = Database.from_settings(settings)
        with db.session() as session:
            for name, url, kind in sources:
                store.add_source(session, SourceSpec(name=name, url=url, kind=cast(Any, kind)))
        stored = [0]

        def progress(event: str, _detail: str) -> None:
            if event == "article":
                stored[0] += 1

        pipeline = Pipeline(settings, db, progress)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        with TreeMemory(stored=lambda: stored[0]) as memory:
            started = time.perf_counter()
            first = asyncio.run(pipeline.run_cycle())
            first_s = time.perf_counter() - started
            cycle_cpu = memory.cpu_seconds() - cpu_before.ru_utime - cpu_before.ru_stime
        started = time.perf_counter()
        second = asyncio.run(pipeline.run_cycle())
        second_s = time.perf_counter() - started
        db.close()
    out.send(
        {
            "stored": first.articles_new,
            "seconds": first_s,
            "errors": len(first.errors),
            "first_errors": first.errors[:3],
            "same_content": first.same_content,
            "second_seconds": second_s,
            "second_new": second.articles_new,
            "second_not_modified": second.not_modified,
            "peak_mb": memory.peak_mb,
            "at_peak_mb": {role: kb / 1024 for role, kb in memory.at_peak.items()},
            "kb_per_article": memory.kb_per_article(),
            "peak_rss_mb": max(memory.peak_rss_mb, max_rss_mb()),
            "main_peak_mb": max_rss_mb(),
            "workers": worker_count(settings.pipeline_workers),
            "stage_ms": first.cpu.per_article_ms(),
            "stage_articles": first.cpu.articles,
            "cpu_seconds": cycle_cpu,
            "load": memory.loads,
            # how often the event stage's windows were read again from the store (its
            # revision moved by other writes than the cycle's articles: each source's visit)
            "event_reloads": pipeline.events.reloads,
        }
    )


def run_fetch_only(sources: list[tuple[str, str, str]], out: Any) -> None:
    """The collect stage alone: fetch every source and every article page, no extraction."""
    from jianbao.collect.discover import discover_links
    from jianbao.collect.fetcher import Fetcher
    from jianbao.config import Settings
    from jianbao.records import SourceSpec

    settings = Settings(ssrf_allowlist=["127.0.0.0/8"])
    specs = [SourceSpec(name=n, url=u, kind=cast(Any, k)) for n, u, k in sources]

    async def go() -> tuple[int, int]:
        async with Fetcher(settings) as fetcher:

            async def one(spec: SourceSpec) -> int:
                page = await fetcher.fetch(spec.url)
                links = discover_links(spec, page)
                pages = await asyncio.gather(*(fetcher.fetch(link.url) for link in links))
                return len(pages)

            done = await asyncio.gather(*(one(spec) for spec in specs), return_exceptions=True)
            return sum(d for d in done if isinstance(d, int)), fetcher.requests_sent

    started = time.perf_counter()
    pages, requests = asyncio.run(go())
    seconds = time.perf_counter() - started
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    out.send(
        {
            "pages": pages,
            "requests": requests,
            "seconds": seconds,
            "cpu_seconds": cpu.ru_utime + cpu.ru_stime,
            "peak_mb": max_rss_mb(),
        }
    )


# -- the naive baseline ---------------------------------------------------------------


def run_baseline(sources: list[tuple[str, str, str]], out: Any) -> None:
    import feedparser
    import trafilatura

    from jianbao.collect.listing import find_article_links

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "baseline.db")
        db.execute("create table article (url text primary key, title text, body text)")
        stored = errors = 0
        started = time.perf_counter()
        for _name, url, kind in sources:
            try:
                with urllib.request.urlopen(url, timeout=20) as response:
                    page = response.read()
            except OSError:
                errors += 1
                continue
            if kind == "feed":
                links = [entry.link for entry in feedparser.parse(page).entries]
            else:
                html = page.decode("utf-8", errors="replace")
                links = [link.url for link in find_article_links(html, url)]
            for link in links:
                try:
                    with urllib.request.urlopen(link, timeout=20) as response:
                        html = response.read().decode("utf-8", errors="replace")
                except OSError:
                    errors += 1
                    continue
                text = trafilatura.extract(html, url=link) or ""
                title = (trafilatura.extract_metadata(html).title or "") if html else ""
                db.execute("insert or ignore into article values (?, ?, ?)", (link, title, text))
                db.commit()
                stored += 1
        seconds = time.perf_counter() - started
        db.close()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    out.send(
        {
            "stored": stored,
            "seconds": seconds,
            "errors": errors,
            "peak_mb": max_rss_mb(),
            "cpu_seconds": cpu.ru_utime + cpu.ru_stime,
        }
    )


_SKIPPED: dict[str, Any] = {
    "stored": 0,
    "seconds": 0.0,
    "errors": 0,
    "first_errors": [],
    "same_content": 0,
    "second_seconds": 0.0,
    "second_new": 0,
    "second_not_modified": 0,
    "peak_mb": 0.0,
    "at_peak_mb": {},
    "kb_per_article": 0.0,
    "peak_rss_mb": 0.0,
    "main_peak_mb": 0.0,
    "workers": 0,
    "stage_ms": {},
    "stage_articles": 0,
    "cpu_seconds": 0.0,
    "load": [],
    "event_reloads": 0,
}


def world_of(args: argparse.Namespace) -> World:
    """The world the command line asks for (``scale.py`` takes the same options)."""
    return World(
        args.sources,
        args.articles,
        min(args.hosts, args.sources),
        args.min_latency,
        args.max_latency,
    )


def in_process(target: Any, *args: Any) -> dict[str, Any]:
    receive, send = mp.Pipe(duplex=False)
    process = mp.Process(target=target, args=(*args, send))
    process.start()
    while not receive.poll(1.0):
        if not process.is_alive():
            raise SystemExit(f"{target.__name__} failed (exit code {process.exitcode}); see above")
    result = receive.recv()
    process.join()
    return dict(result)


def _print_pipeline(ours: dict[str, Any], rate: float, second_share: float) -> None:
    print(
        f"jianbao:  {ours['stored']} articles stored in {ours['seconds']:.1f} s = {rate:.1f}/s, "
        f"peak {ours['peak_mb']:.0f} MB with its {ours['workers']} workers (proportional "
        f"set sizes; resident sizes summed {ours['peak_rss_mb']:.0f} MB; the collecting "
        f"process alone {ours['main_peak_mb']:.0f} MB resident), "
        f"errors {ours['errors']}, same content {ours['same_content']}"
    )
    if ours["at_peak_mb"]:
        parts = ", ".join(f"{role} {mb:.0f}" for role, mb in ours["at_peak_mb"].items())
        print(f"  at the peak, by process (proportional set sizes, MB): {parts}")
        print(
            f"  the collecting process grew {ours['kb_per_article']:.2f} KB per stored article "
            "(slope from a tenth of the articles on)"
        )
    if ours["first_errors"]:
        print("  first errors:", *ours["first_errors"], sep="\n    ")
    print(
        f"  second cycle (unchanged sources): {ours['second_seconds']:.2f} s = {second_share:.1%} of the first, "
        f"{ours['second_not_modified']} sources not modified, {ours['second_new']} new"
    )
    _print_stages(ours)


def _print_stages(ours: dict[str, Any]) -> None:
    """CPU milliseconds per article by stage, and what the rest of the tree spent."""
    stages: dict[str, float] = ours["stage_ms"]
    articles = max(1, ours["stage_articles"])
    timed = sum(stages.values())
    tree = ours["cpu_seconds"] * 1000 / articles
    print(f"  CPU per article prepared ({ours['stage_articles']} articles), by stage:")
    for stage, ms in stages.items():
        print(f"    {stage:<13} {ms:7.2f} ms")
    print(f"    {'stages':<13} {timed:7.2f} ms")
    print(
        f"    {'all else':<13} {tree - timed:7.2f} ms (fetching, feeds and listings, the event "
        "loop, sending pages to the workers and back, the workers' start)"
    )
    print(
        f"    {'whole cycle':<13} {tree:7.2f} ms (every process of the cycle: {ours['cpu_seconds']:.1f} s)"
    )
    print(
        f"  event stage: windows kept in memory, read again from the store "
        f"{ours['event_reloads']} times (after writes other than the cycle's articles)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--hosts", type=int, default=250)
    parser.add_argument("--min-latency", type=float, default=0.1)
    parser.add_argument("--max-latency", type=float, default=0.6)
    parser.add_argument("--baseline-sources", type=int, default=10)
    parser.add_argument(
        "--skip-pipeline",
        action="store_true",
        help="measure the collect stage and the baseline only (the full pipeline is slow)",
    )
    args = parser.parse_args()
    world = world_of(args)

    mp.set_start_method("spawn")
    load_start = load_average()
    ready_recv, ready_send = mp.Pipe(duplex=False)
    stop = mp.Event()
    server = mp.Process(target=serve, args=(world, ready_send, stop), daemon=True)
    server.start()
    ports = ready_recv.recv()
    sources = source_urls(world, ports)
    print(
        f"world: {world.sources} sources ({world.sources // 2} feeds, {world.sources - world.sources // 2} "
        f"listing pages) on {world.hosts} hosts, {world.articles} articles, "
        f"latency {world.min_latency}-{world.max_latency} s"
    )
    try:
        fetch_only = in_process(run_fetch_only, sources)
        ours = _SKIPPED if args.skip_pipeline else in_process(run_jianbao, sources)
        # the baseline takes feeds and listing pages alike, from the start of the list
        base = in_process(run_baseline, sources[: args.baseline_sources])
    finally:
        stop.set()
        server.join(timeout=5)
    load_end = load_average()
    ours_rate = ours["stored"] / ours["seconds"] if ours["seconds"] else 0.0
    base_rate = base["stored"] / base["seconds"] if base["seconds"] else 0.0
    ratio = ours_rate / base_rate if base_rate else 0.0
    second_share = ours["second_seconds"] / ours["seconds"] if ours["seconds"] else 0.0
    if args.skip_pipeline:
        print("jianbao pipeline: skipped (--skip-pipeline)")
    else:
        _print_pipeline(ours, ours_rate, second_share)
    base_cpu_ms = base["cpu_seconds"] * 1000 / max(1, base["stored"])
    print(
        f"baseline: {base['stored']} articles from {args.baseline_sources} sources in {base['seconds']:.1f} s "
        f"= {base_rate:.2f}/s, peak {base['peak_mb']:.0f} MB, errors {base['errors']}, "
        f"CPU {base_cpu_ms:.1f} ms per article"
    )
    fetch_rate = fetch_only["pages"] / fetch_only["seconds"] if fetch_only["seconds"] else 0.0
    print(
        f"collect stage alone (fetch + discover, no extraction): {fetch_only['pages']} article pages, "
        f"{fetch_only['requests']} requests in {fetch_only['seconds']:.1f} s = {fetch_rate:.1f} pages/s, "
        f"CPU {fetch_only['cpu_seconds']:.1f} s, peak {fetch_only['peak_mb']:.0f} MB"
    )
    fetch_ratio = fetch_rate / base_rate if base_rate else 0.0
    print(f"collect stage alone: {fetch_ratio:.1f}× the baseline's articles per second")
    if not args.skip_pipeline:
        print(
            f"throughput: {ratio:.1f}× the baseline (target ≥ 25×); "
            f"peak {ours['peak_mb']:.0f} MB (target < 500)"
        )
    loads = ours["load"]
    load_mean = sum(loads) / len(loads) if loads else 0.0
    print(
        f"machine load (1-minute average, {os.cpu_count()} cores): {load_start:.2f} at the start, "
        f"{load_mean:.2f} on average during the pipeline's first cycle, {load_end:.2f} at the end"
    )
    print(
        json.dumps(
            {
                "benchmark": "collect",
                "sources": world.sources,
                "articles": world.articles,
                "hosts": world.hosts,
                "latency_s": [world.min_latency, world.max_latency],
                "jianbao_articles_per_s": round(ours_rate, 2),
                "jianbao_stored": ours["stored"],
                "jianbao_seconds": round(ours["seconds"], 2),
                "jianbao_peak_mb": round(ours["peak_mb"], 1),
                "jianbao_at_peak_mb": {k: round(v, 1) for k, v in ours["at_peak_mb"].items()},
                "jianbao_kb_per_article": round(ours["kb_per_article"], 2),
                "jianbao_peak_rss_sum_mb": round(ours["peak_rss_mb"], 1),
                "jianbao_main_peak_mb": round(ours["main_peak_mb"], 1),
                "jianbao_workers": ours["workers"],
                "jianbao_errors": ours["errors"],
                "second_cycle_seconds": round(ours["second_seconds"], 2),
                "second_cycle_share": round(second_share, 4),
                "baseline_articles_per_s": round(base_rate, 3),
                "baseline_stored": base["stored"],
                "baseline_peak_mb": round(base["peak_mb"], 1),
                "speedup": round(ratio, 2),
                "fetch_only_pages_per_s": round(fetch_rate, 2),
                "fetch_only_speedup": round(fetch_ratio, 2),
                "fetch_only_seconds": round(fetch_only["seconds"], 2),
                "fetch_only_cpu_seconds": round(fetch_only["cpu_seconds"], 2),
                "fetch_only_peak_mb": round(fetch_only["peak_mb"], 1),
                "jianbao_cpu_ms_per_article": round(
                    ours["cpu_seconds"] * 1000 / max(1, ours["stage_articles"]), 2
                ),
                "jianbao_stage_cpu_ms": {k: round(v, 3) for k, v in ours["stage_ms"].items()},
                "event_window_reloads": ours["event_reloads"],
                "baseline_cpu_ms_per_article": round(base_cpu_ms, 2),
                "load_start": load_start,
                "load_during": round(load_mean, 2),
                "load_end": load_end,
                "cores": os.cpu_count(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
