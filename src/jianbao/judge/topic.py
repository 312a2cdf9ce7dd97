"""Topics as keyword expressions: AND, OR, NOT, parentheses, "phrases" and NEAR/n.

A publication's topic is configuration an editor writes and reads, so it is a small
search-engine style language rather than code::

    "电子病历" OR (人工智能 AND (医疗 OR 医院)) NOT 招聘
    互联网医院 NEAR/20 监管
    (人工智能 OR 大数据) NEAR/30 (医院 OR 患者)

Chinese has no spaces between words, so a term matches wherever it occurs as a substring
of the text (after width and case folding, so ＡＩ, ai and AI are one term) — except that
a term beginning or ending with a Latin letter or digit does not match inside a longer
Latin word: AI matches in "AI医疗" and "the AI model", not in "said" or "maintain". Some
words do not count where they are part of a longer name or a list (the masks of
:data:`jianbao.judge.lexicon.MASKS`): 信息化 in 工业和信息化部, 医疗 as one of the trades
in "人工智能赋能医疗、教育、交通" — that sentence is about every trade, not about health.
Adjacent operands without an operator are joined by AND. The Chinese operators 且/并且,
或/或者 and 非/不含 may be used instead of AND, OR and NOT when they stand alone between
spaces. ``a NEAR/n b`` holds when an occurrence of ``a`` and one of ``b`` in the same
field (title or body) are at most ``n`` characters apart; either side may be a group of
terms joined by OR, ``(a OR b) NEAR/n (c OR d)``. ``@name`` stands for a built-in
lexicon (``@卫生健康信息化``, see :mod:`jianbao.judge.lexicon`), so a publication can
write ``@卫生健康信息化 NOT 招聘``.

How strongly an article matches is told by where: whether the expression holds on the
headline alone (a headline says what an item is about), and in how many sentences of the
body its terms were found (one sentence may be a passing mention: a case-count story that
names the remote consultation its experts held, a hospital opening that promises to be
智慧化; a story about the topic comes back to it). In ``a NEAR/n b`` the first side is what
the pair speaks of and the second its context: a sentence counts where ``a`` stands near
``b`` (a story that says 医院 in every sentence and 人工智能 once has one such sentence),
and both are shown as the matched terms. The score lies in [0, 1), higher for a
headline match and for more sentences, and is 0 when the expression does not hold.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice

from jianbao.errors import TopicSyntaxError

#: weights of a match in the headline / of log2(1 + the body sentences with a match)
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


#: full-width letters, digits, + - . / and the ideographic space (not the full-width
#: punctuation every Chinese sentence has: terms and texts fold alike, so ，stays ，)
_WIDE = re.compile("[\uff0b\uff0d-\uff0f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")


def _narrow(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def fold(text: str) -> str:
    """The form terms and texts are compared in: full-width Latin letters, digits and
    + - . / made half-width (ＡＩ → AI, ５Ｇ → 5G, ＋ → +) and case-folded, so Latin
    matching ignores case and width. (Full NFKC costs ten times more on Chinese text,
    for characters topics do not use.)"""
    if _WIDE.search(text) is not None:
        text = _WIDE.sub(_narrow, text)
    return text.casefold()


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """Whether a text matches a topic, how strongly, and through which terms;
    ``headline``: whether the expression holds on the title alone; ``sentences``: in how
    many sentences of the body its terms were found, of ``body_sentences`` with text;
    ``lead``: whether one of them is the body's first (an editor reading why an item was
    kept tells a one-sentence excerpt from a term in the fifth of eight sentences);
    ``first``: the place of the first of them among the body's full sentences, cut at
    。！？ and line ends but not at ``；`` (0 the lead, 2 the third; -1 when none holds one
    or the place is not known)."""

    matched: bool
    score: float
    terms: list[str] = field(default_factory=list)
    headline: bool = False
    sentences: int = 0
    body_sentences: int = 0
    lead: bool = False
    first: int = -1


#: what ends a sentence, for counting the sentences a match was found in
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
#: what ends a full sentence, for the place of a match (not ``；``: a list's clauses)
_FULL_STOP = re.compile(r"[。！？!?\n]")


# -- the expression tree ---------------------------------------------------------------


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")


def _edge(char: str) -> str | None:
    """What may not stand next to a term's edge character: a letter next to a letter
    (ai in "said"), a digit next to a digit (5g in "15g"); Windows7 and 5G网络 match."""
    if char in _LETTERS:
        return "a-z"
    if char in _DIGITS:
        return "0-9"
    return None


def _word_pattern(term: str) -> re.Pattern[str] | None:
    """For a term with a Latin letter or digit at an edge, the pattern that finds it only
    where that edge does not continue a longer Latin word or number (None otherwise)."""
    head, tail = _edge(term[:1]), _edge(term[-1:])
    if head is None and tail is None:
        return None
    return re.compile(
        (f"(?<![{head}])" if head else "") + re.escape(term) + (f"(?![{tail}])" if tail else "")
    )


class _Texts:
    """The folded title and body of one article, with occurrence caches."""

    __slots__ = (
        "body",
        "cache",
        "contexts",
        "masks",
        "places",
        "present",
        "seen",
        "title",
        "words",
    )

    def __init__(
        self,
        title: str,
        body: str,
        present: set[str],
        words: dict[str, re.Pattern[str]],
        masks: dict[str, re.Pattern[str]],
    ):
        self.title = title
        self.body = body
        self.cache: dict[str, tuple[bool, int]] = {}
        #: (term, in the body) → where the term starts
        self.seen: dict[tuple[str, bool], list[int]] = {}
        #: the expression's terms that occur in the title or body (found in one pass by
        #: the topic's scanner): the tree only visits branches that can still be true
        self.present = present
        #: the patterns of Latin-edged terms, matched as whole words
        self.words = words
        #: the patterns of the places where a term does not count
        self.masks = masks
        #: the context terms of the NEAR pairs that held (shown, not counted)
        self.contexts: list[str] = []
        #: where in the body the terms that made the expression hold were found
        self.places: list[int] = []

    def mark(self) -> tuple[int, int]:
        return len(self.contexts), len(self.places)

    def reset(self, mark: tuple[int, int]) -> None:
        """Forget what a branch that did not hold (or one under NOT) found."""
        del self.contexts[mark[0] :]
        del self.places[mark[1] :]

    def hits(self, term: str) -> tuple[bool, int]:
        """(found in the title, occurrences in the body)."""
        found = self.cache.get(term)
        if found is None:
            if term in self.masks:
                found = (
                    bool(self.positions(self.title, term, 1)),
                    len(self.positions(self.body, term)),
                )
            elif (word := self.words.get(term)) is not None:
                found = (word.search(self.title) is not None, len(word.findall(self.body)))
            else:
                found = (term in self.title, self.body.count(term) if term in self.body else 0)
            self.cache[term] = found
        return found

    def positions(self, text: str, term: str, limit: int = 200) -> list[int]:
        """Where ``term`` starts in ``text`` (one of this article's fields), leaving out
        the places its mask covers (at most ``limit`` places)."""
        key = (term, text is self.body)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = self._positions(text, term, 200)
        return found[:limit]

    def _positions(self, text: str, term: str, limit: int) -> list[int]:
        mask = self.masks.get(term)
        if mask is not None:
            spans = [hit.span() for hit in mask.finditer(text)]
            if spans:
                size = len(term)
                return [
                    at
                    for at in self._unmasked(text, term, limit + 100)
                    if not any(start <= at and at + size <= end for start, end in spans)
                ][:limit]
        return self._unmasked(text, term, limit)

    def _unmasked(self, text: str, term: str, limit: int) -> list[int]:
        word = self.words.get(term)
        if word is not None:
            return [hit.start() for hit in islice(word.finditer(text), limit)]
        found: list[int] = []
        start = text.find(term)
        while start >= 0 and len(found) < limit:
            found.append(start)
            start = text.find(term, start + 1)
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
        if in_body:
            texts.places.extend(texts.positions(texts.body, self.text))
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
        mark = texts.mark()
        for part in self.parts:
            if not part.evaluate(texts, found):
                texts.reset(mark)
                return False
        terms.extend(found)
        return True

    def positive_terms(self) -> list[str]:
        return [t for p in self.parts for t in p.positive_terms()]


class _Or(_Node):
    """Alternatives, indexed by the terms each needs: a topic of a thousand alternatives
    evaluates only those whose terms occur in the article."""

    __slots__ = ("always", "by_term", "keys", "parts")

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
        #: a set, so that intersecting it with the few terms present walks those
        self.keys = frozenset(self.by_term)

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        chosen = set(self.always)
        for term in texts.present & self.keys:
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
        mark = texts.mark()
        held = self.part.evaluate(texts, [])
        texts.reset(mark)
        return not held

    def positive_terms(self) -> list[str]:
        return []


@dataclass(frozen=True, slots=True)
class _Near(_Node):
    """Some occurrence of one of ``left`` within ``distance`` characters of one of
    ``right``, in the same field; each side is a term or a group of terms joined by OR."""

    left: tuple[_Term, ...]
    right: tuple[_Term, ...]
    distance: int

    def evaluate(self, texts: _Texts, terms: list[str]) -> bool:
        present = texts.present
        lefts = [t for t in self.left if t.text in present and any(texts.hits(t.text))]
        if not lefts:
            return False
        rights = [t for t in self.right if t.text in present and any(texts.hits(t.text))]
        if not rights:
            return False
        held_left: list[str] = []
        held_right: list[str] = []
        for a in lefts:
            a_title, a_body = texts.hits(a.text)
            for b in rights:
                b_title, b_body = texts.hits(b.text)
                near = bool(
                    a_title and b_title and _near(texts, texts.title, a.text, b.text, self.distance)
                )
                if a_body and b_body:
                    places = _near(texts, texts.body, a.text, b.text, self.distance, every=True)
                    texts.places.extend(places)
                    near = near or bool(places)
                if near:
                    held_left.append(a.shown)
                    held_right.append(b.shown)
        terms.extend(dict.fromkeys(held_left))
        texts.contexts.extend(dict.fromkeys(held_right))
        return bool(held_left)

    def positive_terms(self) -> list[str]:
        return [t.shown for t in self.left + self.right]


def _required(node: _Node) -> frozenset[str] | None:
    """Terms of which at least one must occur for the node to hold (None: no such set,
    e.g. under NOT)."""
    if isinstance(node, _Term):
        return frozenset((node.text,))
    if isinstance(node, _Near):
        return frozenset(t.text for t in node.left)
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
        return {t.text for t in node.left + node.right}
    if isinstance(node, _And | _Or):
        return set().union(*(_leaves(p) for p in node.parts))
    if isinstance(node, _Not):
        return _leaves(node.part)
    return set()


class _Scanner:
    """Finds which of a topic's terms occur in a text in one pass.

    Testing each term with ``in`` costs one scan of the text per term, and a curated
    lexicon has hundreds of terms. The terms are compiled into one regular expression
    shaped as a trie (医(?:疗(?:信息化)?|院)…), so the engine skips in C to the next
    place where some term starts and reads the longest term there; the terms contained
    in a found term (医疗 in 医疗信息化) are added from a table. Searching again from
    the character after each start finds terms that overlap (医疗 in 智慧医疗)."""

    __slots__ = ("inside", "pattern", "words", "wordset")

    def __init__(self, terms: tuple[str, ...]):
        self.inside = {t: frozenset(u for u in terms if u in t) for t in terms}
        self.pattern = re.compile(_trie(terms)) if terms else None
        self.words = {t: w for t in terms if (w := _word_pattern(t)) is not None}
        self.wordset = frozenset(self.words)

    def __call__(self, text: str) -> set[str]:
        found: set[str] = set()
        if self.pattern is None or not text:
            return found
        search = self.pattern.search
        hit = search(text)
        while hit is not None:
            found |= self.inside[hit.group()]
            hit = search(text, hit.start() + 1)
        for term in found & self.wordset:
            if self.words[term].search(text) is None:  # only inside longer Latin words
                found.discard(term)
        return found


def _trie(terms: tuple[str, ...]) -> str:
    """A regular expression matching the longest of ``terms`` that starts at a place."""
    root: dict[str, dict] = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # a term may end here: try the longer ones first, fall back to ending here
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _near(
    texts: _Texts, text: str, a: str, b: str, distance: int, *, every: bool = False
) -> list[int]:
    """The occurrences of ``a`` in ``text`` that have one of ``b`` at most ``distance``
    characters away (the gap between them; overlapping occurrences count as 0): the first
    only, unless ``every``."""
    pos_b = texts.positions(text, b)
    found: list[int] = []
    for pa in texts.positions(text, a):
        for pb in pos_b:
            if max(pb - (pa + len(a)), pa - (pb + len(b))) <= distance:
                found.append(pa)
                if not every:
                    return found
                break
    return found


def _filled(body: str, ends: list[int]) -> list[int]:
    """The numbers of the stretches of ``body`` cut at ``ends`` that hold text."""
    starts = [0, *(end + 1 for end in ends)]
    spans = zip(starts, [*ends, len(body)], strict=True)
    return [
        n for n, (start, end) in enumerate(spans) if not body[start:end].isspace() and start < end
    ]


def _sentences(body: str, places: list[int]) -> tuple[int, int, int]:
    """How many sentences of ``body`` hold one of ``places``, how many sentences with
    text the body has, and the place of the first full sentence that holds one (0 the
    first with text; -1 none). The counts cut at ``；`` too (two clauses of a list are
    two mentions); the place only at 。！？ and line ends, so that a short item written
    as a semicolon list does not put its subject in "the third sentence"."""
    ends = [m.start() for m in _SENTENCE_END.finditer(body)]
    filled = _filled(body, ends)
    if not places:
        return 0, len(filled), -1
    held = {bisect.bisect_left(ends, place) for place in places}
    full_ends = [m.start() for m in _FULL_STOP.finditer(body)]
    at = bisect.bisect_left(full_ends, min(places))
    first = next((n for n, stretch in enumerate(_filled(body, full_ends)) if stretch == at), -1)
    return len(held), len(filled), first


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
        masks: Mapping[str, str] | None = None,
    ):
        self.expression = expression
        self._root = root
        self.title_weight = title_weight
        self.body_weight = body_weight
        self._leaves = tuple(sorted(_leaves(root)))
        self._scan = _Scanner(self._leaves)
        if masks is None:
            from jianbao.judge.lexicon import MASKS

            masks = MASKS
        self._masks = {
            term: re.compile(pattern)
            for term, pattern in ((fold(t), p) for t, p in masks.items())
            if term in self._leaves
        }

    def __repr__(self) -> str:
        return f"Topic({self.expression!r})"

    @property
    def terms(self) -> list[str]:
        """The terms whose presence speaks for the topic (those under NOT excluded)."""
        return list(dict.fromkeys(self._root.positive_terms()))

    def match(self, title: str, body: str) -> TopicMatch:
        """Match the expression against an article's title and body."""
        title, body = fold(title), fold(body)
        in_title = self._scan(title)
        words, masks = self._scan.words, self._masks
        texts = _Texts(title, body, in_title | self._scan(body), words, masks)
        found: list[str] = []
        if not self._root.evaluate(texts, found):
            return TopicMatch(False, 0.0, [])
        terms = list(dict.fromkeys(found + texts.contexts))
        headline = bool(in_title) and self._root.evaluate(
            _Texts(title, "", in_title, words, masks), []
        )
        sentences, body_sentences, first = _sentences(body, texts.places)
        raw = self.title_weight * headline + self.body_weight * math.log2(1 + sentences)
        return TopicMatch(
            True,
            1.0 - math.exp(-raw / 4.0),
            terms,
            headline,
            sentences,
            body_sentences,
            first == 0,
            first,
        )


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


def _near_side(node: _Node) -> tuple[_Term, ...] | None:
    """A side of NEAR: a term, or terms joined by OR (None for anything else)."""
    if isinstance(node, _Term):
        return (node,)
    if isinstance(node, _Or) and all(isinstance(p, _Term) for p in node.parts):
        return tuple(p for p in node.parts if isinstance(p, _Term))
    return None


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
        sides = _near_side(left), _near_side(right)
        if sides[0] is None or sides[1] is None:
            raise self.error("NEAR 只能连接词语，或括号中用 OR 连接的一组词语", token.position)
        follow = self.peek()
        if follow is not None and follow.kind == "near":
            raise self.error("NEAR 只能连接两个词", follow.position)
        return _Near(sides[0], sides[1], token.distance)

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
    expression: str,
    *,
    title_weight: float = TITLE_WEIGHT,
    body_weight: float = BODY_WEIGHT,
    masks: Mapping[str, str] | None = None,
) -> Topic:
    """Parse a keyword expression; raises TopicSyntaxError with the 0-based position.
    ``masks`` (term → regular expression of the places where it does not count) defaults
    to :data:`jianbao.judge.lexicon.MASKS`."""
    root = _Parser(expression).parse()
    return Topic(expression, root, title_weight=title_weight, body_weight=body_weight, masks=masks)
