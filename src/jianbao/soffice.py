"""LibreOffice headless, run once for one conversion: where it is, and how it is run.

Rendering (.docx → .pdf) and the archive import (.doc/.wps → .docx) both hand a file to
``soffice --convert-to``. What can go wrong is the same for both — LibreOffice missing, a
conversion that hangs, a profile held by another LibreOffice (the second conversion then
exits 0 and writes nothing), a file it cannot read — but what the user should do about
it differs, so this module raises plain ``SofficeFailed`` and each caller turns it into
its own error and hint. It imports nothing of jianbao's stages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: seconds one conversion may take before it is killed
CONVERT_TIMEOUT = 120
#: the end of LibreOffice's own output kept in an error (it can be long)
DETAIL_CHARS = 300
#: lines LibreOffice prints on every run, which say nothing about the failure
_NOISE = ("Warning: failed to launch javaldx",)


def soffice_path(explicit: str | None = None) -> str | None:
    """The LibreOffice executable: ``explicit``, else $JIANBAO_SOFFICE, else soffice or
    libreoffice on the PATH; None when there is none."""
    for candidate in (explicit, os.environ.get("JIANBAO_SOFFICE"), "soffice", "libreoffice"):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


@dataclass
class SofficeFailed(Exception):
    """A conversion that timed out, exited with an error or wrote no file."""

    #: the seconds allowed when it timed out, else 0
    timeout: float = 0
    returncode: int | None = None
    detail: str = ""

    @property
    def timed_out(self) -> bool:
        return self.timeout > 0

    def __str__(self) -> str:
        if self.timed_out:
            return f"LibreOffice timed out after {self.timeout:g} s"
        return f"LibreOffice exit code {self.returncode}: {self.detail}"


def convert(
    exe: str,
    source: Path,
    out_dir: Path,
    target: str,
    *,
    profile: Path,
    home: Path,
    env: dict[str, str] | None = None,
    timeout: float = CONVERT_TIMEOUT,
) -> Path:
    """Convert ``source`` with the filter ``target`` (``pdf:writer_pdf_Export``,
    ``docx:MS Word 2007 XML``) into ``out_dir``; the file written.

    ``profile`` is the LibreOffice user installation this conversion uses, and it must be
    this conversion's alone while it runs (a private folder, or one held under a lock);
    ``home`` is $HOME for it (LibreOffice writes there too); ``env`` adds variables.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    written = out_dir / f"{source.stem}.{target.split(':', 1)[0]}"
    written.unlink(missing_ok=True)  # never mistake an older file for this conversion's
    command = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir),
        str(source),
    ]
    variables = dict(os.environ, HOME=str(home), **(env or {}))
    try:
        result = subprocess.run(
            command, env=variables, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise SofficeFailed(timeout=timeout) from exc
    if result.returncode != 0 or not written.is_file():
        output = (result.stderr or result.stdout).decode("utf-8", "replace")
        detail = "\n".join(
            line for line in output.strip().splitlines() if not line.startswith(_NOISE)
        )
        raise SofficeFailed(0, result.returncode, detail[-DETAIL_CHARS:])
    return written
