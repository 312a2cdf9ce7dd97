"""Preparing pages on worker processes gives what preparing them in the collecting
process gives; the pool starts only for a big cycle and holds requests back when behind."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jianbao.config import DEFAULT_TOPIC
from jianbao.judge.topic import parse_topic
from jianbao.prepare import Judging, Prepared, Preparer, prepare_article, worker_count
from jianbao.records import Link
from pipeline_site import ARTICLES, REPUBLISHED, article_page

BASE = "http://news.example.cn"


@pytest.fixture(scope="module")
def judging() -> Judging:
    return Judging(parse_topic(DEFAULT_TOPIC), 120)


def pages() -> list[tuple[bytes, str, Link]]:
    found = []
    for path, (title, when, source, paragraphs) in ARTICLES.items():
        found.append(
            (article_page(title, when, source, paragraphs), BASE + path, Link(BASE + path))
        )
    path, title, when, source, paragraphs = REPUBLISHED
    found.append((article_page(title, when, source, paragraphs), BASE + path, Link(BASE + path)))
    feed_only = Link(
        BASE + "/feed-only.html",
        title="东川上线互联网医院",
        content_html="<p>东川省人民医院互联网医院今日上线，患者可在线复诊、处方流转。</p>",
    )
    found.append((b"", feed_only.url, feed_only))
    return found


def fields(prepared: Prepared) -> tuple[object, ...]:
    article = prepared.article
    return (
        article.title,
        article.body,
        article.published_at,
        article.source_name,
        article.canonical_url,
        prepared.judgement,
        prepared.signature,
        prepared.source_id,
        prepared.event_facts,
    )


HEADERS = {"content-type": "text/html; charset=utf-8"}


def body_of(body: bytes, link: Link) -> bytes:
    """What the pipeline prepares: the page, or the feed's full text when it has one."""
    return link.content_html.encode() if link.content_html else body


def prepare_all(preparer: Preparer, items: list[tuple[bytes, str, Link]]) -> list[Prepared]:
    async def run() -> list[Prepared]:
        preparer.expect(len(items))
        return list(
            await asyncio.gather(
                *(
                    preparer.prepare(
                        body_of(body, link),
                        url,
                        HEADERS,
                        link,
                        7,
                        from_feed=bool(link.content_html),
                    )
                    for body, url, link in items
                )
            )
        )

    return asyncio.run(run())


def test_workers_prepare_what_the_collecting_process_prepares(judging) -> None:
    items = pages()
    with Preparer(judging, workers=2, pool_after=0) as preparer:
        pooled = prepare_all(preparer, items)
        assert preparer.pooled
    alone = [
        prepare_article(
            judging, body_of(body, link), url, HEADERS, link, 7, from_feed=bool(link.content_html)
        )
        for body, url, link in items
    ]
    assert [fields(p) for p in pooled] == [fields(p) for p in alone]
    relevant = {p.article.title: p.judgement.relevant for p in pooled}
    assert relevant["东川省电子病历系统应用水平分级评价工作全面启动"] is True
    assert relevant["东川国际马拉松赛周末鸣枪 三万名选手参赛"] is False
    assert pooled[-1].article.canonical_url == BASE + "/feed-only.html"


def test_a_small_cycle_stays_in_the_collecting_process(judging) -> None:
    with Preparer(judging, workers=2, pool_after=32) as preparer:
        prepared = prepare_all(preparer, pages())
        assert not preparer.pooled
    assert len(prepared) == len(pages())
    with Preparer(judging, workers=1, pool_after=0) as preparer:
        prepare_all(preparer, pages())
        assert not preparer.pooled


def test_room_waits_while_the_workers_are_behind(judging) -> None:
    body, url, link = pages()[0]

    async def run() -> None:
        with Preparer(judging, workers=2, pool_after=0) as preparer:
            preparer.backlog = 1
            preparer.expect(100)
            first = asyncio.create_task(preparer.prepare(body, url, None, link, None))
            await asyncio.sleep(0)  # the page is now with a worker (which is still starting)
            admitted = asyncio.create_task(preparer.room())
            for _ in range(3):  # a few turns of the loop: far less than a worker's answer
                await asyncio.sleep(0)
            assert preparer._pending == 1
            assert not admitted.done(), "a request went out while the backlog was full"
            prepared = await first
            await asyncio.wait_for(admitted, 5)
            assert prepared.article.title == ARTICLES[next(iter(ARTICLES))][0]
            await asyncio.wait_for(preparer.room(), 1)  # nothing pending: no wait

    asyncio.run(run())


def test_worker_count_zero_means_one_per_core() -> None:
    assert worker_count(3) == 3
    assert worker_count(0) >= 1


def test_the_collecting_process_loads_no_learning_library_without_a_model(tmp_path) -> None:
    """Finding out that no model was trained must not import scikit-learn (80 MB that a
    big cycle's collecting process would carry for nothing)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from jianbao.db.session import Database\n"
        "from jianbao.pipeline import Pipeline\n"
        "from jianbao.testing import make_settings\n"
        f"settings = make_settings(Path({str(tmp_path)!r}))\n"
        "pipeline = Pipeline(settings, Database.from_settings(settings))\n"
        "assert pipeline.models is None\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


OWNER = """
import asyncio, time
from jianbao.config import DEFAULT_TOPIC
from jianbao.judge.topic import parse_topic
from jianbao.prepare import Judging, Preparer
from jianbao.records import Link

preparer = Preparer(Judging(parse_topic(DEFAULT_TOPIC), 120), workers=2, pool_after=0)
preparer.expect(4)
text = "".join(f"<p>第{n}段：东川省人民医院互联网医院今日上线，患者可在线复诊、处方流转到药店。</p>" for n in range(5))
page = f"<html><body><h1>东川上线互联网医院</h1>{text}</body></html>".encode()
async def both():
    urls = [f"http://a.example/{n}.html" for n in range(4)]
    await asyncio.gather(*(preparer.prepare(page, u, None, Link(u), None) for u in urls))
asyncio.run(both())
workers = list(preparer._pool._processes)
print(" ".join(map(str, workers)), flush=True)
time.sleep(120)
"""


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state, parent, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _running(pid: int) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] not in ("Z", "X")


def test_workers_exit_when_the_collecting_process_is_killed() -> None:
    """kill -9 of a collection leaves no worker (nor fork server) waiting forever."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        workers = [int(pid) for pid in owner.stdout.readline().split()]
        assert len(workers) == 2 and all(_running(pid) for pid in workers)
        parents = {int(_stat(pid)[1]) for pid in workers}
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_running(p) for p in [*workers, *parents]):
        time.sleep(0.2)
    assert not [p for p in [*workers, *parents] if _running(p)], "orphans left behind"


def test_a_wechat_article_is_keyed_by_the_long_link_it_names(judging) -> None:
    """Fetched as a short /s/ link from mp.weixin.qq.com, the page names its long form
    (og:url): that is its key, so the short and the long link are one article."""
    page = (Path(__file__).parent / "extract" / "fixtures" / "wechat.html").read_bytes()
    short = "https://mp.weixin.qq.com/s/AbCdEf123"
    headers = {"content-type": "text/html; charset=utf-8"}
    prepared = prepare_article(judging, page, short, headers, Link(short), None)
    assert prepared.article.canonical_url == (
        "https://mp.weixin.qq.com/s?__biz=MzA5&idx=1&mid=2650&sn=abc"
    )
