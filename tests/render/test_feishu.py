"""Feishu post payloads: rich text with linked titles, bodies within 20 KB."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jianbao.records import IssueView
from jianbao.render.feishu import FEISHU_BODY_LIMIT, feishu_payloads


def _lines(payload: dict[str, Any]) -> list[list[dict[str, str]]]:
    return payload["content"]["post"]["zh_cn"]["content"]


def test_post_shape(daily: IssueView) -> None:
    payloads = feishu_payloads(daily)
    assert len(payloads) == 1
    post = payloads[0]
    assert post["msg_type"] == "post"
    assert post["content"]["post"]["zh_cn"]["title"] == daily.heading
    first = _lines(post)[0]
    assert first[0] == {"tag": "text", "text": "1. "}
    assert first[1] == {"tag": "a", "text": daily.items[0].title, "href": daily.items[0].url}
    assert first[2]["text"] == "。" + daily.items[0].summary


def test_unsafe_link_is_text(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("weekly", 1)
    view.items[0].url = "javascript:alert(1)"
    line = _lines(feishu_payloads(view)[0])[-1]
    assert all(el["tag"] == "text" for el in line)


def test_bodies_within_the_limit_and_items_whole(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 120, summary_len=300, categories=["国家政策", "卫生健康信息化"])
    payloads = feishu_payloads(view)
    assert len(payloads) > 1
    for index, payload in enumerate(payloads, 1):
        size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        assert size <= FEISHU_BODY_LIMIT
        assert payload["content"]["post"]["zh_cn"]["title"].endswith(f"（{index}/{len(payloads)}）")
    links = [el for p in payloads for line in _lines(p) for el in line if el["tag"] == "a"]
    assert [el["text"] for el in links] == [i.title for i in view.items]


def test_a_huge_item_is_shortened(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 1, summary_len=20000)
    payloads = feishu_payloads(view)
    assert len(payloads) == 1
    assert len(json.dumps(payloads[0], ensure_ascii=False).encode()) <= FEISHU_BODY_LIMIT
