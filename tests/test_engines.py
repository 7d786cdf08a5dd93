"""Not locked to one engine: the tree ``python -m knowledgebase export`` writes builds without our hooks.

Plain MkDocs builds the fixture project's tree with ``--strict``, and ``python -m knowledgebase finish`` completes
it, into the very site our hooks' build makes; ProperDocs (a fork of MkDocs 1.6) builds the same bytes; Zensical
(its own venv, made by ``scripts/ensure_zensical.sh``) builds it with no ``[[`` reference left and nothing loaded
from another host; and plain MkDocs builds the real project's tree with ``--strict``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from sitekit import ROOT, make_site

from knowledgebase.build import load_project
from knowledgebase.jsonld import jsonld_for_service
from knowledgebase.neutral import PageFacts, _KeepTags, dump_config, engine_config, finish_site, read_config
from knowledgebase.pages import Site
from knowledgebase.security import unsafe_markup

ZENSICAL = ROOT / ".venv-zensical"
POST_BUILD = ("_headers", "assets/sokeord.json", "pagefind/")
"""What our hooks add after the pages are rendered (security headers, search index): ``finish`` writes it."""
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
"""MkDocs lists the pages in the order it found the files; the hooks add generated pages last."""
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command with no site or repository address from the caller's environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _files(site: Path, leave_out: tuple[str, ...] = ()) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and not rel.startswith(leave_out):
            out[rel] = path.read_bytes()
    return out


def _references_left(site: Path) -> list[str]:
    """Pages with ``[[`` outside code (where the editor guide shows the syntax)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "[[" in CODE.sub("", p.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture project, its site built by our hooks, and its exported tree."""
    base = tmp_path_factory.mktemp("engines")
    project = make_site(base / "project")
    result = _run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", base / "hooks-site", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(sys.executable, "-m", "knowledgebase", "export", base / "tree", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return {"base": base, "project": project, "hooks": base / "hooks-site", "tree": base / "tree"}


@pytest.mark.build
def test_plain_mkdocs_and_the_finish_step_build_the_tree_into_the_site_our_hooks_build(tree: dict[str, Path]) -> None:
    site = tree["base"] / "mkdocs-site"
    result = _run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site, cwd=tree["tree"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any((site / rel).exists() for rel in POST_BUILD)
    result = _run(sys.executable, "-m", "knowledgebase", "finish", site, cwd=tree["project"])
    assert result.returncode == 0, result.stdout + result.stderr
    ours, theirs = _files(tree["hooks"], SITEMAPS), _files(site, SITEMAPS)
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []
    assert len([rel for rel in ours if rel.endswith(".html")]) > 40 and "pagefind/pagefind.js" in ours


@pytest.mark.build
def test_properdocs_builds_the_tree_strictly_into_the_same_bytes_as_mkdocs(tree: dict[str, Path]) -> None:
    site, reference = tree["base"] / "properdocs-site", tree["base"] / "reference-site"
    for command, out in (("properdocs", site), ("mkdocs", reference)):
        result = _run(sys.executable, "-m", command, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", out,
                      cwd=tree["tree"])
        assert result.returncode == 0, result.stdout + result.stderr
    assert "properdocs, version 1.6" in _run(sys.executable, "-m", "properdocs", "--version", cwd=tree["tree"]).stdout
    assert _files(site) == _files(reference)


def _zensical() -> Path:
    unavailable = ZENSICAL / "UNAVAILABLE"
    if unavailable.exists():
        pytest.skip(f"Zensical is not installed here: {unavailable.read_text(encoding='utf-8').strip()}")
    binary = ZENSICAL / "bin" / "zensical"
    if not binary.exists():
        pytest.skip("Zensical is not installed: run `bash scripts/ensure_zensical.sh` (scripts/test.sh does)")
    return binary


@pytest.mark.build
def test_zensical_builds_the_tree_with_every_reference_resolved_and_nothing_from_another_host(
        tree: dict[str, Path]) -> None:
    zensical = _zensical()
    result = _run(zensical, "build", "--strict", "-f", "mkdocs.yml", cwd=tree["tree"])
    assert result.returncode == 0, result.stdout + result.stderr
    site = tree["tree"] / "site"
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages == {rel for rel in _files(tree["hooks"]) if rel.endswith(".html")}
    assert _references_left(site) == []
    service = (site / "kommuner/testby/tjenester/samtaler/index.html").read_text(encoding="utf-8")
    assert 'href="../../../../regelverk/hol/#paragraf-3-1"' in service
    front = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="tel:113"' in front and 'data-pagefind-body' in front
    outside = {rel: [p for p in unsafe_markup((site / rel).read_text(encoding="utf-8")) if "another host" in p]
               for rel in sorted(pages)}
    assert {rel: found for rel, found in outside.items() if found} == {}


@pytest.mark.build
def test_plain_mkdocs_builds_the_real_projects_tree_strictly(tmp_path: Path) -> None:
    out = tmp_path / "tree"
    result = _run(sys.executable, "-m", "knowledgebase", "export", out, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", tmp_path / "site", cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((tmp_path / "site").rglob("*.html"))) > 500
    assert _references_left(tmp_path / "site") == []


def test_the_trees_config_is_the_projects_without_hooks_with_the_nav_and_theme_values_written_out() -> None:
    project = read_config(ROOT / "mkdocs.yml")
    nav = [{"Forside": "index.md"}]
    written = yaml.load(dump_config(engine_config(project, nav, {"kb_crisis": [{"nummer": "113"}]}, ROOT)),
                        Loader=_KeepTags)  # noqa: S506
    assert "hooks" in project and "hooks" not in written and "watch" not in written and "edit_uri" not in written
    assert written["nav"] == nav and written["extra"] == {**project["extra"], "kb_crisis": [{"nummer": "113"}]}
    for key in ("theme", "markdown_extensions", "validation", "extra_css", "extra_javascript"):
        assert written[key] == project[key], key
    # mkdocstrings reads the package from the project's folder, wherever the tree is.
    python = written["plugins"][0]["mkdocstrings"]["handlers"]["python"]
    assert python["paths"] == [str(ROOT)] and python["options"] == project["plugins"][0]["mkdocstrings"][
        "handlers"]["python"]["options"]
    # The tags MkDocs resolves stay as written: the site's address from the environment, the slug function.
    assert written["site_url"].tag == "!ENV" and written["site_url"].value == project["site_url"].value
    toc = next(e["toc"] for e in written["markdown_extensions"] if isinstance(e, dict) and "toc" in e)
    assert toc["slugify"].tag.endswith("python/object/apply:pymdownx.slugs.slugify")
    assert toc["slugify"].value == {"kwds": {"case": "lower"}}


def test_page_meta_gives_a_kommunes_pages_their_kommune_and_a_service_its_json_ld() -> None:
    index = load_project(ROOT / "tests/fixtures/mini").index
    services = {e.page: e for e in index.of_type("tjeneste")}
    page = "kommuner/testby/tjenester/samtaler.md"
    site = Site(index, date(2026, 12, 4))
    meta = PageFacts(site, {page: date(2026, 3, 1)}, {}, services).meta(page, "https://kb.example/")
    assert meta["kb_kommune"] == "testby" and meta["kb_updated"] == "01.03.2026"
    assert '"url": "https://kb.example/kommuner/testby/tjenester/samtaler/"' in meta["kb_jsonld"]
    assert PageFacts(site, {}, {}, services).meta("kommuner/index.md", "") == {}


def test_a_services_json_ld_description_is_plain_text_without_reference_markup() -> None:
    index = load_project(ROOT / "tests/fixtures/mini").index
    service = index.get("tjeneste", "testby/samtaler")
    description = jsonld_for_service(index, service, "")["description"]
    assert "[[" not in description and description.endswith(f"Se {index.get('begrep', 'ip').title}.")


def test_the_finish_step_refuses_a_page_that_could_run_a_script_and_writes_nothing(tmp_path: Path) -> None:
    index = load_project(ROOT / "tests/fixtures/mini").index
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok/index.html").write_text("<p>Hei</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text('<p>Hei</p><img src="x.png" onerror="alert(1)">', encoding="utf-8")
    problems = finish_site(index, tmp_path)
    assert problems == ["index.html: the page is not safe to publish: an event attribute onerror= on <img>. "
                        "Remove the script, event attribute or outside address from the data or page behind it."]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["index.html", "ok",
                                                                                       "ok/index.html"]
