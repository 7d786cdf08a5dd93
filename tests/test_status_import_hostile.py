"""The status import refuses what it cannot trust, with one line each, and never touches another record.

Each case writes an edited file, runs ``python -m knowledgebase status-import`` on a copy of the mini fixture
project, and checks the exit code, the message and the YAML file afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import kb_command, make_site

from knowledgebase.build import load_project

PLAN = "data/kommuner/testby/handlingsplan.yml"
HEADER = "id,status,status_dato,status_kommentar,rapportert_av\n"


def run(tmp_path: Path, name: str, content: bytes) -> tuple[object, Path, bytes]:
    site = make_site(tmp_path / "site")
    before = (site / PLAN).read_bytes()
    source = tmp_path / name
    source.write_bytes(content)
    result = kb_command(site, "status-import", str(source), "--kommune", "testby")
    assert "Traceback" not in result.stderr
    return result, site, before


REFUSED_FILES = {
    "text named .xlsx": ("plan.xlsx", b"id,status\n1.1.1,pagar\n",
                         "the file is named .xlsx but is not an Excel workbook"),
    "old .xls": ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "this is an old Excel file (.xls)"),
    "empty file": ("plan.csv", b"", "the file is empty"),
    "a PDF": ("plan.csv", b"%PDF-1.7\n...", "this is a PDF, not a spreadsheet"),
    "binary data": ("plan.csv", b"\x00\x01\x02" * 50, "this is not a spreadsheet the import can read"),
}


@pytest.mark.parametrize("case", list(REFUSED_FILES))
def test_files_that_are_not_spreadsheets_are_named_and_refused(tmp_path, case):
    name, content, expected = REFUSED_FILES[case]
    result, site, before = run(tmp_path, name, content)
    assert result.returncode == 1 and result.stderr.startswith(f"status-import: {expected}"), result.stderr
    assert (site / PLAN).read_bytes() == before


def test_csv_saved_by_norwegian_excel_is_read(tmp_path):
    content = ("id;status;status_dato;status_kommentar;rapportert_av\r\n"
               "1.1.1;Pågår;2026-11-01;Stilling utlyst i Øyer;Helse- og omsorgsleder\r\n").encode("cp1252")
    result, site, _ = run(tmp_path, "plan.csv", content)
    assert result.returncode == 0, result.stdout + result.stderr
    update = load_project(site).index.get("tiltak", "testby/1.1.1").record.status[-1]
    assert (update.status, update.kommentar) == ("pagar", "Stilling utlyst i Øyer")


def test_utf8_csv_with_bom_and_commas_is_read(tmp_path):
    content = "\ufeff".encode() + (HEADER + "1.1.1,pagar,2026-11-01,Ærlig talt,Leder\n").encode()
    result, site, _ = run(tmp_path, "plan.csv", content)
    assert result.returncode == 0, result.stdout
    assert load_project(site).index.get("tiltak", "testby/1.1.1").record.status[-1].kommentar == "Ærlig talt"


@pytest.mark.parametrize("comment, expected", [
    pytest.param("x" * 200_000, "status_kommentar has 200000 characters; write at most 2000", id="200 KB cell"),
    pytest.param("Hei\x07du", "status_kommentar holds the invisible control character U+0007; remove it", id="bell"),
    pytest.param("Hei\x1bdu", "status_kommentar holds the invisible control character U+001B; remove it", id="escape"),
])
def test_huge_cells_and_control_characters_are_refused(tmp_path, comment, expected):
    result, site, before = run(tmp_path, "plan.csv", (HEADER + f"1.1.1,pagar,2026-11-01,{comment},Leder\n").encode())
    assert result.returncode == 1
    assert f"refused plan.csv:line 2: tiltak 1.1.1: {expected}" in result.stdout
    assert (site / PLAN).read_bytes() == before


def test_line_separators_in_a_comment_cannot_touch_the_next_tiltak(tmp_path):
    comment = '"Ferdig\u2028- id: 1.1.2\u2029  status: avlyst\r\nslutt"'
    result, site, _ = run(tmp_path, "plan.csv", (HEADER + f"1.1.1,pagar,2026-11-01,{comment},Leder\n").encode())
    assert result.returncode == 0, result.stdout
    index = load_project(site).index
    assert index.get("tiltak", "testby/1.1.1").record.status[-1].kommentar == \
        "Ferdig - id: 1.1.2   status: avlyst slutt"
    assert index.get("tiltak", "testby/1.1.2").record.current_status == "pagar"  # untouched


def test_a_formula_in_a_comment_is_stored_as_text_and_exported_inert(tmp_path):
    row = '1.1.1,pagar,2026-11-01,"=HYPERLINK(""x"")",Leder\n'
    result, site, _ = run(tmp_path, "plan.csv", (HEADER + row).encode())
    assert result.returncode == 0, result.stdout
    assert load_project(site).index.get("tiltak", "testby/1.1.1").record.status[-1].kommentar == '=HYPERLINK("x")'
    from knowledgebase.planrows import handlingsplan_csv

    assert "'=HYPERLINK" in handlingsplan_csv(load_project(site).index, "testby")


def test_duplicate_rows_for_one_tiltak_write_nothing(tmp_path):
    content = (HEADER + "1.1.1,pagar,2026-11-01,,Leder\n1.1.1,fullfort,2026-11-02,,Leder\n").encode()
    result, site, before = run(tmp_path, "plan.csv", content)
    assert result.returncode == 1
    assert ("refused plan.csv:line 3: tiltak 1.1.1: a second row for the same tiltak (the first is line 2)"
            in result.stdout)
    assert (site / PLAN).read_bytes() == before


def test_when_every_row_is_refused_the_exit_code_says_so(tmp_path):
    result, _, _ = run(tmp_path, "plan.csv", (HEADER + "9.9.9,pagar,2026-11-01,,Leder\n").encode())
    assert result.returncode == 1 and result.stdout.splitlines()[-1] == "0 changed, 0 unchanged, 1 refused"


def test_crlf_files_stay_crlf_and_every_other_byte_stays(tmp_path):
    site = make_site(tmp_path / "site")
    plan = site / PLAN
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    before = plan.read_bytes()
    source = tmp_path / "plan.csv"
    source.write_bytes((HEADER + "1.1.1,pagar,2026-11-01,Utlyst,Leder\n").encode())
    result = kb_command(site, "status-import", str(source), "--kommune", "testby")
    assert result.returncode == 0, result.stdout + result.stderr
    after = plan.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")  # no bare LF
    added = [line for line in after.split(b"\r\n") if line not in before.split(b"\r\n")]
    assert added and all(b"dato" in a or b"status" in a or b"kommentar" in a or b"rapportert_av" in a for a in added)


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path):
    site = make_site(tmp_path / "site")
    before = (site / PLAN).read_bytes()
    source = tmp_path / "plan.csv"
    source.write_bytes((HEADER + "1.1.1,utsatt,2026-11-05,,Leder\n").encode())
    result = kb_command(site, "status-import", str(source), "--kommune", "testby", "--dry-run")
    assert result.returncode == 0
    assert f"+++ {PLAN}" in result.stdout.splitlines()
    assert "+                status: utsatt" in result.stdout.splitlines()
    assert (site / PLAN).read_bytes() == before
