"""``audit review``: open the review app on a corpus (textual is imported only here, when run)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import build_config, corpus_options


@click.command()
@corpus_options
@click.option("--decisions", type=click.Path(dir_okay=False, path_type=Path),
              help="Decisions file [.audit/decisions.jsonl beside the corpus]; reopening resumes from it.")
def review(paths, config_path, decisions, **flags):
    """Review the findings of PATH… in a terminal app: accept, reject or edit each repair.

    Takes the same inputs and options as `audit check`. Every decision is appended at once
    to the decisions file; `audit normalise --decisions FILE` (or W in the app) applies them.
    Keys: ? in the app, or docs/review.md.
    """
    from ..tui.data import default_decisions_path

    config = build_config(config_path, **flags)
    decisions = decisions or default_decisions_path(paths)
    lexicon = Path(config.lexicons[-1]) if flags.get("lexicons") else None
    if "-" in paths:
        raise click.UsageError("review reads files, directories and tables, not stdin (the app needs the terminal)")
    from ..tui.app import run

    run(list(paths), config, decisions, lexicon, " ".join(paths))
