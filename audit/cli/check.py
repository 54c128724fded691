"""``audit check``: findings in the formats people and CI systems read, and a gating exit code."""

from __future__ import annotations

import sys
import time
from collections import deque
from contextlib import ExitStack
from pathlib import Path

import click

from ..baseline import load_baseline, write_baseline
from ..document import Document
from ..engine import corpus_stage, run_batches
from ..findings import SEVERITY_RANK, Finding
from ..inputs import InputError, Tally
from ..report import FORMATS, Summary
from ..spill import ObservationStore
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, build_config, corpus_options, progress_enabled, read_documents


def documents_only(items, summary: Summary, echo_errors: bool = True):
    """Pass documents through; report each unreadable input on stderr and go on."""
    for item in items:
        if isinstance(item, InputError):
            summary.errors.append(str(item))
            if echo_errors:
                click.echo(f"error: {item}", err=True)
        else:
            yield item


class Progress:
    """A rich progress line on a terminal; nothing when stderr is piped."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.docs = 0
        self.chars = 0

    def __enter__(self):
        if self.enabled:
            from rich.progress import Progress as RichProgress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                     transient=True, console=__import__("rich.console").console.Console(stderr=True))
            self._bar.__enter__()
            self._task = self._bar.add_task("auditing…", total=None)
        return self

    def update(self, batch: list[Document]) -> None:
        self.docs += len(batch)
        self.chars += sum(len(d.text) for d in batch)
        if self.enabled:
            self._bar.update(self._task, description=f"auditing: {self.docs:,} documents, {self.chars / 1e6:,.1f} M characters")

    def __exit__(self, *exc):
        if self.enabled:
            self._bar.__exit__(*exc)


def exit_code(summary: Summary, fail_on: str) -> int:
    if summary.errors:
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_OK
    threshold = SEVERITY_RANK[fail_on]
    failing = sum(n for sev, n in summary.by_severity.items() if SEVERITY_RANK[sev] >= threshold)
    return EXIT_FINDINGS if failing else EXIT_OK


@click.command()
@corpus_options
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write findings here instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Exit 1 when a finding is at or above this severity [warning].")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not in this baseline; records it when the file does not exist.")
@click.option("--update-baseline", is_flag=True, help="Rewrite the baseline with today's findings.")
@click.option("--color/--no-color", default=None, help="Colour the text format [on a terminal, unless NO_COLOR].")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool on this machine; ray: Ray Data, findings as Parquet under --output.")
@click.option("--ray-address", help="Ray cluster to join (default: start a local Ray).")
def check(paths, config_path, fmt, output, fail_on, baseline, update_baseline, color, engine, ray_address, **flags):
    """Audit PATH… (files, directories, JSONL/CSV/TSV/Parquet, - for stdin) and report findings.

    Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage error or an input that could not be read.
    """
    config = build_config(config_path, fail_on=fail_on, **flags)
    if engine == "ray":
        sys.exit(check_on_ray(paths, config, output, ray_address, baseline))
    known: set[tuple[str, str]] | None = None
    if baseline and baseline.exists() and not update_baseline:
        try:
            known = load_baseline(baseline)
        except (ValueError, KeyError, OSError) as exc:
            raise click.UsageError(f"cannot read baseline {baseline}: {exc}") from None
    recording = baseline is not None and known is None

    writer_cls = FORMATS[fmt]
    if writer_cls.binary and output is None and sys.stdout.isatty():
        raise click.UsageError(f"--format {fmt} is binary: give --output FILE or redirect stdout")
    if color is None:
        import os

        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ

    summary = Summary()
    tally = Tally()
    started = time.perf_counter()
    recorded: list[Finding] = []
    in_flight: deque[list[Document]] = deque()
    with ExitStack() as stack:
        observations = stack.enter_context(ObservationStore())  # spills to disk past a limit
        if output is None:
            out = sys.stdout.buffer if writer_cls.binary else sys.stdout
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            out = stack.enter_context(open(output, "wb") if writer_cls.binary else open(output, "w", encoding="utf-8", newline=""))
        writer = writer_cls(out, color=color)
        progress = stack.enter_context(Progress(progress_enabled()))

        def on_batch(batch):
            in_flight.append(batch)
            progress.update(batch)

        def emit(findings: list[Finding], docs: dict[str, Document]) -> None:
            if recording:
                recorded.extend(findings)
                summary.baseline_hidden += len(findings)
                return
            if known is not None:
                new = [f for f in findings if (f.doc, f.fingerprint) not in known]
                summary.baseline_hidden += len(findings) - len(new)
                findings = new
            summary.add(findings)
            writer.write(findings, docs)

        docs = documents_only(read_documents(paths, config, tally), summary)
        for result in run_batches(docs, config, config.jobs, on_batch=on_batch):
            batch = in_flight.popleft()
            for doc_id, rule, message in result.failures:
                click.echo(f"error: {doc_id}: rule {rule} failed ({message}); other rules ran", err=True)
            observations.extend(result.observations)
            emit(result.findings, {d.id: d for d in batch})
        emit(corpus_stage(observations, config), {})
        summary.documents = tally.documents
        summary.skipped = tally.skipped
        summary.bytes = tally.bytes
        summary.seconds = time.perf_counter() - started
        writer.close(summary)
    if recording:
        write_baseline(baseline, recorded)
        click.echo(f"baseline recorded in {baseline}: {len(recorded)} findings", err=True)
    sys.exit(exit_code(summary, config.fail_on))


def check_on_ray(paths, config, output, address, baseline) -> int:
    """``--engine ray``: findings go to Parquet files under --output (a directory or s3:// URI)."""
    from ..distributed import EngineError, run_on_ray

    if output is None:
        raise click.UsageError("--engine ray writes Parquet: give --output DIR (or an s3:// URI)")
    if baseline is not None:
        raise click.UsageError("--baseline is not supported with --engine ray yet")
    try:
        run = run_on_ray(list(paths), config, str(output), address=address,
                         num_cpus=config.jobs or None)
    except EngineError as exc:
        raise click.UsageError(str(exc)) from None
    for err in run.errors:
        click.echo(f"error: {err}", err=True)
    sev = ", ".join(f"{run.by_severity.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    click.echo(f"{run.findings} findings ({sev}) in {run.documents} documents; Parquet under {output}", err=True)
    return run.exit_code(config.fail_on)
