"""Issue 14, item 16: an id beyond the store's integer range is a missing record (404), on
every route with an id in its path, never a 500 and a reset connection."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

#: beyond every integer column: PostgreSQL's int4, SQLite's and PostgreSQL's int8, and the
#: 20 digits of the attacker's probe
OUT_OF_RANGE = ("2147483648", "9223372036854775808", "99999999999999999999")


def int_params(route: APIRoute) -> list[str]:
    """The names of the route's path parameters declared as integers."""
    return [f.name for f in route.dependant.path_params if f.field_info.annotation is int]


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, inside included routers too (FastAPI keeps the router included)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def id_routes(app) -> list[tuple[str, str, list[str]]]:  # type: ignore[no-untyped-def]
    """(method, path template, integer parameters) of every route of the app with an
    integer in its path — those other screens add later included."""
    found = []
    for route in api_routes(app.routes):
        if int_params(route):
            for method in sorted(route.methods):
                found.append((method, route.path, int_params(route)))
    return found


def filled(path: str, ints: list[str], name: str, value: str) -> str:
    """``path`` with ``value`` in parameter ``name``, 1 in the other integers, ``docx``
    (a real format) in the rest."""

    def one(match: re.Match[str]) -> str:
        param = match.group(1).split(":")[0]
        if param == name:
            return value
        return "1" if param in ints else "docx"

    return re.sub(r"\{([^}]+)\}", one, path)


def test_the_workstation_has_id_routes(app) -> None:  # type: ignore[no-untyped-def]
    paths = {p for _m, p, _i in id_routes(app)}
    assert {"/issues/{issue_id}", "/articles/{article_id}", "/sources/{source_id}/test"} <= paths
    assert len(id_routes(app)) >= 14


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_out_of_range_id_is_not_found_on_every_route(app, admin: TestClient, value: str) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for method, path, ints in id_routes(app):
        for name in ints:
            url = filled(path, ints, name, value)
            response = admin.request(method, url, data={"title": "x"}, follow_redirects=False)
            if response.status_code != 404 or "找不到这个页面或记录" not in response.text:
                wrong.append((method, url, response.status_code))
    assert wrong == []


def test_an_unknown_id_in_range_is_still_the_routes_own_404(admin: TestClient) -> None:
    response = admin.get("/issues/2147483647")
    assert response.status_code == 404
    assert "2147483647" in response.text  # the route's NotFound names the item


def test_ids_in_range_still_reach_their_routes(admin: TestClient) -> None:
    assert admin.get("/articles/1").status_code == 200
    assert admin.get("/articles/0001").status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "form"),
    [
        ("GET", "/candidates?issue=99999999999999999999", None),
        ("POST", "/candidates/1/accept", {"issue": "99999999999999999999"}),
        ("POST", "/candidates/1/reject", {"issue": "9223372036854775808"}),
        ("POST", "/candidates/1/summary", {"issue": "2147483648", "summary": "摘要"}),
        ("POST", "/issues/1/items", {"article_id": "99999999999999999999"}),
    ],
)
def test_an_out_of_range_id_in_a_query_or_form_is_not_found(
    admin: TestClient, method: str, url: str, form: dict[str, str] | None
) -> None:
    response = admin.request(method, url, data=form, follow_redirects=False)
    assert response.status_code == 404, response.status_code
