"""Small dialogs: errors in plain words, the original text of a file, About."""

from __future__ import annotations

import logging
import re
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from storage import paths
from storage.errors import LibraryError, OutputRefused
from storage.library_files import check_output
from storage.reading.decoding import Unreadable, decode
from storage.records import SourceFile

from .safe_text import escaped, message, shown, window_title
from .settings import Settings
from .theme import muted

log = logging.getLogger(__name__)


def version() -> str:
    """The version in pyproject.toml, from the installed (or bundled) package metadata."""
    try:
        return metadata.version("casebook")
    except metadata.PackageNotFoundError:  # run from a bare copy of the sources
        return "(version unknown)"


def show_error(parent: QWidget | None, error: Exception, doing: str = "") -> None:
    """Tell the user what went wrong in plain words; the details go to the log file."""
    message(parent, *error_message(error, doing))


def error_message(error: Exception, doing: str = "") -> tuple[QMessageBox.Icon, str, str]:
    """An error as the icon, title and plain text to show; an unexpected one is logged."""
    if isinstance(error, LibraryError):
        return QMessageBox.Icon.Warning, error.title, f"{error.message}\n\n{error.advice}".strip()
    if isinstance(error, OSError):
        text = f"{doing or 'That'} did not work: {error.strerror or error}."
        return QMessageBox.Icon.Warning, "Casebook", text
    log.error("unexpected error while %s", doing or "working", exc_info=error)
    return (
        QMessageBox.Icon.Critical,
        "Casebook",
        f"Something went wrong{(' while ' + doing) if doing else ''}. Your work so far is saved.\n\n"
        f"The details are in the log file:\n{paths.log_file()}",
    )


def ask_save_path(
    parent: QWidget,
    title: str,
    suggested: Path,
    file_filter: str,
    suffix: str,
    library: Path | None,
    backup: bool = False,
) -> Path | None:
    """Ask where to save a file; None if cancelled, or (said why) if it would replace a library.
    The dialog opens in the folder the last file was saved in (else at `suggested`)."""
    settings = Settings()
    folder = Path(settings.get("output/folder") or suggested.parent)
    if not folder.is_dir():
        folder = Path.home()
    name, _ = QFileDialog.getSaveFileName(parent, title, str(folder / suggested.name), file_filter)
    if not name:
        return None
    settings.set("output/folder", str(Path(name).parent))
    target = name if name.lower().endswith(suffix) else name + suffix
    try:
        if target != name:  # the file picked in the dialog must not be a library either
            check_output(name, library)
        return check_output(target, library, backup=backup)
    except OutputRefused as e:
        show_error(parent, e)
        return None


def open_folder(parent: QWidget, folder: Path) -> None:
    """Show a folder in the file manager; where there is none (a locked-down desktop), say
    where the folder is and put its path on the clipboard."""
    folder.mkdir(parents=True, exist_ok=True)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        QGuiApplication.clipboard().setText(str(folder))
        message(
            parent, QMessageBox.Icon.Information, "Open folder",
            f"No file manager could be started. The folder is:\n{folder}",
            "Its path is on the clipboard, to paste where you need it.",
        )  # fmt: skip


def fitted_size(widget: QWidget, largest: tuple[int, int]) -> tuple[int, int]:
    """`largest`, or less so that the window and its frame fit the screen's free area."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    free = screen.availableGeometry()
    return min(largest[0], free.width() - 40), min(largest[1], free.height() - 80)


SHOWN_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown_text(data: bytes) -> str:
    """A file's text as Casebook reads it; of a file it cannot read, what can be shown as text."""
    try:
        return decode(data).text
    except Unreadable:
        text = _CONTROL.sub("\ufffd", data[:SHOWN_BYTES].decode("utf-8", errors="replace"))
        more = len(data) - SHOWN_BYTES
        return text + (f"\n\n[… {more:,} more bytes not shown]" if more > 0 else "")


def original_text_view(data: bytes, name: str) -> QPlainTextEdit:
    """A file's own text, exactly as read (decoded, never interpreted), read-only."""
    view = QPlainTextEdit(shown(shown_text(data)))
    view.setPlaceholderText("Nothing of this file could be read as text.")
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


class OriginalTextDialog(QDialog):
    """The file's own text, exactly as read (decoded, never interpreted)."""

    def __init__(self, source: SourceFile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(window_title(f"Original text — {source.name}"))
        self.resize(760, 640)
        view = original_text_view(source.data, "original-text")
        info = QLabel(
            f"{escaped(source.name)} · {source.size:,} bytes · {escaped(source.encoding)}<br>"
            f"<span style='color:{muted()}'>SHA-256 {escaped(source.sha256)}</span>"
        )
        info.setTextFormat(Qt.TextFormat.RichText)
        info.setFont(QFont(info.font().family(), max(8, info.font().pointSize() - 1)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)


def show_about(parent: QWidget, library_path, case_count: int) -> None:
    QMessageBox.about(
        parent,
        "About Casebook",
        f"<h3>Casebook {escaped(version())}</h3>"
        "<p>Offline review of published police-conduct investigation summaries.</p>"
        f"<p>Library: {escaped(str(library_path))}<br>Cases: {case_count:,}</p>"
        f"<p>Log files: {escaped(str(paths.log_dir()))}</p>"
        "<p>Casebook never connects to the internet.</p>",
    )
