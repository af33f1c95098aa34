"""Casebook's core: reading summaries, the SQLite library, search and data export.

Plain Python with no Qt, usable from a script, a test or another front end.
"""
