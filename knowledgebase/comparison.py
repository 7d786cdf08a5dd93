"""Comparison across kommuner on one structure: services by kind and by situation, figures per 1000
inhabitants, and the handlingsplaner side by side.

Imports :mod:`index` and :mod:`models`. Every table has the kommuner as columns, read from the
index, so a fourth kommune adds a column without a code change. Figures from a plan carry the plan's year.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import models as m
from .index import Entry, Index


@dataclass(frozen=True)
class Cell:
    """One value; ``link`` is (route name, route params) of the page behind it, if any."""

    text: str
    link: tuple[str, dict[str, str]] | None = None
    anchor: str | None = None
    """An anchor on the linked page, or on this page when there is no ``link``."""


@dataclass(frozen=True)
class Table:
    """A table with a row header column and one column per kommune."""

    title: str
    intro: str
    row_header: str
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)


def _tiltak(index: Index, kommune: str) -> list[tuple[str, m.Tiltak]]:
    """(area name, tiltak) for every tiltak of the kommune's handlingsplan, in plan order."""
    plan = index.plan_of(kommune)
    if plan is None:
        return []
    found = []
    for area in plan.omrader:
        found += [(area.navn, t) for t in area.tiltak]
        found += [(area.navn, t) for goal in area.mal for t in goal.tiltak]
    found += [("Mål for kapitlene", t) for goal in plan.kapittelmal for t in goal.tiltak]
    return found


def _year(kommune: Entry[m.Kommune]) -> str:
    year = kommune.record.plan.kildear
    return f"planen fra {year}" if year else "planen, år ikke oppgitt"


def services_by_situation(index: Index) -> Table:
    """Current services per everyday situation (the tags the data gives each service), per kommune."""
    kommuner = index.kommuner()
    table = Table("Tjenester etter situasjon", "Antall tjenester som finnes i dag, etter situasjonene tjenestene "
                  "er merket med. Tallet lenker til kommunens side for situasjonen.", "Situasjon")
    for key, title in m.SITUATION_TITLES.items():
        cells = []
        for k in kommuner:
            services = [e for e in index.of_type("tjeneste", k.id) if key in e.record.situasjoner]
            current = sum(1 for e in services if e.record.status == "eksisterende")
            planned = sum(1 for e in services if e.record.status == "planlagt")
            text = str(current) + (f" (og {planned} planlagt)" if planned else "")
            link = ("situasjon", {"kommune": k.id, "slug": m.SITUATION_SLUGS[key]}) if services else None
            cells.append(Cell(text, link))
        table.rows.append((title, cells))
    return table


COUNTED_STATUSES = ("eksisterende", "planlagt")
"""A service that was shut down (avviklet) is not counted in the comparison."""


@dataclass(frozen=True)
class KindList:
    """The services of one kind, per kommune, for the list under the table; ``anchor`` is the cells' target."""

    key: str
    title: str
    anchor: str
    services: list[tuple[Entry[m.Kommune], list[Entry[m.Service]]]]


def services_of_kind(index: Index, kommune: str, kind: str) -> list[Entry[m.Service]]:
    """The kommune's existing and planned services of the kind, by name."""
    return sorted((e for e in index.of_type("tjeneste", kommune)
                   if kind in e.record.slag and e.record.status in COUNTED_STATUSES), key=lambda e: e.title)


def services_by_kind(index: Index) -> tuple[Table, list[KindList]]:
    """Existing (and planned) services per kind and kommune; each count links to the list of those services."""
    kommuner = index.kommuner()
    table = Table("Tjenester etter slag", "Antall tjenester som finnes i dag, etter hva slags tjeneste det er. "
                  "En tjeneste kan høre til flere slag. Tallet lenker til listen over tjenestene under tabellen.",
                  "Slag")
    lists = []
    for key, title in m.SERVICE_KIND_TITLES.items():
        anchor = "slag-" + key.replace("_", "-")
        per_kommune = [(k, services_of_kind(index, k.id, key)) for k in kommuner]
        cells = []
        for _, services in per_kommune:
            current = sum(1 for e in services if e.record.status == "eksisterende")
            planned = len(services) - current
            text = (str(current) if current else "ingen") + (f" (og {planned} planlagt)" if planned else "")
            cells.append(Cell(text, None, anchor if services else None))
        table.rows.append((title, cells))
        lists.append(KindList(key, title, anchor, per_kommune))
    return table, lists


