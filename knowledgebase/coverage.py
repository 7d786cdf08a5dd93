"""Coverage report: which national recommendations each kommune's plan answers.

Imports :mod:`index`. Used by ``python -m knowledgebase coverage``.
"""

from __future__ import annotations

from .index import Index


def coverage_report(index: Index) -> str:
    """One line per recommendation: which kommuner answer it through tiltak, services or routines."""
    kommuner = [k.id for k in index.kommuner()]
    lines = ["recommendation\t" + "\t".join(kommuner)]
    counts = dict.fromkeys(kommuner, 0)
    recs = index.of_type("anbefaling")
    for rec in recs:
        sources = [index.entries[s] for s in index.backlinks.get(rec.key, set()) if s in index.entries]
        cells = []
        for k in kommuner:
            hits = sorted(e.id for e in sources if e.kommune == k)
            cells.append(", ".join(hits) or "-")
            counts[k] += bool(hits)
        lines.append(f"{rec.id}\t" + "\t".join(cells))
    lines.append("answered\t" + "\t".join(f"{counts[k]}/{len(recs)}" for k in kommuner))
    return "\n".join(lines)
