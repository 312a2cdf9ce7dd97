"""Sources in YAML and TOML files."""

from __future__ import annotations

import pytest

from jianbao.collect.sourcefile import FileFormat, format_for, read_sources_file, write_sources_file
from jianbao.errors import ConfigError
from jianbao.records import SourceSpec

SPECS = [
    SourceSpec(name="健康报", url="https://a.example/rss.xml"),
    SourceSpec(
        name='国家卫健委 "工作动态"',
        url="http://www.nhc.example.gov.cn/list.shtml",
        kind="listing",
        link_selector="ul.list li > a[href*='t20']",
        max_pages=3,
        default_source_name="国家卫生健康委员会",
        render="browser",
        respect_robots=False,
    ),
    SourceSpec(name="地图\\反斜杠", url="https://b.example/sitemap.xml", kind="sitemap"),
]


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_round_trip(fmt: FileFormat) -> None:
    text = write_sources_file(SPECS, fmt)
    assert read_sources_file(text, fmt) == SPECS


def test_hand_written_yaml() -> None:
    text = """
sources:
  - name: 国家卫健委 工作动态
    url: http://www.nhc.gov.cn/xcs/gzdt/list.shtml
    kind: listing
    max_pages: 2
  - {name: 动脉网, url: "https://rsshub.example/vcbeat"}
"""
    specs = read_sources_file(text, "yaml")
    assert [(s.name, s.kind, s.max_pages) for s in specs] == [
        ("国家卫健委 工作动态", "listing", 2),
        ("动脉网", "feed", 1),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [{name: a}]", "url"),
        ("sources: [{name: a, url: ftp://x}]", "http"),
        ("sources: [{name: a, url: 'http://x', kind: podcast}]", "kind"),
        ("sources: [{name: a, url: 'http://x', max_pages: 0}]", "max_pages"),
        ("sources: [{name: a, url: 'http://x', colour: red}]", "colour"),
        ("sources: [{name: a, url: 'http://x'}, {name: a, url: 'http://y'}]", "重名"),
        ("sources: {name: a}", "列表"),
        ("sources: [[1, 2]]", "键值"),
        ("sources: [unclosed", "YAML"),
    ],
)
def test_errors_name_the_entry_and_field(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_sources_file(text, "yaml")


def test_empty_documents() -> None:
    assert read_sources_file("", "yaml") == []
    assert read_sources_file("", "toml") == []
    assert write_sources_file([], "toml") == ""


def test_format_for() -> None:
    assert format_for("a.TOML") == "toml"
    assert format_for("sources.yml") == "yaml"
    with pytest.raises(ConfigError):
        format_for("sources.txt")
