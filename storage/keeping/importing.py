"""Putting read files into the library: duplicates, conflicts, hand corrections, batches.

A batch is one transaction. A cancel or a crash part-way leaves the library
exactly as it was before the batch. Inside the transaction the full-text insert
trigger is set aside and the new cases are indexed in large slices, which is
several times faster than a trigger per row; the trigger is back before commit.

Each file is sorted against the library and against files earlier in the same
batch: an identical file (same SHA-256) or the same text saved differently is a
duplicate and is skipped; the same IOPC reference with different text is a
conflict, settled by the caller's choice (skip, replace keeping the reviewer's
fields, or keep both: the second copy's title says it is one, and from which file).
A file whose narrative is nearly the same as a case's (the site's other layout of it,
storage/patterns/duplicates.py) is ready with a warning that names the case it
resembles: kept unless the reviewer leaves it out.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from ..errors import BackupFailed, Cancelled
from ..reading import minhash
from ..reading.dates import parse_day, parse_period
from ..reading.decoding import ascii_digits
from ..reading.files import collect_files, read_files
from ..reading.reader import parse_title
from ..records import CaseRecord, ReadResult, ReadWarning, display_name, has_warnings
from . import backup, case_reading, derived, finding_corrections, schema
from .library import Library, join_tags, now

log = logging.getLogger(__name__)

RESOLUTIONS = ("skip", "replace", "keep_both")
CORRECTABLE = ("title", "force", "incident", "published", "reference")
REFERENCE = re.compile(r"^[0-9]{4}/[0-9]{4,7}$")
STORE_CHUNK = 500
INDEX_CHUNK = 10_000
"""Cases added to the full-text index per statement. FTS5 writes out what it holds in
memory at the end of every statement, so fewer, larger statements make fewer index
segments to merge: 25,000 a statement indexes 100,000 cases in 9 s, 2,000 in 12 s."""
LAST_INDEX_CHUNK = 1000
"""Towards the end of a batch slices shrink to what is still to come (down to this many cases),
so that little is left to index once the reading is done and only one core is busy."""
FTS_MEMORY = 64 * 1024 * 1024
"""Bytes of new index entries FTS5 may hold in memory before writing a segment (its default,
1 MB, writes a segment every few dozen cases of an import)."""

Progress = Callable[[str, int, int], None]
"""progress(phase, done, total): phase is "store" or "index"."""


class CorrectionError(ValueError):
    """A hand correction that cannot be used, with a plain-words message."""


def apply_corrections(record: CaseRecord, corrections: dict[str, str]) -> CaseRecord:
    """The record with a reviewer's corrections applied; their warnings are settled."""
    if not corrections:
        return record
    changes: dict[str, Any] = {}  # CaseRecord fields
    settled: set[str] = set()
    for name, value in corrections.items():
        value = " ".join(value.split())
        if name == "title":
            if not value:
                raise CorrectionError("The title cannot be empty.")
            parsed = parse_title(value)
            changes.update(title=value, subject=parsed.subject if parsed else value)
            settled.add("no_title")
        elif name == "force":
            changes["force"] = value or None
            settled.add("no_force")
        elif name == "incident":
            period = parse_period(value) if value else None
            if value and period is None:
                raise CorrectionError(f"“{value}” is not a month or year, such as “July 2016”.")
            changes["incident"] = period
            settled.add("no_period")
        elif name == "published":
            day = parse_day(value) if value else None
            if value and day is None:
                raise CorrectionError(f"“{value}” is not a date, such as “8 October 2018”.")
            changes["published"] = day
            settled.update({"no_published", "bad_date"})
        elif name == "reference":
            value = ascii_digits(value)
            if value and not REFERENCE.match(value):
                raise CorrectionError(f"“{value}” is not an IOPC reference such as 2016/070829.")
            changes["reference"] = value or None
            settled.add("no_reference")
        else:
            raise CorrectionError(f"{name} cannot be corrected by hand.")
    kept = [w for w in record.warnings if w.code not in settled]
    fields = ", ".join(sorted(corrections))
    kept.append(ReadWarning("corrected", f"Corrected by hand before import: {fields}."))
    return replace(record, **changes, warnings=tuple(kept))


