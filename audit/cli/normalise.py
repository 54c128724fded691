"""``audit normalise``: a repaired copy of a corpus with a manifest of every change, and its revert."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..fix import Policy
from ..normalise import NormaliseError, NormaliseOptions, normalise as run_normalise, revert as run_revert
from .common import EXIT_OK, EXIT_USAGE, build_config, corpus_options


def _paths_optional(func):
    """``--revert`` takes no PATH: relax the argument that ``corpus_options`` adds."""
    for param in getattr(func, "__click_params__", []):
        if param.name == "paths":
            param.required = False
    return func


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.command()
@_paths_optional
@corpus_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Write the repaired corpus here (same layout and formats).")
@click.option("--in-place", is_flag=True, help="Rewrite the inputs themselves (needs --backup SUFFIX or --no-backup).")
@click.option("--backup", metavar="SUFFIX", help="With --in-place: keep each changed input as PATH+SUFFIX.")
@click.option("--no-backup", is_flag=True, help="With --in-place: keep no backup (the manifest can still revert).")
@click.option("--dry-run", is_flag=True, help="Print a unified diff and the counts; write nothing.")
@click.option("--force", is_flag=True, help="Write into a non-empty --out (or over a finished run there).")
@click.option("--unsafe", is_flag=True, help="Also apply repairs that are not safe by default (every fixable rule).")
@click.option("--decisions", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Apply exactly the accepted and edited findings of this `audit review` decisions file.")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), help="Manifest path [OUT/manifest.jsonl].")
@click.option("--manifest-format", type=click.Choice(["jsonl", "parquet"]),
              help="Manifest format [jsonl; parquet for very large runs].")
@click.option("--revert", "revert_manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="Restore the original documents of the run recorded in this manifest into --out.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: repair JSONL/Parquet tables on Ray Data; Parquet corpus and manifest under --out.")
@click.option("--ray-address", help="Ray cluster to join (default: start a local Ray).")
def normalise(paths, config_path, out, in_place, backup, no_backup, dry_run, force, unsafe, decisions, manifest,
              manifest_format, revert_manifest, engine, ray_address, **flags):
    """Repair PATH… (safe repairs by default) into --out, with a manifest of every change.

    Directories keep their tree (files other than .txt/.md are copied unchanged); JSONL, CSV,
    TSV, Parquet and JSON arrays of records keep their format, other columns and row order
    (a JSON array: only its text values change); - reads stdin and writes
    stdout. Running again after an interruption resumes. Exit status: 0 done, 2 usage error,
    refusal (nothing overwritten) or input errors (an unreadable file, a table without its
    text column …: what they name is left as it was).
    """
    if revert_manifest is not None:
        if paths:
            _fail("--revert takes no PATH: it reads the outputs the manifest lists")
        try:
            rep = run_revert(revert_manifest, out, force=force)
        except NormaliseError as exc:
            _fail(str(exc))
        note = f"; {len(rep.content_only)} Parquet files identical in content, not in bytes" if rep.content_only else ""
        click.echo(f"reverted {rep.files} files ({rep.identical} byte-identical to the originals){note}", err=True)
        sys.exit(EXIT_OK)
    if not paths:
        _fail("give PATH… to normalise (or --revert MANIFEST)")
    config = build_config(config_path, **flags)
    policy = Policy(select=config.select, ignore=config.ignore, min_confidence=config.min_confidence, unsafe=unsafe)
    if engine == "ray":
        sys.exit(_normalise_on_ray(paths, config, policy, out, ray_address, in_place or dry_run or bool(decisions)))
    options = NormaliseOptions(
        out=out, in_place=in_place, backup=backup, no_backup=no_backup, dry_run=dry_run, force=force,
        manifest=manifest, manifest_format=manifest_format, jobs=config.jobs,
        policy=policy,
    )
    if decisions is not None:
        from ..decisions import read_decisions

        options.decisions = read_decisions(decisions)
        options.decisions_path = str(decisions)
    try:
        report = run_normalise(list(paths), config, options, diff_out=sys.stdout if dry_run else None)
    except NormaliseError as exc:
        _fail(str(exc))
    for line in report.errors:
        click.echo(f"error: {line}", err=True)
    for line in report.failures:
        click.echo(f"error: {line}; other rules ran", err=True)
    if report.cross_document_decisions:
        click.echo(f"warning: {report.cross_document_decisions} accepted decisions are about cross-document findings "
                   "(corpus stage), which normalise cannot apply: they were not applied", err=True)
    where = f"; manifest {report.manifest}" if report.manifest else ""
    click.echo(("dry run, nothing written: " if dry_run else "") + report.line() + where, err=True)
    sys.exit(EXIT_USAGE if report.errors else EXIT_OK)


def _normalise_on_ray(paths, config, policy, out, address, unsupported: bool) -> int:
    from ..distributed import EngineError, normalise_on_ray

    if unsupported:
        _fail("--engine ray writes a new Parquet corpus under --out; --in-place, --dry-run and --decisions "
              "run with --engine local")
    if out is None:
        _fail("--engine ray needs --out DIR (or an s3:// URI)")
    if out.exists() and any(out.iterdir()):
        _fail(f"{out} is not empty: nothing was written")
    try:
        run = normalise_on_ray(list(paths), config, policy, str(out), address=address, num_cpus=config.jobs or None)
    except EngineError as exc:
        _fail(str(exc))
    click.echo(f"{run.edits} edits in {run.changed} of {run.documents} documents; corpus {run.corpus}, "
               f"manifest {run.manifest}", err=True)
    return EXIT_OK
