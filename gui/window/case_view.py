"""The open case: the detail pane with the search's hits, and the review panel under it.

The review panel's status, tags and notes go to the library through the session: status
and tags as operations, notes through the session's notes saver. When the session says
the open case changed (here or in another program), both panes show it as it is now;
notes being typed are never overwritten (see ReviewPanel.notes_changed_elsewhere).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from storage.errors import LibraryError
from storage.keeping.library import NotesSaved
from storage.records import Case
from storage.searching.search import CaseHits, SearchResult, case_hits

from ..dialogs import OriginalTextDialog
from ..formatting import plural, status_label
from ..safe_text import cell_text, rich
from ..session.operations import Changes, ChangeTag, CorrectFindings, PutBackFindings, SetStatuses
from ..session.session import Session
from .detail_view import EMPTY_LIBRARY_HINT, NO_MATCH_HINT, PLACEHOLDER, DetailPane
from .findings_dialog import FindingsCount, FindingsDialog
from .results import Results
from .review_panel import ReviewPanel

UNDO_DEPTH = 50
"""Status and tag changes Edit › Undo can take back, latest first."""


class CaseView(QObject):
    """Builds and runs the detail pane and the review panel for the current case."""

    message = Signal(str, int)  # something to say in the status bar, for so many ms
    undo_available = Signal(str)  # what Edit › Undo would undo ("": nothing)

    def __init__(self, session: Session, results: Results, parent: QWidget):
        super().__init__(parent)
        self.session = session
        self.results = results
        self.detail = DetailPane()
        self.detail.setObjectName("detail")
        self.detail.original_requested.connect(self.show_original)
        self.detail.correct_requested.connect(
            lambda: self.correct_findings([getattr(self.detail.case, "id", None)])
        )
        self.detail.said.connect(lambda text: self.message.emit(text, 8000))
        self.review = ReviewPanel()
        self.review.setObjectName("review")
        self.review.status_chosen.connect(lambda s: self.set_status(s, [self.review.case_id]))
        self.review.tag_added.connect(lambda t: self.change_tag(t, True, [self.review.case_id]))
        self.review.tag_removed.connect(lambda t: self.change_tag(t, False, [self.review.case_id]))
        self.review.notes_typed.connect(session.keep_draft)
        self.review.notes_edited.connect(session.save_notes)
        self._shown_with: SearchResult | None = None  # the result whose hits the pane shows
        self._undo: list[
            tuple[str, SetStatuses | ChangeTag | PutBackFindings]
        ] = []  # (what was done, its undoing)

        results.current_changed.connect(self._current_changed)
        results.finished.connect(self._search_shown)
        session.opened.connect(self._opened)
        session.changed.connect(self._changed)
        session.notes_saved.connect(self._notes_saved)
        session.notes_waiting.connect(self._notes_waiting)
        session.notes_failed.connect(lambda case_id, _: self._notes_state(case_id, "Not saved"))
        session.notes_recovered.connect(self._notes_recovered)
        session.tags_known.connect(self.review.set_known_tags)

    def _opened(self, _lib) -> None:
        self._undo.clear()
        self.undo_available.emit("")
        self.show_case(None)

    # ----- showing ------------------------------------------------------------------

    def _current_changed(self, case_id: int | None) -> None:
        if case_id is None:
            self._show_placeholder()
        elif case_id != getattr(self.detail.case, "id", None):
            self.show_case(case_id)

    def _search_shown(self, result: SearchResult, refresh: bool) -> None:
        """A search's result is in the list: the open case shows its hits (keeping the
        reader's place when it is the same search again)."""
        if self.detail.case is not None and self._shown_with is not result:
            self.refresh_detail(keep_place=refresh)

    def _show_placeholder(self) -> None:
        result, lib = self.results.result, self.session.lib
        total = lib.case_count() if lib else 0
        hint = PLACEHOLDER if result and result.total else (NO_MATCH_HINT if total else EMPTY_LIBRARY_HINT)
        self.detail.set_placeholder(hint)
        self.review.show_case(None)

    def show_case(self, case_id: int | None) -> None:
        """Show a case in the detail pane and its review fields in the review panel."""
        lib = self.session.lib
        case = lib.case(case_id) if (lib and case_id is not None) else None
        self.detail.show_case(case, self._hits(case))
        self.review.show_case(case, self.session.unsaved_notes(case.id) if case else None)
        result = self.results.result
        if case is not None and result is not None and result.query.text_terms():
            self.results.remember_search()

    def refresh_detail(self, keep_place: bool = False) -> None:
        """Show the open case again with the current search's hits (the review panel, where
        the reviewer may be typing, is left alone)."""
        case, lib = self.detail.case, self.session.lib
        if case is not None and lib is not None:
            case = lib.case(case.id)
            self.detail.show_case(case, self._hits(case), keep_place)

    def _hits(self, case: Case | None) -> CaseHits | None:
        result, lib = self.results.result, self.session.lib
        self._shown_with = result
        if case is None or lib is None or result is None or not result.query.text_terms():
            return None
        return case_hits(lib, case.id, result.query)

    def show_original(self) -> None:
        case, lib = self.detail.case, self.session.lib
        source = lib.source(case.id) if case is not None and lib is not None else None
        if source is not None:
            OriginalTextDialog(source, self.detail.window()).exec()

    def _changed(self, changes: Changes) -> None:
        case_id, lib = self.review.case_id, self.session.lib
        if lib is None or case_id is None or not changes.touches(case_id):
            return
        case = lib.case(case_id)
        if case is None:
            return
        self.review.set_status(case.status)
        self.review.set_tags(case.tags)
        self.detail.case = case
        if self.session.unsaved_notes(case.id) is None and self.review.notes_changed_elsewhere(case.notes):
            self._say_both_kept(case)

    # ----- review fields ------------------------------------------------------------

    def set_status(self, status: str, ids: Sequence[int | None] | None = None) -> None:
        chosen = [i for i in (ids or self.results.selected_ids()) if i is not None]
        if not chosen:
            return
        self.results.model.patch(chosen, status=status)
        if self.review.case_id in chosen:
            self.review.set_status(status)
        what = f"status “{status_label(status)}” of {plural(len(chosen), 'case')}"
        self._write_undoable(SetStatuses.of(tuple(chosen), status), what, "saving the status")

    def change_tag(self, tag: str, add: bool, ids: Sequence[int | None] | None = None) -> None:
        chosen = [i for i in (ids or self.results.selected_ids()) if i is not None]
        if chosen:
            what = f"tag “{tag}” {'added to' if add else 'taken off'} {plural(len(chosen), 'case')}"
            self._write_undoable(ChangeTag(tuple(chosen), tag, add), what, "saving the tags")

    # ----- undo ---------------------------------------------------------------------

    def _write_undoable(self, op: SetStatuses | ChangeTag | CorrectFindings, what: str, doing: str) -> None:
        def done(changes: Changes) -> None:
            if changes.result is not None:
                self._undo[:] = [*self._undo[-(UNDO_DEPTH - 1) :], (what, changes.result)]
                self.undo_available.emit(what)

        self.session.write(op, doing, done, self._not_saved)

    def _not_saved(self, _error: Exception) -> None:
        """A status, tag or findings change the library refused (another failed write, such as
        a backup, says nothing of the review fields)."""
        self.review.set_saved_state("Not saved")

    def undo(self) -> None:
        """Edit › Undo: take back the last status, tag or findings change made in this window."""
        if not self._undo:
            return
        what, op = self._undo.pop()
        self.undo_available.emit(self._undo[-1][0] if self._undo else "")
        self.session.write(
            op, "undoing the change", lambda _: self.message.emit(f"Undone: {what}.", 8000), self._not_saved
        )

    def tag_selected(self) -> None:
        ids = self.results.selected_ids()
        if len(ids) <= 1:
            self.review.focus_tags()
            return
        dialog = QInputDialog(self.detail.window())
        dialog.setWindowTitle("Add tag")
        dialog.setLabelText(rich(f"Tag for {plural(len(ids), 'selected case')}:"))
        dialog.setComboBoxItems(self.review.known_tags.stringList())
        dialog.setComboBoxEditable(True)
        dialog.setTextValue("")  # typed or chosen, never a tag nobody asked for
        if dialog.exec() and (tag := dialog.textValue().strip()):
            self.change_tag(tag, True, ids)

    def correct_findings(self, ids: Sequence[int | None] | None = None) -> None:
        """Ask which findings the cases (the selected ones by default) have, and save the answer."""
        chosen = [i for i in (ids or self.results.selected_ids()) if i is not None]
        if chosen:
            self.session.read(
                lambda lib: FindingsCount.of(lib, chosen), lambda count: self._ask_findings(chosen, count)
            )

    def _ask_findings(self, ids: list[int], count: FindingsCount) -> None:
        if not count.total:
            return
        title = "Findings of the case" if count.total == 1 else f"Findings of {plural(count.total, 'case')}"
        dialog = FindingsDialog(self.detail.window(), count, title)
        if dialog.exec() and (dialog.decisions() or dialog.back_to_read):
            op = CorrectFindings(tuple(ids), dialog.decisions(), dialog.back_to_read)
            self._write_undoable(op, f"findings of {plural(count.total, 'case')}", "saving the findings")

    # ----- notes --------------------------------------------------------------------

    def _notes_saved(self, case_id: int, sent: str, result: NotesSaved) -> None:
        if self.review.case_id == case_id:
            unsaved = self.session.unsaved_notes(case_id)
            self.review.landed(sent, result.text, unsaved[0] if unsaved else None)
            if self.session.gone:  # in a file no one can open once Casebook closes
                self.review.set_saved_state("Not in the library file")
        if result.merged and self.session.lib is not None:
            self._say_both_kept(self.session.lib.case(case_id))
        self.results.model.reload([case_id])

    def _notes_state(self, case_id: int, text: str) -> None:
        if self.review.case_id == case_id:
            self.review.set_saved_state(text)

    def _notes_waiting(self, case_id: int, error: LibraryError) -> None:
        if self.review.case_id == case_id:
            self.review.set_waiting(error.message)
        self.message.emit(
            f"Notes not saved yet: {error.message} Casebook keeps trying; your text is kept.", 8000
        )

    def _notes_recovered(self, case_id: int, _result: NotesSaved) -> None:
        case = self.session.lib.case(case_id) if self.session.lib else None
        title = f"“{cell_text(case.title)}”" if case else "a case"
        name = f"{case.reference}, {title}," if case and case.reference else title
        self.message.emit(f"Notes you typed in {name} before Casebook last closed are now saved.", 15_000)

    def _say_both_kept(self, case: Case | None) -> None:
        if case is not None:
            self.message.emit(
                f"The notes of “{case.title}” were also changed in another Casebook window or program: "
                "both texts are kept.",
                15_000,
            )
