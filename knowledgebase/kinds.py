"""The one registry of kinds: every kind of record the knowledge base holds, declared once.

Imports :mod:`models`, :mod:`routes` and :mod:`refs`. A :class:`Kind` names its reference prefix
(``lov`` in ``[[lov:hol/3-1]]``), its Norwegian titles, its model, the data files it is read
from, the route of its page, how its id and title are made, which of its fields point at
other records, and whether it is exported. Loading, the index, references, exports, the
schema, the menu and the editor guide all read :data:`KINDS`; no other module lists kinds.

Adding a kind: add its model to :mod:`models`, one :class:`Kind` here, and its page template
(with a :class:`~knowledgebase.pages.PageSpec`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from . import models as m
from .routes import ROUTES, Route, route

R = TypeVar("R", bound=BaseModel)

KOMMUNE_FOLDER = "kommuner"
"""The folder under ``data/`` that holds one folder per kommune."""

Scope = Literal["national", "kommune", "page"]


def anchor_for(ident: str) -> str:
    """An HTML id for a section on a shared page: letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")


@dataclass(frozen=True)
class FieldRef:
    """A record field that holds ids of other records.

    Attributes:
        field: The field's name.
        kind: The kind its ids belong to.
        local: True when a bare id means a record of the same kommune (``leverandor: helsestasjon``).
    """

    field: str
    kind: str
    local: bool = False


@dataclass(frozen=True)
class Child:
    """A record found inside another record (a law's paragraph, a plan's tiltak).

    ``id``, ``title``, ``page`` and ``anchor`` override what the child's kind would give (a paragraph
    lives on its law's page, under an id of its law's).
    """

    kind: str
    record: BaseModel
    loc: tuple[str | int, ...]
    parent: str | None = None
    id: str | None = None
    title: str | None = None
    page: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Kind(Generic[R]):
    """One kind of record.

    Attributes:
        name: The reference prefix and the key in ``kb.json``, e.g. ``tjeneste``.
        singular: Norwegian name of one, for headings and messages.
        plural: Norwegian name of many.
        example: A reference as an editor writes it, for the editor guide.
        model: The pydantic model of one record.
        scope: ``national`` (data/nasjonalt), ``kommune`` (data/kommuner/<id>) or ``page`` (front matter).
        file: The data file, relative to ``data/`` (national) or the kommune folder; None for kinds found
            inside another kind's records or in pages.
        single: True when the file holds one record instead of a list.
        route: The route of the record's page (see :mod:`routes`).
        anchor: The record's section on a shared page, from its local id; None for a page of its own.
        refs: Fields that point at other records.
        exported: Whether ``kb.json`` lists it.
        referable: Whether editors may write ``[[name:id]]``.
        title: The record's title from the record.
        key: The record's id in references, from the record (default: its ``id``); a kommune's records
            get the kommune in front (``flaa/helsestasjon``) unless ``single``.
        parent: The id of the record's parent, from the record (a recommendation's document).
        children: Records inside a record, registered as their own entries.
        national_file: For a kommune kind that also has national records (statistics), their file.
        national_route: The route of those national records.
        wanted: Fields a reader needs that a source may lack, with their Norwegian labels: the editors'
            list of what is missing (the «Mangler i kilden» page) names them.
        template: The page template of a record, for kinds whose pages need nothing but the record
            (see :data:`~knowledgebase.pages.SPECS`; other kinds have their own page spec there).
        summary: What a reference of this kind points at, for the editor guide (default: ``singular``).
    """

    name: str
    singular: str
    plural: str
    example: str
    model: type[R]
    scope: Scope
    route: str
    file: str | None = None
    single: bool = False
    anchor: Callable[[str], str] | None = None
    refs: tuple[FieldRef, ...] = ()
    exported: bool = True
    referable: bool = True
    title: Callable[[Any], str] = field(default=lambda r: str(getattr(r, "tittel", None) or getattr(r, "navn", "")))
    key: Callable[[Any], str] = field(default=lambda r: str(r.id))
    parent: Callable[[Any], str | None] = field(default=lambda r: None)
    children: Callable[[Any], Iterator[Child]] | None = None
    national_file: str | None = None
    national_route: str | None = None
    summary: str = ""
    template: str | None = None
    wanted: tuple[tuple[str, str], ...] = ()

    def page(self, local_id: str, kommune: str | None, parent: str | None = None) -> str:
        """The source path of the page a record of this kind is shown on."""
        name = self.route if kommune or not self.national_route else self.national_route
        return route(name, id=local_id, kommune=kommune or "", dokument=parent or "", name=local_id)


