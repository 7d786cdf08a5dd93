"""One index of everything: ids, page addresses, resolved references and backlinks.

Imports :mod:`models`, :mod:`loader`, :mod:`refs` and :mod:`errors`. Built once per build
from a :class:`~knowledgebase.loader.Dataset`; every later step reads the index only.
Every resolved reference records a backlink at the moment it resolves; an unknown
target is a problem with file and line.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models as m
from .errors import Problems
from .loader import Dataset, Loaded, Page, load_data, load_pages
from .refs import REF_TYPES, Ref, find_refs, normalise_id, parse_plain
from .yamlsource import line_of

TYPE_TITLES: dict[str, tuple[str, str]] = {
    "lov": ("Lov eller forskrift", "Lover og forskrifter"),
    "dokument": ("Nasjonalt dokument", "Nasjonale dokumenter"),
    "anbefaling": ("Anbefaling", "Anbefalinger"),
    "begrep": ("Begrep", "Begreper"),
    "hjelpetelefon": ("Hjelpetelefon", "Hjelpetelefoner"),
    "verktoy": ("Verktøy", "Verktøy"),
    "forlop": ("Hovedforløp", "Hovedforløp"),
    "krav": ("Krav", "Krav til rutiner og samarbeid"),
    "prinsipp": ("Prinsipp", "Ansvar, forebygging og samarbeid"),
    "kommune": ("Kommune", "Kommuner"),
    "enhet": ("Enhet eller rolle", "Enheter og roller"),
    "tjeneste": ("Tjeneste", "Tjenester"),
    "ansvar": ("Ansvar", "Ansvar"),
    "mal": ("Mål", "Mål"),
    "tiltak": ("Tiltak", "Tiltak"),
    "indikator": ("Indikator", "Indikatorer"),
    "kapittel": ("Plankapittel", "Plankapitler"),
    "rutine": ("Rutine", "Rutiner"),
    "side": ("Side", "Sider"),
}
"""Singular and plural Norwegian names of each entry type, for headings and backlinks."""


@dataclass
class Entry:
    """One addressable thing: a record, a law paragraph or a page."""

    type: str
    id: str
    title: str
    page: str
    anchor: str | None
    record: Any
    file: Path | None = None
    line: int = 0
    kommune: str | None = None
    parent: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    @property
    def local_id(self) -> str:
        return self.id.split("/", 1)[1] if self.kommune and "/" in self.id else self.id

    def href_from(self, from_page: str) -> str:
        """Relative Markdown link from the page ``from_page`` (a src path) to this entry."""
        target = "" if from_page == self.page else _relpath(self.page, posixpath.dirname(from_page) or ".")
        return target + (f"#{self.anchor}" if self.anchor else "")


@lru_cache(maxsize=65536)
def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath``, remembered: pages in one folder link to the same targets again and again."""
    return posixpath.relpath(target, start)


