"""Statistics, similar cases and the near-duplicate check, measured on an imported library.

    python -m bench.patterns LIBRARY [CORPUS_FOLDER]

Prints a Markdown section (bench.run prints it for each size): the statistics of a search
(after the search, and with it), similar cases for a spread of cases, and what the
near-duplicate check costs an import: signing a file (in the reading processes), looking up
and storing a slice of 500 signatures (in the storing process), and grouping the library.
"""

from __future__ import annotations

import statistics as stats
import sys
import time
from pathlib import Path

import numpy as np

from storage.keeping import derived
from storage.keeping.importing import STORE_CHUNK
from storage.keeping.library import Library
from storage.patterns import duplicates
from storage.patterns.stats import statistics
from storage.reading import minhash
from storage.reading.reader import read_case
from storage.searching.search import columns, search
from storage.searching.similar import similar_cases

QUERIES = ("", "police", "custody restraint", '"risk assessment"', "year:2015..2018", "taser force:kent")
RUNS = 20
SIMILAR_SAMPLE = 100
SIGN_SAMPLE = 500


def _ms(seconds: float) -> float:
    return seconds * 1000


def _p(samples: list[float], q: float) -> float:
    return _ms(float(np.percentile(samples, q)))


def bench_statistics(lib: Library) -> tuple[float, list[list]]:
    """(worst p95 of search + statistics, table rows) over the query mix."""
    rows, worst = [], 0.0
    for text in QUERIES:
        alone, both = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            result = search(lib, text)
            searched = time.perf_counter()
            figures = statistics(lib, result)
            done = time.perf_counter()
            alone.append(done - searched)
            both.append(done - start)
        worst = max(worst, _p(both, 95))
        rows.append([f"`{text}`", figures.total, _p(alone, 50), _p(alone, 95), _p(both, 50), _p(both, 95)])
    return worst, rows


def bench_similar(lib: Library) -> dict:
    """Similar cases for SIMILAR_SAMPLE cases spread over the library, twice: the first pass
    also cuts each new word once (remembered per process), the second is what a reviewer
    moving between cases meets."""
    ids = np.flatnonzero(columns(lib).exists)
    sample = [int(i) for i in ids[:: max(1, len(ids) // SIMILAR_SAMPLE)][:SIMILAR_SAMPLE]]
    start = time.perf_counter()
    similar_cases(lib, sample[0])
    first_call = time.perf_counter() - start
    passes = []
    for _ in range(2):
        times = []
        for case_id in sample:
            start = time.perf_counter()
            similar_cases(lib, case_id)
            times.append(time.perf_counter() - start)
        passes.append(times)
    return {"first_call": first_call, "first": passes[0], "warm": passes[1]}


def bench_duplicates(lib: Library, folder: Path | None) -> dict:
    """What the near-duplicate check costs, in its parts."""
    out: dict = {}
    if folder is not None:
        files = sorted(folder.rglob("*.txt"))[:SIGN_SAMPLE]
        records = [read_case(p.read_bytes(), p.name).record for p in files]
        start = time.perf_counter()
        for r in records:
            minhash.signature(r.narrative, r.recommendations)
        out["sign_ms"] = _ms(time.perf_counter() - start) / len(records)
    start = time.perf_counter()
    with lib.write() as conn:
        out["signed"] = duplicates.sign_missing(conn)
    out["sign_library_s"] = time.perf_counter() - start
    rows = lib.conn.execute(
        "SELECT case_id, signature FROM case_minhash ORDER BY random() LIMIT ?", (STORE_CHUNK,)
    ).fetchall()
    lookups, stores = [], []
    for _ in range(5):
        with lib.write() as conn:
            derived.store(conn, [(case_id, None) for case_id, _ in rows])  # as if new files
            start = time.perf_counter()
            found = derived.candidates(conn, [sig for _, sig in rows])
            lookups.append(time.perf_counter() - start)
            start = time.perf_counter()
            derived.store(conn, rows, new=True)
            stores.append(time.perf_counter() - start)
    out["candidates"] = sum(len(cases) for cases in found.values())
    out["lookup_ms"] = _ms(stats.median(lookups))
    out["store_ms"] = _ms(stats.median(stores))
    start = time.perf_counter()
    out["groups"] = len(duplicates.duplicate_groups(lib.conn))
    out["group_s"] = time.perf_counter() - start
    out["bands_mb"] = (
        lib.conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN ('minhash_bands', 'case_minhash')"
            " OR name LIKE 'sqlite_autoindex_minhash_bands%' OR name LIKE 'idx_minhash_bands%'"
        ).fetchone()[0]
        or 0
    ) / 1e6
    return out


def section(library: Path, folder: Path | None = None) -> str:
    lib = Library.open(library, check=False)
    try:
        count = lib.case_count()
        search(lib, "")  # load the column store first
        worst, rows = bench_statistics(lib)
        similar = bench_similar(lib)
        dup = bench_duplicates(lib, folder)
    finally:
        lib.close()
    chunks = -(-count // STORE_CHUNK)
    headers = ["query", "matches", "statistics p50 ms", "p95 ms", "search + statistics p50 ms", "p95 ms"]
    lines = [
        "### Statistics, similar cases and near-duplicates",
        "",
        _table(headers, rows),
        "",
        f"{RUNS} runs of each query; `statistics()` reuses the facet counts the search made. "
        f"Worst p95 of search + statistics: {worst:.0f} ms (target ≤ 100 ms).",
        "",
        f"- similar cases (`similar_cases`, 10 of {count:,}), {len(similar['warm'])} cases spread over "
        f"the library: p50 {_p(similar['warm'], 50):.0f} ms, p95 {_p(similar['warm'], 95):.0f} ms, "
        f"worst {_ms(max(similar['warm'])):.0f} ms (target ≤ 50 ms); the first pass, cutting words "
        f"not seen before: p50 {_p(similar['first'], 50):.0f} ms, p95 {_p(similar['first'], 95):.0f} ms; "
        f"the very first call {_ms(similar['first_call']):.0f} ms",
    ]
    if "sign_ms" in dup:
        lines.append(
            f"- near-duplicate check at import: signing a file {dup['sign_ms']:.2f} ms (in the reading "
            f"processes, beside ~0.35 ms of reading it); per slice of {STORE_CHUNK} files in the storing "
            f"process, looking up candidates {dup['lookup_ms']:.0f} ms and storing the signatures "
            f"{dup['store_ms']:.0f} ms, so {(dup['lookup_ms'] + dup['store_ms']) / STORE_CHUNK:.2f} ms a "
            f"file: {(dup['lookup_ms'] + dup['store_ms']) * chunks / 1000:.1f} s of storing time for "
            f"{count:,} files"
        )
    lines.append(
        f"- signing every case of a library from before signatures ({dup['signed']:,} cases): "
        f"{dup['sign_library_s']:.1f} s; grouping the whole library (`casebook-cli duplicates`): "
        f"{dup['group_s']:.2f} s, {dup['groups']:,} groups; signatures and bands take "
        f"{dup['bands_mb']:.0f} MB"
    )
    return "\n".join(lines)


def _table(headers: list[str], rows: list[list]) -> str:
    from bench.run import table  # here, not at the top: bench.run imports this module

    return table(headers, rows)


if __name__ == "__main__":
    print(section(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None))
