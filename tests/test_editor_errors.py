"""Every bad input an editor can make gives one clear message, a failed build and no traceback.

Each case copies the small fixture site, makes one mistake, and checks the exact message of
both ``python -m knowledgebase check`` and ``mkdocs build``; a failed build must leave an
existing site/ exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import kb_command, make_site, mkdocs_build

SUMMARY = "1 problem in the data; the site was not built. Fix them and build again."

CASES = {
    "broken YAML": (
        "data/kommuner/testby/enheter.yml",
        lambda s: s.replace("  navn: Helsestasjonen", '  navn: Helsestasjonen: "x\n   bad: ['),
        "data/kommuner/testby/enheter.yml:2: broken YAML: mapping values are not allowed in this context; check the "
        "indentation and that text containing ': ' or '#' is in quotes",
    ),
    "missing required field": (
        "data/kommuner/testby/enheter.yml",
        lambda s: s.replace("  navn: Helsestasjonen\n", ""),
        "data/kommuner/testby/enheter.yml:1: Unit(id='helsestasjon') field 'navn': is required but missing; add it",
    ),
    "wrong type": (
        "data/kommuner/testby/handlingsplan.yml",
        lambda s: s.replace("ansvarlige_enheter: [helsestasjon]", "ansvarlige_enheter: helsestasjon"),
        "data/kommuner/testby/handlingsplan.yml:17: Tiltak(id='1.1.1') field 'ansvarlige_enheter': must be a list; "
        "write each item on its own line starting with '- '",
    ),
    "misspelt field": (
        "data/kommuner/testby/handlingsplan.yml",
        lambda s: s.replace("ansvarlig: Helse- og omsorgsleder", "ansvarleg: Helse- og omsorgsleder"),
        "data/kommuner/testby/handlingsplan.yml:16: Tiltak(id='1.1.1') field 'ansvarleg': is not a known field; "
        "did you mean 'ansvarlig'? allowed fields: id, nummer, tekst, ansvarlig, ansvarlige_enheter, frist, "
        "frist_ar, okonomi, okonomi_nok, forankring, kapittel_ref, kapittel, utledet, usikkerhet, mal, tjenester, "
        "anbefalinger, hovedforlop, status, kilde",
    ),
    "duplicate id": (
        "data/kommuner/testby/enheter.yml",
        lambda s: s.replace("- id: psykisk-helse", "- id: helsestasjon"),
        "data/kommuner/testby/enheter.yml:5: Unit(id='helsestasjon') field 'id': the id 'helsestasjon' is used "
        "twice (first at data/kommuner/testby/enheter.yml:1); give each record its own id",
    ),
    "unknown reference in YAML": (
        "data/kommuner/testby/tjenester.yml",
        lambda s: s.replace("leverandor: psykisk-helse", "leverandor: psykiskhelse"),
        "data/kommuner/testby/tjenester.yml:3: Service(id='samtaler') field 'leverandor': 'testby/psykiskhelse' is "
        "not a known enhet eller rolle (enhet); did you mean 'testby/psykisk-helse'? use the id of an existing "
        "record in enheter.yml",
    ),
    "unknown reference in a YAML text field": (
        "data/nasjonalt/begreper.yml",
        lambda s: s.replace("[[lov:hol/7-1]]", "[[lov:hol/7-9]]"),
        "data/nasjonalt/begreper.yml:4: Term(id='ip') field 'forklaring': the reference [[lov:hol/7-9]]: "
        "'hol/7-9' is not a known lov eller forskrift (lov); did you mean 'hol/7-1'? use the id of an existing "
        "record in data/nasjonalt/lover.yml",
    ),
    "unknown reference in Markdown": (
        "docs/index.md",
        lambda s: s.replace("[[tjeneste:testby/samtaler]]", "[[tjeneste:testby/samtale]]"),
        "docs/index.md:3: the reference [[tjeneste:testby/samtale]]: 'testby/samtale' is not a known tjeneste "
        "(tjeneste); did you mean 'testby/samtaler'? use the id of an existing record in tjenester.yml",
    ),
    "unknown reference type": (
        "docs/kommuner/testby/plan/01-innledning.md",
        lambda s: s.replace("[[dokument:is-1332]]", "[[dok:is-1332]]"),
        "docs/kommuner/testby/plan/01-innledning.md:11: "
        "'[[dok:is-1332]]' has an unknown "
        "reference type 'dok'; use one of: lov, dokument, anbefaling, begrep, hjelpetelefon, verktoy, forlop, "
        "krav, prinsipp, kommune, enhet, tjeneste, ansvar, handlingsplan, mal, tiltak, indikator, kapittel, rutine",
    ),
    "bad date": (
        "data/kommuner/testby/handlingsplan.yml",
        lambda s: s.replace("dato: 2026-01-15", "dato: 2026-13-15"),
        "data/kommuner/testby/handlingsplan.yml:31: Tiltak(id='1.1.2') field 'status.dato': item 1: '2026-13-15' "
        "is not a date; write it as YYYY-MM-DD, for example 2026-03-31",
    ),
    "bad date in front matter": (
        "docs/rutiner/ip.md",
        lambda s: s.replace("neste_revisjon: 2027-01-01", "neste_revisjon: neste år"),
        "docs/rutiner/ip.md:14: RoutineMeta(id='ip') field 'neste_revisjon': 'neste år' is not a date; write it "
        "as YYYY-MM-DD, for example 2026-03-31",
    ),
    "value not in the list": (
        "data/kommuner/testby/tjenester.yml",
        lambda s: s.replace("situasjoner: [angst_depresjon, rus_spill]", "situasjoner: [angst, rus_spill]"),
        "data/kommuner/testby/tjenester.yml:5: Service(id='samtaler') field 'situasjoner': item 1: angst is not "
        "allowed; write one of: barn_unge, angst_depresjon, rus_spill, parorende, akutt_krise, "
        "alvorlig_psykisk_lidelse, bolig_arbeid_okonomi, aktivitet_fellesskap, eldre, flyktning or gravid_smabarn",
    ),
    "script in a text field": (
        "data/kommuner/testby/tjenester.yml",
        lambda s: s.replace("Du kan få samtaler", "Du kan <script>alert(1)</script> få samtaler"),
        "data/kommuner/testby/tjenester.yml:7: Service(id='samtaler') field 'beskrivelse': contains HTML or a "
        "script link ('<script>'); write plain text, Markdown such as **bold** or [text](https://...), or a "
        "reference such as [[lov:hol/3-1]]",
    ),
    "javascript link in a text field": (
        "data/kommuner/testby/tjenester.yml",
        lambda s: s.replace("Du kan få samtaler", "Du kan [klikk](javascript:alert(1)) få samtaler"),
        "data/kommuner/testby/tjenester.yml:7: Service(id='samtaler') field 'beskrivelse': contains HTML or a "
        "script link ('javascript:'); write plain text, Markdown such as **bold** or [text](https://...), or a "
        "reference such as [[lov:hol/3-1]]",
    ),
    "tiltak without deadline": (
        "data/kommuner/testby/handlingsplan.yml",
        lambda s: s.replace("            frist: Kontinuerlig\n", ""),
        "data/kommuner/testby/handlingsplan.yml:23: Tiltak(id='1.1.2') field 'frist': has no deadline; write "
        "'frist: ...' as the plan gives it, or 'frist: Ikke oppgitt i kilden'",
    ),
    "glossary entry with neither term nor abbreviation": (
        "data/nasjonalt/begreper.yml",
        lambda s: s.replace("  term: Individuell plan\n  forkortelse: IP\n", ""),
        "data/nasjonalt/begreper.yml:1: Term(id='ip'): needs 'term: <the word or phrase>' or, for an abbreviation, "
        "'forkortelse: <as written>'",
    ),
    "help line without a source": (
        "data/nasjonalt/hjelpetelefoner.yml",
        lambda s: s.replace('  nettkilder:\n    - {utgiver: Testkilde, url: "https://example.invalid/113", '
                            'sjekket: 2026-01-01}\n', ""),
        "data/nasjonalt/hjelpetelefoner.yml:1: Helpline(id='113') field 'nettkilder': is required but missing; add it",
    ),
    "contact fact without a source": (
        "data/kommuner/testby/kommune.yml",
        lambda s: s.replace("\nplan:", "\nkontakt:\n  sentralbord:\n    verdi: 12 34 56 78\nplan:", 1),
        "data/kommuner/testby/kommune.yml:5: Kommune(id='testby') field 'kontakt.sentralbord': a contact fact needs "
        "its source: 'nettkilde: {utgiver: ..., url: ..., sjekket: YYYY-MM-DD}' or "
        "'kilde: {dokument: ..., linjer: ...}'",
    ),
}


def _break(tmp_path: Path, file: str, mutate) -> Path:
    site = make_site(tmp_path / "site")
    path = site / file
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    return site


@pytest.mark.parametrize("case", list(CASES))
def test_check_command_names_file_line_field_and_fix(tmp_path, case):
    file, mutate, expected = CASES[case]
    site = _break(tmp_path, file, mutate)
    result = kb_command(site, "check")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [expected, SUMMARY]
    assert "Traceback" not in result.stderr


def test_file_that_is_not_utf8_is_reported_not_crashed_on(tmp_path):
    site = make_site(tmp_path / "site")
    path = site / "data/kommuner/testby/enheter.yml"
    path.write_bytes(path.read_bytes().replace(b"Helsestasjonen", "Helsestasjønen".encode("latin-1")))
    result = kb_command(site, "check")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "data/kommuner/testby/enheter.yml:2: the file is not UTF-8 text; save it again with the encoding UTF-8 "
        "(in most editors: 'Save with encoding' -> UTF-8)", SUMMARY]


def test_all_problems_are_reported_together(tmp_path):
    site = make_site(tmp_path / "site")
    for file, mutate, _ in (CASES["missing required field"], CASES["bad date"], CASES["misspelt field"]):
        path = site / file
        path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = kb_command(site, "check")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    assert lines[-1] == "3 problems in the data; the site was not built. Fix them and build again."


@pytest.mark.parametrize("case", ["broken YAML", "unknown reference in Markdown", "script in a text field"])
def test_failed_build_gives_the_same_message_and_leaves_the_old_site_untouched(tmp_path, case):
    file, mutate, expected = CASES[case]
    site = make_site(tmp_path / "site")
    assert mkdocs_build(site).returncode == 0
    before = {p: p.read_bytes() for p in (site / "site").rglob("*") if p.is_file()}
    path = site / file
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = mkdocs_build(site)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert expected in output
    assert "Traceback" not in output
    after = {p: p.read_bytes() for p in (site / "site").rglob("*") if p.is_file()}
    assert after == before
