"""Regression tests for issue 14, item 8: ``sources import`` of hostile files.

Deep TOML/YAML raised RecursionError; a YAML alias bomb took 68 s and 3 GB; an OPML
entity bomb or 10,000 nested outlines read as "0 imported" without an error; a huge
``maxPages`` overflowed at insert; a 2-million-character name was stored. The tester's
files are kept here; each must now be refused with what, where and how to fix, within a
time bound, and leave the store untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.collect.opml import read_opml
from jianbao.collect.source_limits import MAX_NAME, MAX_PAGES, check_source_spec
from jianbao.collect.sourcefile import MAX_ALIASES, MAX_DEPTH, read_sources_file
from jianbao.db.session import Database
from jianbao.db.store import add_source, list_sources
from jianbao.errors import ConfigError, InputError, JianbaoError, ParseError
from jianbao.records import SourceSpec
from jianbao.sources import MAX_SOURCE_FILE_BYTES, import_sources, read_source_file
from jianbao.testing import ChildRaised, within_seconds

BOUND = 3.0


def _refusal(function: object, *args: object) -> ChildRaised:
    with pytest.raises(ChildRaised) as caught:
        within_seconds(BOUND, function, *args)  # type: ignore[arg-type]
    return caught.value


def _yaml_alias_bomb(levels: int = 9) -> str:
    """The classic: nine lists of nine references to the list before, and a name that
    points at the last (9^9 strings once written out)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"sources:\n  - name: *a{levels - 1}\n    url: https://x.example/")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once() -> None:
    """68 s and 3 GB before: the name was written out as text, 9^9 strings."""
    refused = _refusal(read_sources_file, _yaml_alias_bomb(), "yaml")
    assert refused.kind == "ConfigError"
    assert "第 1 个来源的 name 应是一行文字" in refused.message
    assert refused.elapsed < 1.0


def test_a_flood_of_aliases_is_refused() -> None:
    text = "d: &d https://x.example/\nsources:\n" + "".join(
        f"  - {{name: s{i}, url: *d}}\n" for i in range(MAX_ALIASES + 1)
    )
    refused = _refusal(read_sources_file, text, "yaml")
    assert f"别名（*引用）过多：超过 {MAX_ALIASES} 个（第 {MAX_ALIASES + 3} 行）" in refused.message


def test_shared_settings_merged_into_each_source_are_read() -> None:
    text = "d: &d {kind: listing, max_pages: 2}\nsources:\n" + "".join(
        f"  - {{<<: *d, name: s{i}, url: https://x.example/{i}}}\n" for i in range(300)
    )
    specs = read_sources_file(text, "yaml")
    assert len(specs) == 300 and {(s.kind, s.max_pages) for s in specs} == {("listing", 2)}


@pytest.mark.parametrize(
    "text",
    [
        "sources: " + "[" * 50_000 + "]" * 50_000,
        "".join(" " * i + "-\n" for i in range(3000)),
        "sources:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 2000)),
    ],
    ids=["flow", "block-lists", "block-maps"],
)
def test_deep_yaml_is_refused_by_depth(text: str) -> None:
    refused = _refusal(read_sources_file, text, "yaml")
    assert refused.kind == "ConfigError"
    assert f"来源文件嵌套过深（超过 {MAX_DEPTH} 层）" in refused.message


@pytest.mark.parametrize(
    "text",
    ["sources = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 3000 + "1" + "}" * 3000],
    ids=["arrays", "inline-tables"],
)
def test_deep_toml_is_refused_not_a_recursion_error(text: str) -> None:
    refused = _refusal(read_sources_file, text, "toml")
    assert refused.kind == "ConfigError"
    assert "来源文件嵌套过深" in refused.message


def test_a_number_of_thousands_of_digits_is_refused() -> None:
    text = "sources:\n  - name: x\n    url: https://x.example/\n    max_pages: " + "9" * 5000
    with pytest.raises(ConfigError, match="来源文件中有无法读取的值"):
        read_sources_file(text, "yaml")


@pytest.mark.parametrize("fmt", ["toml", "yaml"])
def test_a_huge_max_pages_is_refused_by_name(fmt: str) -> None:
    text = (
        '[[sources]]\nname = "医信"\nurl = "https://x.example/"\nmax_pages = 9223372036854775807\n'
    )
    if fmt == "yaml":
        text = (
            "sources:\n  - {name: 医信, url: https://x.example/, max_pages: 99999999999999999999}"
        )
    with pytest.raises(ConfigError) as caught:
        read_sources_file(text, fmt)  # type: ignore[arg-type]
    assert caught.value.message.startswith("第 1 个来源的翻页数无效")
    assert caught.value.item == "医信"
    assert caught.value.hint == f"翻页数（max_pages）须是 1 到 {MAX_PAGES} 之间的整数"


