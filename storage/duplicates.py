"""Near-duplicates: the same case saved twice in different layouts.

The IOPC site keeps some summaries in two layouts (one with a Published line, blank lines
between paragraphs and the reference; one without them, single newlines and no reference):
the same case, different bytes, so neither the file's SHA-256 nor the reference finds it.
The words are the same, so the two texts share nearly all their 5-word *shingles*.

Each case gets a MinHash signature (Broder 1997) of the shingles of the opening
`SIGNED_WORDS` words of its narrative and recommendations: `PERMUTATIONS` minimums of a
multiply-shift hash, whose share of equal positions in two signatures estimates the Jaccard
similarity of the two shingle sets. Its
`BANDS` band keys (LSH: `ROWS` positions each) are kept in `minhash_bands`, so the cases that
may be near-duplicates of a new one are found by an indexed look-up, not by comparing it with
every case. Computed with numpy; datasketch, the kept library for this, requires scipy
(~100 MB more in the bundle) and keeps its LSH index in memory rather than in the library.

**Threshold: estimated Jaccard ≥ 0.6.** The two layouts of one case measure 0.89–1.0 (the
reader keeps a different tail in a few: a tag list, a reference label), and a copy cut off
after three fifths of its text still passes. Distinct cases share boilerplate sentences ("no
indication that any officer had behaved in a way that would justify disciplinary
proceedings", the paragraph on learning recommendations) but measure at most 0.08 across the
60 development cases (0.16 as their signatures estimate it), recommendation pages of one
force included. 0.6 keeps a wide gap on
both sides. With 16 bands of 4 rows, a pair at 0.6 becomes a candidate with probability
0.89, a pair at 0.8 with 0.9998; a pair at 0.1 with 0.002.
Texts of fewer than `MIN_SHINGLES` shingles (a title and one sentence) are not signed: so
little text cannot tell one case from another.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import zlib
from dataclasses import dataclass

import numpy as np

from .library import Library

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.6
MIN_SHINGLES = 20
SIGNED_WORDS = 150
"""Only the opening words are signed: what happened comes first in a summary, the shared
findings and learning paragraphs last; and signing is paid for every imported file."""

_WORD = re.compile(r"[^\W_]+")
_SEEDS = np.random.default_rng(20261206).integers(1, 2**63, size=(2, PERMUTATIONS), dtype=np.uint64)
_MULTIPLY = _SEEDS[0] | np.uint64(1)  # odd multipliers: a universal multiply-shift family
_ADD = _SEEDS[1]
_BAND_MIX = np.random.default_rng(1997).integers(1, 2**63, size=(BANDS, ROWS), dtype=np.uint64) | np.uint64(1)
_SHIFT = np.uint64(32)


def signature(narrative: str, recommendations: str = "") -> bytes | None:
    """The MinHash signature of a case's text (PERMUTATIONS little-endian uint32), or None
    when the text is too short to compare."""
    words = _WORD.findall(f"{narrative}\n{recommendations}"[: SIGNED_WORDS * 12].casefold())[:SIGNED_WORDS]
    count = len(words) - SHINGLE + 1
    if count < MIN_SHINGLES:
        return None
    hashed = np.fromiter((zlib.crc32(w.encode()) for w in words), np.uint64, len(words))
    shingles = hashed[:count].copy()
    for i in range(1, SHINGLE):  # a shingle's hash: its word hashes, each shifted by its place
        shingles *= np.uint64(0x9E3779B97F4A7C15)
        shingles += hashed[i : count + i]
    # x -> a·x + b (mod 2**64) with a odd is a permutation of the 64-bit values: MinHash's
    # permutations; the top 32 bits of each minimum are kept.
    mixed = shingles[:, None] * _MULTIPLY
    mixed += _ADD
    return (mixed.min(axis=0) >> _SHIFT).astype("<u4").tobytes()


@functools.lru_cache(maxsize=4096)  # asked for several times per file during an import
def band_keys(sig: bytes) -> tuple[int, ...]:
    """The signature's LSH band keys (signed 64-bit, for SQLite): equal keys, a candidate pair."""
    rows = np.frombuffer(sig, "<u4").astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = (rows * _BAND_MIX).sum(axis=1) + np.arange(BANDS, dtype=np.uint64) * _BAND_MIX[:, 0]
    return tuple(int(k) for k in keys.view(np.int64))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingles behind two signatures."""
    return float(np.count_nonzero(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4"))) / PERMUTATIONS


# ----- in the library -------------------------------------------------------------------


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
    conn.executemany(
        "INSERT OR IGNORE INTO minhash_bands(band_key, case_id) VALUES (?, ?)",
        [(key, case_id) for case_id, sig in signed for key in band_keys(sig)],
    )


def candidates(conn: sqlite3.Connection, signatures: list[bytes]) -> dict[int, list[tuple[int, bytes]]]:
    """For each band key of `signatures`, the cases in the library that hold it, with their
    signatures."""
    keys = json.dumps(sorted({k for sig in signatures for k in band_keys(sig)}))
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


def sign_missing(conn: sqlite3.Connection) -> int:
    """Sign the cases that have no signature yet (a library from before signatures were kept,
    or cases too short: those are tried again and stay unsigned). Call inside a write."""
    rows = conn.execute(
        "SELECT id, narrative, recommendations FROM cases"
        " WHERE id NOT IN (SELECT case_id FROM case_minhash)"
    ).fetchall()
    signed = [(case_id, signature(narrative, recs)) for case_id, narrative, recs in rows]
    store(conn, signed, new=True)
    return sum(1 for _, sig in signed if sig)


def duplicate_groups(conn: sqlite3.Connection) -> list[list[int]]:
    """Groups of cases that are possibly the same case, each sorted, smallest id first."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    signatures: dict[int, bytes] = {}
    for (joined,) in conn.execute(
        "SELECT group_concat(case_id) FROM minhash_bands GROUP BY band_key HAVING count(*) > 1"
    ):
        ids = [int(i) for i in joined.split(",")]
        missing = json.dumps([i for i in ids if i not in signatures])
        signatures.update(
            conn.execute(
                "SELECT case_id, signature FROM case_minhash"
                " WHERE case_id IN (SELECT value FROM json_each(?))",
                (missing,),
            )
        )
        ids = [i for i in ids if i in signatures]  # band rows of a removed case are left behind
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if root(a) != root(b) and similarity(signatures[a], signatures[b]) >= THRESHOLD:
                    parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for i in parent:
        groups.setdefault(root(i), []).append(i)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def library_duplicates(lib: Library) -> list[list[int]]:
    """Groups of possibly the same case across the library, signing any case not signed yet
    (when the library can be written)."""
    if not lib.read_only:
        with lib.write() as conn:
            sign_missing(conn)
            # A removed case's signature goes with it (a trigger); its band rows go here.
            conn.execute("DELETE FROM minhash_bands WHERE case_id NOT IN (SELECT case_id FROM case_minhash)")
    return duplicate_groups(lib.conn)
