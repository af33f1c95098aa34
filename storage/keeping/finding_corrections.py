"""A reviewer's corrections of the findings Casebook read: a label added to or taken off a case.

Each correction is a decision per case and label (table `finding_corrections`). The labels the
reader found are kept in `cases.findings_read`; `cases.findings` holds them with the decisions
applied, so search, facets, counts and exports all use the corrected findings. A decision is
kept when the case's text is replaced by a re-import, and applied to what the new text gives.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from ..reading.findings import FINDING_BY_LABEL, FINDINGS
from .library import Library, now

_ORDER = {f.label: i for i, f in enumerate(FINDINGS)}


def _check(labels: Iterable[str]) -> list[str]:
    labels = list(labels)
    unknown = [label for label in labels if label not in FINDING_BY_LABEL]
    if unknown:
        raise ValueError(f"not a finding: {', '.join(unknown)}")
    return labels


def corrected(read: Iterable[str], decisions: dict[str, bool]) -> tuple[str, ...]:
    """The labels `read`, with the reviewer's `decisions` (label -> present) applied."""
    labels = {label for label in read if decisions.get(label, True)}
    labels |= {label for label, present in decisions.items() if present}
    return tuple(sorted(labels, key=_ORDER.__getitem__))


def decisions(lib: Library, case_id: int) -> dict[str, bool]:
    """The reviewer's decisions for one case: label -> whether the case has that finding."""
    return {
        label: bool(present)
        for label, present in lib.conn.execute(
            "SELECT label, present FROM finding_corrections WHERE case_id = ?", (case_id,)
        )
    }


def set_findings(lib: Library, case_id: int, labels: Iterable[str]) -> None:
    """Say which findings one case has: where that differs from what was read, it is recorded as
    a correction; where it agrees, any earlier correction is dropped."""
    wanted = set(_check(labels))
    with lib.write() as conn:
        row = conn.execute("SELECT findings_read FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            return
        read = set((row[0] or "").split())
        changes = [(label, label in wanted) for label in FINDING_BY_LABEL if label in wanted ^ read]
        conn.execute("DELETE FROM finding_corrections WHERE case_id = ?", (case_id,))
        _record(conn, [case_id], changes)
        _apply(lib, conn, [case_id])


def correct(lib: Library, ids: Iterable[int], label: str, present: bool) -> None:
    """Add `label` to (or take it off) every case in `ids`, in one transaction."""
    _check([label])
    ids = [int(i) for i in ids]
    with lib.write() as conn:
        _record(conn, ids, [(label, present)])
        _apply(lib, conn, ids)


def clear(lib: Library, ids: Iterable[int], label: str | None = None) -> None:
    """Drop the corrections of `label` (or all of them) in `ids`: back to what was read."""
    if label is not None:
        _check([label])
    ids = [int(i) for i in ids]
    with lib.write() as conn:
        conn.execute(
            "DELETE FROM finding_corrections WHERE case_id IN (SELECT value FROM json_each(?))"
            " AND (? IS NULL OR label = ?)",
            (json.dumps(ids), label, label),
        )
        _apply(lib, conn, ids)


def reapply(conn: sqlite3.Connection, case_id: int) -> None:
    """Apply a case's corrections to what was read of it (after its text was replaced); the
    caller's transaction has bumped the change counters already."""
    row = conn.execute("SELECT findings_read FROM cases WHERE id = ?", (case_id,)).fetchone()
    found = dict(conn.execute("SELECT label, present FROM finding_corrections WHERE case_id = ?", (case_id,)))
    if row is not None and found:
        labels = corrected((row[0] or "").split(), {k: bool(v) for k, v in found.items()})
        conn.execute("UPDATE cases SET findings = ? WHERE id = ?", (" ".join(labels), case_id))


def decisions_of(lib: Library, ids: Iterable[int]) -> dict[int, dict[str, bool]]:
    """The reviewer's decisions for the cases `ids` that have any: case id -> label -> present."""
    found: dict[int, dict[str, bool]] = {}
    for case_id, label, present in lib.conn.execute(
        "SELECT case_id, label, present FROM finding_corrections"
        " WHERE case_id IN (SELECT value FROM json_each(?))",
        (json.dumps([int(i) for i in ids]),),
    ):
        found.setdefault(case_id, {})[label] = bool(present)
    return found


def put_back(lib: Library, decided: dict[int, dict[str, bool]]) -> None:
    """Make the decisions of each case in `decided` exactly those given, in one transaction
    (undoing a correction: `decided` is what `decisions_of` said before it)."""
    ids = [int(i) for i in decided]
    with lib.write() as conn:
        conn.execute(
            "DELETE FROM finding_corrections WHERE case_id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        for case_id, labels in decided.items():
            _record(conn, [case_id], list(labels.items()))
        _apply(lib, conn, ids)


def _record(conn: sqlite3.Connection, ids: list[int], changes: list[tuple[str, bool]]) -> None:
    stamp = now()
    conn.executemany(
        "INSERT INTO finding_corrections(case_id, label, present, corrected_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(case_id, label) DO UPDATE SET present = excluded.present,"
        " corrected_at = excluded.corrected_at",
        [(case_id, label, int(present), stamp) for case_id in ids for label, present in changes],
    )


def _apply(lib: Library, conn: sqlite3.Connection, ids: list[int]) -> None:
    """Write the corrected findings of `ids` and mark them changed, so search sees them."""
    rev = lib.bump("rev")
    decided: dict[int, dict[str, bool]] = {}
    for case_id, label, present in conn.execute(
        "SELECT case_id, label, present FROM finding_corrections"
        " WHERE case_id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    ):
        decided.setdefault(case_id, {})[label] = bool(present)
    stamp = now()
    for case_id, read, current in conn.execute(
        "SELECT id, findings_read, findings FROM cases WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    ).fetchall():
        labels = " ".join(corrected((read or "").split(), decided.get(case_id, {})))
        if labels != current:
            conn.execute(
                "UPDATE cases SET findings = ?, updated_at = ?, rev = ? WHERE id = ?",
                (labels, stamp, rev, case_id),
            )
