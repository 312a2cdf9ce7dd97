"""Publications as configuration: what a publication is called, counts, covers and prints.

Several publications can coexist (the daily broadcast, the weekly, the monthly, a special
weekly on data security…); each is a ``Publication`` read from TOML, so adding one is an
edit to a file, not to code::

    [publications.weekly]
    title = "全国卫生信息化舆情监测周报"
    kind = "weekly"
    publisher = "北京市卫生健康大数据与政策研究中心"
    topic_phrase = "卫生信息化"
    scope = "全国主流媒体及政府网站等"
    period_rule = "seven-days"     # or mon-fri
    first_number = 547
    source_label = "来源"
    categories = []
    candidate_scopes = []          # the daily's default: ["卫生健康与数字经济政策"]
    channels = ["处室群"]           # names of [channels."…"] tables
    formats = ["docx", "html", "md"]
    draft_at = "07:00"             # the schedule (jianbao run), in the settings' time zone
    send_at = "08:00"              # sent then if an editor has published it
    auto_send = false              # true: check, publish and send the auto-filled issue
    send_grace_minutes = 120       # after downtime, a missed send is made only this late
    enabled = true
    min_items = 0                  # the checker warns below it (0: daily 3, else 1)
    max_title_chars = 80           # … above it
    similar_titles = 0.7           # … and at two titles this similar (0.8: an error)

    [publications.weekly.docx]      # optional: fonts and sizes of the Word/PDF output
    body_font = "仿宋"
    title_font = "方正小标宋简体"
    body_size = 16
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from jianbao.clock_times import clock_minutes
from jianbao.config import Settings
from jianbao.editions.compose import build_issue_view
from jianbao.editions.daynote import CalendarOverride, utf8_file_text
from jianbao.editions.periods import normalize_rule, period_for
from jianbao.errors import ConfigError, InputError, RenderError
from jianbao.judge.scope import POLICY_SCOPE
from jianbao.records import ISSUE_KINDS, IssueItemView, IssueKind, IssueView
from jianbao.render import RenderOptions, get_renderer
from jianbao.render.style import DocxStyle

DEFAULT_FORMATS: dict[str, tuple[str, ...]] = {
    "daily": ("txt", "md", "wecom"),
    "weekly": ("docx", "html", "md"),
    "monthly": ("docx", "html", "md"),
}


#: the fewest items an issue usually has (a daily has about five; a weekly or monthly is
#: judged by its editor unless its publication sets min_items)
MIN_ITEMS: dict[str, int] = {"daily": 3, "weekly": 1, "monthly": 1}


@dataclass(frozen=True, slots=True)
class Publication:
    """One publication's configuration (everything the editor should never retype)."""

    key: str
    title: str
    kind: IssueKind
    publisher: str = ""
    topic_phrase: str = "卫生信息化"
    scope: str = "全国主流媒体及政府网站等"
    period_rule: str | None = None
    first_number: int = 1
    source_label: str = "来源"
    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    #: scopes beyond relevance whose articles the candidate list also offers (the daily's
    #: "卫生健康与数字经济政策", jianbao.judge.scope); empty: the relevant articles only
    candidate_scopes: tuple[str, ...] = ()
    #: Word/PDF typography (fonts and sizes), from a ``[publications.<key>.docx]`` table
    docx: DocxStyle = field(default_factory=DocxStyle)
    #: the schedule (``jianbao run``): when the draft is made and when it is sent, as
    #: HH:MM in the settings' time zone, on the issue's day
    draft_at: str = "07:00"
    send_at: str = "08:00"
    #: an unattended deployment: send the auto-filled issue without an editor publishing
    #: it (checker errors still block it)
    auto_send: bool = False
    #: how late after send_at a missed send (the service was down) is still made
    send_grace_minutes: int = 120
    #: false stops the schedule's jobs for this publication (issues can still be made)
    enabled: bool = True
    #: the checker's warnings: an issue with fewer items (0 = the kind's usual minimum),
    #: a title longer than this many characters, two titles at least this similar
    #: (bigram overlap; 0.8 and above is an error: the same story twice)
    min_items: int = 0
    max_title_chars: int = 80
    similar_titles: float = 0.7

    def __post_init__(self) -> None:
        where = f"publications.{self.key}"
        if self.kind not in ISSUE_KINDS:
            raise ConfigError(
                f"刊物类型 {self.kind!r} 不认识",
                item=where,
                hint="kind 写 daily、weekly 或 monthly",
            )
        if not self.title.strip():
            raise ConfigError("刊物缺少标题", item=where, hint='写 title = "…周报"')
        if self.first_number < 0:
            raise ConfigError("起始期号不能为负", item=where, hint="first_number 写正整数")
        try:
            normalize_rule(self.kind, self.period_rule)
        except InputError as exc:
            raise ConfigError(exc.message, item=where, hint=exc.hint) from exc
        if not self.source_label.strip():
            raise ConfigError("来源标签为空", item=where, hint='source_label = "来源"')
        times = {}
        for name in ("draft_at", "send_at"):
            try:
                times[name] = clock_minutes(getattr(self, name))
            except ValueError:
                raise ConfigError(
                    f"{name} 不是时刻：{getattr(self, name)!r}",
                    item=where,
                    hint=f'写作 24 小时制的“时:分”，如 {name} = "07:00"',
                ) from None
        if times["send_at"] <= times["draft_at"]:
            raise ConfigError(
                f"发送时间 {self.send_at} 不晚于生成草稿的时间 {self.draft_at}",
                item=where,
                hint="send_at 应晚于 draft_at，留出编辑审阅的时间",
            )
        if self.min_items < 0 or self.max_title_chars < 1:
            raise ConfigError(
                "min_items 不能为负，max_title_chars 至少为 1",
                item=where,
                hint="如 min_items = 3、max_title_chars = 80",
            )
        if not 0 < self.similar_titles <= 1:
            raise ConfigError(
                f"similar_titles 应在 0 到 1 之间：{self.similar_titles!r}",
                item=where,
                hint="similar_titles = 0.7（两条标题的相似度达到它时提示）",
            )
        if self.send_grace_minutes < 0:
            raise ConfigError(
                "send_grace_minutes 不能为负",
                item=where,
                hint="send_grace_minutes = 120（错过发送时间后仍补发的分钟数）",
            )

    @property
    def output_formats(self) -> tuple[str, ...]:
        return self.formats or DEFAULT_FORMATS[self.kind]

    def render_options(self) -> RenderOptions:
        return RenderOptions(docx_style=self.docx)

    @property
    def item_minimum(self) -> int:
        """The fewest items an issue should carry: ``min_items``, else the kind's usual."""
        return self.min_items or MIN_ITEMS[self.kind]

    @property
    def numbered(self) -> bool:
        return self.kind != "daily"

    def period(
        self, issue_date: date, override: CalendarOverride | None = None
    ) -> tuple[date, date]:
        return period_for(self.kind, issue_date, self.period_rule, override)

    def view(
        self,
        issue_date: date,
        items: list[IssueItemView],
        *,
        number: int | None = None,
        period: tuple[date, date] | None = None,
        override: CalendarOverride | None = None,
    ) -> IssueView:
        """The render-ready view of an issue of this publication."""
        return build_issue_view(
            self.kind,
            publication_title=self.title,
            issue_date=issue_date,
            number=number if self.numbered else None,
            items=items,
            publisher=self.publisher,
            topic_phrase=self.topic_phrase,
            scope=self.scope,
            period=period,
            source_label=self.source_label,
            categories=list(self.categories) or None,
            period_rule=self.period_rule,
            calendar_override=override,
        )

    @classmethod
    def from_mapping(cls, key: str, data: Mapping[str, Any]) -> Publication:
        """Build from a TOML table, with a clear error for unknown or mistyped keys."""
        where = f"publications.{key}"
        known = {f.name for f in fields(cls)} - {"key"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"刊物配置里有不认识的项：{', '.join(unknown)}",
                item=where,
                hint="可用：" + ", ".join(sorted(known)),
            )
        values: dict[str, Any] = {"key": key}
        for name, value in data.items():
            if name == "formats":
                formats = value if isinstance(value, list | tuple) else []
                for fmt in formats:
                    try:
                        get_renderer(str(fmt))
                    except RenderError as exc:
                        raise ConfigError(exc.message, item=where, hint=exc.hint) from exc
            if name in ("categories", "channels", "formats", "candidate_scopes"):
                if isinstance(value, str) or not isinstance(value, list | tuple):
                    raise ConfigError(f"{name} 应是列表", item=where, hint=f'{name} = ["…"]')
                values[name] = tuple(str(v) for v in value)
            elif name == "docx":
                if not isinstance(value, Mapping):
                    raise ConfigError("docx 应是一个表", item=where, hint='body_font = "仿宋"')
                values[name] = DocxStyle.from_mapping(dict(value), where=f"{where}.docx")
            elif name in ("first_number", "send_grace_minutes", "min_items", "max_title_chars"):
                if isinstance(value, bool) or not isinstance(value, int):
                    example = {"first_number": 547, "min_items": 3, "max_title_chars": 80}.get(
                        name, 120
                    )
                    raise ConfigError(f"{name} 应是整数", item=where, hint=f"{name} = {example}")
                values[name] = value
            elif name == "similar_titles":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ConfigError(f"{name} 应是数字", item=where, hint=f"{name} = 0.7")
                values[name] = float(value)
            elif name in ("auto_send", "enabled"):
                if not isinstance(value, bool):
                    raise ConfigError(
                        f"{name} 应是 true 或 false", item=where, hint=f"{name} = false"
                    )
                values[name] = value
            else:
                if not isinstance(value, str):
                    raise ConfigError(f"{name} 应是文字", item=where, hint=f'{name} = "…"')
                values[name] = value
        if "title" not in values or "kind" not in values:
            raise ConfigError("刊物至少要写 title 和 kind", item=where)
        return cls(**values)


