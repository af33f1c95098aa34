"""The main window and its parts: the results of the search, the open case, the review panel,
and the dialogs about the library file."""
