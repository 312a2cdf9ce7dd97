"""The Simplified, clean form of a text that is judged, signed and indexed.

Real collection meets health-IT news in forms the Simplified lexicon does not read:

- **繁體 reprints and mirrors** (電子病歷, 醫保, 互聯網醫院): converted to Simplified
  characters with OpenCC (Apache-2.0, ``t2s``, with Hong Kong's variant characters such
  as 衞 as ``hk2s`` maps them), the well-kept converter of the field. One
  form serves judging, near-duplicate signatures and the search index: a 繁體 reprint of
  a Simplified story becomes that story again, and searching 医保 finds 醫保. Characters
  only, not Taiwan's vocabulary (``tw2sp`` would make 資訊 信息, at three times the cost,
  and a query for 资讯 would then miss 資訊): the lexicon carries the few Taiwanese words
  of the field itself (资讯化, 人工智慧, 远距医疗).
- **Mirror artefacts**: pinyin after each character (醫(yī)療數(shù)據(jù)), full-width
  Latin letters and digits (ＡＩ, ５Ｇ) and zero-width characters inside words
  (电\u200b子病历) — removed or narrowed, since each splits the words the judge looks for.

The original text is kept for display; only these forms are compared. Clean Simplified
text — almost everything collected — is recognised by one scan for the characters that
need work (:data:`TRADITIONAL_SHARE` of the opening :data:`SAMPLE_CHARS`: a page is written
in one script) and returned unchanged, so normalising costs judging little.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import opencc

#: zero-width and invisible formatting characters that mirrors put inside words
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
#: full-width Latin letters and digits → half-width (not the full-width punctuation every
#: Chinese sentence has: ，stays ，)
_NARROW = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
    **{ord(char): None for char in _INVISIBLE},
}
_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a" + _INVISIBLE + "]")
#: what each character :data:`_WIDTH` finds becomes (the strings of :data:`_NARROW`):
#: replacing the few found is some twenty times faster than translating a whole text
_NARROWED = {chr(code): "" if to is None else chr(to) for code, to in _NARROW.items()}

#: vowels with a tone mark: what tells a pinyin gloss from a Latin word in brackets
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = "a-zü" + _TONED
#: a pinyin gloss in brackets, e.g. (yī), （shù）: an artefact where it follows a CJK
#: character (医(yī)); the bracket first, so the text is scanned fast
_GLOSS = re.compile(rf"[(（]\s*[{_PINYIN_LETTERS}]{{1,6}}[1-5]?\s*[)）]")
_TONED_GLOSS = re.compile(rf"[(（]\s*[{_PINYIN_LETTERS}]*[{_TONED}][{_PINYIN_LETTERS}]*\s*[)）]")
#: untoned glosses (医(yi)) count as artefacts only when a text has this many of them:
#: one "(app)" after a word is the writer's, not a mirror's
UNTONED_GLOSSES = 3

#: a text is converted when at least one in this many of its characters is one that only
#: 繁體 writing uses (a 繁體 text has one in four, 95% of them one in thirteen or more, on
#: the relevance development set converted with OpenCC s2t; a Simplified text with a name
#: or a variant such as 乾 has far fewer, and converting it would change nothing)
TRADITIONAL_SHARE = 20
#: the opening of a text whose characters decide whether it is 繁體 (a page is written in
#: one script; counting the whole of a long text would cost more than converting it)
SAMPLE_CHARS = 400

#: texts this module made lately (a string's hash is kept on it, so asking again costs
#: a dictionary lookup): judging normalises an article once and hands the result on to
#: the model and the signer, which normalise whatever they are given
MEMORY = 2048
_made: dict[str, None] = {}

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    with _lock:
        return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, dict[int, str]]:
    """Per BMP code point, whether it is a 繁體-only character (OpenCC's t2s or hk2s
    changes it), and Hong Kong's variant characters that t2s leaves (衞 of 食物及衞生局,
    枱, 衹) mapped to Simplified as hk2s maps them. Found once by converting every CJK
    character (≈10 ms), so both follow the installed OpenCC; a text's 繁體-only characters
    are then counted with one scan (:func:`_traditional_pattern`), and the few variants
    translated before t2s (hk2s itself converts at less than half t2s's speed)."""
    chars = [chr(code) for code in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]
    joined = "\n".join(chars)
    plain = _converter().convert(joined).split("\n")
    with _lock:
        hong_kong = opencc.OpenCC("hk2s").convert(joined).split("\n")
    table = np.zeros(0x10000, dtype=bool)
    variants: dict[int, str] = {}
    for char, simple, hk in zip(chars, plain, hong_kong, strict=True):
        if char != simple or char != hk:
            table[ord(char)] = True
        if simple == char != hk:
            variants[ord(char)] = hk
    return table, variants


@lru_cache(maxsize=1)
def _traditional_pattern() -> re.Pattern[str]:
    """One character class of every 繁體-only character (from :func:`_tables`, as code
    point ranges): the regular-expression engine counts them in a sample of clean
    Simplified text some forty times faster than an array lookup over its encoded code
    points, which matters because that test is made on every article judged."""
    codes = np.flatnonzero(_tables()[0]).tolist()
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    spans = "".join(
        re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "")
        for low, high in ranges
    )
    return re.compile(f"[{spans}]")


