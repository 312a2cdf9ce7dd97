"""Benchmark: the workstation under load, with 100,000 articles (SQLite) or 1,000,000
(PostgreSQL) in the store.

SQLite (the default): a synthetic store (articles over a year, a third relevant, one in
ten republished by two or three outlets, every article in the search index) is built once
and cached. PostgreSQL (``--postgres [URL]``, issue 19): the store of
``benchmarks/bigstore.py`` (1,000,000 articles over four years by default, built once into
its own database, ``jianbao_bench``).

The app runs in its own process (uvicorn, ``--workers`` processes, default one); this
process plays 20 concurrent signed-in clients (aiohttp) against each page for a fixed time
and reports p50, p95, p99, requests per second and the server's CPU time per request
(read from /proc: on a shared machine the latencies follow the load, the CPU time much
less). The baseline, measured in the same run,
is the sign-in page (no database work): the cost of the framework, templates and
middleware alone. The target (issues 7 and 19) is p95 under 150 ms for the candidates page
and for a search.

Pages: the candidates of the newest week for each publication (the daily's list reaches
its policy scope) and of past weeks; searches for common words, for rare ones (picked from
the store at run time: words of a few hundred articles or fewer) and for two words.
``--cold`` switches off the workstation's per-revision cache of lists, so every request
computes its list: the worst case, as when collection changes the store between requests.

    .venv/bin/python benchmarks/web.py [--articles 100000] [--clients 20] [--seconds 8] [--workers 1]
    .venv/bin/python benchmarks/web.py --postgres [--articles 1000000] [--cold]

Prints the figures and ends with one JSON line; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import quote

import aiohttp
import bigstore
from sqlalchemy import Connection, insert, text

from jianbao.accounts import add_user
from jianbao.archive.search import index_tokens, search_tokens
from jianbao.db.models import Article, Source, Story
from jianbao.db.session import Database, make_engine
from jianbao.records import SHANGHAI
from jianbao.testing import make_settings

TARGET_P95_MS = 150.0
END = date(2026, 11, 20)
PASSWORD = "bench-password-1"
CACHE = Path(tempfile.gettempdir()) / "jianbao-bench-web"

INFORMATICS = [
    "省卫生健康委召开全民健康信息平台建设推进会，部署电子病历系统应用水平分级评价工作",
    "市医保局上线医保信息平台移动支付功能，参保群众可在互联网医院直接结算",
    "多家三甲医院部署AI辅助诊断系统，影像科阅片时间明显缩短",
    "区域卫生信息化项目通过验收，实现医疗机构间检查检验结果互联互通",
    "智慧医院建设评估标准发布，推动医院信息系统数据安全与等级保护",
    "远程医疗服务网络覆盖全部县级医院，基层患者可在家门口看专家",
    "电子健康卡与医保电子凭证实现一码通用，就医流程进一步简化",
    "卫生健康大数据中心完成数据治理，支撑公共卫生监测预警",
]
GENERAL = [
    "秋冬季流感疫苗接种工作全面启动，重点人群免费接种",
    "市疾控中心提醒市民注意饮食卫生，预防诺如病毒感染",
    "全市开展爱国卫生运动，城乡环境卫生整治取得成效",
    "中医药文化进校园活动举办，学生体验传统中医诊疗",
    "新建社区卫生服务中心投入使用，方便周边居民就医",
]
OTHER = [
    "本市举办金秋马拉松比赛，两万名跑者参赛",
    "新能源汽车销量持续增长，充电设施建设加快",
    "地铁新线开通运营，沿线居民出行更加便利",
    "博物馆推出特展，展出文物三百余件",
]
OUTLETS = [
    "澜海新闻网",
    "青禾网",
    "南岭在线",
    "医信观察网",
    "云州日报",
    "东川省卫生健康委员会",
    "国家健康事务局",
    "健康时报网",
    "科技前沿网",
    "北方晨报",
]
CATEGORIES = ["政策文件", "地方实践", "技术应用", "行业动态", "观点研究", "其他"]


def build_store(path: Path, count: int, seed: int = 7) -> None:
    """A store of ``count`` synthetic articles over the year ending at END, indexed."""
    rng = random.Random(seed)
    settings = make_settings(path.parent, database_url=f"sqlite:///{path}")
    db = Database.from_settings(settings)
    with db.session() as s:
        add_user(s, "bench", PASSWORD, "editor")
        s.execute(
            insert(Source),
            [
                {"name": n, "url": f"https://example.org/{i}/rss", "kind": "feed"}
                for i, n in enumerate(OUTLETS)
            ],
        )
    start = datetime.combine(END - timedelta(days=364), dtime(6, 0), SHANGHAI)
    batch: list[dict[str, object]] = []
    fts: list[dict[str, object]] = []
    next_id = 1
    story_id = 0
    with db.engine.begin() as conn:
        while next_id <= count:
            kind = rng.random()
            pool = INFORMATICS if kind < 0.35 else GENERAL if kind < 0.7 else OTHER
            lead = rng.choice(pool)
            relevant = pool is INFORMATICS
            when = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
            copies = 1
            if relevant and rng.random() < 0.1:
                copies = rng.choice((2, 3))
                story_id += 1
                conn.execute(
                    insert(Story).values(id=story_id, representative_id=next_id, size=copies)
                )
            for copy in range(min(copies, count - next_id + 1)):
                paragraphs = [lead + f"（第{next_id}号）。"] + [
                    rng.choice(INFORMATICS + GENERAL + OTHER) + "。" for _ in range(8)
                ]
                body = "\n".join(paragraphs)
                title = lead[:28] + ("" if copy == 0 else "（转载）")
                batch.append(
                    {
                        "id": next_id,
                        "url": f"https://news{copy}.example.org/{next_id}.html",
                        "canonical_url": f"https://news{copy}.example.org/{next_id}.html",
                        "content_hash": f"{next_id:064x}",
                        "title": title,
                        "body": body,
                        "published_at": when + timedelta(hours=copy),
                        "source_name": OUTLETS[(next_id + copy) % len(OUTLETS)],
                        "source_id": (next_id + copy) % len(OUTLETS) + 1,
                        "story_id": story_id if copies > 1 else None,
                        "relevant": relevant,
                        "score": round(
                            rng.uniform(0.6, 1.0) if relevant else rng.uniform(0, 0.4), 3
                        ),
                        "matched_terms": ["电子病历", "互联网医院"] if relevant else [],
                        "category": rng.choice(CATEGORIES),
                        "summary": lead + "。",
                        "language": "zh",
                        "extracted_at": datetime.now(UTC),
                    }
                )
                fts.append({"id": next_id, "tokens": index_tokens(title, body)})
                next_id += 1
            if len(batch) >= 5000:
                conn.execute(insert(Article), batch)
                conn.execute(
                    text("INSERT INTO article_fts (rowid, tokens) VALUES (:id, :tokens)"), fts
                )
                batch, fts = [], []
        if batch:
            conn.execute(insert(Article), batch)
            conn.execute(text("INSERT INTO article_fts (rowid, tokens) VALUES (:id, :tokens)"), fts)
    db.close()


def store_path(count: int) -> Path:
    path = CACHE / f"articles-{count}-titlemarks" / "jianbao.db"  # index with title marks
    ready = path.with_suffix(".ready")
    if not ready.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("jianbao.db*"):
            old.unlink()
        started = time.perf_counter()
        print(f"building a store of {count} articles (cached in {path.parent}) …", flush=True)
        build_store(path, count)
        ready.write_text("ok")
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


#: the app as the benchmark serves it: the workstation, with the list cache switched off
#: when JIANBAO_BENCH_COLD is set (a module, so several uvicorn workers can import it)
SERVER = """
import os

