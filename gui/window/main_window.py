"""The main window: it lays out its parts and gives them their commands.

The library and everything done with it belong to the `Session`; the parts listen to it:
`Results` (search bar, filter panel, case list, counts), `CaseView` (the open case and
its review fields), `LibraryFlows` (opening, backups, restores, repairs), `Importer`
(drops, the import wizard, samples) and `Output` (print, PDF, export).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from storage.keeping.library import Library
from storage.records import STATUSES
from storage.searching.search import SearchResult

from ..icons import app_icon
from ..importing.import_wizard import ImportWizard
from ..importing.importer import Importer
from ..output.output import Output
from ..safe_text import make_message, menu_text, plain_label, rich, shown, window_title
from ..session.session import Session
from ..settings import Settings
from ..views.duplicates_dialog import Duplicates
from ..views.similar_view import SimilarCases
from ..views.stats_view import StatsView
from ..views.timeline_view import TimelineView
from .actions import (
    STD,
    Command,
    build_menus,
    build_toolbar,
    list_menu,
    make_actions,
    status_command,
    status_key,
)
from .case_view import CaseView
from .library_flows import LibraryFlows
from .message_bar import MessageBar
from .results import Results
from .review_panel import STATUS_SHORTCUTS


class MainWindow(QMainWindow):
    search_finished = Signal(object)  # the SearchResult now shown
    library_changed = Signal(object)  # the Library now open

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings
        self.session = Session(self)
        self.setWindowTitle("Casebook")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.message_bar = MessageBar()
        self._copy_needed = False  # the library's file was taken away, and what was done since is in no copy
        self.results = Results(self.session, settings, self)
        self.cases = CaseView(self.session, self.results, self)
        self.flows = LibraryFlows(self.session, settings, self, self.say, self.message_bar)
        self.importer = Importer(self.session, self)
        self.output = Output(self.session, self.results, settings, self)
        self.statistics = StatsView(self.session, self.results)
        self.similar = SimilarCases(self.session, self.results, self.cases)
        self.duplicates = Duplicates(self.session, self.similar.open_case, self)
        # the window's parts, by the names tests and the app use
        self.search_bar, self.facets = self.results.search_bar, self.results.facets
        self.model, self.table = self.results.model, self.results.table
        self.list_stack, self.empty_library, self.no_results = (
            self.results.list_stack, self.results.empty_library, self.results.no_results,
        )  # fmt: skip
        self.count_label, self.note_label = self.results.count_label, self.results.note_label
        self.detail, self.review = self.cases.detail, self.cases.review
        self.timeline = TimelineView(self.session, self.results, self)

        self._lay_out()
        self.actions_by_name = make_actions(self, self._commands())
        build_menus(self, self.actions_by_name, self.flows.fill_recent_menu)
        self.toolbar = build_toolbar(self, self.actions_by_name, self.search_bar)
        self._connect()
        self._restore_layout()
        for widget in self.findChildren(QWidget):
            if widget.acceptDrops():  # the editors: they would paste a file's address as text
                widget.installEventFilter(self.importer)

    # ----- building -----------------------------------------------------------------

    def _lay_out(self) -> None:
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical)
        self.detail_splitter.addWidget(self.detail)
        self.detail_splitter.addWidget(self.review)
        self.detail_splitter.addWidget(self.similar)
        self.detail_splitter.setStretchFactor(0, 3)
        self.detail_splitter.setStretchFactor(1, 1)
        self.detail_splitter.setSizes([560, 250, 130])  # not from the review panel's hint-sized start
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.facets)
        self.views = QTabWidget()  # the list, and views of the cases in it
        self.views.setObjectName("views")
        self.views.setAccessibleName("Cases, timeline and statistics")
        self.views.setDocumentMode(True)
        self.views.addTab(self.list_stack, "Cases")
        self.views.addTab(self.timeline, "Timeline")
        self.views.addTab(self.statistics, "Statistics")
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(self.detail_splitter)
        for index, stretch in enumerate((1, 3, 2)):
            self.splitter.setStretchFactor(index, stretch)
        # In proportion to the window's first width: at 1280 px every column still shows.
        self.splitter.setSizes([270, 890, 430])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.library_label = plain_label()
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addWidget(self.note_label, 1)
        self.statusBar().addPermanentWidget(self.library_label)

    def _commands(self) -> dict[str, Command]:
        flows, importer, output, cases = self.flows, self.importer, self.output, self.cases
        commands = {
            "new": Command("&New library…", flows.new_library, "Ctrl+Shift+N", "new-library"),
            "open": Command("&Open library…", flows.open_library_dialog, STD.Open, "open-library"),
            "import": Command(
                "&Import files…", importer.import_files, "Ctrl+I", "import", "Import summary files or folders"
            ),
            "import_folder": Command("Import a &folder…", importer.import_folder, None, "import"),
            "samples": Command("Load &sample cases", self.load_samples, None, "samples"),
            "history": Command("Import &history…", importer.show_history, None, "history"),
            "print": Command(
                "&Print…", output.print_cases, STD.Print, "print", "Print cases, with a preview"
            ),
            "pdf": Command("&Export to PDF…", output.export_pdf, "Ctrl+E", "export-pdf", "Save cases as PDF"),
            "report": Command(
                "Repor&t…", output.report, None, None, "A review report of the search, as one PDF"
            ),
            "csv": Command(
                "Export results to &CSV…",
                lambda: output.export_results("csv"),
                None,
                "export-data",
                "Save the cases in the list as a spreadsheet (CSV)",
            ),
            "json": Command("Export results to &JSON…", lambda: output.export_results("json")),
            "backup": Command("&Back up library…", flows.backup_library, None, "backup"),
            "restore": Command("Restore from back&up…", flows.restore_backup, None, "history"),
            "check": Command("Chec&k and repair library…", flows.check_library),
            "settings": Command("Settin&gs…", flows.settings_dialog, STD.Preferences),
            "quit": Command("&Quit", self.close, STD.Quit),
            "undo": Command("&Undo", cases.undo, STD.Undo),
            "find": Command("&Find", self.search_bar.focus, ["Ctrl+F", "Ctrl+L"]),
            "next_hit": Command("&Next hit", self.detail.next_hit, "F3", "next"),
            "previous_hit": Command("&Previous hit", self.detail.previous_hit, "Shift+F3", "previous"),
            "zoom_in": Command("Zoom &in", lambda: self._zoom(1), [STD.ZoomIn, "Ctrl+="]),
            "zoom_out": Command("Zoom &out", lambda: self._zoom(-1), STD.ZoomOut),
            "zoom_reset": Command("&Actual size", lambda: self._zoom(None), "Ctrl+0"),
            "statistics": Command(
                "&Statistics of this search",
                lambda: self.show_view(self.statistics),
                "Ctrl+Shift+S",
            ),
            "duplicates": Command("Possible &duplicates…", self.duplicates.show),
            "relevance": Command(
                "Sort by &relevance", lambda: self.results.sort_by("relevance", True), "Ctrl+R"
            ),
            "tag": Command("Add &tag to selected…", cases.tag_selected, "Ctrl+T", "tag"),
            "original": Command("Show &original text", cases.show_original, "Ctrl+U"),
            "findings": Command("Correct &findings…", cases.correct_findings, "Ctrl+Shift+F"),
            "timeline": Command(
                "&Timeline",
                lambda: self.show_view(self.timeline),
                "Ctrl+Shift+L",
                "timeline",
                "The dated events of the cases in the list by month, and how long they took to be published",
            ),
            "like": Command(
                "&More like this",
                lambda: self.similar.more_like_this(self.results.current_case_id()),
                "Ctrl+M",
            ),
            "syntax": Command("Search &syntax", self.search_bar.show_help, STD.HelpContents, "help"),
            "log": Command("Show the &log folder", flows.show_log_folder),
            "about": Command("&About Casebook", flows.about),
        }
        for status in STATUSES:
            commands[status_key(status)] = status_command(status, cases.set_status, STATUS_SHORTCUTS[status])
        return commands

    def _connect(self) -> None:
        session, results = self.session, self.results
        session.opened.connect(self._opened)
        results.finished.connect(self._search_shown)
        results.index_damaged.connect(self.flows.search_failed)
        results.failed.connect(lambda error: self.message_bar.show_error(error, "searching"))
        self.session.failed.connect(self.message_bar.show_error)  # late, so never a box: see MessageBar
        self.session.library_gone.connect(self._library_gone)
        self.session.notes_saved.connect(lambda *_: self._changed_while_gone())
        self.session.changed.connect(lambda _: self._changed_while_gone())
        for part in (self.cases, self.importer, self.output, self.timeline):
            part.message.connect(self.say)
        self.cases.undo_available.connect(self._undo_available)
        self.flows.settings_changed.connect(self._settings_changed)
        self._settings_changed()
        self._undo_available("")
        self.importer.show_batch.connect(lambda batch: self.search_bar.set_text(f"batch:{batch}"))
        self.importer.samples_loaded.connect(self.search_bar.clear)
        self.empty_library.import_clicked.connect(self.importer.import_files)
        self.empty_library.samples_clicked.connect(self.load_samples)
        self.table.customContextMenuRequested.connect(self._list_menu)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.activated.connect(lambda _: self.detail.browser.setFocus())

    def _restore_layout(self) -> None:
        s = self.settings
        if not self.restoreGeometry(s.get("window/geometry")):
            self._first_size()
        self.restoreState(s.get("window/state"))
        self.splitter.restoreState(s.get("window/splitter"))
        self.detail_splitter.restoreState(s.get("window/detail_splitter"))
        self.results.restore_columns(s.get("window/columns"))

    def _first_size(self) -> None:
        """The first window fits the screen it opens on: 1600×920 where there is room, else
        the whole available screen (a 1366×768 laptop), its panes in proportion."""
        screen = self.screen().availableGeometry()
        if screen.width() < 1600 + 80 or screen.height() < 920 + 80:
            self.setGeometry(screen)
            self.setWindowState(Qt.WindowState.WindowMaximized)
        else:
            self.resize(1600, 920)
        width = min(screen.width(), 1600)
        self.splitter.setSizes([width * 17 // 100, width * 56 // 100, width * 27 // 100])

    def _close_without_copy(self) -> bool:
        """The library's file was taken away and what was done since is in no copy: ask first."""
        box = make_message(
            self, QMessageBox.Icon.Warning, "Save a copy first?",
            "The library's file was deleted, moved or replaced by another program while open here. "
            "What you did since is only in the file Casebook still has open, which no one can open "
            "once Casebook closes.",
        )  # fmt: skip
        save = box.addButton("Save a copy…", QMessageBox.ButtonRole.AcceptRole)
        close = box.addButton("Close without a copy", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is save:
            self.flows.backup_library(then=self._offer_copy)
        return box.clickedButton() is close

    def _save_layout(self) -> None:
        s = self.settings
        s.set("window/geometry", self.saveGeometry())
        s.set("window/state", self.saveState())
        s.set("window/splitter", self.splitter.saveState())
        s.set("window/detail_splitter", self.detail_splitter.saveState())
        s.set("window/columns", self.table.horizontalHeader().saveState())
        s.set("filters/open", self.facets.open_groups())
        s.sync()

    # ----- the window's own part ----------------------------------------------------

    @property
    def lib(self) -> Library | None:
        return self.session.lib

    @property
    def result(self) -> SearchResult | None:
        return self.results.result

    @property
    def wizard(self) -> ImportWizard | None:
        """The import wizard, once one was opened."""
        return self.importer.wizard

    def say(self, text: str, ms: int = 0) -> None:
        """A message in the status bar, for `ms` milliseconds (0: until the next one)."""
        self.statusBar().showMessage(shown(text), ms)

    def _opened(self, lib: Library) -> None:
        read_only = " (read-only)" if lib.read_only else ""
        self.setWindowTitle(window_title(f"{lib.path.stem} — Casebook{read_only}"))
        self.library_label.setText(shown(("Read-only: " if lib.read_only else "") + str(lib.path)))
        self.library_label.setToolTip(rich(str(lib.path)))
        self.message_bar.forget()  # what it said was about the library open before
        if lib.read_only:
            self.message_bar.show_message(
                QMessageBox.Icon.Information,
                f"“{lib.path.name}” is read-only: its file or folder cannot be written. You can read, "
                "search, print and export its cases, but statuses, tags and notes cannot be kept. "
                "To review them, back the library up to a folder you can write to and open the copy.",
            )
        self.review.set_read_only(lib.read_only)
        self.library_changed.emit(lib)

    def _library_gone(self, path: Path) -> None:
        self._copy_needed = True
        self.library_label.setText(shown(f"Deleted, moved or replaced: {path}"))
        self.message_bar.show_message(
            QMessageBox.Icon.Critical,
            f"“{path.name}” was deleted, moved or replaced by another program while open here. "
            "Casebook still has it open, but what you change now is kept in a file no one can open "
            "again once Casebook closes. Save a copy of it to keep your work, then open the copy.",
            ("Save a copy…", lambda: self.flows.backup_library(then=self._offer_copy)),
            keep=True,
        )

    def _changed_while_gone(self) -> None:
        self._copy_needed = self._copy_needed or self.session.gone

    def _offer_copy(self, copy: Path) -> None:
        self._copy_needed = False
        self.message_bar.forget()
        self.message_bar.show_message(
            QMessageBox.Icon.Information,
            f"A copy of the library was saved as {copy}. Open it to go on working in it.",
            ("Open the copy", lambda: self.open_library(copy)),
        )

    def _zoom(self, step: int | None) -> None:
        """The case pane's text size, a point at a time (None: back to the usual), remembered."""
        steps = 0 if step is None else self.detail.zoom_steps + step
        self.detail.zoom(steps)
        self.settings.set("detail/zoom", self.detail.zoom_steps)

    def _settings_changed(self) -> None:
        self.detail.zoom(self.settings.get("detail/zoom"))

    def _undo_available(self, what: str) -> None:
        action = self.actions_by_name["undo"]
        action.setEnabled(bool(what))
        action.setText("&Undo " + menu_text(what) if what else "&Undo")

    def _search_shown(self, result: SearchResult, _refresh: bool) -> None:
        self.actions_by_name["samples"].setEnabled(True)
        self.search_finished.emit(result)

    def show_view(self, view: QWidget) -> None:
        """Show a view of the results in place of the list; the list again if it is shown."""
        self.views.setCurrentWidget(self.list_stack if self.views.currentWidget() is view else view)

    def load_samples(self) -> None:
        self.actions_by_name["samples"].setEnabled(False)
        self.importer.load_samples()

    def _list_menu(self, pos) -> None:
        ids = self.results.selected_ids()
        if not ids or self.lib is None:
            return
        tags = sorted({t for case in self.lib.cases(ids) for t in case.tags}, key=str.casefold)
        menu = list_menu(
            self, self.actions_by_name, len(ids), tags, lambda t: self.cases.change_tag(t, False, ids)
        )
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def handle_launch(self, message: dict) -> None:
        """Another launch of Casebook handed over its library and files."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)  # stays maximised
        self.show()
        self.raise_()
        self.activateWindow()
        library = message.get("library")
        if library and (self.lib is None or Path(library) != self.lib.path):
            self.flows.open_library(Path(library))
        files = [f for f in message.get("files") or [] if isinstance(f, str)]
        if files:
            self.importer.start_import(files)

    # ----- what the tests and the app ask of the window ------------------------------

    def open_library(self, path: Path, create: bool = False) -> bool:
        return self.flows.open_library(path, create)

    def select_row(self, row: int) -> None:
        self.results.select_row(row)

    def selected_ids(self) -> list[int]:
        return self.results.selected_ids()

    def current_case_id(self) -> int | None:
        return self.results.current_case_id()

    def start_import(self, paths: list[str], refused: list | None = None) -> None:
        self.importer.start_import(paths, refused)

    # ----- drops and closing --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.importer.drag_enter(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.importer.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.importer.drop(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.review.flush()
        if self.session.writer is not None:
            self.session.writer.wait()
        if self.session.gone and self._copy_needed and not self._close_without_copy():
            event.ignore()
            return
        self._save_layout()
        if not self.session.close(self.flows.ask):
            event.ignore()
            return
        self.session.backups.close(wait=False)
        super().closeEvent(event)
