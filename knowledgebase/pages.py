"""Generated pages: Markdown rendered from Jinja templates, one per record or list.

Imports :mod:`index` and :mod:`models`. Templates live in ``knowledgebase/templates`` and
own all markup; this module only chooses a template and its context. References inside
generated Markdown are written ``[[type:id]]`` and resolved like those in hand-written
pages, so one resolver turns every reference into a relative link.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from . import models as m
from .charts import render_chart
from .index import TYPE_TITLES, Entry, Index, anchor_for, natural_key
from .refs import REF_TYPES

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


def _nok(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


def _ref(entry: Entry | None, label: str | None = None) -> str:
    if entry is None:
        return ""
    return f"[[{entry.type}:{entry.id}|{label}]]" if label else f"[[{entry.type}:{entry.id}]]"


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else m.NOT_STATED


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
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no writable temporary folder: compile every time
        return None


def make_environment() -> jinja2.Environment:
    """The Jinja environment for page templates (Markdown, so no HTML autoescape)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # noqa: S701 - output is Markdown; text fields refuse HTML at validation
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Compiled templates are kept in the system's temporary folder (keyed by their source), so a
        # build does not spend a third of a second compiling the same 39 templates again.
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(cell=_cell, nok=_nok, ref=_ref, date=_date, anchor=anchor_for)
    env.globals.update(
        NOT_STATED=m.NOT_STATED,
        TYPE_TITLES=TYPE_TITLES,
        SITUATION_TITLES=m.SITUATION_TITLES,
        ACCESS_TITLES=m.ACCESS_TITLES,
        STATUS_TITLES=m.TILTAK_STATUS_TITLES,
        REF_TYPES=REF_TYPES,
        law_url=law_url,
        provision_url=provision_url,
    )
    return env


