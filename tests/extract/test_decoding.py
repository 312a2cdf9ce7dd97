"""Decoding: header, meta, BOM, detection; GB labels read as GB18030; wrong labels caught."""

from __future__ import annotations

import codecs

import pytest

from jianbao.extract.decoding import (
    charset_from_header,
    charset_from_meta,
    decode_html,
    normalize_charset,
)

TEXT = "国家卫生健康委员会发布《全国医疗卫生机构信息互通共享实施方案》，推进电子病历互认。"
# 镕 and 珺 are outside GB2312 but inside GBK: pages labelled gb2312 carry them anyway.
GBK_ONLY = "朱镕基与王珺出席医院信息化会议。"


def page(text: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>Test</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("GB_2312-80", "gb18030"),
        ("x-gbk", "gb18030"),
        ("utf8", "utf-8"),
        ("UTF-8", "utf-8"),
        ("big5", "big5hkscs"),
        ("no-such-charset", None),
        (None, None),
    ],
)
def test_normalize_charset(label: str | None, codec: str | None) -> None:
    assert normalize_charset(label) == codec


def test_header_and_meta_labels() -> None:
    assert charset_from_header("text/html; charset=GBK") == "gb18030"
    assert charset_from_header("text/html") is None
    assert charset_from_meta(b'<meta charset="gb2312">') == "gb18030"
    assert (
        charset_from_meta(b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
        == "gb18030"
    )


def test_utf8_without_any_label() -> None:
    assert TEXT in decode_html(page(TEXT).encode("utf-8"))


def test_header_charset_gbk() -> None:
    body = page(TEXT).encode("gbk")
    assert TEXT in decode_html(body, "text/html; charset=GBK")


def test_meta_gb2312_page_with_gbk_only_characters() -> None:
    body = page(GBK_ONLY, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    assert GBK_ONLY in decode_html(body.encode("gbk"))


def test_wrong_header_label_is_caught() -> None:
    # The server says UTF-8, the bytes are GBK.
    body = page(TEXT * 3).encode("gbk")
    assert TEXT in decode_html(body, "text/html; charset=utf-8")


def test_wrong_meta_label_on_utf8_bytes() -> None:
    # Re-saved as UTF-8 but the <meta> still says gb2312.
    body = page(TEXT, '<meta charset="gb2312">').encode("utf-8")
    assert TEXT in decode_html(body)


def test_latin1_header_on_gbk_bytes_is_rejected() -> None:
    body = page(TEXT * 5).encode("gbk")
    assert TEXT in decode_html(body, "text/html; charset=iso-8859-1")


def test_bom() -> None:
    body = codecs.BOM_UTF16_LE + page(TEXT).encode("utf-16-le")
    assert TEXT in decode_html(body)


def test_undeclared_gbk_is_detected() -> None:
    body = page(TEXT * 4).encode("gbk")
    assert TEXT in decode_html(body)


def test_big5_page() -> None:
    text = "衛生福利部推動電子病歷交換，醫院資訊系統全面升級。"
    body = page(text * 3, '<meta charset="big5">').encode("big5")
    assert text in decode_html(body)


def test_empty_body() -> None:
    assert decode_html(b"") == ""


def misread(raw: bytes, codec: str) -> str:
    """``raw`` as a page misread under the single-byte ``codec`` shows it (a byte the codec
    leaves undefined shows as its Latin-1 control character, as browsers do)."""
    out = []
    for byte in raw:
        try:
            out.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


ENGLISH = (
    "<html><head><meta charset='utf-8'><title>WHO’s new digital health strategy</title>"
    "</head><body><h1>WHO’s new digital health strategy</h1><p>“It’s time,” the world’s "
    "health systems aren’t ready — and records… must follow the patient.</p></body></html>"
)


def test_an_english_utf8_page_with_typographic_punctuation_is_left_as_it_is() -> None:
    body = ENGLISH.encode("utf-8")
    assert decode_html(body, "text/html; charset=utf-8") == ENGLISH
    assert decode_html(body) == ENGLISH


def test_a_latin_page_with_accents_is_not_read_as_gbk() -> None:
    """é followed by a letter is some GBK character (閙): not a repair."""
    text = page("Pokémon’s café: Zoë’s résumé and Ångström’s naïve façade, jalapeño ½ ± ° ×")
    assert decode_html(text.encode("utf-8")) == text


@pytest.mark.parametrize("misreading", ["cp1252", "latin-1"])
def test_utf8_chinese_saved_after_a_latin_misreading_is_repaired(misreading: str) -> None:
    garbled = misread(page(TEXT).encode("utf-8"), misreading)
    assert "ä" in garbled or "å" in garbled or "æ" in garbled
    assert decode_html(garbled.encode("utf-8")) == page(TEXT)


@pytest.mark.parametrize("misreading", ["cp1252", "latin-1"])
def test_gbk_chinese_saved_after_a_latin_misreading_is_repaired(misreading: str) -> None:
    garbled = misread(page(TEXT).encode("gb18030"), misreading)
    assert decode_html(garbled.encode("utf-8")) == page(TEXT)


def test_utf8_chinese_misread_twice_is_repaired() -> None:
    once = misread(page(TEXT).encode("utf-8"), "cp1252")
    twice = misread(once.encode("utf-8"), "cp1252")
    assert decode_html(twice.encode("utf-8")) == page(TEXT)
