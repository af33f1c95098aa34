"""View › Possible duplicates: the groups of cases that are probably one case saved twice
(the IOPC site's two layouts of a summary; storage/patterns/duplicates.py), each case
openable. The groups are found on the session's writer, which signs any case that has no
signature yet (a library from before signatures were kept: seconds, once).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..formatting import plural, short_date, status_label
from ..safe_text import cell_text, plain_label, rich
from ..session.operations import Changes, FindDuplicates
from ..session.session import Session

CASE_ID = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Title", "Force", "Published", "Reference", "Status")


class DuplicatesDialog(QDialog):
    """The groups, each case a row under its group; double-click or Open shows the case."""

    listed = Signal(list)  # the groups of case ids now shown

    def __init__(self, open_case: Callable[[int], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("duplicates")
        self.setWindowTitle("Possible duplicates")
        self.open_case = open_case
        self.groups: list[list[int]] = []
        self.summary = plain_label("Looking for cases saved twice…")
        self.summary.setObjectName("duplicates-summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("duplicates-groups")
        self.tree.setAccessibleName("Groups of cases that are possibly the same case")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.itemActivated.connect(self._activated)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(lambda: self._activated(self.tree.currentItem()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(900, 480)

    def show_groups(self, groups: list[list[int]], rows: dict) -> None:
        """`groups` of case ids; `rows` each case's CaseRow."""
        self.groups = groups
        self.tree.clear()
        for number, group in enumerate(groups, 1):
            top = QTreeWidgetItem([f"Group {number}: {plural(len(group), 'case')}", "", "", "", ""])
            self.tree.addTopLevelItem(top)
            for case_id in group:
                row = rows.get(case_id)
                if row is None:
                    continue
                values = (
                    row.title,
                    row.force or "",
                    short_date(row.published),
                    row.reference or "",
                    status_label(row.status),
                )
                item = QTreeWidgetItem([cell_text(v) for v in values])
                item.setData(0, CASE_ID, case_id)
                item.setToolTip(0, rich(f"{row.title}\nDouble-click to open this case"))
                top.addChild(item)
            top.setExpanded(True)
        self.summary.setText(
            f"{plural(len(groups), 'group')} of cases that are probably one case saved twice "
            "(most of their narrative is the same). Double-click a case to open it."
            if groups
            else "No two cases in the library look like the same case saved twice."
        )
        self.listed.emit(groups)

    def _activated(self, item: QTreeWidgetItem | None, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ID) if item is not None else None
        if case_id is not None:
            self.open_case(case_id)


class Duplicates(QObject):
    """Opens the dialog and fills it from the library."""

    def __init__(self, session: Session, open_case: Callable[[int], None], parent: QWidget):
        super().__init__(parent)
        self.session = session
        self.open_case = open_case
        self.window = parent
        self.dialog: DuplicatesDialog | None = None

    def show(self) -> None:
        if self.session.lib is None:
            return
        if self.dialog is None:
            self.dialog = DuplicatesDialog(self.open_case, self.window)
        self.dialog.summary.setText("Looking for cases saved twice…")
        self.dialog.show()
        self.dialog.raise_()
        dialog = self.dialog

        def found(changes: Changes) -> None:
            groups, lib = changes.result, self.session.lib
            rows = {row.id: row for row in lib.rows([i for g in groups for i in g])} if lib else {}
            dialog.show_groups(groups, rows)

        self.session.write(FindDuplicates(), "finding possible duplicates", found)
