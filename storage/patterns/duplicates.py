"""Near-duplicates: the same case saved twice in different layouts.

The IOPC site keeps some summaries in two layouts (one with a Published line, blank lines
between paragraphs and the reference; one without them, single newlines and no reference):
the same case, different bytes, so neither the file's SHA-256 nor the reference finds it.
The words are the same, so the two texts share nearly all their 5-word *shingles*.

Each case's MinHash signature (storage/reading/minhash.py) estimates how many shingles two
texts share; its band keys are kept in `minhash_bands`, so the cases that may be
near-duplicates of a new one are found by an indexed look-up, not by comparing it with every
case.

**Threshold: estimated Jaccard ≥ 0.6.** The two layouts of one case measure 0.89–1.0 (the
reader keeps a different tail in a few: a tag list, a reference label), and a copy cut off
after three fifths of its text still passes. Distinct cases share boilerplate sentences ("no
indication that any officer had behaved in a way that would justify disciplinary
proceedings", the paragraph on learning recommendations) but measure at most 0.08 across the
60 development cases (0.16 as their signatures estimate it), recommendation pages of one
force included. 0.6 keeps a wide gap on
both sides. With 16 bands of 4 rows, a pair at 0.6 becomes a candidate with probability
0.89, a pair at 0.8 with 0.9998; a pair at 0.1 with 0.002.
"""

from __future__ import annotations

import json
import sqlite3

from ..keeping.derived import store
from ..keeping.library import Library
from ..reading.minhash import THRESHOLD, signature, similarity

# ----- in the library -------------------------------------------------------------------


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
