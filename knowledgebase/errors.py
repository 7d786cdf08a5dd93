"""Problems found in the editors' data, collected and reported together.

Imports nothing from the rest of the package. Every other module reports through
:class:`Problems` so that one build lists every mistake before it fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place, phrased for an editor.

    Attributes:
        file: Path of the file, relative to the project root where possible.
        line: 1-based line number, or 0 when the file as a whole is wrong.
        entity: Record label such as ``Tiltak(id='2.1.3')``; empty for file-level problems.
        field: The field name or dotted path; empty when no single field is at fault.
        message: What is wrong and what to write instead.
    """

    file: str
    line: int
    entity: str
    field: str
    message: str

    def format(self) -> str:
        """Return the one-line message ``file:line: Entity field 'x': message``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where + ":"]
        if self.entity:
            parts.append(self.entity)
        if self.field:
            parts.append(f"field '{self.field}':")
        elif self.entity:
            parts[-1] += ":"
        parts.append(self.message)
        return " ".join(parts)


@dataclass
class Problems:
    """An ordered, de-duplicated collection of problems."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def add(self, file: str | Path, line: int, message: str, entity: str = "", field_name: str = "") -> None:
        """Record one problem; ``file`` is shown relative to :attr:`root` when possible."""
        problem = Problem(self.relative(file), int(line or 0), entity, field_name, message)
        if problem not in self.items:
            self.items.append(problem)

    def relative(self, file: str | Path) -> str:
        """Return ``file`` relative to the project root, with forward slashes."""
        path = Path(file)
        if self.root is not None:
            try:
                path = path.resolve().relative_to(self.root.resolve())
            except ValueError:
                pass
        return path.as_posix()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def report(self) -> str:
        """Return every problem, sorted by file and line, then a count line."""
        lines = [p.format() for p in sorted(self.items)]
        noun = "problem" if len(lines) == 1 else "problems"
        lines.append(f"{len(lines)} {noun} in the data; the site was not built. Fix them and build again.")
        return "\n".join(lines)


class DataError(Exception):
    """Raised once, at the end of a validation pass, when problems were found."""

    def __init__(self, problems: Problems):
        super().__init__(problems.report())
        self.problems = problems
