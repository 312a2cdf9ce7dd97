"""Channels built from the configuration, each switched off with its reason when it
lacks what it needs (scrapy's NotConfigured): ``channels list`` shows both kinds."""

from __future__ import annotations

from jianbao.config import Settings
from jianbao.deliver.base import Channel, ChannelConfig
from jianbao.errors import NotConfigured


def build_channel(name: str, config: ChannelConfig, settings: Settings) -> Channel:
    """The channel of one ``[channels.<name>]`` table; NotConfigured says what is missing."""
    if config.kind == "wecom":
        from jianbao.deliver.wecom import WeComChannel

        return WeComChannel(name, config, settings)
    if config.kind == "dingtalk":
        from jianbao.deliver.dingtalk import DingTalkChannel

        return DingTalkChannel(name, config, settings)
    if config.kind == "feishu":
        from jianbao.deliver.feishu import FeishuChannel

        return FeishuChannel(name, config, settings)
    if config.kind == "webhook":
        from jianbao.deliver.webhook import WebhookChannel

        return WebhookChannel(name, config, settings)
    if config.kind == "email":
        from jianbao.deliver.email import EmailChannel

        return EmailChannel(name, config, settings)
    raise NotConfigured(
        f"未知的频道类型 {config.kind}",
        item=f"channels.{name}.kind",
        hint="kind 可为 wecom、dingtalk、feishu、email、webhook",
    )


def configured_channels(settings: Settings) -> dict[str, Channel | NotConfigured]:
    """Every configured channel by name, or the reason it is switched off."""
    out: dict[str, Channel | NotConfigured] = {}
    for name, config in settings.channels.items():
        try:
            out[name] = build_channel(name, config, settings)
        except NotConfigured as exc:
            out[name] = exc
    return out