@dataclass
class PlannedFile:
    """One file on its way in, with what the reviewer decided about it."""

    result: ReadResult
    status: str = "ready"  # ready (perhaps with notes) | warnings | duplicate | conflict | rejected
    detail: str = ""  # why it is a duplicate, a conflict or not importable
    existing_id: int | None = None  # the case it duplicates, conflicts with or resembles
    possible_duplicate: bool = False  # nearly the same narrative as a case or an earlier file
    include: bool = True
    resolution: str = "skip"  # for conflicts
    corrections: dict[str, str] = field(default_factory=dict)
    _corrected: tuple[tuple[tuple[str, str], ...], CaseRecord] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def name(self) -> str:
        return self.result.source.name

    @property
    def record(self) -> CaseRecord | None:
        """The record as read, with the reviewer's corrections (worked out once per change)."""
        if self.result.record is None or not self.corrections:
            return self.result.record
        key = tuple(sorted(self.corrections.items()))
        if self._corrected is None or self._corrected[0] != key:
            self._corrected = (key, apply_corrections(self.result.record, self.corrections))
        return self._corrected[1]

    @property
    def stored_record(self) -> CaseRecord:
        """The record of a file that is stored: only files that were read are."""
        if self.record is None:
            raise ValueError(f"{self.name} was not read, so it cannot be stored")
        return self.record

    @property
    def will_store(self) -> bool:
        if not self.include:
            return False
        if self.status == "conflict":
            return self.resolution != "skip"
        return self.status in ("ready", "warnings")


