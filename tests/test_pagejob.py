"""Pages converted in a second process give the same site, byte for byte, and the same messages as one process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.pages import Page
from sitekit import make_site

from knowledgebase import pagejob

HOOK = '''\
import json, os
from pathlib import Path
from knowledgebase import mkdocs_hooks, pagejob
from knowledgebase.links import UnresolvedReference

REPORT = Path(os.environ["KB_TEST_REPORT"])


def on_config(config):
    pagejob.MIN_PAGES = 5  # the fixture is small
    if os.environ.get("KB_TEST_ONE_PROCESS"):
        pagejob.uninstall()
    bad, how = os.environ.get("KB_TEST_BAD_PAGE"), os.environ.get("KB_TEST_BAD_HOW")
    real = mkdocs_hooks._processed_markdown

    def processed(markdown, src_uri, config):
        if src_uri == bad and how == "error":
            raise UnresolvedReference(f"{src_uri}:1: the reference [[lov:finnes-ikke]] is unknown")
        if src_uri == bad and how == "warning":
            markdown += "\\n[Borte](finnes-ikke.md)\\n"
        if src_uri == bad and how == "anchor":
            markdown += "\\n[Borte](" + "../" * src_uri.count("/") + "index.md#finnes-ikke)\\n"
        if src_uri == "index.md" and how == "anchor on the child's page":
            markdown += "\\n[Borte](verktoy/zz-kryss.md#finnes-ikke)\\n"
        return real(markdown, src_uri, config)

    mkdocs_hooks._processed_markdown = processed
    return config


def on_files(files, config):
    # The page with the heading other pages link to goes last, where the child converts it.
    target = files.get_file_from_path("verktoy/zz-kryss.md")
    files.remove(target)
    files.append(target)
    return files


def on_post_build(config):
    REPORT.write_text(json.dumps(pagejob.STATS), encoding="utf-8")


def on_build_error(error):
    REPORT.write_text(json.dumps(pagejob.STATS), encoding="utf-8")
'''


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """The fixture project with the test hook, and its first build (forked): the project, the site and what the
    child converted."""
    project = make_site(tmp_path_factory.mktemp("pagejob") / "project")
    (project / "hooks/test_pagejob.py").write_text(HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - hooks/kb.py\n",
                                                      "  - hooks/kb.py\n  - hooks/test_pagejob.py\n")
    # mkdocs-autorefs on its own (not only through mkdocstrings) registers every heading while pages are converted.
    config.write_text(text.replace("plugins:\n", "plugins:\n  - autorefs\n"), encoding="utf-8")
    # A page outside the menu, put last in MkDocs' order by the hook (so the child converts it), with a heading the
    # first page links to through mkdocs-autorefs and with a link: the parent must know the child's anchors.
    (project / "docs/verktoy").mkdir(exist_ok=True)
    (project / "docs/verktoy/zz-kryss.md").write_text("# Kryss\n\n## Målet for lenken {#kryssmaal}\n\nTekst.\n",
                                                      encoding="utf-8")
    index = project / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8")
                     + "\nSe [målet][kryssmaal] ([lenke](verktoy/zz-kryss.md#kryssmaal)).\n", encoding="utf-8")
    site = project.parent / "forked"
    code, lines, stats = _mkdocs_build(project, site)
    assert code == 0, lines
    return project, site, stats


def _mkdocs_build(project: Path, out: Path, one_process: bool = False, bad: str = "",
           how: str = "") -> tuple[int, list[str], dict]:
    report = out.with_suffix(".json")
    env = dict(os.environ, KB_TEST_REPORT=str(report), KB_TEST_ONE_PROCESS="1" if one_process else "",
               KB_TEST_BAD_PAGE=bad, KB_TEST_BAD_HOW=how)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=project, capture_output=True, text=True, timeout=300, env=env)
    # What an editor reads, without the lines that differ between any two runs.
    lines = [line for line in result.stderr.splitlines()
             if not re.search(r"Documentation built in|Building documentation to|Cleaning site", line)]
    return result.returncode, lines, json.loads(report.read_text(encoding="utf-8"))


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file() and "pagefind" not in p.parts}


def test_pages_converted_in_a_second_process_are_the_same_pages(first, tmp_path):
    project, site, stats = first
    assert len(stats["child"]) > 10, stats  # the child converted a good part of the pages
    code, lines, alone = _mkdocs_build(project, tmp_path / "alone", one_process=True)
    assert code == 0, lines
    assert "child" not in alone
    forked, one = _files(site), _files(tmp_path / "alone")
    assert len(forked) > 40 and forked.keys() == one.keys()
    assert [name for name in forked if forked[name] != one[name]] == []
    assert "verktoy/zz-kryss.md" in stats["child"]
    assert b'href="verktoy/zz-kryss/#kryssmaal"' in forked["index.html"]


def test_an_error_on_a_page_of_the_child_reads_as_in_one_process(first, tmp_path):
    project, _, stats = first
    page = stats["child"][len(stats["child"]) // 2]
    code, forked, stats = _mkdocs_build(project, tmp_path / "forked", bad=page, how="error")
    assert code == 1 and page in stats["child"]
    assert stats["why"].startswith("the child failed")  # so the parent converted the page again and failed itself
    code, alone, _ = _mkdocs_build(project, tmp_path / "alone", one_process=True, bad=page, how="error")
    assert code == 1
    assert forked == alone
    assert sum(f"{page}:1: the reference [[lov:finnes-ikke]] is unknown" in line for line in forked) == 1
    assert not any("Traceback" in line for line in forked)


# A link on a page of the child to a missing page, or to a missing anchor; on a page of the parent to a missing anchor
# on a page of the child.
@pytest.mark.parametrize("how", ["warning", "anchor", "anchor on the child's page"])
def test_a_warning_on_a_page_of_the_child_stops_a_strict_build(first, tmp_path, how):
    project, _, stats = first
    page = stats["child"][-2]
    code, forked, stats = _mkdocs_build(project, tmp_path / "forked", bad=page, how=how)
    assert code == 1 and page in stats["child"] and "why" not in stats  # the child's warning, counted by the parent
    code, alone, _ = _mkdocs_build(project, tmp_path / "alone", one_process=True, bad=page, how=how)
    assert code == 1
    assert forked == alone
    assert sum("finnes-ikke" in line for line in forked) == 1, forked
    assert ("does not contain an anchor '#finnes-ikke'" in forked[0]) == how.startswith("anchor")


def _files_of(tmp_path: Path, *pages: tuple[str, str]) -> tuple[Files, MkDocsConfig]:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert errors == []
    for uri, text in pages:
        (tmp_path / "docs" / uri).write_text(text, encoding="utf-8")
    return get_files(config), config


@pytest.mark.parametrize(("mkdocstrings", "run"), [
    (None, range(150, 300)),  # the parent converts the first half while the child converts the second
    (290, range(145, 290)),  # the run stops before the mkdocstrings page, which the parent converts after it
    (180, range(181, 300)),  # the longest run without it
])
def test_the_child_gets_a_run_without_mkdocstrings_pages(tmp_path, mkdocstrings, run):
    pages = [(f"side-{i:03}.md", "# Side\n\nTekst " * 20) for i in range(300)]
    if mkdocstrings is not None:
        pages[mkdocstrings] = (f"side-{mkdocstrings:03}.md", "# API\n\nTekst " * 9 + "\n::: knowledgebase.pagejob\n")
    files, config = _files_of(tmp_path, *pages)
    chosen = pagejob._run(files, Page(None, files.documentation_pages()[0], config))
    assert chosen is not None
    ordered, found = chosen
    assert [f.src_uri for f in ordered] == [uri for uri, _ in pages]
    assert found == run


def test_a_small_site_is_converted_in_one_process(tmp_path):
    files, config = _files_of(tmp_path, *[(f"side-{i}.md", "# Side\n") for i in range(20)])
    assert pagejob._run(files, Page(None, files.documentation_pages()[0], config)) is None
