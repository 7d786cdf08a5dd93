"""Assemble small fixture sites from the project's own config, hooks and theme overrides."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_site(dest: Path, fixture: str = "mini") -> Path:
    """Copy the project's mkdocs.yml, hooks, overrides and assets plus a fixture's data and docs."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(FIXTURES / fixture / "data", dest / "data")
    shutil.copytree(FIXTURES / fixture / "docs", dest / "docs")
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    return dest


def mkdocs_build(site: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` in a fixture site and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=site, capture_output=True, text=True, timeout=300,
    )


def kb_command(site: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m knowledgebase`` in a fixture site."""
    return subprocess.run(
        [sys.executable, "-m", "knowledgebase", *args], cwd=site, capture_output=True, text=True, timeout=120,
    )
