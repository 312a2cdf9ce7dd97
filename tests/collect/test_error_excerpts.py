"""Outside bytes in error messages are short, safe excerpts (issue 14, item 10).

A site controls what its server answers. Error messages used to quote it whole: a
garbled status line put 4 KB (a long header line 18 KB) into the message, the source's
row and the log, escape sequences and bidi overrides included. Each message now quotes
at most ``EXCERPT_CHARS`` characters on one line, cleaned and marked when cut.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.collect.feeds import parse_feed
from jianbao.collect.sitemaps import parse_sitemap
from jianbao.config import Settings
from jianbao.editions.linkcheck import link_problem
from jianbao.errors import EXCERPT_CHARS, FetchError, ParseError, excerpt
from jianbao.records import FetchedPage
from jianbao.testing import make_settings

Serve = Callable[[socket.socket], None]
Fetch = Callable[..., FetchedPage]

#: what a hostile server puts in its answer: a terminal escape that clears the screen,
#: a right-to-left override that makes the rest of the line read backwards, a NUL
HOSTILE = b"\x1b[2J\xe2\x80\xae\x00EVIL"

#: the longest message an error may have with a quoted excerpt in it
MESSAGE_LIMIT = EXCERPT_CHARS + 200


def assert_safe(text: str) -> None:
    assert len(text) <= MESSAGE_LIMIT, f"{len(text)} characters"
    assert "\n" not in text and "\r" not in text
    assert "\x1b" not in text and "\x00" not in text
    assert "\u202e" not in text


# -- the helper -----------------------------------------------------------------------


def test_a_short_clean_text_is_kept_as_it_is() -> None:
    assert excerpt("服务器返回 HTTP 500") == "服务器返回 HTTP 500"


def test_a_long_text_is_cut_to_the_limit_and_marked() -> None:
    quoted = excerpt("甲" * 5000)
    assert len(quoted) == EXCERPT_CHARS
    assert quoted.endswith("…")
    assert excerpt("x" * 50, limit=10) == "x" * 9 + "…"


def test_control_and_bidi_characters_are_removed_and_lines_joined() -> None:
    quoted = excerpt("第一行\r\n\t第二行\x1b[31m红\u202e倒序\u2066隔离\u2069\u200b零宽\x00尾")
    assert quoted == "第一行 第二行 [31m红倒序隔离零宽 尾"
    assert excerpt("a\u2028b\u2029c\x85d") == "a b c d"


def test_bytes_are_decoded_as_utf8_or_gb18030() -> None:
    assert excerpt("卫生健康委员会".encode()) == "卫生健康委员会"
    assert excerpt("卫生健康委员会".encode("gb18030")) == "卫生健康委员会"


def test_a_character_cut_in_the_middle_of_its_bytes_is_not_a_reason_to_guess() -> None:
    data = "x健康".encode() * 400  # the 804-byte window ends inside a character
    assert len(data[: EXCERPT_CHARS * 4 + 4].decode("utf-8", errors="ignore").encode()) < 804
    quoted = excerpt(data)
    assert quoted == ("x健康" * 67)[: EXCERPT_CHARS - 1] + "…"


def test_an_empty_or_blank_text_is_empty() -> None:
    assert excerpt(b"") == ""
    assert excerpt(" \r\n\x00 ") == ""


# -- the fetcher ----------------------------------------------------------------------


def _garbled_status(sock: socket.socket) -> None:
    sock.sendall(HOSTILE + b"A" * 4000 + b"\r\n\r\n")


def _long_header_line(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\n" + HOSTILE + b"C" * 9000 + b"\r\n\r\n")


@pytest.mark.parametrize(
    "serve", [_garbled_status, _long_header_line], ids=["status line", "header line"]
)
def test_a_garbled_response_is_quoted_short_and_clean(
    tmp_path: Path, fetch_one: Fetch, raw_server: Callable[[Serve], object], serve: Serve
) -> None:
    settings: Settings = make_settings(tmp_path, retries=0)
    server = raw_server(serve)
    with pytest.raises(FetchError, match="服务器响应格式错误") as caught:
        fetch_one(settings, server.url("/"))  # type: ignore[attr-defined]
    message = str(caught.value)
    assert_safe(message)
    assert "…" in message  # the quoted answer was cut, and says so


# -- sitemaps -------------------------------------------------------------------------


def test_a_sitemap_with_an_endless_root_name_is_quoted_short() -> None:
    body = b"<?xml version='1.0'?><" + b"a" * 5000 + b"/>"
    with pytest.raises(ParseError, match="不是 sitemap") as caught:
        parse_sitemap(body, "http://127.0.0.1/sitemap.xml")
    assert_safe(str(caught.value))


# -- the link check of issues ---------------------------------------------------------


def test_a_link_answering_garbage_is_a_short_problem_not_a_crash() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(HOSTILE + b"A" * 5000 + b"\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        problem = link_problem(
            f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=2, allowlist=["127.0.0.1"]
        )
    finally:
        thread.join(timeout=2)
        listener.close()
    assert problem is not None and problem.startswith("应答不是 HTTP")
    assert_safe(problem)


# -- feeds ----------------------------------------------------------------------------


def test_a_feeds_declared_encoding_is_quoted_short_in_its_problem() -> None:
    declared = b"\x1b[2J" + b"A" * 3000
    body = (
        b'<?xml version="1.0" encoding="' + declared + b'"?><rss version="2.0"><channel>'
        b"<title>t</title><item><title>x</title><link>http://127.0.0.1/1</link></item>"
        b"</channel></rss>"
    )
    result = parse_feed(body, "http://127.0.0.1/feed")
    assert result.links and result.problem
    assert_safe(result.problem)
