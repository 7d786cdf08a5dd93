"""Subset builds (KB_KOMMUNER) and sharded builds (KB_SHARD, scripts/build_sharded.py, scripts/merge_sites.py).

A subset site holds the national pages and the named kommuner, with no broken link: a link to a kommune
it does not hold points at the full site. A sharded build merged is the one-process build, file for file.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sitekit import ROOT, make_site

from knowledgebase.shards import NATIONAL, Scope, link_out, parse_kommuner, scope_from_environ, shard_groups

sys.path.insert(0, str(ROOT / "scripts"))
import linkcheck  # noqa: E402

SITE_URL = "https://kb.example.invalid/"


# Unit tests: the rules, on paths and strings.

def test_an_unknown_kommune_is_one_line_naming_the_valid_ids():
    with pytest.raises(ValueError) as err:
        parse_kommuner("KB_KOMMUNER", "flaa,oslo", ["sel", "flaa", "sondre-land"])
    message = str(err.value)
    assert "\n" not in message
    assert "no kommune has the id 'oslo'" in message
    assert "write one or more of flaa, sel, sondre-land" in message
    with pytest.raises(ValueError, match="no kommune named"):
        parse_kommuner("KB_KOMMUNER", " , ", ["flaa"])


def test_the_environment_chooses_a_subset_or_a_shard_never_both():
    known = ["flaa", "sel"]
    assert scope_from_environ({}, known) == Scope()
    assert scope_from_environ({"KB_KOMMUNER": "sel"}, known) == Scope(kommuner=frozenset({"sel"}))
    assert scope_from_environ({"KB_SHARD": "national"}, known) == Scope(shard=NATIONAL)
    assert scope_from_environ({"KB_SHARD": "flaa, sel"}, known) == Scope(shard=frozenset({"flaa", "sel"}))
    with pytest.raises(ValueError, match="both set"):
        scope_from_environ({"KB_KOMMUNER": "sel", "KB_SHARD": "national"}, known)


PATHS = ["index.md", "kommuner/index.md", "regelverk/hol.md", "dekning/sammenligning.md", "assets/kb.css",
         "export/kb.json", "404.html", "kommuner/flaa/index.md", "kommuner/flaa/tjenester/samtaler.md",
         "kommuner/flaa/plan/01-innledning.md", "export/flaa/handlingsplan.csv", "kommuner/sel/tiltak/1-2.md",
         "export/sel/mangler.csv"]


def test_every_file_is_written_by_exactly_one_shard():
    shards = [Scope(shard=NATIONAL)] + [Scope(shard=frozenset(g)) for g in shard_groups(["sel", "flaa"], 2)]
    for path in PATHS:
        writers = [s for s in shards if s.writes(path)]
        assert len(writers) == 1, (path, writers)
    assert Scope(shard=NATIONAL).writes("kommuner/index.md")
    assert Scope(shard=frozenset({"flaa"})).writes("export/flaa/handlingsplan.csv")


def test_a_subset_holds_the_national_files_and_its_own_kommuner_only():
    subset = Scope(kommuner=frozenset({"flaa"}))
    held = {p for p in PATHS if subset.holds(p)}
    assert held == {p for p in PATHS if "sel" not in p}


def test_groups_are_balanced_and_cover_every_kommune_once():
    ids = [f"k{i:02}" for i in range(7)]
    groups = shard_groups(ids, 3)
    assert sorted(sum(groups, [])) == ids
    assert sorted(len(g) for g in groups) == [2, 2, 3]
    assert shard_groups(["a"], 4) == [["a"]]


def test_links_to_kommuner_the_subset_leaves_out_point_at_the_full_site():
    subset = Scope(kommuner=frozenset({"flaa"}))
    markdown = ("[Sel](../kommuner/sel/index.md) [Flå](../kommuner/flaa/index.md) [lov](hol.md#paragraf-3-1) "
                "[tjeneste](../kommuner/sel/tjenester/samtaler.md#kontakt \"tittel\") [ext](https://lovdata.no/x) "
                "[csv](../export/sel/handlingsplan.csv)\n\n[def]: ../kommuner/sel/om.md\n")
    out = link_out(markdown, "regelverk/hol.md", subset, SITE_URL)
    assert "[Sel](https://kb.example.invalid/kommuner/sel/)" in out
    assert "[Flå](../kommuner/flaa/index.md)" in out
    assert "[lov](hol.md#paragraf-3-1)" in out
    assert "(https://kb.example.invalid/kommuner/sel/tjenester/samtaler/#kontakt \"tittel\")" in out
    assert "[ext](https://lovdata.no/x)" in out
    assert "[csv](https://kb.example.invalid/export/sel/handlingsplan.csv)" in out
    assert "[def]: https://kb.example.invalid/kommuner/sel/om/" in out


# Fixture builds: the mini project with a second kommune, 'nabo', a copy of 'testby'.

def make_two_kommuner(dest: Path) -> Path:
    """The mini fixture site with a second kommune, so a shard and a subset leave one out."""
    site = make_site(dest)
    shutil.copy(ROOT / "docs/sok.md", site / "docs/sok.md")  # the search page every page links to
    for src, dst in ((site / "data/kommuner/testby", site / "data/kommuner/nabo"),
                     (site / "docs/kommuner/testby", site / "docs/kommuner/nabo")):
        shutil.copytree(src, dst)
        for path in dst.rglob("*.*"):
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^id: testby$", "id: nabo", text).replace("navn: Testby", "navn: Nabo")
            path.write_text(text.replace("kommune: testby", "kommune: nabo"), encoding="utf-8")
    return site


def _mkdocs_build(site: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=site,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KB_SITE_URL=SITE_URL, **env))


@pytest.fixture(scope="module")
def two_kommuner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_kommuner(tmp_path_factory.mktemp("two") / "project")


def _normalised(path: Path) -> bytes:
    """A file's bytes, with what only says when it was built taken out (the sitemap's dates)."""
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data) if path.name.startswith("sitemap.xml") else data


_PAGEFIND_NAMED_BY_FILTER = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)$")
"""Pagefind writes a filter's values in an order that changes from run to run (two runs over one folder
differ), and names the filter file, and the files that name it, by a hash of those bytes."""


def test_a_sharded_build_merged_equals_a_one_process_build(two_kommuner, tmp_path):
    full = tmp_path / "full"
    result = _mkdocs_build(two_kommuner, full)
    assert result.returncode == 0, result.stderr
    merged = tmp_path / "merged"
    result = subprocess.run([sys.executable, str(ROOT / "scripts/build_sharded.py"), "--out", str(merged),
                             "--groups", "2", "--shards", str(tmp_path / "shards")], cwd=two_kommuner,
                            capture_output=True, text=True, timeout=300, env=dict(os.environ, KB_SITE_URL=SITE_URL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shard national:" in result.stdout and "Merged 3 shards" in result.stdout

    # Each kommune shard wrote its own kommune and nothing else.
    shards = {p.name: {f.relative_to(p).as_posix() for f in p.rglob("*") if f.is_file()}
              for p in (tmp_path / "shards").iterdir()}
    kommune_shards = [files for files in shards.values() if "index.html" not in files]
    assert len(kommune_shards) == 2
    for files in kommune_shards:
        assert len({f.split("/")[1] for f in files}) == 1, sorted(files)[:5]

    def listing(site: Path) -> dict[str, Path]:
        return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}

    a, b = listing(full), listing(merged)
    assert "kommuner/nabo/index.html" in a and "kommuner/testby/index.html" in a
    assert sorted(p for p in a if not _PAGEFIND_NAMED_BY_FILTER.match(p)) == \
        sorted(p for p in b if not _PAGEFIND_NAMED_BY_FILTER.match(p))
    different = [p for p in a if p in b and not _PAGEFIND_NAMED_BY_FILTER.match(p)
                 and _normalised(a[p]) != _normalised(b[p])]
    assert different == []
    # The search index's filter file holds the same bytes, in another order.
    filters = [sorted(gzip.decompress(next((s / "pagefind/filter").iterdir()).read_bytes())) for s in (full, merged)]
    assert filters[0] == filters[1]

    # A job of the deploy workflow's matrix builds the same shard on its own (--only I/N).
    alone = tmp_path / "alone"
    result = subprocess.run([sys.executable, str(ROOT / "scripts/build_sharded.py"), "--only", "2/2", "--out",
                             str(alone)], cwd=two_kommuner, capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, KB_SITE_URL=SITE_URL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert listing(alone).keys() == listing(tmp_path / "shards/shard-2").keys()


def test_the_deploy_workflow_runs_the_same_shards_and_merge_as_make_build_sharded():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    matrix = jobs["shard"]["strategy"]["matrix"]["shard"]
    groups = len(matrix) - 1
    assert matrix == [NATIONAL] + [f"{i}/{groups}" for i in range(1, groups + 1)]
    steps = " ".join(step.get("run", "") for step in jobs["shard"]["steps"])
    assert 'scripts/build_sharded.py --only "${{ matrix.shard }}"' in steps
    merge = " ".join(step.get("run", "") for step in jobs["merge"]["steps"])
    assert "scripts/merge_sites.py site shards/*" in merge
    assert set(jobs["merge"]["needs"]) == {"test", "shard"} and jobs["deploy"]["needs"] == "merge"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "scripts/build_sharded.py --out site" in makefile.split("build-sharded:", 1)[1]


def test_a_subset_build_holds_one_kommune_and_links_out_to_the_rest(two_kommuner, tmp_path):
    out = tmp_path / "subset"
    result = _mkdocs_build(two_kommuner, out, KB_KOMMUNER="nabo")
    assert result.returncode == 0, result.stderr
    assert (out / "kommuner/nabo/index.html").exists()
    assert not (out / "kommuner/testby").exists() and not (out / "export/testby").exists()
    assert linkcheck.check(out) == []
    # National pages that show testby's records link to them on the full site.
    front = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{SITE_URL}kommuner/testby/tjenester/samtaler/"' in front
    kommuner = (out / "kommuner/index.html").read_text(encoding="utf-8")
    assert f'href="{SITE_URL}kommuner/testby/"' in kommuner and 'href="nabo/"' in kommuner
    # The menu and the search's kommune filter hold only the kommune built.
    assert "Testby" not in re.sub(r"(?s)<article.*</article>", "", front)
    words = (out / "assets/sokeord.json").read_text(encoding="utf-8")
    assert '"id": "nabo"' in words and '"id": "testby"' not in words


def test_a_subset_naming_an_unknown_kommune_fails_with_one_line(two_kommuner, tmp_path):
    result = _mkdocs_build(two_kommuner, tmp_path / "out", KB_KOMMUNER="nabo,oslo")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "oslo" in line]
    assert len(lines) == 1 and "write one or more of nabo, testby" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_shard_without_dirty_is_refused(two_kommuner, tmp_path):
    result = _mkdocs_build(two_kommuner, tmp_path / "out", KB_SHARD="national")
    assert result.returncode != 0
    assert "needs `mkdocs build --dirty`" in result.stderr


def test_a_page_spec_marked_always_must_have_a_context(tmp_path):
    from datetime import date

    from knowledgebase.build import load_project
    from knowledgebase.pages import PageSpec, Site, render_page

    site = Site(load_project(make_site(tmp_path / "site")).index, date.today())
    spec = PageSpec("kommuner", "kommune_index.md.j2", lambda site, _: None, always=True)
    # A shard that does not write the page trusts the flag and skips the context...
    skipped = render_page(site, spec, None, wanted=lambda _: False)
    assert skipped is not None and skipped.markdown == ""
    # ...so the build that writes it refuses a flag that lies.
    with pytest.raises(ValueError, match="always=True, but its context is None"):
        render_page(site, spec, None)


def test_a_broken_reference_in_a_kommune_left_out_still_stops_subset_and_sharded_builds(two_kommuner, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(two_kommuner, project)
    services = project / "data/kommuner/testby/tjenester.yml"
    name = "  navn: Samtaler med psykiatrisk sykepleier\n"
    services.write_text(services.read_text(encoding="utf-8").replace(
        name, name + "  hvem: Se [[lov:finnes-ikke]].\n", 1), encoding="utf-8")

    subset = _mkdocs_build(project, tmp_path / "subset", KB_KOMMUNER="nabo")
    assert subset.returncode != 0 and "finnes-ikke" in subset.stderr
    assert not (tmp_path / "subset").exists()

    merged = tmp_path / "merged"
    sharded = subprocess.run([sys.executable, str(ROOT / "scripts/build_sharded.py"), "--out", str(merged)],
                             cwd=project, capture_output=True, text=True, timeout=300)
    assert sharded.returncode == 1
    assert sharded.stderr.count("tjenester.yml:3:") == 1, sharded.stderr  # every shard failed; the message shows once
    assert "nothing was merged" in sharded.stderr and not merged.exists()
