"""What the reader found in a case besides its fields: the dated events of its narrative and
the passages that gave its findings. Stored with the case (tables `events` and
`finding_evidence`), read back for the detail pane, the case's JSON and exports.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable

from ..reading.chronology import Event, read_chronology
from ..reading.findings import Evidence, read_findings
from ..records import Case, CaseRecord, FuzzyDate

log = logging.getLogger(__name__)

_EVENT_FIELDS = ("case_id", "seq", "date", "precision", "text", "start", "end", "first_day", "last_day")
_EVIDENCE_FIELDS = ("case_id", "label", "field", "start", "end")
_INSERT_EVENTS = (
    f"INSERT INTO events({', '.join(_EVENT_FIELDS)}) VALUES ({', '.join('?' * len(_EVENT_FIELDS))})"
)
_INSERT_EVIDENCE = (
    f"INSERT INTO finding_evidence({', '.join(_EVIDENCE_FIELDS)})"
    f" VALUES ({', '.join('?' * len(_EVIDENCE_FIELDS))})"
)
FILL_CHUNK = 2000
"""Cases read per slice when a library is upgraded: bounded memory at any size."""


def _event_rows(case_id: int, events: Iterable[Event]) -> list[tuple[object, ...]]:
    return [
        (case_id, seq, e.date, e.precision, e.text, e.start, e.end, e.first_day.isoformat(),
         e.last_day.isoformat())
        for seq, e in enumerate(events)
    ]  # fmt: skip


def _evidence_rows(case_id: int, evidence: Iterable[Evidence]) -> list[tuple[object, ...]]:
    return [(case_id, e.label, e.field, e.start, e.end) for e in evidence]


def store(conn: sqlite3.Connection, records: Iterable[tuple[int, CaseRecord]]) -> None:
    """Store the events and evidence of new cases (inside the caller's transaction)."""
    events, evidence = [], []
    for case_id, record in records:
        events += _event_rows(case_id, record.chronology)
        evidence += _evidence_rows(case_id, record.evidence)
    conn.executemany(_INSERT_EVENTS, events)
    conn.executemany(_INSERT_EVIDENCE, evidence)


def replace(conn: sqlite3.Connection, case_id: int, record: CaseRecord) -> None:
    """Store what was read of a case's new text instead of its old (inside a transaction)."""
    conn.execute("DELETE FROM events WHERE case_id = ?", (case_id,))
    conn.execute("DELETE FROM finding_evidence WHERE case_id = ?", (case_id,))
    store(conn, [(case_id, record)])


def fill(conn: sqlite3.Connection) -> None:
    """Read the events and evidence of every case already in a library (the upgrade to schema
    version 5). The findings stay as they were read when the case was imported: evidence is
    kept for those labels only, so an upgrade never changes what a library says about a case."""
    conn.execute("UPDATE cases SET findings_read = findings")
    last = 0
    total = 0
    while True:
        rows = conn.execute(
            "SELECT id, narrative, recommendations, findings, incident_text, incident_start,"
            " incident_end, incident_precision FROM cases WHERE id > ? ORDER BY id LIMIT ?",
            (last, FILL_CHUNK),
        ).fetchall()
        if not rows:
            break
        events, evidence = [], []
        for case_id, narrative, recommendations, findings, *incident in rows:
            narrative = narrative or ""
            events += _event_rows(case_id, read_chronology(narrative, FuzzyDate.from_db(*incident)))
            evidence += _evidence_rows(case_id, _evidence_for(narrative, recommendations, findings))
        conn.executemany(_INSERT_EVENTS, events)
        conn.executemany(_INSERT_EVIDENCE, evidence)
        last = rows[-1][0]
        total += len(rows)
    log.info("read events and evidence of %s cases", total)


def _evidence_for(narrative: str, recommendations: str | None, findings: str) -> list[Evidence]:
    """The passages for the labels a case already has; learning with no sentence of its own came
    from the page's recommendations section."""
    labels = set(findings.split())
    found = [e for e in read_findings(narrative, bool(recommendations)).evidence if e.label in labels]
    if "learning_recommendations" in labels and not any(e.label == "learning_recommendations" for e in found):
        found.append(Evidence("learning_recommendations", 0, len(recommendations or ""), "recommendations"))
    return found


def attach(conn: sqlite3.Connection, cases: dict[int, Case]) -> None:
    """Give `cases` (by id) their events, evidence and findings as read, in two queries."""
    ids = json.dumps(list(cases))
    chronology: dict[int, list[Event]] = {case_id: [] for case_id in cases}
    evidence: dict[int, list[Evidence]] = {case_id: [] for case_id in cases}
    for case_id, date, precision, text, start, end in conn.execute(
        "SELECT case_id, date, precision, text, start, end FROM events"
        " WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, seq",
        (ids,),
    ):
        chronology[case_id].append(Event(date, precision, text, start, end))
    for case_id, label, field, start, end in conn.execute(
        "SELECT case_id, label, field, start, end FROM finding_evidence"
        " WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
        (ids,),
    ):
        evidence[case_id].append(Evidence(label, start, end, field))
    for case_id, case in cases.items():
        case.chronology, case.evidence = tuple(chronology[case_id]), tuple(evidence[case_id])
