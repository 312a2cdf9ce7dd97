"""Where the learned models live on disk, readable without loading them.

Finding out which models exist — the current relevance version, whether a category
model was trained — must cost nothing: a collection cycle asks at its start, and loading
a model imports scikit-learn (some 80 MB) into a process that may only hand the models'
whereabouts to its worker processes. The model modules use these names to write and read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

#: the relevance model's pointer to its current version
POINTER = "relevance.json"
VERSION_FILE = re.compile(r"^relevance-(\d{4,})\.joblib$")
#: the category model and the one it replaced
CATEGORY_FILE = "category.joblib"
CATEGORY_PREVIOUS = "category.previous.joblib"


def relevance_versions(folder: Path) -> list[int]:
    """The relevance versions kept in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for p in folder.iterdir() if (m := VERSION_FILE.match(p.name)))


def relevance_path(folder: Path, version: int) -> Path:
    return folder / f"relevance-{version:04d}.joblib"


def current_relevance_version(folder: Path) -> int | None:
    """The version ``relevance.json`` names (or the newest file when it is missing)."""
    pointer = folder / POINTER
    if pointer.is_file():
        try:
            version = int(json.loads(pointer.read_text("utf-8"))["current"])
        except (ValueError, KeyError, TypeError):
            version = None
        if version is not None and relevance_path(folder, version).is_file():
            return version
    versions = relevance_versions(folder)
    return versions[-1] if versions else None


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """Which learned models a judging run uses: the relevance version current when it
    started (a later training does not change it midway) and whether a category model
    exists. Small and hashable, so it travels to worker processes instead of the models."""

    folder: Path
    relevance_version: int | None
    category: bool

    @classmethod
    def current(cls, folder: Path) -> ModelFiles | None:
        """The models now current in ``folder``; None when none was trained."""
        version = current_relevance_version(folder)
        category = (folder / CATEGORY_FILE).is_file()
        if version is None and not category:
            return None
        return cls(folder, version, category)
