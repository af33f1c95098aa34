"""What the window does about the library file: open, new, recent, back up, restore, check
and repair, and what to tell and ask the reviewer when a library cannot be used.

The work itself is the session's; this is the conversation around it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QProgressDialog, QWidget

from storage import paths
from storage.errors import IndexDamaged, LibraryDamaged, LibraryError
from storage.keeping import backup, repair

from ..dialogs import ask_save_path, open_folder, show_about, show_error
from ..safe_text import menu_text, plain_label, rich
from ..session.operations import BackUp, Changes, Check, Repair
from ..session.session import Session
from ..settings import MAX_RECENT, Settings
from .library_dialogs import (
    REPAIR_ADVICE,
    RestoreDialog,
    SettingsDialog,
    ask_about_unsaved_notes,
    confirm_restore,
    offer_recovery,
    offer_repair,
    repair_text,
)
from .message_bar import MessageBar

log = logging.getLogger(__name__)


class LibraryFlows(QObject):
    settings_changed = Signal()  # the Settings dialog closed: apply what it holds

    def __init__(
        self,
        session: Session,
        settings: Settings,
        window: QWidget,
        say: Callable[[str, int], None],
        bar: MessageBar,
    ):
        """`say(text, ms)` shows a message in the window's status bar; `bar` tells what was
        found away from the reviewer's hands."""
        super().__init__(window)
        self.session = session
        self.settings = settings
        self.window = window
        self.say = say
        self.bar = bar
        self._repair_offered = False
        self._upgrade: QProgressDialog | None = None
        session.opened.connect(self._opened)
        session.upgrading.connect(self._upgrading)
        session.open_failed.connect(self._open_failed)
        session.check_failed.connect(self._check_failed)
        session.damage_found.connect(self._offer_repair)
        session.backup_failed.connect(
            lambda e: self.say(f"An automatic backup could not be made: {e}", 15_000)
        )
        session.busy_message.connect(lambda text: self.say(text, 8000))
        session.notes_deferred.connect(
            lambda text: QMessageBox.information(window, "Notes kept for later", rich(text))
        )

    def ask(self, count: int, error: LibraryError) -> str:
        """Closing with notes that can neither be saved nor kept: the reviewer decides."""
        return ask_about_unsaved_notes(self.window, count, error)

    # ----- opening ------------------------------------------------------------------

    def open_library(self, path: Path, create: bool = False) -> bool:
        """Switch to the library at `path`; False (and a message) if it cannot be opened."""
        try:
            return self.session.open(path, create=create, ask=self.ask)
        except LibraryDamaged as e:
            log.warning("cannot open %s: %s", path, e)
            return self._recover_from(path, e)
        except LibraryError as e:
            log.warning("cannot open %s: %s", path, e)
            show_error(self.window, e)
            return False

    def _opened(self, lib) -> None:
        self._repair_offered = False
        if self._upgrade is not None:
            self._upgrade.close()
            self._upgrade = None
        self.settings.set("library/last", str(lib.path))
        self.settings.push("library/recent", str(lib.path), MAX_RECENT)

    def _upgrading(self, path: Path) -> None:
        """Show that an older library is being upgraded (the backup first takes seconds)."""
        dialog = QProgressDialog("", "", 0, 0, self.window)
        dialog.setLabel(
            plain_label(
                f"Upgrading “{path.name}” for this version of Casebook.\n"
                "A backup of the library is taken first."
            )
        )
        dialog.setWindowTitle("Upgrading the library")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self._upgrade = dialog

    def _open_failed(self, path: Path, error: LibraryError) -> None:
        if self._upgrade is not None:
            self._upgrade.close()
            self._upgrade = None
        if isinstance(error, LibraryDamaged):
            self._recover_from(path, error)
        else:
            show_error(self.window, error, "opening the library")

    def new_library(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.window, "New library", str(paths.data_dir() / "New library.casebook"),
            "Casebook libraries (*.casebook)",
        )  # fmt: skip
        if name:
            path = Path(name if name.endswith(".casebook") else name + ".casebook")
            if path.exists():
                QMessageBox.warning(
                    self.window, "New library", rich(f"{path.name} already exists. Choose another name.")
                )
                return
            self.open_library(path, create=True)

    def open_library_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open library",
            str(paths.data_dir()),
            "Casebook libraries (*.casebook);;All files (*)",
        )
        if name:
            self.open_library(Path(name))

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        for entry in self.settings.get("library/recent"):
            action = menu.addAction(menu_text(entry))
            action.triggered.connect(lambda _=False, p=entry: self.open_library(Path(p)))
        if menu.isEmpty():
            menu.addAction("(none yet)").setEnabled(False)

    # ----- a library that cannot be used --------------------------------------------

    def _check_failed(self, error: Exception) -> None:
        lib = self.session.lib
        if isinstance(error, LibraryDamaged) and lib is not None:
            path = lib.path
            if self.session.close(self.ask):
                self._recover_from(path, error)
        else:
            show_error(self.window, error, "checking the library")

    def _recover_from(self, path: Path, error: LibraryError) -> bool:
        """A damaged library: offer to restore its latest backup or open another."""
        choice = offer_recovery(self.window, path, error)
        if choice == "restore":
            latest = backup.latest(path)
            return latest is not None and self.restore_backup(path, latest)
        if choice == "open":
            self.open_library_dialog()
        return self.session.lib is not None

    def restore_backup(self, path: Path | None = None, info: backup.BackupInfo | None = None) -> bool:
        """Put a backup in place of the library (asking which, and asking to be sure)."""
        path = path or self.session.path
        if path is None:
            return False
        if info is None:
            dialog = RestoreDialog(self.window, path)
            info = dialog.chosen() if dialog.exec() else None
            if info is None:
                return False
        if not confirm_restore(self.window, path, info):
            return False
        try:
            kept = self.session.restore(info, path, self.ask)
        except (OSError, LibraryError) as e:
            show_error(self.window, e, "restoring the backup")
            return False
        if kept is not None:
            self.say(f"Restored. The library as it was is kept as {kept.name}.", 15_000)
        return kept is not None and self.session.lib is not None

    # ----- checks, repairs and backups -----------------------------------------------

    def search_failed(self, error: IndexDamaged) -> None:
        """A search met a damaged index: say so once, and offer to repair it."""
        if not self._repair_offered:
            self._offer_repair(error)
        else:
            self.say(f"{error.message} {error.advice}", 0)

    def _offer_repair(self, found: repair.Findings | IndexDamaged) -> None:
        """Say once per library what needs mending, with Repair now. Found by the check at
        opening or by a search, so in the bar: a box would take the keys being typed (a space
        meant for the search pressed its button)."""
        self._repair_offered = True
        self.bar.show_message(
            QMessageBox.Icon.Warning, f"{repair_text(found)} {REPAIR_ADVICE}", ("Repair now", self._repair)
        )

    def _repair(self) -> None:
        self.bar.close_message()
        self.say("Repairing the library…", 0)
        self.session.write(
            Repair(), "repairing the library",
            lambda _: self.say("Repaired. A backup of the library was taken first.", 15_000),
        )  # fmt: skip

    def check_library(self) -> None:
        """File › Check and repair library…: look for damage, including in the search index."""
        self.say("Checking the library…", 0)

        def done(changes: Changes) -> None:
            self.say("", 1)
            if changes.result.ok:
                QMessageBox.information(self.window, "Check the library", "No damage was found.")
            elif offer_repair(self.window, changes.result):  # asked for: the reviewer waits for it
                self._repair()

        self.session.read_and_write(Check(), done)

    def backup_library(self, then: Callable[[Path], None] | None = None) -> None:
        """Copy the library where the reviewer chooses; then `then(copy)`, if given."""
        lib = self.session.lib
        if lib is None:
            return
        name = ask_save_path(
            self.window, "Back up library", Path.home() / f"{lib.path.stem} backup.casebook",
            "Casebook libraries (*.casebook)", ".casebook", lib.path, backup=True,
        )  # fmt: skip
        if name:

            def done(changes: Changes) -> None:
                self.say(f"Backed up to {changes.result}", 8000)
                if then is not None:
                    then(changes.result)

            self.session.write(BackUp(name), "backing up the library", done)

    def settings_dialog(self) -> None:
        if self.session.path is not None:
            SettingsDialog(self.session.path, self.settings, self.window).exec()
            self.settings_changed.emit()

    def show_log_folder(self) -> None:
        open_folder(self.window, paths.log_dir())

    def about(self) -> None:
        lib = self.session.lib
        show_about(self.window, lib.path if lib else "", lib.case_count() if lib else 0)
