"""Options and plumbing shared by the subcommands that read a corpus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import click

from ..config import Config, ConfigError, load_config
from ..detectors import DETECTORS
from ..findings import CATEGORIES
from ..inputs import MAX_DOCUMENT_MB, InputOptions, Tally, iter_inputs
from ..sources import attach_sources

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _rule_list(ctx, param, value):
    out: list[str] = []
    for chunk in value or ():
        for name in filter(None, (p.strip() for p in chunk.split(","))):
            if name not in DETECTORS and name not in CATEGORIES:
                raise click.BadParameter(f"unknown rule or category {name!r} (see `audit rules`)")
            out.append(name)
    return out or None


def corpus_options(func: Callable) -> Callable:
    """PATH… plus the input, language, rule-selection and config options."""
    options = [
        click.argument("paths", nargs=-1, required=True),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Config file (default: nearest audit.toml or pyproject.toml [tool.audit])."),
        click.option("--text-column", help="Text column of JSONL/CSV/TSV/Parquet inputs [text]."),
        click.option("--id-column", help="Id column of JSONL/CSV/TSV/Parquet inputs [id; else the row number]."),
        click.option("--lang", help="Language of the documents (ISO 639-1); else config, a lang column, or detected."),
        click.option("--source-lang", help="Language the documents were translated from."),
        click.option("--source", "source_path", help="Source texts to check the translations against: a directory "
                     "(aligned by file name), a JSONL/CSV/TSV/Parquet table (by id) or one text file."),
        click.option("--source-column", help="Source-text column of JSONL/CSV/TSV/Parquet inputs [source]."),
        click.option("--select", multiple=True, callback=_rule_list, help="Only these rules or categories (comma-separated, repeatable)."),
        click.option("--ignore", multiple=True, callback=_rule_list, help="Skip these rules or categories."),
        click.option("--lexicon", "lexicons", multiple=True, help="Extra lexicon file (repeatable); adds to the built-in ones."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), help="Drop findings below this confidence."),
        click.option("-j", "--jobs", type=click.IntRange(0), help="Worker processes [all cores]."),
        click.option("--max-document-mb", type=click.FloatRange(0), help="Skip (with an error) documents larger "
                     f"than this many megabytes; 0: no limit [{MAX_DOCUMENT_MB:g}]."),
    ]
    for opt in reversed(options):
        func = opt(func)
    return func


def build_config(config_path: Path | None, **flags) -> Config:
    """The config file merged with command-line flags (flags win)."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    lexicons = list(config.lexicons) + list(flags.pop("lexicons", None) or ())
    return config.replace(lexicons=lexicons, **flags)


def read_documents(paths, config: Config, tally: Tally):
    """Documents and input errors from PATH…, with ``--source`` texts attached."""
    options = InputOptions.from_config(config)
    items = iter_inputs(paths, options, tally)
    return attach_sources(items, config.source_path, options, tally, list(paths), config.source_lang)


def progress_enabled() -> bool:
    return sys.stderr.isatty()