def load_publications(path: Path) -> dict[str, Publication]:
    """Every ``[publications.<key>]`` table of a TOML file, in file order."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"无法读取刊物配置：{exc.strerror or exc}", item=str(path), hint="检查文件路径"
        ) from exc
    return publications_from_bytes(content, path)


def publications_from_bytes(content: bytes, path: Path) -> dict[str, Publication]:
    """:func:`load_publications` of the file's bytes, read already (the scheduler reads
    them once a tick and keeps the last that parsed); ``path`` is named in an error."""
    try:
        data = tomllib.loads(utf8_file_text(content))
    except UnicodeDecodeError as exc:  # a Windows editor's GBK: say how to save it
        raise ConfigError(
            f"刊物配置文件不是 UTF-8 编码（not UTF-8: byte {exc.start}）",
            item=str(path),
            hint="用 UTF-8 另存该文件 (save the file as UTF-8)",
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"刊物配置不是合法的 TOML：{exc}", item=str(path)) from exc
    return publications_from(data, source=str(path))


def publications_from(data: Mapping[str, Any], source: str = "config") -> dict[str, Publication]:
    tables = data.get("publications")
    if not isinstance(tables, Mapping) or not tables:
        raise ConfigError(
            "配置里没有刊物", item=source, hint="写一个 [publications.weekly] 表，见文档示例"
        )
    result: dict[str, Publication] = {}
    for key, table in tables.items():
        if not isinstance(table, Mapping):
            raise ConfigError("刊物配置应是一个表", item=f"publications.{key}")
        result[str(key)] = Publication.from_mapping(str(key), table)
    return result


@dataclass(frozen=True, slots=True)
class HouseDefaults:
    """The three built-in publications' words, as Settings carries them."""

    publisher: str = "北京市卫生健康大数据与政策研究中心"
    daily_title: str = "每日学习播报"
    weekly_title: str = "全国卫生信息化舆情监测周报"
    monthly_title: str = "全国卫生信息化舆情监测月报"
    topic_phrase: str = "卫生信息化"
    scope: str = "全国主流媒体及政府网站等"
    daily_categories: tuple[str, ...] = field(default_factory=tuple)
    #: the daily's candidates reach national policy on health and the digital economy
    #: too (the duty editor shares it); the weekly and the monthly stay 卫生信息化
    daily_scopes: tuple[str, ...] = (POLICY_SCOPE,)