def _law_children(law: m.Law) -> Iterator[Child]:
    name = law.korttittel or law.tittel
    for i, p in enumerate(law.paragrafer):
        title = f"{name} kap. {p.nr[4:].strip()}" if p.is_chapter else f"{name} § {p.nr}"
        anchor = "kap-" + anchor_for(p.key[3:]) if p.is_chapter else "paragraf-" + anchor_for(p.key)
        yield Child("lov", p, ("paragrafer", i), parent=law.id, id=f"{law.id}/{p.key}", title=title,
                    page=route("lov", id=law.id), anchor=anchor)


def _plan_children(plan: m.Handlingsplan) -> Iterator[Child]:
    for goal, tiltak_list, loc in iter_plan(plan):
        if goal is not None:
            yield Child("mal", goal, loc)
        for t, tiltak in enumerate(tiltak_list):
            yield Child("tiltak", tiltak, loc + ("tiltak", t), parent=goal.id if goal is not None else None)


def iter_plan(plan: m.Handlingsplan) -> Iterator[tuple[m.Goal | None, list[m.Tiltak], tuple[str | int, ...]]]:
    """Yield (goal or None, its tiltak, location in the YAML) for every group of tiltak in a plan."""
    for a, area in enumerate(plan.omrader):
        if area.tiltak:
            yield None, area.tiltak, ("omrader", a)
        for g, goal in enumerate(area.mal):
            yield goal, goal.tiltak, ("omrader", a, "mal", g)
    for g, goal in enumerate(plan.kapittelmal):
        yield goal, goal.tiltak, ("kapittelmal", g)


def _term_title(t: m.Term) -> str:
    if t.forkortelse and t.term:
        return f"{t.forkortelse} ({t.term})"
    return t.term or t.forkortelse or t.id


LOV = Kind("lov", "Lov eller forskrift", "Lover og forskrifter", "lov:hol, lov:hol/3-1, lov:fhl/kap2",
    m.Law, "national", "lov", file="nasjonalt/lover.yml",
    refs=(FieldRef("erstattet_av", "lov"),),
    title=lambda r: r.korttittel or r.tittel, children=_law_children)

DOKUMENT = Kind("dokument", "Nasjonalt dokument", "Nasjonale dokumenter", "dokument:is-1332",
    m.Document, "national", "dokument", file="nasjonalt/dokumenter.yml",
    refs=(FieldRef("erstattet_av", "dokument"),))

ANBEFALING = Kind("anbefaling", "Anbefaling", "Anbefalinger", "anbefaling:is-1332/2.5-1",
    m.Recommendation, "national", "anbefalinger", file="nasjonalt/anbefalinger.yml",
    anchor=lambda i: anchor_for("rad-" + i.rsplit("/", 1)[-1]), refs=(FieldRef("dokument", "dokument"),),
    title=lambda r: f"Råd {r.id}: {r.tema}", key=lambda r: f"{r.dokument}/{r.id}",
    parent=lambda r: r.dokument)

BEGREP = Kind("begrep", "Begrep", "Begreper", "begrep:rop", m.Term, "national", "begreper",
    file="nasjonalt/begreper.yml", anchor=anchor_for, title=_term_title, summary="Begrep i ordlisten")

HJELPETELEFON = Kind("hjelpetelefon", "Hjelpetelefon", "Hjelpetelefoner", "hjelpetelefon:113", m.Helpline, "national",
    "akutt-hjelp", file="nasjonalt/hjelpetelefoner.yml", anchor=lambda i: "tlf-" + anchor_for(i))

VERKTOY = Kind("verktoy", "Verktøy", "Verktøy", "verktoy:audit", m.Tool, "national", "verktoy",
    file="nasjonalt/verktoy.yml", summary="Kartleggingsverktøy")

FORLOP = Kind("forlop", "Hovedforløp", "Hovedforløp", "forlop:1", m.Pathway, "national", "forlop",
    file="nasjonalt/hovedforlop.yml", title=lambda r: f"Hovedforløp {r.id}: {r.navn}")

