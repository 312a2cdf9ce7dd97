"""Roster files: the people on duty, in order, as CSV or TOML, checked row by row.

CSV, one person a line after a header (English or Chinese column names)::

    name,username,channel,email            姓名,账号,渠道,邮箱
    张三,zhangsan,wecom-zhang,             张三,zhangsan,wecom-zhang,

TOML, with the rotation too::

    [rotation]
    unit = "week"          # or "day"
    start = 2026-12-07

    [[people]]
    name = "张三"
    username = "zhangsan"
    channel = "wecom-zhang"
    email = "zhangsan@example.cn"

A bad row stops the import with its line number, so half a roster is never stored.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jianbao.errors import InputError
from jianbao.jobs.roster import ROTATION_UNITS, PersonRow

#: column names accepted in a CSV header → the field
COLUMNS = {
    "name": "name",
    "姓名": "name",
    "username": "username",
    "账号": "username",
    "channel": "channel",
    "渠道": "channel",
    "email": "email",
    "邮箱": "email",
}

_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


@dataclass(frozen=True, slots=True)
class RosterFile:
    people: list[PersonRow]
    unit: str | None = None
    start: date | None = None


def read_roster_file(path: Path, channels: Collection[str] | None = None) -> RosterFile:
    """Read a .csv or .toml roster; ``channels`` are the configured channel names (None:
    not checked)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            f"无法读取值班表：{exc.strerror or exc}", item=str(path), hint="检查文件路径"
        ) from exc
    except UnicodeDecodeError:
        raise InputError(
            "值班表不是 UTF-8 编码", item=str(path), hint="用 UTF-8 另存（Excel：CSV UTF-8）"
        ) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return RosterFile(_read_csv(text, str(path), channels))
    if suffix == ".toml":
        return _read_toml(text, str(path), channels)
    raise InputError(
        f"不认识的值班表格式 {suffix or '（无扩展名）'}", item=str(path), hint="用 .csv 或 .toml"
    )


def _read_csv(text: str, where: str, channels: Collection[str] | None) -> list[PersonRow]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    fields = [COLUMNS.get(cell.strip().lower()) for cell in header or []]
    if not header or "name" not in fields:
        raise InputError(
            "值班表第 1 行应是表头，至少有 name（姓名）一列",
            item=where,
            hint="第一行写 name,username,channel,email 或 姓名,账号,渠道,邮箱",
        )
    unknown = [cell for cell, f in zip(header, fields, strict=True) if f is None and cell.strip()]
    if unknown:
        raise InputError(
            f"值班表第 1 行有不认识的列：{'、'.join(unknown)}",
            item=where,
            hint="可用的列：name, username, channel, email（或 姓名、账号、渠道、邮箱）",
        )
    rows: list[tuple[str, dict[str, str]]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = f"{where} 第 {reader.line_num} 行"
        if len(cells) > len(fields):
            raise InputError(
                f"列数多于表头（{len(cells)} 列，表头 {len(fields)} 列）",
                item=line,
                hint="含逗号的内容用英文双引号括起",
            )
        values = {f: cell for f, cell in zip(fields, cells, strict=False) if f}
        rows.append((line, values))
    return _people(rows, where, channels)


def _read_toml(text: str, where: str, channels: Collection[str] | None) -> RosterFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"值班表不是合法的 TOML：{exc}", item=where) from None
    people = data.get("people")
    if not isinstance(people, list):
        raise InputError(
            "值班表里没有 [[people]]", item=where, hint='每人一个 [[people]] 表：name = "张三"'
        )
    lines = [i for i, line in enumerate(text.splitlines(), 1) if line.strip() == "[[people]]"]
    rows: list[tuple[str, dict[str, str]]] = []
    for index, entry in enumerate(people):
        number = lines[index] if index < len(lines) else None
        line = f"{where} 第 {number} 行" if number else f"{where} 第 {index + 1} 个 [[people]]"
        if not isinstance(entry, Mapping):
            raise InputError("[[people]] 应是一个表", item=line)
        unknown = sorted(set(entry) - {"name", "username", "channel", "email"})
        if unknown:
            raise InputError(
                f"不认识的项：{'、'.join(unknown)}",
                item=line,
                hint="可用：name, username, channel, email",
            )
        if any(not isinstance(v, str) for v in entry.values()):
            raise InputError("每一项都应是文字", item=line, hint='如 name = "张三"')
        rows.append((line, dict(entry)))
    unit, start = _rotation(data.get("rotation"), where)
    return RosterFile(_people(rows, where, channels), unit, start)


def _rotation(table: Any, where: str) -> tuple[str | None, date | None]:
    if table is None:
        return None, None
    item = f"{where} [rotation]"
    if not isinstance(table, Mapping):
        raise InputError("[rotation] 应是一个表", item=item)
    unit, start = table.get("unit"), table.get("start")
    if unit not in ROTATION_UNITS:
        raise InputError(
            f"轮值方式 unit = {unit!r} 不对",
            item=item,
            hint='unit = "week"（每人一周，周一起）或 "day"（每人一个工作日）',
        )
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start)
        except ValueError:
            start = None
    if not isinstance(start, date):
        raise InputError("轮值的起始日期 start 不对", item=item, hint="start = 2026-12-07")
    return str(unit), start


def _people(
    rows: list[tuple[str, dict[str, str]]], where: str, channels: Collection[str] | None
) -> list[PersonRow]:
    seen: dict[str, str] = {}
    people: list[PersonRow] = []
    for line, values in rows:
        clean = {k: v.strip() for k, v in values.items()}
        name = clean.get("name", "")
        if not name:
            raise InputError("这一行没有姓名", item=line, hint="name（姓名）一列必填")
        if name in seen:
            raise InputError(f"{name}出现了两次", item=line, hint=f"与{seen[name]}重复，删去一行")
        seen[name] = line
        email = clean.get("email") or None
        if email and not _EMAIL.match(email):
            raise InputError(f"邮箱 {email!r} 不对", item=line, hint="写作 name@example.cn")
        channel = clean.get("channel") or None
        if channel and channels is not None and channel not in channels:
            known = "、".join(sorted(channels)) or "（尚未配置任何渠道）"
            raise InputError(
                f"没有名为 {channel} 的渠道",
                item=line,
                hint=f"渠道写配置中 [channels.<名称>] 的名称：{known}",
            )
        people.append(PersonRow(name, clean.get("username") or None, channel, email))
    if not people:
        raise InputError("值班表里没有人", item=where, hint="表头之后每人一行")
    return people
