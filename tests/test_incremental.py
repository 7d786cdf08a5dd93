"""Incremental serve (``mkdocs serve --dirtyreload``): after each edit, a dirty rebuild into the same folder
gives the same site as a full build, byte for byte, and rebuilds only the pages the edit touches.

The dirty builds run in this process, as ``mkdocs serve`` runs them (the hooks stay loaded, MkDocs'
``build(config, dirty=True)`` into one folder); each is compared with a clean build into a new folder.
Nothing is excluded from the comparison: the only time-dependent output, the build date (in
``sitemap.xml`` and the generated pages' "today"), is the same for both builds of one day.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from sitekit import make_site

from knowledgebase import atomic, mkdocs_hooks
from knowledgebase.build import load_project
from knowledgebase.errors import DataError

SERVICES = "data/kommuner/testby/tjenester.yml"
PLAN = "data/kommuner/testby/handlingsplan.yml"
CHAPTER = "docs/kommuner/testby/plan/01-innledning.md"
ROUTINE = "docs/rutiner/ip.md"
SERVICE_PAGE = "kommuner/testby/tjenester/samtaler.md"
NEW_SERVICE = """- id: radgivning
  navn: Rådgivning for pårørende
  leverandor: psykisk-helse
  malgrupper: [voksne]
  situasjoner: [angst_depresjon]
  tilgang: [selvhenvisning]
  kilder: [{dokument: testplan, kapittel: "4.2"}]
"""


def _build(site: Path, out: Path, dirty: bool) -> set[str]:
    """Build ``site`` into ``out``; return the pages MkDocs rendered."""
    config = load_config(config_file=str(site / "mkdocs.yml"), site_dir=str(out))
    build(config, dirty=dirty)
    return set(mkdocs_hooks.STATE["run"].rebuilt)


def _differences(left: Path, right: Path) -> list[str]:
    """Every file that is in one folder only or differs in content, relative to the folders."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} no longer holds {old!r}; update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_dirty_rebuilds_after_each_edit_equal_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(atomic.STATE, "command", None)  # no temporary folder: build in place, as serve does
    monkeypatch.setenv("KB_SITE_URL", "http://127.0.0.1:8000/")
    site = make_site(tmp_path / "project")
    served = tmp_path / "served"
    everything = _build(site, served, dirty=True)
    counter = iter(range(100))

    def check(expect_rebuilt: set[str] | None = None, expect_not: set[str] = frozenset()) -> set[str]:
        rebuilt = _build(site, served, dirty=True)
        full = tmp_path / f"full{next(counter)}"
        _build(site, full, dirty=False)
        assert _differences(served, full) == [], rebuilt
        if expect_rebuilt is not None:
            assert expect_rebuilt <= rebuilt
            assert not rebuilt & expect_not
            assert len(rebuilt) < len(everything) / 2, sorted(rebuilt)
        return rebuilt

    # Nothing changed: nothing is rebuilt.
    assert check() == set()
    # A service's name: its own page and the pages that list it or link to it (the kommune's list of
    # services, the front page) are rebuilt; pages that do not show it are not.
    _edit(site, SERVICES, "navn: Samtaler med psykiatrisk sykepleier", "navn: Samtaler med sykepleier")
    check({SERVICE_PAGE, "index.md", "kommuner/testby/tjenester/index.md"},
          {"kommuner/testby/plan/01-innledning.md", "rutiner/ip.md"})
    # A chapter's text: that page and the printable plan that holds every chapter, nothing else.
    chapter_pages = {"kommuner/testby/plan/01-innledning.md", "kommuner/testby/plan/utskrift.md"}
    _edit(site, CHAPTER, "Tekst om ROP og IP.", "Tekst om ROP, IP og samarbeid.")
    assert check(chapter_pages) == chapter_pages
    # A chapter starts to cite the service: the service page's backlinks change too.
    _edit(site, CHAPTER, "Tekst om ROP, IP og samarbeid.", "Tekst om [[tjeneste:testby/samtaler]].")
    check({"kommuner/testby/plan/01-innledning.md", SERVICE_PAGE})
    # A record added, then deleted: the page set changes, so every page is rebuilt and the removed
    # page's output is gone.
    (site / SERVICES).write_text((site / SERVICES).read_text(encoding="utf-8") + NEW_SERVICE, encoding="utf-8")
    check()
    assert (served / "kommuner/testby/tjenester/radgivning/index.html").exists()
    _edit(site, SERVICES, NEW_SERVICE, "")
    check()
    assert not (served / "kommuner/testby/tjenester/radgivning").exists()
    # An id renamed, with the reference to it.
    _edit(site, SERVICES, "- id: helsestasjon-ungdom", "- id: ungdomshelse")
    _edit(site, PLAN, "tjenester: [helsestasjon-ungdom]", "tjenester: [ungdomshelse]")
    check()
    # A broken reference stops the build before anything is written; fixed, the site is as before, so the
    # next build rebuilds nothing.
    for rel, old, new in [(ROUTINE, "2. Oppnevn koordinator.", "2. Oppnevn [[tjeneste:testby/finnes-ikke]]."),
                          (PLAN, "tjenester: [ungdomshelse]", "tjenester: [finnes-ikke]")]:
        _edit(site, rel, old, new)
        with pytest.raises((Abort, PluginError)):
            _build(site, served, dirty=True)
        _edit(site, rel, new, old)
        assert check() == set()
    # A page refused while pages are being written (the routine would call another host), after pages showing
    # a new service name were written: the folder is half new, so once both edits are undone every page is rebuilt.
    unsafe = '2. Oppnevn koordinator. <img src="https://x.invalid/a.png" alt="">'
    _edit(site, SERVICES, "navn: Samtaler med sykepleier", "navn: Samtaler for voksne")
    _edit(site, ROUTINE, "2. Oppnevn koordinator.", unsafe)
    with pytest.raises((Abort, PluginError)):
        _build(site, served, dirty=True)
    _edit(site, SERVICES, "navn: Samtaler for voksne", "navn: Samtaler med sykepleier")
    _edit(site, ROUTINE, unsafe, "2. Oppnevn koordinator.")
    assert check() == set(mkdocs_hooks.STATE["run"].inputs)
    # A chapter's title is in every page's nav: every page is rebuilt.
    _edit(site, CHAPTER, "tittel: Innledning", "tittel: Innledning og bakgrunn")
    assert check() == set(mkdocs_hooks.STATE["run"].inputs)
    # mkdocs serve: an incremental rebuild keeps the search index of the first build (Pagefind reads every
    # page); a clean rebuild into the same folder (serve without --dirtyreload) makes everything again.
    monkeypatch.setitem(atomic.STATE, "command", "serve")
    entry = served / "pagefind" / "pagefind-entry.json"
    indexed = entry.stat().st_mtime_ns
    _edit(site, CHAPTER, "Tekst om [[tjeneste:testby/samtaler]].", "Tekst om samarbeid.")
    assert _build(site, served, dirty=True) == chapter_pages | {SERVICE_PAGE}  # its backlinks too
    assert entry.stat().st_mtime_ns == indexed
    _build(site, served, dirty=False)
    monkeypatch.setitem(atomic.STATE, "command", None)
    _build(site, tmp_path / "clean", dirty=False)
    assert _differences(served, tmp_path / "clean") == []


