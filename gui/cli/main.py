"""casebook-cli: the library from a terminal or a script (a thin layer over `storage`).

Whatever a user does, it ends with a plain line and a non-zero exit, never a traceback; when
the output's reader goes away (`| head`), it stops quietly."""

from __future__ import annotations

import sys

try:
    import argparse
    import io
    import json
    import logging
    import multiprocessing
    import os
    from collections.abc import Iterable
    from pathlib import Path

    from storage import paths
    from storage.errors import Cancelled, LibraryError, LibraryMissing
    from storage.export import WRITERS, export
    from storage.keeping import backup, repair
    from storage.keeping.importing import OUTCOME_LABELS, RESOLUTIONS, import_paths
    from storage.keeping.library import Library
    from storage.library_files import check_output
    from storage.patterns.duplicates import library_duplicates
    from storage.patterns.stats import TOP, statistics
    from storage.reading.findings import FINDING_BY_LABEL
    from storage.reading.minhash import THRESHOLD
    from storage.records import STATUS_LABELS
    from storage.searching import syntax
    from storage.searching.search import SORTS, search, snippets
    from storage.searching.similar import LIMIT as SIMILAR_LIMIT
    from storage.searching.similar import similar_cases
except KeyboardInterrupt:  # Ctrl-C while still starting
    print("casebook-cli: interrupted.", file=sys.stderr)
    sys.exit(130)

log = logging.getLogger("casebook.cli")

DESCRIPTION = (
    "Import, search, show and export the cases of a Casebook library from a terminal or a "
    "script: the same library the Casebook window opens, and the same search language."
)


