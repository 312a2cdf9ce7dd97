"""繁體 converted character by character where that is what OpenCC's t2s makes of a text
(issue 20: OpenCC was most of what signing a 繁體 text cost). The forms must be OpenCC's
own, on real pages and on texts made to hold the phrases OpenCC converts as phrases; a
text that holds one, or a character only OpenCC converts, is still OpenCC's."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import opencc
import pytest

from jianbao.judge import normalize
from jianbao.judge.normalize import simplified, simplified_many, traditional_characters

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
#: parts spent long ago (tuning data): real pages, many of them 繁體
PARTS = [
    "alerts-dev",
    "alerts-blind10",
    *(f"stories-{name}" for name in ("dev", "blind", "pages", "heldout", "blind3", "tune4")),
    *(f"stories-blind{n}" for n in range(4, 22)),
]

#: OpenCC's own t2s, apart from the one the judge holds
T2S = opencc.OpenCC("t2s")


def _traditional(text: str) -> bool:
    sample = text[: normalize.SAMPLE_CHARS]
    return bool(sample) and traditional_characters(sample) * normalize.TRADITIONAL_SHARE >= len(
        sample
    )


def _real_traditional_texts() -> list[str]:
    texts = []
    for name in PARTS:
        with (DATA / f"{name}.tsv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        columns = rows[0]
        for row in rows[1:]:
            fields = dict(zip(columns, row, strict=False))
            for field in ("title", "text"):
                if _traditional(fields.get(field, "")):
                    texts.append(fields[field])
    return texts


@pytest.fixture(scope="module")
def per_character() -> normalize._PerCharacter:
    per = normalize._per_character()
    assert per is not None, "the installed OpenCC's t2s could not be read"
    return per


def test_real_traditional_pages_convert_by_character_as_opencc_converts_them(per_character):
    texts = _real_traditional_texts()
    assert len(texts) > 500
    by_character = 0
    for text in texts:
        converted = normalize._by_character(text)
        if converted is not None:
            by_character += 1
            assert converted == T2S.convert(text), text[:40]
        assert normalize._convert(text, False) == T2S.convert(text)
    # nearly every page holds no phrase left to OpenCC
    assert by_character > 0.9 * len(texts)
    # and a batch converts them as text by text does
    normalize._made.clear()
    expected = [simplified(text) for text in texts]
    normalize._made.clear()
    assert simplified_many(texts) == expected


def test_every_phrase_opencc_converts_as_a_phrase_is_left_to_it(per_character):
    phrases = [phrase for found in per_character.phrases.values() for phrase in found]
    assert len(phrases) > 100  # 憑藉 → 凭借, 乾隆 stays 乾隆 (乾 alone: 干) …
    assert "乾隆" in phrases or "憑藉" in phrases
    for phrase in phrases:
        text = "醫院表示，" + phrase + "將推進資訊平台"
        assert normalize._by_character(text) is None, phrase
        assert normalize._convert(text, False) == T2S.convert(text), phrase


def test_texts_made_of_the_phrases_characters_convert_as_opencc_converts_them(per_character):
    """Random strings of the phrases' characters and pieces, with 繁體 and punctuation
    between: overlapping phrases, a phrase's first characters without its last, a pair
    that begins none. Converted one by one and as a batch, each must be OpenCC's."""
    phrases = [phrase for found in per_character.phrases.values() for phrase in found]
    pieces = sorted({char for phrase in phrases for char in phrase})
    pieces += phrases + [phrase[:-1] for phrase in phrases] + list("醫院電腦，。\n 乾隆")
    rng = random.Random(20)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    by_character = 0
    for text in texts:
        converted = normalize._by_character(text)
        by_character += converted is not None
        assert normalize._convert(text, False) == T2S.convert(text), text
    assert by_character > 500  # the fast path was taken too
    batch = [text for text in texts if _traditional(text)]
    variants = normalize._tables()[1]  # Hong Kong's (衹), made Simplified before t2s
    normalize._made.clear()
    assert simplified_many(batch) == [T2S.convert(text.translate(variants)) for text in batch]


def test_a_batch_of_traditional_pages_asks_opencc_only_for_those_it_must(
    per_character, monkeypatch
):
    """The speed-up itself: the batch converts a 繁體 page without a phrase left to
    OpenCC from its own lookups; OpenCC is asked for a page with such a phrase, with a
    compatibility ideograph or with a character beyond the BMP."""
    asked: list[str] = []
    real = normalize._converter()

    class Counted:
        config = real.config

        def convert(self, text: str) -> str:
            asked.append(text)
            return real.convert(text)

    plain = "醫院上線電子病歷系統，將推進全民健康資訊平台互聯互通。"
    phrase = next(iter(per_character.phrases.values()))[0]
    texts = [
        plain,
        "醫院表示" + phrase + "資訊平台互聯互通",
        "醫院\uf900電子病歷系統",
        "醫院𠀀電子病歷",
    ]
    monkeypatch.setattr(normalize, "_converter", lambda: Counted())
    normalize._made.clear()
    assert simplified_many(texts) == [T2S.convert(text) for text in texts]
    assert asked == texts[1:]


def _config(tmp_path: Path, change) -> Path:
    installed = Path(normalize._converter().config)
    config = json.loads(installed.read_text(encoding="utf-8"))
    change(config, installed.parent)
    path = tmp_path / "t2s.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def test_a_configuration_not_read_as_expected_leaves_every_text_to_opencc(tmp_path):
    def here(config, folder):  # the installed dictionaries, named from elsewhere
        for step in config["conversion_chain"]:
            for entry in step["dict"]["dicts"]:
                entry["file"] = str(folder / entry["file"])
        for step in config.get("normalization", []):
            step["dict"]["file"] = str(folder / step["dict"]["file"])

    assert normalize._read_per_character(_config(tmp_path, here)) is not None

    def two_steps(config, folder):
        here(config, folder)
        config["conversion_chain"] = config["conversion_chain"] * 2

    def plain_text(config, folder):
        here(config, folder)
        config["conversion_chain"][0]["dict"]["dicts"][0] = {"type": "text", "file": "x.txt"}

    def missing(config, folder):  # a dictionary the tool cannot read
        config["conversion_chain"][0]["dict"]["dicts"][0]["file"] = "missing.ocd2"

    for change in (two_steps, plain_text, missing):
        assert normalize._read_per_character(_config(tmp_path, change)) is None, change
