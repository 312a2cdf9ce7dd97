"""The jianbao command: the daily flow, clear errors, and a collection killed mid-run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.records import SHANGHAI
from jianbao.testing import LoopbackSite, Route
from pipeline_site import ARTICLES, POLICY_NAME, article_page, build_site, policy_pages


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "JIANBAO_DATA_DIR": str(tmp_path / "data"),
        "JIANBAO_SSRF_ALLOWLIST": '["127.0.0.0/8"]',
        "JIANBAO_PER_HOST_DELAY": "0",
        "JIANBAO_DATABASE_URL": "",
    }
    monkeypatch.chdir(tmp_path)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_daily_flow_from_sources_to_a_word_document(env, tmp_path: Path) -> None:
    with build_site() as site:
        run("init")
        run("sources", "add", "东川日报", site.url("/rss.xml"))
        run("sources", "add", "东川省卫健委", site.url("/gov/list.html"), "--kind", "listing")
        assert "东川日报" in run("sources", "list")
        out = run("collect")
        assert "新文章 3 篇" in out
    listed = run("candidates", "--from", "2026-11-14", "--to", "2026-11-20")
    assert "电子病历" in listed and "马拉松" not in listed
    assert "相关度" in listed
    in_english = (
        CliRunner()
        .invoke(
            app,
            ["candidates", "--from", "2026-11-14", "--to", "2026-11-20"],
            env={"JIANBAO_LANGUAGE": "en", "COLUMNS": "400"},
        )
        .output
    )
    assert "relevance (" in in_english and "相关度" not in in_english
    found = run("search", "马拉松")
    assert "东川国际马拉松赛" in found and "【马拉松】" in found
    created = run("issue", "new", "--kind", "weekly", "--date", "2026-11-20", "--number", "547")
    assert "（第五四七期）" in created and "1 条" in created
    assert "全国卫生信息化舆情监测周报" in run("issue", "show", "1")
    written = run("issue", "render", "1", "--format", "docx,md", "--out", str(tmp_path / "o"))
    docx_path = next(tmp_path.joinpath("o").glob("*.docx"))
    assert str(docx_path.name) in written.replace("\n", "")
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "（第五四七期）" in text and "本期导语" in text and "电子病历" in text
    run("sources", "remove", "东川日报")
    assert "东川日报" not in run("sources", "list")


def test_issue_items_can_be_added_moved_and_removed(env) -> None:
    with build_site() as site:
        run("init")
        run("sources", "add", "东川日报", site.url("/rss.xml"))
        run("collect")
    run("issue", "new", "--kind", "weekly", "--date", "2026-11-20", "--fill", "0")
    with sqlite3.connect(Path(env["JIANBAO_DATA_DIR"]) / "jianbao.db") as conn:
        ehr, marathon = (
            conn.execute("select id from articles where title like ?", (f"%{word}%",)).fetchone()[0]
            for word in ("电子病历", "马拉松")
        )
    run("issue", "add", "1", str(ehr))
    run("issue", "add", "1", str(marathon))
    run("issue", "move", "1", "2", "1")
    shown = run("issue", "show", "1")
    assert shown.index("马拉松") < shown.index("电子病历")
    assert "共收集2篇" in shown
    run(
        "issue",
        "edit",
        "1",
        "2",
        "--title",
        "东川电子病历评级启动",
        "--summary",
        "编辑改写的摘要。",
    )
    run("issue", "edit", "1", "2", "--category", "政策文件")
    edited = run("issue", "show", "1")
    assert (
        "东川电子病历评级启动" in edited
        and "电子病历系统应用水平分级评价工作全面启动" not in edited
    )
    assert edited.count("东川电子病历评级启动") == 2  # 目录 and 具体内容 agree
    run("issue", "remove", "1", "1")
    assert "共收集1篇" in run("issue", "show", "1")


def cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jianbao", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("sources", "add", "x", "ftp://example.com/"), "http"),
        (("issue", "new", "--date", "11月20日"), "YYYY-MM-DD"),
        (("issue", "show", "99"), "没有这一期"),
        (("issue", "new", "--kind", "yearly"), "没有这个刊物"),
    ],
)
def test_errors_are_one_clear_line(env, args: tuple[str, ...], expected: str) -> None:
    result = cli(*args, env=env)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("错误：")


def test_debug_shows_the_traceback(env) -> None:
    result = cli("--debug", "issue", "show", "99", env=env)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_a_collection_killed_mid_run_resumes_without_loss_or_repeats(env) -> None:
    total = 24
    site = LoopbackSite()
    items = []
    for i in range(total):
        path = f"/news/2026/11/{10 + i % 9:02d}/a{i}.html"
        paragraphs = [
            f"第{i}篇文章：某市互联网医院第{i}期建设项目完成验收，接入电子病历系统。",
            "项目覆盖全市二级以上医院。" * (i + 1),
        ]
        site.routes[path] = Route(
            article_page(f"互联网医院项目{i}号验收", "2026-11-16 09:00", "某市日报", paragraphs),
            delay=0.25,
        )
        items.append(f"<item><title>t{i}</title><link>{site.base_url}{path}</link></item>")
    site.routes["/rss.xml"] = Route(
        (
            "<rss version='2.0'><channel><title>某市日报</title>"
            + "".join(items)
            + "</channel></rss>"
        ).encode(),
        content_type="application/rss+xml",
    )
    db_path = Path(env["JIANBAO_DATA_DIR"]) / "jianbao.db"
    with site:
        assert cli("sources", "add", "某市日报", site.url("/rss.xml"), env=env).returncode == 0
        proc = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "collect"],
            env={**os.environ, **env, "JIANBAO_PER_HOST_CONCURRENCY": "2"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        stored = 0
        while time.monotonic() < deadline:
            with sqlite3.connect(db_path) as conn:
                stored = conn.execute("select count(*) from articles").fetchone()[0]
            if stored >= 3:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert 0 < stored < total, "the kill should land mid-run"
        result = cli("collect", env=env)
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select canonical_url, body, story_id from articles").fetchall()
    assert len(rows) == total
    assert len({r[0] for r in rows}) == total
    assert all(body and story for _, body, story in rows)


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_check_finds_the_errors_of_a_hand_made_report(env) -> None:
    result = CliRunner().invoke(app, ["issue", "check", str(SEEDS / "weekly-report-296-2018.md")])
    assert result.exit_code == 1
    assert "2018 年 4 年 23 日" in result.output
    assert "媒体" in result.output and "来源" in result.output


def test_publish_check_and_revise_from_the_command_line(env, tmp_path: Path) -> None:
    with build_site() as site:
        run("init")
        run("sources", "add", "东川日报", site.url("/rss.xml"))
        run("sources", "add", "东川省卫健委", site.url("/gov/list.html"), "--kind", "listing")
        run("collect")
    run("issue", "new", "--kind", "weekly", "--date", "2026-11-20", "--number", "547")
    assert "未发现问题" in run("issue", "check", "1")
    forced = CliRunner().invoke(app, ["issue", "publish", "1", "--force"])
    assert forced.exit_code != 0
    published = run("issue", "publish", "1")
    assert "已发布 #1" in published and ".docx" in published
    archived = list((Path(env["JIANBAO_DATA_DIR"]) / "archive" / "weekly").rglob("*.docx"))
    assert len(archived) == 1
    assert "更正稿 #2" in run("issue", "revise", "1")
    assert "已发布" in run("issue", "list") and "草稿" in run("issue", "list")


def test_accounts_from_the_command_line(env) -> None:
    run("init", "--admin", "zhuren", "--password", "s3cret-pass")
    run("users", "add", "xiaowang", "--role", "editor", "--password", "another-pass")
    listed = run("users", "list")
    assert "zhuren" in listed and "admin" in listed and "xiaowang" in listed
    run("users", "passwd", "xiaowang", "--password", "changed-pass")
    run("users", "remove", "xiaowang")
    assert "xiaowang" not in run("users", "list")
    bad = CliRunner().invoke(
        app, ["users", "add", "x", "--role", "boss", "--password", "pw-long-enough"]
    )
    assert bad.exit_code != 0


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_over_http(env, workers: int) -> None:
    """One process, or several worker processes sharing the store and the signing key."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "jianbao", "serve", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                for _ in range(2 * workers):
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/login", timeout=5
                    ) as answer:
                        assert answer.status == 200
                        assert "登录" in answer.read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_decisions_train_the_model_from_the_command_line(env) -> None:
    with build_site() as site:
        run("init")
        run("sources", "add", "东川日报", site.url("/rss.xml"))
        run("sources", "add", "东川省卫健委", site.url("/gov/list.html"), "--kind", "listing")
        run("collect")
    refused = CliRunner().invoke(app, ["model", "train"])
    assert refused.exit_code != 0
    with sqlite3.connect(Path(env["JIANBAO_DATA_DIR"]) / "jianbao.db") as conn:
        rows = conn.execute("select id, relevant from articles").fetchall()
    for article_id, relevant in rows:
        run("decide", str(article_id), "accept" if relevant else "reject")
    assert "第 1 版" in run("model", "train")
    assert "第 2 版" in run("model", "train")
    assert "第 1 版" in run("model", "rollback")