class PageBuilder:
    """Renders every generated page from the index."""

    def __init__(self, index: Index, today: date | None = None):
        self.index = index
        self.env = make_environment()
        self.today = today or date.today()
        self.pages: list[GeneratedPage] = []
        self.hand_written = {page.src_uri for page in index.pages}
        self.root = index.root.resolve()
        self._sources: dict[Path, str] = {}
        self.env.globals["excerpt"] = self.excerpt
        # Hand-written pages that get a facts box or backlinks, and the routines past review, found once.
        self.decorated = {e.page: e for e in index.entries.values() if e.type in ("rutine", "kapittel")}
        self.overdue = self.overdue_routines()
        # The shared macros read the index as a global, so Jinja can import them once, not per page.
        self.env.globals["index"] = index

    def excerpt(self, text: str | None, length: int) -> str:
        """Plain text of at most ``length`` characters: references become their titles, never half a link."""
        from .refs import replace_refs

        def title(ref):
            entry = self.index.get(ref.type, ref.id)
            return ref.label or (entry.title if entry else ref.id)

        plain = re.sub(r"\s+", " ", replace_refs(text or "", title)).strip()
        return plain if len(plain) <= length else plain[: length - 1].rsplit(" ", 1)[0] + "…"

    def source_of(self, entry: Entry) -> str | None:
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

    def render(self, template: str, src_uri: str, source_file: str | None = None, **context) -> None:
        """Render ``template`` to the page ``src_uri`` unless a hand-written page already sits there."""
        if src_uri in self.hand_written:
            return
        tpl = self.env.get_template(template)
        backlinks = {}
        if "entry" in context and context["entry"] is not None:
            entry = context["entry"]
            backlinks = self.index.backlinks_of(entry.key)
        markdown = tpl.render(index=self.index, page=src_uri, source_file=source_file, backlinks=backlinks,
                              today=self.today, rel=lambda target: relative(target, src_uri), **context)
        self.pages.append(GeneratedPage(src_uri, markdown, source_file))

    # -- national ------------------------------------------------------------------------

    def build_national(self) -> None:
        idx = self.index
        laws = [e for e in idx.of_type("lov") if e.parent is None]
        for entry in laws:
            provisions = [idx.entries[("lov", f"{entry.id}/{p.key}")] for p in entry.record.paragrafer
                          if ("lov", f"{entry.id}/{p.key}") in idx.entries]
            replaced_by = idx.get("lov", entry.record.erstattet_av) if entry.record.erstattet_av else None
            replaces = [e for e in laws if e.record.erstattet_av == entry.id]
            self.render("law.md.j2", entry.page, self.source_of(entry), entry=entry, law=entry.record,
                        provisions=[(p, idx.backlinks_of(p.key)) for p in provisions],
                        replaced_by=replaced_by, replaces=replaces)
        if laws:
            self.render("law_index.md.j2", "regelverk/index.md", "data/nasjonalt/lover.yml", laws=laws)
        docs = idx.of_type("dokument")
        for entry in docs:
            recs = [e for e in idx.of_type("anbefaling") if e.parent == entry.id]
            replaced_by = idx.get("dokument", entry.record.erstattet_av) if entry.record.erstattet_av else None
            replaces = [e for e in docs if e.record.erstattet_av == entry.id]
            self.render("document.md.j2", entry.page, self.source_of(entry), entry=entry, doc=entry.record,
                        recommendations=recs, replaced_by=replaced_by, replaces=replaces)
        if docs:
            self.render("document_index.md.j2", "dokumenter/index.md", "data/nasjonalt/dokumenter.yml", docs=docs)
        recs = idx.of_type("anbefaling")
        by_doc: dict[str, list[Entry]] = {}
        for entry in recs:
            by_doc.setdefault(entry.parent, []).append(entry)
        for doc_id, entries in by_doc.items():
            entries.sort(key=lambda e: natural_key(e.record.id))
            self.render("recommendations.md.j2", f"anbefalinger/{doc_id}.md", "data/nasjonalt/anbefalinger.yml",
                        doc=idx.get("dokument", doc_id),
                        items=[(e, idx.backlinks_of(e.key)) for e in entries])
        terms = sorted(idx.of_type("begrep"), key=lambda e: e.title.lower())
        if terms:
            self.render("glossary.md.j2", "begreper.md", "data/nasjonalt/begreper.yml",
                        items=[(e, idx.backlinks_of(e.key)) for e in terms])
        lines = sorted(idx.of_type("hjelpetelefon"), key=lambda e: (e.record.rekkefolge, e.id))
        self.render("helplines.md.j2", "akutt-hjelp.md", "data/nasjonalt/hjelpetelefoner.yml", lines=lines,
                    kommuner=idx.kommuner())
        tools = sorted(idx.of_type("verktoy"), key=lambda e: e.title.lower())
        for entry in tools:
            self.render("tool.md.j2", entry.page, self.source_of(entry), entry=entry, tool=entry.record)
        if tools:
            self.render("tool_index.md.j2", "verktoy/index.md", "data/nasjonalt/verktoy.yml", tools=tools)
        pathways = idx.of_type("forlop")
        for entry in pathways:
            self.render("pathway.md.j2", entry.page, self.source_of(entry), entry=entry, pathway=entry.record,
                        per_kommune=self._pathway_use(entry.id))
        if pathways:
            self.render("pathway_index.md.j2", "hovedforlop/index.md", "data/nasjonalt/hovedforlop.yml",
                        pathways=pathways)
        principles = idx.of_type("prinsipp")
        if principles:
            groups = [(kind, title, sorted([e for e in principles if e.record.type == kind],
                                           key=lambda e: (e.record.rekkefolge, e.id)))
                      for kind, title in m.PRINCIPLE_TITLES.items()]
            self.render("principles.md.j2", "prinsipper.md", "data/nasjonalt/prinsipper.yml",
                        groups=[(k, t, [(e, idx.backlinks_of(e.key)) for e in items]) for k, t, items in groups if items])
        national_indicators = [e for e in idx.of_type("indikator") if not e.kommune]
        if national_indicators:
            self.render("statistics.md.j2", "statistikk.md", "data/nasjonalt/indikatorer.yml", kommune=None,
                        items=[(e, render_chart(e.record)) for e in national_indicators])
        reqs = idx.of_type("krav")
        if reqs:
            self.render("requirements.md.j2", "krav.md", "data/nasjonalt/krav.yml",
                        items=[(e, idx.backlinks_of(e.key)) for e in reqs])

    def _pathway_use(self, pathway_id: str) -> list[tuple[Entry, list[Entry], list[Entry]]]:
        result = []
        for kommune in self.index.kommuner():
            services = [e for e in self.index.of_type("tjeneste", kommune.id) if pathway_id in e.record.hovedforlop]
            tiltak = [e for e in self.index.of_type("tiltak", kommune.id) if pathway_id in e.record.hovedforlop]
            result.append((kommune, services, tiltak))
        return result

    # -- kommuner ------------------------------------------------------------------------

    def build_kommune(self, kommune: Entry) -> None:
        idx = self.index
        kid = kommune.id
        base = f"kommuner/{kid}"
        folder = f"data/kommuner/{kid}"
        units = idx.of_type("enhet", kid)
        services = sorted(idx.of_type("tjeneste", kid), key=lambda e: e.title.lower())
        duties = idx.of_type("ansvar", kid)
        tiltak = idx.of_type("tiltak", kid)
        chapters = sorted(idx.of_type("kapittel", kid), key=lambda e: natural_key(e.record.kapittel))
        indicators = idx.of_type("indikator", kid)
        plan_loaded = (idx.dataset.kommuner.get(kid, {}).get("handlingsplan.yml") or [None])[0]
        plan = plan_loaded.record if plan_loaded else None
        situations = self.build_situations(kommune, services)
        self.render("kommune.md.j2", kommune.page, self.source_of(kommune), entry=kommune, kommune=kommune.record,
                    situations=situations,
                    counts={"tjeneste": len(services), "enhet": len(units), "ansvar": len(duties),
                            "tiltak": len(tiltak), "kapittel": len(chapters), "indikator": len(indicators)},
                    chapters=chapters, has_plan=plan is not None)
        self.render("kommune_about.md.j2", f"{base}/om.md", self.source_of(kommune), kommune=kommune.record,
                    chapters=chapters)
        for entry in units:
            owned = [t for t in tiltak if entry.local_id in t.record.ansvarlige_enheter]
            provided = [s for s in services if s.record.leverandor == entry.local_id]
            carries = [d for d in duties if entry.local_id in d.record.enheter]
            parts = [u for u in units if u.record.del_av == entry.local_id]
            self.render("unit.md.j2", entry.page, self.source_of(entry), entry=entry, unit=entry.record,
                        kommune=kommune, owned=owned, provided=provided, carries=carries, parts=parts,
                        parent=idx.get("enhet", f"{kid}/{entry.record.del_av}") if entry.record.del_av else None)
        if units:
            self.render("unit_index.md.j2", f"{base}/enheter/index.md", f"{folder}/enheter.yml", kommune=kommune,
                        units=sorted(units, key=lambda e: e.title.lower()))
        for entry in services:
            provider = idx.get("enhet", f"{kid}/{entry.record.leverandor}") if entry.record.leverandor else None
            self.render("service.md.j2", entry.page, self.source_of(entry), entry=entry, service=entry.record,
                        kommune=kommune, provider=provider)
        if services:
            self.render("service_index.md.j2", f"{base}/tjenester/index.md", f"{folder}/tjenester.yml",
                        kommune=kommune, services=services)
        for entry in duties:
            self.render("responsibility.md.j2", entry.page, self.source_of(entry), entry=entry, duty=entry.record,
                        kommune=kommune, routines=self.routines_for(entry))
        if duties:
            self.render("responsibility_index.md.j2", f"{base}/ansvar/index.md", f"{folder}/ansvar.yml",
                        kommune=kommune, duties=[(d, self.routines_for(d)) for d in duties])
        if plan is not None:
            self.build_plan(kommune, plan, tiltak)
        if indicators:
            self.render("statistics.md.j2", f"{base}/statistikk.md", f"{folder}/indikatorer.yml", kommune=kommune,
                        items=[(e, render_chart(e.record)) for e in indicators])
        if chapters:
            self.render("chapter_index.md.j2", f"{base}/plan/index.md", None, kommune=kommune, chapters=chapters,
                        has_plan=plan is not None)
        if chapters or plan is not None:
            self.build_print(kommune, chapters, plan)
        self.render("missing.md.j2", f"{base}/mangler.md", None, kommune=kommune,
                    gaps=missing_fields(idx, kid))
        return situations

    def build_plan(self, kommune: Entry, plan: m.Handlingsplan, tiltak: list[Entry]) -> None:
        idx = self.index
        kid = kommune.id
        base = f"kommuner/{kid}"
        source = f"data/kommuner/{kid}/handlingsplan.yml"
        groups = []
        for area in plan.omrader:
            goals = []
            if area.tiltak:
                goals.append((None, [idx.entries[("tiltak", f"{kid}/{t.id}")] for t in area.tiltak]))
            for goal in area.mal:
                goals.append((idx.entries[("mal", f"{kid}/{goal.id}")],
                              [idx.entries[("tiltak", f"{kid}/{t.id}")] for t in goal.tiltak]))
            groups.append((area, goals))
        chapter_goals = [(idx.entries[("mal", f"{kid}/{g.id}")], idx.backlinks_of(("mal", f"{kid}/{g.id}")))
                         for g in plan.kapittelmal]
        total = sum(t.record.okonomi_nok or 0 for t in tiltak)
        latest = [t.record.status[-1].status if t.record.status else "ikke_rapportert" for t in tiltak]
        progress = [(key, latest.count(key)) for key in m.TILTAK_STATUS_TITLES if latest.count(key)]
        self.render("handlingsplan.md.j2", f"{base}/handlingsplan.md", source, kommune=kommune, plan=plan,
                    groups=groups, chapter_goals=chapter_goals, total_nok=total, count=len(tiltak),
                    progress=progress)
        self.build_views(kommune, tiltak, source)
        for entry in tiltak:
            goal = idx.get("mal", f"{kid}/{entry.parent}") if entry.parent else None
            area = next(a for a in plan.omrader
                        if any(t.id == entry.local_id for t in a.tiltak)
                        or any(t.id == entry.local_id for g in a.mal for t in g.tiltak)) \
                if not (goal and goal.record in plan.kapittelmal) else None
            self.render("tiltak.md.j2", entry.page, source, entry=entry, tiltak=entry.record, kommune=kommune,
                        goal=goal, area=area,
                        economy=[row for row in plan.okonomitabell if entry.local_id in row.tiltak])

    def routines_for(self, duty: Entry) -> list[Entry]:
        """Routines named by the duty, and routines that apply to its kommune and share a legal basis with it."""
        named = [self.index.get("rutine", r) for r in duty.record.rutiner]
        basis = set(duty.record.hjemmel)
        related = [r for r in self.index.of_type("rutine")
                   if basis & set(r.record.hjemmel)
                   and (not r.record.gjelder_for or duty.kommune in r.record.gjelder_for)]
        out = []
        for r in named + related:
            if r is not None and r not in out:
                out.append(r)
        return out

    def build_print(self, kommune: Entry, chapters: list[Entry], plan: m.Handlingsplan | None) -> None:
        """The whole plan on one page for printing: chapters (headings one level down), then the handlingsplan."""
        kid = kommune.id
        bodies = {p.src_uri: p.body for p in self.index.pages}
        parts = []
        for c in chapters:
            body = re.sub(r"(?m)^(#{1,5}) ", r"#\1 ", bodies[c.page])
            # Explicit heading ids would repeat across chapters; let the table of contents make unique ones.
            body = re.sub(r"(?m)^(#{2,6} .*?)\s*\{\s*#[^}]*\}\s*$", r"\1", body)
            parts.append((c, body.strip()))
        groups = []
        if plan is not None:
            for area in plan.omrader:
                goals = []
                if area.tiltak:
                    goals.append((None, [self.index.entries[("tiltak", f"{kid}/{t.id}")] for t in area.tiltak]))
                for goal in area.mal:
                    goals.append((self.index.entries[("mal", f"{kid}/{goal.id}")],
                                  [self.index.entries[("tiltak", f"{kid}/{t.id}")] for t in goal.tiltak]))
                groups.append((area, goals))
        self.render("print.md.j2", f"kommuner/{kid}/plan/utskrift.md", None, kommune=kommune,
                    plan_info=kommune.record.plan, chapters=parts, plan=plan, groups=groups)

    def build_situations(self, kommune: Entry, services: list[Entry]) -> list[tuple[str, str, int]]:
        """A page per everyday situation, listing the services whose data name it; returns (slug, title, count)."""
        crisis = [e for e in sorted(self.index.of_type("hjelpetelefon"), key=lambda e: (e.record.rekkefolge, e.id))
                  if e.record.akutt]
        made = []
        for key, title in m.SITUATION_TITLES.items():
            matching = [s for s in services if key in s.record.situasjoner]
            current = [s for s in matching if s.record.status == "eksisterende"]
            planned = [s for s in matching if s.record.status == "planlagt"]
            if not current and not planned:
                continue
            slug = m.SITUATION_SLUGS[key]
            self.render("situation.md.j2", f"kommuner/{kommune.id}/hjelp/{slug}.md", None, kommune=kommune, key=key,
                        title=title, services=sorted(current, key=_service_order), planned=planned,
                        crisis=crisis if key == "akutt_krise" else [])
            made.append((slug, title, len(current)))
        return made

    def build_views(self, kommune: Entry, tiltak: list[Entry], source: str) -> None:
        """The handlingsplan sorted by unit, by deadline year and by status, with overdue tiltak."""
        kid = kommune.id
        by_unit: dict[str | None, list[Entry]] = {}
        for t in tiltak:
            for unit in t.record.ansvarlige_enheter or [None]:
                by_unit.setdefault(unit, []).append(t)
        units = sorted(by_unit, key=lambda u: (u is None, (self.index.get("enhet", f"{kid}/{u}").title.lower()
                                                           if u else "")))
        by_year: dict[int | None, list[Entry]] = {}
        for t in tiltak:
            by_year.setdefault(t.record.frist_ar, []).append(t)
        years = sorted(by_year, key=lambda y: (y is None, y or 0))
        status_of = {t.id: (t.record.status[-1].status if t.record.status else "ikke_rapportert") for t in tiltak}
        by_status = [(key, [t for t in tiltak if status_of[t.id] == key]) for key in m.TILTAK_STATUS_TITLES]
        overdue = [t for t in tiltak if t.record.frist_ar and t.record.frist_ar < self.today.year
                   and status_of[t.id] not in ("fullfort", "avlyst")]
        self.render("tiltak_views.md.j2", f"kommuner/{kid}/tiltaksoversikt.md", source, kommune=kommune,
                    by_unit=[(self.index.get("enhet", f"{kid}/{u}") if u else None, by_unit[u]) for u in units],
                    by_year=[(y, by_year[y], sum(t.record.okonomi_nok or 0 for t in by_year[y])) for y in years],
                    by_status=[(k, v) for k, v in by_status if v], overdue=overdue,
                    total_nok=sum(t.record.okonomi_nok or 0 for t in tiltak), this_year=self.today.year)

    def overdue_routines(self) -> list[Entry]:
        """Routines whose next review date has passed."""
        return [e for e in self.index.of_type("rutine")
                if e.record.neste_revisjon and e.record.neste_revisjon < self.today]

    def build_routines(self) -> None:
        routines = sorted(self.index.of_type("rutine"), key=lambda e: e.title.lower())
        if not routines:
            return
        self.render("routine_index.md.j2", "rutiner/index.md", None, routines=routines)
        dated = sorted((e for e in routines if e.record.neste_revisjon), key=lambda e: e.record.neste_revisjon)
        overdue = self.overdue_routines()
        self.render("routine_review.md.j2", "rutiner/revisjon.md", None,
                    overdue=[e for e in dated if e in overdue], upcoming=[e for e in dated if e not in overdue],
                    undated=[e for e in routines if not e.record.neste_revisjon])

    def decorate(self, src_uri: str, markdown: str) -> str:
        """Add the facts box to a routine page and 'Dette viser hit' to routine and chapter pages."""
        entry = self.decorated.get(src_uri)
        if entry is None:
            return markdown
        if entry.type == "rutine":
            facts = self.env.get_template("routine_facts.md.j2").render(
                index=self.index, page=src_uri, routine=entry.record, today=self.today,
                overdue=entry in self.overdue)
            markdown = re.sub(r"(?m)^(# .*\n)", lambda mt: mt.group(1) + "\n" + facts, markdown, count=1)
        tail = self.env.get_template("page_backlinks.md.j2").render(
            index=self.index, page=src_uri, backlinks=self.index.backlinks_of(entry.key))
        return markdown.rstrip() + "\n" + tail

    def build_all(self) -> list[GeneratedPage]:
        """Render every generated page, sorted by address."""
        self.build_national()
        kommuner = self.index.kommuner()
        situations = {}
        for kommune in kommuner:
            situations[kommune.id] = self.build_kommune(kommune)
        self.render("front.md.j2", "index.md", None, kommuner=[(k, situations[k.id]) for k in kommuner])
        self.render("kommune_index.md.j2", "kommuner/index.md", None, kommuner=kommuner)
        self.build_routines()
        self.render("reference_guide.md.j2", "redaktor/referanser.md", None)
        from .dataformat import format_rows

        self.render("dataformat.md.j2", "utvikler/dataformat.md", None, files=format_rows())
        return sorted(self.pages, key=lambda p: p.src_uri)


