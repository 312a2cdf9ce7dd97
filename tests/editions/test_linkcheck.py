"""The dead-link check over loopback HTTP, plugged into the checker."""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from jianbao.editions.check import CheckOptions, check_view
from jianbao.editions.linkcheck import check_links, link_checker, link_problem
from jianbao.records import IssueView
from jianbao.testing import LoopbackSite, Route

#: the loopback test servers are private addresses: the check may visit them only so
LOCAL = ("127.0.0.0/8",)


def _no_head(handler: BaseHTTPRequestHandler) -> Route:
    return Route(b"ok", status=405 if handler.command == "HEAD" else 200)


def test_link_problems() -> None:
    routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], Route]] = {
        "/ok": Route(b"ok"),
        "/gone": Route(b"x", status=404),
        "/moved": Route(b"", status=301, headers={"Location": "/ok"}),
        "/nohead": _no_head,
        "/slow": Route(b"x", delay=0.6),
    }
    with LoopbackSite(routes) as site:
        assert link_problem(site.url("/ok"), allowlist=LOCAL) is None
        assert link_problem(site.url("/moved"), allowlist=LOCAL) is None
        assert link_problem(site.url("/nohead"), allowlist=LOCAL) is None
        assert link_problem(site.url("/gone"), allowlist=LOCAL) == "HTTP 404"
        assert link_problem(site.url("/slow"), timeout=0.2, allowlist=LOCAL) == "0.2 秒内无响应"
        results = check_links(
            [site.url("/ok"), site.url("/gone"), site.url("/ok")], allowlist=LOCAL
        )
        assert results == {site.url("/ok"): None, site.url("/gone"): "HTTP 404"}
    assert link_problem("javascript:alert(1)") == "不是 http(s) 链接"
    refused = link_problem("http://127.0.0.1:9/", allowlist=LOCAL)
    assert refused is not None and refused.startswith("连接失败")


def test_links_to_private_addresses_are_reported_never_visited() -> None:
    """Issue 14: the link check goes through the SSRF guard, directly and on redirects."""
    hits: list[str] = []

    def counted(handler: BaseHTTPRequestHandler) -> Route:
        hits.append(handler.path)
        return Route(b"ok")

    with (
        LoopbackSite({"/secret": counted}, host="127.0.0.2") as inner,
        LoopbackSite(
            {"/hop": Route(b"", status=302, headers={"Location": inner.url("/secret")})}
        ) as outer,
    ):
        spelled = inner.url("/secret").replace("127.0.0.2", "１２７。０。０。２")
        direct = link_problem(inner.url("/secret"))
        unicode = link_problem(spelled)
        redirected = link_problem(outer.url("/hop"), allowlist=["127.0.0.1/32"])
    assert hits == []
    for problem in (direct, unicode, redirected):
        assert problem is not None and "127.0.0.2" in problem, problem


def test_dead_link_findings(build: Callable[..., IssueView]) -> None:
    view = build("weekly", 3)
    with LoopbackSite({"/a": Route(b"ok"), "/b": Route(b"ok")}) as site:
        for item, path in zip(view.items, ["/a", "/b", "/missing"], strict=True):
            item.url = site.url(path)
        checker = link_checker((i.url for i in view.items), allowlist=LOCAL)
        findings = [f for f in check_view(view, CheckOptions(link_checker=checker))]
    assert [(f.rule, f.item, f.message) for f in findings] == [
        ("dead-link", 3, "链接打不开：HTTP 404")
    ]


def test_online_check_of_a_file(build: Callable[..., IssueView], tmp_path: Path) -> None:
    from jianbao.editions.check import check_file
    from jianbao.render.markdown import render_markdown

    view = build("weekly", 2)
    with LoopbackSite({"/a": Route(b"ok")}) as site:
        view.items[0].url, view.items[1].url = site.url("/a"), site.url("/gone")
        path = tmp_path / "r.md"
        path.write_text(render_markdown(view), encoding="utf-8")
        assert check_file(path) == []  # offline by default
        found = check_file(path, CheckOptions(link_allowlist=LOCAL), online=True)
    assert [(f.rule, f.item) for f in found] == [("dead-link", 2)]
