"""Modal dialogs of the review app; each returns a typed result with ``dismiss``."""
