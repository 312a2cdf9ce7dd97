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


# -- issue 15, item 10: delete, selector and 来源 fields, the SSRF refusal named ------------


def _source_id(web_db: Database, name: str) -> int:
    with web_db.session() as s:
        row = s.scalar(select(Source).where(Source.name == name))
        assert row is not None, name
        return row.id


def test_a_source_is_added_with_its_selector_and_source_name(
    editor: TestClient, web_db: Database
) -> None:
    page = editor.get("/sources").text
    assert 'name="link_selector"' in page and 'name="source_name"' in page
    editor.post(
        "/sources",
        data={
            "name": "某省卫健委",
            "url": "https://wsjkw.example.gov.cn/xwdt/",
            "kind": "listing",
            "link_selector": " ul.news a ",
            "source_name": "某省卫生健康委员会",
            "max_pages": "3",
        },
    )
    with web_db.session() as s:
        row = s.get(Source, _source_id(web_db, "某省卫健委"))
        assert row is not None
        assert (row.link_selector, row.default_source_name, row.max_pages) == (
            "ul.news a",
            "某省卫生健康委员会",
            3,
        )


def test_a_source_is_edited_in_the_web(editor: TestClient, web_db: Database) -> None:
    source_id = _source_id(web_db, "青禾网")
    page = editor.get("/sources").text
    assert f'action="/sources/{source_id}"' in page
    response = editor.post(
        f"/sources/{source_id}",
        data={
            "name": "青禾网（改）",
            "url": "https://example.org/qinghe.xml",
            "kind": "listing",
            "link_selector": "div.list a",
            "source_name": "青禾日报",
            "max_pages": "2",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "已保存来源“青禾网（改）”" in response.text
    with web_db.session() as s:
        row = s.get(Source, source_id)
        assert row is not None
        assert (row.name, row.url, row.kind, row.link_selector, row.default_source_name) == (
            "青禾网（改）",
            "https://example.org/qinghe.xml",
            "listing",
            "div.list a",
            "青禾日报",
        )
        assert row.consecutive_failures == 0 and row.etag is None  # a new address: afresh
    taken = editor.post(
        f"/sources/{source_id}",
        data={"name": "青禾网（改）", "url": "notaurl", "kind": "feed"},
    )
    assert taken.status_code == 400 and "http://" in taken.text


def test_a_source_is_deleted_and_its_articles_kept(editor: TestClient, web_db: Database) -> None:
    source_id = _source_id(web_db, "青禾网")
    with web_db.session() as s:
        before = s.scalar(select(func.count()).select_from(Article))
        own = s.scalar(select(func.count()).where(Article.source_id == source_id))
    assert own, "the demo store has articles from 青禾网"
    assert "删除来源“青禾网”" in editor.get("/sources").text  # the confirmation
    response = editor.post(f"/sources/{source_id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "已删除来源“青禾网”" in response.text
    with web_db.session() as s:
        assert s.get(Source, source_id) is None
        assert s.scalar(select(func.count()).select_from(Article)) == before
    assert editor.post(f"/sources/{source_id}/delete").status_code == 404


def test_a_reader_cannot_edit_or_delete(reader: TestClient, web_db: Database) -> None:
    source_id = _source_id(web_db, "青禾网")
    assert "/delete" not in reader.get("/sources").text
    assert reader.post(f"/sources/{source_id}/delete").status_code == 403
    with web_db.session() as s:
        assert s.get(Source, source_id) is not None


def test_an_ssrf_refusal_is_named_as_such(editor: TestClient, web_db: Database) -> None:
    editor.post("/sources", data={"name": "内网", "url": "http://10.0.0.7/rss.xml"})
    response = editor.post(
        f"/sources/{_source_id(web_db, '内网')}/test", headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "出于安全限制" in response.text and "ssrf_allowlist" in response.text
    assert "输入有误" not in response.text
