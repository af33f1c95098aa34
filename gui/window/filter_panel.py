"""The filter panel: facet counts for the current search, and saved searches.

Clicking a value adds its filter to the search bar; clicking it again takes it
out. The counts always describe the current search. A new search changes the items
in place, and only those whose value, count or emphasis changed: items made anew
would all be laid out and painted again at every keystroke.
"""

from __future__ import annotations

from functools import cache

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem

from storage.reading.findings import FINDING_BY_LABEL, FINDINGS

from ..formatting import finding_title, status_label
from ..icons import status_icon
from ..safe_text import cell_text, rich

SECTIONS = (
    ("status", "Review status"),
    ("outcome", "Outcome"),
    ("force", "Force"),
    ("year", "Incident year"),
    ("tag", "Tags"),
    ("saved", "Saved searches"),
)
TERM = Qt.ItemDataRole.UserRole + 1


def quoted(value: str) -> str:
    return f'"{value}"' if (" " in value or ":" in value) else value


def term_for(section: str, value: str) -> str:
    """The search term a facet value stands for, in the words the search help uses."""
    if section == "outcome":
        return "outcome:" + outcome_word(value)
    if section == "status":
        return f"status:{quoted(status_label(value).lower())}"
    return f"{section}:{quoted(value)}"


@cache
def outcome_word(label: str) -> str:
    """The first of a finding's short words that `outcome:` reads as that finding alone.

    `outcome:` takes the start of any finding's words, so "misconduct" also means gross
    misconduct; such a finding is named in full ("misconduct-case-to-answer").
    """
    finding = FINDING_BY_LABEL.get(label)
    full = label.replace("_", "-")
    others = [
        word
        for other in FINDINGS
        if other is not finding
        for word in (other.label.replace("_", "-"), *other.search_words)
    ]
    for word in finding.search_words if finding else ():
        if not any(w.startswith(word) for w in others):
            return word
    return full


def facet_label(section: str, value: str) -> str:
    if section == "status":
        return status_label(value)
    if section == "outcome":
        return finding_title(value)
    return value


def _clear(section: QTreeWidgetItem, keep: int = 0) -> None:
    """Delete a section's items after the first `keep`. (PySide keeps a reference from the parent
    to every item added, so items only taken out stay alive: fifty more with every search.)"""
    for index in range(section.childCount() - 1, keep - 1, -1):
        item = section.takeChild(index)
        if item is not None:
            shiboken6.delete(item)


class FilterPanel(QTreeWidget):
    term_toggled = Signal(str)
    saved_chosen = Signal(str)
    saved_deleted = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setIndentation(14)  # room for "Avon and Somerset Constabulary" at the default width
        self.setUniformRowHeights(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self._sections: dict[str, QTreeWidgetItem] = {}
        self._shown: dict[str, list[tuple[str, int, bool]]] = {}  # (value, count, in the search) by item
        self._bold = QFont()
        self._bold.setBold(True)
        for key, title in SECTIONS:
            item = QTreeWidgetItem([title, ""])
            item.setFont(0, self._bold)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addTopLevelItem(item)
            self._sections[key] = item
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)

    def set_open(self, keys: list[str]) -> None:
        """Open the groups named in `keys` and close the others (as the reviewer left them)."""
        for key, item in self._sections.items():
            item.setExpanded(key in keys)

    def open_groups(self) -> list[str]:
        return [key for key, item in self._sections.items() if item.isExpanded()]

    def set_facets(self, facets: dict[str, list[tuple[str, int]]], search_text: str) -> None:
        active = set(search_text.split())
        for key, _ in SECTIONS:
            if key == "saved":
                continue
            section, values = self._sections[key], facets.get(key, [])
            shown = self._shown.setdefault(key, [])
            _clear(section, len(values))
            del shown[len(values) :]
            for index, (value, count) in enumerate(values):
                term = term_for(key, value)
                state = (value, count, term in active or term in search_text)
                if index < len(shown):
                    item = section.child(index)
                    if shown[index] != state and item is not None:
                        self._show_value(item, key, term, shown[index], state)
                        shown[index] = state
                    continue
                item = QTreeWidgetItem()
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._show_value(item, key, term, None, state)
                section.addChild(item)
                shown.append(state)
            section.setText(1, "" if values else "–")

    def _show_value(
        self,
        item: QTreeWidgetItem,
        key: str,
        term: str,
        old: tuple[str, int, bool] | None,
        state: tuple[str, int, bool],
    ) -> None:
        """Show a value, its count and whether it is in the search on `item`, which showed `old`."""
        value, count, in_search = state
        label = facet_label(key, value)
        if old is None or old[0] != value:
            item.setText(0, cell_text(label))
            item.setData(0, TERM, term)
            if key == "status":
                item.setIcon(0, status_icon(value))
        if old is None or old[1] != count:
            item.setText(1, f"{count:,}")
            item.setHidden(count == 0 and key != "status")
        if old is None or old[2] != in_search:
            font = self._bold if in_search else None
            item.setData(0, Qt.ItemDataRole.FontRole, font)
            item.setData(1, Qt.ItemDataRole.FontRole, font)
        if in_search:
            tip = f"{label}: {count:,}\n{term} is in the search: click to clear it"
        else:
            tip = f"{label}: {count:,}\nClick to search {term}; click again to clear"
        item.setToolTip(0, rich(tip))
        item.setToolTip(1, rich(tip))

    def set_saved(self, searches: list[tuple[str, str]]) -> None:
        section = self._sections["saved"]
        _clear(section)
        for name, query in searches:
            item = QTreeWidgetItem([cell_text(name), ""])
            item.setData(0, TERM, ("saved", query, name))
            item.setToolTip(0, rich(f"{query}\nRight-click to delete"))
            section.addChild(item)
        if not searches:
            hint = QTreeWidgetItem(["(use “Save search…” to keep one)", ""])
            hint.setToolTip(0, rich("Type a search, then click “Save search…” to keep it here under a name"))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            section.addChild(hint)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        term = item.data(0, TERM)
        if isinstance(term, tuple):
            self.saved_chosen.emit(term[1])
        elif term:
            self.term_toggled.emit(term)

    def _menu(self, pos) -> None:
        item = self.itemAt(pos)
        term = item.data(0, TERM) if item else None
        if not isinstance(term, tuple):
            return
        menu = QMenu(self)
        run = menu.addAction("Run this search")
        delete = menu.addAction("Delete saved search")
        chosen = menu.exec(self.viewport().mapToGlobal(pos))
        if chosen is run:
            self.saved_chosen.emit(term[1])
        elif chosen is delete:
            self.saved_deleted.emit(term[2])