from jianbao.config import Settings
from jianbao.web.app import create_app
from jianbao.web.cache import RevisionCache


def app():
    made = create_app(Settings.model_validate_json(os.environ["JIANBAO_BENCH_SETTINGS"]))
    if os.environ.get("JIANBAO_BENCH_COLD"):
        made.state.cache = RevisionCache(size=0)
    return made
"""
RUN = """
import sys
import uvicorn
uvicorn.run("benchserver:app", factory=True, app_dir=sys.argv[1], host="127.0.0.1",
            port=int(sys.argv[2]), workers=int(sys.argv[3]), log_level="warning")
"""


def start_server(
    folder: Path, database_url: str, port: int, workers: int, cold: bool
) -> subprocess.Popen[bytes]:
    (folder / "benchserver.py").write_text(SERVER, encoding="utf-8")
    settings = make_settings(folder, database_url=database_url)
    env = dict(os.environ, JIANBAO_BENCH_SETTINGS=settings.model_dump_json())
    if cold:
        env["JIANBAO_BENCH_COLD"] = "1"
    return subprocess.Popen(
        [sys.executable, "-c", RUN, str(folder), str(port), str(workers)], env=env
    )


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (uvicorn's workers), from
    /proc: the server's own cost per request, which the machine's load hardly changes
    (the latencies it changes a lot: the benchmark shares the machine)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    for each in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_up(base: str) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(base + "/login") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            await asyncio.sleep(0.2)


async def sign_in(http: aiohttp.ClientSession, base: str) -> None:
    async with http.get(base + "/login") as response:
        page = await response.text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    data = {"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)}
    async with http.post(base + "/login", data=data, allow_redirects=False) as response:
        assert response.status == 303, await response.text()


async def load(
    base: str,
    paths: list[str],
    clients: int,
    seconds: float,
    cpu: Callable[[], float] | None = None,
) -> dict[str, float]:
    """``clients`` concurrent clients requesting ``paths`` in turn for ``seconds``;
    ``cpu``: the server's CPU seconds so far, read after the warm-up and at the end."""
    latencies: list[float] = []
    errors = 0
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector) as http:
        await sign_in(http, base)
        for path in paths:  # warm-up
            async with http.get(base + path) as response:
                await response.read()
        used = cpu() if cpu else 0.0
        stop = time.monotonic() + seconds

        async def client(n: int) -> None:
            nonlocal errors
            i = n
            while time.monotonic() < stop:
                path = paths[i % len(paths)]
                i += 1
                started = time.perf_counter()
                async with http.get(base + path) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
                latencies.append((time.perf_counter() - started) * 1000)

        began = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(clients)))
        elapsed = time.monotonic() - began
        used = (cpu() - used) if cpu else 0.0
    latencies.sort()
    return {
        "server_cpu_ms": round(used / len(latencies) * 1000, 2),
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[math.ceil(len(latencies) * 0.95) - 1], 1),
        "p99_ms": round(latencies[math.ceil(len(latencies) * 0.99) - 1], 1),
        "rps": round(len(latencies) / elapsed, 1),
    }


