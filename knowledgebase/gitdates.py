"""When each source file last changed, from git history (one ``git log`` per build).

Imports nothing from the package. Outside a git checkout, or for files git does not know,
no date is given; pages then show none rather than a guess.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path


def last_changed(root: Path) -> dict[str, date]:
    """Path (relative to the repository root, with '/') -> date of the newest commit that touched it."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", "data", "docs"],
            cwd=root, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
        prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, date] = {}
    current: date | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = date.fromisoformat(line[1:])
        elif line and current is not None:
            path = line[len(prefix):] if prefix and line.startswith(prefix) else line
            dates.setdefault(path, current)
    return dates
