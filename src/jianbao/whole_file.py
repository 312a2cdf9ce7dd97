"""Files written whole: under a temporary name beside the file, then renamed over it.

A reader — another process loading the file while it is written — finds the file as it
was before, or absent, or whole: never a part of it, since a rename within one folder
replaces the name at once. A write that fails (an exception, a full disk) leaves the file
as it was and no temporary file behind. Imports nothing of jianbao's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_whole(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` whole: ``write`` is given the open temporary file, which replaces
    ``path`` once ``write`` has returned. The temporary file is named ``.<name>.…tmp``
    (hidden, so a glob for the real files never finds it); the file it becomes is
    readable by all and writable by its owner (0644), as a plain write under the usual
    umask leaves it — ``mkstemp`` makes it owner-only, and workers running as another
    user must read the models folder."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:  # interrupted too (KeyboardInterrupt, a signal's exception)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def copy_whole(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path`` whole (see :func:`write_whole`)."""
    with source.open("rb") as data:
        write_whole(path, lambda out: shutil.copyfileobj(data, out))