def house_defaults(settings: Settings) -> HouseDefaults:
    """The built-in publications' words as the user's settings give them."""
    return HouseDefaults(
        publisher=settings.publisher,
        daily_title=settings.daily_publication,
        weekly_title=settings.weekly_publication,
        monthly_title=settings.monthly_publication,
        topic_phrase=settings.topic_phrase,
        scope=settings.scope,
    )


def default_publications(defaults: HouseDefaults | None = None) -> dict[str, Publication]:
    """The daily, the weekly and the monthly, as the center publishes them today."""
    d = defaults or HouseDefaults()
    return {
        "daily": Publication(
            "daily",
            d.daily_title,
            "daily",
            publisher=d.publisher,
            topic_phrase=d.topic_phrase,
            scope=d.scope,
            categories=d.daily_categories,
            candidate_scopes=d.daily_scopes,
        ),
        "weekly": Publication(
            "weekly",
            d.weekly_title,
            "weekly",
            publisher=d.publisher,
            topic_phrase=d.topic_phrase,
            scope=d.scope,
            period_rule="seven-days",
        ),
        "monthly": Publication(
            "monthly",
            d.monthly_title,
            "monthly",
            publisher=d.publisher,
            topic_phrase=d.topic_phrase,
            scope=d.scope,
            period_rule="calendar-month",
        ),
    }
