"""Unit tests of the models: derived values, refused input, id normalisation."""

import pytest
from pydantic import ValidationError

from knowledgebase import models as m
from knowledgebase.refs import find_refs, normalise_id

SOURCE = {"dokument": "flaa-plan"}


def tiltak(**fields):
    return m.Tiltak(id="1.1.1", tekst="Et tiltak", kilde=SOURCE, **fields)


@pytest.mark.parametrize("frist, year", [
    ("Oppstart høst 2019", 2019),
    ("I budsjett og økonomiplan fra 2020", 2020),
    ("2014 - 2016", 2016),
    ("Hvert 3 år, start 2018", 2018),
    ("Snarlig", None),
    ("Kontinuerlig", None),
    ("Ved fornying av avtalene", None),
])
def test_deadline_year_is_read_from_the_plans_wording(frist, year):
    t = tiltak(frist=frist)
    assert t.frist == frist
    assert t.frist_ar == year


def test_explicit_deadline_year_wins_over_the_derived_one():
    assert tiltak(frist="Fra etablering i 2018", frist_ar=2019).frist_ar == 2019


@pytest.mark.parametrize("okonomi, amount", [
    ("Kr. 130 000", 130000), ("Kr. 15 000.-", 15000), ("Ingen", None), ("Se 2.3.1", None),
    ("Søkt tilskudd fra 2018, trappes ned over fire år", None),
])
def test_amount_in_nok_is_read_only_from_a_plain_amount(okonomi, amount):
    assert tiltak(okonomi=okonomi).okonomi_nok == amount


@pytest.mark.parametrize("text", [
    "Se <script>alert(1)</script>", "<b>fet</b>", "[klikk](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "[x](JavaScript :alert(1))",
])
def test_html_and_script_links_are_refused_in_text_fields(text):
    with pytest.raises(ValidationError, match="contains HTML or a script link"):
        tiltak(usikkerhet=text)


@pytest.mark.parametrize("text", ["Barn < 18 år", "Mer enn 3 > 2", "**viktig** [Lovdata](https://lovdata.no)"])
def test_plain_text_with_comparison_signs_and_markdown_is_accepted(text):
    assert tiltak(usikkerhet=text).usikkerhet == text


def test_status_history_must_be_oldest_first():
    with pytest.raises(ValidationError, match="oldest first"):
        tiltak(status=[
            {"dato": "2026-02-01", "status": "pagar", "rapportert_av": "Fagleder"},
            {"dato": "2026-01-01", "status": "ikke_startet", "rapportert_av": "Fagleder"},
        ])


def test_replaced_law_must_name_its_successor():
    with pytest.raises(ValidationError, match="erstattet_av"):
        m.Law(id="bvl-1992", type="lov", tittel="Lov om barneverntjenester", lovdata_id="LOV-1992-07-17-100",
              status="erstattet", sammendrag="Gammel lov.")


@pytest.mark.parametrize("nr, key", [("3-1", "3-1"), ("2-1 a", "2-1a"), ("kap. 2", "kap2"), ("4 A-2", "4a-2")])
def test_paragraph_numbers_become_stable_ids(nr, key):
    assert m.provision_key(nr) == key
    assert normalise_id("lov", f"hol/{nr}") == f"hol/{key}"


def test_references_inside_code_are_not_references():
    text = "Se [[lov:hol/3-1]] og `[[lov:hol/9-9]]`.\n\n```\n[[tiltak:x/1]]\n```\n[[tjeneste:flaa/a|tekst]]"
    refs = find_refs(text)
    assert [(r.type, r.id, r.label, r.line) for r in refs] == [
        ("lov", "hol/3-1", None, 1), ("tjeneste", "flaa/a", "tekst", 6)]