def traditional_characters(text: str) -> int:
    """How many of the text's characters only 繁體 writing uses."""
    return len(_traditional_pattern().findall(text))


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _narrowed(match: re.Match[str]) -> str:
    return _NARROWED[match.group()]


def strip_artefacts(text: str) -> str:
    """The text without mirror artefacts: pinyin glosses after characters, zero-width
    characters; full-width Latin letters and digits made half-width."""
    if _WIDTH.search(text) is not None:
        text = _WIDTH.sub(_narrowed, text)
    if _GLOSS.search(text) is None:
        return text
    glosses = [m for m in _GLOSS.finditer(text) if m.start() and _cjk(text[m.start() - 1])]
    if len(glosses) < UNTONED_GLOSSES:
        glosses = [m for m in glosses if _TONED_GLOSS.fullmatch(m.group())]
    if not glosses:
        return text
    pieces, at = [], 0
    for gloss in glosses:
        pieces.append(text[at : gloss.start()])
        at = gloss.end()
    pieces.append(text[at:])
    return "".join(pieces)


def simplified(text: str) -> str:
    """The text in Simplified characters, without mirror artefacts: the form that is
    judged, signed and indexed (the original is kept for display). Idempotent, and cheap
    on a text it already made."""
    if not text or text in _made:  # judging hands the model and the signer its own output
        return text
    text = strip_artefacts(text)
    sample = text[:SAMPLE_CHARS]
    if traditional_characters(sample) * TRADITIONAL_SHARE >= len(sample):
        text = _convert(text, _variant_pattern().search(text) is not None)
    return _remember(text)


def _convert(text: str, variants: bool, *, by_character: bool = True) -> str:
    """A 繁體 text in Simplified: Hong Kong's variants first when it has any (a text
    without them is left as it is: translating it through the table cost as much as
    OpenCC itself), then OpenCC's t2s — character by character when that is the same
    (:func:`_by_character`; ``by_character`` False: known not to be)."""
    if variants:
        text = text.translate(_tables()[1])
    converted = _by_character(text) if by_character else None
    return _converter().convert(text) if converted is None else converted


@dataclass(frozen=True, slots=True)
class _PerCharacter:
    """What converting character by character needs (:func:`_per_character`)."""

    #: each BMP character's t2s form (one character: the others are OpenCC's to convert)
    forms: np.ndarray
    #: characters a text is converted by OpenCC itself for (:data:`_OPENCC`)
    opencc_only: np.ndarray
    #: the phrases t2s converts other than character by character, by first character
    phrases: dict[str, tuple[str, ...]]
    #: a number for each first and each second character of those phrases (0: none),
    #: and which pairs of the two begin one (row: first, column: second), flattened
    firsts: np.ndarray
    seconds: np.ndarray
    pairs: np.ndarray
    width: int


def _dictionary_files(node: Any, folder: Path) -> Iterator[Path]:
    """The dictionary files an OpenCC configuration's part names (a group's too)."""
    if isinstance(node, list):
        for item in node:
            yield from _dictionary_files(item, folder)
    elif isinstance(node, dict):
        if "dict" in node:
            yield from _dictionary_files(node["dict"], folder)
        elif node.get("type") == "group":
            yield from _dictionary_files(node["dicts"], folder)
        elif node.get("type") == "ocd2":
            yield folder / node["file"]
        else:  # a kind of dictionary this reading does not know
            raise ValueError(f"OpenCC dictionary {node!r}")
    else:
        raise ValueError(f"OpenCC configuration part {node!r}")