class Classifier:
    """Sorts files into ready, duplicate, conflict or rejected, in the order they come."""

    def __init__(self, lib: Library):
        self.lib = lib
        self._by_sha: dict[str, str] = {}
        self._by_content: dict[str, str] = {}
        self._by_reference: dict[str, tuple[str, int | None]] = {}
        self._lib_sha: dict[str, tuple[int, str]] = {}
        self._lib_content: dict[str, tuple[int, str]] = {}
        self._lib_reference: dict[str, tuple[int, str, str]] = {}
        self._lib_bands: dict[int, list[tuple[int, bytes]]] = {}  # band key -> (case, signature)
        self._by_band: dict[int, tuple[str, int | None, bytes]] = {}  # band key -> file remembered

    def prefetch(self, files: list[PlannedFile], library: bool = True) -> None:
        """Look up, in four queries, what the library already holds for these files (with
        `library` false: only the cases they may be near-duplicates of)."""
        records = [(f, r) for f in files if (r := f.record) is not None]
        signatures = [r.minhash for _, r in records if r.minhash]
        self._lib_bands = derived.candidates(self.lib.conn, signatures) if signatures else {}
        if not library:
            return
        shas = json.dumps([f.result.source.sha256 for f, _ in records])
        hashes = json.dumps([r.digest for _, r in records])
        refs = json.dumps([r.reference for _, r in records if r.reference])
        conn = self.lib.conn
        for sha, case_id, title in conn.execute(
            "SELECT s.sha256, c.id, c.title FROM sources s JOIN cases c ON c.id = s.case_id"
            " WHERE s.sha256 IN (SELECT value FROM json_each(?))",
            (shas,),
        ):
            self._lib_sha[sha] = (case_id, title)
        for digest, case_id, title in conn.execute(
            "SELECT content_hash, id, title FROM cases"
            " WHERE content_hash IN (SELECT value FROM json_each(?))",
            (hashes,),
        ):
            self._lib_content.setdefault(digest, (case_id, title))
        for ref, case_id, title, digest in conn.execute(
            "SELECT reference, id, title, content_hash FROM cases"
            " WHERE reference IN (SELECT value FROM json_each(?)) ORDER BY id",
            (refs,),
        ):
            self._lib_reference[ref] = (case_id, title, digest)

    def classify(self, f: PlannedFile) -> None:
        f.existing_id, f.detail, f.possible_duplicate = None, "", False
        record = f.record
        if record is None:
            f.status, f.detail = "rejected", f.result.reason or "The file could not be read."
            return
        sha, digest = f.result.source.sha256, record.digest
        if sha in self._by_sha:
            f.status, f.detail = "duplicate", f"The same file as “{self._by_sha[sha]}” in this import."
        elif sha in self._lib_sha:
            case_id, title = self._lib_sha[sha]
            f.status, f.existing_id = "duplicate", case_id
            f.detail = f"Already in the library (the identical file, “{title}”)."
        elif digest in self._by_content:
            f.status = "duplicate"
            f.detail = f"The same text as “{self._by_content[digest]}” in this import, saved differently."
        elif digest in self._lib_content:
            case_id, title = self._lib_content[digest]
            f.status, f.existing_id = "duplicate", case_id
            f.detail = (
                f"The same text as “{title}”, already in the library "
                "(saved with another encoding or line endings)."
            )
        elif record.reference and record.reference in self._by_reference:
            other, f.existing_id = self._by_reference[record.reference]
            f.status = "conflict"
            f.detail = (
                f"“{other}” in this import has the same reference {record.reference} but different text."
            )
        elif record.reference and record.reference in self._lib_reference:
            case_id, title, _ = self._lib_reference[record.reference]
            f.status, f.existing_id = "conflict", case_id
            f.detail = f"Case {record.reference} (“{title}”) is already in the library with different text."
        elif not self._near_duplicate(f, record):
            f.status = "warnings" if has_warnings(record.warnings) else "ready"

    def _near_duplicate(self, f: PlannedFile, record: CaseRecord) -> bool:
        """Mark `f` a possible duplicate of the most alike case or earlier file, if any: ready,
        with a warning that says which."""
        if record.minhash is None:
            return False
        in_batch = {}
        for key in minhash.band_keys(record.minhash):
            if key not in self._by_band:
                continue
            name, case_id, sig = self._by_band[key]
            if minhash.similarity(record.minhash, sig) >= minhash.THRESHOLD:
                in_batch[name] = (minhash.similarity(record.minhash, sig), case_id)
        found = derived.matches(record.minhash, self._lib_bands)
        if found:
            match = found[0]
            title = self.lib.conn.execute("SELECT title FROM cases WHERE id = ?", (match.case_id,)).fetchone()
            f.status, f.existing_id = "warnings", match.case_id
            f.detail = (
                f"Possibly the same case as “{title[0] if title else ''}” (case {match.case_id}): "
                f"{match.similarity:.0%} of the narrative is the same."
            )
        elif in_batch:
            name = max(in_batch, key=lambda n: in_batch[n][0])
            similarity, f.existing_id = in_batch[name]
            f.status = "warnings"
            f.detail = (
                f"Possibly the same case as “{name}” in this import: {similarity:.0%} of the narrative "
                "is the same."
            )
        f.possible_duplicate = bool(found or in_batch)
        return f.possible_duplicate

    def remember(self, f: PlannedFile, case_id: int | None) -> None:
        """Note a file that is (or will be) stored, so later files are checked against it."""
        record = f.stored_record
        self._by_sha[f.result.source.sha256] = f.name
        self._by_content[record.digest] = f.name
        if record.reference:
            self._by_reference[record.reference] = (f.name, case_id)
        if record.minhash:
            for key in minhash.band_keys(record.minhash):
                self._by_band.setdefault(key, (f.name, case_id, record.minhash))

    def stored(self) -> None:
        """The remembered files are now in the library, where `prefetch` finds them: forget
        their band keys (at 100,000 files they would take 150 MB)."""
        self._by_band.clear()


def plan(lib: Library, results: Iterable[ReadResult]) -> list[PlannedFile]:
    """Sort read files for the reviewer to check before anything is written."""
    files = [PlannedFile(r) for r in results]
    replan(lib, files)
    return files


def replan(lib: Library, files: list[PlannedFile]) -> None:
    """Classify again after corrections or choices changed (decisions are kept)."""
    classifier = Classifier(lib)
    classifier.prefetch(files)
    for f in files:
        classifier.classify(f)
        if f.will_store:
            classifier.remember(f, f.existing_id if f.status == "conflict" else None)


@dataclass
class FileOutcome:
    name: str
    path: str | None
    outcome: str  # imported | updated | duplicate | conflict_skipped | left_out | rejected
    reason: str = ""
    case_id: int | None = None
    warnings: tuple[str, ...] = ()
    sha256: str = ""  # of the file's bytes, when it could be read


OUTCOME_LABELS = {
    "imported": "Imported",
    "updated": "Replaced (review kept)",
    "duplicate": "Skipped: duplicate",
    "conflict_skipped": "Skipped: conflict",
    "left_out": "Left out",
    "rejected": "Not importable",
}