def test_a_two_million_character_name_is_refused() -> None:
    text = f'[[sources]]\nname = "{"名" * 2_000_000}"\nurl = "https://x.example/"\n'
    refused = _refusal(read_sources_file, text, "toml")
    assert refused.kind == "ConfigError"
    assert f"第 1 个来源的名称过长：2000000 个字符，上限 {MAX_NAME} 个" in refused.message


def test_a_name_with_a_line_break_is_refused() -> None:
    with pytest.raises(ConfigError, match="名称含有控制字符"):
        read_sources_file('[[sources]]\nname = "a\\nb"\nurl = "https://x.example/"\n', "toml")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("render", "ftp", "抓取方式无效"),
        ("link_selector", "a" * 501, "链接选择器过长"),
        ("default_source_name", "媒" * 201, "默认媒体名过长"),
        ("url", "https://x.example/" + "a" * 2048, "地址过长"),
    ],
)
def test_each_field_is_bounded(field: str, value: str, message: str) -> None:
    values = {"name": "医信", "url": "https://x.example/", "render": "http", field: value}
    spec = SourceSpec(
        name=values["name"],
        url=values["url"],
        render=values["render"],
        link_selector=values.get("link_selector"),
        default_source_name=values.get("default_source_name"),
    )
    with pytest.raises(InputError, match=message):
        check_source_spec(spec)


# -- OPML -------------------------------------------------------------------------------


def _opml(body: str, head: str = "") -> str:
    return f'<?xml version="1.0"?>{head}<opml version="2.0"><body>{body}</body></opml>'


def test_an_opml_entity_bomb_is_refused_not_read_as_empty() -> None:
    entities = '<!ENTITY a0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    text = _opml(
        '<outline text="&a9;" xmlUrl="https://x.example/"/>', f"<!DOCTYPE opml [{entities}]>"
    )
    refused = _refusal(read_opml, text)
    assert refused.kind == "ParseError"
    assert "OPML 文件含有实体定义（<!ENTITY>），不予导入" in refused.message


def test_ten_thousand_nested_outlines_are_refused_not_read_as_empty() -> None:
    text = _opml(
        "<outline>" * 10_000
        + '<outline text="x" xmlUrl="https://x.example/"/>'
        + "</outline>" * 10_000
    )
    refused = _refusal(read_opml, text)
    assert refused.kind == "ParseError"
    assert "OPML 文件无法解析（第 1 行）" in refused.message
    assert "Excessive depth" in refused.message


def test_an_opml_max_pages_beyond_the_column_is_refused() -> None:
    text = _opml('<outline text="x" xmlUrl="https://x.example/" maxPages="99999999999999999999"/>')
    with pytest.raises(ParseError, match=r"第 1 个 outline（第 1 行）的 maxPages 无效"):
        read_opml(text)


def test_an_opml_name_beyond_the_column_is_refused() -> None:
    text = _opml(f'<outline text="{"名" * 300}" xmlUrl="https://x.example/"/>')
    with pytest.raises(ParseError, match=r"名称过长：300 个字符，上限 200 个"):
        read_opml(text)


def test_an_opml_title_broken_over_lines_is_one_line() -> None:
    text = _opml('<outline text="健康\n  报" xmlUrl="https://x.example/"/>')
    assert [spec.name for spec in read_opml(text)] == ["健康 报"]


# -- the store: nothing half-imported, nothing unbounded stored -------------------------


def test_a_bad_source_in_the_middle_of_a_file_imports_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    good = "  - {name: 甲, url: https://a.example/}\n"
    path.write_text(
        "sources:\n" + good + f"  - {{name: {'乙' * 300}, url: https://b.example/}}\n",
        encoding="utf-8",
    )
    with pytest.raises(JianbaoError, match="第 2 个来源的名称过长"):
        read_source_file(path)
    specs = [
        SourceSpec(name="甲", url="https://a.example/"),
        SourceSpec(name="乙", url="https://b.example/", max_pages=10**30),
    ]
    with pytest.raises(InputError, match="第 2 个来源的翻页数无效"), db.session() as session:
        import_sources(session, specs)
    with db.session() as session:
        assert list_sources(session) == []


def test_add_source_refuses_what_the_columns_cannot_hold(db: Database) -> None:
    """A maxPages of 10^30 overflowed at insert (on PostgreSQL: NumericValueOutOfRange)."""
    for spec in (
        SourceSpec(name="甲", url="https://a.example/", max_pages=10**30),
        SourceSpec(name="名" * 2_000_000, url="https://a.example/"),
    ):
        with pytest.raises(InputError), db.session() as session:
            add_source(session, spec)
    with db.session() as session:
        assert list_sources(session) == []


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sources.opml"
    with path.open("wb") as handle:
        handle.truncate(MAX_SOURCE_FILE_BYTES + 1)
    with pytest.raises(InputError, match=r"来源文件过大：5\.0 MB，上限 5 MB"):
        read_source_file(path)