def test_a_data_file_is_validated_again_only_when_its_text_changed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    first = load_project(site).index.get("tjeneste", "testby/samtaler")
    again = load_project(site).index.get("tjeneste", "testby/samtaler")
    assert again is not None and first is not None
    assert again.record is first.record  # the same bytes: not parsed and validated again
    _edit(site, SERVICES, "navn: Samtaler med psykiatrisk sykepleier", "navn: Samtaler med sykepleier")
    changed = load_project(site).index.get("tjeneste", "testby/samtaler")
    assert changed is not None and changed.record.navn == "Samtaler med sykepleier"
    # A file with a mistake is reported on every build, not only the first after the save.
    _edit(site, SERVICES, "navn: Samtaler med sykepleier", "navn: Samtaler med sykepleier\n  farge: blå")
    for _ in range(2):
        with pytest.raises(DataError, match=r"tjenester\.yml:\d+: .*farge"):
            load_project(site)


def test_a_changed_title_in_a_nav_without_titles_rebuilds_every_page(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With a nav that names no titles, a page's first heading is its title in every page's menu."""
    monkeypatch.setitem(atomic.STATE, "command", None)
    site = make_site(tmp_path / "project")
    config_file = site / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + "\nnav:\n  - index.md\n  - rutiner/ip.md\n  - kommuner/testby/plan/01-innledning.md\n",
                           encoding="utf-8")
    served = tmp_path / "served"
    everything = _build(site, served, dirty=True)
    _edit(site, "docs/index.md", "# Testside", "# Forsiden for test")
    assert _build(site, served, dirty=True) == everything
    _build(site, tmp_path / "full", dirty=False)
    assert _differences(served, tmp_path / "full") == []
    assert "Forsiden for test" in (served / "rutiner/ip/index.html").read_text(encoding="utf-8")
    # A page rebuilt alone shows the titles of the pages that were not rebuilt, as the last build found them.
    _edit(site, ROUTINE, "2. Oppnevn koordinator.", "2. Oppnevn en koordinator.")
    assert "rutiner/ip.md" in _build(site, served, dirty=True)
    _build(site, tmp_path / "full2", dirty=False)
    assert _differences(served, tmp_path / "full2") == []
