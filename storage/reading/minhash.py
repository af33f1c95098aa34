"""MinHash signatures of a case's text, which tell the same case in two layouts.

Each case gets a MinHash signature (Broder 1997) of the 5-word *shingles* of the opening
`SIGNED_WORDS` words of its narrative and recommendations: `PERMUTATIONS` minimums of a
multiply-shift hash, whose share of equal positions in two signatures estimates the Jaccard
similarity of the two shingle sets. Its `BANDS` band keys (LSH: `ROWS` positions each) let
the cases that may be near-duplicates of a new one be found by an indexed look-up
(storage/patterns/duplicates.py). Computed here, in the reader, so that reading processes
do the work; with numpy, since datasketch, the kept library for this, requires scipy
(~100 MB more in the bundle) and keeps its LSH index in memory rather than in the library.
Texts of fewer than `MIN_SHINGLES` shingles (a title and one sentence) are not signed: so
little text cannot tell one case from another.
"""

from __future__ import annotations

import functools
import re
import zlib

import numpy as np

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
    signature: bytes = (mixed.min(axis=0) >> _SHIFT).astype("<u4").tobytes()
    return signature


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
