"""File › Print, Export to PDF and Export results: the window's side of output.

PDFs and data files are written on the reader thread with a progress dialog and
Cancel; printing goes through Qt's print preview on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from storage.errors import Cancelled, OutputRefused
from storage.export import export
from storage.library_files import check_output
from storage.patterns import report as report_subject

from ..dialogs import ask_save_path, show_error
from ..formatting import plural
from ..safe_text import message, window_title
from ..session.session import Session
from ..session.worker import Cancel
from ..settings import Settings
from .printing import PAGE_SIZES, PrintOptions, page_layout, paint_cases, pdf_name, write_pdf, write_pdfs
from .report import write_report
from .report_dialog import ReportDialog


class OutputOptionsDialog(QDialog):
    """What to print or export: which cases, notes or not, paper size, one file or many."""

    def __init__(
        self, parent: QWidget, verb: str, current: int | None, selected: list[int], settings, pdf: bool
    ):
        super().__init__(parent)
        self.setWindowTitle(window_title(verb))
        self.settings = settings
        self.current, self.selected = current, selected
        self.which = QButtonGroup(self)
        self.only_current = QRadioButton("The case on screen")
        self.all_selected = QRadioButton(f"The {plural(len(selected), 'selected case')}")
        self.only_current.setEnabled(current is not None)
        self.all_selected.setEnabled(len(selected) > 1)
        (self.all_selected if len(selected) > 1 else self.only_current).setChecked(True)
        for button in (self.only_current, self.all_selected):
            self.which.addButton(button)
        self.one_file = QRadioButton("One PDF, each case starting on a new page")
        self.per_case = QRadioButton("One PDF per case, into a folder (named by reference)")
        self.one_file.setChecked(True)
        self.per_case.setEnabled(pdf)
        self.one_file.setVisible(pdf)
        self.per_case.setVisible(pdf)
        self.all_selected.toggled.connect(lambda on: self.per_case.setEnabled(on and pdf))
        self.per_case.setEnabled(pdf and self.all_selected.isChecked())
        self.notes = QCheckBox("Include my review status, tags and notes")
        self.notes.setObjectName("include-notes")
        self.notes.setChecked(settings.get("print/include_notes"))
        self.paper = QComboBox()
        self.paper.addItems(list(PAGE_SIZES))
        self.paper.setCurrentText(settings.get("print/page_size"))
        form = QFormLayout()
        form.addRow("Paper size", self.paper)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(verb.rstrip("…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Which cases</b>"))
        layout.addWidget(self.only_current)
        layout.addWidget(self.all_selected)
        if pdf:
            layout.addWidget(QLabel("<b>As</b>"))
            layout.addWidget(self.one_file)
            layout.addWidget(self.per_case)
        layout.addWidget(self.notes)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def ids(self) -> list[int]:
        if self.all_selected.isChecked() or self.current is None:  # no case on screen: it is disabled
            return self.selected
        return [self.current]

    def options(self) -> PrintOptions:
        self.settings.set("print/include_notes", self.notes.isChecked())
        self.settings.set("print/page_size", self.paper.currentText())
        return PrintOptions(self.notes.isChecked(), self.paper.currentText())


class Selection(Protocol):
    """Which cases output is about: the one on screen, those selected, those listed."""

    def current_case_id(self) -> int | None: ...

    def selected_ids(self) -> list[int]: ...

    def listed_ids(self) -> list[int]: ...

    def shown_search(self) -> tuple[str, list[str]]: ...


class Output(QObject):
    """Print, export to PDF, export the results and the review report: of the cases the results
    list or select."""

    message = Signal(str, int)  # something for the window's status bar, for so many ms

    def __init__(self, session: Session, cases: Selection, settings: Settings, window: QWidget):
        super().__init__(window)
        self.session = session
        self.cases = cases
        self.settings = settings
        self.window = window
        self.cancel: Cancel | None = None  # of the output being written, if any

    def _choose(self, verb: str, pdf: bool) -> OutputOptionsDialog | None:
        current, selected = self.cases.current_case_id(), self.cases.selected_ids()
        if current is None and not selected:
            self.message.emit("Select a case first.", 5000)
            return None
        dialog = OutputOptionsDialog(self.window, verb, current, selected, self.settings, pdf)
        return dialog if dialog.exec() else None

    def print_cases(self) -> None:
        dialog = self._choose("Print…", pdf=False)
        if dialog is None:
            return
        ids, options, lib = dialog.ids(), dialog.options(), self.session.lib
        if lib is None:
            return
        cases = list(lib.cases(ids))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(options))
        printer.setDocName(f"Casebook: {plural(len(cases), 'case')}")
        preview = QPrintPreviewDialog(printer, self.window)
        preview.setWindowTitle("Print preview")
        preview.resize(1000, 900)
        preview.paintRequested.connect(lambda printer: self._paint_unless_refused(printer, cases, options))
        preview.exec()

    def _paint_unless_refused(self, printer: QPrinter, cases: list, options: PrintOptions) -> None:
        """Print, or print to the file chosen in the print dialog unless it is a library's (the
        file is opened only when painting begins, so a refused one is left as it was)."""
        if printer.outputFileName():
            try:
                check_output(printer.outputFileName(), self.session.path)
            except OutputRefused as e:
                show_error(self.window, e)
                return
        paint_cases(printer, cases, options)

    def export_pdf(self) -> None:
        dialog = self._choose("Export to PDF…", pdf=True)
        if dialog is None:
            return
        ids, options, w = dialog.ids(), dialog.options(), self.window
        if dialog.per_case.isChecked() and dialog.per_case.isEnabled():
            folder = QFileDialog.getExistingDirectory(w, "Folder for the PDFs", str(Path.home()))
            if not folder:
                return

            def write_each(lib, cancel):
                return write_pdfs(folder, list(lib.cases(ids)), options, _reporter(cancel), cancel.cancelled)

            def done_each(result):
                self.message.emit(f"{plural(len(result.written), 'PDF')} written to {folder}", 10_000)
                if result.failed:
                    lines = [f"{case.reference or case.title}: {why}" for case, why in result.failed]
                    message(
                        w, QMessageBox.Icon.Warning, "Export to PDF",
                        f"{plural(len(result.failed), 'PDF')} could not be written to {folder}. "
                        f"Written: {len(result.written):,}.",
                        "\n".join(lines[:20]) + ("\n…" if len(lines) > 20 else ""),
                    )  # fmt: skip

            self._run(f"Writing {plural(len(ids), 'PDF')}…", write_each, done_each)
            return
        suggested = Path.home() / (self._single_name(ids) if len(ids) == 1 else "cases.pdf")
        path = ask_save_path(w, "Export to PDF", suggested, "PDF (*.pdf)", ".pdf", self.session.path)
        if path is None:
            return

        def write_one(lib, cancel):
            return write_pdf(path, list(lib.cases(ids)), options, _reporter(cancel), cancel.cancelled)

        def done_one(pages):
            self.message.emit(f"{plural(pages, 'page')} written to {path}", 10_000)

        self._run(f"Writing the PDF of {plural(len(ids), 'case')}…", write_one, done_one)

    def export_results(self, fmt: str) -> None:
        w = self.window
        ids = self.cases.listed_ids()
        if not ids:
            self.message.emit("There are no cases in the list to export.", 5000)
            return
        label = {"csv": "CSV (opens in a spreadsheet) (*.csv)", "json": "JSON (*.json)"}[fmt]
        title, suggested = f"Export {plural(len(ids), 'case')}", Path.home() / f"cases.{fmt}"
        path = ask_save_path(w, title, suggested, label, f".{fmt}", self.session.path)
        if path is None:
            return
        self._run(
            f"Exporting {plural(len(ids), 'case')}…",
            lambda lib, cancel: export(
                lib, ids, path, fmt, lambda n: cancel.progress((n, len(ids))), cancel.cancelled
            ),
            lambda count: self.message.emit(f"{plural(count, 'case')} exported to {path}", 10_000),
        )

    def report(self) -> None:
        """File › Report…: the review report of the search, or of the cases selected in it."""
        listed, selected = self.cases.listed_ids(), self.cases.selected_ids()
        if not listed:
            self.message.emit("There are no cases in the list to report on.", 5000)
            return
        dialog = ReportDialog(self.window, len(listed), len(selected), self.settings)
        if not dialog.exec():
            return
        options = dialog.options()
        ids, chosen = listed, "every case of the search"
        if dialog.of_selection():
            row = {case_id: n for n, case_id in enumerate(listed)}
            ids = sorted(selected, key=lambda case_id: row.get(case_id, len(row)))  # as listed
            chosen = f"selected from the {plural(len(listed), 'case')} of the search"
        text, read_as = self.cases.shown_search()
        suggested = Path.home() / "report.pdf"
        path = ask_save_path(
            self.window, "Save the report", suggested, "PDF (*.pdf)", ".pdf", self.session.path
        )
        if path is None:
            return

        def write(lib, cancel):
            subject = report_subject.of_cases(lib, text, read_as, ids, chosen)
            return write_report(path, lib, subject, options, _reporter(cancel), cancel.cancelled)

        def done(pages):
            self.message.emit(
                f"Report of {plural(len(ids), 'case')} ({plural(pages, 'page')}) written to {path}", 10_000
            )

        self._run(f"Making the report of {plural(len(ids), 'case')}…", write, done)

    def _run(self, text: str, op, done) -> None:
        """Run `op(lib, cancel)` on the reader thread behind a progress dialog with Cancel."""
        w = self.window
        progress = QProgressDialog(text, "Cancel", 0, 0, w)
        progress.setWindowTitle("Casebook")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def show(value):
            done_, total = value
            progress.setMaximum(total)
            progress.setValue(done_)

        def finished(result):
            progress.reset()
            done(result)

        def failed(error):
            progress.reset()
            if isinstance(error, Cancelled):
                self.message.emit("Cancelled: no file was written.", 8000)
            else:
                show_error(w, error, "writing the file")

        self.cancel = self.session.read_long(op, show, finished, failed)
        if self.cancel is not None:
            progress.canceled.connect(self.cancel.cancel)

    def _single_name(self, ids: list[int]) -> str:
        case = self.session.lib.case(ids[0]) if self.session.lib else None
        return pdf_name(case, set()) if case else "case.pdf"


def _reporter(cancel):
    return lambda done, total: cancel.progress((done, total))
