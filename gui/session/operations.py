"""The changes the window makes to the library, each a small named operation.

An operation is called with the writer's `Library` (never a widget), does its work
through `storage`, and returns `Changes`: which cases changed and how. The session runs
it on the writer and tells the views (`Session.changed`), which refresh themselves. In
the spirit of Anki's `CollectionOp` and `OpChanges`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.keeping import backup, finding_corrections, repair
from storage.keeping.importing import BatchReport, PlannedFile, import_paths, import_planned
from storage.keeping.library import Library
from storage.patterns import duplicates

from .worker import Cancel


@dataclass(frozen=True)
class Changes:
    """What an operation (or another program) changed in the library."""

    ids: frozenset[int] | None = frozenset()  # the cases whose fields changed; None: any
    cases: bool = False  # cases added, replaced or removed: lists, counts and facets
    review: bool = False  # the status, tags, notes or corrected findings of `ids`
    tags: bool = False  # which tags are in use
    saved_searches: bool = False
    elsewhere: bool = False  # another window or program made them
    result: Any = field(default=None, compare=False)  # what the operation gives back besides

    def touches(self, case_id: int | None) -> bool:
        return case_id is not None and (self.ids is None or case_id in self.ids)


ANYTHING = Changes(ids=None, cases=True, review=True, tags=True, saved_searches=True)


@dataclass(frozen=True)
class SetStatuses:
    """Give cases their statuses. `result` is the operation that undoes it."""

    statuses: tuple[tuple[int, str], ...]  # (case id, status)

    @classmethod
    def of(cls, ids: tuple[int, ...], status: str) -> SetStatuses:
        return cls(tuple((case_id, status) for case_id in ids))

    def __call__(self, lib: Library) -> Changes:
        before = lib.set_statuses(dict(self.statuses))
        undo = SetStatuses(tuple(before.items())) if before else None
        return Changes(ids=frozenset(i for i, _ in self.statuses), review=True, result=undo)


@dataclass(frozen=True)
class ChangeTag:
    """Add a tag to cases or take it off. `result` is the operation that undoes it."""

    ids: tuple[int, ...]
    tag: str
    add: bool

    def __call__(self, lib: Library) -> Changes:
        changed = lib.change_tag(self.ids, self.tag, self.add)
        undo = ChangeTag(tuple(changed), self.tag, not self.add) if changed else None
        return Changes(ids=frozenset(self.ids), review=True, tags=True, result=undo)


@dataclass(frozen=True)
class CorrectFindings:
    """A reviewer's say on the findings of cases: each (label, present) decision for every case
    in `ids`; `back_to_read` first drops their earlier corrections (back to what was read).
    `result` is the operation that undoes it."""

    ids: tuple[int, ...]
    decisions: tuple[tuple[str, bool], ...] = ()
    back_to_read: bool = False

    def __call__(self, lib: Library) -> Changes:
        before = finding_corrections.decisions_of(lib, self.ids)
        if self.back_to_read:
            finding_corrections.clear(lib, self.ids)
        for label, present in self.decisions:
            finding_corrections.correct(lib, self.ids, label, present)
        undo = PutBackFindings(tuple((i, tuple(before.get(i, {}).items())) for i in self.ids))
        return Changes(ids=frozenset(self.ids), review=True, result=undo)


@dataclass(frozen=True)
class PutBackFindings:
    """The corrections of cases as they were: (case id, ((label, present), …))."""

    decided: tuple[tuple[int, tuple[tuple[str, bool], ...]], ...]

    def __call__(self, lib: Library) -> Changes:
        finding_corrections.put_back(lib, {case_id: dict(labels) for case_id, labels in self.decided})
        return Changes(ids=frozenset(i for i, _ in self.decided), review=True)


@dataclass(frozen=True)
class SaveSearch:
    name: str
    query: str

    def __call__(self, lib: Library) -> Changes:
        lib.save_search(self.name, self.query)
        return Changes(saved_searches=True)


@dataclass(frozen=True)
class DeleteSavedSearch:
    name: str

    def __call__(self, lib: Library) -> Changes:
        lib.delete_saved_search(self.name)
        return Changes(saved_searches=True)


def _imported(report: BatchReport) -> Changes:
    return Changes(ids=None, cases=True, tags=True, result=report)


@dataclass(frozen=True)
class ImportFiles:
    """Read and import files and folders in one go (samples, or files handed over)."""

    paths: tuple[str, ...]
    label: str = "Import"

    def __call__(self, lib: Library) -> Changes:
        return _imported(import_paths(lib, list(self.paths), label=self.label))


@dataclass(frozen=True)
class ImportPlanned:
    """Import files the reviewer checked in the import wizard (long: progress and cancel)."""

    files: list[PlannedFile] = field(hash=False)
    label: str = "Import"

    def __call__(self, lib: Library, cancel: Cancel) -> Changes:
        def progress(phase: str, done: int, total: int) -> None:
            cancel.progress((phase, done, total))

        report = import_planned(lib, self.files, self.label, progress, cancel.cancelled)
        return _imported(report)


@dataclass(frozen=True)
class Repair:
    """Mend damage SQLite's own check does not see, after a backup."""

    def __call__(self, lib: Library) -> Changes:
        found = repair.repair(lib)
        return Changes(ids=None, cases=not found.ok, review=not found.ok, result=found)


@dataclass(frozen=True)
class Check:
    """Look for damage SQLite's own check does not see (with the search index: seconds)."""

    with_index: bool = True

    def __call__(self, lib: Library) -> Changes:
        return Changes(result=repair.check(lib, with_index=self.with_index))


@dataclass(frozen=True)
class BackUp:
    """A copy of the library where the reviewer chose (File › Back up library…)."""

    dest: Any  # Path

    def __call__(self, lib: Library) -> Changes:
        source = lib.conn if lib.file_replaced() else None  # the open file is the only copy left
        return Changes(result=backup.backup_file(lib.path, dest=self.dest, source=source))


@dataclass(frozen=True)
class FindDuplicates:
    """Groups of cases that are possibly the same case; cases from a library older than the
    signatures are signed first (seconds, once), which changes no case."""

    def __call__(self, lib: Library) -> Changes:
        return Changes(result=duplicates.library_duplicates(lib))
