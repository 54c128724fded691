"""Screens of the review app: the corpus and one document."""
