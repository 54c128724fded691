"""``audit score``: corpus BLEU, chrF and TER of a hypothesis against references (sacrebleu)."""

from __future__ import annotations

import sys

import click

from ..score import ScoreInputError, report_json, score_files
from .common import EXIT_USAGE


@click.command()
@click.option("--hyp", "hyp", required=True, type=click.Path(dir_okay=False), help="Hypothesis (system output) file.")
@click.option("--ref", "refs", required=True, multiple=True, type=click.Path(dir_okay=False),
              help="Reference file (repeatable for several references).")
@click.option("--id-column",
              help="Align table segments (JSONL/CSV/TSV/Parquet, JSON records) by this column [default: by line/row].")
@click.option("--text-column", default="text", show_default=True,
              help="Text column of JSONL/CSV/TSV/Parquet inputs and JSON records.")
@click.option("--worst", default=10, show_default=True, type=click.IntRange(0),
              help="How many of the worst segments (by chrF) to list.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def score(hyp, refs, id_column, text_column, worst, fmt):
    """Score --hyp against --ref…: corpus BLEU, chrF and TER with sacrebleu's signatures,
    and per-segment chrF, worst segments first (a segment blank in the hypothesis and every
    reference is counted in the corpus scores but not listed).

    Plain-text files are aligned by line; tables (JSONL, CSV, TSV, Parquet, a .json file of
    records) by row, or by --id-column.
    Exit status 2 when inputs cannot be read or do not line up.
    """
    try:
        report = score_files(hyp, refs, id_column=id_column, text_column=text_column, worst=worst)
    except ScoreInputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(report_json(report) if fmt == "json" else report.as_text())
