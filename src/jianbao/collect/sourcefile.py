"""Sources as a YAML or TOML file, for people who keep their source list in git.

The same fields as ``SourceSpec`` (``name``, ``url``, ``kind``, ``link_selector``,
``max_pages``, ``default_source_name``, ``render``, ``respect_robots``) under a
top-level ``sources`` list::

    sources:
      - name: 国家卫健委 工作动态
        url: http://www.nhc.gov.cn/xcs/gzdt/list.shtml
        kind: listing
        max_pages: 2

or in TOML, ``[[sources]]`` tables. Reading checks every entry and names the one that is
wrong (its position and field), so a typo does not silently drop a source.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any, Literal, cast

import yaml

from jianbao.collect.source_limits import KINDS, RENDERS, check_source_spec
from jianbao.errors import ConfigError, InputError
from jianbao.records import SourceKind, SourceSpec

FileFormat = Literal["yaml", "toml"]
#: the largest sources file read, in characters (a thousand sources take ~150,000)
MAX_FILE_CHARS = 5 * 1024 * 1024
#: the deepest nesting of lists and tables a YAML sources file may have (it needs 3)
MAX_DEPTH = 20
#: the most YAML aliases (``*name``) a sources file may use: enough for shared settings
#: merged into every source (``<<: *defaults``); the values are never written out, so a
#: nest of aliases (an alias bomb) costs nothing below this, and is refused above it
MAX_ALIASES = 1000
_FIELDS = (
    "name",
    "url",
    "kind",
    "link_selector",
    "max_pages",
    "default_source_name",
    "render",
    "respect_robots",
)


def format_for(filename: str) -> FileFormat:
    """The format a file name implies (``.toml`` or ``.yaml``/``.yml``)."""
    lowered = filename.lower()
    if lowered.endswith(".toml"):
        return "toml"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    raise ConfigError(
        "无法从文件名判断来源文件格式", item=filename, hint="使用 .yaml、.yml 或 .toml 扩展名"
    )


def read_sources_file(text: str, fmt: FileFormat) -> list[SourceSpec]:
    """The sources a YAML or TOML document lists. Raises ConfigError naming the problem.

    The file is bounded before it is parsed (size; YAML nesting depth and aliases, read
    from the event stream, which does not recurse): a file nested 5,000 deep raised
    RecursionError and a YAML alias bomb took 68 s and 3 GB.
    """
    if len(text) > MAX_FILE_CHARS:
        raise ConfigError(
            f"来源文件过大：{len(text)} 个字符，上限 {MAX_FILE_CHARS} 个",
            hint="分成几个文件导入",
        )
    try:
        if fmt == "yaml":
            _check_yaml_shape(text)
        data = tomllib.loads(text) if fmt == "toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"来源文件不是有效的 {fmt.upper()}", hint=str(exc).splitlines()[0][:200]
        ) from exc
    except RecursionError:  # tomllib recurses once per level
        raise ConfigError(
            "来源文件嵌套过深",
            hint="来源文件只需两层：sources 列表和每个来源的字段",
        ) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ConfigError(
            f"来源文件中有无法读取的值：{str(exc)[:80]}", hint="检查文件中的数字"
        ) from None
    if data is None:
        return []
    entries = data.get("sources") if isinstance(data, dict) else data
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ConfigError("来源文件中的 sources 应是列表", hint="每个来源一项，含 name 和 url")
    specs: list[SourceSpec] = []
    names: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        spec = _spec(entry, position)
        if spec.name in names:
            raise ConfigError(
                f"第 {position} 个来源与前面的来源重名", item=spec.name, hint="来源名称必须唯一"
            )
        names.add(spec.name)
        specs.append(spec)
    return specs


def _check_yaml_shape(text: str) -> None:
    """Raise ConfigError when the YAML nests deeper than MAX_DEPTH or uses more than
    MAX_ALIASES aliases; reads the parser's events, before anything is built."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise ConfigError(
                    f"来源文件嵌套过深（超过 {MAX_DEPTH} 层）",
                    item=f"第 {line} 行",
                    hint="来源文件只需两层：sources 列表和每个来源的字段",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise ConfigError(
                    f"来源文件的别名（*引用）过多：超过 {MAX_ALIASES} 个",
                    item=f"第 {line} 行",
                    hint="来源文件不需要 YAML 别名；把每个来源的字段直接写出",
                )


def _spec(entry: object, position: int) -> SourceSpec:
    where = f"第 {position} 个来源"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}不是键值表", hint="每个来源写成 name: …、url: … 的形式")
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise ConfigError(
            f"{where}有未知字段：{', '.join(map(str, unknown))}",
            hint="可用字段：" + "、".join(_FIELDS),
        )
    for key in ("name", "url", "kind", "link_selector", "default_source_name", "render"):
        if isinstance(entry.get(key), (dict, list)):
            raise ConfigError(
                f"{where}的 {key} 应是一行文字", hint="不要写成列表或键值表（也不要用别名引用列表）"
            )
    name = _text(entry.get("name"))
    url = _text(entry.get("url"))
    if not name or not url:
        raise ConfigError(f"{where}缺少 name 或 url", item=name or url or None)
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}的 url 必须以 http:// 或 https:// 开头", item=url)
    kind = _text(entry.get("kind")) or "feed"
    if kind not in KINDS:
        raise ConfigError(
            f"{where}的 kind 无效：{kind}", item=name, hint="可选 " + "、".join(KINDS)
        )
    render = _text(entry.get("render")) or "http"
    if render not in RENDERS:
        raise ConfigError(f"{where}的 render 无效：{render}", item=name, hint="可选 http、browser")
    pages = entry.get("max_pages", 1)
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
        raise ConfigError(f"{where}的 max_pages 应是正整数", item=name)
    robots = entry.get("respect_robots", True)
    if not isinstance(robots, bool):
        raise ConfigError(f"{where}的 respect_robots 应是 true 或 false", item=name)
    spec = SourceSpec(
        name=name,
        url=url,
        kind=cast(SourceKind, kind),
        link_selector=_text(entry.get("link_selector")) or None,
        max_pages=pages,
        default_source_name=_text(entry.get("default_source_name")) or None,
        render=render,
        respect_robots=robots,
    )
    try:
        check_source_spec(spec, where)
    except InputError as exc:
        raise ConfigError(exc.message, item=exc.item, hint=exc.hint) from None
    return spec


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def _entry(spec: SourceSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": spec.name, "url": spec.url, "kind": spec.kind}
    if spec.link_selector:
        entry["link_selector"] = spec.link_selector
    if spec.max_pages != 1:
        entry["max_pages"] = spec.max_pages
    if spec.default_source_name:
        entry["default_source_name"] = spec.default_source_name
    if spec.render != "http":
        entry["render"] = spec.render
    if not spec.respect_robots:
        entry["respect_robots"] = False
    return entry


def write_sources_file(specs: list[SourceSpec], fmt: FileFormat) -> str:
    """A YAML or TOML document listing ``specs``, readable by ``read_sources_file``."""
    entries = [_entry(spec) for spec in specs]
    if fmt == "yaml":
        return yaml.safe_dump(
            {"sources": entries}, allow_unicode=True, sort_keys=False, default_flow_style=False
        )
    blocks = []
    for entry in entries:
        lines = ["[[sources]]"]
        for key, value in entry.items():
            # JSON literals are TOML literals for strings, integers and booleans
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
