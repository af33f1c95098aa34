"""Run by test_safety: write review fields to a library for a while, counting every
write, and print the counts as JSON. Two of these run at once on one library."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from storage.keeping.library import Library

library, name, seconds, parity = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
lib = Library.open(library)
own = [i for (i,) in lib.conn.execute("SELECT id FROM cases ORDER BY id") if i % 2 == parity]
attempts = written = 0
last: dict[int, str] = {}
tags: list[str] = []
end = time.monotonic() + seconds
while time.monotonic() < end:
    attempts += 1
    case_id = own[attempts % len(own)]
    note = f"{name} wrote {attempts}"
    lib.set_notes(case_id, note)
    lib.set_status([case_id], ("new", "in_review", "reviewed", "flagged")[attempts % 4])
    tag = f"{name}-{attempts}"
    lib.change_tag([1], tag, add=True)  # the same case for both processes
    last[case_id] = note
    tags.append(tag)
    written += 1
lib.close()
print(json.dumps({"attempts": attempts, "written": written, "last": last, "tags": tags}))
