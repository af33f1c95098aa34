"""Run by test_sharing: keep a library open the way the window does (one connection for the
GUI thread, then one per worker, opened one after another), say READY, then for each line
on stdin write a note and print which of this process's descriptors of the library's files
were deleted under it, as JSON."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from storage.keeping.library import Library


def deleted_files() -> list[str]:
    """The library files this process holds open that were deleted (Linux only)."""
    folder = f"/proc/{os.getpid()}/fd"
    found = []
    for fd in os.listdir(folder) if os.path.isdir(folder) else []:
        try:
            target = os.readlink(f"{folder}/{fd}")
        except OSError:  # the descriptor listdir itself used
            continue
        if target.startswith(path) and target.endswith("(deleted)"):
            found.append(target)
    return found


path = sys.argv[1]
connections = [Library.open(path, check=False), Library.open(path), Library.open(path, check=True)]
print("READY", flush=True)
for n, line in enumerate(sys.stdin):
    connections[2].set_notes(1, f"{line.strip()} {n}")
    print(json.dumps({"deleted": deleted_files()}), flush=True)
