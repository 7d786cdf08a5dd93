"""Generated pages: each declared as a route, a template and a small context function.

Imports :mod:`models`, :mod:`kinds`, :mod:`routes`, :mod:`index` and :mod:`charts`. Templates
live in ``knowledgebase/templates`` and own all markup; a :class:`PageSpec` only names a route,
a template, what to make a page for, and the context. References inside generated Markdown
are written ``[[type:id]]`` and resolved like those in hand-written pages, so one resolver
turns every reference into a relative link.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import models as m
from .charts import render_chart
from .escape import front_matter_value, markdown_plain, markdown_text
from .index import TYPE_TITLES, Entry, Index, anchor_for, natural_key, plain_excerpt
from .kinds import KINDS, Kind, ref_types
from .routes import params_of, route, route_of

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class GeneratedPage:
    """One page to hand to MkDocs: where it lives, its Markdown, and the data file behind it."""

    src_uri: str
    markdown: str
    source_file: str | None


def _cell(value: object) -> str:
    """Make a value safe inside a Markdown table cell.

    A '|' is escaped except inside a ``[[type:id|label]]`` reference, which becomes a link
    (without the '|') before Markdown reads the table.
    """
    text = re.sub(r"\s*\n\s*", " ", "" if value is None else str(value))
    parts = re.split(r"(\[\[[^\]]*\]\])", text)
    return "".join(part if part.startswith("[[") else part.replace("|", "\\|") for part in parts)


def _markdown_field(value: object) -> Markup:
    """A Markdown field of a record, as Markdown: validated at load (no HTML, no attribute lists, only safe
    link addresses), so only ``& < > { }`` need escaping here."""
    return Markup(str(markdown_text(value)).replace("&#34;", '"').replace("&#39;", "'"))


def _nok(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


def _ref(entry: Entry[Any] | None, label: str | None = None) -> str:
    if entry is None:
        return ""
    return f"[[{entry.type}:{entry.id}|{label}]]" if label else f"[[{entry.type}:{entry.id}]]"


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else m.NOT_STATED


MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")


def _long_date(value: date) -> str:
    """A date as a reader says it: '4. desember 2026'."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def law_url(law: m.Law) -> str:
    """Lovdata's address of a law or regulation, derived from its identifier."""
    if law.url:
        return law.url
    kind, rest = law.lovdata_id.split("-", 1)
    return f"https://lovdata.no/{'lov' if kind == 'LOV' else 'forskrift'}/{rest}"


def provision_url(law: m.Law, provision: m.Provision) -> str:
    """Lovdata's address of one paragraph ('/§3-1') or chapter ('/kap2')."""
    if provision.url:
        return provision.url
    key = provision.nr.replace(" ", "").replace(".", "")
    if provision.is_chapter:
        # Lovdata addresses chapters inside the full document: .../KAPITTEL_2
        kind, rest = law.lovdata_id.split("-", 1)
        folder = "NL/lov" if kind == "LOV" else "SF/forskrift"
        return f"https://lovdata.no/dokument/{folder}/{rest}/KAPITTEL_{key[3:].upper()}"
    return law_url(law) + "/§" + key


