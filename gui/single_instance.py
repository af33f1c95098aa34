"""One Casebook per user and data folder: a second launch hands its files to the running window and exits.

The two talk over a local socket (a named pipe on Windows): nothing leaves the
machine. This keeps two windows from writing one library at once by accident;
SQLite's locking still protects a library shared in other ways.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from storage import paths

log = logging.getLogger(__name__)
TIMEOUT_MS = 1500


def server_name() -> str:
    """One name per user and data folder (a portable copy with its own folder is separate)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name: still one per machine
        user = "user"
    key = f"{user}\n{paths.data_dir()}"
    return "casebook-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def hand_over(message: dict) -> bool:
    """Send `message` to a running Casebook; True if one took it."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(json.dumps(message).encode() + b"\n")
    socket.flush()
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readLine()).strip() == b"ok"
    socket.disconnectFromServer()
    return answered


class InstanceServer(QObject):
    """Listens for later launches; emits what they asked for."""

    received = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(server_name()):
            QLocalServer.removeServer(server_name())  # left behind by a crash
            self.server.listen(server_name())
        self.server.newConnection.connect(self._accept)
        log.info("listening for later launches as %s", server_name())

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _accept(self) -> None:
        socket = self.server.nextPendingConnection()
        socket.readyRead.connect(lambda: self._read(socket))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        try:
            message = json.loads(bytes(socket.readLine()).decode())
        except (ValueError, UnicodeDecodeError):
            log.warning("ignored a malformed message from another launch")
            return
        socket.write(b"ok\n")
        socket.flush()
        log.info("another launch asked for %s", message)
        self.received.emit(message if isinstance(message, dict) else {})
