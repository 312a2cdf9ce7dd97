"""Documentation is enforced: every CLI command appears in the README with its help."""

from __future__ import annotations

from pathlib import Path

import click
import typer

from jianbao.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _is_group(command: click.Command) -> bool:
    """typer 0.29 builds its commands on its own copy of click, so ``click.Group`` is not
    their base: a group is what has subcommands."""
    return isinstance(getattr(command, "commands", None), dict)


def _command_paths(command: click.Command, prefix: str = "jianbao") -> list[str]:
    if _is_group(command):
        paths = []
        for name, sub in command.commands.items():
            paths.extend(_command_paths(sub, f"{prefix} {name}"))
        return paths
    return [prefix]


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    paths = _command_paths(typer.main.get_command(app))
    missing = [path for path in paths if path not in text]
    assert missing == [], "document these commands in README.md"
    assert len(paths) > 40  # every command of every group, not the bare program name


def test_every_command_has_help() -> None:
    def walk(command: click.Command) -> list[str]:
        if _is_group(command):
            return [n for sub in command.commands.values() for n in walk(sub)]
        return [] if command.help else [command.name or "?"]

    assert walk(typer.main.get_command(app)) == []
