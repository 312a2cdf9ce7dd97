"""来源: health, add, disable, OPML import and export."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jianbao.collect.opml import read_opml
from jianbao.db.models import Article, Source
from jianbao.db.session import Database

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>t</title></head><body>
<outline text="健康界"><outline text="健康界资讯" type="rss" xmlUrl="https://example.org/a.xml"/></outline>
<outline text="青禾网" type="rss" xmlUrl="https://example.org/b.xml"/>
</body></opml>"""


def test_sources_list_with_health(editor: TestClient) -> None:
    html = editor.get("/sources").text
    assert "青禾网" in html and "上次成功" in html and "日均文章" in html


def test_add_disable_and_errors(editor: TestClient, web_db: Database) -> None:
    response = editor.post(
        "/sources",
        data={"name": "新来源", "url": "https://example.org/rss", "kind": "feed"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "新来源" in response.text
    with web_db.session() as s:
        row = s.scalar(select(Source).where(Source.name == "新来源"))
        assert row is not None and row.enabled
        source_id = row.id
    editor.post(f"/sources/{source_id}/enabled", data={"enabled": "0"})
    with web_db.session() as s:
        assert not s.get(Source, source_id).enabled  # type: ignore[union-attr]
    again = editor.post("/sources", data={"name": "新来源", "url": "https://example.org/x"})
    assert again.status_code == 400
    bad_url = editor.post("/sources", data={"name": "另一个", "url": "ftp://example.org"})
    assert bad_url.status_code == 400


def test_opml_import_and_export(editor: TestClient) -> None:
    response = editor.post(
        "/sources/import", files={"file": ("feeds.opml", OPML.encode(), "text/xml")}
    )
    assert response.status_code == 200
    assert "已导入 1 个来源，跳过 1 个" in response.text
    exported = editor.get("/sources/export.opml")
    assert exported.headers["content-type"].startswith("text/x-opml")
    names = {spec.name for spec in read_opml(exported.content)}
    assert {"健康界资讯", "青禾网"} <= names
    broken = editor.post("/sources/import", files={"file": ("x.opml", b"not xml", "text/xml")})
    assert broken.status_code == 422 and "OPML" in broken.text


FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>测试</title>
<item><title>某市上线互联网医院</title><link>{base}/a/1.html</link></item>
<item><title>电子病历评级启动</title><link>{base}/a/2.html</link></item>
</channel></rss>"""


def test_a_source_can_be_tried_without_storing(editor: TestClient, web_db: Database) -> None:
    from jianbao.testing import LoopbackSite, Route

    with LoopbackSite() as site:
        site.routes["/rss.xml"] = Route(
            FEED.format(base=site.base_url).encode(), content_type="application/rss+xml"
        )
        paragraphs = "".join(
            f"<p>某市互联网医院上线第{n}项服务，患者可在线复诊、续方和查看检查结果。</p>"
            for n in range(1, 6)
        )
        site.routes["/a/1.html"] = Route(
            (
                "<html><head><title>某市上线互联网医院</title></head><body>"
                "<h1>某市上线互联网医院</h1><div class='info'>2026-11-20 09:30 来源：某市日报</div>"
                f"<div class='content'>{paragraphs}</div></body></html>"
            ).encode()
        )
        with web_db.session() as s:
            stored = s.scalar(select(func.count()).select_from(Article))
        editor.post("/sources", data={"name": "试抓源", "url": site.url("/rss.xml")})
        with web_db.session() as s:
            row = s.scalar(select(Source).where(Source.name == "试抓源"))
            assert row is not None
        response = editor.post(f"/sources/{row.id}/test", headers={"HX-Request": "true"})
        assert response.status_code == 200, response.text
        assert "某市上线互联网医院" in response.text and "2 条链接" in response.text
        assert "第一篇文章的抽取结果" in response.text and "某市日报" in response.text
        assert site.hits["/a/1.html"] == 1 and site.hits["/a/2.html"] == 0
    with web_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == stored
