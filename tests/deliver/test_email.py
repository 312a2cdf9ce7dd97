"""Email against a real SMTP server (aiosmtpd) on loopback, with STARTTLS or implicit TLS
(test certificates from trustme), the received message parsed back."""

from __future__ import annotations

import asyncio
import email
import email.policy
import io
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from docx import Document

from deliver.support import channel
from jianbao.config import Settings
from jianbao.deliver.base import Notice
from jianbao.deliver.email import EmailChannel
from jianbao.errors import NotConfigured
from jianbao.records import IssueView

PASSWORD = "smtp-pass-7f6e5d4c"


@dataclass
class Inbox:
    """What the SMTP server accepted: (envelope sender, recipients, parsed message), and
    the raw bytes of each message."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        self.raw.append(envelope.content)
        return "250 OK"


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"editor"
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MailServer:
    port: int
    inbox: Inbox
    ca_file: Path


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return context, path


class QuitTroubleInbox(Inbox):
    """An inbox whose server, after taking the message, answers QUIT with ``quit_answer``
    or, when it is empty, drops the connection without a word."""

    def __init__(self, quit_answer: str) -> None:
        super().__init__()
        self.quit_answer = quit_answer

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.quit_answer:
            assert server.transport is not None
            server.transport.abort()  # gone: what is pushed after this is dropped
            return "221 Bye"
        return self.quit_answer


def _serve(
    certificates: tuple[ssl.SSLContext, Path], implicit: bool, inbox: Inbox | None = None
) -> Iterator[MailServer]:
    context, ca_file = certificates
    inbox = inbox or Inbox()
    port = _free_port()
    options: dict[str, Any] = {"authenticator": _authenticate, "auth_required": True}
    if implicit:
        # aiosmtpd only counts STARTTLS as TLS for AUTH; the whole connection is TLS here
        options["auth_require_tls"] = False
        controller = Controller(
            inbox, hostname="127.0.0.1", port=port, ssl_context=context, **options
        )
    else:
        controller = Controller(
            inbox,
            hostname="127.0.0.1",
            port=port,
            tls_context=context,
            require_starttls=True,
            **options,
        )
    controller.start()
    try:
        yield MailServer(port, inbox, ca_file)
    finally:
        controller.stop()


@pytest.fixture
def starttls(certificates: tuple[ssl.SSLContext, Path]) -> Iterator[MailServer]:
    yield from _serve(certificates, implicit=False)


@pytest.fixture
def implicit_tls(certificates: tuple[ssl.SSLContext, Path]) -> Iterator[MailServer]:
    yield from _serve(certificates, implicit=True)


def mailbox(settings: Settings, server: MailServer, **table: Any) -> EmailChannel:
    values: dict[str, Any] = {
        "kind": "email",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_ca_file": str(server.ca_file),
        "username": "editor",
        "password": PASSWORD,
        "sender": "信息中心 <jianbao@wsjkw.example.cn>",
        "to": ["leader@wsjkw.example.cn"],
        "cc": ["office@wsjkw.example.cn"],
        "bcc": ["archive@wsjkw.example.cn"],
        "attach": ["docx", "pdf"],
        "timeout": 5.0,
        **table,
    }
    ch = channel(settings, "领导邮箱", **values)
    assert isinstance(ch, EmailChannel)
    return ch


def _files(tmp_path: Path) -> list[Path]:
    word = tmp_path / "全国卫生信息化舆情监测周报（第五四六期）.docx"
    document = Document()
    document.add_paragraph("全国卫生信息化舆情监测周报")
    document.add_paragraph("本期导语：各地加快推进卫生健康信息化建设。")
    document.save(str(word))
    pdf = tmp_path / "周报第546期.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a stand-in\n")
    html = tmp_path / "周报.html"
    html.write_text("<p>not attached</p>", encoding="utf-8")
    return [word, pdf, html]


def test_the_issue_arrives_over_starttls_with_html_text_and_the_word_file(
    settings: Settings,
    starttls: MailServer,
    view_factory: Callable[..., IssueView],
    tmp_path: Path,
) -> None:
    ch = mailbox(settings, starttls)
    view = view_factory("weekly", 3)
    files = _files(tmp_path)
    [message] = ch.prepare(view, files)
    result = asyncio.run(ch.send(message))
    assert result.ok, result.error
    [(sender, recipients, mail)] = starttls.inbox.received
    assert sender == "jianbao@wsjkw.example.cn"
    assert sorted(recipients) == [
        "archive@wsjkw.example.cn",
        "leader@wsjkw.example.cn",
        "office@wsjkw.example.cn",
    ]
    assert "Bcc" not in mail and "archive@" not in str(mail)  # bcc only in the envelope
    assert mail["Subject"] == "全国卫生信息化舆情监测周报（第五四六期）"
    raw = starttls.inbox.raw[0]
    assert raw.isascii()  # headers encoded (RFC 2047, RFC 2231), bodies base64
    assert b"Subject: =?utf-8?" in raw and b"filename*=utf-8''" in raw
    assert mail["Message-ID"] == message.body["message_id"]
    html = mail.get_body(preferencelist=("html",))
    plain = mail.get_body(preferencelist=("plain",))
    assert html is not None and plain is not None
    assert "全国卫生信息化舆情监测周报" in html.get_content()
    assert "https://news.example.cn/a/1.html?x=1&amp;y=2" in html.get_content()
    assert "\n链接：https://news.example.cn/a/1.html?x=1&y=2\n" in plain.get_content()
    attachments = {part.get_filename(): part for part in mail.iter_attachments()}
    assert sorted(attachments) == sorted([files[0].name, files[1].name])
    word = attachments[files[0].name].get_content()
    paragraphs = [p.text for p in Document(io.BytesIO(word)).paragraphs]
    assert paragraphs[1] == "本期导语：各地加快推进卫生健康信息化建设。"
    assert attachments[files[1].name].get_content_type() == "application/pdf"


def test_the_message_id_is_the_same_for_a_resend_and_new_for_a_correction(
    settings: Settings, starttls: MailServer, view_factory: Callable[..., IssueView]
) -> None:
    ch = mailbox(settings, starttls)
    view = view_factory("weekly", 3)
    first = ch.prepare(view)[0].body["message_id"]
    assert ch.prepare(view)[0].body["message_id"] == first
    corrected = ch.prepare(view, note="第2条来源更正")[0]
    assert corrected.body["message_id"] != first
    assert corrected.body["subject"].startswith("【更正】")
    assert "更正：第2条来源更正" in corrected.body["html"].split("<body", 1)[1][:400]
    assert first.endswith("@wsjkw.example.cn>")
    preview = ch.prepare(view, note="【预览】这是尚未发布的草稿，仅供核对。")[0]
    assert preview.body["subject"] == "【预览】全国卫生信息化舆情监测周报（第五四六期）"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_works_too(
    settings: Settings, implicit_tls: MailServer, view_factory: Callable[..., IssueView]
) -> None:
    ch = mailbox(settings, implicit_tls, smtp_security="tls", attach=[])
    result = asyncio.run(ch.send(ch.prepare(view_factory("daily", 2))[0]))
    assert result.ok, result.error
    [(_, _, mail)] = implicit_tls.inbox.received
    assert mail["Subject"] == "2026年5月28日（周四）" and not list(mail.iter_attachments())


def test_a_wrong_password_names_the_setting_and_never_shows_the_password(
    settings: Settings, starttls: MailServer
) -> None:
    ch = mailbox(settings, starttls, password="not-the-password-1234")
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "这是一条测试邮件"))[0]))
    assert not result.ok and not result.retryable
    assert "拒绝登录" in result.error and "password_env" in result.error
    assert "not-the-password-1234" not in result.error + result.answer
    assert "not-the-password-1234" not in ch.describe()
    assert starttls.inbox.received == []


def test_an_unknown_certificate_is_refused_with_the_fix(
    settings: Settings, starttls: MailServer
) -> None:
    ch = mailbox(settings, starttls, smtp_ca_file="")
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "x"))[0]))
    assert not result.ok and not result.retryable and "smtp_ca_file" in result.error


def test_a_server_that_does_not_answer_is_retryable(settings: Settings, tmp_path: Path) -> None:
    server = MailServer(_free_port(), Inbox(), tmp_path / "none.pem")
    ch = mailbox(settings, server, smtp_ca_file="")
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "x"))[0]))
    assert not result.ok and result.retryable and "无法连接邮件服务器" in result.error


def test_missing_settings_and_an_unset_password_variable_switch_the_channel_off(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NotConfigured, match="smtp_host、sender、to"):
        channel(settings, "空邮箱", kind="email")
    monkeypatch.delenv("JIANBAO_TEST_SMTP_PASSWORD", raising=False)
    with pytest.raises(NotConfigured, match="JIANBAO_TEST_SMTP_PASSWORD"):
        channel(
            settings,
            "领导邮箱",
            kind="email",
            smtp_host="mail.example.cn",
            sender="a@example.cn",
            to=["b@example.cn"],
            username="a",
            password_env="JIANBAO_TEST_SMTP_PASSWORD",
        )


@pytest.mark.parametrize(
    "quit_answer",
    ["421 4.3.2 Service shutting down", "554 5.3.0 Something went wrong", ""],
    ids=["421", "554", "dropped"],
)
def test_an_email_the_server_took_is_sent_whatever_it_answers_to_quit(
    settings: Settings,
    certificates: tuple[ssl.SSLContext, Path],
    view_factory: Callable[..., IssueView],
    quit_answer: str,
) -> None:
    """Review finding 9: the message accepted (250 to DATA), a 421 or 5xx to QUIT or a
    dropped connection must neither make the part retryable (the leadership's mailbox
    would get it twice) nor mark it failed."""
    inbox = QuitTroubleInbox(quit_answer)
    with contextmanager(_serve)(certificates, False, inbox) as server:
        ch = mailbox(settings, server, attach=[])
        result = asyncio.run(ch.send(ch.prepare(view_factory("daily", 2))[0]))
        assert result.ok and not result.retryable, result.error
        assert result.answer == "已交给 127.0.0.1"
        assert len(inbox.received) == 1


def test_a_refusal_before_quit_is_reported_as_the_refusal_not_as_quits_answer(
    settings: Settings, certificates: tuple[ssl.SSLContext, Path]
) -> None:
    """A wrong password, then a 421 to QUIT: the refusal is what is said (not retryable)."""
    inbox = QuitTroubleInbox("421 4.3.2 Service shutting down")
    with contextmanager(_serve)(certificates, False, inbox) as server:
        ch = mailbox(settings, server, password="not-the-password-1234")
        result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "x"))[0]))
        assert not result.ok and not result.retryable and "拒绝登录" in result.error
        assert inbox.received == []


def test_recipients_written_with_a_name_get_the_mail_on_a_server_without_smtputf8(
    settings: Settings, tmp_path: Path
) -> None:
    """Review rev1 finding 5: ``张三 <zs@…>`` went unparsed to RCPT TO, smtplib then
    required SMTPUTF8 (most internal relays lack it) and nobody got the mail, reported as
    "不支持 STARTTLS 或登录". The envelope holds the bare addresses; the names go in the
    headers, RFC 2047 encoded."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)  # no SMTPUTF8, no TLS
    controller.start()
    try:
        server = MailServer(port, inbox, tmp_path / "none.pem")
        ch = mailbox(
            settings,
            server,
            smtp_security="none",
            smtp_ca_file="",
            username="",
            password="",
            to=["张三 <zhangsan@example.cn>", "lisi@example.cn"],
            cc=['"王五（办公室）" <wangwu@example.cn>'],
            bcc=["档案 <archive@example.cn>"],
            attach=[],
        )
        result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "内容"))[0]))
    finally:
        controller.stop()
    assert result.ok, result.error
    [(sender, recipients, message)] = inbox.received
    assert sender == "jianbao@wsjkw.example.cn"
    assert recipients == [
        "zhangsan@example.cn",
        "lisi@example.cn",
        "wangwu@example.cn",
        "archive@example.cn",
    ]
    assert [a.display_name for a in message["To"].addresses] == ["张三", ""]
    assert message["Cc"].addresses[0].display_name == "王五（办公室）"
    raw = inbox.raw[0].split(b"\r\n\r\n", 1)[0].decode("ascii")  # headers: RFC 2047
    assert "=?utf-8?" in raw and "archive@" not in raw  # Bcc never in a header


@pytest.mark.parametrize(
    "bad", ["张三 zhangsan@example.cn", "zhangsan", "a@example.cn, b@example.cn", "a@b"]
)
def test_an_address_that_is_not_one_email_address_is_named_with_its_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    from jianbao.config import load_settings
    from jianbao.errors import ConfigError

    config = tmp_path / "jianbao.toml"
    config.write_text(
        '[channels."领导邮箱"]\nkind = "email"\nsmtp_host = "mail.example.cn"\n'
        f'sender = "a@example.cn"\nto = ["ok@example.cn", "{bad}"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("JIANBAO_CONFIG", str(config))
    with pytest.raises(ConfigError) as caught:
        load_settings(data_dir=tmp_path)
    text = str(caught.value)
    assert "channels.领导邮箱.to" in text and repr(bad) in text
    assert "不是一个有效的邮件地址" in text and "not one valid email address" in text