#: words an editor of health informatics searches for every day (each is checked to be
#: common in the store, and how common is printed)
COMMON_TERMS = ["医保", "互联网医院", "电子病历", "医院", "疫情"]
#: a rare word: in at most this many articles
RARE_AT_MOST = 300


def _matches(conn: Connection, postgres: bool, term: str, cap: int) -> int:
    """How many articles the index finds for ``term`` (counted up to ``cap``)."""
    tokens = " ".join(dict.fromkeys(search_tokens(term)))
    if postgres:
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM article_search "
            "WHERE tokens @@ plainto_tsquery('simple', :q) LIMIT :cap) AS found"
        )
    else:
        tokens = " AND ".join('"' + t + '"' for t in tokens.split())
        sql = (
            "SELECT count(*) FROM (SELECT rowid FROM article_fts "
            "WHERE article_fts MATCH :q LIMIT :cap) AS found"
        )
    return int(conn.execute(text(sql), {"q": tokens, "cap": cap}).scalar() or 0)


def pick_terms(database_url: str, seed: int = 19) -> dict[str, list[tuple[str, int]]]:
    """Search words with the number of articles holding them: the common words above,
    rare ones sampled from random articles' headlines, and pairs of one of each."""
    rng = random.Random(seed)
    postgres = not database_url.startswith("sqlite")
    engine = make_engine(database_url)
    common: list[tuple[str, int]] = []
    rare: list[tuple[str, int]] = []
    with engine.connect() as conn:
        for term in COMMON_TERMS:
            common.append((term, _matches(conn, postgres, term, 1_000_000)))
        top = int(conn.execute(text("SELECT max(id) FROM articles")).scalar() or 0)
        tried: set[str] = set()
        for _ in range(300):  # headlines sampled (a store of few headlines may have no rare word)
            if len(rare) >= 12:
                break
            title = conn.execute(
                text("SELECT title FROM articles WHERE id = :id"), {"id": rng.randint(1, top)}
            ).scalar()
            for word in search_tokens(title or ""):
                if len(word) < 2 or word in tried or not re.search(r"[\u4e00-\u9fff]", word):
                    continue
                tried.add(word)
                found = _matches(conn, postgres, word, RARE_AT_MOST + 1)
                if 0 < found <= RARE_AT_MOST:
                    rare.append((word, found))
                    break
    engine.dispose()
    pairs = [(f"{common[i % len(common)][0]} {word}", n) for i, (word, n) in enumerate(rare[:6])]
    return {"common": common, "rare": rare, "pair": pairs}


