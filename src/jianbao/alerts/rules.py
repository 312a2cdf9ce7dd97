"""Alert rules, on stories (events), not single articles, as pure functions of a story's
facts (gathered from the store by :mod:`jianbao.alerts.facts`).

Four kinds:

- ``keyword``: a keyword expression in the topics' syntax (jianbao.judge.topic), e.g.
  ``(医院 OR 卫健委) AND (泄露 OR 勒索 OR 宕机)``, held by any article of the story;
- ``risk``: the story's incident probability (jianbao.judge.risk) at or above a threshold
  (the expression, else ``alert_risk_threshold``);
- ``spike``: the story carried by many outlets within hours (the expression: outlets,
  else ``alert_spike_outlets``), or one of its incident terms far above its usual daily
  volume over the last four weeks — a story of the health sector only (one of its
  articles names it, or was judged relevant to the topics; ``alert_spike_sector``,
  :func:`StoryFacts.in_sector`);
- ``watch``: central media or a government site reporting on a watched region or
  institution (the expression adds names to ``alert_watch``). It reads who reports and
  whom, not the page's genre: central media criticising a watched province's health-IT
  project in a commentary, which the risk judgement caps below its threshold
  (jianbao.judge.risk_genre), still alerts through it.

The built-in rules (risk, spike and, with a watch list, watch) always apply; editors add
their own. The story's level is the highest fired, raised one step for each of watch and
spike that holds beside risk (jianbao.alerts.levels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from jianbao.alerts.levels import DEFAULT_LEVELS, higher, highest, parse_level
from jianbao.alerts.spike import SPIKE_MIN_TODAY, SPIKE_RATIO, in_sector, term_spikes
from jianbao.errors import InputError, TopicSyntaxError
from jianbao.judge.risk import DECISION_THRESHOLD

KINDS = ("keyword", "risk", "spike", "watch")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    level: str
    expression: str = ""
    builtin: bool = False


@dataclass(frozen=True)
class Member:
    """One article of a story, as the rules see it."""

    article_id: int
    title: str
    body: str
    url: str
    outlet: str
    #: GOVERNMENT (0), CENTRAL_MEDIA (1) or OTHER (2) (jianbao.judge.authority)
    tier: int
    at: datetime
    risk: float
    sentiment: str
    #: judged relevant to the center's topics (jianbao.judge.relevance) when collected
    relevant: bool = False


@dataclass(frozen=True)
class StoryFacts:
    key: str
    members: tuple[Member, ...]
    #: risk terms of the story → (articles mentioning it in the last day, daily mean of
    #: the four weeks before)
    term_volume: dict[str, tuple[int, float]] = field(default_factory=dict)

    @property
    def lead(self) -> Member:
        """The article shown for the story: the most authoritative, then the earliest."""
        return min(self.members, key=lambda m: (m.tier, m.at))

    @property
    def risk(self) -> float:
        return max(m.risk for m in self.members)

    @cached_property
    def in_sector(self) -> bool:
        """Whether the story is the health sector's business: one of its articles names the
        sector (:func:`jianbao.alerts.spike.in_sector`) or was judged relevant to the
        topics. Any article, not only the lead: the lead is the most authoritative and
        earliest write-up, often a feed's bare headline (男子醉酒… / 某地一男子…), while
        another outlet's write-up of the same event names the hospital; and relevance is
        the center's own judgement of its scope. Read only for a story that would spike
        (a few ms for a large story outside the sector)."""
        return any(m.relevant or in_sector(m.title, m.body) for m in self.members)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(m.outlet for m in sorted(self.members, key=lambda m: m.at)))


@dataclass(frozen=True)
class Fired:
    rule: str
    kind: str
    level: str
    reason: str


@dataclass(frozen=True)
class Thresholds:
    risk: float = DECISION_THRESHOLD
    spike_outlets: int = 5
    spike_hours: int = 6
    watch: tuple[str, ...] = ()
    #: a spike fires on a story of the health sector only (:attr:`StoryFacts.in_sector`)
    spike_sector: bool = True


def builtin_rules(levels: dict[str, str], watch: Sequence[str]) -> list[Rule]:
    """The rules that always apply, at their configured levels."""
    level = {**DEFAULT_LEVELS, **levels}
    rules = [
        Rule("风险事件", "risk", level["risk"], builtin=True),
        Rule("传播激增", "spike", level["spike"], builtin=True),
    ]
    if watch:
        rules.append(Rule("权威报道关注对象", "watch", level["watch"], builtin=True))
    return rules


def check_rule(rule: Rule) -> Rule:
    """A rule as an editor wrote it, checked: its kind, level and expression."""
    if rule.kind not in KINDS:
        raise InputError(f"未知的规则类型：{rule.kind}", hint="类型为 keyword、risk、spike、watch")
    level = parse_level(rule.level)
    if not rule.name.strip():
        raise InputError("规则缺少名称", hint="给规则起一个名字，如 数据泄露")
    if rule.kind == "keyword":
        if not rule.expression.strip():
            raise InputError(
                "关键词规则缺少表达式", hint="如 (医院 OR 卫健委) AND (泄露 OR 勒索 OR 宕机)"
            )
        from jianbao.judge.topic import parse_topic

        try:
            parse_topic(rule.expression)
        except TopicSyntaxError as exc:
            raise InputError(str(exc), item=rule.name, hint="检查括号与 AND/OR/NOT") from None
    if rule.kind in ("risk", "spike") and rule.expression.strip():
        try:
            value = float(rule.expression)
        except ValueError:
            raise InputError(
                f"规则 {rule.name} 的阈值不是数字：{rule.expression}",
                hint="风险规则写 0 到 1 之间的概率，激增规则写媒体家数",
            ) from None
        if rule.kind == "risk" and not 0 <= value <= 1:
            raise InputError(f"风险阈值应在 0 到 1 之间：{value}", item=rule.name, hint="如 0.7")
    return Rule(rule.name.strip(), rule.kind, level, rule.expression.strip(), rule.builtin)


def evaluate(rule: Rule, facts: StoryFacts, limits: Thresholds) -> Fired | None:
    """Whether ``rule`` fires on the story, and why (in words an editor reads)."""
    if rule.kind == "keyword":
        return _keyword(rule, facts)
    if rule.kind == "risk":
        threshold = float(rule.expression) if rule.expression else limits.risk
        if facts.risk >= threshold:
            why = f"事件风险 {facts.risk:.2f}（阈值 {threshold:.2f}）"
            return Fired(rule.name, rule.kind, rule.level, why)
        return None
    if rule.kind == "spike":
        return _spike(rule, facts, limits)
    if rule.kind == "watch":
        return _watch(rule, facts, limits)
    return None


def _keyword(rule: Rule, facts: StoryFacts) -> Fired | None:
    from jianbao.judge.topic import parse_topic

    topic = parse_topic(rule.expression)
    for member in facts.members:
        found = topic.match(member.title, member.body)
        if found.matched:
            terms = "、".join(found.terms[:6])
            return Fired(rule.name, rule.kind, rule.level, f"关键词规则「{rule.name}」：{terms}")
    return None


def _spike(rule: Rule, facts: StoryFacts, limits: Thresholds) -> Fired | None:
    need = int(float(rule.expression)) if rule.expression else limits.spike_outlets
    latest = max(m.at for m in facts.members)
    recent = {
        m.outlet
        for m in facts.members
        if (latest - m.at).total_seconds() <= limits.spike_hours * 3600
    }
    spread = len(recent) >= need
    hot = [] if spread else term_spikes(facts.term_volume)
    if (spread or hot) and limits.spike_sector and not facts.in_sector:
        return None
    if spread:
        why = f"{limits.spike_hours} 小时内 {len(recent)} 家媒体报道（阈值 {need} 家）"
        return Fired(rule.name, rule.kind, rule.level, why)
    if hot:
        term, (today, usual) = hot[0]
        why = (
            f"「{term}」近一天 {today} 篇，为前四周日均 {usual:.1f} 篇的 "
            f"{today / max(usual, 0.5):.0f} 倍"
            f"（阈值 {SPIKE_RATIO:.0f} 倍且至少 {SPIKE_MIN_TODAY} 篇）"
        )
        return Fired(rule.name, rule.kind, rule.level, why)
    return None


def _watch(rule: Rule, facts: StoryFacts, limits: Thresholds) -> Fired | None:
    from jianbao.judge.authority import CENTRAL_MEDIA, GOVERNMENT, TIER_LABELS

    extra = [n.strip() for n in rule.expression.replace("，", ",").split(",") if n.strip()]
    names = [*limits.watch, *extra]
    for member in sorted(facts.members, key=lambda m: (m.tier, m.at)):
        if member.tier not in (GOVERNMENT, CENTRAL_MEDIA):
            continue
        text = f"{member.title}\n{member.body}"
        hit = next((name for name in names if name and name in text), None)
        if hit:
            who = str(TIER_LABELS[member.tier])
            why = f"{who}「{member.outlet}」报道关注对象「{hit}」"
            return Fired(rule.name, rule.kind, rule.level, why)
    return None


def fire(
    rules: Sequence[Rule], facts: StoryFacts, limits: Thresholds
) -> tuple[str, list[Fired]] | None:
    """The story's level and the rules that fired, or None when none did."""
    fired = [f for rule in rules if (f := evaluate(rule, facts, limits)) is not None]
    if not fired:
        return None
    level = highest([f.level for f in fired])
    kinds = {f.kind for f in fired}
    if "risk" in kinds:
        risk_level = highest([f.level for f in fired if f.kind == "risk"])
        steps = len(kinds & {"watch", "spike"})
        level = highest([level, higher(risk_level, steps)])
    return level, fired
