"""Shared fixtures: a built copy of the small fixture site, and the project's own built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import ROOT, make_site, mkdocs_build

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The 'mini' fixture site, built once with --strict and an edit-link repository set."""
    site = make_site(tmp_path_factory.mktemp("mini"))
    env = dict(os.environ, KB_REPO_URL="https://git.example.invalid/kb", KB_EDIT_URI="edit/main/docs/")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def project_site() -> Path:
    """The project's built site/ (built by the test command; built here when missing)."""
    site = ROOT / "site"
    if not (site / "index.html").exists():
        result = mkdocs_build(ROOT)
        assert result.returncode == 0, result.stdout + result.stderr
    return site
