"""Topics as keyword expressions: AND, OR, NOT, parentheses, "phrases" and NEAR/n.

A publication's topic is configuration an editor writes and reads, so it is a small
search-engine style language rather than code::

    "电子病历" OR (人工智能 AND (医疗 OR 医院)) NOT 招聘
    互联网医院 NEAR/20 监管

Chinese has no spaces between words, so a term matches wherever it occurs as a substring
of the text (after width and case folding, so ＡＩ, ai and AI are one term).
Adjacent operands without an operator are joined by AND. The Chinese operators 且/并且,
或/或者 and 非/不含 may be used instead of AND, OR and NOT when they stand alone between
spaces. ``a NEAR/n b`` holds when an occurrence of ``a`` and one of ``b`` in the same
field (title or body) are at most ``n`` characters apart. ``@name`` stands for a built-in
lexicon (``@卫生健康信息化``, see :mod:`jianbao.judge.lexicon`), so a publication can
write ``@卫生健康信息化 NOT 招聘``.

A match scores higher when its terms occur in the title than when they only occur in the
body; the score lies in [0, 1) and is 0 when the expression does not hold.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from jianbao.errors import TopicSyntaxError

#: weights of one matched term found in the title / found in the body
TITLE_WEIGHT = 2.0
BODY_WEIGHT = 1.0

_AND_WORDS = {"AND", "且", "并且", "&&", "&"}
_OR_WORDS = {"OR", "或", "或者", "||", "|"}
_NOT_WORDS = {"NOT", "非", "不含"}
_NEAR = re.compile(r"^NEAR/(\d+)$")
_OPEN_QUOTES = {'"': '"', "“": "”", "「": "」"}
_OPEN_PARENS = "(（"
_CLOSE_PARENS = ")）"
_TERM_STOP = set(" \t\r\n\u3000") | set(_OPEN_PARENS) | set(_CLOSE_PARENS) | set(_OPEN_QUOTES)


_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def _narrow(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def fold(text: str) -> str:
    """The form terms and texts are compared in: full-width Latin, digits and symbols made
    half-width (ＡＩ → AI, ５Ｇ → 5G, ＋ → +) and case-folded, so Latin matching ignores
    case and width. (Full NFKC costs ten times more on Chinese text, for characters
    topics do not use.)"""
    if _WIDE.search(text) is not None:
        text = _WIDE.sub(_narrow, text)
    return text.casefold()


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """Whether a text matches a topic, how strongly, and through which terms."""

    matched: bool
    score: float
    terms: list[str] = field(default_factory=list)


# -- the expression tree ---------------------------------------------------------------


class _Texts:
    """The folded title and body of one article, with occurrence caches."""

    __slots__ = ("body", "cache", "present", "title")

    def __init__(self, title: str, body: str, leaves: tuple[str, ...]):
        self.title = fold(title)
        self.body = fold(body)
        self.cache: dict[str, tuple[bool, int]] = {}
        #: the expression's terms that occur in the title or body: one pass, then the
        #: tree only visits branches that can still be true
        self.present = {t for t in leaves if t in self.title or t in self.body}

    def hits(self, term: str) -> tuple[bool, int]:
        """(found in the title, occurrences in the body)."""
        found = self.cache.get(term)
        if found is None:
            found = (term in self.title, self.body.count(term) if term in self.body else 0)
            self.cache[term] = found
        return found


class _Node:
    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        raise NotImplementedError

    def positive_terms(self) -> list[str]:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class _Term(_Node):
    text: str  # folded
    shown: str  # as written

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        if self.text not in texts.present:
            return False
        in_title, in_body = texts.hits(self.text)
        if in_title or in_body:
            terms.append(self.shown)
            return True
        return False

    def positive_terms(self) -> list[str]:
        return [self.shown]


@dataclass(frozen=True, slots=True)
class _And(_Node):
    parts: tuple[_Node, ...]

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        found: list[str] = []
        for part in self.parts:
            if not part.evaluate(texts, found):
                return False
        terms.extend(found)
        return True

    def positive_terms(self) -> list[str]:
        return [t for p in self.parts for t in p.positive_terms()]


class _Or(_Node):
    """Alternatives, indexed by the terms each needs: a topic of a thousand alternatives
    evaluates only those whose terms occur in the article."""

    __slots__ = ("always", "by_term", "parts")

    def __init__(self, parts: tuple[_Node, ...]):
        self.parts = parts
        self.always: list[int] = []
        self.by_term: dict[str, list[int]] = {}
        for n, part in enumerate(parts):
            needed = _required(part)
            if needed is None:
                self.always.append(n)
            else:
                for term in needed:
                    self.by_term.setdefault(term, []).append(n)

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        chosen = set(self.always)
        for term in texts.present.intersection(self.by_term):
            chosen.update(self.by_term[term])
        result = False
        for n in sorted(chosen):
            # evaluate every possible branch: the matched terms explain the match
            result = self.parts[n].evaluate(texts, terms) or result
        return result

    def positive_terms(self) -> list[str]:
        return [t for p in self.parts for t in p.positive_terms()]


@dataclass(frozen=True, slots=True)
class _Not(_Node):
    part: _Node

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        return not self.part.evaluate(texts, [])

    def positive_terms(self) -> list[str]:
        return []


@dataclass(frozen=True, slots=True)
class _Near(_Node):
    left: _Term
    right: _Term
    distance: int

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        a, b = self.left.text, self.right.text
        if a not in texts.present or b not in texts.present:
            return False
        a_title, a_body = texts.hits(a)
        if not (a_title or a_body):
            return False
        b_title, b_body = texts.hits(b)
        if not (b_title or b_body):
            return False
        for field_text, both in (
            (texts.title, a_title and b_title),
            (texts.body, a_body and b_body),
        ):
            if both and _near(field_text, a, b, self.distance):
                terms.extend((self.left.shown, self.right.shown))
                return True
        return False

    def positive_terms(self) -> list[str]:
        return [self.left.shown, self.right.shown]


def _required(node: _Node) -> frozenset[str] | None:
    """Terms of which at least one must occur for the node to hold (None: no such set,
    e.g. under NOT)."""
    if isinstance(node, _Term):
        return frozenset((node.text,))
    if isinstance(node, _Near):
        return frozenset((node.left.text,))
    if isinstance(node, _And):
        options = [r for r in (_required(p) for p in node.parts) if r is not None]
        return min(options, key=len) if options else None
    if isinstance(node, _Or):
        found: set[str] = set()
        for part in node.parts:
            needed = _required(part)
            if needed is None:
                return None
            found |= needed
        return frozenset(found)
    return None


def _leaves(node: _Node) -> set[str]:
    if isinstance(node, _Term):
        return {node.text}
    if isinstance(node, _Near):
        return {node.left.text, node.right.text}
    if isinstance(node, _And | _Or):
        return set().union(*(_leaves(p) for p in node.parts))
    if isinstance(node, _Not):
        return _leaves(node.part)
    return set()


def _positions(text: str, term: str, limit: int = 200) -> list[int]:
    found: list[int] = []
    start = text.find(term)
    while start >= 0 and len(found) < limit:
        found.append(start)
        start = text.find(term, start + 1)
    return found


def _near(text: str, a: str, b: str, distance: int) -> bool:
    """Some occurrence of ``a`` and one of ``b`` are at most ``distance`` characters apart
    (the gap between them; overlapping occurrences count as 0)."""
    pos_b = _positions(text, b)
    for pa in _positions(text, a):
        for pb in pos_b:
            gap = max(pb - (pa + len(a)), pa - (pb + len(b)))
            if gap <= distance:
                return True
    return False


# -- the topic -------------------------------------------------------------------------


class Topic:
    """A parsed keyword expression; build one with :func:`parse_topic`."""

    def __init__(
        self,
        expression: str,
        root: _Node,
        *,
        title_weight: float = TITLE_WEIGHT,
        body_weight: float = BODY_WEIGHT,
    ):
        self.expression = expression
        self._root = root
        self.title_weight = title_weight
        self.body_weight = body_weight
        self._folded = {t: fold(t) for t in root.positive_terms()}
        self._leaves = tuple(sorted(_leaves(root)))

    def __repr__(self) -> str:
        return f"Topic({self.expression!r})"

    @property
    def terms(self) -> list[str]:
        """The terms whose presence speaks for the topic (those under NOT excluded)."""
        return list(dict.fromkeys(self._root.positive_terms()))

    def match(self, title: str, body: str) -> TopicMatch:
        """Match the expression against an article's title and body."""
        texts = _Texts(title, body, self._leaves)
        found: list[str] = []
        if not self._root.evaluate(texts, found):
            return TopicMatch(False, 0.0, [])
        terms = list(dict.fromkeys(found))
        raw = 0.0
        for term in terms:
            in_title, in_body = texts.hits(self._folded.get(term) or fold(term))
            raw += self.title_weight * in_title + self.body_weight * math.log2(1 + in_body)
        return TopicMatch(True, 1.0 - math.exp(-raw / 4.0), terms)


