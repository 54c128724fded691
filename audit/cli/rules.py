"""``audit rules`` and ``audit explain RULE``."""

from __future__ import annotations

import click

from ..detectors import DETECTORS


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt):
    """List every rule: name, category, default severity, fixable, what it finds."""
    rows = [(name, cls.category, cls.severity, "yes" if cls.fixable else "no", cls.summary())
            for name, cls in DETECTORS.items()]
    if fmt == "json":
        import json

        click.echo(json.dumps([dict(zip(("rule", "category", "severity", "fixable", "summary"), r)) for r in rows],
                              indent=2, ensure_ascii=False))
        return
    widths = [max(len(r[i]) for r in rows + [("rule", "category", "severity", "fixable", "")]) for i in range(4)]
    head = ("rule", "category", "severity", "fixable")
    click.echo("  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  summary")
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4])


@click.command()
@click.argument("rule")
def explain(rule):
    """Explain RULE: what it finds, why it matters, an example, known false positives."""
    cls = DETECTORS.get(rule)
    if cls is None:
        close = [n for n in DETECTORS if rule in n or n in rule]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `audit rules`)"
        raise click.UsageError(f"unknown rule {rule!r}{hint}")
    click.echo(cls.explain())
