"""Builds that never half-finish: MkDocs writes into a temporary folder beside the site, and the
finished site replaces the old one only when the whole build succeeded.

Imports nothing from the package. ``on_config`` points ``site_dir`` at a new temporary folder (for
``mkdocs build`` only: ``mkdocs serve`` builds into a folder of its own); the last ``on_post_build``
swaps it in, unless a warning was logged in strict mode (MkDocs then stops the build after
``on_post_build``); a failed build removes the temporary folder and leaves the old site, byte for
byte, as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


STATE: dict[str, Any] = {"command": None}
"""The MkDocs command of this process, and the build in progress (target, temporary folder, counter)."""


def start(config: Any) -> None:
    """Point the build at a temporary folder beside ``site_dir`` (``mkdocs build`` only)."""
    finish_failed()
    if STATE["command"] != "build":
        return
    target = Path(config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.kb-old-*"):
        _remove_later(stale)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.kb-new-", dir=target.parent))
    os.chmod(temporary, 0o755)
    counter = _WarningCounter()
    logging.getLogger("mkdocs").addHandler(counter)
    STATE.update(target=target, temporary=temporary, counter=counter, strict=bool(config.strict))
    config.site_dir = str(temporary)


def publish() -> None:
    """Swap the finished site in, unless strict mode will stop the build for a logged warning."""
    temporary: Path | None = STATE.get("temporary")
    if temporary is None:
        return
    counter: _WarningCounter = STATE["counter"]
    if STATE["strict"] and counter.count:
        return  # MkDocs raises next and calls on_build_error, which removes the temporary folder
    target: Path = STATE["target"]
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.kb-old-", dir=target.parent))
        os.rmdir(old)
        target.rename(old)
    temporary.rename(target)
    if old is not None:
        _remove_later(old)
    _forget()


def _remove_later(folder: Path) -> None:
    """Delete the replaced site in a process of its own, so the build ends without waiting for it.

    The new site is already in place; a leftover folder (if that process is stopped) is removed by
    the next build.
    """
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:  # no 'rm' here: delete it now
        shutil.rmtree(folder, ignore_errors=True)


def finish_failed() -> None:
    """Remove the temporary folder of a build that failed; the old site stays as it was."""
    temporary: Path | None = STATE.get("temporary")
    if temporary is not None:
        shutil.rmtree(temporary, ignore_errors=True)
    _forget()


def _forget() -> None:
    counter = STATE.get("counter")
    if counter is not None:
        logging.getLogger("mkdocs").removeHandler(counter)
    command = STATE["command"]
    STATE.clear()
    STATE["command"] = command


def write_folder_atomically(out: Path, write: Any) -> int:
    """Call ``write(folder)`` on a new temporary folder beside ``out`` and rename it to ``out`` when it succeeds.

    ``out`` must be new or empty; when ``write`` fails, ``out`` stays as it was.
    """
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.kb-new-", dir=out.parent))
    try:
        count = int(write(temporary))
        if out.exists():
            out.rmdir()
        temporary.rename(out)
        return count
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
