"""Email over SMTP, with the standard library (smtplib and email) run in a thread.

The issue's own HTML page is the body (inline CSS, no scripts: it reads in common mail
clients), the plain-text broadcast its alternative, and the Word/PDF files named by
``attach`` go along. ``EmailMessage`` encodes a Chinese subject (RFC 2047) and Chinese
file names (RFC 2231). The Message-ID is derived from the issue and its content, so a
resend of the same revision carries the same id (mail clients and the recipients can
recognise it) and a correction a new one. Bcc recipients are given to the server only,
never written in a header.

STARTTLS (port 587) or implicit TLS (465) with certificate checks (``smtp_ca_file`` for
a server with a private CA), LOGIN/PLAIN authentication. A refused login or recipient
is a refusal naming the setting; a 4xx answer is retryable, and so is a dropped
connection or a timeout *before* the server said 354 to DATA (nothing was handed over).
Once the message has gone after the 354, a lost connection or a timeout is unconfirmed
(未确认): the server may have queued it for delivery, so it is not sent again by itself.

The channel's ``timeout`` bounds each socket operation, which a server that trickles its
answers (a line every half second) never reaches; so the whole conversation also has a
deadline, ``SESSION_STEPS`` × ``timeout``: a watchdog shuts the socket down then, and a
send always ends within that bound (it runs on the scheduler's tick).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import mimetypes
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from jianbao.channel_settings import check_mail_address
from jianbao.config import Settings
from jianbao.deliver.base import (
    ChannelConfig,
    Message,
    Notice,
    SendResult,
    attached,
    note_labels,
    note_line,
    note_lines,
    refused,
)
from jianbao.errors import NotConfigured
from jianbao.records import IssueView
from jianbao.render.chat import render_chat_text
from jianbao.render.html import render_html
from jianbao.render.layout import view_title

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
#: the whole SMTP conversation's deadline, in channel timeouts (connect, greeting, EHLO,
#: STARTTLS, AUTH, MAIL/RCPT, DATA and its message, QUIT, with room for a slow upload)
SESSION_STEPS = 6
#: how long after a session cut off at its deadline the server is worth trying again
STUCK_RETRY_AFTER = 600.0


class _Tracked:
    """An SMTP client that knows whether the message has left: the server answered 354 to
    DATA and the message is being sent (smtplib's ``data`` reads that answer with
    ``getreply`` just before it writes the message)."""

    message_left = False
    _awaiting_go_ahead = False
    _host = ""

    def connect(self, host: str = "localhost", port: int = 0, source_address: Any = None) -> Any:
        # made without a host (so the deadline covers the greeting too), the TLS server
        # name smtplib checks the certificate against is set here
        self._host = host
        return super().connect(host, port, source_address)  # type: ignore[misc]

    def data(self, msg: Any) -> Any:
        self._awaiting_go_ahead = True
        try:
            return super().data(msg)  # type: ignore[misc]
        finally:
            self._awaiting_go_ahead = False

    def getreply(self) -> tuple[int, bytes]:
        code, text = super().getreply()  # type: ignore[misc]
        if self._awaiting_go_ahead:
            self._awaiting_go_ahead = False
            self.message_left = code == 354
        return code, text


class _SMTP(_Tracked, smtplib.SMTP):
    pass


class _SMTPSSL(_Tracked, smtplib.SMTP_SSL):
    pass


class _Watchdog:
    """Shuts an SMTP session's socket down at its deadline: a blocked read or write then
    fails at once, whatever the server keeps trickling."""

    def __init__(self, smtp: smtplib.SMTP, seconds: float):
        self.smtp = smtp
        self.seconds = seconds
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        sock = getattr(self.smtp, "sock", None)
        if sock is not None:
            # the plain socket's shutdown, also under TLS: no TLS close to wait on
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Lost(Exception):
    """The session ended without an answer; ``left`` when the message had gone after
    the 354 (unconfirmed), ``expired`` when the deadline ended it."""

    def __init__(self, cause: BaseException, *, left: bool, expired: bool):
        super().__init__(type(cause).__name__)
        self.cause = cause
        self.left = left
        self.expired = expired


_BODY_TAG = re.compile(r"<body[^>]*>", re.IGNORECASE)


def message_id(view: IssueView, note: str, html: str, sender: str) -> str:
    """``<jianbao.…@domain>`` from the issue's identity, its note and its content."""
    identity = "\n".join(
        [view.kind, view.publication_title, view.issue_date.isoformat(), str(view.number or "")]
    )
    digest = hashlib.sha256(f"{identity}\n{note}\n{html}".encode()).hexdigest()[:24]
    domain = sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "jianbao.local"
    return f"<jianbao.{view.issue_date:%Y%m%d}.{digest}@{domain}>"


