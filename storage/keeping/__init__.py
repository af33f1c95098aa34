"""Keeping the library: the SQLite file, its schema and migrations, importing read files into
it, review fields and notes, backups, drafts and repairs.
"""
