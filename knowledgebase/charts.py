"""Accessible SVG bar charts for indicators; geometry here, markup in ``templates/chart.svg.j2``.

Imports :mod:`models` only. A chart is drawn only where at least one value exists; the
page always shows the same numbers in a table as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import models as m

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by pattern too.
PALETTE = ["#1f4e79", "#b34700", "#2e6b30", "#6b2e6b", "#5c5c00", "#00626b"]


@dataclass(frozen=True)
class Bar:
    series: int
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text_x: float


@dataclass(frozen=True)
class Group:
    label: str
    y: float
    bars: list[Bar]


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return text.replace(".", ",")


def render_chart(indicator: m.Indicator) -> str | None:
    """Return an SVG (one line per element) for a horizontal grouped bar chart, or None if no values."""
    periods: list[str] = []
    for series in indicator.serier:
        for value in series.verdier:
            if value.periode not in periods:
                periods.append(value.periode)
    values = [v.verdi for s in indicator.serier for v in s.verdier if v.verdi is not None]
    if not values:
        return None
    top = max(max(values), 0) or 1
    label_w, chart_w, bar_h, gap = 110, 250, 18, 14
    groups = []
    y = 10.0
    for period in periods:
        bars = []
        for si, series in enumerate(indicator.serier):
            found = next((v for v in series.verdier if v.periode == period), None)
            if found is None or found.verdi is None:
                continue
            width = max(chart_w * found.verdi / top, 1)
            bars.append(Bar(si, series.navn, found.verdi, label_w, y, width, bar_h, label_w + width + 4))
            y += bar_h + 3
        if bars:
            groups.append(Group(period, bars[0].y, bars))
            y += gap
    legend = [(i, s.navn, PALETTE[i % len(PALETTE)]) for i, s in enumerate(indicator.serier)]
    height = y + 10 + 20 * len(legend)
    summary = "; ".join(
        f"{g.label}: " + ", ".join(f"{b.label} {_fmt(b.value)}" for b in g.bars) for g in groups
    )
    return _ENV.get_template("chart.svg.j2").render(
        indicator=indicator, groups=groups, height=height, width=label_w + chart_w + 50, palette=PALETTE,
        legend=legend, legend_y=y + 10, summary=summary, fmt=_fmt,
    ).strip()
