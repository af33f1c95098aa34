"""What the chronology and the findings cost: in the reader per file, and across cases.

    python -m bench.chronology LIBRARY [--upgrade]

Part of `bench.run`; alone it measures the timeline on any library, and with --upgrade the
one-off upgrade of a copy of it from schema version 3 (reading every case's events and
evidence).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

from storage.keeping.library import Library
from storage.patterns import timeline
from storage.reading import reader
from storage.reading.chronology import read_chronology
from storage.reading.findings import read_findings
from storage.searching.search import search

ROUNDS = 5
RUNS = 30


def _best(fn, rounds: int = ROUNDS) -> float:
    """The fastest of `rounds` runs of `fn` (seconds): the least disturbed by other work."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def reader_rows(data: list[tuple[bytes, str]]) -> list[list]:
    """Per-file cost of the reader with and without its chronology, and of its two insight
    steps alone, measured in turns in the same run (this machine's speed drifts between runs)."""
    records = [r.record for r in (reader.read_case(d, name) for d, name in data) if r.record]

    def read_all() -> None:
        for d, name in data:
            reader.read_case(d, name)

    def read_without_chronology() -> None:
        with mock.patch.object(reader, "read_chronology", lambda narrative, context: ()):
            read_all()

    timings = {"with": [], "without": [], "chronology": [], "findings": []}
    for _ in range(ROUNDS):
        timings["with"].append(_best(read_all, 1))
        timings["without"].append(_best(read_without_chronology, 1))
        timings["chronology"].append(
            _best(lambda: [read_chronology(r.narrative, r.incident) for r in records], 1)
        )
        timings["findings"].append(_best(lambda: [read_findings(r.narrative) for r in records], 1))
    per_file = {k: min(v) * 1000 / len(data) for k, v in timings.items()}
    whole = per_file["with"]
    return [
        ["`read_case`, the whole reader", whole, ""],
        ["`read_case` with the chronology left out", per_file["without"], ""],
        ["of which `read_chronology`", per_file["chronology"], f"{per_file['chronology'] / whole:.0%}"],
        [
            "of which `read_findings` (labels, evidence)",
            per_file["findings"],
            f"{per_file['findings'] / whole:.0%}",
        ],
    ]


def _timed(fn, runs: int = RUNS) -> tuple[float, float, float]:
    """(first call, p50, p95) in ms."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return first * 1000, statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def timeline_rows(lib: Library) -> tuple[list[list], str]:
    """The timeline's queries on an open library: the first (which reads the events) and warm."""
    everything = search(lib, "", with_facets=False).ids
    some = search(lib, "custody", with_facets=False).ids
    months = timeline.events_by_month(lib, everything).months
    busiest = max(months, key=lambda p: p.events).period if months else "2019-03"
    events = lib.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    cases = len(everything)
    lib.close()
    lib = Library.open(lib.path, check=False)  # cold: nothing in memory yet
    queries = [
        ("`event:2019-03` (search, count + order)", lambda: search(lib, "event:2019-03")),
        ("`event:2015..2018 custody`", lambda: search(lib, "event:2015..2018 custody")),
        (f"events by month, all {cases:,} cases", lambda: timeline.events_by_month(lib, everything)),
        (f"events by month, `custody` ({len(some):,} cases)", lambda: timeline.events_by_month(lib, some)),
        (f"the events of {busiest}, all cases", lambda: timeline.events_in(lib, everything, busiest)),
        ("incident to publication, all cases", lambda: timeline.publication_lag(lib, everything)),
        (f"the timeline view's figures, all {cases:,} cases", lambda: timeline.overview(lib, everything)),
        (f"the timeline view's figures, `custody` ({len(some):,})", lambda: timeline.overview(lib, some)),
    ]
    rows = [[label, *_timed(fn)] for label, fn in queries]
    lib.close()
    note = (
        f'{events:,} events in {cases:,} cases. "first" is the first call after opening the '
        "library, which reads the column store or the events into memory (the first search reads the "
        f"column store; the first event query the events); p50 and p95 of {RUNS} more calls."
    )
    return rows, note


def as_version_3(path: Path) -> None:
    """Make a library file what schema version 3 left: no word counts or signatures (version 4),
    no events, evidence or corrections (version 5), no sort indexes (version 6)."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP INDEX cases_title; DROP INDEX cases_tags;"
        " DROP TRIGGER cases_minhash_ad; DROP TABLE term_counts; DROP TABLE case_minhash;"
        " DROP TABLE minhash_bands; DELETE FROM meta WHERE key = 'term_counts_cases';"
        " DROP TRIGGER cases_reading_ad;"
        " DROP TABLE events; DROP TABLE finding_evidence; DROP TABLE finding_corrections;"
        " ALTER TABLE cases DROP COLUMN findings_read; PRAGMA user_version = 3;"
    )
    conn.close()


def upgrade_seconds(library: Path, work: Path) -> tuple[float, int]:
    """Seconds to open (and so upgrade) a version-3 copy of `library`, and its case count."""
    copy = work / "upgrade.casebook"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    with Library.open(library, check=False) as lib:
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cases = lib.case_count()
    shutil.copyfile(library, copy)
    as_version_3(copy)
    start = time.perf_counter()
    Library.open(copy, check=False).close()
    seconds = time.perf_counter() - start
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return seconds, cases


def main(argv: list[str] | None = None) -> int:
    from bench.run import table  # the Markdown tables of the full run

    parser = argparse.ArgumentParser(prog="python -m bench.chronology", description=__doc__.split("\n\n")[0])
    parser.add_argument("library")
    parser.add_argument("--upgrade", action="store_true", help="also time the upgrade from version 3")
    args = parser.parse_args(argv)
    path = Path(args.library)
    rows, note = timeline_rows(Library.open(path, check=False))
    print(table(["query", "first ms", "p50 ms", "p95 ms"], rows) + "\n\n" + note)
    if args.upgrade:
        seconds, cases = upgrade_seconds(path, path.parent)
        print(f"\nUpgrading a version-3 copy ({cases:,} cases): {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