@dataclass
class BatchReport:
    batch_id: int | None
    label: str
    started_at: str
    finished_at: str | None = None
    files: list[FileOutcome] = field(default_factory=list)
    into_empty: bool = False  # the library held no cases before this batch

    @property
    def first_import(self) -> bool:
        """The first cases in this library: worth a backup (`backup.after_first_import`)."""
        return self.into_empty and self.imported > 0

    def count(self, *outcomes: str) -> int:
        return sum(1 for f in self.files if f.outcome in outcomes)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def skipped(self) -> int:
        return self.count("duplicate", "conflict_skipped", "left_out")

    @property
    def rejected(self) -> int:
        return self.count("rejected")


_CASE_FIELDS = (
    "reference", "title", "subject", "force", "kind", "category",
    "incident_text", "incident_start", "incident_end", "incident_precision",
    "incident_date", "incident_date_text", "published", "published_text", "published_precision",
    "findings", "narrative", "recommendations", "source_tags", "warnings", "content_hash", "findings_read",
)  # fmt: skip
_SOURCE_FIELDS = ("file_name", "path", "sha256", "encoding", "size", "original", "imported_at", "batch_id")


def _case_values(record: CaseRecord) -> tuple[object, ...]:
    inc, day, pub = record.incident, record.incident_date, record.published
    return (
        record.reference, record.title, record.subject, record.force, record.kind, record.category,
        inc.text if inc else None, inc.start.isoformat() if inc else None,
        inc.end.isoformat() if inc else None, inc.precision if inc else None,
        day.start.isoformat() if day else None, day.text if day else None,
        pub.start.isoformat() if pub else None, pub.text if pub else None,
        pub.precision if pub else None,
        " ".join(record.findings), record.narrative, record.recommendations,
        join_tags(record.source_tags),
        json.dumps([{"code": w.code, "message": w.message} for w in record.warnings]),
        record.digest, " ".join(record.findings),
    )  # fmt: skip


def _second_copy(f: PlannedFile) -> CaseRecord:
    """A conflicting file kept beside the case with its reference: its title says so and names
    the file, so that the two can be told apart in the list."""
    record = f.stored_record
    return replace(record, title=f"{record.title} (second copy, from {f.name})")


