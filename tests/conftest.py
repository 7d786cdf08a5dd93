"""Shared fixtures: a built copy of the small fixture site, and a fresh build of the project's site.

Tests never read the project's own ``site/``: ``project_site`` is the folder the test command built
(``KB_TEST_SITE``), or a strict build made here into a temporary folder.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import ROOT, make_site, mkdocs_build

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 'mini' fixture site, built once with --strict and an edit-link repository set."""
    site = make_site(tmp_path_factory.mktemp("mini"))
    env = dict(os.environ, KB_REPO_URL="https://git.example.invalid/kb", KB_EDIT_URI="edit/main/docs/")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def project_index():
    """The project's own data, loaded and checked once per test run. Tests read it and never change it; a test
    that changes a record makes its own (``load_project(ROOT).index``)."""
    from knowledgebase.build import load_project

    return load_project(ROOT).index


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site, built strictly from the working tree for this test run."""
    given = os.environ.get("KB_TEST_SITE")
    if given:
        site = Path(given)
        assert (site / "index.html").exists(), f"KB_TEST_SITE={given} holds no built site"
        return site
    site = tmp_path_factory.mktemp("project") / "site"
    result = mkdocs_build(ROOT, "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


_BUILDS = ("kb_command(", "mkdocs_build(", "subprocess.", "mini_site", "hostile_site", "built", "run(tmp_path")
"""What in a test's source means it builds a fixture project or runs the command line in a new process."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the layers: 'site' tests read the project's built site (run after the build); 'build' tests build a
    fixture project or run the command line in a process of their own; the rest are in-process unit tests."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "project_site" in names:
            item.add_marker(pytest.mark.site)
            continue
        function = getattr(item, "function", None)
        source = inspect.getsource(function) if function is not None else ""
        if any(mark in source for mark in _BUILDS) or any(n in ("mini_site", "hostile_site", "built") for n in names):
            item.add_marker(pytest.mark.build)
