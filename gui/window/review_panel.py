"""The review panel under the case: status, tags and notes, saved as the reviewer works.

There is no Save button. Notes are sent to be saved a moment after typing stops,
and at once when the panel loses focus, the case changes or the window closes.
"""

from __future__ import annotations

import difflib

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage.keeping.notes import merged
from storage.records import STATUSES, Case

from ..formatting import status_label
from ..icons import icon, status_icon
from ..safe_text import ShownStrings, cell_text, menu_text, plain_label, rich
from ..theme import muted
from .flow_layout import FlowLayout

NOTES_DELAY_MS = 700
NOTES_HINT = "Notes on this case. They are saved as you type."
REVIEW_HINT = "The open case’s review status, tags and notes go here. They are saved as you work."
STATUS_SHORTCUTS = {status: f"Ctrl+{i}" for i, status in enumerate(STATUSES, 1)}


def moved_position(old: str, new: str, position: int) -> int:
    """Where a position in `old` is in `new`, `new` being `old` with text added or changed
    elsewhere (text added right at the position goes after it)."""
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if position < i2 or (position == i2 and tag != "equal"):
            return j1 + min(position - i1, j2 - j1) if tag == "equal" else j1
    return len(new)


class NotesEdit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event) -> None:
        self.focus_lost.emit()
        super().focusOutEvent(event)


