"""References resolve to relative links and record backlinks, grouped by type and sorted."""

from __future__ import annotations

from sitekit import FIXTURES

from knowledgebase.build import load_project
from knowledgebase.links import abbreviations, resolve_markdown


def project():
    return load_project(FIXTURES / "mini")


def test_reference_becomes_a_link_relative_to_the_page():
    index = project().index
    md = resolve_markdown("Se [[lov:hol/3-1]] og [[tjeneste:testby/samtaler|samtaler]].", "kommuner/testby/plan/x.md",
                          index)
    assert md == ("Se [helse- og omsorgstjenesteloven § 3-1](../../../regelverk/hol.md#paragraf-3-1) og "
                  "[samtaler](../tjenester/samtaler.md).")


def test_reference_to_a_section_on_the_same_page_is_an_anchor():
    index = project().index
    assert resolve_markdown("[[begrep:rop]]", "begreper.md", index) == "[ROP (Rus og psykiske lidelser)](#rop)"


def test_backlinks_are_recorded_from_yaml_fields_text_and_pages_grouped_and_sorted():
    index = project().index
    grouped = index.backlinks_of(("lov", "hol/7-1"))
    assert list(grouped) == ["begrep", "krav", "ansvar", "kapittel", "rutine"]
    assert [e.id for e in grouped["ansvar"]] == ["testby/individuell-plan"]
    assert [e.id for e in grouped["rutine"]] == ["ip"]


def test_law_backlinks_can_include_its_paragraphs():
    index = project().index
    assert index.backlinks_of(("lov", "hol")) == {}
    assert "tjeneste" in index.backlinks_of(("lov", "hol"), include_children=True)


def test_a_recommendation_knows_the_tiltak_and_services_that_answer_it():
    index = project().index
    grouped = index.backlinks_of(("anbefaling", "is-1332/2-1"))
    assert [e.id for e in grouped["tjeneste"]] == ["testby/samtaler"]
    assert [e.id for e in grouped["tiltak"]] == ["testby/1.1.1"]
    assert index.backlinks_of(("anbefaling", "is-1332/2-2")) == {}


def test_chapter_goals_link_to_the_tiltak_that_answer_them():
    index = project().index
    assert [e.id for e in index.backlinks_of(("mal", "testby/mal-a"))["tiltak"]] == ["testby/1.1.2"]


def test_glossary_abbreviations_become_markdown_abbr_definitions():
    assert abbreviations(project().index) == "*[IP]: Individuell plan\n*[ROP]: Rus og psykiske lidelser"


def test_only_the_abbreviations_a_page_uses_are_defined_with_markdowns_word_boundaries():
    index = project().index
    terms = {"ROP": "Rus og psykiske lidelser", "SCL-10": "Symptom Checklist 10", "IP": "Individuell plan"}
    # 'ROP-lidelser' carries the abbreviation (Markdown's abbr extension matches it there too).
    assert abbreviations(index, "Om ROP-lidelser.", terms) == "*[ROP]: Rus og psykiske lidelser"
    assert abbreviations(index, "Skjemaet SCL-10 brukes.", terms) == "*[SCL-10]: Symptom Checklist 10"
    # Not inside a longer word, not in another case, and not when only a part of it occurs.
    assert abbreviations(index, "TROPP, rop, SCL-100 og SCL alene. IPS.", terms) == ""


def test_references_inside_code_are_left_as_written():
    index = project().index
    md = resolve_markdown("`[[begrep:rop]]` og [[begrep:rop|ROP]]\n```\n[[begrep:ip]]\n```\n", "begreper.md", index)
    assert md == "`[[begrep:rop]]` og [ROP](#rop)\n```\n[[begrep:ip]]\n```\n"