def page_paths(
    end: date, terms: dict[str, list[tuple[str, int]]], drafts: dict[str, int], seed: int = 19
) -> dict[str, list[str]]:
    """The pages each load run asks for, by name; ``drafts``: publication key → its open
    draft, whose publication's candidate scopes the list reaches."""
    rng = random.Random(seed)
    week = f"start={(end - timedelta(days=6)).isoformat()}&end={end.isoformat()}"
    past = []
    for _ in range(12):
        last = end - timedelta(days=rng.randint(7, 3 * 365))
        past.append(f"/candidates?start={(last - timedelta(days=6)).isoformat()}&end={last}")
    month = f"start={(end - timedelta(days=29)).isoformat()}&end={end.isoformat()}"

    def search(kind: str) -> list[str]:
        return ["/archive?q=" + quote(term) for term, _n in terms[kind]]

    return {
        "baseline (sign-in page)": ["/login"],
        "candidates, newest week, each publication": [
            f"/candidates?{week}&issue={draft}" for _key, draft in sorted(drafts.items())
        ]
        or [f"/candidates?{week}"],
        "candidates, past weeks": past,
        "candidates, newest 30 days": [f"/candidates?{month}"],
        "search, common words": search("common"),
        "search, rare words": search("rare"),
        "search, two words": search("pair"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=None, help="100,000 on SQLite, 1,000,000 on PostgreSQL"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=bigstore.DEFAULT_URL,
        default=None,
        metavar="URL",
        help=f"the PostgreSQL store of benchmarks/bigstore.py (default {bigstore.DEFAULT_URL})",
    )
    parser.add_argument(
        "--cold", action="store_true", help="no list cache: every request computes its page"
    )
    parser.add_argument(
        "--only", default="", help="run only the pages whose name contains this text"
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run SQLite ANALYZE on a copy of the store first (shows the query-planner fix)",
    )
    args = parser.parse_args()
    if args.postgres:
        articles = args.articles or 1_000_000
        drafts = bigstore.ensure_store(args.postgres, articles)
        database_url, end = args.postgres, bigstore.END
    else:
        articles = args.articles or 100_000
        db = store_path(articles)
        # a kept store lacks the columns a migration filled in since added (as bigstore's)
        bigstore.catch_up_schema(f"sqlite:///{db}")
        if args.analyze:
            copy = db.parent.parent / f"analyzed-{articles}" / "jianbao.db"
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(db, copy)
            with sqlite3.connect(copy) as conn:
                conn.execute("ANALYZE")
            db = copy
        database_url, end, drafts = f"sqlite:///{db}", END, {}
    terms = pick_terms(database_url)
    for kind, found in terms.items():
        print(f"{kind} search words: " + ", ".join(f"{t} ({n:,})" for t, n in found), flush=True)
    pages = {
        name: paths
        for name, paths in page_paths(end, terms, drafts).items()
        if args.only in name or name.startswith("baseline")
    }
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="jianbao-bench-web-"))
    server = start_server(folder, database_url, port, args.workers, args.cold)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict[str, float]] = {}
    load_before = os.getloadavg()
    try:
        asyncio.run(wait_up(base))
        for name, paths in pages.items():
            results[name] = asyncio.run(
                load(base, paths, args.clients, args.seconds, lambda: cpu_seconds(server.pid))
            )
            r = results[name]
            print(
                f"{name:44} p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}  p99 {r['p99_ms']:7.1f} ms"
                f"  {r['rps']:7.1f} req/s  server CPU {r['server_cpu_ms']:6.2f} ms/request"
                f"  ({r['requests']} requests, {r['errors']} errors)",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    missed = [
        name
        for name, r in results.items()
        if not name.startswith("baseline") and (r["p95_ms"] > TARGET_P95_MS or r["errors"])
    ]
    print(
        json.dumps(
            {
                "store": "postgresql" if args.postgres else "sqlite",
                "articles": articles,
                "clients": args.clients,
                "workers": args.workers,
                "cold": args.cold,
                "load_average": [load_before, os.getloadavg()],
                "terms": terms,
                "results": results,
                "target_p95_ms": TARGET_P95_MS,
                "missed": missed,
            },
            ensure_ascii=False,
        )
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
