"""Statuses edited in the exported workbook or CSV come back into the YAML, nothing lost."""

from __future__ import annotations

import io
import shutil

from openpyxl import load_workbook
from sitekit import FIXTURES, kb_command, make_site

from knowledgebase.build import load_project
from knowledgebase.workbook import handlingsplan_workbook


def site_copy(tmp_path):
    return make_site(tmp_path / "site")


def edited_workbook(site, path, edits):
    data = handlingsplan_workbook(load_project(site).index, "testby")
    wb = load_workbook(io.BytesIO(data))
    headers = {c.value: c.column for c in wb.worksheets[0][1]}
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            ident = row[headers["Id"] - 1].value
            for column, value in edits.get(ident, {}).items():
                row[headers[column] - 1].value = value
    wb.save(path)


def test_workbook_has_one_sheet_per_area_with_printable_headers(tmp_path):
    wb = load_workbook(io.BytesIO(handlingsplan_workbook(load_project(FIXTURES / "mini").index, "testby")))
    assert wb.sheetnames == ["1. Folkehelse", "Samarbeid"]
    ws = wb["1. Folkehelse"]
    assert [c.value for c in ws[1]][:4] == ["Id", "Nr.", "Mål", "Tiltak"]
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["D"].width == 48
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["1.1.1", "1.1.2"]


def test_edited_status_is_read_back_as_new_history_entry(tmp_path):
    site = site_copy(tmp_path)
    book = tmp_path / "plan.xlsx"
    edited_workbook(site, book, {
        "1.1.1": {"Status": "Pågår", "Statusdato": "2026-11-01", "Kommentar": "Stilling utlyst",
                  "Rapportert av": "Helse- og omsorgsleder"},
        "1.1.2": {"Status": "fullfort", "Statusdato": "2026-11-02", "Rapportert av": "Fagleder"},
    })
    before = (site / "data/kommuner/testby/handlingsplan.yml").read_text(encoding="utf-8")
    result = kb_command(site, "status-import", str(book), "--kommune", "testby")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1.1.1: Ikke rapportert -> Pågår (2026-11-01, Helse- og omsorgsleder)",
        "1.1.2: Pågår -> Fullført (2026-11-02, Fagleder)",
        "2 changed, 1 unchanged, 0 refused",
    ]
    after = (site / "data/kommuner/testby/handlingsplan.yml").read_text(encoding="utf-8")
    # Nothing was removed: every old line is still there, in order.
    old = before.splitlines()
    new = iter(after.splitlines())
    assert all(any(line == n for n in new) for line in old)
    index = load_project(site).index
    t1 = index.get("tiltak", "testby/1.1.1").record
    t2 = index.get("tiltak", "testby/1.1.2").record
    assert [(u.status, u.kommentar) for u in t1.status] == [("pagar", "Stilling utlyst")]
    assert [u.status for u in t2.status] == ["pagar", "fullfort"]


def test_rows_that_cannot_be_matched_are_refused_and_nothing_is_lost(tmp_path):
    site = site_copy(tmp_path)
    csv_path = tmp_path / "plan.csv"
    shutil.copy(site / "data/kommuner/testby/handlingsplan.yml", tmp_path / "before.yml")
    csv_path.write_text(
        "id,status,status_dato,status_kommentar,rapportert_av\n"
        "9.9.9,pagar,2026-11-01,,Leder\n"
        "1.1.1,ferdig,2026-11-01,,Leder\n"
        "sam-01,pagar,neste uke,,Leder\n"
        "1.1.2,pagar,,,\n"
        "1.1.2,utsatt,2025-01-01,,Leder\n", encoding="utf-8")
    result = kb_command(site, "status-import", str(csv_path), "--kommune", "testby")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "refused plan.csv:line 2: id '9.9.9' is not a tiltak of testby; leave the id column as exported",
        "refused plan.csv:line 3: tiltak 1.1.1: status 'ferdig' is not one of: ikke_startet, pagar, fullfort, "
        "utsatt, avlyst",
        "refused plan.csv:line 4: tiltak sam-01: status_dato 'neste uke' is not a date; write YYYY-MM-DD",
        "refused plan.csv:line 6: tiltak 1.1.2: a second row for the same tiltak (the first is line 5); keep one "
        "row per tiltak",
        "0 changed, 1 unchanged, 4 refused",
    ]
    assert (site / "data/kommuner/testby/handlingsplan.yml").read_bytes() == (tmp_path / "before.yml").read_bytes()


def test_dry_run_reports_without_writing(tmp_path):
    site = site_copy(tmp_path)
    csv_path = tmp_path / "plan.csv"
    csv_path.write_text("id,status,status_dato,rapportert_av\n1.1.1,utsatt,2026-11-05,Leder\n", encoding="utf-8")
    before = (site / "data/kommuner/testby/handlingsplan.yml").read_bytes()
    result = kb_command(site, "status-import", str(csv_path), "--kommune", "testby", "--dry-run")
    assert "1.1.1: Ikke rapportert -> Utsatt" in result.stdout
    assert (site / "data/kommuner/testby/handlingsplan.yml").read_bytes() == before
