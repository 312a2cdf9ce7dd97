"""The ``[channels.<name>]`` tables of the configuration: where jianbao delivers issues.

Kept apart from ``config.py`` so the settings stay the lowest layer (``config`` imports
this module; ``deliver`` builds channels from it) and apart from ``deliver`` so the
settings never import a stage. Secrets come inline or, better, from the environment
variable named by ``secret_env`` / ``password_env``; they are read only when a channel
is built, so a missing variable switches that channel off with the reason instead of
stopping jianbao.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jianbao.errors import NotConfigured

#: the kinds of channel, each a module of ``jianbao.deliver``
CHANNEL_KINDS = ("wecom", "dingtalk", "feishu", "email", "webhook")

#: message types each kind knows; the first is the default
MESSAGE_TYPES: dict[str, tuple[str, ...]] = {
    "wecom": ("markdown", "markdown_v2", "text", "news"),
    "dingtalk": ("markdown", "actionCard", "feedCard"),
    "feishu": ("post", "interactive"),
    "email": ("html",),
    "webhook": ("json",),
}

#: what ``attach`` may name: the issue's published files by suffix
ATTACHABLE = ("docx", "pdf", "html", "md", "txt")

SMTP_SECURITY = ("starttls", "tls", "none")


class ChannelConfig(BaseModel):
    """One ``[channels.<name>]`` table. Secrets come inline or, better, from the
    environment variable named by ``secret_env`` / ``password_env``."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    #: the robot's webhook address (wecom, dingtalk, feishu, webhook)
    url: str = ""
    #: signing secret (dingtalk, feishu, webhook) or the robot key when not in the URL
    secret: str = ""
    secret_env: str = ""
    #: DingTalk's (or Feishu's) security keyword: made to appear in every message
    keyword: str = ""
    #: message type: wecom markdown|markdown_v2|text|news; dingtalk markdown|actionCard|
    #: feedCard; feishu post|interactive; empty means the platform's default
    message_type: str = ""
    #: people to mention (WeCom userids or mobiles, DingTalk mobiles/userids)
    mentions: list[str] = Field(default_factory=list)
    #: whether the issue's Word/PDF files go along (WeCom file messages, email attachments)
    attach: list[str] = Field(default_factory=list)
    # -- email --
    smtp_host: str = ""
    smtp_port: int = 0
    #: starttls, tls (implicit) or none
    smtp_security: str = "starttls"
    #: a CA bundle (PEM) to trust for the mail server, for a server with a private CA
    smtp_ca_file: str = ""
    username: str = ""
    password: str = ""
    password_env: str = ""
    sender: str = ""
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    #: seconds allowed for one request or SMTP conversation
    timeout: float = Field(default=20.0, gt=0)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in CHANNEL_KINDS:
            raise ValueError(f"unknown channel kind {value!r}; known: {', '.join(CHANNEL_KINDS)}")
        return value

    @field_validator("smtp_security")
    @classmethod
    def _known_security(cls, value: str) -> str:
        if value not in SMTP_SECURITY:
            raise ValueError(f"smtp_security must be one of {', '.join(SMTP_SECURITY)}")
        return value

    @field_validator("attach")
    @classmethod
    def _known_attachments(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in ATTACHABLE]
        if unknown:
            raise ValueError(f"cannot attach {', '.join(unknown)}; known: {', '.join(ATTACHABLE)}")
        return value

    @field_validator("to", "cc", "bcc")
    @classmethod
    def _mail_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            check_mail_address(entry)
        return value

    @field_validator("sender")
    @classmethod
    def _mail_sender(cls, value: str) -> str:
        if value:
            check_mail_address(value)
        return value

    @model_validator(mode="after")
    def _known_message_type(self) -> ChannelConfig:
        known = MESSAGE_TYPES[self.kind]
        if self.message_type and self.message_type not in known:
            raise ValueError(
                f"message_type {self.message_type!r} is not one of {self.kind}'s: "
                + ", ".join(known)
            )
        return self

    @property
    def resolved_message_type(self) -> str:
        return self.message_type or MESSAGE_TYPES[self.kind][0]

    def resolved_secret(self, name: str) -> str:
        return _from_env(self.secret, self.secret_env, name, "secret_env")

    def resolved_password(self, name: str) -> str:
        return _from_env(self.password, self.password_env, name, "password_env")


def check_mail_address(entry: str) -> str:
    """The address of one ``to``/``cc``/``bcc``/``sender`` entry, written bare
    (``name@example.cn``) or with a name (``张三 <name@example.cn>``); a ValueError naming
    the entry, in Chinese and English, when it is not one such address. The setting's
    place (``channels.<name>.to.0``) is added by the configuration's error."""
    from email.utils import getaddresses

    found = getaddresses([entry])
    address = found[0][1] if len(found) == 1 else ""
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or any(c.isspace() or c in "<>,;" for c in address):
        raise ValueError(
            f"不是一个有效的邮件地址（not one valid email address）：{entry!r}；"
            "每项写一个地址，如 name@example.cn 或 张三 <name@example.cn> "
            "(one address per entry, e.g. name@example.cn or 张三 <name@example.cn>)"
        )
    return address


def _from_env(inline: str, env: str, name: str, setting: str) -> str:
    if env:
        value = os.environ.get(env, "")
        if not value:
            raise NotConfigured(
                f"环境变量 {env} 未设置",
                item=f"channels.{name}",
                hint=f"设置环境变量 {env}，或改 channels.{name}.{setting}",
            )
        return value
    return inline
