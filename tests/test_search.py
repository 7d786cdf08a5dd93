"""Site search: the query set of what people type, the search page in a browser, what is indexed, and the
editors' search words file (data/sokeord.yml) with its one-line errors."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from browser import launch_chromium, serve_site
from sitekit import ROOT, kb_command, make_site

from knowledgebase.errors import Problems
from knowledgebase.search import load_search_words

_spec = importlib.util.spec_from_file_location("search_benchmark", ROOT / "scripts" / "search_benchmark.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def browser_and_base(project_site):
    with serve_site(project_site) as base, launch_chromium() as browser:
        yield browser, base


@pytest.fixture(scope="module")
def search_page(browser_and_base):
    browser, base = browser_and_base
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "sok/")
    page.wait_for_function("() => window.kbSearch !== undefined")
    return page, base


def find(page, query: str) -> list[str]:
    return page.evaluate("async q => (await window.kbSearch.find(q)).results.map(r => r.path)", query)


# --- The query set -----------------------------------------------------------------------------


def test_the_query_set_is_realistic_and_large_enough():
    queries = bench.load_queries()
    assert len(queries) >= 60
    assert {q["hvem"] for q in queries} == {"innbygger", "parorende", "ansatt", "leder"}
    for q in queries:
        assert q["q"].strip() and q["sider"], q
    # The issue's own failing examples are in the set.
    texts = {q["q"] for q in queries}
    for example in ("noen å snakke med", "mannen min drikker for mye", "vold i familien", "psykolog Sel",
                    "fødselsdepresjon", "spilleavhengighet", "akuttplass", "avlasning",
                    "helse- og omsorgstjenesteloven 3-1"):
        assert example in texts


def test_every_right_page_of_the_query_set_exists(project_site):
    for q in bench.load_queries():
        for pattern in q["sider"]:
            assert list(project_site.glob(pattern + "index.html")), (q["q"], pattern)


def test_nine_in_ten_queries_find_a_right_page_in_the_top_five(search_page):
    """Search quality on the query set. Query times are measured, not asserted: scripts/search_benchmark.py
    (in `make bench`) prints them, with the 300 ms target; a timed test fails when the machine is busy."""
    page, base = search_page
    rows = bench.run_queries(page, base, bench.load_queries())
    s = bench.summary(rows)
    print(f"\nsearch: top 5 {s['top5']:.0%}, mean reciprocal rank {s['mrr']:.3f}, "
          f"slowest {s['slowest_warm']:.0f} ms once loaded")
    missed = [(r["q"], r["paths"][:5]) for r in rows if not r["rank"] or r["rank"] > bench.TOP]
    assert s["top5"] >= 0.9, missed


def test_rank_of_right_page_matches_patterns_and_counts_from_one():
    paths = ["begreper/", "kommuner/sel/hjelp/rus-spill/", "kommuner/sel/tjenester/bup/"]
    assert bench.rank_of_right_page(paths, ["kommuner/*/tjenester/bup/"]) == 3
    assert bench.rank_of_right_page(paths, ["kommuner/*/hjelp/rus-spill/", "begreper/"]) == 1
    assert bench.rank_of_right_page(paths, ["rutiner/"]) is None


# --- How queries are understood ------------------------------------------------------------------


def test_a_kommune_name_limits_the_results_to_that_kommune(search_page):
    page, _ = search_page
    for query, kommune in (("psykolog Sel", "sel"), ("legevakt søndre land", "sondre-land"), ("legevakt Flå", "flaa")):
        paths = find(page, query)
        assert paths and all(p.startswith(f"kommuner/{kommune}/") for p in paths), (query, paths[:5])


def test_short_words_and_stop_words_do_not_match_everything(search_page):
    page, _ = search_page
    # Material's lunr put a wildcard on «å» and «i», and OR between words: nearly every page matched.
    found = page.evaluate("async q => (await window.kbSearch.find(q)).query", "vold i familien")
    assert found["terms"] == ["vold", "familien"]
    paths = find(page, "vold i familien")
    assert paths and not any("/plan/" in p for p in paths[:3]), paths[:5]
    # A query of stop words alone is still searched as typed.
    found = page.evaluate("async q => (await window.kbSearch.find(q)).query", "hva er det")
    assert found["terms"] == ["hva", "er", "det"]


def test_everyday_words_and_misspellings_are_rewritten_from_the_search_words(search_page):
    page, _ = search_page
    found = page.evaluate("async q => (await window.kbSearch.find(q)).query", "avlasning")
    assert found["terms"] == ["avlastning"]
    found = page.evaluate("async q => (await window.kbSearch.find(q)).query", "mannen min drikker for mye")
    assert found["terms"] == ["pårørende", "rus"]
    assert found["typed"] == ["mannen", "drikker"]


def test_compound_words_find_pages_with_their_parts_and_the_other_way_round(search_page):
    page, _ = search_page
    # Pagefind matches the parts of a compound typed as one word, and a word inside a page's compound.
    assert find(page, "avlastningsplass")[0] == "kommuner/sondre-land/tjenester/stabiliseringsplasser/"
    assert any(p.endswith("/helsestasjon-for-ungdom/") for p in find(page, "ungdomspsykolog")[:5])


def test_help_and_service_pages_rank_above_plan_pages(search_page):
    page, _ = search_page
    for query in ("angst", "rus", "bolig"):
        paths = find(page, query)[:10]
        kinds = ["plan" if re.match(r"kommuner/[^/]+/(plan|handlingsplan|tiltak)/", p) else
                 "help" if re.match(r"kommuner/[^/]+/(hjelp|tjenester)/[^/]+/", p) else "other" for p in paths]
        if "plan" in kinds and "help" in kinds:
            assert kinds.index("help") < kinds.index("plan"), (query, paths)
        assert kinds[0] != "plan", (query, paths)


def test_asking_for_a_plan_finds_the_plan(search_page):
    page, _ = search_page
    assert find(page, "handlingsplan Flå")[0] == "kommuner/flaa/handlingsplan/"
    assert find(page, "handlingsplan søndre land")[0] == "kommuner/sondre-land/handlingsplan/"
    # Plan pages are not pushed down when the query asks for plans or tiltak.
    assert any(p.startswith("kommuner/flaa/tiltak/") for p in find(page, "tiltak rus flå")[:10])


# --- The search page and the header box ----------------------------------------------------------


def test_header_search_opens_the_search_page_with_the_query_in_the_address(browser_and_base):
    browser, base = browser_and_base
    if True:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "kommuner/sel/")
        page.get_by_label("Søk i kunnskapsbasen").fill("psykolog Sel")
        page.keyboard.press("Enter")
        page.wait_for_selector(".kb-search__result")
        assert "/sok/?q=psykolog+Sel" in page.url
        status = page.locator("#kb-search-status")
        assert status.get_attribute("aria-live") == "polite"
        assert re.search(r"\d+ treff i Sel for «psykolog Sel»", status.inner_text()), status.inner_text()
        first = page.locator(".kb-search__result a").first
        assert first.get_attribute("href").endswith("kommuner/sel/tjenester/kommunepsykolog/")
        # A search on the page itself keeps the address linkable.
        page.fill("#kb-search-q", "avlasning")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('kb-search-status').innerText.includes('avlasning')")
        assert "q=avlasning" in page.url


def test_search_page_says_so_when_nothing_is_found(browser_and_base):
    browser, base = browser_and_base
    if True:
        page = browser.new_page()
        # Pagefind alone answers a word it lacks with pages holding a shorter indexed word that begins it
        # ("b" for "blorfquux"); the search page must not show those.
        page.goto(base + "sok/?q=blorfquux")
        page.wait_for_function("() => document.getElementById('kb-search-status').innerText.startsWith('Ingen treff')")
        assert page.locator(".kb-search__result").count() == 0


# --- What is indexed ---------------------------------------------------------------------------------


def test_backlinks_sources_and_editor_notes_are_kept_out_of_the_index(project_site):
    html = (project_site / "kommuner/sel/tjenester/legevakt/index.html").read_text(encoding="utf-8")
    body = html[html.index("data-pagefind-body"):]
    assert 'class="kb-crisis"' not in body  # the crisis bar, menus and header are outside the indexed part
    ignore = r'<div data-pagefind-ignore(?:="data-pagefind-ignore")?>\s*'
    assert re.search(ignore + r'<h2 id="dette-viser-hit">', body)
    assert re.search(r'<h2 id="kilder">Kilder</h2>\s*' + ignore + "<ul>", body)
    assert "<small data-pagefind-ignore>For redaktører" in body
    law = (project_site / "regelverk/hol/index.html").read_text(encoding="utf-8")
    assert law.count("<p>Dette viser hit:</p>") == len(re.findall(ignore + "<p>Dette viser hit:</p>", law)) > 0


def test_every_kommune_page_carries_its_kommune_filter_and_the_search_page_is_not_indexed(project_site):
    assert 'data-pagefind-filter="kommune:sondre-land"' in (
        project_site / "kommuner/sondre-land/tjenester/legevakt/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-filter" not in (project_site / "regelverk/hol/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (project_site / "sok/index.html").read_text(encoding="utf-8")
    assert (project_site / "pagefind/pagefind.js").exists()
    assert not (project_site / "search/search_index.json").exists()  # Material's lunr index is gone


# --- The editors' file of search words --------------------------------------------------------------------


def _problems_for(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "sokeord.yml").write_text(text, encoding="utf-8")
    problems = Problems(root=tmp_path)
    load_search_words(tmp_path, problems)
    return [p.format() for p in sorted(problems.items)]


def test_the_projects_search_words_are_valid():
    problems = Problems(root=ROOT)
    words = load_search_words(ROOT / "data", problems)
    assert not problems, problems.report()
    assert "å" in words.stoppord and any("avlasning" in w.sok for w in words.ord)


@pytest.mark.parametrize("text, expected", [
    ("ord:\n  - sok: Drikker For Mye\n    finn: rus\n    slag: hverdagsord\n",
     "sokeord.yml:2: SearchWord field 'sok': 'Drikker For Mye' is not a search phrase; write small "
     "letters, digits and single spaces, for example 'drikker for mye'"),
    ("ord:\n  - sok: avlasning\n    finn: avlastning\n    slag: feil\n",
     "sokeord.yml:4: SearchWord field 'slag':"),
    ("ord:\n  - sok: avlasning\n    finn: avlastning\n    slag: skrivefeil\n    betyr: x\n",
     "sokeord.yml:5: SearchWord field 'betyr': is not a known field; allowed fields: sok, finn, slag"),
    ("ord:\n  - sok: [avlasning]\n    finn: avlastning\n    slag: skrivefeil\n"
     "  - sok: [avlasning]\n    finn: avløsning\n    slag: skrivefeil\n",
     "sokeord.yml:5: SearchWord(sok='avlasning') field 'sok': 'avlasning' is already listed on line 2; "
     "keep one of them"),
    ("stoppord: [å, i min]\n",
     "sokeord.yml:1: SearchWords field 'stoppord': 'i min' is not one word in small letters; write one word per "
     "item, such as 'å'"),
])
def test_a_mistake_in_the_search_words_gives_one_line_naming_file_line_and_what_to_write(tmp_path, text, expected):
    problems = _problems_for(tmp_path, text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]
    assert "\n" not in problems[0] and "Traceback" not in problems[0]


def test_check_command_reports_a_bad_search_words_file_in_one_line(tmp_path):
    site = make_site(tmp_path / "site")
    (site / "data" / "sokeord.yml").write_text("ord:\n  - sok: noen å snakke med\n    finn: Samtaletilbud!\n"
                                               "    slag: hverdagsord\n", encoding="utf-8")
    result = kb_command(site, "check")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "sokeord.yml" in line]
    assert lines == ["data/sokeord.yml:3: SearchWord field 'finn': 'Samtaletilbud!' is not a search phrase; write "
                     "small letters, digits and single spaces, for example 'drikker for mye'"], result.stderr
    assert "Traceback" not in result.stderr


# --- Pagefind inside the build ---------------------------------------------------------------------------


def test_a_pagefind_failure_fails_the_build_in_one_line_and_leaves_the_old_site(tmp_path):
    import hashlib
    import os
    import subprocess
    import sys

    site = make_site(tmp_path / "project")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    first = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site, env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert (site / "site" / "pagefind" / "pagefind.js").exists()
    before = hashlib.sha256((site / "site" / "index.html").read_bytes()).hexdigest()
    # A stand-in for Pagefind's binary that fails the way it does on a broken site.
    fake = tmp_path / "fake"
    (fake / "pagefind_bin").mkdir(parents=True)
    (fake / "pagefind_bin" / "__init__.py").write_text("", encoding="utf-8")
    (fake / "pagefind_bin" / "__main__.py").write_text(
        "import sys\nprint('Indexing...')\nprint('Error: Failed to read the site', file=sys.stderr)\nsys.exit(1)\n",
        encoding="utf-8")
    (site / "docs" / "index.md").write_text("# Endret\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site, capture_output=True,
                            text=True, timeout=300, env=dict(env, PYTHONPATH=str(fake)))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "Pagefind" in line]
    assert errors == ["ERROR   -  search: Pagefind failed to index the site: Error: Failed to read the site; run "
                      "scripts/setup.sh (pagefind-bin from requirements.lock) and build again"], result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256((site / "site" / "index.html").read_bytes()).hexdigest() == before