def _service_order(entry: Entry) -> tuple:
    """Municipal low-threshold services first, then by how easy they are to reach, then by name."""
    level = {"kommunal": 0, "interkommunal": 1, "frivillig": 2, "statlig": 3, "privat": 4, "spesialisthelsetjeneste": 5}
    service = entry.record
    easy = 0 if "selvhenvisning" in service.tilgang else 1 if service.tilgang else 2
    return (level.get(service.niva, 9), easy, service.navn.lower())


def missing_fields(index: Index, kommune: str) -> list[tuple[Entry, list[str]]]:
    """Fields a citizen needs that the source does not give, per record, for the editors' list."""
    wanted = {
        "tjeneste": [("beskrivelse", "Hva er tjenesten"), ("hvem", "Hvem kan få den"), ("tilgang", "Slik får du hjelp"),
                     ("pris", "Hva koster det"), ("klage", "Klage"), ("kontakt", "Kontakt"),
                     ("apningstid", "Åpningstid"), ("leverandor", "Hvem gir tjenesten"),
                     ("sist_kontrollert", "Sist kontrollert")],
        "tiltak": [("frist_ar", "Frist (år)"), ("ansvarlige_enheter", "Ansvarlig enhet (lenket)")],
        "enhet": [("beskrivelse", "Beskrivelse")],
        "ansvar": [("hjemmel", "Hjemmel"), ("enheter", "Ansvarlig enhet")],
    }
    result = []
    for ref_type, fields in wanted.items():
        for entry in index.of_type(ref_type, kommune):
            gaps = [label for name, label in fields if getattr(entry.record, name) in (None, [], "")]
            if ref_type == "tiltak" and entry.record.frist and "ikke oppgitt" in entry.record.frist.lower():
                gaps.insert(0, "Frist")
            if gaps:
                result.append((entry, gaps))
    return result
