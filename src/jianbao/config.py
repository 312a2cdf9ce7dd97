"""Settings, declared once with their help text.

Values come, in order of precedence, from keyword arguments, ``JIANBAO_*`` environment
variables, a TOML file (``JIANBAO_CONFIG``, default ``./jianbao.toml`` when present) and
the defaults below. One ``Settings`` object is built at the edge (CLI, web, jobs) and
passed down; nothing reads a global.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from jianbao.channel_settings import ChannelConfig
from jianbao.errors import ConfigError

#: the weights of jianbao.judge.rank.RankWeights (a test keeps the two lists equal)
RANK_WEIGHT_NAMES = (
    "relevance",
    "government",
    "central_media",
    "outlets",
    "policy",
    "recency",
    "half_life_days",
    "preference",
)

#: the outlet lists of jianbao.judge.authority.AuthorityRules a configuration may extend
AUTHORITY_LISTS = (
    "government_domains",
    "government_names",
    "central_media_domains",
    "central_media_names",
)

#: the built-in 卫生健康信息化 topic: the curated lexicon of jianbao.judge.lexicon, which
#: combines health-IT terms with health context (see jianbao.judge.topic for the syntax)
DEFAULT_TOPIC = "@卫生健康信息化"


class Settings(BaseSettings):
    """All of jianbao's settings. Every field's description is its documentation."""

    model_config = SettingsConfigDict(
        env_prefix="JIANBAO_",
        extra="forbid",
        validate_default=True,
    )

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite database, models and published files.",
    )
    database_url: str = Field(
        default="",
        description=(
            "SQLAlchemy URL of the store. Empty means a SQLite file data_dir/jianbao.db. "
            "PostgreSQL: postgresql+pg8000://user@host:5432/dbname."
        ),
    )
    database_connect_timeout: float = Field(
        default=10.0,
        gt=0,
        description=(
            "Seconds allowed to connect to the PostgreSQL server and sign in; an address "
            "that accepts connections but does not answer fails after this."
        ),
    )
    database_statement_timeout: float = Field(
        default=120.0,
        ge=0,
        description=(
            "Seconds one PostgreSQL statement may run or wait for a lock before the server "
            "cancels it (schema migrations are exempt); 0: no limit."
        ),
    )
    database_busy_timeout: float = Field(
        default=10.0,
        ge=0,
        description=(
            "Seconds a SQLite write waits for another process's write to finish before it "
            "fails with an error saying the store is busy."
        ),
    )
    language: str = Field(default="zh", description="Interface language: zh or en.")
    user_agent: str = Field(
        default="jianbao/0.1 (+news monitoring for health informatics)",
        description="User-Agent header sent with every request.",
    )
    fetch_timeout: float = Field(default=20.0, description="Seconds allowed for one request.")
    connect_timeout: float = Field(default=10.0, description="Seconds allowed to connect.")
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024, description="Response bodies are cut off at this size."
    )
    max_redirects: int = Field(default=5, description="Redirects followed per request.")
    per_host_concurrency: int = Field(default=2, description="Parallel requests per host.")
    per_host_delay: float = Field(
        default=0.5, description="Seconds between two requests to the same host."
    )
    total_concurrency: int = Field(default=32, description="Parallel requests in all.")
    pipeline_workers: int = Field(
        default=0,
        ge=0,
        description=(
            "Worker processes that extract and judge the articles of a collection cycle: "
            "0 means one per CPU core, 1 does everything in the collecting process."
        ),
    )
    retries: int = Field(default=2, description="Retries for timeouts, 429 and 5xx answers.")
    browser_path: str = Field(
        default="/usr/bin/chromium",
        description="Chromium used for sources marked render = browser (Debian's chromium).",
    )
    browser_wait: float = Field(
        default=3.0,
        description="Seconds a browser-rendered page may take to settle after its scripts.",
    )
    respect_robots: bool = Field(
        default=True,
        description="Honour robots.txt (a source can opt out with respect_robots = false).",
    )
    ssrf_allowlist: list[str] = Field(
        default_factory=list,
        description=(
            "Addresses or networks (CIDR) that may be fetched although private or loopback, "
            "e.g. 127.0.0.1/32 for a local test server."
        ),
    )
    topic: str = Field(
        default=DEFAULT_TOPIC,
        description="Keyword expression deciding relevance (AND, OR, NOT, quotes, NEAR/n).",
    )
    summary_length: int = Field(
        default=120, description="Maximum characters of an extractive summary."
    )
    publisher: str = Field(
        default="北京市卫生健康大数据与政策研究中心",
        description="Publisher name printed under a report's title.",
    )
    daily_publication: str = Field(default="每日学习播报", description="Daily title.")
    weekly_publication: str = Field(
        default="全国卫生信息化舆情监测周报", description="Weekly report title."
    )
    monthly_publication: str = Field(
        default="全国卫生信息化舆情监测月报", description="Monthly report title."
    )
    topic_phrase: str = Field(
        default="卫生信息化", description="Topic phrase used in the 导语 (…相关信息)."
    )
    scope: str = Field(
        default="全国主流媒体及政府网站等", description="Monitoring scope named in the 导语."
    )
    publications_file: Path | None = Field(
        default=None,
        description=(
            "TOML file of [publications.<key>] tables (title, kind, publisher, period_rule, "
            "first_number, categories, formats…); empty means the built-in daily, weekly and "
            "monthly."
        ),
    )
    calendar_file: Path | None = Field(
        default=None,
        description=(
            "TOML file adding holidays and 调休 workdays for years the calendar library does "
            "not know yet (the State Council publishes each year's schedule in winter)."
        ),
    )
    public_url: str = Field(
        default="",
        description=(
            "Address where the data folder's archive/ is published (e.g. https://…/jianbao); "
            "links in the feed of published issues start with it. Empty: file links."
        ),
    )
    web_session_idle_minutes: int = Field(
        default=480,
        ge=1,
        description="Minutes without a request after which a workstation session ends.",
    )
    web_session_days: int = Field(
        default=14,
        ge=1,
        le=365,
        description="Days after sign-in when a workstation session ends however busy it is.",
    )
    web_signin_attempts: int = Field(
        default=5,
        ge=1,
        description=(
            "Failed sign-ins allowed per account (counted for a day) before it is locked; "
            "each further failure doubles the lock."
        ),
    )
    web_signin_address_attempts: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins allowed from one address (any accounts) before it is locked.",
    )
    web_signin_lockout_seconds: int = Field(
        default=60,
        ge=1,
        description="The first lock after too many failed sign-ins, doubled up to one hour.",
    )
    web_url: str = Field(
        default="",
        description=(
            "Address of the workstation as editors reach it (e.g. https://jianbao.example.cn); "
            "the duty editor's notices link to the composer there. Empty: "
            "http://127.0.0.1:8000."
        ),
    )
    admin_channel: str = Field(
        default="",
        description=(
            "Channel ([channels.<name>]) that tells the admins of a failed, missed or late "
            "job (`jianbao run`). Empty: such problems are only logged."
        ),
    )
    alert_channels: list[str] = Field(
        default_factory=list,
        description=(
            "Channels ([channels.<name>]) that receive the alerts (预警) of `jianbao run`; "
            "empty: alerts are recorded and shown on the 预警 page only."
        ),
    )
    alert_quiet_hours: str = Field(
        default="",
        description=(
            "Quiet hours HH:MM-HH:MM (e.g. 22:00-07:00): alerts below 红 fired then are held "
            "and sent at their end; empty: none."
        ),
    )
    alert_watch: list[str] = Field(
        default_factory=list,
        description=(
            "Watched region and institutions (e.g. 东川省, 东川省卫健委, 东川省人民医院): central "
            "media or a government site reporting on one raises an alert (rule kind watch)."
        ),
    )
    alert_levels: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Levels of the built-in alert rules replacing the defaults (risk yellow, spike "
            'blue, watch blue): red, orange, yellow or blue, e.g. {"spike": "yellow"}.'
        ),
    )
    alert_risk_threshold: float = Field(
        default=0.40,
        ge=0,
        le=1,
        description=(
            "Incident probability from which a story raises a risk alert (0.40: chosen by "
            "leave-one-part-out over the labelled held-out parts, `benchmarks/alerts_lopo.py`)."
        ),
    )
    alert_spike_outlets: int = Field(
        default=5,
        ge=2,
        description=(
            "Outlets carrying one story within alert_spike_hours that make a spike alert "
            "(5: the event stage merges outlets' write-ups of one event into one story)."
        ),
    )
    alert_spike_hours: int = Field(
        default=6, ge=1, description="Hours over which a story's outlets are counted."
    )
    alert_spike_sector: bool = Field(
        default=True,
        description=(
            "A spike alert fires only on a story of the health sector: one of its articles "
            "names it (医院, 卫健, 医保, 患者 … the risk lexicon's [health] terms) or was "
            "judged relevant to the topics. false: any story carried widely or whose term "
            "spikes (a drunk driver going viral too)."
        ),
    )
    fetch_attempts_keep_days: int = Field(
        default=90,
        ge=0,
        description=(
            "Days the record of each source visit (fetch attempt: outcome, HTTP status, "
            "error) is kept; older ones are deleted after a collection cycle, about once a "
            "day, keeping each source's last 10 visits and its newest that found links. "
            "0 keeps them all."
        ),
    )
    backup_keep: int = Field(
        default=7,
        ge=0,
        description=(
            "Daily backups of the SQLite store kept in data_dir/backups (`jianbao run`); "
            "0 turns the backup off. PostgreSQL: back up with pg_dump (see README)."
        ),
    )
    scheduler_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description=(
            "Length of the scheduler lease: when the `jianbao run` holding it stops, a "
            "standby process takes over after at most this many seconds."
        ),
    )
    broker_url: str = Field(
        default="",
        description=(
            "Celery broker for scale-out (`jianbao worker`, `jianbao beat`), e.g. "
            "redis://127.0.0.1:6379/0. Empty: the embedded `jianbao run` does everything."
        ),
    )
    broker_queue_prefix: str = Field(
        default="jianbao",
        pattern=r"^[A-Za-z0-9_-]+$",
        description=(
            "Prefix of the Celery queue names (<prefix>.fetch, .cpu, .deliver, .schedule), "
            "so several jianbao deployments can share one Redis."
        ),
    )
    broker_visibility_timeout: float = Field(
        default=7200.0,
        gt=0,
        description=(
            "Seconds after which Redis hands a task a lost worker never acknowledged to "
            "another worker; must exceed the longest task (a collection of one source)."
        ),
    )
    deliver_rate_limit: str = Field(
        default="30/m",
        pattern=r"^\d+/[smh]$",
        description=(
            "Deliveries a Celery worker starts at most per second, minute or hour (30/m), "
            "as the robot platforms limit messages."
        ),
    )
    dedup_threshold: float = Field(
        default=0.5, description="Jaccard similarity above which two articles are one story."
    )
    retrain_after_decisions: int = Field(
        default=20,
        ge=0,
        description=(
            "Retrain the relevance and category models in the background after this many "
            "new editor decisions (accept, reject, publish, category changes); 0 turns "
            "automatic retraining off (`jianbao model train` still works)."
        ),
    )
    timezone: str = Field(
        default="Asia/Shanghai",
        description="Time zone of the schedule's clock times (draft_at, send_at, backup_at…).",
    )
    collect_every_minutes: int = Field(
        default=30,
        ge=1,
        le=1440,
        description="Minutes between two scheduled collection cycles (`jianbao run`).",
    )
    collect_hours: str = Field(
        default="00:00-24:00",
        description=(
            "Hours of the day when scheduled collection runs, HH:MM-HH:MM in the schedule's "
            "time zone, e.g. 06:00-22:00; the default is all day."
        ),
    )
    backup_at: str = Field(
        default="02:00", description="Time of day (HH:MM) of the daily backup of the store."
    )
    retrain_at: str = Field(
        default="02:30",
        description=(
            "Time of day (HH:MM) when the scheduler retrains the models if enough new "
            "decisions came in (see retrain_after_decisions)."
        ),
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; e.g. Asia/Shanghai") from None
        return value

    @field_validator("backup_at", "retrain_at")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        from jianbao.clock_times import parse_clock_time

        parse_clock_time(value)
        return value

    @field_validator("alert_quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        from jianbao.clock_times import parse_clock_time

        if value:
            begin, sep, end = value.partition("-")
            if not sep:
                raise ValueError("quiet hours are HH:MM-HH:MM, e.g. 22:00-07:00")
            parse_clock_time(begin.strip())
            parse_clock_time(end.strip())
        return value

    @field_validator("alert_levels")
    @classmethod
    def _alert_levels(cls, value: dict[str, str]) -> dict[str, str]:
        kinds, levels = ("keyword", "risk", "spike", "watch"), ("red", "orange", "yellow", "blue")
        for kind, level in value.items():
            if kind not in kinds:
                raise ValueError(f"unknown alert rule kind {kind}; known: {', '.join(kinds)}")
            if level not in levels:
                raise ValueError(f"unknown alert level {level}; known: {', '.join(levels)}")
        return value

    @field_validator("collect_hours")
    @classmethod
    def _hours_range(cls, value: str) -> str:
        from jianbao.clock_times import parse_hours

        parse_hours(value)
        return value

    rank_weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Candidate ranking weights that replace the defaults, by name: relevance, "
            "government, central_media, outlets (per doubling of outlets), policy, recency, "
            'half_life_days, preference; e.g. {"government": 0.8, "recency": 0.5}.'
        ),
    )

    archive_publications: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Titles of back issues (jianbao archive import) mapped to the publication they "
            'belong to, by key; e.g. {"卫生信息化舆情周报": "weekly"}. A title neither mapped '
            "nor any publication's own becomes a publication of its own."
        ),
    )

    authority: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Domains and outlet names added to the authority tiers that choose a story's "
            "representative and rank candidates: government_domains, government_names, "
            "central_media_domains, central_media_names; e.g. "
            '{"government_domains": ["wsjkw.example.cn"], "government_names": ["东川省卫健委"]}.'
        ),
    )

    channels: dict[str, ChannelConfig] = Field(
        default_factory=dict,
        description=(
            "Where issues are delivered: [channels.<name>] tables with kind (wecom, dingtalk, "
            "feishu, email, webhook), url, secret or secret_env, keyword, message_type, "
            "mentions, attach and, for email, smtp_host, smtp_port, smtp_security, username, "
            "password_env, sender, to, cc, bcc (see README, Delivery channels)."
        ),
    )

    @field_validator("authority")
    @classmethod
    def _known_authority_lists(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(AUTHORITY_LISTS))
        if unknown:
            raise ValueError(
                f"unknown authority list {', '.join(unknown)}; known: {', '.join(AUTHORITY_LISTS)}"
            )
        return value

    @field_validator("rank_weights")
    @classmethod
    def _known_weights(cls, value: dict[str, float]) -> dict[str, float]:
        known = RANK_WEIGHT_NAMES
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(
                f"unknown ranking weight {', '.join(unknown)}; known: {', '.join(known)}"
            )
        negative = sorted(name for name, weight in value.items() if weight < 0)
        if negative:
            raise ValueError(f"ranking weights cannot be negative: {', '.join(negative)}")
        if value.get("half_life_days", 1.0) <= 0:
            raise ValueError("half_life_days must be above 0")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("zh", "en"):
            raise ValueError("language must be zh or en")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'jianbao.db').as_posix()}"


def _config_file() -> Path | None:
    named = os.environ.get("JIANBAO_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(
                "找不到配置文件",
                item=named,
                hint="修正 JIANBAO_CONFIG 或创建该文件",
            )
        return path
    default = Path("jianbao.toml")
    return default if default.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build the Settings, turning every mistake of the configuration into one clear
    ConfigError naming where it is and how to fix it: a value that does not validate, a
    TOML file that does not parse (the parser's line and column) or is not UTF-8 (a
    Windows editor's GBK), and an environment variable that does not parse (a list or a
    table given as plain text: pydantic-settings reads those as JSON). Each would
    otherwise end every command, ``jianbao run`` included, in a traceback."""
    import tomllib

    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(
            f"设置项 {where} 无效：{first['msg']}",
            hint=f"检查环境变量 JIANBAO_{where.upper()} 或 TOML 文件中的 {where}",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"配置文件不是合法的 TOML（not valid TOML）：{exc}",
            item=str(_config_file()),
            hint="按所示的行和列修正，字符串用成对的引号 (fix it at the line and column shown)",
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"配置文件不是 UTF-8 编码（not UTF-8: byte {exc.start}）",
            item=str(_config_file()),
            hint="用 UTF-8 另存该文件 (save the file as UTF-8)",
        ) from None
    except SettingsError as exc:
        raise _unparsed_setting(exc) from None


def _unparsed_setting(exc: Exception) -> ConfigError:
    """pydantic-settings' 'error parsing value for field "x" from source "…"' as the
    variable to fix and how (its value is not shown: it may be a secret)."""
    import re

    found = re.search(r'field "(\w+)"', str(exc))
    field = found.group(1) if found else "?"
    variable = f"JIANBAO_{field.upper()}"
    return ConfigError(
        f"环境变量 {variable} 无法解析（cannot be parsed）",
        item=variable,
        hint=(
            f"列表和表写作 JSON (lists and tables as JSON)，例如 {variable}='[\"10.0.0.0/8\"]'"
            if field != "?"
            else "列表和表写作 JSON (lists and tables as JSON)"
        ),
    )