@dataclass
class Index:
    """All entries, keyed by (type, id), with the backlinks between them."""

    root: Path
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    backlinks: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    dataset: Dataset | None = None
    sources: dict[str, m.SourceDocument] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    _by_type: tuple | None = field(default=None, repr=False)

    # -- lookups --------------------------------------------------------------------------

    def get(self, ref_type: str, ident: str) -> Entry | None:
        return self.entries.get((ref_type, normalise_id(ref_type, ident)))

    def of_type(self, ref_type: str, kommune: str | None = None) -> list[Entry]:
        """Entries of one type (optionally one kommune's), sorted by id."""
        if self._by_type is None or self._by_type[0] != len(self.entries):
            grouped: dict[tuple[str, str | None], list[Entry]] = defaultdict(list)
            for e in sorted(self.entries.values(), key=lambda e: natural_key(e.id)):
                grouped[(e.type, None)].append(e)
                if e.kommune:
                    grouped[(e.type, e.kommune)].append(e)
            self._by_type = (len(self.entries), grouped)
        return list(self._by_type[1].get((ref_type, kommune), []))

    def kommuner(self) -> list[Entry]:
        return self.of_type("kommune")

    def backlinks_of(self, key: tuple[str, str], include_children: bool = False) -> dict[str, list[Entry]]:
        """Entries that point at ``key``, grouped by type and sorted; a law may include its paragraphs."""
        sources = set(self.backlinks.get(key, set()))
        if include_children:
            for child_key, child_sources in self.backlinks.items():
                if child_key[0] == key[0] and child_key[1].startswith(key[1] + "/"):
                    sources |= child_sources
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for source_key in sources:
            entry = self.entries.get(source_key)
            if entry is not None and source_key != key:
                grouped[entry.type].append(entry)
        order = list(TYPE_TITLES)
        return {
            t: sorted(grouped[t], key=lambda e: (e.kommune or "", natural_key(e.id)))
            for t in sorted(grouped, key=order.index)
        }

    def add(self, entry: Entry, problems: Problems, what: str = "id") -> None:
        """Register an entry; a second entry with the same type and id is a problem."""
        if entry.key in self.entries:
            first = self.entries[entry.key]
            where = f"{problems.relative(first.file)}:{first.line}" if first.file else first.page
            problems.add(
                entry.file or "", entry.line,
                f"the {what} '{entry.local_id}' is used twice (first at {where}); give each record its own {what}",
                f"{type(entry.record).__name__}(id={entry.local_id!r})", "id",
            )
            return
        self.entries[entry.key] = entry

    def link(self, source: tuple[str, str], target: tuple[str, str]) -> None:
        """Record that ``source`` points at ``target``."""
        if source != target:
            self.backlinks[target].add(source)


def natural_key(text: str) -> list:
    """Sort '2.10' after '2.9' and 'sys-2' before 'sys-10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def anchor_for(ident: str) -> str:
    """An HTML id for a section on a shared page: letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")


# --- Building the entries --------------------------------------------------------------------


def _label(loaded: Loaded) -> str:
    record = loaded.record
    return f"{type(record).__name__}(id={getattr(record, 'id', '')!r})"


def _register_national(index: Index, dataset: Dataset, problems: Problems) -> None:
    for loaded in dataset.national.get("kilder.yml", []):
        index.sources[loaded.record.id] = loaded.record
    for loaded in dataset.national.get("nasjonalt/lover.yml", []):
        law: m.Law = loaded.record
        name = law.korttittel or law.tittel
        index.add(Entry("lov", law.id, name, f"regelverk/{law.id}.md", None, law, loaded.file, loaded.line), problems)
        for i, provision in enumerate(law.paragrafer):
            line = line_of(loaded.raw, ("paragrafer", i))
            label = f"{name} kap. {provision.nr[4:].strip()}" if provision.is_chapter else f"{name} § {provision.nr}"
            anchor = "kap-" + anchor_for(provision.key[3:]) if provision.is_chapter else "paragraf-" + anchor_for(provision.key)
            index.add(
                Entry("lov", f"{law.id}/{provision.key}", label, f"regelverk/{law.id}.md", anchor, provision,
                      loaded.file, line, parent=law.id),
                problems, "paragraph number",
            )
    simple = {
        "nasjonalt/dokumenter.yml": ("dokument", lambda r: (f"dokumenter/{r.id}.md", None)),
        "nasjonalt/begreper.yml": ("begrep", lambda r: ("begreper.md", anchor_for(r.id))),
        "nasjonalt/hjelpetelefoner.yml": ("hjelpetelefon", lambda r: ("akutt-hjelp.md", "tlf-" + anchor_for(r.id))),
        "nasjonalt/verktoy.yml": ("verktoy", lambda r: (f"verktoy/{r.id}.md", None)),
        "nasjonalt/hovedforlop.yml": ("forlop", lambda r: (f"hovedforlop/{r.id}.md", None)),
        "nasjonalt/krav.yml": ("krav", lambda r: ("krav.md", anchor_for(r.id))),
        "nasjonalt/prinsipper.yml": ("prinsipp", lambda r: ("prinsipper.md", anchor_for(r.id))),
        "nasjonalt/indikatorer.yml": ("indikator", lambda r: ("statistikk.md", anchor_for("ind-" + r.id))),
    }
    for rel, (ref_type, where) in simple.items():
        for loaded in dataset.national.get(rel, []):
            record = loaded.record
            page, anchor = where(record)
            title = getattr(record, "term", None) or getattr(record, "tittel", None) or getattr(record, "navn", "")
            if ref_type == "forlop":
                title = f"Hovedforløp {record.id}: {record.navn}"
            if ref_type == "begrep" and record.forkortelse:
                title = f"{record.forkortelse} ({record.term})"
            index.add(Entry(ref_type, record.id, title, page, anchor, record, loaded.file, loaded.line), problems)
    for loaded in dataset.national.get("nasjonalt/anbefalinger.yml", []):
        rec: m.Recommendation = loaded.record
        full = f"{rec.dokument}/{rec.id}"
        index.add(
            Entry("anbefaling", full, f"Råd {rec.id}: {rec.tema}", f"anbefalinger/{rec.dokument}.md",
                  anchor_for("rad-" + rec.id), rec, loaded.file, loaded.line, parent=rec.dokument),
            problems,
        )


