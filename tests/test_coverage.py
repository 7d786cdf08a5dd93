"""Coverage (issue 15, part 1): recommendations and requirements × kommuner, from one function for the
CLI, the pages and the exports; the counts agree with kb.json, and a fourth kommune adds a column."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sitekit import FIXTURES, ROOT

from knowledgebase.build import load_project
from knowledgebase.coverage import ANSWER_TYPES, coverage_report, matrices
from knowledgebase.exports import export_file, export_paths, kb_json
from knowledgebase.pages import Site, render_pages
from knowledgebase.routes import route


@pytest.fixture(scope="module")
def index(project_index):
    return project_index


def _kommuner_in_json(record: dict) -> set[str]:
    if record.get("kommune"):
        return {record["kommune"]}
    refs = [*record.get("ansvar", []), *record.get("tjenester", [])]
    return {r.split("/", 1)[0] for r in refs if isinstance(r, str) and "/" in r}


def _cites(record: dict, ref_type: str, rid: str) -> bool:
    """Whether a kb.json record refers to ``rid`` in a field or its text; for a page (routine, chapter), also
    in the page's own Markdown, which kb.json does not hold."""
    text = json.dumps(record, ensure_ascii=False)
    if record["type"] in ("rutine", "kapittel"):
        text += (ROOT / "docs" / record["url"].rstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
    plural = {"anbefaling": "anbefalinger", "krav": "krav"}[ref_type]
    return rid in record.get(plural, []) or f"[[{ref_type}:{rid}]]" in text or f"[[{ref_type}:{rid}|" in text


def test_recommendation_counts_equal_what_kb_json_holds(index):
    kb = json.loads(kb_json(index))
    records = [r for t in ANSWER_TYPES for r in kb.get(t, [])]
    matrix = matrices(index)["anbefalinger"]
    assert len(matrix.rows) == len(kb["anbefaling"]) == 52
    for row in matrix.rows:
        rid = row.subject.id
        citing = [r for r in records if _cites(r, "anbefaling", rid)]
        for cell in row.cells:
            expected = sorted(r["id"] for r in citing if cell.kommune in _kommuner_in_json(r))
            assert sorted(e.id for e in cell.entries) == expected, (rid, cell.kommune)


def test_requirement_rows_equal_kb_json_and_duties_bring_their_units_and_services(index):
    kb = json.loads(kb_json(index))
    matrix = matrices(index)["krav"]
    assert [r.subject.id for r in matrix.rows] == [r["id"] for r in kb["krav"]]
    for duty in kb["ansvar"]:
        for krav in duty.get("krav", []):
            cell = next(c for row in matrix.rows if row.subject.id == krav for c in row.cells
                        if c.kommune == duty["kommune"])
            ids = {e.id for e in cell.entries}
            assert duty["id"] in ids
            assert {f"{duty['kommune']}/{u}" for u in duty.get("enheter", [])} <= ids
            assert {f"{duty['kommune']}/{s}" for s in duty.get("tjenester", [])} <= ids


def test_pages_cli_and_exports_show_the_same_counts(index):
    mx = matrices(index)
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    tsv = coverage_report(index).split("\n\n")
    for (name, matrix), block in zip(mx.items(), tsv, strict=True):
        page = pages[route(f"dekning-{name}")]
        exported = export_file(index, route("eksport-dekning-csv", name=name))
        rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
        totals = [f"{matrix.answered(k.id)}/{len(matrix.rows)}" for k in matrix.kommuner]
        assert rows[-1][2:] == totals and block.splitlines()[-1].split("\t")[1:] == totals
        for k in matrix.kommuner:
            assert f"| [[kommune:{k.id}]] | {matrix.answered(k.id)} | {len(matrix.rows)} |" in page
        assert page.count("*ingen svar i planen*") == sum(not c.answered for r in matrix.rows for c in r.cells)
    sheets = load_workbook(io.BytesIO(export_file(index, route("eksport-dekning-xlsx"))))
    assert sheets.sheetnames == ["anbefalinger", "krav"]
    assert sheets["anbefalinger"].max_row == len(mx["anbefalinger"].rows) + 2


def test_every_answer_links_to_its_record(index):
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    page = pages[route("dekning-anbefalinger")]
    for row in matrices(index)["anbefalinger"].rows:
        line = next(x for x in page.splitlines() if x.startswith(f"| [[anbefaling:{row.subject.id}]] |"))
        for cell in row.cells:
            for e in cell.entries:
                assert f"[[{e.type}:{e.id}]]" in line


def test_kommune_summary_lists_the_gaps_first(index):
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    page = pages[route("kommune-dekning", kommune="flaa")]
    gaps = [row.subject for row in matrices(index)["anbefalinger"].rows
            if not next(c for c in row.cells if c.kommune == "flaa").answered]
    assert gaps and page.index("## Uten svar i planen") < page.index("## Poster i kunnskapsbasen")
    section = page.split("## Uten svar i planen: nasjonale råd", 1)[1].split("##", 1)[0]
    assert [line[2:] for line in section.splitlines() if line.startswith("- ")] == [f"[[anbefaling:{e.id}]]"
                                                                                    for e in gaps]


def four_kommune_project(tmp_path: Path) -> Path:
    """The mini fixture with its kommune copied three times under new ids: four kommuner, no code change."""
    project = tmp_path / "four"
    shutil.copytree(FIXTURES / "mini" / "data", project / "data")
    shutil.copytree(FIXTURES / "mini" / "docs", project / "docs")
    for new, name in (("andreby", "Andreby"), ("tredjeby", "Tredjeby"), ("fjerdeby", "Fjerdeby")):
        folder = project / "data" / "kommuner" / new
        shutil.copytree(project / "data" / "kommuner" / "testby", folder)
        text = (folder / "kommune.yml").read_text(encoding="utf-8")
        (folder / "kommune.yml").write_text(text.replace("id: testby", f"id: {new}").replace(
            "navn: Testby", f"navn: {name}"), encoding="utf-8")
        pages = project / "docs" / "kommuner" / new
        shutil.copytree(project / "docs" / "kommuner" / "testby", pages)
        for page in pages.rglob("*.md"):
            page.write_text(page.read_text(encoding="utf-8").replace("kommune: testby", f"kommune: {new}"),
                            encoding="utf-8")
    return project


def test_a_fourth_kommune_adds_a_column_without_code_changes(tmp_path: Path):
    index = load_project(four_kommune_project(tmp_path)).index
    for matrix in matrices(index).values():
        assert [k.id for k in matrix.kommuner] == ["andreby", "fjerdeby", "testby", "tredjeby"]
        assert all(len(row.cells) == 4 for row in matrix.rows)
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    assert "| Råd | Andreby | Fjerdeby | Testby | Tredjeby |" in pages[route("dekning-anbefalinger")]
    assert route("kommune-dekning", kommune="fjerdeby") in pages
    assert route("eksport-dekning-csv", name="krav") in export_paths(index)
    header = export_file(index, route("eksport-dekning-csv", name="krav")).lstrip("\ufeff").splitlines()[0]
    assert header == "id,tittel,andreby,fjerdeby,testby,tredjeby"


def test_cli_prints_the_same_matrices_as_the_pages(tmp_path: Path):
    from sitekit import kb_command, make_site

    site = make_site(tmp_path / "mini")
    result = kb_command(site, "coverage")
    assert result.returncode == 0, result.stderr
    index = load_project(site).index
    assert result.stdout.strip() == coverage_report(index)
    first, second = result.stdout.strip().split("\n\n")
    assert first.splitlines()[-1] == "svart\t" + "\t".join(
        f"{matrices(index)['anbefalinger'].answered(k.id)}/{len(matrices(index)['anbefalinger'].rows)}"
        for k in index.kommuner())
    assert second.startswith("requirement\ttestby")
