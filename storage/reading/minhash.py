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
_FARTHEST = SIGNED_WORDS * 12
"""Words are taken from this many characters at most."""
_FIRST_LOOK = SIGNED_WORDS * 8
"""Most texts have their SIGNED_WORDS words in this many characters (a word and a space are 6
on average): words are found in this first, as finding them is most of signing. With more
than SIGNED_WORDS found, the first SIGNED_WORDS are whole and the same as from _FARTHEST."""
_SEEDS = np.random.default_rng(20261206).integers(1, 2**63, size=(2, PERMUTATIONS), dtype=np.uint64)
_MULTIPLY = _SEEDS[0] | np.uint64(1)  # odd multipliers: a universal multiply-shift family
_ADD = _SEEDS[1]
_BAND_MIX = np.random.default_rng(1997).integers(1, 2**63, size=(BANDS, ROWS), dtype=np.uint64) | np.uint64(1)
_SHIFT = np.uint64(32)


def signature(narrative: str, recommendations: str = "") -> bytes | None:
    """The MinHash signature of a case's text (PERMUTATIONS little-endian uint32), or None
    when the text is too short to compare."""
    text = f"{narrative}\n{recommendations}"
    words = _WORD.findall(text[:_FIRST_LOOK].casefold())
    if len(words) <= SIGNED_WORDS:  # the last word may be cut: look as far as ever
        words = _WORD.findall(text[:_FARTHEST].casefold())
    words = words[:SIGNED_WORDS]
    count = len(words) - SHINGLE + 1
    if count < MIN_SHINGLES:
        return None
    hashed = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
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


_KEPT_KEYS = 4096
_keys: dict[bytes, tuple[int, ...]] = {}
"""The band keys of the last few thousand signatures: an import asks for them several times a file."""


def band_keys(sig: bytes) -> tuple[int, ...]:
    """The signature's LSH band keys (signed 64-bit, for SQLite): equal keys, a candidate pair."""
    keys = _keys.get(sig)
    return keys if keys is not None else band_keys_of([sig])[0]


def band_keys_of(sigs: list[bytes]) -> list[tuple[int, ...]]:
    """`band_keys` of many signatures in one step (1 µs a signature; one at a time, numpy's
    overhead made it 24 µs); they are kept for `band_keys`."""
    if len(_keys) + len(sigs) > _KEPT_KEYS:
        _keys.clear()
    rows = np.frombuffer(b"".join(sigs), "<u4").astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = (rows * _BAND_MIX).sum(axis=2) + np.arange(BANDS, dtype=np.uint64) * _BAND_MIX[:, 0]
    found = [tuple(row) for row in keys.view(np.int64).tolist()]
    _keys.update(zip(sigs, found, strict=True))
    return found


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingles behind two signatures."""
    return float(np.count_nonzero(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4"))) / PERMUTATIONS
