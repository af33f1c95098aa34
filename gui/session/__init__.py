"""The library open in the window: its life, its connections, and every operation on it.

`Session` owns the open library; `Worker` is the one way work leaves the GUI thread;
`operations` are the changes the window makes, each a small function of the library that
says what it changed; `NotesSaver` and `LibraryWatch` keep notes and other programs'
changes in step. Nothing here shows a widget.
"""
