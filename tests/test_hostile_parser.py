"""Hostile and careless input to the data files and front matter: each case gives one clear message with
file and line, fast, and never a traceback, a hang or a crash.

Each case copies the mini fixture project, changes one file, and compares the first problem of
``load_project`` with the expected line. A few run the command line to check the exit code.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import kb_command, make_site

from knowledgebase.build import load_project
from knowledgebase.errors import DataError

LOVER = "data/nasjonalt/lover.yml"
ENHETER = "data/kommuner/testby/enheter.yml"
KOMMUNE = "data/kommuner/testby/kommune.yml"
KILDER = "data/kilder.yml"
CHAPTER = "docs/kommuner/testby/plan/01-innledning.md"
BEGREPER = "data/nasjonalt/begreper.yml"


def replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


def whole(new: str) -> Callable[[str], str]:
    return lambda text: new


CONTROL = ("the text holds the invisible control character {}; remove it (retype the text around it if you "
           "cannot see it)")
EMPTY_LIST = ("the file holds no records; add {} records, each starting with '- id: ...', or delete the file if it "
              "has none")

CASES: dict[str, tuple[str, Callable[[str], str], str]] = {
    "empty national file": (LOVER, whole(""), f"{LOVER}: " + EMPTY_LIST.format("Law")),
    "national file of comments only": (LOVER, whole("# nothing here\n"), f"{LOVER}: " + EMPTY_LIST.format("Law")),
    "national file with an empty list": (LOVER, whole("[]\n"), f"{LOVER}: " + EMPTY_LIST.format("Law")),
    "national file that is null": (LOVER, whole("null\n"), f"{LOVER}: " + EMPTY_LIST.format("Law")),
    "empty kommune list file": (ENHETER, whole(""), f"{ENHETER}: " + EMPTY_LIST.format("Unit")),
    "emptied national principles file": ("data/nasjonalt/prinsipper.yml", whole("# tom\n"),
                                         "data/nasjonalt/prinsipper.yml: " + EMPTY_LIST.format("Principle")),
    "emptied indicators file": ("data/kommuner/testby/indikatorer.yml", whole(""),
                                "data/kommuner/testby/indikatorer.yml: " + EMPTY_LIST.format("Indicator")),
    "empty single-record file": (KOMMUNE, whole(""), f"{KOMMUNE}: the file holds no records; add the Kommune's "
                                 "'field: value' lines, or delete the file if it has none"),
    "duplicate id in kilder.yml": (KILDER, lambda t: t + t.replace("# yaml", "# x", 1),
                                   f"{KILDER}:6: SourceDocument(id='testplan') field 'id': the id 'testplan' is used "
                                   f"twice (first at {KILDER}:1); give each record its own id"),
    "duplicate unit id": (ENHETER, replace("- id: psykisk-helse", "- id: helsestasjon"),
                          f"{ENHETER}:5: Unit(id='helsestasjon') field 'id': the id 'helsestasjon' is used twice "
                          f"(first at {ENHETER}:1); give each record its own id"),
    "reference with thousands of spaces, unclosed": (CHAPTER, lambda t: t + "\nSe [[lov:" + " " * 20000 + "\n",
                                                    "no problem found"),
    "reference with thousands of spaces before its id": (
        CHAPTER, lambda t: t + "\nSe [[lov:" + " " * 20000 + "hol/9-9]].\n",
        f"{CHAPTER}:17: the reference [[lov:hol/9-9]]: 'hol/9-9' is not a known lov eller forskrift (lov); did you "
        "mean 'hol/7-1'? use the id of an existing record in data/nasjonalt/lover.yml"),
    "nesting 500 levels deep": (ENHETER, lambda t: t + "- id: x\n  navn: " + "[" * 500 + "]" * 500 + "\n",
                                f"{ENHETER}:9: the blocks and lists are nested more than 30 levels deep; check the "
                                "indentation and the brackets"),
    "nesting 100 000 levels deep": (ENHETER, lambda t: "[" * 100_000 + "\n",
                                    f"{ENHETER}:1: the blocks and lists are nested more than 30 levels deep; check "
                                    "the indentation and the brackets"),
    "billion laughs": (ENHETER, whole("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                                      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n"),
                       f"{ENHETER}:2: the alias *a repeats a list or block; an alias may only repeat a text value: "
                       "write the list or block out"),
    "a 3 MB file": (ENHETER, lambda t: t + "# " + "x" * 3_000_000 + "\n",
                    f"{ENHETER}:1: the file is larger than 2 MB; split it or remove what does not belong in it"),
    "unquoted no in a text field": (ENHETER, replace("  navn: Helsestasjonen", "  navn: no"),
                                    f"{ENHETER}:2: Unit(id='helsestasjon') field 'navn': was read by YAML as false "
                                    "(yes, no, on, off, true and false without quotes are); write the text in quotes, "
                                    "for example \"no\""),
    "unquoted yes in a text field": (ENHETER, replace("  navn: Helsestasjonen", "  navn: yes"),
                                     f"{ENHETER}:2: Unit(id='helsestasjon') field 'navn': was read by YAML as true "
                                     "(yes, no, on, off, true and false without quotes are); write the text in "
                                     "quotes, for example \"no\""),
    "unquoted on in a text field": (ENHETER, replace("  navn: Helsestasjonen", "  navn: on"),
                                    f"{ENHETER}:2: Unit(id='helsestasjon') field 'navn': was read by YAML as true "
                                    "(yes, no, on, off, true and false without quotes are); write the text in quotes, "
                                    "for example \"no\""),
    "a number where text is expected": (ENHETER, replace("  navn: Helsestasjonen", "  navn: 2.10"),
                                        f"{ENHETER}:2: Unit(id='helsestasjon') field 'navn': was read by YAML as the "
                                        "number 2.1; write it in quotes as it should stand, for example \"2.10\""),
    "control character as a YAML escape": (ENHETER, replace("  navn: Helsestasjonen", '  navn: "Helse\\bstasjonen"'),
                                           f"{ENHETER}:2: " + CONTROL.format("U+0008")),
    "NUL as a YAML escape": (ENHETER, replace("  navn: Helsestasjonen", '  navn: "Helse\\x00"'),
                             f"{ENHETER}:2: " + CONTROL.format("U+0000")),
    "raw control character": (ENHETER, replace("  navn: Helsestasjonen", "  navn: Helse\x07stasjonen"),
                              f"{ENHETER}:2: " + CONTROL.format("U+0007")),
    "line separator U+2028": (ENHETER, replace("  navn: Helsestasjonen", "  navn: Helse\u2028stasjonen"),
                              f"{ENHETER}:2: " + CONTROL.format("U+2028")),
    "line separator as an escape": (ENHETER, replace("  navn: Helsestasjonen", '  navn: "Helse\\u2029"'),
                                    f"{ENHETER}:2: " + CONTROL.format("U+2029")),
    "unknown list value with did-you-mean": (ENHETER, replace("  type: enhet", "  type: enheter"),
                                             f"{ENHETER}:3: Unit(id='helsestasjon') field 'type': enheter is not "
                                             "allowed; did you mean enhet? write one of: enhet, rolle, politisk, "
                                             "samarbeidsorgan or ekstern"),
    "front matter closed with ...": (CHAPTER, replace("kilde: {dokument: testplan, kapittel: \"1\"}\n---",
                                                      "kilde: {dokument: testplan, kapittel: \"1\"}\nfarge: rød\n..."),
                                     f"{CHAPTER}:7: ChapterMeta field 'farge': is not a known field; allowed fields: "
                                     "type, kommune, kapittel, tittel, kilde, description"),
    "unclosed front matter": (CHAPTER, replace("kilde: {dokument: testplan, kapittel: \"1\"}\n---\n",
                                               "kilde: {dokument: testplan, kapittel: \"1\"}\n\n"),
                              f"{CHAPTER}:1: the front matter that starts here has no closing line; write '---' on "
                              "its own line after the last field"),
    "front matter that is a list": (CHAPTER, lambda t: "---\n- a\n- b\n---\n# Innledning\n",
                                    f"{CHAPTER}:2: the front matter must be a block of 'field: value' lines"),
}


def first_problem(site: Path) -> str:
    try:
        load_project(site)
    except DataError as err:
        return err.problems.items and sorted(err.problems.items)[0].format()
    return "no problem found"


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_gives_one_clear_message(tmp_path, case):
    file, change, expected = CASES[case]
    site = make_site(tmp_path / "site")
    path = site / file
    path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
    start = time.perf_counter()
    problem = first_problem(site)
    assert time.perf_counter() - start < 30, "far too slow: a parser limit is missing"
    assert problem == expected


@pytest.mark.parametrize("case", ["nesting 100 000 levels deep", "billion laughs", "empty national file",
                                  "raw control character"])
def test_the_command_line_exits_1_without_a_traceback(tmp_path, case):
    file, change, expected = CASES[case]
    site = make_site(tmp_path / "site")
    path = site / file
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = kb_command(site, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.splitlines()[0] == expected
