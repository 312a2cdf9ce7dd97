"""Documentation is enforced: every CLI command appears in the README with its help."""

from __future__ import annotations

from pathlib import Path

import click
import typer

from jianbao.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _command_paths(command: click.Command, prefix: str = "jianbao") -> list[str]:
    if isinstance(command, click.Group):
        paths = []
        for name, sub in command.commands.items():
            paths.extend(_command_paths(sub, f"{prefix} {name}"))
        return paths
    return [prefix]


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [path for path in _command_paths(typer.main.get_command(app)) if path not in text]
    assert missing == [], "document these commands in README.md"


def test_every_command_has_help() -> None:
    def walk(command: click.Command) -> list[str]:
        if isinstance(command, click.Group):
            return [n for sub in command.commands.values() for n in walk(sub)]
        return [] if command.help else [command.name or "?"]

    assert walk(typer.main.get_command(app)) == []