def _register_kommuner(index: Index, dataset: Dataset, problems: Problems) -> None:
    for kid, files in dataset.kommuner.items():
        base = f"kommuner/{kid}"
        for loaded in files.get("kommune.yml", []):
            index.add(Entry("kommune", kid, loaded.record.navn, f"{base}/index.md", None, loaded.record,
                            loaded.file, loaded.line, kommune=kid), problems)
        per_page = {
            "enheter.yml": ("enhet", "enheter", lambda r: r.navn),
            "tjenester.yml": ("tjeneste", "tjenester", lambda r: r.navn),
            "ansvar.yml": ("ansvar", "ansvar", lambda r: r.plikt),
        }
        for name, (ref_type, folder, title) in per_page.items():
            for loaded in files.get(name, []):
                r = loaded.record
                index.add(Entry(ref_type, f"{kid}/{r.id}", title(r), f"{base}/{folder}/{r.id}.md", None, r,
                                loaded.file, loaded.line, kommune=kid), problems)
        for loaded in files.get("indikatorer.yml", []):
            r = loaded.record
            index.add(Entry("indikator", f"{kid}/{r.id}", r.tittel, f"{base}/statistikk.md", anchor_for("ind-" + r.id),
                            r, loaded.file, loaded.line, kommune=kid), problems)
        for loaded in files.get("handlingsplan.yml", []):
            for goal, tiltak_list, loc in iter_plan(loaded.record):
                if goal is not None:
                    title = f"Mål {goal.nummer}" if goal.nummer else "Mål"
                    index.add(Entry("mal", f"{kid}/{goal.id}", title, f"{base}/handlingsplan.md",
                                    anchor_for("mal-" + goal.id), goal, loaded.file, line_of(loaded.raw, loc),
                                    kommune=kid), problems)
                for t, tiltak in enumerate(tiltak_list):
                    tloc = loc + ("tiltak", t)
                    title = f"Tiltak {tiltak.nummer}" if tiltak.nummer else f"Tiltak {tiltak.id}"
                    index.add(Entry("tiltak", f"{kid}/{tiltak.id}", title, f"{base}/tiltak/{tiltak.id}.md", None,
                                    tiltak, loaded.file, line_of(loaded.raw, tloc), kommune=kid,
                                    parent=goal.id if goal is not None else None), problems)


def iter_plan(plan: m.Handlingsplan):
    """Yield (goal or None, its tiltak, location in the YAML) for every group of tiltak in a plan."""
    for a, area in enumerate(plan.omrader):
        if area.tiltak:
            yield None, area.tiltak, ("omrader", a)
        for g, goal in enumerate(area.mal):
            yield goal, goal.tiltak, ("omrader", a, "mal", g)
    for g, goal in enumerate(plan.kapittelmal):
        yield goal, goal.tiltak, ("kapittelmal", g)