def _dictionary(path: Path) -> dict[str, str]:
    """An OpenCC dictionary's keys and their first values, written out as text by the
    installed OpenCC's own tool (``opencc_dict``)."""
    tool = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dictionary.txt"
        subprocess.run(
            [str(tool), "-i", str(path), "-o", str(out), "-f", "ocd2", "-t", "text"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        entries = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            entries[key] = values.split(" ")[0]
        return entries


@lru_cache(maxsize=1)
def _per_character() -> _PerCharacter | None:
    """:func:`_read_per_character` of the converter's configuration, once."""
    return _read_per_character(Path(_converter().config))


def _read_per_character(config_path: Path) -> _PerCharacter | None:
    """How t2s converts a text in which no phrase of its dictionaries that it converts
    other than character by character occurs: character by character, each as it is
    converted alone. OpenCC matches the longest key of its dictionaries at each place of
    a text and writes that key's first value; its keys of more than one character are a
    few hundred phrases (乾隆 stays 乾隆, 憑藉 becomes 凭借, while 乾 alone becomes 干),
    so a text holding none of those whose value differs from its characters' forms gets
    each character's form, whatever the matches were. Its normalisation step's
    characters (compatibility ideographs), and any character not converted to exactly
    one, are left to OpenCC (:data:`_OPENCC`), as are texts beyond the BMP.

    Read from the installed OpenCC: its t2s configuration, its dictionaries (written out
    by its ``opencc_dict`` tool) and its conversion of every BMP character (≈0.1 s once),
    so the forms follow the OpenCC installed. None — OpenCC converts every text, as
    before — when any of that is not as this reading expects (a second conversion step,
    a dictionary of another kind, no tool). OpenCC converted a 繁體 news text at some
    60 ns a character, most of signing it (issue 20); a table lookup is a tenth of that."""
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        chain = config["conversion_chain"]
        if not isinstance(chain, list) or len(chain) != 1:
            return None
        folder = config_path.parent
        converting = list(_dictionary_files(chain, folder))
        normalising = list(_dictionary_files(config.get("normalization", []), folder))
        if "segmentation" in config:  # its keys only bound what the conversion matches
            list(_dictionary_files(config["segmentation"], folder))
        entries: dict[str, list[str]] = {}  # a key's first value in each dictionary
        for path in converting:
            for key, value in _dictionary(path).items():
                entries.setdefault(key, []).append(value)
        normalised = [key for path in normalising for key in _dictionary(path)]
    except (OSError, ValueError, KeyError, TypeError, subprocess.SubprocessError):
        return None
    if any("\n" in key for key in entries) or any("\n" in key for key in normalised):
        return None
    codes = [code for code in range(0x10000) if not 0xD800 <= code < 0xE000 and code != 0x0A]
    converted = _converter().convert("\n".join(map(chr, codes))).split("\n")
    if len(converted) != len(codes):
        return None
    forms = np.arange(0x10000, dtype=np.uint32)
    opencc_only = np.zeros(0x10000, dtype=bool)
    opencc_only[0xD800:0xE000] = True
    for code, form in zip(codes, converted, strict=True):
        if len(form) == 1:
            forms[code] = ord(form)
        else:
            opencc_only[code] = True
    for key in normalised:
        opencc_only[[ord(char) for char in key if ord(char) < 0x10000]] = True

    def each(phrase: str) -> str:
        return "".join(chr(forms[ord(char)]) if ord(char) < 0x10000 else char for char in phrase)

    phrases = [
        key
        for key, values in entries.items()
        if len(key) > 1
        and (any(value != each(key) for value in values) or _converter().convert(key) != each(key))
    ]
    by_first: dict[str, list[str]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    firsts = np.zeros(0x10000, dtype=np.int32)
    seconds = np.zeros(0x10000, dtype=np.int32)
    bmp = [phrase for phrase in phrases if ord(phrase[0]) < 0x10000 and ord(phrase[1]) < 0x10000]
    for number, char in enumerate(sorted({phrase[0] for phrase in bmp}), 1):
        firsts[ord(char)] = number
    second_chars = sorted({phrase[1] for phrase in bmp})
    for number, char in enumerate(second_chars, 1):
        seconds[ord(char)] = number
    width = len(second_chars) + 1
    pairs = np.zeros((int(firsts.max()) + 1) * width, dtype=bool)
    for phrase in bmp:
        pairs[firsts[ord(phrase[0])] * width + seconds[ord(phrase[1])]] = True
    # a phrase beginning beyond the BMP is in no text converted here (those go to OpenCC)
    return _PerCharacter(
        forms,
        opencc_only,
        {char: tuple(found) for char, found in by_first.items()},
        firsts,
        seconds,
        pairs,
        width,
    )


def _phrase_places(codes: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Of ``places`` (of characters that begin a phrase :func:`_per_character` leaves to
    OpenCC), those whose next character is that of one such phrase: where one may
    begin, to be read in the text itself. ``codes`` has a character after each place."""
    per = _per_character()
    assert per is not None
    pair = per.firsts[codes[places]] * per.width + per.seconds[codes[places + 1]]
    return places[per.pairs[pair]]


def _phrase_at(text: str, offset: int) -> bool:
    """Whether a phrase OpenCC converts other than character by character begins at
    ``offset`` of ``text``."""
    per = _per_character()
    assert per is not None
    return any(text.startswith(phrase, offset) for phrase in per.phrases.get(text[offset], ()))


def _by_character(text: str) -> str | None:
    """``text`` converted by t2s character by character when that is what OpenCC makes
    of it (:func:`_per_character`), else None."""
    if _per_character() is None:
        return None
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not len(codes):
        return text
    if int(codes.max()) > 0xFFFF:
        return None
    flags = np.take(_character_flags(), codes)
    if (flags & _OPENCC).any():
        return None
    places = _phrase_candidates(flags)
    if len(places) and any(
        _phrase_at(text, offset) for offset in _phrase_places(codes, places).tolist()
    ):
        return None
    return _forms(codes)


def _forms(codes: np.ndarray) -> str:
    """The t2s forms of characters, as a string (:func:`_per_character`)."""
    per = _per_character()
    assert per is not None
    return np.take(per.forms, codes).tobytes().decode("utf-32-le")


def _remember(text: str) -> str:
    if len(_made) >= MEMORY:
        _made.clear()
    _made[text] = None
    return text


#: what :func:`simplified_many` looks for in a character (one bit each, per BMP code point);
#: the first and the second character of a phrase t2s converts other than character by
#: character and a character only OpenCC itself converts, for :func:`_by_character`
_WIDE, _OPEN, _AFTER, _VARIANT = 1, 2, 4, 8
_PHRASE, _OPENCC, _SECOND, _TRADITIONAL = 16, 32, 64, 128


def _phrase_candidates(flags: np.ndarray) -> np.ndarray:
    """Places of ``flags`` whose character may begin a phrase :func:`_per_character`
    leaves to OpenCC and whose next character may be its second (one in twenty
    characters of a 繁體 text is such a first, one in four hundred such a pair)."""
    return np.flatnonzero(flags[:-1] & (flags[1:] >> 2) & _PHRASE)  # _SECOND >> 2 == _PHRASE


@lru_cache(maxsize=1)
def _variant_pattern() -> re.Pattern[str]:
    """One character class of Hong Kong's variant characters (:func:`_tables`)."""
    variants = "".join(map(chr, sorted(_tables()[1])))
    return re.compile(f"[{re.escape(variants)}]" if variants else "(?!)")


@lru_cache(maxsize=1)
def _character_flags() -> np.ndarray:
    """Per BMP code point, the bits :func:`simplified_many` tests: a full-width letter
    or digit or an invisible character (:data:`_WIDTH`), a bracket that opens a pinyin
    gloss, a character that may follow it inside one (white space or a pinyin letter, as
    :data:`_GLOSS` reads them), a Hong Kong variant, a 繁體-only character; and what
    converting by character looks for (:func:`_per_character`). Each is found with the
    very pattern or table :func:`simplified` uses, so they cannot disagree."""
    flags = np.zeros(0x10000, dtype=np.uint8)
    chars = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    after = re.compile(rf"\s|[{_PINYIN_LETTERS}]")
    for pattern, bit in (
        (_WIDTH, _WIDE),
        (re.compile("[(（]"), _OPEN),
        (after, _AFTER),
        (_variant_pattern(), _VARIANT),
    ):
        codes = [ord(match.group()) for match in pattern.finditer(chars)]
        flags[codes] |= bit
    flags[_tables()[0]] |= _TRADITIONAL
    per = _per_character()
    if per is not None:
        flags[per.firsts > 0] |= _PHRASE
        flags[per.seconds > 0] |= _SECOND
        flags[per.opencc_only] |= _OPENCC
    return flags


def simplified_many(texts: Sequence[str]) -> list[str]:
    """:func:`simplified` of each text, in order (the same strings, and the same texts
    remembered), with the tests of which texts need any work made for all of them in a few
    array operations: one table lookup per character finds the texts with a full-width or
    invisible character, a bracket followed by what may begin a pinyin gloss, or a Hong Kong
    variant, and counts the 繁體-only characters of each opening sample. Signing a batch
    made those tests one text and one regular expression at a time, at the cost of
    converting the 繁體 texts; a text with a possible artefact still takes
    :func:`simplified`'s own path. A 繁體 text is converted by character from the same
    lookups (:func:`_per_character`) unless it has a character or a phrase left to OpenCC."""
    todo = [n for n, text in enumerate(texts) if text and text not in _made]
    if not todo:
        return list(texts)
    lengths = np.fromiter((len(texts[n]) for n in todo), dtype=np.int64, count=len(todo))
    starts = np.zeros(len(todo) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    # one character more, so that a sample may end at the very end
    joined = "".join(texts[n] for n in todo) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) != len(joined):  # never seen; the plain path is right whatever the text
        return [simplified(text) for text in texts]
    whole: set[int] = set()  # texts OpenCC converts itself, when they are 繁體
    if int(codes.max()) > 0xFFFF:  # beyond the BMP: none of the characters looked for
        beyond = np.flatnonzero(codes > 0xFFFF)
        whole.update((np.searchsorted(starts, beyond, side="right") - 1).tolist())
        codes = np.minimum(codes, 0xFFFF)
    flags = np.take(_character_flags(), codes)
    # the few characters that ask for a look: which text each is in, and what it is
    marked = np.flatnonzero(flags & (_WIDE | _OPEN | _VARIANT | _OPENCC))
    owner = np.searchsorted(starts, marked, side="right") - 1
    kinds = flags[marked]
    # a bracket opens a possible gloss when the next character of its text may follow it
    glossed = (
        ((kinds & _OPEN) != 0)
        & ((flags[marked + 1] & _AFTER) != 0)
        & (marked + 1 < starts[owner + 1])
    )
    artefacts = set(owner[((kinds & _WIDE) != 0) | glossed].tolist())
    variants = set(owner[(kinds & _VARIANT) != 0].tolist())
    whole.update(owner[(kinds & _OPENCC) != 0].tolist())
    # 繁體-only characters in each text's opening sample: the sums over (start, start +
    # sample) of the pairs of bounds, every other one
    samples = np.minimum(lengths, SAMPLE_CHARS)
    bounds = np.empty(2 * len(todo), dtype=np.int64)
    bounds[0::2] = starts[:-1]
    bounds[1::2] = starts[:-1] + samples
    found = np.add.reduceat(flags >> 7, bounds, dtype=np.int64)[0::2]
    convert = (found * TRADITIONAL_SHARE >= samples).tolist()
    by_character = _per_character() is not None and any(convert)
    if by_character:  # where a phrase left to OpenCC may begin, read in its text
        places = _phrase_places(codes, _phrase_candidates(flags))
        for at, place in zip(
            (np.searchsorted(starts, places, side="right") - 1).tolist(),
            places.tolist(),
            strict=True,
        ):
            if (
                convert[at]
                and at not in whole
                and _phrase_at(texts[todo[at]], place - int(starts[at]))
            ):
                whole.add(at)
    result = list(texts)
    for at, n in enumerate(todo):
        text = texts[n]
        if text in _made:  # the output of an earlier text of this batch
            continue
        if at in artefacts:
            result[n] = simplified(text)
        elif convert[at]:
            if not by_character or at in variants:
                result[n] = _remember(_convert(text, at in variants))
            elif at in whole:
                result[n] = _remember(_convert(text, False, by_character=False))
            else:
                result[n] = _remember(_forms(codes[starts[at] : starts[at + 1]]))
        else:
            result[n] = _remember(text)
    return result