class ReviewPanel(QWidget):
    status_chosen = Signal(str)
    tag_added = Signal(str)
    tag_removed = Signal(str)
    # case id, notes, the notes they were typed over (`base`):
    notes_typed = Signal(int, str, str)  # at every keystroke, for the crash-safe draft
    notes_edited = Signal(int, str, str)  # a moment after typing stops, to save

    def __init__(self, parent=None):
        super().__init__(parent)
        self.case_id: int | None = None
        self.base: str | None = ""  # the case's notes as the library holds them, as far as this panel knows
        self._dirty = False

        # No QButtonGroup: Qt gives Tab only to the checked button of a group, and the other
        # statuses could not be reached from the keyboard. `set_status` keeps one checked.
        self.status_buttons: list[QToolButton] = []
        statuses = QWidget()  # the buttons wrap in a narrow pane rather than widen it
        status_flow = FlowLayout(statuses)
        status_flow.addWidget(QLabel("Status:"))
        for status in STATUSES:
            button = QToolButton()
            button.setObjectName(f"status-{status}")
            button.setText(status_label(status))
            button.setIcon(status_icon(status))
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(rich(f"Mark as {status_label(status).lower()} ({STATUS_SHORTCUTS[status]})"))
            button.clicked.connect(lambda _=False, s=status: self.status_chosen.emit(s))
            self.status_buttons.append(button)
            status_flow.addWidget(button)
        # The saving state sits beside the tag field, not the statuses: a longer state
        # ("Waiting for the library…") narrowed their row, and a wrapped status was cut off.
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved-state")

        self.tag_chips = QWidget()
        self.tag_flow = FlowLayout(self.tag_chips)
        self.tag_edit = QLineEdit()
        self.tag_edit.setObjectName("tag-edit")
        self.tag_edit.setAccessibleName("Add a tag")
        self.tag_edit.setPlaceholderText("Add a tag and press Enter (Ctrl+T)")
        self.tag_edit.addAction(icon("tag"), QLineEdit.ActionPosition.LeadingPosition)
        self.known_tags = ShownStrings(self)
        completer = QCompleter(self.known_tags, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tag_edit.setCompleter(completer)
        self.tag_edit.returnPressed.connect(self._add_tag)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.tag_edit, 1)
        tag_row.addWidget(self.saved_label)

        self.notes = NotesEdit()
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText(NOTES_HINT)
        self.notes.setTabChangesFocus(True)  # Tab leaves the notes: keyboard users are never stuck
        self.notes.textChanged.connect(self._notes_changed)
        self.notes.focus_lost.connect(self.flush)
        self._timer = QTimer(self, singleShot=True, interval=NOTES_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.fields = QWidget()
        fields = QVBoxLayout(self.fields)
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addWidget(statuses)
        fields.addWidget(self.tag_chips)
        fields.addLayout(tag_row)
        fields.addWidget(self.notes, 1)
        self.hint = plain_label(REVIEW_HINT)
        self.hint.setObjectName("review-hint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.hint.setStyleSheet(f"color: {muted()}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.hint, 1)
        self.show_case(None)

    def set_read_only(self, read_only: bool) -> None:
        """A library that cannot be written: the review fields are shown, not offered for change
        (what was typed into them would only have been refused)."""
        for widget in (*self.status_buttons, self.tag_chips, self.tag_edit):
            widget.setEnabled(not read_only)
        self.notes.setReadOnly(read_only)
        self.notes.setPlaceholderText("No notes (the library is read-only)." if read_only else NOTES_HINT)
        self.hint.setText(
            "The open case’s review status, tags and notes show here. The library is read-only: "
            "they cannot be changed." if read_only else REVIEW_HINT
        )

    def show_case(self, case: Case | None, unsaved: tuple[str, str | None] | None = None) -> None:
        """Show a case's review fields (after sending any unsaved notes of the last one).
        `unsaved` is (text, base) of notes of this case still on their way to the library."""
        self.flush()
        self.case_id = case.id if case else None
        self.fields.setEnabled(case is not None)
        self.fields.setVisible(case is not None)
        self.hint.setVisible(case is None)
        self.set_status(case.status if case else None)
        self.set_tags(case.tags if case else ())
        text, self.base = unsaved or ((case.notes, case.notes) if case else ("", ""))
        self._show_notes(text)
        self._dirty = False
        self.saved_label.setText("Waiting for the library…" if unsaved else "")

    def _show_notes(self, text: str) -> None:
        """Put `text` in the editor without it counting as typing. The cursor stays by the
        same words, wherever other notes merged in moved them."""
        old = self.notes.toPlainText()
        if text == old:
            return
        position = moved_position(old, text, self.notes.textCursor().position())
        scroll = self.notes.verticalScrollBar().value()
        self.notes.blockSignals(True)
        self.notes.setPlainText(text)
        self.notes.blockSignals(False)
        cursor = self.notes.textCursor()
        cursor.setPosition(position)
        self.notes.setTextCursor(cursor)
        self.notes.verticalScrollBar().setValue(scroll)

    def landed(self, sent: str, now: str, unsaved: str | None) -> None:
        """Notes sent from here landed: the library holds `now`, which has other notes merged
        in when it differs from `sent`. `unsaved` is newer text of the case still on its way."""
        self.base = now
        if self._dirty:  # typed on meanwhile: keep that, with what others added
            if now != sent:
                self._show_notes(merged(self.notes.toPlainText(), now, sent))
                self.saved_label.setText("Both texts kept")
            return
        self._show_notes(unsaved if unsaved is not None else now)
        state = "Saved" if unsaved is None else "Saving…"
        self.saved_label.setText("Both texts kept" if now != sent else state)
        self.saved_label.setToolTip("")

    def notes_changed_elsewhere(self, theirs: str) -> bool:
        """Another window or program saved `theirs` as this case's notes. With nothing unsaved
        here, show them; otherwise keep both texts and save that. True when both were kept."""
        if theirs == self.base:
            return False
        typed = self.notes.toPlainText()
        unsaved_here = self._dirty or typed != self.base
        base, self.base = self.base, theirs
        if not unsaved_here:
            self._show_notes(theirs)
            return False
        both = merged(typed, theirs, base)
        self._show_notes(both)
        self._dirty = both != theirs
        self.saved_label.setText("Both texts kept")
        self.flush()
        return True

    def set_waiting(self, why: str) -> None:
        self.saved_label.setText("Waiting for the library…")
        self.saved_label.setToolTip(rich(why))

    def set_status(self, status: str | None) -> None:
        for button in self.status_buttons:
            button.setChecked(button.objectName() == f"status-{status}")

    def set_tags(self, tags) -> None:
        while self.tag_flow.count():
            self.tag_flow.takeAt(0).widget().deleteLater()
        for tag in tags:
            chip = QToolButton()
            chip.setText(menu_text(f"{cell_text(tag)}  ×"))
            chip.setToolTip(rich(f"Remove the tag “{tag}”"))
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _=False, t=tag: self.tag_removed.emit(t))
            self.tag_flow.addWidget(chip)
        self.tag_chips.setVisible(bool(tags))

    def set_known_tags(self, tags: list[str]) -> None:
        self.known_tags.setStringList(tags)

    def set_saved_state(self, text: str) -> None:
        self.saved_label.setText(text)

    def focus_tags(self) -> None:
        self.tag_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _add_tag(self) -> None:
        tag = " ".join(self.tag_edit.text().split())
        self.tag_edit.clear()
        if tag and self.case_id is not None:
            self.tag_added.emit(tag)

    def _notes_changed(self) -> None:
        self._dirty = True
        self.saved_label.setText("Editing…")
        if self.case_id is not None:
            self.notes_typed.emit(self.case_id, self.notes.toPlainText(), self.base)
        if not self._timer.isActive():  # counted from the first unsaved key, so that notes
            self._timer.start()  # reach the library within a second even while typing goes on

    def flush(self) -> None:
        """Send unsaved notes now."""
        self._timer.stop()
        if self._dirty and self.case_id is not None:
            self._dirty = False
            self.saved_label.setText("Saving…")
            self.notes_edited.emit(self.case_id, self.notes.toPlainText(), self.base)