class _Batch:
    """The writes of one batch, made inside the caller's transaction."""

    def __init__(self, lib: Library, label: str, total: int):
        label = display_name(label)  # made of file names
        self.to_come = total  # files not yet stored
        self.lib, self.conn = lib, lib.conn
        self.stamp = now()
        self.report = BatchReport(None, label, self.stamp)
        self.classifier = Classifier(lib)
        for trigger in schema.BULK_TRIGGERS:
            self.conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")

        self.rev = lib.bump("rev", "content_gen")
        self.batch_id = self.conn.execute(
            "INSERT INTO batches(started_at, label) VALUES (?, ?)", (self.stamp, label)
        ).lastrowid
        self.report.batch_id = self.batch_id
        self.first_id = self.next_id = self.conn.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM cases"
        ).fetchone()[0]
        self.indexed_to = self.first_id - 1  # the cases of this batch up to here are indexed
        # Nothing to look up in a library that was empty: files are checked against each other.
        self.check_library = self.conn.execute("SELECT EXISTS (SELECT 1 FROM cases)").fetchone()[0]
        self.report.into_empty = not self.check_library
        self.backed_up = False
        self.conn.execute(
            f"INSERT INTO {schema.FTS_TABLE}({schema.FTS_TABLE}, rank) VALUES ('hashsize', ?)", (FTS_MEMORY,)
        )

    def store(self, files: list[PlannedFile]) -> None:
        """Write a slice of files; index the new cases whenever INDEX_CHUNK are waiting, or near
        the end as many as are still to come, so that when files are still being read on other
        cores, indexing overlaps the reading."""
        self.classifier.prefetch(files, library=self.check_library)
        reported = len(self.report.files)
        cases, sources, updates, stored = [], [], [], []
        for f in files:
            self.classifier.classify(f)
            case_id = outcome = None
            if not f.include:
                outcome = "left_out"
            elif f.status in ("rejected", "duplicate"):
                outcome = f.status
            elif f.status == "conflict" and f.resolution == "skip":
                outcome = "conflict_skipped"
            elif f.status == "conflict" and f.resolution == "replace" and f.existing_id:
                case_id, outcome = f.existing_id, "updated"
                updates.append((f, case_id))
            else:
                case_id, outcome = self.next_id, "imported"
                self.next_id += 1
                values = _case_values(_second_copy(f) if f.status == "conflict" else f.stored_record)
                tags = values[_CASE_FIELDS.index("source_tags")]  # the reviewer's tags start as the page's
                cases.append((case_id, *values, tags, self.stamp, self.rev, self.batch_id))
                sources.append((case_id, *self._source_values(f)))
                stored.append((case_id, f))
            if case_id is not None:
                self.classifier.remember(f, case_id)
            record = f.record
            self.report.files.append(
                FileOutcome(
                    name=f.name,
                    path=f.result.source.path,
                    outcome=outcome,
                    reason=f.detail,
                    case_id=case_id or f.existing_id,
                    warnings=tuple(w.message for w in record.warnings) if record else (),
                    sha256=f.result.source.sha256,
                )
            )
        self.conn.executemany(
            f"INSERT INTO cases(id, {', '.join(_CASE_FIELDS)}, tags, created_at, rev, batch_id)"
            f" VALUES ({', '.join('?' * (len(_CASE_FIELDS) + 5))})",
            cases,
        )
        self.conn.executemany(
            f"INSERT INTO sources(case_id, {', '.join(_SOURCE_FIELDS)})"
            f" VALUES ({', '.join('?' * (len(_SOURCE_FIELDS) + 1))})",
            sources,
        )
        derived.store(self.conn, [(case_id, f.stored_record.minhash) for case_id, f in stored], new=True)
        derived.store(self.conn, [(case_id, f.stored_record.minhash) for f, case_id in updates])
        self.classifier.stored()
        case_reading.store(self.conn, [(case_id, f.stored_record) for case_id, f in stored])
        self._record(self.report.files[reported:])
        self.to_come -= len(files)
        waiting = self.next_id - 1 - self.indexed_to
        if waiting >= INDEX_CHUNK or waiting >= max(LAST_INDEX_CHUNK, self.to_come):
            self._index_through(self.next_id - 1)
        for f, case_id in updates:
            self._replace(f, case_id)

    def _index_through(self, last: int) -> None:
        self.conn.execute(schema.index_rows_sql("id BETWEEN ? AND ?"), (self.indexed_to + 1, last))
        self.indexed_to = last

    def _source_values(self, f: PlannedFile) -> tuple[object, ...]:
        s = f.result.source
        return (s.name, s.path, s.sha256, s.encoding, s.size, s.data, self.stamp, self.batch_id)

    def _replace(self, f: PlannedFile, case_id: int) -> None:
        """New text for an existing case; its status, tags and notes stay as they are.
        The first replacement of a batch takes a backup of the library as it was."""
        if not self.backed_up:
            try:
                backup.backup_file(self.lib.path, reason="before-replace")
            except BackupFailed as e:
                raise BackupFailed(
                    f"Cases would be replaced, but the backup that comes first could not be taken "
                    f"({e.why}). Nothing was imported.",
                    "Check that Casebook's data folder can be written and the disk has room, "
                    "or import without replacing cases.",
                ) from e
            self.backed_up = True
        indexed = case_id <= self.indexed_to
        if indexed:
            self.conn.execute(schema.unindex_rows_sql("id = ?"), (case_id,))
        assignments = ", ".join(f"{c} = ?" for c in _CASE_FIELDS)
        self.conn.execute(
            f"UPDATE cases SET {assignments}, rev = ?, batch_id = ? WHERE id = ?",
            (*_case_values(f.stored_record), self.rev, self.batch_id, case_id),
        )
        if indexed:
            self.conn.execute(schema.index_rows_sql("id = ?"), (case_id,))
        case_reading.replace(self.conn, case_id, f.stored_record)
        finding_corrections.reapply(self.conn, case_id)  # the reviewer's corrections outlast new text
        self.conn.execute(
            f"UPDATE sources SET {', '.join(f'{c} = ?' for c in _SOURCE_FIELDS)} WHERE case_id = ?",
            (*self._source_values(f), case_id),
        )

    def index(self, progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        """Index the cases not yet indexed, and put the full-text triggers back."""
        last = self.next_id - 1
        total = max(0, last - self.first_id + 1)
        while self.indexed_to < last:
            if cancel and cancel():
                raise Cancelled
            self._index_through(min(self.indexed_to + INDEX_CHUNK, last))
            if progress:
                progress("index", self.indexed_to - self.first_id + 1, total)
        if cancel and cancel():  # asked for while the last slice was indexed
            raise Cancelled
        schema.create_fts_triggers(self.conn)

    def finish(self) -> BatchReport:
        derived.refresh_term_counts(self.conn)
        r = self.report
        r.finished_at = now()
        self.conn.execute(
            "UPDATE batches SET finished_at = ?, files = ?, imported = ?, updated = ?, skipped = ?,"
            " rejected = ? WHERE id = ?",
            (r.finished_at, len(r.files), r.imported, r.updated, r.skipped, r.rejected, self.batch_id),
        )
        return r

    def _record(self, outcomes: list[FileOutcome]) -> None:
        """Add files to the batch's report in the library (as they are stored: while files are
        still being read, this costs no time at the end)."""
        self.conn.executemany(
            "INSERT INTO batch_files(batch_id, path, file_name, sha256, outcome, case_id, reason, warnings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (self.batch_id, f.path, f.name, f.sha256 or None, f.outcome, f.case_id, f.reason,
                 json.dumps(f.warnings))
                for f in outcomes
            ],
        )


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a batch holds thousands of fresh records.

    The records hold no reference cycles, so nothing is lost; but each collection
    walks every live record, and during a 100,000-file import those walks cost a
    quarter of the time (bench/). Plain reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(
    lib: Library,
    label: str,
    chunks: Iterator[list[PlannedFile]],
    total: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> BatchReport:
    with _no_cycle_collection(), lib.write_once():
        batch = _Batch(lib, label, total)
        done = 0
        for chunk in chunks:
            if cancel and cancel():
                raise Cancelled
            batch.store(chunk)
            done += len(chunk)
            if progress:
                progress("store", done, total)
        batch.index(progress, cancel)
        return batch.finish()


T = TypeVar("T")


def _chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_planned(
    lib: Library,
    files: list[PlannedFile],
    label: str = "Import",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> BatchReport:
    """Write files the reviewer has checked. Raises `Cancelled` (nothing written) on cancel."""
    return _run(lib, label, _chunked(files, STORE_CHUNK), len(files), progress, cancel)


def import_paths(
    lib: Library,
    paths: Iterable[str],
    resolution: str = "skip",
    label: str = "Import",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> BatchReport:
    """Read and import files and folders in one go: reading on other cores overlaps writing.

    Conflicts are all settled with `resolution`.
    """
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}")
    files, refused = collect_files(paths, lib.path)
    results = read_files(files, workers=workers, cancel=cancel)
    planned = (PlannedFile(r, resolution=resolution) for r in itertools.chain(refused, results))
    return _run(lib, label, _chunked(planned, STORE_CHUNK), len(files) + len(refused), progress, cancel)


@dataclass(frozen=True)
class BatchSummary:
    id: int
    started_at: str
    finished_at: str | None
    label: str
    files: int
    imported: int
    updated: int
    skipped: int
    rejected: int


def import_history(lib: Library) -> list[BatchSummary]:
    """Every import batch, newest first."""
    rows = lib.conn.execute(
        "SELECT id, started_at, finished_at, coalesce(label, ''), coalesce(files, 0), coalesce(imported, 0),"
        " coalesce(updated, 0), coalesce(skipped, 0), coalesce(rejected, 0) FROM batches ORDER BY id DESC"
    )
    return [BatchSummary(*row) for row in rows]


def batch_report(lib: Library, batch_id: int) -> BatchReport | None:
    """The per-file report of an earlier batch."""
    row = lib.conn.execute(
        "SELECT started_at, finished_at, coalesce(label, '') FROM batches WHERE id = ?", (batch_id,)
    ).fetchone()
    if row is None:
        return None
    report = BatchReport(batch_id, row[2], row[0], row[1])
    for path, name, outcome, reason, case_id, warnings, sha in lib.conn.execute(
        "SELECT path, file_name, outcome, coalesce(reason, ''), case_id, coalesce(warnings, '[]'),"
        " coalesce(sha256, '') FROM batch_files WHERE batch_id = ? ORDER BY id",
        (batch_id,),
    ):
        report.files.append(
            FileOutcome(name, path, outcome, reason, case_id, tuple(json.loads(warnings)), sha)
        )
    return report
