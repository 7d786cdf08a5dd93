"""One Markdown converter for all pages of a build gives the same site, byte for byte, as one per page."""

from __future__ import annotations

from pathlib import Path

from sitekit import make_site, mkdocs_build


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_sharing_one_converter_changes_no_page(tmp_path):
    project = make_site(tmp_path / "project")
    # An abbreviation an editor defines on one page applies to that page only, also when the next page uses the word.
    index = project / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nTSTX er en forkortelse.\n\n*[TSTX]: Bare på denne siden\n",
                     encoding="utf-8")
    for page in ("docs/rutiner/ip.md", "docs/kommuner/testby/plan/01-innledning.md"):
        (project / page).write_text((project / page).read_text(encoding="utf-8") + "\nTSTX.\n", encoding="utf-8")
    shared = mkdocs_build(project, "--site-dir", str(tmp_path / "shared"))
    assert shared.returncode == 0, shared.stderr
    # The same build with MkDocs' own behaviour (a converter per page), by a hook that runs after the engine's.
    (project / "hooks/per_page.py").write_text("from knowledgebase import mdreuse\n\n\ndef on_config(config):\n"
                                               "    mdreuse.uninstall()\n    return config\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/kb.py\n",
                                                                 "  - hooks/kb.py\n  - hooks/per_page.py\n"),
                      encoding="utf-8")
    per_page = mkdocs_build(project, "--site-dir", str(tmp_path / "per-page"))
    assert per_page.returncode == 0, per_page.stderr
    first, second = _pages(tmp_path / "shared"), _pages(tmp_path / "per-page")
    assert len(first) > 20 and first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert b'<abbr title="Bare p' in first["index.html"] and b"Bare p" not in first["rutiner/ip/index.html"]
