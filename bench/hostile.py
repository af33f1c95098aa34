"""Hostile input, shared by the tests and the benchmark: searches meant to stall or break the
search, a case as large as an import allows with tens of thousands of hits, and file names
that no file system likes.

Everything is generated from fixed seeds: the same every run.
"""

from __future__ import annotations

import random
from pathlib import Path

from storage.reading.decoding import MAX_BYTES

BIG_CASE_BYTES = 5_000_000
BIG_CASE_HITS = 30_000
BIG_CASE_WORD = "custody"
_FILLER = (
    "the", "officer", "said", "that", "a", "man", "was", "restrained", "by", "two", "officers", "and",
    "taken", "to", "hospital", "where", "he", "later", "told", "staff", "about", "what", "had",
    "happened", "at", "the", "station", "on", "that", "night",
)  # fmt: skip


def big_case(
    hits: int = BIG_CASE_HITS, size: int = BIG_CASE_BYTES, word: str = BIG_CASE_WORD, paragraphs: bool = True
) -> str:
    """A summary of about `size` bytes (within the import limit) holding `word` `hits` times, in
    paragraphs of a few hundred words, or all in one."""
    rng = random.Random(13)
    head = "Death in police custody - Kent Police, May 2019\n\nPublished 08 Oct 2020\nInvestigation\n\n"
    tail = "\n\nIOPC reference\n\n2019/123456\n"
    room, words = size - len(head) - len(tail) - (hits - 1) * (len(word) + 1), []
    while room > 0:
        words.append(rng.choice(_FILLER))
        room -= len(words[-1]) + 1
    words += [word] * (hits - 1)  # and one in the title
    rng.shuffle(words)
    paragraphs, paragraph = [], []
    for w in words:
        paragraph.append(w)
        if paragraphs and len(paragraph) >= 80 and rng.random() < 0.05:
            paragraphs.append(" ".join(paragraph) + ".")
            paragraph = []
    paragraphs.append(" ".join(paragraph) + ".")
    text = head + "\n\n".join(paragraphs) + tail
    assert len(text.encode("utf-8")) <= MAX_BYTES and text.count(word) == hits
    return text


def write_big_case(folder: Path, name: str = "big.txt", **kwargs) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(big_case(**kwargs), encoding="utf-8")
    return path


def _words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    common = ("police", "custody", "officer", "the", "and", "risk", "assessment", "taser", "force", "was")
    return [rng.choice(common) for _ in range(n)]


HOSTILE_QUERIES: tuple[str, ...] = (
    # repeated terms, and many of them
    "the " * 250,
    " OR ".join(["a"] * 200),
    " OR ".join(["police"] * 200),
    " ".join(_words(300, 1)),
    " OR ".join(_words(300, 2)),
    " ".join(f"-{w}" for w in _words(200, 3)),
    " ".join(f"{w}*" for w in _words(200, 4)),
    " ".join(f'"{w} {v}"' for w, v in zip(_words(120, 5), _words(120, 6), strict=True)),
    '"' + " ".join(_words(400, 7)) + '"',
    '"' + "the " * 240 + '"',
    "police " * 2000,
    "OR " * 500,
    "-" * 500,
    '"' * 999,
    " ".join(f"w{i}" for i in range(500)),
    " OR ".join(f"w{i}" for i in range(300)),
    " ".join(f"force:{w}" for w in _words(200, 8)),
    " ".join(f"tag:{w}" for w in _words(200, 9)),
    " OR ".join(f"year:{2000 + i % 25}" for i in range(200)),
    " ".join(f"-status:{s}" for s in ("new", "flagged", "reviewed", "in review") * 50),
    "a* b* c* d* e* f* g* the* and* was* pol* cus* off* ris* ass*",
    "the* " * 200,
    "x" * 10_000,
    "9" * 400,
    # filters whose values overflow, are not numbers, or are numbers in other scripts
    "batch:²",
    "batch:٣",
    "batch:99999999999999999999999",
    "batch:-1",
    "published:2019-99999999999999999999",
    "published:99999999999999999999-1",
    "published:2019-13",
    "published:2019-02-30",
    "published:0000",
    "published:٢٠١٩",
    "published:2019..99999",
    "year:²⁰¹⁹",
    "year:٢٠١٩",
    "year:99999999999999999999",
    "year:0..9999",
    "year:2019..2015",
    "ref:٢٠١٦/٠٧٠٨٢٩",
    "ref:²",
    "ref:" + "9" * 500,
    "ref:/",
    "outcome:" + "x" * 900,
    "force:" + "%" * 900,
    "tag:\x00",
    # syntax that is not ours
    '"',
    '""',
    '"unbalanced',
    "AND",
    "OR",
    "NOT",
    "police AND",
    "OR OR OR",
    "NEAR(risk assessment)",
    "NEAR(",
    "*",
    "**",
    "a*",
    ":",
    "::",
    "force:",
    'force:"',
    "^police",
    "title:police",
    "{title}:police",
    "-*",
    "(police",
    "police)",
    "' OR 1=1 --",
    "'; DROP TABLE cases; --",
    '"; DROP TABLE cases; --',
    "\\",
    "%",
    "_",
    "police*custody",
    "rank:1",
    "rowid:1",
    "cases_fts:police",
    "police NEAR/2 custody",
    '"police" * "custody"',
    "police+custody",
    "1e9",
    "SELECT * FROM cases",
    # text that is not text
    "\x00",
    "\x01\x02\x03",
    "\t\n\r",
    "\u202e reversed \u202d",
    "\u2066isolated\u2069",
    "😀" * 300,
    "émigré café",
    "\ufeffpolice",
    "\ue000police\ue001",
    "\ufdd0\ufdd1",
    "<img src=/dev/zero>",
    "<b>police</b>",
    "&lt;script&gt;",
    "../../etc/passwd",
    "file:///etc/passwd",
    "police OR " * 150 + "custody",
    "-police -custody -officer -the -and -was",
    "-police",
    "police -police",
    "custody OR -custody",
)
"""Searches meant to stall or break the search. None may raise, and each must finish quickly."""


ODD_FILE_NAMES: tuple[bytes, ...] = (
    b"case-\xff\xfe-not-utf8.txt",
    b"\xe9t\xe9 latin-1.txt",
    b"CON.txt",
    b"nul",
    b"aux.txt",
    b"COM1",
    b"case\nwith a newline.txt",
    b"case\twith a tab.txt",
    b" leading and trailing space .txt",
    b"trailing dot.",
    b"..",
    b"...txt",
    b'a:b*c?d"e<f>g|h.txt',
    b"back\\slash.txt",
    "\u202ereversed.txt".encode(),
    b"<img src=fifo>.txt",
    ("é" * 120 + ".txt").encode(),  # 244 bytes of UTF-8
)
"""File names a summary may arrive with on Linux (where any byte but "/" and NUL is allowed)."""