def relative(target: str, from_page: str) -> str:
    """Relative Markdown link from one generated page's src path to another's."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds, in a folder named after everything that shapes the compiled
    code (Jinja's own cache key is only the template's source, not the environment's escaping)."""
    from .escape import __file__ as escape_module

    key = hashlib.sha256((jinja2.__version__ + "|autoescape|finalize|" + Path(escape_module).read_text("utf-8")
                          + Path(__file__).read_text("utf-8")).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"kb-jinja-{key}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:  # no writable temporary folder: compile every time
        return None


def make_environment(extra_templates: Sequence[Path] = ()) -> jinja2.Environment:
    """The Jinja environment for page templates: Markdown, with every printed value escaped.

    Every ``{{ value }}`` passes :func:`~knowledgebase.escape.markdown_text` unless it is Markdown the
    engine made (macro output, ``|md`` for Markdown fields, rendered charts); see :mod:`escape`.

    Templates in ``extra_templates`` come first, so a project can add the template of a kind of its own.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in extra_templates] + [str(TEMPLATES)]),
        autoescape=True,
        finalize=markdown_text,
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cell=_cell, nok=_nok, ref=_ref, date=_date, anchor=anchor_for, yaml=front_matter_value,
                       md=_markdown_field, longdate=_long_date, plain=markdown_plain)
    env.globals.update(
        NOT_STATED=m.NOT_STATED,
        TYPE_TITLES=TYPE_TITLES,
        SITUATION_TITLES=m.SITUATION_TITLES,
        SITUATION_SLUGS=m.SITUATION_SLUGS,
        ACCESS_TITLES=m.ACCESS_TITLES,
        STATUS_TITLES=m.TILTAK_STATUS_TITLES,
        VALIDITY_TITLES=m.VALIDITY_TITLES,
        REF_TYPES=ref_types(),
        law_url=law_url,
        provision_url=provision_url,
    )
    return env




LEGEVAKT, AMK = "116117", "113"
"""Ids of the national legevakt number and the medical emergency number in ``hjelpetelefoner.yml``."""

CONTACT_LABELS = {"sentralbord": "Sentralbord", "servicetorg": "Servicetorget", "epost": "E-post",
                  "nettside": "Nettside", "postadresse": "Postadresse", "besoksadresse": "Besøksadresse",
                  "legevakt": "Legevakt", "fastlege": "Fastlege"}
"""The contact facts of a kommune (:class:`~knowledgebase.models.KommuneContact`) and their Norwegian labels."""


PlanGroup = tuple[m.Area, list[tuple[Entry[m.Goal] | None, list[Entry[m.Tiltak]]]]]
"""An area of a handlingsplan, with each of its goals (or None) and the goal's tiltak."""


# --- What every context function gets ---------------------------------------------------------


@dataclass
class Site:
    """The index and what page contexts derive from it, computed once per build."""

    index: Index
    today: date
    env: jinja2.Environment = field(default_factory=make_environment)

    def __post_init__(self) -> None:
        self.root = self.index.root.resolve()
        self._sources: dict[Path, str] = {}
        # The shared macros read these as globals, so Jinja can import them once, not per page.
        self.env.globals.update(index=self.index, excerpt=self.excerpt)

    def excerpt(self, text: str | None, length: int) -> str:
        """Plain text of at most ``length`` characters: references become their titles, never half a link."""
        return plain_excerpt(self.index, text, length)

    def source_of(self, entry: Entry[Any]) -> str | None:
        """The data file behind an entry, relative to the project root."""
        if not entry.file:
            return None
        found = self._sources.get(entry.file)
        if found is None:
            try:
                found = Path(entry.file).resolve().relative_to(self.root).as_posix()
            except ValueError:
                found = Path(entry.file).as_posix()
            self._sources[entry.file] = found
        return found

    def of(self, kind: str, kommune: str | None = None) -> list[Entry[Any]]:
        return self.index.of_type(kind, kommune)

    @cached_property
    def decorated(self) -> dict[str, Entry[Any]]:
        """Hand-written pages that get a facts box or backlinks: routines and plan chapters."""
        return {e.page: e for kind in ("rutine", "kapittel") for e in self.of(kind)}

    @cached_property
    def hand_written(self) -> set[str]:
        return {page.src_uri for page in self.index.pages}

    @cached_property
    def stale_sentences(self) -> dict[str, list[Any]]:
        """Per kommune, the sentences in the future tense about a past year (for «Til kontroll»)."""
        from .checklist import stale_sentences_by_kommune

        return stale_sentences_by_kommune(self.index, self.today)

    @cached_property
    def crisis_lines(self) -> list[Entry[m.Helpline]]:
        return [e for e in self.helplines if e.record.akutt]

    @cached_property
    def fallback_lines(self) -> dict[str, Entry[m.Helpline] | None]:
        """The numbers a page offers when a service gives no contact of its own: the legevakt, and 113."""
        return {"urgent": self.index.get("hjelpetelefon", LEGEVAKT), "emergency": self.index.get("hjelpetelefon", AMK)}

    @cached_property
    def helplines(self) -> list[Entry[m.Helpline]]:
        return sorted(self.of("hjelpetelefon"), key=lambda e: (e.record.rekkefolge, e.id))

    def services(self, kommune: str) -> list[Entry[m.Service]]:
        return sorted(self.of("tjeneste", kommune), key=lambda e: e.title.lower())

    def chapters(self, kommune: str) -> list[Entry[m.ChapterMeta]]:
        return sorted(self.of("kapittel", kommune), key=lambda e: natural_key(e.record.kapittel))

    def situations(self, kommune: str) -> list[tuple[str, str, list[Entry[m.Service]], list[Entry[m.Service]]]]:
        """Everyday situations with services in a kommune: (key, title, current services, planned services)."""
        out = []
        services = self.services(kommune)
        for key, title in m.SITUATION_TITLES.items():
            matching = [e for e in services if key in e.record.situasjoner]
            current = sorted((e for e in matching if e.record.status == "eksisterende"), key=_service_order)
            planned = [e for e in matching if e.record.status == "planlagt"]
            if current or planned:
                out.append((key, title, current, planned))
        return out

    def situation_links(self, kommune: str) -> list[tuple[str, str, int]]:
        """(slug, title, number of current services) of each situation page of a kommune."""
        return [(m.SITUATION_SLUGS[key], title, len(current)) for key, title, current, _ in self.situations(kommune)]

    def plan_groups(self, kommune: str) -> list[PlanGroup]:
        """The handlingsplan's areas, each with its goals (or None) and their tiltak entries."""
        plan = self.index.plan_of(kommune)
        if plan is None:
            return []
        entries = self.index.entries
        groups = []
        for area in plan.omrader:
            goals: list[tuple[Entry[m.Goal] | None, list[Entry[m.Tiltak]]]] = []
            if area.tiltak:
                goals.append((None, [entries[("tiltak", f"{kommune}/{t.id}")] for t in area.tiltak]))
            for goal in area.mal:
                goals.append((entries[("mal", f"{kommune}/{goal.id}")],
                              [entries[("tiltak", f"{kommune}/{t.id}")] for t in goal.tiltak]))
            groups.append((area, goals))
        return groups


def _service_order(entry: Entry[m.Service]) -> tuple[int, int, str]:
    """Municipal low-threshold services first, then by how easy they are to reach, then by name."""
    level = {"kommunal": 0, "interkommunal": 1, "frivillig": 2, "statlig": 3, "privat": 4, "spesialisthelsetjeneste": 5}
    service = entry.record
    easy = 0 if "selvhenvisning" in service.tilgang else 1 if service.tilgang else 2
    return (level.get(service.niva, 9), easy, service.navn.lower())


# --- Page specs --------------------------------------------------------------------------------

Context = dict[str, Any]


@dataclass(frozen=True)
class PageSpec:
    """One kind of generated page.

    Attributes:
        route: The route name (see :mod:`routes`) of the page's address.
        template: The Jinja template that renders it.
        context: ``(site, subject) -> context``; None means no page for this subject.
        each: ``site -> subjects``: one page per subject (a record's entry, a kommune, ...).
        params: ``subject -> route placeholders``.
        source: ``(site, subject) -> data file`` for the page's edit link, or None.
        always: The context is never None, so a shard that does not write the page knows it exists without
            computing the context (some are costly: the «Til kontroll» list, the coverage summary).
    """

    route: str
    template: str
    context: Callable[[Site, Any], Context | None]
    each: Callable[[Site], Iterable[Any]] = lambda site: [None]
    params: Callable[[Any], dict[str, str]] = lambda subject: {}
    source: Callable[[Site, Any], str | None] = lambda site, subject: None
    always: bool = False


def _records(kind: str) -> Callable[[Site], list[Entry[Any]]]:
    return lambda site: site.of(kind)


def _record_params(entry: Entry[Any]) -> dict[str, str]:
    return {"id": entry.local_id, "kommune": entry.kommune or ""}


def _own_source(site: Site, entry: Entry[Any]) -> str | None:
    return site.source_of(entry)


def _kommune_params(kommune: Entry[m.Kommune]) -> dict[str, str]:
    return {"kommune": kommune.id}


def _national(file: str) -> Callable[[Site, Any], str]:
    return lambda site, subject: f"data/{file}"


def _kommune_file(file: str) -> Callable[[Site, Entry[Any]], str]:
    return lambda site, kommune: f"data/kommuner/{kommune.id}/{file}"


def _each_kommune(site: Site) -> list[Entry[m.Kommune]]:
    return site.index.kommuner()


def _replacement(site: Site, kind: str, entry: Entry[Any]) -> tuple[Entry[Any] | None, list[Entry[Any]]]:
    """What replaced a law or document, and what it replaced."""
    new = site.index.get(kind, entry.record.erstattet_av) if entry.record.erstattet_av else None
    old = [e for e in site.of(kind) if e.parent is None and e.record.erstattet_av == entry.id]
    return new, old


# National pages


def _law(site: Site, entry: Entry[m.Law]) -> Context:
    idx = site.index
    provisions = [idx.entries[("lov", f"{entry.id}/{p.key}")] for p in entry.record.paragrafer]
    replaced_by, replaces = _replacement(site, "lov", entry)
    return {"entry": entry, "law": entry.record, "provisions": [(p, idx.backlinks_of(p.key)) for p in provisions],
            "replaced_by": replaced_by, "replaces": replaces}


def _laws(site: Site) -> list[Entry[m.Law]]:
    return [e for e in site.of("lov") if e.parent is None]


def _document(site: Site, entry: Entry[m.Document]) -> Context:
    replaced_by, replaces = _replacement(site, "dokument", entry)
    return {"entry": entry, "doc": entry.record, "replaced_by": replaced_by, "replaces": replaces,
            "recommendations": [e for e in site.of("anbefaling") if e.parent == entry.id],
            "chapters_today": _chapters_today(site, entry)}


def _chapters_today(site: Site, entry: Entry[m.Document]) -> list[tuple[int, str, str, list[m.CoveredToday]]]:
    """(number, title, page name, what covers it today) of each chapter of a document that says so."""
    if not entry.record.dekkes_i_dag:
        return []
    pages = {page.src_uri: page for page in site.index.pages}
    return [(n, pages[src].meta.title or f"Kapittel {n}", params_of(src)["name"], site.index.covered_today(entry.id, n))
            for n, src in site.index.guide_chapters(entry.id).items()]


def _chapter_of(recommendation: m.Recommendation) -> int | None:
    """The chapter number of a recommendation ('2.5' -> 2)."""
    head = recommendation.kapittel.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _recommendation_docs(site: Site) -> list[Entry[m.Document]]:
    with_recs = {e.parent for e in site.of("anbefaling")}
    return [e for e in site.of("dokument") if e.id in with_recs]


def _recommendations(site: Site, doc: Entry[m.Document]) -> Context:
    items = sorted((e for e in site.of("anbefaling") if e.parent == doc.id), key=lambda e: natural_key(e.record.id))
    today = {e.id: site.index.covered_today(doc.id, n) for e in items if (n := _chapter_of(e.record)) is not None}
    return {"doc": doc, "items": [(e, site.index.backlinks_of(e.key)) for e in items], "covered": today}


def _with_backlinks(site: Site, entries: list[Entry[Any]]) -> list[tuple[Entry[Any], dict[str, list[Entry[Any]]]]]:
    return [(e, site.index.backlinks_of(e.key)) for e in entries]


def _glossary(site: Site, _: None) -> Context | None:
    terms = sorted((e for e in site.of("begrep") if e.record.explained), key=lambda e: e.title.lower())
    return {"items": _with_backlinks(site, terms)} if terms else None


def _unexplained_terms(site: Site, _: None) -> Context | None:
    """The editors' list of abbreviations the sources use without saying what they mean."""
    terms = sorted((e for e in site.of("begrep") if not e.record.explained), key=lambda e: e.title.lower())
    return {"items": _with_backlinks(site, terms)} if terms else None


def _national_gaps(site: Site, _: None) -> Context | None:
    """The editors' list of what the national layer still lacks: documents whose status no source settles, and
    chapters of an old guideline with no confirmed chapter of today's guideline (``dekkes_i_dag``)."""
    unknown = sorted((e for e in site.of("dokument") if e.record.status == "ukjent"), key=lambda e: e.title.lower())
    chapters = [(doc, covered, title, name)
                for doc in sorted(site.of("dokument"), key=lambda e: e.title.lower())
                for _, title, name, today in _chapters_today(site, doc)
                for covered in today if covered.dagens_kapittel is None]
    return {"unknown": unknown, "chapters": chapters} if unknown or chapters else None


def _tools(site: Site) -> list[Entry[m.Tool]]:
    return sorted(site.of("verktoy"), key=lambda e: e.title.lower())


def _pathway(site: Site, entry: Entry[m.Pathway]) -> Context:
    per_kommune = [(k, [e for e in site.of("tjeneste", k.id) if entry.id in e.record.hovedforlop],
                    [e for e in site.of("tiltak", k.id) if entry.id in e.record.hovedforlop])
                   for k in site.index.kommuner()]
    return {"entry": entry, "pathway": entry.record, "per_kommune": per_kommune}


def _principles(site: Site, _: None) -> Context | None:
    principles = site.of("prinsipp")
    groups = []
    for kind, title in m.PRINCIPLE_TITLES.items():
        items = sorted((e for e in principles if e.record.type == kind), key=lambda e: (e.record.rekkefolge, e.id))
        if items:
            groups.append((kind, title, _with_backlinks(site, items)))
    return {"groups": groups} if groups else None


def _statistics(site: Site, kommune: Entry[m.Kommune] | None) -> Context | None:
    items = [e for e in site.of("indikator", kommune.id if kommune else None) if kommune or not e.kommune]
    return {"kommune": kommune, "items": [(e, Markup(render_chart(e.record) or "")) for e in items]} if items else None


def _listing(name: str, kind: str, order: Callable[[Site], list[Entry[Any]]] | None = None,
             ) -> Callable[[Site, Any], Context | None]:
    """The context of a national list page: ``{name: entries}``, or no page when there are none."""

    def context(site: Site, _: None) -> Context | None:
        entries = order(site) if order else site.of(kind)
        return {name: entries} if entries else None

    return context


# Kommune pages


def _kommune(site: Site, kommune: Entry[m.Kommune]) -> Context:
    kid = kommune.id
    counts = {kind: len(site.of(kind, kid)) for kind in KINDS}
    return {"entry": kommune, "kommune": kommune.record, "situations": site.situation_links(kid), "counts": counts,
            "chapters": site.chapters(kid), "has_plan": site.index.plan_of(kid) is not None}


def _unit(site: Site, entry: Entry[m.Unit]) -> Context:
    kid, local, unit = entry.kommune or "", entry.local_id, entry.record
    return {
        "entry": entry, "unit": unit, "kommune": site.index.entries[("kommune", kid)],
        "owned": [t for t in site.of("tiltak", kid) if local in t.record.ansvarlige_enheter],
        "provided": [s for s in site.services(kid) if s.record.leverandor == local],
        "carries": [d for d in site.of("ansvar", kid) if local in d.record.enheter],
        "parts": [u for u in site.of("enhet", kid) if u.record.del_av == local],
        "parent": site.index.get("enhet", f"{kid}/{unit.del_av}") if unit.del_av else None,
    }


def _service(site: Site, entry: Entry[m.Service]) -> Context:
    kid, service = entry.kommune or "", entry.record
    return {"entry": entry, "service": service, "kommune": site.index.entries[("kommune", kid)],
            "provider": site.index.get("enhet", f"{kid}/{service.leverandor}") if service.leverandor else None,
            "helpline": site.index.get("hjelpetelefon", service.hjelpetelefon) if service.hjelpetelefon else None,
            **site.fallback_lines}


def _kommune_contact(site: Site, kommune: Entry[m.Kommune]) -> Context:
    return {"kommune": kommune, "contact": kommune.record.kontakt, "labels": CONTACT_LABELS, **site.fallback_lines}


def _duty(site: Site, entry: Entry[m.Responsibility]) -> Context:
    return {"entry": entry, "duty": entry.record, "kommune": site.index.entries[("kommune", entry.kommune or "")],
            "routines": site.index.routines_for(entry)}


def _kommune_list(name: str, kind: str) -> Callable[[Site, Entry[m.Kommune]], Context | None]:
    """The context of a kommune's list page: ``{kommune, name: entries}``, or no page when there are none."""

    def context(site: Site, kommune: Entry[m.Kommune]) -> Context | None:
        entries = sorted(site.of(kind, kommune.id), key=lambda e: e.title.lower())
        if not entries:
            return None
        if kind == "ansvar":
            return {"kommune": kommune, name: [(d, site.index.routines_for(d)) for d in site.of(kind, kommune.id)]}
        return {"kommune": kommune, name: entries}

    return context


def _handlingsplan(site: Site, kommune: Entry[m.Kommune]) -> Context | None:
    plan = site.index.plan_of(kommune.id)
    if plan is None:
        return None
    tiltak = site.of("tiltak", kommune.id)
    latest = [t.record.current_status for t in tiltak]
    chapter_goals = [(site.index.entries[("mal", f"{kommune.id}/{g.id}")],
                      site.index.backlinks_of(("mal", f"{kommune.id}/{g.id}"))) for g in plan.kapittelmal]
    return {"kommune": kommune, "plan": plan, "groups": site.plan_groups(kommune.id), "chapter_goals": chapter_goals,
            "total_nok": sum(t.record.okonomi_nok or 0 for t in tiltak), "count": len(tiltak),
            "progress": [(key, latest.count(key)) for key in m.TILTAK_STATUS_TITLES if latest.count(key)]}


def _tiltak_views(site: Site, kommune: Entry[m.Kommune]) -> Context | None:
    """The handlingsplan sorted by unit, by deadline year and by status, with overdue tiltak."""
    if site.index.plan_of(kommune.id) is None:
        return None
    kid = kommune.id
    tiltak = site.of("tiltak", kid)
    by_unit: dict[str | None, list[Entry[m.Tiltak]]] = {}
    for t in tiltak:
        for unit in t.record.ansvarlige_enheter or [None]:
            by_unit.setdefault(unit, []).append(t)

    def unit_title(u: str | None) -> tuple[bool, str]:
        entry = site.index.get("enhet", f"{kid}/{u}") if u else None
        return (u is None, entry.title.lower() if entry else "")

    by_year: dict[int | None, list[Entry[m.Tiltak]]] = {}
    for t in tiltak:
        by_year.setdefault(t.record.frist_ar, []).append(t)
    by_status = [(key, [t for t in tiltak if t.record.current_status == key]) for key in m.TILTAK_STATUS_TITLES]
    return {
        "kommune": kommune,
        "by_unit": [(site.index.get("enhet", f"{kid}/{u}") if u else None, by_unit[u])
                    for u in sorted(by_unit, key=unit_title)],
        "by_year": [(y, by_year[y], sum(t.record.okonomi_nok or 0 for t in by_year[y]))
                    for y in sorted(by_year, key=lambda y: (y is None, y or 0))],
        "by_status": [(k, v) for k, v in by_status if v],
        "overdue": [t for t in tiltak if t.record.is_overdue(site.today)],
        "total_nok": sum(t.record.okonomi_nok or 0 for t in tiltak), "this_year": site.today.year,
    }


def _tiltak(site: Site, entry: Entry[m.Tiltak]) -> Context:
    kid = entry.kommune or ""
    plan = site.index.plan_of(kid)
    assert plan is not None  # a tiltak comes from a plan
    goal = site.index.get("mal", f"{kid}/{entry.parent}") if entry.parent else None
    in_chapter_goal = goal is not None and goal.record in plan.kapittelmal
    area = None if in_chapter_goal else next(
        a for a in plan.omrader
        if any(t.id == entry.local_id for t in a.tiltak)
        or any(t.id == entry.local_id for g in a.mal for t in g.tiltak))
    return {"entry": entry, "tiltak": entry.record, "kommune": site.index.entries[("kommune", kid)], "goal": goal,
            "area": area, "economy": [row for row in plan.okonomitabell if entry.local_id in row.tiltak]}


def _plan_source(site: Site, entry: Entry[Any]) -> str:
    return f"data/kommuner/{entry.kommune}/handlingsplan.yml"


def _chapter_index(site: Site, kommune: Entry[m.Kommune]) -> Context | None:
    chapters = site.chapters(kommune.id)
    return {"kommune": kommune, "chapters": chapters,
            "has_plan": site.index.plan_of(kommune.id) is not None} if chapters else None


def _print(site: Site, kommune: Entry[m.Kommune]) -> Context | None:
    """The whole plan on one page for printing: chapters (headings one level down), then the handlingsplan."""
    chapters = site.chapters(kommune.id)
    plan = site.index.plan_of(kommune.id)
    if not chapters and plan is None:
        return None
    bodies = {p.src_uri: p.body for p in site.index.pages}
    parts = []
    for c in chapters:
        body = re.sub(r"(?m)^(#{1,5}) ", r"#\1 ", bodies[c.page])
        # Explicit heading ids would repeat across chapters; let the table of contents make unique ones.
        body = re.sub(r"(?m)^(#{2,6} .*?)\s*\{\s*#[^}]*\}\s*$", r"\1", body)
        parts.append((c, Markup(body.strip())))  # hand-written pages are the staff's own Markdown
    return {"kommune": kommune, "plan_info": kommune.record.plan, "chapters": parts, "plan": plan,
            "groups": site.plan_groups(kommune.id)}


def _situations(site: Site) -> list[tuple[Entry[m.Kommune], tuple[str, str, list[Entry[m.Service]],
                                                                    list[Entry[m.Service]]]]]:
    return [(k, s) for k in site.index.kommuner() for s in site.situations(k.id)]


def _situation(site: Site, subject: tuple[Entry[m.Kommune], tuple[str, str, list[Any], list[Any]]]) -> Context:
    kommune, (key, title, current, planned) = subject
    return {"kommune": kommune, "key": key, "title": title, "services": current, "planned": planned,
            "crisis": site.crisis_lines if key == "akutt_krise" else [],
            "lines": [e for e in site.helplines if key in e.record.situasjoner and not e.record.akutt],
            **site.fallback_lines}


def _routine_review(site: Site, _: None) -> Context | None:
    routines = sorted(site.of("rutine"), key=lambda e: e.title.lower())
    if not routines:
        return None
    dated = sorted((e for e in routines if e.record.neste_revisjon), key=lambda e: e.record.neste_revisjon)
    overdue = site.index.overdue_routines(site.today)
    return {"overdue": [e for e in dated if e in overdue], "upcoming": [e for e in dated if e not in overdue],
            "undated": [e for e in routines if not e.record.neste_revisjon]}


def _outdated_sources(site: Site, _: None) -> Context:
    """The report of citations of sources no longer in force, grouped per kommune, national pages last."""
    from .currency import outdated_citations

    found = outdated_citations(site.index)
    titles = {k.id: k.title for k in site.index.kommuner()}
    groups = [(titles[k.id], [c for c in found if c.kommune == k.id]) for k in site.index.kommuner()]
    groups.append(("Nasjonale sider", [c for c in found if c.kommune not in titles]))
    return {"groups": [(title, rows) for title, rows in groups if rows], "total": len(found)}


def _coverage_matrix(name: str) -> Callable[[Site, None], Context | None]:
    """A coverage matrix page; recommendations are grouped by their document, with its year and status."""

    def context(site: Site, _: None) -> Context | None:
        from .coverage import matrices

        matrix = matrices(site.index)[name]
        if not matrix.rows or not matrix.kommuner:
            return None
        if name != "anbefalinger":
            return {"matrix": matrix, "groups": [("Alle krav", None, list(matrix.rows))]}
        groups: list[tuple[str, str | None, list[Any]]] = []
        for doc_id in dict.fromkeys(row.subject.parent for row in matrix.rows):
            doc = site.index.get("dokument", doc_id or "")
            rows = [row for row in matrix.rows if row.subject.parent == doc_id]
            if doc is None:
                groups.append((doc_id or "Anbefalinger", None, rows))
                continue
            year = doc.record.ar or "år ikke oppgitt"
            status = m.VALIDITY_TITLES[doc.record.status].lower()
            groups.append((f"{doc.record.nummer or doc.title} ({year}, {status})", _ref(doc), rows))
        return {"matrix": matrix, "groups": groups}

    return context


def _coverage_kommune(site: Site, kommune: Entry[m.Kommune]) -> Context:
    from .coverage import kommune_summary
    from .kinds import KOMMUNE_SUMMARY_KINDS

    return {"summary": kommune_summary(site.index, kommune),
            "records": [(TYPE_TITLES[t][1], len(site.index.of_type(t, kommune.id))) for t in KOMMUNE_SUMMARY_KINDS]}


def _missing(site: Site, k: Entry[m.Kommune]) -> Context:
    """The editors' work list: counts per field, the kommune's contact facts, services without a contact, the rest."""
    from .worklist import missing_fields, work_list

    found = work_list(site.index, k)
    return {"kommune": k, "gaps": missing_fields(site.index, k.id), "counts": found.counts(), "total": len(found.gaps),
            "contact_gaps": [g.field for g in found.gaps if g.entry is None],
            "no_contact": [e for e in site.services(k.id) if not e.record.has_own_contact]}


def _to_check(site: Site, k: Entry[m.Kommune]) -> Context:
    """The editors' «Til kontroll» list: stale future-tense sentences, then every fact oldest first."""
    from .checklist import fact_ages

    ages = fact_ages(site.index, k, site.today, FACT_MAX_AGE_YEARS)
    return {"kommune": k, "sentences": site.stale_sentences.get(k.id, []), "ages": ages,
            "old": sum(1 for a in ages if a.old), "max_age": FACT_MAX_AGE_YEARS, "contact_labels": CONTACT_LABELS}


def _comparison(site: Site, _: None) -> Context | None:
    """The kommuner side by side: services by kind and by situation (also as a chart), figures per 1000
    inhabitants and the handlingsplaner."""
    from .comparison import (
        figures_per_1000,
        services_by_kind,
        services_by_situation,
        services_chart_indicator,
        services_without_kind,
        tiltak_tables,
    )

    kommuner = site.index.kommuner()
    if not kommuner:
        return None
    by_kind, kind_lists = services_by_kind(site.index)
    by_situation = services_by_situation(site.index)
    tables = [by_kind, by_situation, figures_per_1000(site.index), *tiltak_tables(site.index)]
    chart = render_chart(services_chart_indicator(site.index)) or ""
    return {"kommuner": kommuner, "tables": tables, "chart": Markup(chart), "chart_after": by_situation.title,
            "kind_lists": kind_lists, "kinds_after": by_kind.title, "without_kind": services_without_kind(site.index)}


def _dataformat(site: Site, _: None) -> Context:
    from .dataformat import format_rows

    return {"files": format_rows()}


def _open_data(site: Site, _: None) -> Context:
    from .opendata import opendata_page

    context = opendata_page(site.index)
    paths = [p for d in context["datasets"] for p in d["files"]]
    context["links"] = {p: relative(p, route("apne-data")) for p in paths}
    context["links"]["katalog"] = relative(route("eksport-katalog"), route("apne-data"))
    return context


SPECS: list[PageSpec] = [
    # National
    PageSpec("lov", "law.md.j2", _law, _laws, _record_params, _own_source),
    PageSpec("lover", "law_index.md.j2", _listing("laws", "lov", _laws), source=_national("nasjonalt/lover.yml")),
    PageSpec("dokument", "document.md.j2", _document, _records("dokument"), _record_params, _own_source),
    PageSpec("dokumenter", "document_index.md.j2", _listing("docs", "dokument"),
             source=_national("nasjonalt/dokumenter.yml")),
    PageSpec("anbefalinger", "recommendations.md.j2", _recommendations, _recommendation_docs,
             lambda doc: {"dokument": doc.id}, _national("nasjonalt/anbefalinger.yml")),
    PageSpec("utdaterte-kilder", "outdated_sources.md.j2", _outdated_sources),
    PageSpec("sammenligning", "comparison.md.j2", _comparison),
    PageSpec("dekning-anbefalinger", "coverage_matrix.md.j2", _coverage_matrix("anbefalinger"),
             source=_national("nasjonalt/anbefalinger.yml")),
    PageSpec("dekning-krav", "coverage_matrix.md.j2", _coverage_matrix("krav"), source=_national("nasjonalt/krav.yml")),
    PageSpec("begreper", "glossary.md.j2", _glossary, source=_national("nasjonalt/begreper.yml")),
    PageSpec("akutt-hjelp", "helplines.md.j2",
             lambda site, _: {"lines": site.helplines, "kommuner": site.index.kommuner(),
                              "crisis_pages": {k.id for k in site.index.kommuner()
                                               if any(key == "akutt_krise" for key, *_ in site.situations(k.id))}},
             source=_national("nasjonalt/hjelpetelefoner.yml")),
    PageSpec("verktoy", "tool.md.j2", lambda site, e: {"entry": e, "tool": e.record}, _tools, _record_params,
             _own_source),
    PageSpec("verktoyliste", "tool_index.md.j2", _listing("tools", "verktoy", _tools),
             source=_national("nasjonalt/verktoy.yml")),
    PageSpec("forlop", "pathway.md.j2", _pathway, _records("forlop"), _record_params, _own_source),
    PageSpec("forlopliste", "pathway_index.md.j2", _listing("pathways", "forlop"),
             source=_national("nasjonalt/hovedforlop.yml")),
    PageSpec("prinsipper", "principles.md.j2", _principles, source=_national("nasjonalt/prinsipper.yml")),
    PageSpec("statistikk", "statistics.md.j2", _statistics, source=_national("nasjonalt/indikatorer.yml")),
    PageSpec("krav", "requirements.md.j2",
             lambda site, _: {"items": _with_backlinks(site, site.of("krav"))} if site.of("krav") else None,
             source=_national("nasjonalt/krav.yml")),
    # Kommuner
    PageSpec("kommune", "kommune.md.j2", _kommune, _each_kommune, _kommune_params, _own_source),
    PageSpec("kommune-kontakt", "kommune_contact.md.j2", _kommune_contact, _each_kommune, _kommune_params,
             _own_source),
    PageSpec("kommune-om", "kommune_about.md.j2",
             lambda site, k: {"kommune": k.record, "chapters": site.chapters(k.id)}, _each_kommune, _kommune_params,
             _own_source),
    PageSpec("enhet", "unit.md.j2", _unit, _records("enhet"), _record_params, _own_source),
    PageSpec("enheter", "unit_index.md.j2", _kommune_list("units", "enhet"), _each_kommune, _kommune_params,
             _kommune_file("enheter.yml")),
    PageSpec("tjeneste", "service.md.j2", _service, _records("tjeneste"), _record_params, _own_source),
    PageSpec("tjenester", "service_index.md.j2", _kommune_list("services", "tjeneste"), _each_kommune,
             _kommune_params, _kommune_file("tjenester.yml")),
    PageSpec("ansvar", "responsibility.md.j2", _duty, _records("ansvar"), _record_params, _own_source),
    PageSpec("ansvarsliste", "responsibility_index.md.j2", _kommune_list("duties", "ansvar"), _each_kommune,
             _kommune_params, _kommune_file("ansvar.yml")),
    PageSpec("handlingsplan", "handlingsplan.md.j2", _handlingsplan, _each_kommune, _kommune_params,
             _kommune_file("handlingsplan.yml")),
    PageSpec("tiltaksoversikt", "tiltak_views.md.j2", _tiltak_views, _each_kommune, _kommune_params,
             _kommune_file("handlingsplan.yml")),
    PageSpec("tiltak", "tiltak.md.j2", _tiltak, _records("tiltak"), _record_params, _plan_source),
    PageSpec("kommunestatistikk", "statistics.md.j2", _statistics, _each_kommune, _kommune_params,
             _kommune_file("indikatorer.yml")),
    PageSpec("plan", "chapter_index.md.j2", _chapter_index, _each_kommune, _kommune_params),
    PageSpec("utskrift", "print.md.j2", _print, _each_kommune, _kommune_params),
    PageSpec("kommune-dekning", "coverage_kommune.md.j2", _coverage_kommune, _each_kommune, _kommune_params,
             always=True),
    PageSpec("mangler", "missing.md.j2", _missing, _each_kommune, _kommune_params, always=True),
    PageSpec("til-kontroll", "to_check.md.j2", _to_check, _each_kommune, _kommune_params, always=True),
    PageSpec("situasjon", "situation.md.j2", _situation, _situations,
             lambda s: {"kommune": s[0].id, "slug": m.SITUATION_SLUGS[s[1][0]]}),
    PageSpec("front", "front.md.j2",
             lambda site, _: {"kommuner": [(k, site.situation_links(k.id)) for k in site.index.kommuner()]}),
    PageSpec("kommuner", "kommune_index.md.j2", lambda site, _: {"kommuner": site.index.kommuner()}),
    # Routines, editors and developers
    PageSpec("rutiner", "routine_index.md.j2",
             _listing("routines", "rutine", lambda site: sorted(site.of("rutine"), key=lambda e: e.title.lower()))),
    PageSpec("rutinerevisjon", "routine_review.md.j2", _routine_review),
    PageSpec("referanser", "reference_guide.md.j2", lambda site, _: {}),
    PageSpec("uforklarte", "unexplained_terms.md.j2", _unexplained_terms, source=_national("nasjonalt/begreper.yml")),
    PageSpec("nasjonale-mangler", "national_gaps.md.j2", _national_gaps, source=_national("nasjonalt/dokumenter.yml")),
    PageSpec("dataformat", "dataformat.md.j2", _dataformat),
    PageSpec("apne-data", "open_data.md.j2", _open_data),
]
"""Every generated page of the site, besides the record pages of kinds that name a template."""


def _record_spec(kind: Kind[Any]) -> PageSpec:
    """The page of each record of a kind that needs nothing but its record: ``entry``, ``record`` and
    the record under the kind's name."""
    return PageSpec(kind.route, kind.template or "", lambda site, e: {"entry": e, "record": e.record,
                                                                       kind.name: e.record},
                    _records(kind.name), _record_params, _own_source)


def page_specs() -> list[PageSpec]:
    """:data:`SPECS`, and a record page for every kind in the registry that names a template."""
    return SPECS + [_record_spec(k) for k in KINDS.values() if k.template]


def render_page(site: Site, spec: PageSpec, subject: Any, wanted: Callable[[str], bool] | None = None
                ) -> GeneratedPage | None:
    """Render one page of ``spec`` for ``subject``; None where there is nothing to show or a hand-written
    page already sits at its address. A page ``wanted`` refuses gets empty Markdown (a shard writes only its own)."""
    src_uri = route(spec.route, **spec.params(subject))
    if src_uri in site.hand_written:
        return None
    unwanted = wanted is not None and not wanted(src_uri)
    if unwanted and spec.always:
        return GeneratedPage(src_uri, "", spec.source(site, subject))
    context = spec.context(site, subject)
    if context is None:
        if spec.always:  # a shard would list a page the full build does not have
            raise ValueError(f"{src_uri}: PageSpec({spec.route!r}) says always=True, but its context is None")
        return None
    entry = context.get("entry")
    backlinks = site.index.backlinks_of(entry.key) if entry is not None else {}
    source_file = spec.source(site, subject)
    if unwanted:
        return GeneratedPage(src_uri, "", source_file)
    markdown = site.env.get_template(spec.template).render(
        index=site.index, page=src_uri, source_file=source_file, backlinks=backlinks, today=site.today,
        rel=lambda target: relative(target, src_uri),
        url=lambda route_name, /, **params: relative(route(route_name, **params), src_uri),
        written=lambda route_name, /, **params: route(route_name, **params) in site.hand_written, **context)
    return GeneratedPage(src_uri, markdown, source_file)


def render_pages(site: Site, wanted: Callable[[str], bool] | None = None) -> list[GeneratedPage]:
    """Render every generated page (only those ``wanted`` accepts get their Markdown), sorted by address."""
    pages = [page for spec in page_specs() for subject in spec.each(site)
             if (page := render_page(site, spec, subject, wanted)) is not None]
    return sorted(pages, key=lambda p: p.src_uri)


def _outside_facts(contact: m.KommuneContact | None) -> list[tuple[str, m.Fact]]:
    """The contact facts of a kommune that come from a web page rather than the plan."""
    if contact is None:
        return []
    return [(label, fact) for name, label in CONTACT_LABELS.items()
            if (fact := getattr(contact, name)) is not None and fact.nettkilde is not None]


FACT_MAX_AGE_YEARS = 5
"""Facts from a source older than this many years carry a «kan være utdatert» note."""

_NO_AGE_NOTE = {"kommune-kontakt", "mangler"}
"""Kommune pages whose facts are not the plan's (contact facts from web pages, the editors' list)."""


def source_age_note(site: Site, kommune: Entry[m.Kommune]) -> str | None:
    """The sentence that says which year a kommune's facts are from, and whether they may be out of date."""
    plan = kommune.record.plan
    if plan.kildear is None:
        return None
    when = (f"for {plan.periode_fra}–{plan.periode_til}" if plan.periode_fra and plan.periode_til
            else f"fra {plan.kildear}")
    note = f"Opplysningene er fra planen til {kommune.title} kommune {when}."
    if site.today.year - plan.kildear > FACT_MAX_AGE_YEARS:
        note += " De kan være utdatert: sjekk med [kommunen]({contact}) før du bruker dem."
    return note


def _under_heading(markdown: str, block: str) -> str:
    """``block`` inserted under the page's first level-1 heading."""
    return re.sub(r"(?m)^(# .*\n)", lambda mt: mt.group(1) + "\n" + block, markdown, count=1)


def _with_source_age(site: Site, src_uri: str, markdown: str) -> str:
    """Under the heading of every page of a kommune: the year its facts are from (see :func:`source_age_note`)."""
    kid = params_of(src_uri).get("kommune")
    name = route_of(src_uri)
    if not kid or name in _NO_AGE_NOTE or ("kommune", kid) not in site.index.entries:
        return markdown
    note = source_age_note(site, site.index.entries[("kommune", kid)])
    if note is None:
        return markdown
    note = note.replace("{contact}", relative(route("kommune-kontakt", kommune=kid), src_uri))
    return _under_heading(markdown, note + "\n{ .kb-age }\n")


_OLD_TEXT_BOX = re.compile(r'(?m)^!!! note "Fra 2005"\n(?:(?: {4}.*)?\n)*?(?=\S|\Z)')
"""The «Fra 2005» box of a guideline chapter page, up to the next unindented line."""


def _with_covered_today(site: Site, src_uri: str, markdown: str) -> str:
    """A guideline chapter page gets what covers its topic today, right after its «Fra 2005» box (or under its
    heading): from the document's ``dekkes_i_dag``."""
    dokument = params_of(src_uri)["dokument"]
    number = {src: n for n, src in site.index.guide_chapters(dokument).items()}.get(src_uri)
    covered = site.index.covered_today(dokument, number) if number is not None else []
    if not covered:
        return markdown
    block = site.env.get_template("covered_today.md.j2").render(index=site.index, page=src_uri, covered=covered)
    box = _OLD_TEXT_BOX.search(markdown)
    if box is None:
        return _under_heading(markdown, block + "\n")
    return markdown[:box.end()] + block + "\n" + markdown[box.end():]


def decorate(site: Site, src_uri: str, markdown: str) -> str:
    """Add the facts box to a routine page and 'Dette viser hit' to routine and chapter pages, and the list of
    facts from outside the source documents to the about page."""
    markdown = _with_source_age(site, src_uri, markdown)
    if src_uri == route("om"):
        return markdown.rstrip() + "\n\n" + site.env.get_template("external_facts.md.j2").render(
            index=site.index, page=src_uri, lines=site.helplines, laws=site.of("lov"), docs=site.of("dokument"),
            kommuner=[(k, _outside_facts(k.record.kontakt)) for k in site.index.kommuner()])
    if route_of(src_uri) == "veilederkapittel":
        return _with_covered_today(site, src_uri, markdown)
    entry = site.decorated.get(src_uri)
    if entry is None:
        return markdown
    if entry.type == "rutine":
        facts = site.env.get_template("routine_facts.md.j2").render(
            index=site.index, page=src_uri, routine=entry.record, today=site.today,
            overdue=entry in site.index.overdue_routines(site.today))
        markdown = _under_heading(markdown, facts)
    tail = site.env.get_template("page_backlinks.md.j2").render(
        index=site.index, page=src_uri, backlinks=site.index.backlinks_of(entry.key))
    return markdown.rstrip() + "\n" + tail


