"""Bringing files in: the import wizard (read, check, correct, import) and the import history."""
