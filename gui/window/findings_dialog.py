"""Correcting the findings of one case or of a selection: a box per finding.

A box is ticked when every case has the finding, part-ticked when some have it. Only the
boxes the reviewer changes become corrections; "Back to what Casebook read" drops the
cases' earlier corrections first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QGridLayout, QVBoxLayout, QWidget

from storage.keeping.library import Library
from storage.reading.findings import FINDINGS
from storage.searching.columns import columns

from ..formatting import plural
from ..safe_text import plain_label, window_title


@dataclass(frozen=True)
class FindingsCount:
    """What the dialog needs to know of the cases: how many there are, how many have each
    finding, and for one case which findings the reader found."""

    total: int
    having: Counter[str]
    read: frozenset[str] | None = None

    @classmethod
    def of(cls, lib: Library, ids: list[int]) -> FindingsCount:
        """Counted as the filter panel counts (the column store: quick for any selection)."""
        if len(ids) == 1:
            case = lib.case(ids[0])
            return (
                cls(1, Counter(case.findings), frozenset(case.findings_read)) if case else cls(0, Counter())
            )
        counts = columns(lib).facets(np.asarray(ids, dtype=np.int64))["outcome"]
        return cls(len(ids), Counter(dict(counts)))


class FindingsDialog(QDialog):
    def __init__(self, parent: QWidget, count: FindingsCount, title: str):
        super().__init__(parent)
        self.setWindowTitle(window_title(title))
        self.back_to_read = False
        self.boxes: dict[str, QCheckBox] = {}
        self._started: dict[str, Qt.CheckState] = {}
        which = "this case has" if count.total == 1 else f"the {plural(count.total, 'selected case')} have"
        intro = plain_label(
            f"Tick the findings {which}. A correction is kept when a case is imported again, and the "
            "outcome: filter, the counts and exports use it."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        for row, finding in enumerate(FINDINGS):
            box = QCheckBox(finding.title)
            box.setObjectName(f"finding:{finding.label}")
            having = count.having[finding.label]
            if 0 < having < count.total:
                box.setTristate(True)
                box.setCheckState(Qt.CheckState.PartiallyChecked)
            else:
                box.setChecked(having == count.total and having > 0)
            self.boxes[finding.label] = box
            self._started[finding.label] = box.checkState()
            grid.addWidget(box, row, 0)
            if count.read is not None:
                read, has = finding.label in count.read, having > 0
                note = {(True, True): "read in the text", (True, False): "read in the text, taken off"}
                note[False, True] = "added by a reviewer"
                grid.addWidget(plain_label(note.get((read, has), "")), row, 1)
            elif 0 < having < count.total:
                grid.addWidget(plain_label(f"{having:,} of {count.total:,}"), row, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        back = buttons.addButton("Back to what Casebook read", QDialogButtonBox.ButtonRole.ResetRole)
        back.setObjectName("back-to-read")
        back.clicked.connect(self._back_to_read)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def _back_to_read(self) -> None:
        self.back_to_read = True
        self.accept()

    def decisions(self) -> tuple[tuple[str, bool], ...]:
        """(label, present) for every box the reviewer changed to ticked or unticked."""
        if self.back_to_read:
            return ()
        return tuple(
            (label, box.checkState() == Qt.CheckState.Checked)
            for label, box in self.boxes.items()
            if box.checkState() != self._started[label] and box.checkState() != Qt.CheckState.PartiallyChecked
        )
