"""Integers in URLs bounded to what the store can hold.

``/issues/99999999999999999999`` is a valid Python int, so FastAPI passed it on, and
the database driver failed on it (SQLite: too large for INTEGER; PostgreSQL: out of
range for its 32-bit ``integer`` ids): a 500 and a reset connection on most routes.
``bounded_ids`` is an app-wide dependency that answers such a request 404 before the
route runs, for every path, query or form parameter declared as an integer — including
those of routes added later, since it reads each matched route's own declaration.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant

#: PostgreSQL's ``integer``, the narrowest id column of the two backends
MAX_ID = 2**31 - 1
MIN_ID = -(2**31)


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return int in get_args(annotation)
    return False


def _out_of_range(value: str) -> bool:
    try:
        number = int(value)
    except ValueError:  # digits int() refuses are thousands long; anything else is
        return value.strip().lstrip("+-").isdigit()  # left to the route's validation
    return not MIN_ID <= number <= MAX_ID


async def bounded_ids(request: Request) -> None:
    """App dependency: 404 for an integer parameter (path, query or form field) beyond
    the store's id range."""
    declared = getattr(request.scope.get("route"), "dependant", None)
    if not isinstance(declared, Dependant):
        return
    pending = [declared]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for param in dependant.path_params:
            value = request.path_params.get(param.name)
            is_int = _is_int(param.field_info.annotation)
            if is_int and value is not None and _out_of_range(str(value)):
                raise HTTPException(status_code=404)
        for param in dependant.query_params:
            if _is_int(param.field_info.annotation):
                _check(request.query_params.getlist(param.alias))
        form_ints = [p for p in dependant.body_params if _is_int(p.field_info.annotation)]
        if form_ints and _is_form(request):
            form = await request.form()  # parsed once: FastAPI and csrf_protect reuse it
            for param in form_ints:
                _check([v for v in form.getlist(param.alias) if isinstance(v, str)])


def _check(values: list[str]) -> None:
    if any(_out_of_range(value) for value in values):
        raise HTTPException(status_code=404)


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
