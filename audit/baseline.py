"""Baselines: record today's findings, then report only new ones.

A baseline is a JSON file of fingerprints per document. Fingerprints hash the rule, the
flagged text and the words around it (not offsets), so editing another paragraph does
not resurrect old findings.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .findings import Finding

VERSION = 1


def load_baseline(path: Path) -> set[tuple[str, str]]:
    data = json.loads(path.read_text("utf-8"))
    if data.get("version") != VERSION:
        raise ValueError(f"{path}: unsupported baseline version {data.get('version')!r}")
    return {(doc, fp) for doc, fps in data["fingerprints"].items() for fp in fps}


def write_baseline(path: Path, findings: list[Finding]) -> None:
    by_doc: dict[str, list[str]] = {}
    for f in findings:
        by_doc.setdefault(f.doc, []).append(f.fingerprint)
    data = {"version": VERSION, "fingerprints": {d: sorted(set(v)) for d, v in sorted(by_doc.items())}}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: all or nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
