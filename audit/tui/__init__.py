"""The review app (``audit review``).

Only :mod:`audit.tui.app` and the screens, widgets and dialogs import textual;
:mod:`audit.tui.data` holds the session state (documents, findings, decisions, filters,
undo) with no textual import, so it is usable and testable without a terminal. Importing
this package imports nothing.
"""
