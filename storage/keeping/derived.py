"""Tables derived from the cases and kept in step with them when cases are imported: how
many cases hold each indexed word (for similar cases, storage/searching/similar.py), and
each case's MinHash signature with its LSH band keys (for near-duplicates,
storage/patterns/duplicates.py).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..reading.minhash import THRESHOLD, band_keys, band_keys_of, similarity
from .schema import FTS_TABLE

STALE = 0.1
"""The share of the cases that may come or go before the word counts are counted again."""


# ----- word counts ---------------------------------------------------------------------

def index_vocabulary(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_words USING fts5vocab(main, {FTS_TABLE}, row)"
    )


def refresh_term_counts(conn: sqlite3.Connection, always: bool = False) -> bool:
    """Count again how many cases hold each indexed word, when the library has changed by
    `STALE` since the last count (or `always`). Call inside a write transaction."""
    cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    counted = conn.execute("SELECT value FROM meta WHERE key = 'term_counts_cases'").fetchone()[0]
    if not always and abs(cases - counted) <= STALE * max(counted, 1) and counted:
        return False
    index_vocabulary(conn)
    conn.execute("DELETE FROM term_counts")
    conn.execute("INSERT INTO term_counts(term, cases, uses) SELECT term, doc, cnt FROM temp.index_words")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'term_counts_cases'", (cases,))
    return True



# ----- signatures ----------------------------------------------------------------------


def store(conn: sqlite3.Connection, rows: list[tuple[int, bytes | None]], new: bool = False) -> None:
    """Keep the signatures of these cases (the last given for a case wins; None keeps none).
    With `new`, the cases have none yet, so there is nothing to take out first."""
    latest = dict(rows)
    if not new:
        old = conn.execute(
            "SELECT case_id, signature FROM case_minhash WHERE case_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(latest)),),
        ).fetchall()
        conn.executemany(
            "DELETE FROM minhash_bands WHERE band_key = ? AND case_id = ?",
            [(key, case_id) for case_id, sig in old for key in band_keys(sig)],
        )
        conn.executemany("DELETE FROM case_minhash WHERE case_id = ?", [(case_id,) for case_id, _ in old])
    signed = [(case_id, sig) for case_id, sig in latest.items() if sig]
    conn.executemany("INSERT INTO case_minhash(case_id, signature) VALUES (?, ?)", signed)
    conn.executemany(  # in key order: random keys one by one touch a page each (a fifth slower)
        "INSERT OR IGNORE INTO minhash_bands(band_key, case_id) VALUES (?, ?)",
        sorted((key, case_id) for case_id, sig in signed for key in band_keys(sig)),
    )


def candidates(conn: sqlite3.Connection, signatures: list[bytes]) -> dict[int, list[tuple[int, bytes]]]:
    """For each band key of `signatures`, the cases in the library that hold it, with their
    signatures."""
    keys = json.dumps(sorted({k for sig_keys in band_keys_of(signatures) for k in sig_keys}))
    found: dict[int, list[tuple[int, bytes]]] = {}
    for key, case_id, sig in conn.execute(
        "SELECT b.band_key, b.case_id, m.signature FROM minhash_bands b"
        " JOIN case_minhash m ON m.case_id = b.case_id"
        " WHERE b.band_key IN (SELECT value FROM json_each(?))",
        (keys,),
    ):
        found.setdefault(key, []).append((case_id, sig))
    return found


@dataclass
class Match:
    """A case that is possibly the same as another."""

    case_id: int
    similarity: float


def matches(sig: bytes | None, by_band: dict[int, list[tuple[int, bytes]]]) -> list[Match]:
    """The cases that share a band with `sig` and are at or over THRESHOLD, most alike first."""
    if sig is None:
        return []
    scored: dict[int, float] = {}
    for key in band_keys(sig):
        for case_id, other in by_band.get(key, ()):
            if case_id not in scored:
                scored[case_id] = similarity(sig, other)
    found = [Match(case_id, value) for case_id, value in scored.items() if value >= THRESHOLD]
    return sorted(found, key=lambda m: (-m.similarity, m.case_id))
