"""``audit review``: open the review app on a corpus (textual is imported only here, when run)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_USAGE, build_config, corpus_options


@click.command()
@corpus_options
@click.option("--decisions", type=click.Path(dir_okay=False, path_type=Path),
              help="Decisions file [.audit/decisions.jsonl beside the corpus]; reopening resumes from it.")
@click.option("--ref", "refs", multiple=True, type=click.Path(exists=True),
              help="Reference translation to score segments against with chrF (repeatable): a text file "
                   "(the reference of the document with its file name; lines are segments), a directory of "
                   "them, or a JSONL/CSV/Parquet table (rows matched by id). Adds a chrF column and s: sort "
                   "worst segment first.")
def review(paths, config_path, decisions, refs, **flags):
    """Review the findings of PATH… in a terminal app: accept, reject or edit each repair.

    Takes the same inputs and options as `audit check`. Every decision is appended at once
    to the decisions file; `audit normalise --decisions FILE` (or W in the app) applies them.

    With --ref, every finding shows the chrF (as `audit score`) of the segment it is in —
    a line of a text document, a row of a table — with the reference text, and the
    findings (s in a document) or the documents (s in the corpus view) sort worst segment
    first. A reference that cannot be read exits with status 2; one that does not line up
    with its document (a different number of lines, ids missing) is reported in the app
    and leaves that document unscored. Keys: ? in the app, or docs/review.md.
    """
    from ..tui.data import default_decisions_path

    config = build_config(config_path, **flags)
    decisions = decisions or default_decisions_path(paths)
    lexicon = Path(config.lexicons[-1]) if flags.get("lexicons") else None
    if "-" in paths:
        raise click.UsageError("review reads files, directories and tables, not stdin (the app needs the terminal)")
    references = None
    if refs:
        from ..score import References, ScoreInputError

        try:
            references = References(refs, id_column=config.id_column, text_column=config.text_column,
                                    inputs=list(paths))
        except ScoreInputError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    from ..tui.app import run

    run(list(paths), config, decisions, lexicon, " ".join(paths), references)