def _with_note(html: str, note: str) -> str:
    if not note:
        return html
    banner = (
        '<p style="margin:0 0 1em;padding:.6em .8em;border-left:4px solid #c00;'
        f'color:#900;background:#fff5f5">{"<br>".join(_escape(x) for x in note_lines(note))}</p>'
    )
    match = _BODY_TAG.search(html)
    if match is None:
        return banner + html
    return html[: match.end()] + banner + html[match.end() :]


def _quit(smtp: smtplib.SMTP) -> None:
    """End the session, whatever the server answers to QUIT.

    Once ``send_message`` has returned, the server has taken the message (its answer to
    DATA was 250): it will be delivered. ``with smtp:`` would raise when QUIT is answered
    with anything but 221 (a 421 of a server shutting down, a 5xx), and ``send`` would
    then call a delivered email retryable — sent again to the leadership's mailbox — or
    失败. And when an earlier command failed, that error, not QUIT's, is the one to
    report. So QUIT's answer and a connection lost at that moment are ignored here."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class EmailChannel:
    kind = "email"

    def __init__(self, name: str, config: ChannelConfig, settings: Settings):
        missing = [
            field
            for field, value in (("smtp_host", config.smtp_host), ("sender", config.sender))
            if not value
        ]
        if not (config.to or config.cc or config.bcc):
            missing.append("to")
        if missing:
            raise NotConfigured(
                "邮件频道缺少设置：" + "、".join(missing),
                item=f"channels.{name}",
                hint="在 " + "、".join(f"channels.{name}.{m}" for m in missing) + " 填写",
            )
        self.name = name
        self.config = config
        self.password = (
            config.resolved_password(name) if (config.password or config.password_env) else ""
        )
        self.port = config.smtp_port or DEFAULT_PORTS[config.smtp_security]
        self.message_type = config.resolved_message_type

    def describe(self) -> str:
        recipients = len(self.config.to) + len(self.config.cc) + len(self.config.bcc)
        auth = f"，登录 {self.config.username}（密码已隐藏）" if self.config.username else ""
        attach = f"，附件 {'、'.join(self.config.attach)}" if self.config.attach else ""
        return (
            f"email smtp://{self.config.smtp_host}:{self.port}（{self.config.smtp_security}，"
            f"发件人 {self.config.sender}，收件人 {recipients} 个{auth}{attach}）"
        )

    # -- prepare ---------------------------------------------------------------------

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        title = view_title(view)
        subject = f"{note_labels(note)}{title}"
        html = _with_note(render_html(view), note)
        text = render_chat_text(view)
        if note:
            text = f"{note_line(note)}\n\n{text}"
        body = {
            "subject": subject,
            "html": html,
            "text": text,
            "message_id": message_id(view, note, html, self.config.sender),
        }
        chosen = tuple(attached(files, self.config.attach))
        return [Message(kind="email", body=body, text=subject, files=chosen)]

    def prepare_notice(self, notice: Notice) -> list[Message]:
        text = "\n".join(x for x in (notice.text, notice.url) if x)
        link = f'<p><a href="{_escape(notice.url)}">打开</a></p>' if notice.url else ""
        html = (
            f"<!doctype html><html><body><h3>{_escape(notice.title)}</h3>"
            f"<p>{_escape(notice.text)}</p>{link}</body></html>"
        )
        body = {"subject": notice.title, "html": html, "text": text, "message_id": ""}
        return [Message(kind="email", body=body, text=notice.title)]

    # -- send ------------------------------------------------------------------------

    def build(self, message: Message) -> EmailMessage:
        """The MIME message: text, its HTML alternative, then the attachments."""
        body = message.body
        mail = EmailMessage()
        mail["Subject"] = body["subject"]
        mail["From"] = self.config.sender
        if self.config.to:
            mail["To"] = ", ".join(self.config.to)
        if self.config.cc:
            mail["Cc"] = ", ".join(self.config.cc)
        mail["Date"] = formatdate(localtime=True)
        domain = self.config.sender.rsplit("@", 1)[-1].strip("> ")
        mail["Message-ID"] = body.get("message_id") or make_msgid("jianbao", domain=domain)
        mail.set_content(body["text"], subtype="plain", charset="utf-8")
        mail.add_alternative(body["html"], subtype="html", charset="utf-8")
        for path in message.files:
            ctype, _ = mimetypes.guess_type(path.name)
            maintype, subtype = (ctype or "application/octet-stream").split("/", 1)
            mail.add_attachment(
                path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
            )
        return mail

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.config.smtp_ca_file:
            context.load_verify_locations(cafile=self.config.smtp_ca_file)
        return context

    def envelope(self) -> list[str]:
        """The recipients' bare addresses for RCPT TO. An entry may carry a name
        (``张三 <zs@…>``): the name goes in the To/Cc header (RFC 2047 encoded), never to
        the server, which would otherwise need SMTPUTF8 (most internal relays lack it)."""
        config = self.config
        return [check_mail_address(entry) for entry in [*config.to, *config.cc, *config.bcc]]

    @property
    def deadline(self) -> float:
        """Seconds the whole SMTP conversation may take (``SESSION_STEPS`` timeouts)."""
        return SESSION_STEPS * self.config.timeout

    def _deliver(self, mail: EmailMessage) -> dict[str, Any]:
        config = self.config
        recipients = self.envelope()
        smtp: _SMTP | _SMTPSSL
        if config.smtp_security == "tls":
            smtp = _SMTPSSL(timeout=config.timeout, context=self._tls_context())
        else:
            smtp = _SMTP(timeout=config.timeout)
        with _Watchdog(smtp, self.deadline) as watchdog:
            try:
                try:
                    code, greeting = smtp.connect(config.smtp_host, self.port)
                    if code != 220:
                        raise smtplib.SMTPConnectError(code, greeting)
                    if config.smtp_security == "starttls":
                        smtp.starttls(context=self._tls_context())
                    if config.username:
                        smtp.login(config.username, self.password)
                    refused_now = smtp.send_message(mail, to_addrs=recipients)
                finally:
                    _quit(smtp)
            except smtplib.SMTPResponseException:
                if watchdog.expired:  # a reply cut short by the deadline is no answer
                    raise _Lost(TimeoutError(), left=smtp.message_left, expired=True) from None
                raise  # the server's own answer: it says what became of the message
            except (TimeoutError, smtplib.SMTPException, OSError, ValueError) as exc:
                if watchdog.expired or smtp.message_left:
                    raise _Lost(exc, left=smtp.message_left, expired=watchdog.expired) from exc
                raise
        return dict(refused_now)

    async def send(self, message: Message) -> SendResult:
        missing = [p.name for p in message.files if not p.is_file()]
        if missing:
            return SendResult(
                ok=False,
                error=str(
                    refused(
                        "要附上的文件不存在：" + "、".join(missing),
                        channel=self.name,
                        hint="先发布该期（jianbao issue publish），生成 Word/PDF 文件",
                    )
                ),
            )
        mail = self.build(message)
        try:
            refused_some = await asyncio.to_thread(self._deliver, mail)
        except _Lost as lost:
            return self._lost(lost)
        except smtplib.SMTPAuthenticationError as exc:
            return self._refused(
                f"邮件服务器拒绝登录（{exc.smtp_code}）",
                f"核对 channels.{self.name}.username 与 password_env 所指的密码",
                exc,
            )
        except smtplib.SMTPRecipientsRefused as exc:
            who = "、".join(exc.recipients)
            return self._refused(
                f"邮件服务器拒收全部收件人：{who}",
                f"核对 channels.{self.name}.to、cc、bcc",
                exc,
            )
        except smtplib.SMTPSenderRefused as exc:
            return self._refused(
                f"邮件服务器拒绝发件人 {exc.sender}（{exc.smtp_code}）",
                f"核对 channels.{self.name}.sender 是否为登录账号可用的地址",
                exc,
            )
        except smtplib.SMTPNotSupportedError as exc:
            if "SMTPUTF8" in str(exc):
                return self._refused(
                    "邮件服务器不支持中文等非 ASCII 字符的邮件地址（SMTPUTF8）",
                    f"核对 channels.{self.name}.sender、to、cc、bcc：地址本身只用 ASCII 字符，"
                    "姓名写在尖括号外，如 张三 <name@example.cn>",
                    None,
                )
            return self._refused(
                "邮件服务器不支持 STARTTLS 或登录",
                f"改 channels.{self.name}.smtp_security（starttls、tls 或 none）与 smtp_port",
                None,
            )
        except smtplib.SMTPResponseException as exc:
            text = f"邮件服务器应答 {exc.smtp_code}"
            if 400 <= exc.smtp_code < 500:
                return SendResult(ok=False, retryable=True, error=f"{text}（暂时性错误），稍后重试")
            return self._refused(text, f"核对 channels.{self.name} 的服务器设置", exc)
        except ssl.SSLCertVerificationError:
            return self._refused(
                "邮件服务器的证书无法验证",
                f"服务器用私有 CA 时，在 channels.{self.name}.smtp_ca_file 填写 CA 证书",
                None,
            )
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            return SendResult(
                ok=False,
                retryable=True,
                error=(
                    f"无法连接邮件服务器 {self.config.smtp_host}:{self.port}：{type(exc).__name__}"
                ),
            )
        if refused_some:
            return SendResult(
                ok=True, answer="部分收件人被拒收：" + "、".join(sorted(refused_some))
            )
        return SendResult(ok=True, answer=f"已交给 {self.config.smtp_host}")

    def _lost(self, lost: _Lost) -> SendResult:
        """The session ended without an answer: unconfirmed once the message had gone,
        else retryable (nothing was handed over)."""
        where = f"{self.config.smtp_host}:{self.port}"
        why = (
            f"整个会话超过 {self.deadline:g} 秒仍未结束，已中止"
            if lost.expired
            else f"连接中断（{type(lost.cause).__name__}）"
        )
        if not lost.left:
            return SendResult(
                ok=False,
                retryable=True,
                # a server stuck for a whole deadline is not tried again in this run
                # (``send_with_retry`` leaves a wait longer than its cap to a later run)
                retry_after=STUCK_RETRY_AFTER if lost.expired else None,
                error=f"邮件服务器 {where} {why}，邮件未交出，稍后重试",
            )
        error = refused(
            f"未确认：邮件已交给 {where}，但{why}，服务器可能已收下",
            channel=self.name,
            hint="为免重复，未自动重发；先问收件人是否收到，没有再重发未确认的部分",
        )
        return SendResult(ok=False, unconfirmed=True, error=str(error))

    def _refused(self, message: str, hint: str, exc: BaseException | None) -> SendResult:
        from jianbao.deliver.base import excerpt

        answer = ""
        if isinstance(exc, smtplib.SMTPResponseException):
            raw = exc.smtp_error
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            answer = excerpt(text, [self.password])
        return SendResult(
            ok=False, answer=answer, error=str(refused(message, channel=self.name, hint=hint))
        )
