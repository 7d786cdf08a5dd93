"""A build or an export that fails leaves the published output exactly as it was; one that succeeds replaces it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import make_site, mkdocs_build

from knowledgebase.build import load_project, write_offline


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(tmp_path) -> Path:
    site = make_site(tmp_path / "project")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    return site


def leftovers(site: Path) -> list[str]:
    """Temporary folders left beside the site; the replaced site is deleted in the background, so wait for it."""
    for _ in range(100):
        found = sorted(p.name for p in site.iterdir() if ".kb-" in p.name)
        if not any(".kb-old-" in name for name in found):
            return found
        time.sleep(0.1)
    return found


def test_a_build_that_fails_on_a_broken_link_leaves_the_site_as_it_was(built):
    before = tree(built / "site")
    page = built / "docs/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Borte](finnes-ikke.md)\n", encoding="utf-8")
    result = mkdocs_build(built)
    assert result.returncode != 0 and "finnes-ikke.md" in result.stderr
    assert tree(built / "site") == before and not leftovers(built)


def add_hook(project: Path, source: str) -> None:
    """Add a hook module with ``source`` to the project's build, after the engine's hook."""
    (project / "hooks/fail.py").write_text(source, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/kb.py\n", "  - hooks/kb.py\n"
                                                                  "  - hooks/fail.py\n"), encoding="utf-8")


def test_a_build_that_fails_while_writing_pages_leaves_the_site_as_it_was(built):
    before = tree(built / "site")
    add_hook(built,
        "def on_post_page(output, page, config):\n"
        "    if page.file.src_uri.endswith('samtaler.md'):\n"
        "        raise RuntimeError('disk full')\n"
        "    return output\n")
    result = mkdocs_build(built)
    assert result.returncode != 0 and "disk full" in result.stderr
    assert tree(built / "site") == before and not leftovers(built)


def test_a_build_that_fails_while_writing_the_exports_leaves_the_site_as_it_was(built):
    before = tree(built / "site")
    add_hook(built,
        "import knowledgebase.exports as exports\n\n"
        "def on_config(config):\n"
        "    def broken(index, rel):\n"
        "        raise OSError('the workbook could not be written')\n"
        "    exports.export_file = broken\n"
        "    return config\n")
    result = mkdocs_build(built)
    assert result.returncode != 0 and "the workbook could not be written" in result.stderr
    assert tree(built / "site") == before and not leftovers(built)


def test_a_good_build_replaces_the_site(built):
    page = built / "docs/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny setning.\n", encoding="utf-8")
    (built / "site" / "gammel-fil.txt").write_text("old", encoding="utf-8")
    result = mkdocs_build(built)
    assert result.returncode == 0, result.stderr
    assert "En ny setning." in (built / "site/index.html").read_text(encoding="utf-8")
    assert not (built / "site" / "gammel-fil.txt").exists() and not leftovers(built)


def test_an_export_that_fails_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    site = make_site(tmp_path / "project")
    project = load_project(site)
    out = tmp_path / "out"
    out.mkdir()
    from knowledgebase import exports

    def broken(index, folder, paths=None):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_export_files", broken)
    with pytest.raises(OSError):
        write_offline(project, out)
    assert list(out.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]
    monkeypatch.undo()
    assert write_offline(project, out) > 20 and (out / "docs/export/kb.json").exists()


def test_serve_still_builds_into_its_own_folder(tmp_path):
    """mkdocs serve is not swapped: a short serve run starts and serves the site."""
    site = make_site(tmp_path / "project")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8765"], cwd=site,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Serving on" in line or len(lines) > 200:
                break
        assert any("Serving on" in line for line in lines), "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert not (site / "site").exists()
