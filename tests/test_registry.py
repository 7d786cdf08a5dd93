"""The registry of kinds and the route map are the only places that list kinds and spell page paths.

Adding a kind is one registry entry, one model class and one template: the test below adds a kind
to a fixture project that way and finds it loaded, validated, referenced, rendered and exported.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

from pydantic import Field
from sitekit import make_site

from knowledgebase import models as m
from knowledgebase.build import load_project
from knowledgebase.errors import DataError
from knowledgebase.exports import kb_json
from knowledgebase.kinds import KINDS, FieldRef, Kind, register
from knowledgebase.pages import Site, make_environment, render_pages
from knowledgebase.routes import ROUTES
from knowledgebase.schema import all_schemas

PACKAGE = Path(__file__).resolve().parents[1] / "knowledgebase"


class Vedtak(m.Record):
    """A decision (the extra kind of the test)."""

    id: m.Id
    tittel: m.Line
    hjemmel: list[m.RefId] = Field(default_factory=list)
    kilde: m.Source


VEDTAK_YML = """\
- id: bolig-2024
  tittel: Vedtak om bolig med oppfølging
  hjemmel: [hol/3-1]
  kilde: {dokument: testplan, kapittel: "3"}
"""

TEMPLATE = """{# Vedtak page. Context: entry, vedtak (Vedtak). #}
# {{ vedtak.tittel }}

Hjemmel: {% for h in vedtak.hjemmel %}[[lov:{{ h }}]]{% endfor %}
"""


def add_vedtak(monkeypatch, site: Path) -> Path:
    """Register the kind (restored after the test), add its data file and its template."""
    monkeypatch.setattr("knowledgebase.kinds.KINDS", dict(KINDS))
    monkeypatch.setattr("knowledgebase.index.KINDS", __import__("knowledgebase.kinds").kinds.KINDS)
    monkeypatch.setattr("knowledgebase.pages.KINDS", __import__("knowledgebase.kinds").kinds.KINDS)
    monkeypatch.setitem(ROUTES, "vedtak", ROUTES["tjeneste"])  # replaced by register(); restored after
    register(Kind("vedtak", "Vedtak", "Vedtak", "vedtak:testby/bolig-2024", Vedtak, "kommune", "vedtak",
                  file="vedtak.yml", refs=(FieldRef("hjemmel", "lov"),), template="vedtak.md.j2"),
             pattern="kommuner/{kommune}/vedtak/{id}.md")
    (site / "data/kommuner/testby/vedtak.yml").write_text(VEDTAK_YML, encoding="utf-8")
    templates = site / "templates"
    templates.mkdir()
    (templates / "vedtak.md.j2").write_text(TEMPLATE, encoding="utf-8")
    return templates


def test_a_new_kind_is_one_registry_entry_one_model_and_one_template(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    templates = add_vedtak(monkeypatch, site)
    services = site / "data/kommuner/testby/tjenester.yml"
    text = services.read_text(encoding="utf-8")
    name = "  navn: Samtaler med psykiatrisk sykepleier\n"
    assert name in text
    services.write_text(text.replace(name, name + "  hvem: Se [[vedtak:testby/bolig-2024]].\n", 1), encoding="utf-8")
    index = load_project(site).index

    entry = index.get("vedtak", "testby/bolig-2024")
    assert entry is not None and entry.page == "kommuner/testby/vedtak/bolig-2024.md"
    assert ("tjeneste", "testby/samtaler") in index.backlinks[entry.key]  # a reference to it resolved
    assert entry.key in index.backlinks[("lov", "hol/3-1")]  # its own reference field was checked
    pages = {p.src_uri: p for p in render_pages(Site(index, date(2026, 11, 1), make_environment([templates])))}
    page = pages["kommuner/testby/vedtak/bolig-2024.md"]
    assert page.markdown.startswith("# Vedtak om bolig med oppfølging")
    assert page.source_file == "data/kommuner/testby/vedtak.yml"
    assert '"vedtak":[{"id":"testby/bolig-2024","type":"vedtak","url":"kommuner/testby/vedtak/bolig-2024/"' \
        in kb_json(index)
    assert "vedtak.schema.json" in all_schemas()


def test_a_new_kind_is_checked_like_the_others(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    add_vedtak(monkeypatch, site)
    path = site / "data/kommuner/testby/vedtak.yml"
    path.write_text(VEDTAK_YML.replace("[hol/3-1]", "[hol/3-99]"), encoding="utf-8")
    try:
        load_project(site)
    except DataError as err:
        assert str(err).splitlines()[0] == (
            "data/kommuner/testby/vedtak.yml:3: Vedtak(id='bolig-2024') field 'hjemmel': 'hol/3-99' is not a known "
            "lov eller forskrift (lov); did you mean 'hol/3-1'? use the id of an existing record in "
            "data/nasjonalt/lover.yml")
    else:
        raise AssertionError("a reference to a missing paragraph was accepted")


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _route_prefixes() -> set[str]:
    """The fixed first parts of the route patterns: 'regelverk/', 'kommuner/', 'begreper.md', ..."""
    prefixes = set()
    for r in ROUTES.values():
        first = r.pattern.split("/")[0]
        prefixes.add(first + ("/" if "/" in r.pattern else ""))
    return prefixes - {"index.md"}


def test_no_module_but_the_route_map_spells_a_page_path():
    prefixes = _route_prefixes()
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "routes.py":
            continue
        for line, value in _strings(path):
            if any(value.startswith(p) for p in prefixes) and not value.startswith("kommuner/<"):
                found.append(f"{path.name}:{line}: {value!r}")
    for path in sorted((PACKAGE / "templates").glob("*.j2")):
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for literal in re.findall(r"rel\(\s*\"([^\"]*)\"", text):
                found.append(f"{path.name}:{n}: rel({literal!r}...) (use url(route, ...))")
    assert not found, "page paths spelt outside knowledgebase/routes.py:\n" + "\n".join(found)


def test_no_module_but_the_registry_lists_kinds():
    names = set(KINDS)
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in ("kinds.py", "routes.py"):  # the registry, and the route map's names
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                kinds = [i.value for i in items if isinstance(i, ast.Constant) and i.value in names]
                if len(kinds) >= 4:
                    found.append(f"{path.name}:{node.lineno}: {kinds}")
    assert not found, "lists of kinds outside knowledgebase/kinds.py:\n" + "\n".join(found)
