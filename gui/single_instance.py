"""One Casebook per user and data folder: a second launch hands its files to the running window and exits.

A lock file in the data folder says whether a Casebook is running: its owner
is the only one that listens for later launches, so a busy first window never
loses its socket to a second one. The two talk over a local socket (a named
pipe on Windows): nothing leaves the machine. This keeps two windows from
writing one library at once by accident; SQLite's locking still protects a
library shared in other ways.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import time

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from storage import paths

log = logging.getLogger(__name__)
CONNECT_MS = 1500
BUSY_WAIT_MS = 10_000  # how long a second launch waits for a running Casebook to answer
LOCK_FILE = "casebook.lock"

NOT_ANSWERING = (
    "Casebook is already open, but it did not answer: it may be busy with a long task.\n\n"
    "It will open your files when it is free. If nothing happens, close the other "
    "Casebook window and start Casebook again."
)


class NotAnswering(Exception):
    """A live Casebook holds the lock but did not take the launch in time."""


def server_name() -> str:
    """One name per user and data folder (a portable copy with its own folder is separate)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name: still one per machine
        user = "user"
    key = f"{user}\n{paths.data_dir()}"
    return "casebook-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def instance_lock() -> QLockFile:
    lock = QLockFile(str(paths.data_dir() / LOCK_FILE))
    lock.setStaleLockTime(0)  # stale only when its process has gone, however long it has run
    return lock


def _send(message: dict, deadline: QDeadlineTimer) -> str:
    """Send `message` to a running Casebook: "taken", "sent" (no answer by the deadline) or "no server"."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(min(CONNECT_MS, max(1, deadline.remainingTime()))):
        return "no server"
    socket.write(json.dumps(message).encode() + b"\n")
    socket.flush()
    answered = False
    while not answered and not deadline.hasExpired():
        if not socket.waitForReadyRead(max(1, deadline.remainingTime())):
            break  # no answer in time, or the other side closed
        answered = socket.canReadLine() and bytes(socket.readLine().data()).strip() == b"ok"
    socket.disconnectFromServer()
    return "taken" if answered else "sent"


def claim(message: dict, wait_ms: int = BUSY_WAIT_MS) -> QLockFile | None:
    """Become the running Casebook (return the held lock), or hand `message` to it (return None).

    Raises NotAnswering if another live Casebook holds the lock and does not take
    the message within `wait_ms` (it may still be starting, or busy).
    """
    lock = instance_lock()
    deadline = QDeadlineTimer(wait_ms)
    while True:
        if lock.tryLock(0):  # no Casebook is running, or the last one crashed
            return lock
        outcome = _send(message, deadline)
        if outcome == "taken":
            return None
        if outcome == "sent" or deadline.hasExpired():  # never send twice: it would import twice
            log.warning("the running Casebook did not answer within %d ms", wait_ms)
            raise NotAnswering
        log.info("another Casebook holds %s but is not listening yet; waiting", LOCK_FILE)
        time.sleep(0.2)


class InstanceServer(QObject):
    """Listens for later launches, for the holder of the instance lock; emits what they asked for."""

    received = Signal(dict)

    def __init__(self, lock: QLockFile, parent=None):
        super().__init__(parent)
        self.lock = lock  # held as long as this server lives
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(server_name()):
            # We hold the lock, so whoever made this socket has gone (a crash).
            QLocalServer.removeServer(server_name())
            self.server.listen(server_name())
        self.server.newConnection.connect(self._accept)
        log.info("listening for later launches as %s", server_name())

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)  # the line may have come before we listened to readyRead

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        try:
            message = json.loads(bytes(socket.readLine().data()).decode())
        except (ValueError, UnicodeDecodeError):
            log.warning("ignored a malformed message from another launch")
            return
        socket.write(b"ok\n")
        socket.flush()
        log.info("another launch asked for %s", message)
        self.received.emit(message if isinstance(message, dict) else {})
