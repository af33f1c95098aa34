"""The main window: search bar, filter panel, case list, detail pane and review panel.

The window reads single cases and list pages on the GUI thread (each a few
milliseconds). Searches run on the reader runner and writes on the writer
runner (see runner.py); their results come back as callbacks.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QMimeData, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from storage import paths
from storage.errors import Cancelled, IndexDamaged, LibraryDamaged, LibraryError
from storage.keeping import backup, repair
from storage.keeping.importing import BatchReport, import_paths
from storage.keeping.library import Library, NotesSaved, needs_upgrade
from storage.records import STATUSES, Case
from storage.searching.search import SORTS, CaseHits, SearchResult, case_hits, search

from ..dialogs import OriginalTextDialog, ask_save_path, show_about, show_error
from ..formatting import plural, status_label
from ..icons import app_icon, icon
from ..importing.history_dialog import ImportHistoryDialog
from ..importing.import_wizard import ImportWizard, remote_url_refusal
from ..output.output import Output
from ..runner import BackgroundJob, LibraryRunner
from ..safe_text import menu_text, message, plain_label, rich, shown, window_title
from ..session.library_watch import LibraryWatch
from ..session.notes_saver import PASSING, RETRY_MS, NotesSaver
from ..settings import MAX_RECENT, MAX_RECENT_SEARCHES, Settings
from . import empty_states
from .case_model import CASE_ID, COLUMNS, TITLE_COLUMN, CaseTable, CaseTableModel
from .detail_view import EMPTY_LIBRARY_HINT, NO_MATCH_HINT, PLACEHOLDER, DetailPane
from .filter_panel import FilterPanel
from .library_dialogs import (
    RestoreDialog,
    SettingsDialog,
    ask_about_unsaved_notes,
    confirm_restore,
    offer_recovery,
    offer_repair,
    upgrade_library,
)
from .review_panel import STATUS_SHORTCUTS, ReviewPanel
from .search_bar import SearchBar

log = logging.getLogger(__name__)

SAMPLES = "samples"
DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def has_local_files(mime: QMimeData) -> bool:
    return mime.hasUrls() and any(url.isLocalFile() for url in mime.urls())


class MainWindow(QMainWindow):
    search_finished = Signal(object)  # the SearchResult now shown
    library_changed = Signal(object)  # the Library now open

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings
        self.lib: Library | None = None
        self.reader: LibraryRunner | None = None
        self.writer: LibraryRunner | None = None
        self.backups: BackgroundJob | None = None
        self.notes_saver: NotesSaver | None = None
        self.watch: LibraryWatch | None = None
        self.result: SearchResult | None = None
        self.sort_key, self.sort_descending = "relevance", True
        self._search_seq = 0
        self._repair_offered = False
        self.wizard: ImportWizard | None = None
        self.output = Output(self)
        self.setWindowTitle("Casebook")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_widgets()
        self._build_actions()
        self._restore_layout()
        for widget in self.findChildren(QWidget):
            if widget.acceptDrops():  # the editors: they would paste a file's address as text
                widget.installEventFilter(self)
        # Enabling sorting and restoring the header both "sort" once: listen only from now on.
        self.model.sort_requested.connect(self.sort_by)

    # ----- building ------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search_bar = SearchBar()
        self.search_bar.searched.connect(self.run_search)
        self.search_bar.save_requested.connect(self.save_search)

        self.facets = FilterPanel()
        self.facets.setObjectName("filters")
        self.facets.term_toggled.connect(self.search_bar.toggle_term)
        self.facets.saved_chosen.connect(self.search_bar.set_text)
        self.facets.saved_deleted.connect(self.delete_saved_search)

        self.model = CaseTableModel(self._fetch_rows, self)
        self.table = CaseTable()
        self.table.setObjectName("cases")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._list_menu)
        self.table.activated.connect(lambda _: self.detail.browser.setFocus())
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        self._default_columns()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.empty_library = empty_states.EmptyLibrary(self)
        self.empty_library.import_clicked.connect(self.import_files)
        self.empty_library.samples_clicked.connect(self.load_samples)
        self.no_results = empty_states.NoResults(self)
        self.no_results.clear_clicked.connect(self.search_bar.clear)
        for page in (self.empty_library, self.no_results):
            self.list_stack.addWidget(page)

        self.detail = DetailPane()
        self.detail.setObjectName("detail")
        self.detail.original_requested.connect(self.show_original)
        self.review = ReviewPanel()
        self.review.setObjectName("review")
        self.review.status_chosen.connect(lambda s: self.set_status(s, [self.review.case_id]))
        self.review.tag_added.connect(lambda t: self.change_tag(t, True, [self.review.case_id]))
        self.review.tag_removed.connect(lambda t: self.change_tag(t, False, [self.review.case_id]))
        self.review.notes_typed.connect(lambda *args: self.notes_saver and self.notes_saver.keep(*args))
        self.review.notes_edited.connect(lambda *args: self.notes_saver and self.notes_saver.save(*args))

        self.detail_splitter = QSplitter(Qt.Orientation.Vertical)
        self.detail_splitter.addWidget(self.detail)
        self.detail_splitter.addWidget(self.review)
        self.detail_splitter.setStretchFactor(0, 3)
        self.detail_splitter.setStretchFactor(1, 1)
        self.detail_splitter.setSizes([560, 250])  # not from the review panel's hint-sized start
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.facets)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail_splitter)
        for index, stretch in enumerate((1, 3, 2)):
            self.splitter.setStretchFactor(index, stretch)
        # In proportion to the window's first width: at 1280 px every column still shows.
        self.splitter.setSizes([270, 890, 430])
        self.setCentralWidget(self.splitter)

        self.count_label = plain_label()
        self.count_label.setObjectName("count")
        self.note_label = plain_label()
        self.library_label = plain_label()
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addWidget(self.note_label, 1)
        self.statusBar().addPermanentWidget(self.library_label)

    def _default_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, (_, _, width) in enumerate(COLUMNS):
            if width is None:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, width)

    def _action(self, text, slot, shortcut=None, icon_name=None, tip=None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(rich(tip))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        a = self.actions_by_name = {}
        a["new"] = self._action("&New library…", self.new_library, "Ctrl+Shift+N", "new-library")
        a["open"] = self._action("&Open library…", self.open_library_dialog, std.Open, "open-library")
        a["import"] = self._action(
            "&Import files…", self.import_files, "Ctrl+I", "import", "Import summary files or folders"
        )
        a["import_folder"] = self._action("Import a &folder…", self.import_folder, None, "import")
        a["samples"] = self._action("Load &sample cases", self.load_samples, None, "samples")
        a["history"] = self._action("Import &history…", self.show_history, None, "history")
        a["print"] = self._action(
            "&Print…", self.output.print_cases, std.Print, "print", "Print cases, with a preview"
        )
        a["pdf"] = self._action(
            "&Export to PDF…", self.output.export_pdf, "Ctrl+E", "export-pdf", "Save cases as PDF"
        )
        a["csv"] = self._action(
            "Export results to &CSV…", lambda: self.output.export_results("csv"), None, "export-data",
            "Save the cases in the list as a spreadsheet (CSV)",
        )  # fmt: skip
        a["json"] = self._action("Export results to &JSON…", lambda: self.output.export_results("json"))
        a["backup"] = self._action("&Back up library…", self.backup_library, None, "backup")
        a["restore"] = self._action("&Restore from backup…", self.restore_backup, None, "history")
        a["check"] = self._action("C&heck and repair library…", self.check_library)
        a["settings"] = self._action("Se&ttings…", lambda: SettingsDialog(self).exec(), std.Preferences)
        a["quit"] = self._action("&Quit", self.close, std.Quit)
        a["find"] = self._action(
            "&Find", self.search_bar.focus, [QKeySequence("Ctrl+F"), QKeySequence("Ctrl+L")]
        )
        a["next_hit"] = self._action("&Next hit", self.detail.next_hit, "F3", "next")
        a["previous_hit"] = self._action("&Previous hit", self.detail.previous_hit, "Shift+F3", "previous")
        a["relevance"] = self._action("Sort by &relevance", lambda: self.sort_by("relevance", True), "Ctrl+R")
        a["tag"] = self._action("Add &tag to selected…", self.tag_selected, "Ctrl+T", "tag")
        a["original"] = self._action("Show &original text", self.show_original, "Ctrl+U")
        a["syntax"] = self._action("Search &syntax", self.search_bar.show_help, std.HelpContents, "help")
        a["log"] = self._action("Show the &log folder", self.show_log_folder)
        a["about"] = self._action("&About Casebook", self.about)
        for status in STATUSES:
            a[status] = self._action(
                f"Mark as {status_label(status).lower()}",
                lambda s=status: self.set_status(s),
                STATUS_SHORTCUTS[status],
            )

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for key in ("new", "open"):
            file_menu.addAction(a[key])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        for key in ("import", "import_folder", "history", "samples"):
            file_menu.addAction(a[key])
        file_menu.addSeparator()
        for key in ("print", "pdf", "csv", "json"):
            file_menu.addAction(a[key])
        file_menu.addSeparator()
        file_menu.addAction(a["backup"])
        file_menu.addAction(a["restore"])
        file_menu.addAction(a["check"])
        file_menu.addAction(a["settings"])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])

        edit_menu = bar.addMenu("&Edit")
        for key in ("find", "next_hit", "previous_hit"):
            edit_menu.addAction(a[key])
        case_menu = bar.addMenu("&Case")
        for status in STATUSES:
            case_menu.addAction(a[status])
        case_menu.addSeparator()
        case_menu.addAction(a["tag"])
        case_menu.addAction(a["original"])
        view_menu = bar.addMenu("&View")
        view_menu.addAction(a["relevance"])
        help_menu = bar.addMenu("&Help")
        for key in ("syntax", "log", "about"):
            help_menu.addAction(a[key])

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for key in ("import", None, "print", "pdf", "csv", None):
            self.toolbar.addAction(a[key]) if key else self.toolbar.addSeparator()
        self.toolbar.addWidget(self.search_bar)
        self.addToolBar(self.toolbar)

    def _restore_layout(self) -> None:
        s = self.settings
        if not self.restoreGeometry(s.get("window/geometry")):
            self.resize(1600, 920)
        self.restoreState(s.get("window/state"))
        self.splitter.restoreState(s.get("window/splitter"))
        self.detail_splitter.restoreState(s.get("window/detail_splitter"))
        header = self.table.horizontalHeader()
        restored = header.restoreState(s.get("window/columns"))
        if restored and header.sectionResizeMode(TITLE_COLUMN) != QHeaderView.ResizeMode.Stretch:
            self._default_columns()  # saved by a version whose columns did not fit
        self.search_bar.set_recent(s.get("search/recent"))

    def _save_layout(self) -> None:
        s = self.settings
        s.set("window/geometry", self.saveGeometry())
        s.set("window/state", self.saveState())
        s.set("window/splitter", self.splitter.saveState())
        s.set("window/detail_splitter", self.detail_splitter.saveState())
        s.set("window/columns", self.table.horizontalHeader().saveState())
        s.sync()

    # ----- libraries -----------------------------------------------------------------

    def open_library(self, path: Path, create: bool = False) -> bool:
        """Switch to the library at `path`; False (and a message) if it cannot be opened."""
        try:
            if needs_upgrade(path):
                upgrade_library(self, path)
            lib = Library.open(path, create=create, check=False)
        except LibraryDamaged as e:
            log.warning("cannot open %s: %s", path, e)
            return self._recover_from(path, e)
        except LibraryError as e:
            log.warning("cannot open %s: %s", path, e)
            show_error(self, e)
            return False
        if not self.close_library():
            lib.close()
            return False
        self.lib = lib
        self.reader = LibraryRunner(lib.path, "reader", read_only=lib.read_only or None)
        self.writer = LibraryRunner(lib.path, "writer", check=True, read_only=lib.read_only or None)
        self.notes_saver = NotesSaver(self.writer, lib.path, self)
        self.notes_saver.saved.connect(self._notes_saved)
        self.notes_saver.waiting.connect(self._notes_waiting)
        self.notes_saver.failed.connect(self._notes_failed)
        self.notes_saver.recovered.connect(self._notes_recovered)
        self.notes_saver.take_up_drafts()
        self.watch = LibraryWatch(self.writer, self)
        self.watch.changed.connect(self._changed_elsewhere)
        # The writer checks the library's integrity as it opens it: only a sound library
        # gets its drafts and its daily backup.
        self.writer.run(lambda lib: lib.case_count(), self._checked_sound, self._library_check_failed)
        self.settings.set("library/last", str(lib.path))
        self.settings.push("library/recent", str(lib.path), MAX_RECENT)
        self.setWindowTitle(
            window_title(f"{lib.path.stem} — Casebook" + (" (read-only)" if lib.read_only else ""))
        )
        self.library_label.setText(shown(("Read-only: " if lib.read_only else "") + str(lib.path)))
        self.library_label.setToolTip(rich(str(lib.path)))
        self.detail.show_case(None)
        self.review.show_case(None)
        self._refresh_saved_searches()
        self._refresh_known_tags()
        self.library_changed.emit(lib)
        self.run_search(self.search_bar.text())
        return True

    def close_library(self) -> bool:
        """Close the open library; False if the reviewer chose to keep it open because notes
        could neither be saved nor kept for later."""
        self.review.flush()
        if self.notes_saver is not None:
            if not self._notes_may_close(self.notes_saver):
                return False
            self.notes_saver.deleteLater()
        if self.watch is not None:
            self.watch.stop()
            self.watch.deleteLater()
        for runner in (self.writer, self.reader):
            if runner is not None:
                runner.close()
        if self.lib is not None:
            self.lib.close()
        self.lib = self.reader = self.writer = self.backups = self.notes_saver = self.watch = None
        self._repair_offered = False
        return True

    def _notes_may_close(self, saver: NotesSaver) -> bool:
        """Last try for unsaved notes. Those with a draft go in next time; for those without
        one the reviewer decides: try again, close and lose them, or keep the library open."""
        while (error := saver.finish()) is not None:
            lost = saver.undrafted()
            if not lost:
                message(
                    self, QMessageBox.Icon.Warning, "Notes not saved yet",
                    f"Some notes could not be saved yet. {error.message}",
                    "They are kept, and go into the library the next time you open it.",
                )  # fmt: skip
                return True
            choice = ask_about_unsaved_notes(self, len(lost), error)
            if choice == "discard":
                saver.abandon()
                return True
            if choice == "keep-open":
                return False
        return True

    def _checked_sound(self, _count: int) -> None:
        """The writer found the library sound: drafts go in, and the checks and backups follow."""
        if self.notes_saver is not None:
            self.notes_saver.start()
        self._start_daily_backup()
        if self.writer is not None:  # values the integrity check cannot judge
            self.writer.run(lambda lib: repair.check(lib, with_index=False), self._checked)

    def _start_daily_backup(self) -> None:
        """The day's backup copies the whole file (seconds at 100,000 cases): on a thread of its
        own, so that notes typed meanwhile are saved at once rather than after the copy, and
        one that closing the window abandons (the next opening takes the backup again)."""
        if self.lib is None or self.lib.read_only or self.backups is not None:
            return
        path = self.lib.path
        self._start_backup(lambda: backup.backup_if_due(path))

    def _start_backup(self, job) -> None:
        self.backups = BackgroundJob(job, self._backup_failed, "backup")

    def _backup_failed(self, error: Exception) -> None:
        log.warning("daily backup failed: %s", error)
        self.statusBar().showMessage(shown(f"An automatic backup could not be made: {error}"), 15_000)

    def _refresh_known_tags(self) -> None:
        """Every tag in the library, for completion (read off the GUI thread: a scan of all cases)."""
        if self.reader is not None:
            self.reader.run(lambda lib: lib.all_tags(), self.review.set_known_tags)

    def _library_check_failed(self, error: Exception) -> None:
        if not isinstance(error, LibraryError) or self.lib is None:
            show_error(self, error, "checking the library")
            return
        if isinstance(error, PASSING):  # busy, or a full disk: check again in a moment
            self.statusBar().showMessage(shown(f"{error.message} Casebook will try again in a moment."), 5000)
            writer = self.writer
            QTimer.singleShot(
                RETRY_MS,
                lambda: writer is self.writer
                and writer.run(lambda lib: lib.case_count(), self._checked_sound, self._library_check_failed),
            )
            return
        self.lib.read_only = True  # a damaged library is never written to
        self.library_label.setText(shown(f"Not writable: {self.lib.path}"))
        if isinstance(error, LibraryDamaged):
            path = self.lib.path
            if self.close_library():
                self._recover_from(path, error)
        else:
            show_error(self, error, "checking the library")

    def _checked(self, found: repair.Findings) -> None:
        if not found.ok:
            self._offer_repair(found)

    def _offer_repair(self, found: repair.Findings | IndexDamaged) -> None:
        """Say once per library what needs mending, and mend it if the reviewer agrees."""
        self._repair_offered = True
        if offer_repair(self, found):
            self._repair()

    def check_library(self) -> None:
        """File › Check and repair library…: look for damage, including in the search index."""
        if self.writer is None:
            return
        self.statusBar().showMessage("Checking the library…")

        def done(found: repair.Findings) -> None:
            self.statusBar().clearMessage()
            if found.ok:
                QMessageBox.information(self, "Check the library", "No damage was found.")
            else:
                self._offer_repair(found)

        self._write(repair.check, "checking the library", done)

    def _repair(self) -> None:
        self.statusBar().showMessage("Repairing the library…")

        def done(found: repair.Findings) -> None:
            self.statusBar().showMessage("Repaired. A backup of the library was taken first.", 15_000)
            self._changed(None)

        self._write(repair.repair, "repairing the library", done)

    def _recover_from(self, path: Path, error: LibraryDamaged) -> bool:
        """A damaged library: offer to restore its latest backup or open another."""
        choice = offer_recovery(self, path, error)
        if choice == "restore":
            return self.restore_backup(path, backup.latest(path))
        if choice == "open":
            self.open_library_dialog()
        return self.lib is not None

    def restore_backup(self, path: Path | None = None, info: backup.BackupInfo | None = None) -> bool:
        """Put a backup in place of the library (asking which, and asking to be sure)."""
        path = path or (self.lib.path if self.lib else None)
        if path is None:
            return False
        if info is None:
            dialog = RestoreDialog(self, path)
            if not dialog.exec() or dialog.chosen() is None:
                return False
            info = dialog.chosen()
        if not confirm_restore(self, path, info):
            return False
        if self.lib is not None and self.lib.path == path and not self.close_library():
            return False
        try:
            kept = backup.restore(info.path, path)
        except (OSError, LibraryError) as e:
            show_error(self, e, "restoring the backup")
            self.open_library(path)  # as it was
            return False
        opened = self.open_library(path)
        if opened:
            self.statusBar().showMessage(
                shown(f"Restored. The library as it was is kept as {kept.name}."), 15_000
            )
        return opened

    def new_library(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New library", str(paths.data_dir() / "New library.casebook"),
            "Casebook libraries (*.casebook)",
        )  # fmt: skip
        if name:
            path = Path(name if name.endswith(".casebook") else name + ".casebook")
            if path.exists():
                message(
                    self,
                    QMessageBox.Icon.Warning,
                    "New library",
                    f"{path.name} already exists. Choose another name.",
                )
                return
            self.open_library(path, create=True)

    def open_library_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open library", str(paths.data_dir()), "Casebook libraries (*.casebook);;All files (*)"
        )
        if name:
            self.open_library(Path(name))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for entry in self.settings.get("library/recent"):
            action = self.recent_menu.addAction(menu_text(entry))
            action.triggered.connect(lambda _=False, p=entry: self.open_library(Path(p)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # ----- searching -------------------------------------------------------------------

    def run_search(self, text: str | None = None, refresh: bool = False) -> None:
        """Run the search (by default the one in the bar). `refresh`: the same search again
        because the library changed; the selection and the reader's place are kept."""
        if self.reader is None:
            return
        text = self.search_bar.text() if text is None else text
        self._search_seq += 1
        seq, sort, descending = self._search_seq, self.sort_key, self.sort_descending

        def superseded() -> bool:
            return seq != self._search_seq

        def op(lib):
            if superseded():
                return None  # a newer search is waiting: skip this one
            return search(lib, text, sort=sort, descending=descending, cancelled=superseded)

        self.reader.run(
            op, lambda result: self._show_result(seq, text, result, refresh), self._search_failed
        )

    def _search_failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):  # a newer search took its place
            return
        if not isinstance(error, IndexDamaged):
            show_error(self, error, "searching")
        elif not self._repair_offered:
            self._offer_repair(error)
        else:
            self.statusBar().showMessage(shown(f"{error.message} {error.advice}"))

    def _show_result(self, seq: int, text: str, result: SearchResult | None, refresh: bool = False) -> None:
        if result is None or seq != self._search_seq:
            return
        keep = self.current_case_id()
        keep_row = self.table.currentIndex().row()
        selected = self.selected_ids() if refresh else []
        self.result = result
        if self.watch is not None:
            self.watch.shown(result.library_state)
        self.model.set_ids(result.ids)
        self.facets.set_facets(result.facets, text)
        self.search_bar.read_as = result.explain()
        self._show_sort(result)
        total = self.lib.case_count() if self.lib else 0
        self.list_stack.setCurrentWidget(
            self.table if result.total else (self.empty_library if total == 0 else self.no_results)
        )
        if not result.total and total:
            self.no_results.show_for(text, result.explain())
        self.count_label.setText(self._count_text(result, total))
        self.note_label.setText(shown(" ".join(result.notes)))
        self.actions_by_name["samples"].setEnabled(True)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and keep is not None and result.total:
            row = min(max(keep_row, 0), result.total - 1)  # the case left this search: go to the next
        if row >= 0:
            self.select_row(row)
            if len(selected) > 1:
                self._select_ids(selected)
            if self.model.id_at(row) == keep:
                self.refresh_detail(keep_place=refresh)  # the same case: the hits of the new search
        else:
            self.table.selectionModel().clear()  # so a click on the row focus made current shows it
            self.detail.set_placeholder(
                PLACEHOLDER if result.total else (NO_MATCH_HINT if total else EMPTY_LIBRARY_HINT)
            )
            self.review.show_case(None)
        self.search_finished.emit(result)

    def _count_text(self, result: SearchResult, total: int) -> str:
        if not result.query.terms:
            return f"{plural(total, 'case')} · reviewed {result.reviewed:,} of {total:,}"
        return (
            f"{plural(result.total, 'case')} of {total:,} · "
            f"reviewed {result.reviewed:,} of {result.total:,} in this search"
        )

    def _show_sort(self, result: SearchResult) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        keys = [c[0] for c in COLUMNS]
        if result.sort in keys:
            order = Qt.SortOrder.DescendingOrder if result.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(keys.index(result.sort), order)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.blockSignals(False)
        header.viewport().update()

    def sort_by(self, key: str, descending: bool) -> None:
        if key in SORTS:
            self.sort_key, self.sort_descending = key, descending
            self.run_search()

    def remember_search(self) -> None:
        text = self.search_bar.text().strip()
        if text:
            self.search_bar.set_recent(self.settings.push("search/recent", text, MAX_RECENT_SEARCHES))

    def save_search(self, text: str) -> None:
        if not text.strip():
            QMessageBox.information(self, "Save search", "Type a search first, then save it under a name.")
            return
        name, ok = QInputDialog.getText(self, "Save search", rich(f"Name for the search “{text}”:"))
        if ok and name.strip():
            self._write(
                lambda lib: lib.save_search(name, text), "saving the search", self._refresh_saved_searches
            )

    def delete_saved_search(self, name: str) -> None:
        self._write(
            lambda lib: lib.delete_saved_search(name), "deleting the search", self._refresh_saved_searches
        )

    def _refresh_saved_searches(self, _=None) -> None:
        if self.lib is not None:
            self.facets.set_saved(self.lib.saved_searches())

    # ----- the current case ------------------------------------------------------------

    def _fetch_rows(self, ids: list[int]):
        return self.lib.rows(ids) if self.lib else []

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(CASE_ID) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        ids = [self.model.id_at(i.row()) for i in rows]
        current = self.current_case_id()
        return [i for i in ids if i is not None] or ([current] if current is not None else [])

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        self._current_changed(index)

    def _current_changed(self, index, _previous=None) -> None:
        case_id = index.data(CASE_ID) if index.isValid() else None
        if case_id == getattr(self.detail.case, "id", None) and case_id is not None:
            return
        self.show_case(case_id)

    def show_case(self, case_id: int | None) -> None:
        """Show a case in the detail pane and its review fields in the review panel."""
        case = self.lib.case(case_id) if (self.lib and case_id is not None) else None
        self.detail.show_case(case, self._highlights(case))
        self.review.show_case(case, self.notes_saver.unsaved(case.id) if case and self.notes_saver else None)
        if case is not None and self.result is not None and self.result.query.text_terms():
            self.remember_search()

    def refresh_detail(self, keep_place: bool = False) -> None:
        """Show the open case again with the current search's hits (the review panel,
        where the reviewer may be typing, is left alone)."""
        case = self.detail.case
        if case is not None and self.lib is not None:
            case = self.lib.case(case.id)
            self.detail.show_case(case, self._highlights(case), keep_place)

    def _select_ids(self, ids: list[int]) -> None:
        """Add the rows of `ids` that are in the list to the selection (the current row stays)."""
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection = self.table.selectionModel()
        for case_id in ids:
            row = self.model.row_of(case_id)
            if row >= 0:
                selection.select(self.model.index(row, 0), flags)

    def _highlights(self, case) -> CaseHits | None:
        if case is None or self.result is None or not self.result.query.text_terms():
            return None
        return case_hits(self.lib, case.id, self.result.query)

    def show_original(self) -> None:
        case = self.detail.case
        if case is None or self.lib is None:
            return
        source = self.lib.source(case.id)
        if source is not None:
            OriginalTextDialog(source, self).exec()

    # ----- review fields ---------------------------------------------------------------

    def _write(self, op, doing: str, done=None) -> None:
        if self.writer is None:
            return
        self.writer.run(op, done, lambda e: self._write_failed(e, doing))

    def _write_failed(self, error: Exception, doing: str) -> None:
        self.review.set_saved_state("Not saved")
        show_error(self, error, doing)
        self._changed(None)

    def _changed(self, ids: list[int] | None) -> None:
        """The library has written a change to the cases `ids` (None: any case): show it
        everywhere, keeping the selection and the reader's place."""
        self.model.reload(ids)
        case_id = self.review.case_id
        if case_id is not None and (ids is None or case_id in ids) and self.lib is not None:
            case = self.lib.case(case_id)
            if case is not None:
                self.review.set_status(case.status)
                self.review.set_tags(case.tags)
                self._notes_maybe_changed(case)
                self.detail.case = case
        self.run_search(refresh=True)

    def set_status(self, status: str, ids: list[int] | None = None) -> None:
        ids = [i for i in (ids or self.selected_ids()) if i is not None]
        if not ids:
            return
        self.model.patch(ids, status=status)
        if self.review.case_id in ids:
            self.review.set_status(status)
        self._write(
            lambda lib: lib.set_status(ids, status), "saving the status", lambda _: self._changed(ids)
        )

    def change_tag(self, tag: str, add: bool, ids: list[int] | None = None) -> None:
        ids = [i for i in (ids or self.selected_ids()) if i is not None]
        if not ids:
            return

        def done(_):
            self._refresh_known_tags()
            self._changed(ids)

        self._write(lambda lib: lib.change_tag(ids, tag, add), "saving the tags", done)

    def tag_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) <= 1:
            self.review.focus_tags()
            return
        tag, ok = QInputDialog.getItem(
            self, "Add tag", rich(f"Tag for {plural(len(ids), 'selected case')}:"),
            self.review.known_tags.stringList(), 0, True,
        )  # fmt: skip
        if ok and tag.strip():
            self.change_tag(tag.strip(), True, ids)

    def _notes_saved(self, case_id: int, sent: str, result: NotesSaved) -> None:
        if self.review.case_id == case_id and self.notes_saver is not None:
            unsaved = self.notes_saver.unsaved(case_id)
            self.review.landed(sent, result.text, unsaved[0] if unsaved else None)
        if result.merged:
            self._say_both_kept(case_id)
        self.model.reload([case_id])

    def _notes_recovered(self, case_id: int, result: NotesSaved) -> None:
        case = self.lib.case(case_id) if self.lib else None
        name = f"“{case.title}”" if case else f"case {case_id}"
        message = f"Notes you typed in {name} before Casebook last closed are now saved."
        self.statusBar().showMessage(shown(message), 15_000)

    def _notes_waiting(self, case_id: int, error: LibraryError) -> None:
        if self.review.case_id == case_id:
            self.review.set_waiting(error.message)
        self.statusBar().showMessage(
            shown(f"Notes not saved yet: {error.message} Casebook keeps trying; your text is kept."), 8000
        )

    def _notes_failed(self, case_id: int, error: Exception) -> None:
        if self.review.case_id == case_id:
            self.review.set_saved_state("Not saved")
        show_error(self, error, "saving the notes")

    def _say_both_kept(self, case_id: int) -> None:
        case = self.lib.case(case_id) if self.lib else None
        self.statusBar().showMessage(
            shown(
                f"The notes of “{case.title if case else case_id}” were also changed in another "
                "Casebook window or program: both texts are kept."
            ),
            15_000,
        )

    def _notes_maybe_changed(self, case: Case) -> None:
        """The open case as the library holds it now: its notes may be new (written elsewhere);
        notes on their way from here are merged with them when they land."""
        pending = self.notes_saver.unsaved(case.id) if self.notes_saver else None
        if pending is None and self.review.notes_changed_elsewhere(case.notes):
            self._say_both_kept(case.id)

    def _changed_elsewhere(self) -> None:
        """Another window or program wrote to the library: show what it changed."""
        if self.lib is not None:
            self._changed(None)
            self._refresh_known_tags()
            self._refresh_saved_searches()

    def _list_menu(self, pos) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        status_menu = menu.addMenu(f"Set status of {plural(len(ids), 'case')}")
        for status in STATUSES:
            status_menu.addAction(self.actions_by_name[status])
        menu.addAction(self.actions_by_name["tag"])
        remove = menu.addMenu("Remove tag")
        tags = sorted(self._tags_of(ids), key=str.casefold)
        for tag in tags:
            remove.addAction(menu_text(tag)).triggered.connect(
                lambda _=False, t=tag: self.change_tag(t, False, ids)
            )
        remove.setEnabled(bool(tags))
        menu.addSeparator()
        menu.addAction(self.actions_by_name["print"])
        menu.addAction(self.actions_by_name["pdf"])
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _tags_of(self, ids: list[int]) -> set[str]:
        return {t for case in (self.lib.cases(ids) if self.lib else []) for t in case.tags}

    # ----- importing -------------------------------------------------------------------

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import summary files", str(Path.home()), "Text files (*.txt *.text);;All files (*)"
        )
        if names:
            self.start_import(names)

    def import_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Import a folder of summaries", str(Path.home()))
        if name:
            self.start_import([name])

    def start_import(self, paths_: list[str], refused: list | None = None) -> None:
        """Read and check files, then import them (the import wizard)."""
        if self.lib is None or self.writer is None:
            return
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            QMessageBox.information(self, "Import", "Finish the import that is open first.")
            return
        self.wizard = ImportWizard(self, paths_, refused)
        self.wizard.open()

    def handle_launch(self, message: dict) -> None:
        """Another launch of Casebook handed over its library and files."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)  # stays maximised
        self.show()
        self.raise_()
        self.activateWindow()
        library = message.get("library")
        if library and (self.lib is None or Path(library) != self.lib.path):
            self.open_library(Path(library))
        files = [f for f in message.get("files") or [] if isinstance(f, str)]
        if files:
            self.start_import(files)

    def show_history(self) -> None:
        if self.lib is not None:
            ImportHistoryDialog(self).exec()

    # Drops accept anything with URLs: local files and folders are read, web addresses
    # are listed as not importable. A drag with no URLs at all is refused at once.
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and self.lib is not None and not self.lib.read_only:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if not urls:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        remote = [remote_url_refusal(u.toString()) for u in urls if not u.isLocalFile()]
        # Handle the drop a tick later, so the source application is not kept waiting.
        QTimer.singleShot(0, lambda: self.start_import(local, remote))

    def eventFilter(self, watched, event) -> bool:
        """Files dragged onto an editor are imported, never pasted into it."""
        if event.type() in DRAG_EVENTS and has_local_files(event.mimeData()):
            if event.type() == QEvent.Type.Drop:
                self.dropEvent(event)
            else:
                self.dragEnterEvent(event)
            return True
        return super().eventFilter(watched, event)

    def load_samples(self) -> None:
        import resources

        folder = str(resources.path(SAMPLES))
        self.actions_by_name["samples"].setEnabled(False)
        self._write(
            lambda lib: import_paths(lib, [folder], label="Sample cases"),
            "loading the sample cases",
            self.imported,
        )

    def imported(self, report: BatchReport) -> None:
        """Cases were added: refresh everything that shows them, and back up a library that
        has just received its first cases."""
        self._refresh_known_tags()
        self.run_search()
        if report.first_import and self.lib is not None:
            path = self.lib.path
            self._start_backup(lambda: backup.after_first_import(path, report))

    # ----- other actions ---------------------------------------------------------------

    def backup_library(self) -> None:
        if self.lib is None:
            return
        name = ask_save_path(
            self, "Back up library", Path.home() / f"{self.lib.path.stem} backup.casebook",
            "Casebook libraries (*.casebook)", ".casebook", self.lib.path, backup=True,
        )  # fmt: skip
        if name:
            self._write(
                lambda lib: backup.backup_file(lib.path, dest=name),
                "backing up the library",
                lambda path: self.statusBar().showMessage(shown(f"Backed up to {path}"), 8000),
            )

    def show_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))

    def about(self) -> None:
        show_about(self, self.lib.path if self.lib else "", self.lib.case_count() if self.lib else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.review.flush()
        if self.writer is not None:
            self.writer.wait()
        self._save_layout()
        if not self.close_library():
            event.ignore()
            return
        super().closeEvent(event)
