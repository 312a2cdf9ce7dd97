"""The renderers sit below the editions (issue 15, item 28).

``editions`` imports ``render`` to publish an issue; were a renderer to import
``editions`` back (for grouped_items or a date format), the two stages would depend on
each other. The architecture's arrows are render → records/config, so every import in
``src/jianbao/render/`` — at the top of a module or inside a function — is read here with
``ast`` and checked against the layers above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jianbao

PACKAGE = Path(jianbao.__file__).parent

#: the stages and edges above render: a renderer importing one of these inverts an arrow
ABOVE_RENDER = (
    "jianbao.editions",
    "jianbao.deliver",
    "jianbao.archive",
    "jianbao.pipeline",
    "jianbao.jobs",
    "jianbao.web",
    "jianbao.cli",
    "jianbao.db",
)


def imported_modules(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module ``path`` imports, anywhere in it, as absolute names (relative imports
    resolved against ``path``'s package below ``root``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def upward_imports(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for name in sorted(imported_modules(path)):
            if any(name == top or name.startswith(top + ".") for top in ABOVE_RENDER):
                found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


def test_no_renderer_imports_a_layer_above_it() -> None:
    renderers = sorted((PACKAGE / "render").rglob("*.py"))
    assert len(renderers) >= 10  # the folder was found and read
    assert upward_imports(renderers) == []


def test_the_shared_layout_imports_only_the_records() -> None:
    internal = {n for n in imported_modules(PACKAGE / "issue_layout.py") if n.startswith("jianbao")}
    assert internal and all(n.startswith("jianbao.records") for n in internal)


def test_the_check_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    # the renderers import their heavy libraries inside functions: so could a careless
    # import of editions, and the check must see it there and in relative form too
    probe = tmp_path / "jianbao" / "render" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "def f():\n    from jianbao.editions.compose import grouped_items\n"
        "from ..editions import dates\n",
        encoding="utf-8",
    )
    names = imported_modules(probe, root=tmp_path)
    assert "jianbao.editions.compose" in names
    assert "jianbao.editions.dates" in names
