"""The chat-endpoint summaries against a local server speaking the chat-completions
protocol (real HTTP on 127.0.0.1; LoopbackSite serves GET only, so the test has its own)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jianbao.judge.llm import ChatEndpoint, ChatError, chat_summary, summarize_with_fallback

PARAGRAPHS = ["新华社北京10月16日电 国家卫生健康委发布通知，要求二级以上医院推进电子病历应用。"]


class ChatServer:
    def __init__(self):
        self.requests: list[tuple[str, dict, str | None]] = []
        self.reply: object = {
            "choices": [{"message": {"content": "国家卫健委要求医院推进电子病历。"}}]
        }
        self.status = 200
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((self.path, body, self.headers.get("Authorization")))
                time.sleep(server.delay)
                data = (
                    server.reply
                    if isinstance(server.reply, bytes)
                    else json.dumps(server.reply, ensure_ascii=False).encode()
                )
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *args: None  # a client that timed out hung up
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    chat = ChatServer()
    yield chat
    chat.close()


def test_summary_from_endpoint(server):
    endpoint = ChatEndpoint(server.url, "demo-model", key="sk-secret", timeout=2)
    summary, how = summarize_with_fallback(endpoint, "电子病历通知", PARAGRAPHS, 60)
    assert (summary, how) == ("国家卫健委要求医院推进电子病历。", "llm")
    path, body, auth = server.requests[0]
    assert path == "/v1/chat/completions"
    assert body["model"] == "demo-model"
    assert "60" in body["messages"][0]["content"]
    assert "新华社" not in body["messages"][1]["content"]  # the dateline is cleaned away
    assert auth == "Bearer sk-secret"
    assert "sk-secret" not in repr(endpoint)


@pytest.mark.parametrize(
    "setup",
    [
        lambda s: setattr(s, "status", 500),
        lambda s: setattr(s, "reply", b"not json"),
        lambda s: setattr(s, "reply", {"choices": []}),
        lambda s: setattr(s, "reply", {"choices": [{"message": {"content": "  "}}]}),
        lambda s: setattr(s, "reply", {"choices": [{"message": {"content": "长" * 500}}]}),
        lambda s: setattr(s, "delay", 1.5),
    ],
)
def test_failures_fall_back_to_extractive(server, setup):
    setup(server)
    endpoint = ChatEndpoint(server.url, "demo-model", timeout=0.5)
    with pytest.raises(ChatError):
        chat_summary(endpoint, "电子病历通知", PARAGRAPHS, 60)
    summary, how = summarize_with_fallback(endpoint, "电子病历通知", PARAGRAPHS, 60)
    assert how == "extractive"
    assert summary.startswith("国家卫生健康委发布通知")


def test_not_configured_means_no_request(server):
    summary, how = summarize_with_fallback(None, "电子病历通知", PARAGRAPHS, 60)
    assert how == "extractive" and summary and server.requests == []


def test_unreachable_endpoint_falls_back():
    endpoint = ChatEndpoint("http://127.0.0.1:9/v1", "m", timeout=0.5)
    assert summarize_with_fallback(endpoint, "电子病历通知", PARAGRAPHS, 60)[1] == "extractive"
