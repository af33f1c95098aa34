"""The views beside the case list and the open case: the timeline and statistics of the
search, similar cases, possible duplicates. Each reads through the session and follows the
search; none writes to the library but through an operation."""