# -- parsing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # term, phrase, and, or, not, near, open, close
    text: str
    position: int
    distance: int = 0


def _lex(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(expression)
    while i < n:
        char = expression[i]
        if char.isspace():
            i += 1
        elif char in _OPEN_PARENS:
            tokens.append(_Token("open", char, i))
            i += 1
        elif char in _CLOSE_PARENS:
            tokens.append(_Token("close", char, i))
            i += 1
        elif char in _OPEN_QUOTES:
            closing = _OPEN_QUOTES[char]
            end = expression.find(closing, i + 1)
            if end < 0 and closing != '"':
                end = expression.find('"', i + 1)
            if end < 0:
                raise TopicSyntaxError("引号没有闭合", expression=expression, position=i)
            phrase = expression[i + 1 : end]
            if not phrase.strip():
                raise TopicSyntaxError("引号中的短语为空", expression=expression, position=i)
            tokens.append(_Token("phrase", phrase, i))
            i = end + 1
        else:
            start = i
            while i < n and expression[i] not in _TERM_STOP:
                i += 1
            word = expression[start:i]
            tokens.append(_classify(word, start, expression))
    return tokens


def _classify(word: str, position: int, expression: str) -> _Token:
    if word in _AND_WORDS:
        return _Token("and", word, position)
    if word in _OR_WORDS:
        return _Token("or", word, position)
    if word in _NOT_WORDS:
        return _Token("not", word, position)
    if word.startswith("@") and len(word) > 1:
        from jianbao.judge.lexicon import LEXICONS

        if word[1:] not in LEXICONS:
            known = "、".join("@" + name for name in LEXICONS)
            raise TopicSyntaxError(
                f"未知的词表 {word}（可用：{known}）", expression=expression, position=position
            )
        return _Token("lexicon", word[1:], position)
    near = _NEAR.match(word)
    if near:
        return _Token("near", word, position, int(near.group(1)))
    if word == "NEAR" or word.startswith("NEAR/"):
        raise TopicSyntaxError(
            "NEAR 需要写明相距的字符数，如 NEAR/20",
            expression=expression,
            position=position,
        )
    return _Token("term", word, position)


class _Parser:
    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = _lex(expression)
        self.i = 0

    def error(self, message: str, position: int | None = None) -> TopicSyntaxError:
        if position is None:
            token = self.peek()
            position = token.position if token is not None else len(self.expression)
        return TopicSyntaxError(message, expression=self.expression, position=position)

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> _Node:
        if not self.tokens:
            raise self.error("主题表达式为空", 0)
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:
            if extra.kind == "close":
                raise self.error("多余的右括号", extra.position)
            raise self.error(f"无法理解的 {extra.text!r}", extra.position)
        return node

    def parse_or(self) -> _Node:
        parts = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else _Or(tuple(parts))

    def parse_and(self) -> _Node:
        parts = [self.parse_not()]
        while (token := self.peek()) is not None and token.kind in (
            "and",
            "term",
            "phrase",
            "lexicon",
            "open",
            "not",
        ):
            if token.kind == "and":
                self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else _And(tuple(parts))

    def parse_not(self) -> _Node:
        token = self.peek()
        if token is not None and token.kind == "not":
            self.take()
            return _Not(self.parse_not())
        return self.parse_near()

    def parse_near(self) -> _Node:
        left = self.parse_primary()
        token = self.peek()
        if token is None or token.kind != "near":
            return left
        self.take()
        right = self.parse_primary()
        if not isinstance(left, _Term) or not isinstance(right, _Term):
            raise self.error("NEAR 只能连接两个词或短语，不能连接括号中的组合", token.position)
        follow = self.peek()
        if follow is not None and follow.kind == "near":
            raise self.error("NEAR 只能连接两个词", follow.position)
        return _Near(left, right, token.distance)

    def parse_primary(self) -> _Node:
        token = self.peek()
        if token is None:
            raise self.error("表达式在应当出现词语的地方结束了")
        if token.kind == "open":
            self.take()
            if (inner := self.peek()) is not None and inner.kind == "close":
                raise self.error("括号中没有内容", token.position)
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != "close":
                raise self.error("括号没有闭合", token.position)
            self.take()
            return node
        if token.kind in ("term", "phrase"):
            self.take()
            return _Term(fold(token.text), token.text)
        if token.kind == "lexicon":
            from jianbao.judge.lexicon import LEXICONS

            self.take()
            return _Parser(LEXICONS[token.text]).parse()
        raise self.error(f"{token.text!r} 前面缺少词语", token.position)


def parse_topic(
    expression: str, *, title_weight: float = TITLE_WEIGHT, body_weight: float = BODY_WEIGHT
) -> Topic:
    """Parse a keyword expression; raises TopicSyntaxError with the 0-based position."""
    root = _Parser(expression).parse()
    return Topic(expression, root, title_weight=title_weight, body_weight=body_weight)
