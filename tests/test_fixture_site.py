"""The small fixture site builds strictly, and its pages, exports and edit links are right."""

from __future__ import annotations

import csv
import io
import json
import re

from sitekit import kb_command


def html(site, path):
    return (site / "site" / path).read_text(encoding="utf-8")


def test_law_page_has_anchored_paragraphs_linking_to_lovdata_and_back(mini_site):
    page = html(mini_site, "regelverk/hol/index.html")
    assert 'id="paragraf-3-1"' in page and 'id="paragraf-7-1"' in page
    assert 'href="https://lovdata.no/lov/2011-06-24-30/§3-1"' in page
    assert 'href="https://lovdata.no/lov/2011-06-24-30"' in page
    section = page.split('id="paragraf-7-1"')[1].split("<h3")[0]
    assert "Tilby individuell plan" in section and "Individuell plan og koordinator" in section


def test_chapter_of_a_law_links_to_the_chapter_on_lovdata(mini_site):
    page = html(mini_site, "regelverk/fhl/index.html")
    assert 'href="https://lovdata.no/dokument/NL/lov/2011-06-24-29/KAPITTEL_2"' in page


def test_replaced_law_says_what_replaced_it(mini_site):
    page = html(mini_site, "regelverk/bvl-1992/index.html")
    assert "Erstattet fra 01.01.2023, erstattet av" in page
    assert 'href="../bvl/"' in page


def test_service_page_says_not_stated_instead_of_inventing(mini_site):
    page = html(mini_site, "kommuner/testby/tjenester/samtaler/index.html")
    for heading in ("Hva er tjenesten", "Hvem kan få den", "Slik får du hjelp", "Hva koster det", "Klage",
                    "Regelverk", "Kontakt", "Sist kontrollert"):
        assert f">{heading}</h2>" in page
    assert page.count("Ikke oppgitt i kilden.") == 3  # hvem, pris, klage
    assert "Ikke oppgitt – kontakt kommunen" not in page
    # No contact in the data: the page says whom to contact instead, in order, ending with the legevakt.
    contact = page.split(">Kontakt</h2>")[1].split("<h2")[0]
    assert "Kilden gir ingen telefon eller e-post" in contact
    steps = re.findall(r"<li>(.*?)</li>", contact, re.S)
    assert [re.search(r"<strong>(.*?)</strong>", s).group(1) for s in steps] == [
        "Testby kommune", "Fastlegen din", "Haster det?"], steps
    assert 'href="tel:116117"' in steps[2] and 'href="tel:113"' in steps[2]
    assert 'href="../../kontakt/"' in steps[0]


def test_service_page_embeds_schema_org_json_ld(mini_site):
    page = html(mini_site, "kommuner/testby/tjenester/helsestasjon-ungdom/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "Helsestasjon for ungdom"
    assert data["availableChannel"]["servicePhone"]["telephone"] == "12 34 56 78"


def test_generated_pages_edit_links_point_at_their_yaml_source(mini_site):
    page = html(mini_site, "kommuner/testby/tjenester/samtaler/index.html")
    assert 'href="https://git.example.invalid/kb/edit/main/data/kommuner/testby/tjenester.yml"' in page
    assert "data/kommuner/testby/tjenester.yml" in page


def test_every_page_carries_the_crisis_block_and_norwegian_language(mini_site):
    pages = list((mini_site / "site").rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert '<html lang="nb"' in text, path
        assert 'href="tel:113"' in text and 'href="tel:116117"' in text, path


def test_nav_is_pruned_so_pages_do_not_carry_the_whole_menu(mini_site):
    page = html(mini_site, "regelverk/hol/index.html")
    # The kommune section is collapsed away on a national page.
    assert "Mangler i kilden" not in page


def test_kb_json_lists_every_type_with_id_type_url(mini_site):
    data = json.loads((mini_site / "site/export/kb.json").read_text(encoding="utf-8"))
    assert {"lov", "tjeneste", "tiltak", "anbefaling", "kilde"} <= set(data)
    laws = {r["id"]: r for r in data["lov"]}
    assert laws["hol"]["url"] == "regelverk/hol/"
    assert laws["hol/3-1"]["url"] == "regelverk/hol/#paragraf-3-1"
    assert laws["hol"]["paragrafer"] == ["hol/3-1", "hol/7-1"]
    assert laws["hol/3-1"]["ekstern_url"] == "https://lovdata.no/lov/2011-06-24-30/§3-1"
    for records in data.values():
        for record in records:
            if "type" in record and record["type"] != "veileder":
                assert {"id", "type"} <= set(record)
    tiltak = {r["id"]: r for r in data["tiltak"]}
    assert tiltak["testby/1.1.1"]["okonomi_nok"] == 130000
    assert tiltak["testby/1.1.2"]["gjeldende_status"] == "pagar"
    for record in data["tiltak"]:
        assert (mini_site / "site" / record["url"].split("#")[0] / "index.html").exists()


def test_handlingsplan_csv_has_one_row_per_tiltak(mini_site):
    text = (mini_site / "site/export/testby/handlingsplan.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["1.1.1", "1.1.2", "sam-01"]
    assert rows[0]["frist_ar"] == "2019" and rows[0]["okonomi_nok"] == "130000"
    assert rows[0]["omrade"] == "1. Folkehelse" and rows[0]["mal"] == "Mer forebygging"
    assert rows[1]["status"] == "pagar" and rows[1]["status_dato"] == "2026-01-15"
    assert rows[2]["status"] == "ikke_rapportert" and rows[2]["mal"] == ""


def test_two_builds_are_byte_identical(mini_site, tmp_path):
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "again"
    shutil.copytree(mini_site, copy, ignore=shutil.ignore_patterns("site"))
    env = {"KB_REPO_URL": "https://git.example.invalid/kb", "KB_EDIT_URI": "edit/main/docs/",
           "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=copy, env=env, check=True,
                   capture_output=True)
    for path in (mini_site / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv"):
            other = copy / "site" / path.relative_to(mini_site / "site")
            assert other.read_bytes() == path.read_bytes(), path


def test_export_command_writes_pages_and_exports_without_mkdocs(mini_site, tmp_path):
    out = tmp_path / "out"
    result = kb_command(mini_site, "export", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "docs/kommuner/testby/tjenester/samtaler.md").read_text(encoding="utf-8")
    assert "[helse- og omsorgstjenesteloven § 3-1](../../../regelverk/hol.md#paragraf-3-1)" in page
    assert "[[" not in page
    assert (out / "docs/export/kb.json").exists() and (out / "docs/export/testby/handlingsplan.csv").exists()
    # A routine page gets the same facts box and backlinks as on the site, below its front matter.
    routine = (out / "docs/rutiner/ip.md").read_text(encoding="utf-8")
    assert routine.startswith("---\n") and "| Eier |" in routine and "## Dette viser hit" in routine
    again = kb_command(mini_site, "export", str(out))
    assert again.returncode == 2 and "not empty" in again.stderr


def test_check_command_succeeds_on_valid_data(mini_site):
    result = kb_command(mini_site, "check")
    assert result.returncode == 0
    assert result.stdout.startswith("OK: the data is valid")
