"""Command line: validate the data, write exports and generated pages, without MkDocs.

Imports :mod:`build` (the shared pipeline). Exit codes: 0 valid, 1 problems in the data,
2 wrong usage. Messages are the same as in ``mkdocs build``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m knowledgebase", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (holds data/ and docs/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate data/ and the front matter in docs/; print every problem")
    export = sub.add_parser("export", help="validate, then write the whole site as Markdown with a mkdocs.yml "
                                                   "without hooks, for any engine (docs/utvikler/motorer.md)")
    export.add_argument("out", type=Path, help="folder to write into (created; must be empty or absent)")
    finish = sub.add_parser("finish", help="after an engine built the exported tree: check every page, then write "
                                           "the search index and _headers, as the hooks do")
    finish.add_argument("site", type=Path, help="the folder the engine built (for example OUT/site)")
    sub.add_parser("coverage", help="print which national recommendations and requirements each kommune answers")
    sub.add_parser("schema", help="write the JSON Schema of every data file to schema/")
    status = sub.add_parser("status-import", help="read statuses edited in handlingsplan.xlsx or .csv into the data")
    status.add_argument("file", type=Path, help="the edited workbook (.xlsx) or CSV from site/export/<kommune>/")
    status.add_argument("--kommune", required=True, help="kommune id, e.g. flaa")
    status.add_argument("--dry-run", action="store_true",
                        help="show the changes as a diff of the YAML file; write nothing")
    args = parser.parse_args(argv)

    if args.command == "status-import":
        from .status_import import StatusImportError, import_statuses

        try:
            result, report = import_statuses(args.root, args.kommune, args.file, dry_run=args.dry_run)
        except DataError as err:
            print(str(err), file=sys.stderr)
            return 1
        except (StatusImportError, OSError) as err:
            print(f"status-import: {err}", file=sys.stderr)
            return 1
        print(report)
        return 1 if result.refused else 0

    if args.command == "schema":
        from .schema import write_schemas

        written = write_schemas(args.root / "schema")
        print(f"Wrote {len(written)} schema files to {args.root / 'schema'}")
        return 0

    from .build import load_project

    try:
        project = load_project(args.root)
    except DataError as err:
        print(str(err), file=sys.stderr)
        return 1
    if args.command == "check":
        index = project.index
        counts: dict[str, int] = {}
        for entry in index.entries.values():
            counts[entry.type] = counts.get(entry.type, 0) + 1
        summary = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
        from datetime import date

        for entry in index.overdue_routines(date.today()):
            print(f"warning: routine '{entry.id}' ({entry.page}) passed its review date "
                  f"{entry.record.neste_revisjon}; its owner ({entry.record.eier or 'not set'}) must review it",
                  file=sys.stderr)
        print(f"OK: the data is valid ({summary})")
        return 0
    if args.command == "export":
        from .build import write_offline

        try:
            count = write_offline(project, args.out)
        except FileExistsError as err:
            print(f"{err}; choose an empty or new folder", file=sys.stderr)
            return 2
        print(f"Wrote {count} files to {args.out}")
        return 0
    if args.command == "finish":
        from .neutral import finish_site

        try:
            problems = finish_site(project.index, args.site)
        except RuntimeError as err:
            print(str(err), file=sys.stderr)
            return 1
        print("\n".join(problems) or f"Checked every page, wrote the search index and _headers in {args.site}",
              file=sys.stderr if problems else sys.stdout)
        return 1 if problems else 0
    if args.command == "coverage":
        from .coverage import coverage_report

        print(coverage_report(project.index))
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