def build_parser() -> argparse.ArgumentParser:
    library_help = f"library file (default: {paths.default_library_path()})"
    parser = argparse.ArgumentParser(prog="casebook-cli", description=DESCRIPTION)
    parser.add_argument("--library", metavar="PATH", help=library_help)
    # --library is also read after the command; SUPPRESS keeps an absent one from hiding the first
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument("--library", metavar="PATH", default=argparse.SUPPRESS, help=library_help)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("import", help="import summary files and folders", parents=[after])
    p.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    p.add_argument(
        "--on-conflict",
        choices=[r.replace("_", "-") for r in RESOLUTIONS],
        default="skip",
        help="same reference, different text: skip the file (default), replace the case "
        "keeping its review fields, or keep both",
    )
    p.add_argument("--quiet", action="store_true", help="print only the totals")

    p = commands.add_parser(
        "search", help="search the library", parents=[after],
        epilog=syntax.plain_text(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--sort", choices=SORTS, default="relevance")

    p = commands.add_parser("show", help="show one case", parents=[after])
    p.add_argument("case", metavar="REF_OR_ID")
    p.add_argument("--json", action="store_true")

    p = commands.add_parser("export", help="export the cases matching a query", parents=[after])
    p.add_argument("query", nargs="?", default="", metavar="QUERY_OR_REF")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--json", action="store_const", dest="format", const="json")
    kind.add_argument("--csv", action="store_const", dest="format", const="csv")
    kind.add_argument("--pdf", metavar="OUT.pdf", help="print the cases to a PDF file")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--notes", action="store_true", help="include review notes in a PDF")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")

    p = commands.add_parser(
        "report", help="a review report of the cases matching a query, as one PDF", parents=[after]
    )
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--pdf", metavar="OUT.pdf", required=True, help="the PDF file to write")
    p.add_argument("--title", help="the report's title, on its cover and every page")
    p.add_argument("--reviewer", help="the name on the cover (default: the one set in the window)")
    p.add_argument("--notes", action="store_true", help="include the reviewer's status, tags and notes")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")

    p = commands.add_parser("similar", help="the cases most like one case", parents=[after])
    p.add_argument("case", metavar="REF_OR_ID")
    p.add_argument("--limit", type=int, default=SIMILAR_LIMIT)
    p.add_argument("--json", action="store_true")

    p = commands.add_parser(
        "duplicates", help="groups of cases that are possibly the same case", parents=[after]
    )
    p.add_argument("--json", action="store_true")

    p = commands.add_parser("stats", help="figures for the cases matching a query", parents=[after])
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--json", action="store_true")
    p.add_argument("--top", type=int, default=TOP, help=f"forces and tags shown by name (default {TOP})")

    commands.add_parser("info", help="where the library is and what it holds", parents=[after])
    commands.add_parser(
        "check", help="look for damage SQLite's own check cannot see (exit 1 if any)", parents=[after]
    )
    commands.add_parser(
        "repair", help="mend what check finds, after a backup: rebuild the search index", parents=[after]
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        print("casebook-cli: interrupted; the library was left as it was.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read the output has stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # exiting flushes into nothing
        return 141  # as for a process ended by SIGPIPE
    except OSError as e:
        log.info("stopped by an error", exc_info=True)
        where = f" ({e.filename})" if e.filename else ""
        print(f"casebook-cli: {e.strerror or e}{where}.", file=sys.stderr)
        return 1


def run(argv: list[str] | None) -> int:
    # First: in the bundled casebook-cli, an import's spawned worker starts here too,
    # with arguments of its own, and must run as a worker instead of parsing them.
    multiprocessing.freeze_support()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a terminal that cannot show a character gets "?"
    args = build_parser().parse_args(argv)
    paths.setup_logging()
    library_path = Path(args.library) if args.library else paths.default_library_path()
    try:
        lib = Library.open(library_path, create=args.command == "import")
    except LibraryMissing:
        print(
            f"casebook-cli: there is no library at {library_path}.\nGive another with --library PATH, "
            "or create one there with: casebook-cli import FILES --library PATH",
            file=sys.stderr,
        )
        return 2
    except LibraryError as e:
        print(f"casebook-cli: {e}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](lib, args)
    except LibraryError as e:
        print(f"casebook-cli: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("casebook-cli: interrupted; the library was left as it was.", file=sys.stderr)
        return 130
    finally:
        lib.close()


def cmd_import(lib: Library, args) -> int:
    def progress(phase: str, done: int, total: int) -> None:
        if not args.quiet and sys.stderr.isatty():
            word = "Reading and storing" if phase == "store" else "Indexing"
            print(f"\r{word}: {done:,} of {total:,}", end="", file=sys.stderr, flush=True)

    try:
        report = import_paths(
            lib, args.paths, resolution=args.on_conflict.replace("-", "_"), progress=progress,
            label="Command line: " + ", ".join(Path(p).name or p for p in args.paths),
        )  # fmt: skip
    except Cancelled:
        print("Import cancelled; the library was left as it was.", file=sys.stderr)
        return 1
    if sys.stderr.isatty() and not args.quiet:
        print(file=sys.stderr)
    if not args.quiet:
        for f in report.files:
            line = f"{OUTCOME_LABELS[f.outcome]:<24} {f.path or f.name}"
            if f.reason:
                line += f"\n{'':<24} {f.reason}"
            for w in f.warnings if f.outcome in ("imported", "updated") else ():
                line += f"\n{'':<24} warning: {w}"
            print(line)
    print(
        f"Batch {report.batch_id}: {report.imported} imported, {report.updated} replaced, "
        f"{report.skipped} skipped, {report.rejected} not importable."
    )
    try:
        taken = backup.after_first_import(lib.path, report)
    except (OSError, LibraryError) as e:  # the backup's SQLite errors come as BackupFailed
        log.warning("no backup after the first import: %s", e, exc_info=True)
        print(f"casebook-cli: the import is complete, but no backup could be taken: {e}", file=sys.stderr)
        return 0
    if taken and not args.quiet:
        print(f"The library's first cases were backed up to {taken}", file=sys.stderr)
    return 0


def cmd_search(lib: Library, args) -> int:
    result = search(lib, args.query, sort=args.sort)
    shown = [int(i) for i in result.ids[: max(0, args.limit)]]
    extracts = snippets(lib, shown, result.query)
    rows = lib.rows(shown)
    if args.json:
        print(
            json.dumps(
                {
                    "total": result.total,
                    "sort": result.sort,
                    "read_as": result.explain(),
                    "cases": [
                        {
                            "id": r.id,
                            "reference": r.reference,
                            "title": r.title,
                            "force": r.force,
                            "published": r.published,
                            "status": r.status,
                            "snippet": extracts.get(r.id),
                        }
                        for r in rows
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{result.total:,} case{'s' if result.total != 1 else ''} (sorted by {result.sort})")
    if args.query.strip():  # as the window's "?" says it
        for line in result.explain():
            print(f"Read as: {line}")
    width = _number_width(r.id for r in rows)
    for r in rows:
        head = f"{r.id:<{width}}  {r.reference or '-':<12} {r.published or '-':<10}  "
        print(head + r.title)
        if r.id in extracts:
            print(" " * len(head) + " ".join(extracts[r.id].split()))
    if result.total > len(rows):
        print(f"… and {result.total - len(rows):,} more: --limit {result.total} lists them all.")
    return 0


def cmd_show(lib: Library, args) -> int:
    case = lib.find_case(args.case)
    if case is None:
        print(f"casebook-cli: no case with reference or number “{args.case}”.", file=sys.stderr)
        return 1
    data = case.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for key in ("reference", "title", "force", "incident_period", "incident_date", "published",
                "category", "findings", "status", "tags"):  # fmt: skip
        value = data[key]
        print(f"{key:<16} {', '.join(value) if isinstance(value, list) else value or '-'}")
    corrected = [f"+{f}" for f in case.findings_added] + [f"-{f}" for f in case.findings_removed]
    if corrected:
        print(f"{'corrected':<16} {', '.join(corrected)} (by a reviewer)")
    if case.chronology:
        print("\nChronology\n")
        for event in case.chronology:
            print(f"{event.date:<12} {event.sentence(case.narrative)}")
    print()
    print(case.narrative)
    if case.recommendations:
        print("\nRecommendations\n\n" + case.recommendations)
    if case.notes:
        print("\nNotes\n\n" + case.notes)
    return 0


def matching_ids(lib: Library, text: str) -> list[int]:
    """A single case by reference or number, else every case matching the query."""
    if text.strip():
        case = lib.find_case(text)
        if case is not None:
            return [case.id]
    return [int(i) for i in search(lib, text, sort="published", with_facets=False).ids]


def output_problem(name: str) -> str | None:
    """Why `name` cannot be written to, in plain words, or None."""
    path = Path(name)
    if path.is_dir():
        return f"{name} is a folder: give the name of a file to write."
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist, so {name} cannot be written."
    return None


def cmd_export(lib: Library, args) -> int:
    target = args.pdf or args.output
    for given in (args.pdf, args.output):
        if given:
            check_output(given, lib.path)
    problem = output_problem(target) if target else None
    if problem:
        print(f"casebook-cli: {problem}", file=sys.stderr)
        return 1
    try:
        return export_cases(lib, args)
    except OSError as e:
        if not target or isinstance(e, BrokenPipeError):
            raise
        log.info("could not write %s", target, exc_info=True)
        print(f"casebook-cli: {target} could not be written: {e.strerror or e}.", file=sys.stderr)
        return 1


def export_cases(lib: Library, args) -> int:
    ids = matching_ids(lib, args.query)
    if args.pdf:
        if not ids:
            print(f"No case matches “{args.query}”: no PDF was written.", file=sys.stderr)
            return 1
        from gui.output.pdf_cli import export_pdf  # Qt is loaded only for PDF output

        export_pdf(lib, ids, args.pdf, include_notes=args.notes, page_size=args.page_size)
        print(f"{len(ids):,} case{'s' if len(ids) != 1 else ''} written to {args.pdf}", file=sys.stderr)
        return 0
    if args.output:
        count = export(lib, ids, args.output, args.format)
        print(f"{count:,} case{'s' if count != 1 else ''} written to {args.output}", file=sys.stderr)
        return 0
    writer, encoding = WRITERS[args.format]
    # The bytes of a file export (UTF-8, CSV with its BOM and \r\n rows), whatever the terminal's encoding.
    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
    try:
        writer(lib.cases(ids), out)
    finally:
        out.flush()
        out.detach()
    return 0


def cmd_report(lib: Library, args) -> int:
    check_output(args.pdf, lib.path)
    problem = output_problem(args.pdf)
    if problem:
        print(f"casebook-cli: {problem}", file=sys.stderr)
        return 1
    from gui.output.pdf_cli import report_pdf  # Qt is loaded only for PDF output

    try:
        cases, pages = report_pdf(
            lib, args.query, args.pdf, args.title, args.reviewer, args.notes, args.page_size
        )
    except OSError as e:
        log.info("could not write %s", args.pdf, exc_info=True)
        print(f"casebook-cli: {args.pdf} could not be written: {e.strerror or e}.", file=sys.stderr)
        return 1
    if not cases:
        print(f"No case matches “{args.query}”: no report was written.", file=sys.stderr)
        return 1
    print(f"Report of {cases:,} case{'s' if cases != 1 else ''} ({pages:,} pages) written to {args.pdf}",
          file=sys.stderr)  # fmt: skip
    return 0


def cmd_similar(lib: Library, args) -> int:
    case = lib.find_case(args.case)
    if case is None:
        print(f"casebook-cli: no case with reference or number “{args.case}”.", file=sys.stderr)
        return 1
    found = similar_cases(lib, case.id, limit=max(0, args.limit))
    cases = {c.id: c for c in lib.cases([s.case_id for s in found])}
    if args.json:
        listed = [
            {**cases[s.case_id].to_json(), "score": s.score, "reason": s.reason(), "words": list(s.words)}
            for s in found
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return 0
    print(f"Most like {case.reference or f'case {case.id}'}: {case.title}")
    width = _number_width(s.case_id for s in found)
    for s in found:
        other = cases[s.case_id]
        head = f"{s.score:5.2f}  {other.id:<{width}}  {other.reference or '-':<12} "
        print(head + other.title)
        print(" " * len(head) + s.reason())
    return 0


def _number_width(ids: Iterable[int]) -> int:
    """The width of a column of case numbers (what `show` takes for a case without a reference)."""
    return max((len(str(i)) for i in ids), default=1)


def cmd_duplicates(lib: Library, args) -> int:
    groups = library_duplicates(lib)
    if args.json:
        print(json.dumps(groups))
        return 0
    print(
        f"{len(groups):,} group{'s' if len(groups) != 1 else ''} of cases whose narratives are at least "
        f"{THRESHOLD:.0%} the same"
    )
    for group in groups:
        print()
        for row in lib.rows(group):
            print(f"{row.id:>8}  {row.reference or '-':<12} {row.title}")
    return 0


def cmd_stats(lib: Library, args) -> int:
    result = search(lib, args.query, sort="published")
    figures = statistics(lib, result, top=max(1, args.top))
    if args.json:
        print(json.dumps({"read_as": result.explain(), **figures.to_json()}, ensure_ascii=False, indent=2))
        return 0
    print(f"{figures.total:,} case{'s' if figures.total != 1 else ''}; {figures.reviewed:,} reviewed")
    for note in result.notes:
        print(f"  note: {note}")
    sections = (
        ("Incident year", figures.by_incident_year, ("no year", figures.no_incident_year)),
        ("Force", figures.by_force, ("other forces", figures.other_forces), ("no force", figures.no_force)),
        ("Finding", [(FINDING_BY_LABEL[k].title, n) for k, n in figures.by_finding],
         ("no finding", figures.no_finding)),
        ("Review status", [(STATUS_LABELS[k], n) for k, n in figures.by_status]),
        ("Tag", figures.by_tag, ("other tags", figures.other_tags), ("untagged", figures.untagged)),
        ("Incident to publication", figures.publication_lag.bands),
    )  # fmt: skip
    for title, rows, *extra in sections:
        print(f"\n{title}")
        for name, count in [*rows, *(e for e in extra if e[1])]:
            print(f"  {name:<40} {count:>8,}")
    lag = figures.publication_lag
    if lag.count and lag.quartiles is not None:
        print(
            f"\nDays from incident to publication ({lag.count:,} cases with both dates): "
            f"median {lag.median:,.0f}, quartiles {lag.quartiles[0]:,.0f} to {lag.quartiles[1]:,.0f}"
        )
    return 0


def cmd_info(lib: Library, args) -> int:
    print(f"library   {lib.path}")
    print(f"cases     {lib.case_count():,}")
    print(f"read-only {'yes' if lib.read_only else 'no'}")
    print(f"logs      {paths.log_dir()}")
    return 0


def cmd_check(lib: Library, args) -> int:
    found = repair.check(lib)
    print("\n".join(found.describe()) or "No damage found.")
    return 0 if found.ok else 1


def cmd_repair(lib: Library, args) -> int:
    found = repair.repair(lib)
    if found.ok:
        print("No damage found: nothing was changed.")
        return 0
    print("\n".join(found.describe()))
    print("Repaired (a backup was taken first): the search index was rebuilt and malformed values replaced.")
    return 0


COMMANDS = {
    "import": cmd_import,
    "search": cmd_search,
    "show": cmd_show,
    "export": cmd_export,
    "report": cmd_report,
    "similar": cmd_similar,
    "duplicates": cmd_duplicates,
    "stats": cmd_stats,
    "info": cmd_info,
    "check": cmd_check,
    "repair": cmd_repair,
}

if __name__ == "__main__":
    sys.exit(main())