def services_without_kind(index: Index) -> dict[str, int]:
    """Per kommune id, how many services have no kind, as the editors' work list counts them."""
    return {k.id: sum(1 for e in index.of_type("tjeneste", k.id) if not e.record.slag) for k in index.kommuner()}


def figures_per_1000(index: Index) -> Table:
    """Staffing, user and population figures the sources give per inhabitants, shown per 1000 inhabitants.

    A row per indicator marked ``per_1000_innbyggere`` (kommuner that use the same indicator id share a row);
    each cell gives the kommune's own series' latest value, converted where the source counts per 10 000 or in
    per cent, with the period and the source chapter, and links to the indicator on the statistics page.
    """
    kommuner = index.kommuner()
    rows: dict[str, tuple[str, dict[str, Cell]]] = {}
    for k in kommuner:
        for e in index.of_type("indikator", k.id):
            ind = e.record
            cell = _per_1000_cell(ind, k.title, e) if ind.per_1000_innbyggere else None
            if cell is not None:
                rows.setdefault(e.local_id, (ind.tittel, {}))[1][k.id] = cell
    table = Table("Tall per 1000 innbyggere", "Tall om bemanning og brukere der kildene oppgir dem per innbygger. "
                  "Tall per 10 000 innbyggere og i prosent av befolkningen er regnet om til per 1000, og cellen "
                  "sier det. Ingen av kildene oppgir et nøyaktig folketall, så ingen tall er regnet ut fra et "
                  "antall. Hver celle sier hvilket år tallet gjelder, og lenker til tallet og kilden på "
                  "kommunens statistikkside.", "Tall")
    for key in sorted(rows, key=lambda r: rows[r][0]):
        title, cells = rows[key]
        table.rows.append((title, [cells.get(k.id, Cell(m.NOT_STATED)) for k in kommuner]))
    return table


def _per_1000_cell(ind: m.Indicator, kommune_title: str, entry: Entry[m.Indicator]) -> Cell | None:
    """The latest value of the kommune's own series (named as the kommune) per 1000 inhabitants, if any."""
    factor = m.per_1000_factor(ind.enhet)
    own = [s for s in ind.serier if s.navn == kommune_title]
    values = [v for s in own for v in s.verdier if v.verdi is not None]
    if factor is None or not values:
        return None
    v = values[-1]
    text = f"{_decimal(v.verdi * factor)} per 1000"  # type: ignore[operator]
    if factor != 1.0:
        text += f" (omregnet fra {_decimal(v.verdi)} {ind.enhet})"  # type: ignore[arg-type]
    if v.merknad:
        text += f", kilden skriver {v.merknad}"
    chapter = f", kap. {ind.kilde.kapittel}" if ind.kilde.kapittel else ""
    text += f"; {v.periode}{chapter}"
    return Cell(text, ("kommunestatistikk", {"kommune": entry.kommune or ""}), entry.anchor)


def _decimal(value: float) -> str:
    return f"{round(value, 2):g}".replace(".", ",")