KRAV = Kind("krav", "Krav", "Krav til rutiner og samarbeid", "krav:is-1332-tolk", m.Requirement, "national",
    "krav", file="nasjonalt/krav.yml", anchor=anchor_for, refs=(FieldRef("hjemmel", "lov"),),
    summary="Krav til rutiner")

PRINSIPP = Kind("prinsipp", "Prinsipp", "Ansvar, forebygging og samarbeid", "prinsipp:en-dor-inn", m.Principle,
    "national", "prinsipper", file="nasjonalt/prinsipper.yml", anchor=anchor_for,
    refs=(FieldRef("hjemmel", "lov"), FieldRef("enheter", "enhet"), FieldRef("krav", "krav")),
    summary="Ansvar, forebyggingsnivå eller samarbeidsprinsipp")

KOMMUNE = Kind("kommune", "Kommune", "Kommuner", "kommune:flaa", m.Kommune, "kommune", "kommune",
    file="kommune.yml", single=True)

ENHET = Kind("enhet", "Enhet eller rolle", "Enheter og roller", "enhet:flaa/helsestasjon", m.Unit, "kommune",
    "enhet", file="enheter.yml", refs=(FieldRef("del_av", "enhet", local=True),),
    wanted=(("beskrivelse", "Beskrivelse"),))

TJENESTE = Kind("tjeneste", "Tjeneste", "Tjenester", "tjeneste:flaa/helsestasjon", m.Service, "kommune",
    "tjeneste", file="tjenester.yml",
    refs=(FieldRef("leverandor", "enhet", local=True), FieldRef("hjemmel", "lov"),
           FieldRef("anbefalinger", "anbefaling"), FieldRef("verktoy", "verktoy"),
           FieldRef("hovedforlop", "forlop"), FieldRef("hjelpetelefon", "hjelpetelefon")),
    wanted=(("beskrivelse", "Hva er tjenesten"), ("hvem", "Hvem kan få den"), ("tilgang", "Slik får du hjelp"),
            ("pris", "Hva koster det"), ("klage", "Klage"), ("kontakt", "Kontakt"), ("apningstid", "Åpningstid"),
            ("leverandor", "Hvem gir tjenesten"), ("sist_kontrollert", "Sist kontrollert"), ("slag", "Slag")))

ANSVAR = Kind("ansvar", "Ansvar", "Ansvar", "ansvar:flaa/individuell-plan", m.Responsibility, "kommune", "ansvar",
    file="ansvar.yml", title=lambda r: r.plikt,
    refs=(FieldRef("hjemmel", "lov"), FieldRef("enheter", "enhet", local=True),
           FieldRef("tjenester", "tjeneste", local=True), FieldRef("rutiner", "rutine"),
           FieldRef("krav", "krav")),
    wanted=(("hjemmel", "Hjemmel"), ("enheter", "Ansvarlig enhet")))

HANDLINGSPLAN = Kind("handlingsplan", "Handlingsplan", "Handlingsplaner", "handlingsplan:flaa", m.Handlingsplan,
    "kommune", "handlingsplan", file="handlingsplan.yml", single=True, children=_plan_children, exported=False)

MAL = Kind("mal", "Mål", "Mål", "mal:flaa/2.1", m.Goal, "kommune", "handlingsplan",
    anchor=lambda i: anchor_for("mal-" + i), refs=(FieldRef("kapittel", "kapittel", local=True),),
    title=lambda r: f"Mål {r.nummer}" if r.nummer else "Mål", summary="Mål i handlingsplanen")

TILTAK = Kind("tiltak", "Tiltak", "Tiltak", "tiltak:flaa/2.1.3", m.Tiltak, "kommune", "tiltak",
    refs=(FieldRef("ansvarlige_enheter", "enhet", local=True), FieldRef("tjenester", "tjeneste", local=True),
           FieldRef("mal", "mal", local=True), FieldRef("anbefalinger", "anbefaling"),
           FieldRef("hovedforlop", "forlop"), FieldRef("kapittel", "kapittel", local=True)),
    title=lambda r: f"Tiltak {r.nummer or r.id}", summary="Tiltak i handlingsplanen",
    wanted=(("frist_ar", "Frist (år)"), ("ansvarlige_enheter", "Ansvarlig enhet (lenket)")))

INDIKATOR = Kind("indikator", "Indikator", "Indikatorer", "indikator:flaa/arsverk, nasjonalt: indikator:ungdata-2017",
    m.Indicator, "kommune", "kommunestatistikk", file="indikatorer.yml",
    anchor=lambda i: anchor_for("ind-" + i), national_file="nasjonalt/indikatorer.yml",
    national_route="statistikk")

