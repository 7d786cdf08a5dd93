"""One index of everything: ids, page addresses, resolved references and backlinks.

Imports :mod:`models`, :mod:`kinds`, :mod:`loader`, :mod:`refs`, :mod:`routes`, :mod:`search` and :mod:`errors`.
Built once per build from a :class:`~knowledgebase.loader.Dataset`; every later step reads the index only.
Every kind is registered the same way, from its declaration in :mod:`kinds`.
Every resolved reference records a backlink at the moment it resolves; an unknown
target is a problem with file and line.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from . import models as m
from .errors import Problems
from .kinds import KINDS, Kind, anchor_for, iter_plan, page_kinds, ref_types, where_defined
from .loader import Dataset, Loaded, Page, load_data, load_pages
from .refs import Ref, find_refs, normalise_id, parse_plain, replace_refs
from .routes import params_of, route, route_of
from .search import load_search_words
from .yamlsource import line_of

__all__ = ["Entry", "Index", "anchor_for", "build_index", "iter_plan", "natural_key", "plain_excerpt", "TYPE_TITLES"]

R = TypeVar("R", bound=BaseModel)

class _TypeTitles(dict[str, tuple[str, str]]):
    """Singular and plural Norwegian names of each kind, read from the registry when asked."""

    def __missing__(self, name: str) -> tuple[str, str]:
        return (KINDS[name].singular, KINDS[name].plural)

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __contains__(self, name: object) -> bool:
        return name in KINDS


TYPE_TITLES = _TypeTitles()
"""Singular and plural Norwegian names of each entry type, for headings and backlinks."""


@dataclass
class Entry(Generic[R]):
    """One addressable thing: a record, a law paragraph or a page, typed by its record."""

    type: str
    id: str
    title: str
    page: str
    anchor: str | None
    record: R
    file: Path | None = None
    line: int = 0
    kommune: str | None = None
    parent: str | None = None
    raw: Any = None

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
    entries: dict[tuple[str, str], Entry[Any]] = field(default_factory=dict)
    backlinks: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    dataset: Dataset | None = None
    sources: dict[str, m.SourceDocument] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    search_words: Any = None
    """The checked ``data/sokeord.yml`` (:class:`knowledgebase.search.SearchWords`)."""
    _by_type: tuple[int, dict[tuple[str, str | None], list[Entry[Any]]]] | None = field(default=None, repr=False)

    # -- lookups --------------------------------------------------------------------------

    def get(self, ref_type: str, ident: str) -> Entry[Any] | None:
        return self.entries.get((ref_type, normalise_id(ref_type, ident)))

    def of_type(self, ref_type: str, kommune: str | None = None) -> list[Entry[Any]]:
        """Entries of one type (optionally one kommune's), sorted by id."""
        if self._by_type is None or self._by_type[0] != len(self.entries):
            grouped: dict[tuple[str, str | None], list[Entry[Any]]] = defaultdict(list)
            for e in sorted(self.entries.values(), key=lambda e: natural_key(e.id)):
                grouped[(e.type, None)].append(e)
                if e.kommune:
                    grouped[(e.type, e.kommune)].append(e)
            self._by_type = (len(self.entries), grouped)
        return list(self._by_type[1].get((ref_type, kommune), []))

    def of(self, kind: Kind[R], kommune: str | None = None) -> list[Entry[R]]:
        """Entries of one kind, typed by its model (optionally one kommune's), sorted by id."""
        return self.of_type(kind.name, kommune)

    def kommuner(self) -> list[Entry[m.Kommune]]:
        return self.of_type("kommune")

    def plan_of(self, kommune: str) -> m.Handlingsplan | None:
        """A kommune's handlingsplan, if it has one."""
        entry = self.entries.get(("handlingsplan", kommune))
        return entry.record if entry is not None else None

    def routines_for(self, duty: Entry[m.Responsibility]) -> list[Entry[m.RoutineMeta]]:
        """Routines named by a duty, then those that apply to its kommune and share a legal basis with it."""
        named = [self.get("rutine", r) for r in duty.record.rutiner]
        basis = set(duty.record.hjemmel)
        related = [r for r in self.of_type("rutine")
                   if basis & set(r.record.hjemmel)
                   and (not r.record.gjelder_for or duty.kommune in r.record.gjelder_for)]
        out: list[Entry[m.RoutineMeta]] = []
        for r in named + related:
            if r is not None and r not in out:
                out.append(r)
        return out

    def guide_chapters(self, dokument: str) -> dict[int, str]:
        """A document's hand-written chapter pages (``docs/veileder/<dokument>/NN-*.md``) by chapter number."""
        out = {}
        for page in self.pages:
            params = params_of(page.src_uri)
            number = params.get("name", "").split("-", 1)[0]
            if route_of(page.src_uri) == "veilederkapittel" and params["dokument"] == dokument and number.isdigit():
                out[int(number)] = page.src_uri
        return dict(sorted(out.items()))

    def covered_today(self, dokument: str, chapter: int) -> list[m.CoveredToday]:
        """What covers the topic of one chapter of a document today (its ``dekkes_i_dag`` entries)."""
        entry = self.get("dokument", dokument)
        return [c for c in entry.record.dekkes_i_dag if c.kapittel == chapter] if entry else []

    def overdue_routines(self, today: date) -> list[Entry[m.RoutineMeta]]:
        """Routines whose next review date has passed."""
        return [e for e in self.of_type("rutine")
                if e.record.neste_revisjon and e.record.neste_revisjon < today]

    def backlinks_of(self, key: tuple[str, str], include_children: bool = False) -> dict[str, list[Entry[Any]]]:
        """Entries that point at ``key``, grouped by type and sorted; a law may include its paragraphs."""
        sources = set(self.backlinks.get(key, set()))
        if include_children:
            for child_key, child_sources in self.backlinks.items():
                if child_key[0] == key[0] and child_key[1].startswith(key[1] + "/"):
                    sources |= child_sources
        grouped: dict[str, list[Entry[Any]]] = defaultdict(list)
        for source_key in sources:
            entry = self.entries.get(source_key)
            if entry is not None and source_key != key:
                grouped[entry.type].append(entry)
        order = list(TYPE_TITLES)
        return {
            t: sorted(grouped[t], key=lambda e: (e.kommune or "", natural_key(e.id)))
            for t in sorted(grouped, key=order.index)
        }

    def add(self, entry: Entry[Any], problems: Problems, what: str = "id") -> None:
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


def natural_key(text: str) -> list[int | str]:
    """Sort '2.10' after '2.9' and 'sys-2' before 'sys-10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


# --- Building the entries --------------------------------------------------------------------


def _register(index: Index, kind: Kind[Any], loaded: Loaded, problems: Problems, kommune: str | None) -> None:
    """Register one record of ``kind`` and the records inside it."""
    record = loaded.record
    local = kommune if kind.single and kommune else kind.key(record)
    scoped = kommune is not None and not kind.single
    ident = f"{kommune}/{local}" if scoped else (kommune if kind.single and kommune else local)
    parent = kind.parent(record)
    entry: Entry[Any] = Entry(kind.name, ident, kind.title(record), kind.page(local, kommune, parent),
                              kind.anchor(local) if kind.anchor else None, record, loaded.file, loaded.line,
                              kommune=kommune, parent=parent, raw=loaded.raw)
    index.add(entry, problems)
    if kind.children is None:
        return
    for child in kind.children(record):
        child_kind = KINDS[child.kind]
        raw = _node(loaded.raw, child.loc)
        child_local = child.id or child_kind.key(child.record)
        child_id = f"{kommune}/{child_local}" if kommune else child_local
        index.add(
            Entry(child.kind, child_id, child.title or child_kind.title(child.record),
                  child.page or child_kind.page(child_local, kommune, child.parent),
                  child.anchor or (child_kind.anchor(child_local) if child_kind.anchor else None),
                  child.record, loaded.file, line_of(loaded.raw, child.loc), kommune=kommune, parent=child.parent,
                  raw=raw),
            problems, "paragraph number" if isinstance(child.record, m.Provision) else "id",
        )


def _node(raw: Any, loc: tuple[str | int, ...]) -> Any:
    node = raw
    for part in loc:
        node = node[part]
    return node


def _register_data(index: Index, dataset: Dataset, problems: Problems) -> None:
    for kind in KINDS.values():
        if kind.scope == "national" and kind.file:
            for loaded in dataset.national.get(kind.file, []):
                _register(index, kind, loaded, problems, None)
        if kind.national_file:
            for loaded in dataset.national.get(kind.national_file, []):
                _register(index, kind, loaded, problems, None)
    for kid, files in dataset.kommuner.items():
        for kind in KINDS.values():
            if kind.scope == "kommune" and kind.file:
                for loaded in files.get(kind.file, []):
                    _register(index, kind, loaded, problems, kid)
    index.sources = {e.id: e.record for e in index.of_type("kilde")}


def _register_pages(index: Index, pages: list[Page], problems: Problems) -> None:
    for page in pages:
        meta = page.meta
        kind = page_kinds().get(getattr(meta, "type", "")) if meta is not None else None
        if kind is not None and meta is not None:
            kommune = getattr(meta, "kommune", None)
            index.add(Entry(kind.name, kind.key(meta), kind.title(meta), page.src_uri, None, meta, page.path, 2,
                            kommune=kommune, raw=page.raw_meta), problems,
                      "chapter number" if kind.name == "kapittel" else "id")
        else:
            title = (meta.title if isinstance(meta, m.PageMeta) and meta.title else None) \
                or _first_heading(page.body) or page.src_uri
            index.entries[("side", page.src_uri)] = Entry("side", page.src_uri, title, page.src_uri, None, meta,
                                                          page.path, 1)


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


# --- Resolving references ----------------------------------------------------------------------


def _check_target(index: Index, problems: Problems, source: Entry[Any], field_name: str, ref_type: str, ident: str,
                  line: int, written_as_ref: bool = False) -> Entry[Any] | None:
    target = index.get(ref_type, ident)
    if target is None:
        known = [e.id for e in index.of_type(ref_type)
                 if source.kommune is None or e.kommune in (source.kommune, None)]
        guess = difflib.get_close_matches(normalise_id(ref_type, ident), known, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        what = f"the reference [[{ref_type}:{ident}]]: " if written_as_ref else ""
        where = where_defined(ref_type)
        problems.add(
            source.file or "", line,
            f"{what}'{ident}' is not a known {TYPE_TITLES[ref_type][0].lower()} ({ref_type}); {hint}"
            f"use the id of an existing record{' in ' + where if where else ''}",
            _source_label(source, field_name),
            field_name,
        )
        return None
    index.link(source.key, target.key)
    return target


def _source_label(source: Entry[Any], field_name: str) -> str:
    """Name the record that holds a reference; a page's own text needs only its file and line."""
    if not field_name and KINDS[source.type].scope == "page":
        return ""
    return f"{type(source.record).__name__}(id={source.local_id!r})"


def _scoped(kommune: str | None, ident: str) -> str:
    """A kommune-local id in a structured field becomes 'kommune/id'."""
    return ident if (kommune is None or "/" in ident) else f"{kommune}/{ident}"


_NESTED = (m.Tiltak, m.Goal, m.Provision, m.Area)
"""Records registered as entries of their own; their text is resolved there, not in their parent."""


def _walk_text(record: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (field path, text) for every string in a record, nested records included."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, str):
            yield path + (name,), value
        elif isinstance(value, BaseModel) and not isinstance(value, _NESTED):
            yield from _walk_text(value, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield path + (name, i), item
                elif isinstance(item, BaseModel) and not isinstance(item, _NESTED):
                    yield from _walk_text(item, path + (name, i))


def _resolve_record(index: Index, entry: Entry[Any], problems: Problems) -> None:
    record, raw = entry.record, entry.raw
    kind = KINDS[entry.type]
    for ref in kind.refs if isinstance(record, kind.model) else ():
        value = getattr(record, ref.field)
        values = value if isinstance(value, list) else [value] if value else []
        for i, ident in enumerate(values):
            loc: tuple[str | int, ...] = (ref.field, i) if isinstance(value, list) else (ref.field,)
            line = line_of(raw, loc) if raw is not None else entry.line
            target_id = _scoped(entry.kommune, ident) if ref.local else ident
            _check_target(index, problems, entry, ref.field, ref.kind, target_id, line)
    if isinstance(record, m.Term):
        for i, item in enumerate(record.se_ogsa):
            parsed = parse_plain(item, ref_types())
            line = line_of(raw, ("se_ogsa", i)) if raw is not None else entry.line
            if parsed is None:
                problems.add(entry.file or "", line, f"'{item}' is not a reference; write type:id, e.g. begrep:ip",
                             f"Term(id={record.id!r})", "se_ogsa")
            else:
                _check_target(index, problems, entry, "se_ogsa", parsed[0], parsed[1], line)
    if isinstance(record, m.Provision):
        for i, ident in enumerate(record.erstattet_av):
            line = line_of(raw, ("erstattet_av", i)) if raw is not None else entry.line
            _check_target(index, problems, entry, "erstattet_av", "lov", ident, line)
    if isinstance(record, m.Handlingsplan):
        for e, row in enumerate(record.okonomitabell):
            for i, ident in enumerate(row.tiltak):
                _check_target(index, problems, entry, "okonomitabell.tiltak", "tiltak", f"{entry.kommune}/{ident}",
                              line_of(raw, ("okonomitabell", e, "tiltak", i)))
    if isinstance(record, m.Document) and record.dekkes_i_dag:
        _check_covered_today(index, problems, entry)
    for path, text in _walk_text(record):
        for found in find_refs(text):
            line = line_of(raw, path) if raw is not None else entry.line
            _resolve_text_ref(index, problems, entry, ".".join(map(str, path)), found, line)
    for source in _sources_of(record):
        if source.dokument not in index.sources:
            problems.add(entry.file or "", entry.line,
                         f"'{source.dokument}' is not a source document; "
                         f"use one of: {', '.join(sorted(index.sources))}",
                         f"{type(record).__name__}(id={entry.local_id!r})", "kilde.dokument")


def _check_covered_today(index: Index, problems: Problems, entry: Entry[m.Document]) -> None:
    """Each ``dekkes_i_dag`` entry names a chapter the document has a page for, and a known document."""
    chapters = index.guide_chapters(entry.id)
    for i, covered in enumerate(entry.record.dekkes_i_dag):
        line = line_of(entry.raw, ("dekkes_i_dag", i, "kapittel")) if entry.raw is not None else entry.line
        _check_target(index, problems, entry, "dekkes_i_dag.dokument", "dokument", covered.dokument,
                      line_of(entry.raw, ("dekkes_i_dag", i, "dokument")) if entry.raw is not None else entry.line)
        if covered.kapittel not in chapters:
            have = ", ".join(map(str, chapters)) or "none yet"
            problems.add(entry.file or "", line,
                         f"{entry.record.nummer or entry.id} has no chapter {covered.kapittel} (no page "
                         f"docs/{route('veilederkapittel', dokument=entry.id, name=f'{covered.kapittel:02d}-...')}); "
                         f"write the number of one of its chapters: {have}",
                         f"Document(id={entry.id!r})", "dekkes_i_dag.kapittel")


def _sources_of(record: Any) -> list[m.Source]:
    found = []
    for name in ("kilde", "kilder"):
        value = getattr(record, name, None)
        if isinstance(value, m.Source):
            found.append(value)
        elif isinstance(value, list):
            found.extend(v for v in value if isinstance(v, m.Source))
    return found


def _resolve_text_ref(index: Index, problems: Problems, source: Entry[Any], field_name: str, ref: Ref,
                      line: int) -> None:
    known = ref_types()
    if ref.type not in known:
        problems.add(source.file or "", line,
                     f"'{ref.text}' has an unknown reference type '{ref.type}'; use one of: {', '.join(known)}",
                     _source_label(source, field_name), field_name)
        return
    _check_target(index, problems, source, field_name, ref.type, ref.id, line, written_as_ref=True)


def _resolve_all(index: Index, pages: list[Page], problems: Problems) -> None:
    by_path = {page.src_uri: page for page in pages}
    for entry in list(index.entries.values()):
        if entry.type != "side":
            _resolve_record(index, entry, problems)
        if KINDS[entry.type].scope == "page":
            page = by_path[entry.page]
            for ref in find_refs(page.body, page.body_line):
                _resolve_text_ref(index, problems, entry, "", ref, ref.line)


PLAN_TITLE_LENGTH = 70
"""Most characters of the text a goal's or tiltak's title quotes."""


def plain_excerpt(index: Index, text: str | None, length: int) -> str:
    """Plain text of at most ``length`` characters: references become their titles, never half a link,
    and list items run on as one line."""

    def title(ref: Ref) -> str:
        entry = index.get(ref.type, ref.id)
        return ref.label or (entry.title if entry else ref.id)

    # On one line a list reads 'a, b': items after text are joined by commas, then the markers go.
    text = re.sub(r"(?m)^\s*[-*+]\s+", "", re.sub(r"(?<=[^:\s])[ \t]*\n\s*[-*+]\s+", ", ", text or ""))
    plain = re.sub(r"\s+", " ", replace_refs(text, title)).strip()
    return plain if len(plain) <= length else plain[: length - 1].rsplit(" ", 1)[0] + "…"


def _title_plan_entries(index: Index) -> None:
    """Title goals and tiltak by their number and the start of their own text ('Tiltak 3.2: Etablere …'),
    never by their id. Runs once every entry is known, so a reference in the text reads as its title."""
    for entry in index.of_type("mal") + index.of_type("tiltak"):
        word = TYPE_TITLES[entry.type][0]
        text = plain_excerpt(index, entry.record.tekst, PLAN_TITLE_LENGTH)
        entry.title = f"{word} {entry.record.nummer}: {text}" if entry.record.nummer else f"{word}: {text}"


def _place_unexplained_terms(index: Index) -> None:
    """An abbreviation the sources do not explain is no glossary entry: references to it lead to the
    editors' list of unexplained abbreviations, where it waits for someone to confirm its meaning."""
    for entry in index.of_type("begrep"):
        if not entry.record.explained:
            entry.page = route("uforklarte")


def _check_pathways(index: Index, problems: Problems) -> None:
    """Tiltak without owner or deadline must say so explicitly (quality gate 5)."""
    for entry in index.of_type("tiltak"):
        tiltak: m.Tiltak = entry.record
        if not tiltak.ansvarlig and not tiltak.ansvarlige_enheter:
            problems.add(entry.file or "", entry.line,
                         "has no owner; write 'ansvarlig: ...' as the plan gives it, "
                         f"or 'ansvarlig: {m.NOT_STATED}'", f"Tiltak(id={tiltak.id!r})", "ansvarlig")
        if not tiltak.frist:
            problems.add(entry.file or "", entry.line,
                         f"has no deadline; write 'frist: ...' as the plan gives it, or 'frist: {m.NOT_STATED}'",
                         f"Tiltak(id={tiltak.id!r})", "frist")


def build_index(root: Path, data_dir: Path, docs_dir: Path, problems: Problems) -> Index:
    """Load data and pages, register every entry, resolve every reference.

    Problems are recorded in ``problems``; the caller decides whether to fail.
    """
    dataset = load_data(data_dir, problems)
    pages = load_pages(docs_dir, problems)
    index = Index(root=root, dataset=dataset, pages=pages, search_words=load_search_words(data_dir, problems))
    # Each stage runs only when the one before was clean, so one mistake gives one message
    # (a broken file does not also show up as every reference into it).
    if problems:
        return index
    _register_data(index, dataset, problems)
    _register_pages(index, pages, problems)
    if problems:
        return index
    _resolve_all(index, pages, problems)
    _check_pathways(index, problems)
    _title_plan_entries(index)
    _place_unexplained_terms(index)
    return index