def tiltak_tables(index: Index) -> list[Table]:
    """The handlingsplaner side by side: tiltak by status, by deadline year, by area, and their stated cost."""
    kommuner = index.kommuner()
    plans = {k.id: _tiltak(index, k.id) for k in kommuner}
    status = Table("Tiltak etter status", "Siste rapporterte status for hvert tiltak.", "Status")
    for key, title in m.TILTAK_STATUS_TITLES.items():
        status.rows.append((title, [Cell(str(sum(1 for _, t in plans[k.id] if t.current_status == key)),
                                         ("tiltaksoversikt", {"kommune": k.id})) for k in kommuner]))
    status.rows.append(("I alt", [Cell(str(len(plans[k.id]))) for k in kommuner]))
    years = sorted({t.frist_ar for k in kommuner for _, t in plans[k.id] if t.frist_ar})
    deadline = Table("Tiltak etter fristår", "Året fristen ligger i, slik planen skriver den.", "Fristår")
    for year in years:
        deadline.rows.append((str(year), [Cell(str(sum(1 for _, t in plans[k.id] if t.frist_ar == year)))
                                          for k in kommuner]))
    deadline.rows.append(("Uten årstall", [Cell(str(sum(1 for _, t in plans[k.id] if not t.frist_ar)))
                                           for k in kommuner]))
    cost = Table("Kostnad planen oppgir", "Summen av beløpene planen oppgir for tiltakene, med året planen er "
                 "fra. Tiltak uten beløp er ikke med i summen.", "Hva")
    cost.rows.append(("Sum oppgitte beløp", [Cell(_cost(plans[k.id]) + f" ({_year(k)})") for k in kommuner]))
    cost.rows.append(("Tiltak med beløp", [Cell(f"{sum(1 for _, t in plans[k.id] if t.okonomi_nok is not None)} av "
                                                f"{len(plans[k.id])}") for k in kommuner]))
    areas = Table("Tiltak etter innsatsområde", "Hver plan har sine egne innsatsområder; her med antall tiltak.",
                  "Hva")
    area_cells = []
    for k in kommuner:
        counts = Counter(area for area, _ in plans[k.id])
        area_cells.append(Cell("; ".join(f"{name} ({n})" for name, n in counts.items()) or "Ingen handlingsplan",
                               ("handlingsplan", {"kommune": k.id}) if counts else None))
    areas.rows.append(("Innsatsområder", area_cells))
    return [status, deadline, cost, areas]


def _cost(tiltak: list[tuple[str, m.Tiltak]]) -> str:
    amounts = [t.okonomi_nok for _, t in tiltak if t.okonomi_nok is not None]
    return _nok(sum(amounts)) if amounts else "Ingen beløp oppgitt"


def _nok(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


CHART_LABELS = {"barn_unge": "Barn og unge", "angst_depresjon": "Angst, depresjon", "rus_spill": "Rus og spill",
                "parorende": "Pårørende", "akutt_krise": "Akutt krise", "alvorlig_psykisk_lidelse": "Alvorlig lidelse",
                "bolig_arbeid_okonomi": "Bolig, arbeid", "aktivitet_fellesskap": "Aktivitet",
                "eldre": "Eldre", "flyktning": "Flyktning", "gravid_smabarn": "Gravid, småbarn"}
"""Short names of the situations that fit the chart's label column; the table beside it has the full ones."""


def services_chart_indicator(index: Index) -> m.Indicator:
    """The current services per situation as an indicator (a series per kommune) for :func:`charts.render_chart`.

    Built in memory for the chart only; it is not a record of the knowledge base and has no source of its own.
    """
    series = []
    for k in index.kommuner():
        values = [m.Value(periode=CHART_LABELS.get(key, title), verdi=float(sum(
            1 for e in index.of_type("tjeneste", k.id) if key in e.record.situasjoner
            and e.record.status == "eksisterende"))) for key, title in m.SITUATION_TITLES.items()]
        series.append(m.Series(navn=k.title, verdier=values))
    fields: dict[str, Any] = {"id": "tjenester-situasjon", "tittel": "Tjenester som finnes i dag, etter situasjon",
                              "enhet": "antall tjenester", "serier": series}
    return m.Indicator.model_construct(**fields)
