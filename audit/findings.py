"""The finding record: the public contract of ``--format jsonl`` / ``json``.

One schema constant, one function that builds the frame; every report and summary is a
function of that frame. The listed fields never change meaning (scripts and CI depend on
them); extra fields (``evidence``, ``entity``, ``fingerprint`` …) may follow.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

import polars as pl

CATEGORIES = (
    "encoding",
    "script",
    "language",
    "names",
    "phrasing",
    "quotes",
    "structure",
    "consistency",
)
SEVERITIES = ("error", "warning", "info")
#: Higher is more severe; ``--fail-on`` compares against it.
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}

#: The contract of DESIGN.md, in order.
CORE_FIELDS = (
    "doc",
    "rule",
    "category",
    "severity",
    "start",
    "end",
    "line",
    "column",
    "text",
    "message",
    "suggestion",
    "confidence",
)

SCHEMA = pl.Schema(
    {
        "doc": pl.String,
        "rule": pl.String,
        "category": pl.String,
        "severity": pl.String,
        "start": pl.Int64,
        "end": pl.Int64,
        "line": pl.Int64,
        "column": pl.Int64,
        "text": pl.String,
        "message": pl.String,
        "suggestion": pl.String,
        "confidence": pl.Float64,
        # extras: evidence is a JSON object serialised as a string so that every
        # format (csv, parquet) can carry it; fingerprint identifies a finding across edits.
        "evidence": pl.String,
        "fingerprint": pl.String,
    }
)


@dataclass(slots=True)
class Finding:
    """One flagged span. ``text`` is always ``doc_text[start:end]``."""

    doc: str
    rule: str
    category: str
    severity: str
    start: int
    end: int
    line: int
    column: int
    text: str
    message: str
    suggestion: str | None = None
    confidence: float = 1.0
    evidence: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""

    def as_record(self) -> dict[str, Any]:
        """The JSON-ready record: core fields first, then the extras."""
        rec = {name: getattr(self, name) for name in CORE_FIELDS}
        rec["confidence"] = round(float(self.confidence), 4)
        if self.evidence:
            rec["evidence"] = self.evidence
        rec["fingerprint"] = self.fingerprint
        return rec

    @property
    def sort_key(self) -> tuple:
        return (self.doc, self.start, self.end, self.rule, self.text)


def fingerprint(rule: str, text: str, context: str, occurrence: int) -> str:
    """A stable id for a finding that survives unrelated edits to the document.

    It hashes the rule, the flagged text, a little normalised context around it (the
    words next to the span, not its offset) and which occurrence of that triple it is.
    Inserting a paragraph elsewhere moves offsets but keeps every fingerprint.
    """
    key = f"{rule}\x1f{text}\x1f{context}\x1f{occurrence}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


def findings_frame(findings: Iterable[Finding] | Iterable[dict]) -> pl.DataFrame:
    """Build the findings table with :data:`SCHEMA` from findings or records."""
    rows = []
    for f in findings:
        rec = f if isinstance(f, dict) else f.as_record()
        row = {name: rec.get(name) for name in SCHEMA.names()}
        ev = rec.get("evidence")
        row["evidence"] = (
            json.dumps(ev, ensure_ascii=False, sort_keys=True) if isinstance(ev, dict) and ev else ev or None
        )
        rows.append(row)
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def records_from_frame(frame: pl.DataFrame) -> list[dict]:
    """Inverse of :func:`findings_frame`: JSON records with evidence decoded."""
    out = []
    for row in frame.iter_rows(named=True):
        ev = row.pop("evidence", None)
        rec = {name: row[name] for name in CORE_FIELDS}
        if ev:
            rec["evidence"] = json.loads(ev)
        rec["fingerprint"] = row.get("fingerprint") or ""
        out.append(rec)
    return out