def _register_pages(index: Index, pages: list[Page], problems: Problems) -> None:
    for page in pages:
        meta = page.meta
        if isinstance(meta, m.ChapterMeta):
            index.add(Entry("kapittel", f"{meta.kommune}/{meta.kapittel}", f"{meta.kapittel} {meta.tittel}",
                            page.src_uri, None, meta, page.path, 2, kommune=meta.kommune), problems, "chapter number")
        elif isinstance(meta, m.RoutineMeta):
            index.add(Entry("rutine", meta.id, meta.tittel, page.src_uri, None, meta, page.path, 2), problems)
        else:
            title = (meta.title if meta is not None and meta.title else None) or _first_heading(page.body) or page.src_uri
            index.entries[("side", page.src_uri)] = Entry("side", page.src_uri, title, page.src_uri, None, meta,
                                                          page.path, 1)


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


# --- Resolving references ----------------------------------------------------------------------


def _check_target(index: Index, problems: Problems, source: Entry, field_name: str, ref_type: str, ident: str,
                  line: int, written_as_ref: bool = False) -> Entry | None:
    target = index.get(ref_type, ident)
    if target is None:
        known = [e.id for e in index.of_type(ref_type)
                 if source.kommune is None or e.kommune in (source.kommune, None)]
        guess = difflib.get_close_matches(normalise_id(ref_type, ident), known, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        what = f"the reference [[{ref_type}:{ident}]]: " if written_as_ref else ""
        problems.add(
            source.file or "", line,
            f"{what}'{ident}' is not a known {TYPE_TITLES[ref_type][0].lower()} ({ref_type}); {hint}"
            f"use the id of an existing record{' in ' + _where_defined(ref_type) if _where_defined(ref_type) else ''}",
            _source_label(source, field_name),
            field_name,
        )
        return None
    index.link(source.key, target.key)
    return target


def _source_label(source: Entry, field_name: str) -> str:
    """Name the record that holds a reference; a page's own text needs only its file and line."""
    if not field_name and source.type in ("side", "kapittel", "rutine"):
        return ""
    return f"{type(source.record).__name__}(id={source.local_id!r})"


def _where_defined(ref_type: str) -> str:
    return {
        "lov": "data/nasjonalt/lover.yml", "dokument": "data/nasjonalt/dokumenter.yml",
        "anbefaling": "data/nasjonalt/anbefalinger.yml", "begrep": "data/nasjonalt/begreper.yml",
        "hjelpetelefon": "data/nasjonalt/hjelpetelefoner.yml", "verktoy": "data/nasjonalt/verktoy.yml",
        "forlop": "data/nasjonalt/hovedforlop.yml", "krav": "data/nasjonalt/krav.yml",
        "prinsipp": "data/nasjonalt/prinsipper.yml",
        "enhet": "enheter.yml", "tjeneste": "tjenester.yml", "ansvar": "ansvar.yml",
        "tiltak": "handlingsplan.yml", "mal": "handlingsplan.yml", "indikator": "indikatorer.yml",
        "kapittel": "docs/kommuner/<kommune>/plan/", "rutine": "docs/rutiner/",
    }.get(ref_type, "")


def _scoped(kommune: str | None, ident: str) -> str:
    """A kommune-local id in a structured field becomes 'kommune/id'."""
    return ident if (kommune is None or "/" in ident) else f"{kommune}/{ident}"


STRUCTURED_REFS: dict[type, list[tuple[str, str, bool]]] = {
    m.Law: [("erstattet_av", "lov", False)],
    m.Document: [("erstattet_av", "dokument", False)],
    m.Recommendation: [("dokument", "dokument", False)],
    m.Requirement: [("hjemmel", "lov", False)],
    m.Principle: [("hjemmel", "lov", False), ("enheter", "enhet", False), ("krav", "krav", False)],
    m.Unit: [("del_av", "enhet", True)],
    m.Service: [("leverandor", "enhet", True), ("hjemmel", "lov", False), ("anbefalinger", "anbefaling", False),
                ("verktoy", "verktoy", False), ("hovedforlop", "forlop", False)],
    m.Responsibility: [("hjemmel", "lov", False), ("enheter", "enhet", True), ("tjenester", "tjeneste", True),
                       ("rutiner", "rutine", False), ("krav", "krav", False)],
    m.Goal: [("kapittel", "kapittel", True)],
    m.Tiltak: [("ansvarlige_enheter", "enhet", True), ("tjenester", "tjeneste", True), ("mal", "mal", True),
               ("anbefalinger", "anbefaling", False), ("hovedforlop", "forlop", False), ("kapittel", "kapittel", True)],
    m.ChapterMeta: [("kommune", "kommune", False)],
    m.RoutineMeta: [("ansvar", "enhet", False), ("hjemmel", "lov", False), ("verktoy", "verktoy", False),
                    ("tjenester", "tjeneste", False), ("krav", "krav", False), ("gjelder_for", "kommune", False)],
}
"""For each model: (field, reference type, whether a bare id is local to the record's kommune)."""


def _walk_text(record: BaseModel, path: tuple = ()):
    """Yield (field path, text) for every string in a record, nested records included."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, str):
            yield path + (name,), value
        elif isinstance(value, BaseModel) and not isinstance(value, m.Tiltak | m.Goal | m.Provision):
            yield from _walk_text(value, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield path + (name, i), item
                elif isinstance(item, BaseModel) and not isinstance(item, m.Tiltak | m.Goal | m.Provision | m.Area):
                    yield from _walk_text(item, path + (name, i))


def _resolve_record(index: Index, entry: Entry, raw: Any, problems: Problems) -> None:
    record = entry.record
    for field_name, ref_type, local in STRUCTURED_REFS.get(type(record), []):
        value = getattr(record, field_name)
        values = value if isinstance(value, list) else [value] if value else []
        for i, ident in enumerate(values):
            loc = (field_name, i) if isinstance(value, list) else (field_name,)
            line = line_of(raw, loc) if raw is not None else entry.line
            target_id = _scoped(entry.kommune, ident) if local else ident
            _check_target(index, problems, entry, field_name, ref_type, target_id, line)
    if isinstance(record, m.Term):
        for i, item in enumerate(record.se_ogsa):
            parsed = parse_plain(item)
            line = line_of(raw, ("se_ogsa", i)) if raw is not None else entry.line
            if parsed is None:
                problems.add(entry.file or "", line, f"'{item}' is not a reference; write type:id, e.g. begrep:ip",
                             f"Term(id={record.id!r})", "se_ogsa")
            else:
                _check_target(index, problems, entry, "se_ogsa", parsed[0], parsed[1], line)
    for path, text in _walk_text(record):
        for ref in find_refs(text):
            line = line_of(raw, path) if raw is not None else entry.line
            _resolve_text_ref(index, problems, entry, ".".join(map(str, path)), ref, line)
    for source in _sources_of(record):
        if source.dokument not in index.sources:
            problems.add(entry.file or "", entry.line,
                         f"'{source.dokument}' is not a source document; use one of: {', '.join(sorted(index.sources))}",
                         f"{type(record).__name__}(id={entry.local_id!r})", "kilde.dokument")


def _sources_of(record: Any) -> list[m.Source]:
    found = []
    for name in ("kilde", "kilder"):
        value = getattr(record, name, None)
        if isinstance(value, m.Source):
            found.append(value)
        elif isinstance(value, list):
            found.extend(v for v in value if isinstance(v, m.Source))
    return found


def _resolve_text_ref(index: Index, problems: Problems, source: Entry, field_name: str, ref: Ref, line: int) -> None:
    if ref.type not in REF_TYPES:
        problems.add(source.file or "", line,
                     f"'{ref.text}' has an unknown reference type '{ref.type}'; use one of: {', '.join(REF_TYPES)}",
                     _source_label(source, field_name), field_name)
        return
    _check_target(index, problems, source, field_name, ref.type, ref.id, line, written_as_ref=True)


def _resolve_all(index: Index, dataset: Dataset, pages: list[Page], problems: Problems) -> None:
    raws: dict[tuple[str, str], Any] = {}
    raw_by_record: dict[int, Any] = {}
    for loaded_list in list(dataset.national.values()) + [
        items for files in dataset.kommuner.values() for items in files.values()
    ]:
        for loaded in loaded_list:
            record = loaded.record
            raw_by_record[id(record)] = loaded.raw
            if isinstance(record, m.Law):
                raws[("lov", record.id)] = loaded.raw
                for i, p in enumerate(record.paragrafer):
                    raws[("lov", f"{record.id}/{p.key}")] = loaded.raw["paragrafer"][i]
            elif isinstance(record, m.Handlingsplan):
                for goal, tiltak_list, loc in iter_plan(record):
                    group_raw = loaded.raw
                    for part in loc:
                        group_raw = group_raw[part]
                    if goal is not None:
                        raws[("mal", f"{loaded.kommune}/{goal.id}")] = group_raw
                    for t, tiltak in enumerate(tiltak_list):
                        raws[("tiltak", f"{loaded.kommune}/{tiltak.id}")] = group_raw["tiltak"][t]
                for e, line in enumerate(record.okonomitabell):
                    for i, ident in enumerate(line.tiltak):
                        row_raw = loaded.raw["okonomitabell"][e]
                        _check_target(index, problems, index.entries.get(("kommune", loaded.kommune))
                                      or Entry("kommune", loaded.kommune, "", "", None, line, loaded.file),
                                      "okonomitabell.tiltak", "tiltak", f"{loaded.kommune}/{ident}",
                                      line_of(row_raw, ("tiltak", i)))
    for key, entry in list(index.entries.items()):
        if entry.type in ("side", "kapittel", "rutine"):
            continue
        raw = raws.get(key)
        if raw is None:
            raw = raw_by_record.get(id(entry.record))
        _resolve_record(index, entry, raw, problems)
    by_path = {page.src_uri: page for page in pages}
    for entry in list(index.entries.values()):
        if entry.type not in ("side", "kapittel", "rutine"):
            continue
        page = by_path[entry.page]
        if entry.type != "side":
            _resolve_record(index, entry, page.raw_meta, problems)
        for ref in find_refs(page.body, page.body_line):
            _resolve_text_ref(index, problems, entry, "", ref, ref.line)


def _check_pathways(index: Index, problems: Problems) -> None:
    """Tiltak without owner or deadline must say so explicitly (quality gate 5)."""
    for entry in index.of_type("tiltak"):
        tiltak: m.Tiltak = entry.record
        if not tiltak.ansvarlig and not tiltak.ansvarlige_enheter:
            problems.add(entry.file or "", entry.line,
                         "has no owner; write 'ansvarlig: ...' as the plan gives it, "
                         "or 'ansvarlig: Ikke oppgitt i planen'", f"Tiltak(id={tiltak.id!r})", "ansvarlig")
        if not tiltak.frist:
            problems.add(entry.file or "", entry.line,
                         "has no deadline; write 'frist: ...' as the plan gives it, or 'frist: Ikke oppgitt i planen'",
                         f"Tiltak(id={tiltak.id!r})", "frist")


def build_index(root: Path, data_dir: Path, docs_dir: Path, problems: Problems) -> Index:
    """Load data and pages, register every entry, resolve every reference.

    Problems are recorded in ``problems``; the caller decides whether to fail.
    """
    dataset = load_data(data_dir, problems)
    pages = load_pages(docs_dir, problems)
    index = Index(root=root, dataset=dataset, pages=pages)
    # Each stage runs only when the one before was clean, so one mistake gives one message
    # (a broken file does not also show up as every reference into it).
    if problems:
        return index
    _register_national(index, dataset, problems)
    _register_kommuner(index, dataset, problems)
    _register_pages(index, pages, problems)
    if problems:
        return index
    _resolve_all(index, dataset, pages, problems)
    _check_pathways(index, problems)
    return index
