"""A table model over a plain list with fixed column headers, for the import tables."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class ListTableModel(QAbstractTableModel):
    """Rows are the items of `self.files`; columns are named by `HEADERS`."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, files: list | None = None, parent=None):
        super().__init__(parent)
        self.files = files if files is not None else []

    def rowCount(self, parent=QModelIndex()):  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.files)

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
