"""The command line: a thin layer over the library. Each subcommand is one short module."""

from __future__ import annotations

import click

from .. import __version__
from .check import check
from .normalise import normalise
from .review import review
from .lexicon import lexicon
from .rules import explain, rules
from .score import score


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="audit")
def main():
    """translation-audit: find encoding glitches, MT artefacts and misrendered names in translated news."""


main.add_command(check)
main.add_command(rules)
main.add_command(explain)
main.add_command(normalise)
main.add_command(review)
main.add_command(lexicon)
main.add_command(score)
