"""Reusable widgets of the review app; each owns its messages."""
