"""OPML import and export."""

from __future__ import annotations

import pytest

from jianbao.collect.opml import read_opml, write_opml
from jianbao.errors import ParseError
from jianbao.records import SourceSpec

READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="医疗" title="医疗">
      <outline type="rss" text="动脉网" title="动脉网" xmlUrl="https://rsshub.example/vcbeat" htmlUrl="https://vcbeat.example/"/>
      <outline type="rss" text="HIT专家网" xmlUrl="https://wewe.example/feeds/hit.atom"/>
    </outline>
    <outline type="rss" text="动脉网" xmlUrl="https://other.example/vcbeat.xml"/>
    <outline type="rss" text="重复" xmlUrl="https://rsshub.example/vcbeat"/>
    <outline text="空文件夹"/>
  </body>
</opml>"""


def test_read_reader_export() -> None:
    specs = read_opml(READER_EXPORT)
    assert [(s.name, s.url, s.kind) for s in specs] == [
        ("动脉网", "https://rsshub.example/vcbeat", "feed"),
        ("HIT专家网", "https://wewe.example/feeds/hit.atom", "feed"),
        ("动脉网 (2)", "https://other.example/vcbeat.xml", "feed"),
    ]


def test_round_trip_keeps_every_kind_and_setting() -> None:
    specs = [
        SourceSpec(name="健康报", url="https://a.example/rss.xml"),
        SourceSpec(
            name="国家卫健委 工作动态",
            url="http://www.nhc.example.gov.cn/list.shtml",
            kind="listing",
            link_selector="ul.zxxx_list li a",
            max_pages=3,
            default_source_name="国家卫生健康委员会",
            render="browser",
            respect_robots=False,
        ),
        SourceSpec(
            name="站点地图 & <新闻>", url="https://b.example/sitemap.xml?a=1&b=2", kind="sitemap"
        ),
        SourceSpec(name="一篇文章", url="https://mp.weixin.qq.com/s/abc", kind="url"),
    ]
    text = write_opml(specs)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert read_opml(text) == specs
    assert read_opml(text.encode("utf-8")) == specs


@pytest.mark.parametrize("text", ["", "<html><body/></html>", "not xml at all"])
def test_not_opml(text: str) -> None:
    with pytest.raises(ParseError):
        read_opml(text)


def test_empty_opml_gives_no_sources() -> None:
    assert read_opml('<opml version="2.0"><body></body></opml>') == []


def test_truncated_opml_is_an_error() -> None:
    """Read strictly since issue 14: recover mode turned a truncated file (or an entity
    bomb) into "0 imported" with no word of what was lost."""
    with pytest.raises(ParseError, match="OPML 文件无法解析"):
        read_opml("<opml")