KAPITTEL = Kind("kapittel", "Plankapittel", "Plankapitler", "kapittel:flaa/4.1", m.ChapterMeta, "page", "kapittel",
    refs=(FieldRef("kommune", "kommune"),), title=lambda r: f"{r.kapittel} {r.tittel}",
    key=lambda r: f"{r.kommune}/{r.kapittel}", summary="Kapittel i en plan")

RUTINE = Kind("rutine", "Rutine", "Rutiner", "rutine:individuell-plan", m.RoutineMeta, "page", "rutine",
    refs=(FieldRef("ansvar", "enhet"), FieldRef("hjemmel", "lov"), FieldRef("verktoy", "verktoy"),
           FieldRef("tjenester", "tjeneste"), FieldRef("krav", "krav"),
           FieldRef("gjelder_for", "kommune")))

KILDE = Kind("kilde", "Kildedokument", "Kildedokumenter", "kilde:flaa-plan", m.SourceDocument, "national", "om",
    file="kilder.yml", referable=False, refs=(FieldRef("dokument", "dokument"),))

SIDE = Kind("side", "Side", "Sider", "", m.PageMeta, "page", "om", exported=False, referable=False)

KINDS: dict[str, Kind[Any]] = {k.name: k for k in (
    LOV, DOKUMENT, ANBEFALING, BEGREP, HJELPETELEFON, VERKTOY, FORLOP, KRAV, PRINSIPP, KOMMUNE, ENHET, TJENESTE,
    ANSVAR, HANDLINGSPLAN, MAL, TILTAK, INDIKATOR, KAPITTEL, RUTINE, KILDE, SIDE,
)}
"""Every kind, in the order backlinks and exports list them."""



def register(kind: Kind[Any], pattern: str | None = None, in_menu: bool = False) -> None:
    """Add a kind (and, given ``pattern``, the route of its pages) to the registry.

    The kinds above are registered when this module is imported; a project or a test adds its own
    kind with this before it loads data.
    """
    if pattern is not None:
        ROUTES[kind.route] = Route(pattern, in_menu=in_menu)
    KINDS[kind.name] = kind


def ref_types() -> dict[str, str]:
    """Every reference type with a short description; the editor guide lists these."""
    return {k.name: f"{k.summary or k.singular} ({k.example})" for k in KINDS.values() if k.referable}


def page_kinds() -> dict[str, Kind[Any]]:
    """Front matter ``type:`` values and their kinds; other pages are plain pages (``side``)."""
    return {k.name: k for k in KINDS.values() if k.scope == "page" and k.name != "side"}


def export_kinds() -> list[Kind[Any]]:
    """The kinds ``kb.json`` lists, each under its own key, in registry order."""
    return [k for k in KINDS.values() if k.exported]


def national_files() -> dict[str, type[BaseModel]]:
    """National data files (relative to ``data/``) and the model of their records."""
    files: dict[str, type[BaseModel]] = {}
    for k in KINDS.values():
        if k.scope == "national" and k.file:
            files[k.file] = k.model
        if k.national_file:
            files[k.national_file] = k.model
    return files


def kommune_files() -> dict[str, Kind[Any]]:
    """Per-kommune data files and their kinds."""
    return {k.file: k for k in KINDS.values() if k.scope == "kommune" and k.file}


def where_defined(name: str) -> str:
    """Where an editor finds the records of a kind, for messages."""
    kind = KINDS[name]
    if kind.file:
        return f"data/{kind.file}" if kind.scope == "national" else kind.file
    if name in ("mal", "tiltak"):
        return "handlingsplan.yml"
    if kind.scope == "page":
        return "docs/" + route(kind.route, kommune="<kommune>", name="<side>").rsplit("/", 1)[0] + "/"
    return ""


COVERAGE_ANSWER_KINDS = ("tiltak", "tjeneste", "rutine", "ansvar", "enhet", "kapittel", "mal")
"""Kinds of record that can answer a national recommendation or carry a requirement, in the order the
coverage matrices list them (see :mod:`coverage`)."""
KOMMUNE_SUMMARY_KINDS = ("tjeneste", "tiltak", "ansvar", "enhet")
"""Kinds counted on a kommune's coverage summary and dated on its «Til kontroll» list."""