def test_decisions_retrain_the_models_and_candidates_name_the_document(
    env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIANBAO_RETRAIN_AFTER_DECISIONS", "4")
    today = datetime.now(SHANGHAI)
    pages = policy_pages(today)
    with LoopbackSite() as site:
        for path, (title, when, source, paragraphs) in pages.items():
            site.routes[path] = Route(article_page(title, when, source, paragraphs))
        run("init")
        for path in pages:
            run("collect", "--url", site.url(path))
        site.routes["/x.html"] = Route(article_page(*ARTICLES["/news/2026/11/17/marathon.html"]))
        run("collect", "--url", site.url("/x.html"))
    listed = run(
        "candidates", "--from", str((today - timedelta(days=7)).date()), "--to", str(today.date())
    )
    assert listed.count(f"解读：《{POLICY_NAME}》") == 2
    with sqlite3.connect(Path(env["JIANBAO_DATA_DIR"]) / "jianbao.db") as conn:
        rows = conn.execute("select id, relevant from articles order by id").fetchall()
    outputs = [
        run("decide", str(article_id), "accept" if relevant else "reject")
        for article_id, relevant in rows[-4:]
    ]
    assert not any("自动重新训练" in out for out in outputs[:3])
    assert "自动重新训练" in outputs[3] and "相关性模型第 1 版" in outputs[3]
    trained = run("model", "train")
    assert "相关性模型第 2 版" in trained and "类别模型暂不训练" in trained


def test_a_periods_draft_is_opened_again_its_main_text_edited_and_drafts_deleted(
    env, tmp_path: Path
) -> None:
    """Issue 15, items 1 and 3, from the command line."""
    with build_site() as site:
        run("init")
        run("sources", "add", "东川日报", site.url("/rss.xml"))
        run("collect")
    run("issue", "new", "--kind", "weekly", "--date", "2026-11-20")
    again = run("issue", "new", "--kind", "weekly", "--date", "2026-11-20")
    assert "已有" in again and "#1" in again and "未新建" in again
    run("issue", "new", "--kind", "weekly", "--date", "2026-11-27", "--fill", "0")
    assert "2（暂定）" in run("issue", "list")
    short = tmp_path / "short.txt"
    short.write_text("编辑删短后的主要内容。\n", encoding="utf-8")
    run("issue", "edit", "1", "1", "--body-file", str(short))
    shown = run("issue", "show", "1")
    assert "编辑删短后的主要内容。" in shown
    run("issue", "edit", "1", "1", "--restore-body")
    assert "编辑删短后的主要内容。" not in run("issue", "show", "1")
    kept = CliRunner().invoke(app, ["issue", "delete", "1"], input="n\n")
    assert kept.exit_code == 0 and "未删除" in kept.output
    assert "已删除草稿 #1" in run("issue", "delete", "1", "--yes")
    listing = run("issue", "list")
    assert "1（暂定）" in listing and "2（暂定）" not in listing


def test_candidates_for_the_daily_reach_its_policy_scope(env) -> None:
    """``candidates --for daily`` offers the daily's national-policy picks beside the
    relevant articles; the default list and ``--for weekly`` do not; an unknown
    publication is a clear error naming the ones there are."""
    from jianbao.config import load_settings
    from jianbao.db.models import Article
    from jianbao.db.session import Database
    from jianbao.errors import InputError
    from jianbao.judge.scope import POLICY_SCOPE

    run("init")
    db = Database.from_settings(load_settings())
    day = datetime(2026, 11, 19, 9, tzinfo=SHANGHAI)
    with db.session() as session:
        for n, (title, relevant, scope) in enumerate(
            [
                ("某市人民医院上线互联网医院", True, None),
                ("国家卫生健康委：全面推进社区医院建设工作", False, POLICY_SCOPE),
                ("某市新增确诊病例2例", False, None),
            ]
        ):
            session.add(
                Article(
                    url=f"https://news.example/{n}",
                    canonical_url=f"https://news.example/{n}",
                    content_hash=str(n) * 64,
                    title=title,
                    body=title + "。",
                    source_name="东川日报",
                    published_at=day + timedelta(hours=n),
                    relevant=relevant,
                    score=0.9 if relevant else 0.0,
                    scope=scope,
                    summary=title,
                )
            )
    db.close()
    window = ("--from", "2026-11-19", "--to", "2026-11-19")
    default = run("candidates", *window)
    daily = run("candidates", *window, "--for", "daily")
    weekly = run("candidates", *window, "--for", "weekly")
    assert "互联网医院" in default and "社区医院" not in default
    assert "互联网医院" in daily and "社区医院" in daily and "确诊病例" not in daily
    assert "社区医院" not in weekly
    unknown = CliRunner().invoke(app, ["candidates", *window, "--for", "yearly"])
    error = unknown.exception
    assert isinstance(error, InputError) and "yearly" in str(error)
    assert error.hint is not None and "daily" in error.hint and "weekly" in error.hint
