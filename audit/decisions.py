"""Review decisions: what a person decided about each finding, appended as they decide.

The file is JSON Lines, one decision per line, appended and flushed at once (crash-safe:
a torn last line is skipped on reading). The last line for a finding wins; ``undo``
removes the decision before it. Decisions are keyed by (document, fingerprint), so they
stay attached to their findings when the check runs again on an edited text.

A line::

    {"doc": "a.txt", "fingerprint": "…", "rule": "name-variant", "start": 3984, "end": 3997,
     "text": "Ibrahim Kalyn", "decision": "accept", "replacement": "İbrahim Kalın",
     "time": "2026-11-22T06:00:00+00:00"}

``decision`` is ``accept`` (apply ``replacement``, the finding's suggestion by default),
``edit`` (apply the reviewer's ``replacement``), ``reject`` (leave the text) or ``undo``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

DECISIONS = ("accept", "reject", "edit", "undo")


@dataclass
class Decision:
    doc: str
    fingerprint: str
    rule: str
    start: int
    end: int
    text: str
    decision: str
    replacement: str | None = None
    time: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc, self.fingerprint)

    @property
    def applies(self) -> bool:
        return self.decision in ("accept", "edit") and self.replacement is not None


_FIELDS = tuple(Decision.__dataclass_fields__)


def append_decision(path: Path, decision: Decision) -> None:
    """Append one decision and flush it to disk before returning."""
    append_decisions(path, [decision])


def append_decisions(path: Path, decisions: list[Decision]) -> None:
    """Append several decisions (one bulk step of a review) with a single flush to disk.

    Each is one line, as :func:`append_decision` writes it; 60,000 decisions take one
    ``fsync`` instead of 60,000.
    """
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    lines = []
    for decision in decisions:
        if decision.decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision.decision!r}")
        if not decision.time:
            decision.time = now
        record = {name: getattr(decision, name) for name in _FIELDS}  # asdict() deep-copies: 10x slower
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    if not lines:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("".join(lines))
        fh.flush()
        os.fsync(fh.fileno())


def read_decisions(path: Path) -> dict[tuple[str, str], Decision]:
    """The standing decision per (doc, fingerprint); ``undo`` pops the one before it."""
    history: dict[tuple[str, str], list[Decision]] = {}
    path = Path(path)
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            try:
                rec = json.loads(raw)
                d = Decision(**{k: rec.get(k) for k in Decision.__dataclass_fields__})
            except (json.JSONDecodeError, TypeError):
                continue  # a torn line from an interrupted write
            stack = history.setdefault(d.key, [])
            if d.decision == "undo":
                if stack:
                    stack.pop()
            elif d.decision in DECISIONS:
                stack.append(d)
    return {k: v[-1] for k, v in sorted(history.items()) if v}


def cross_document(decisions: dict[tuple[str, str], Decision]) -> set[tuple[str, str]]:
    """Keys of the decisions about cross-document (corpus-stage) findings.

    A corpus-stage finding is fingerprinted on (rule, text, document, occurrence) — the
    document id where a document-stage finding has the words around it
    (:func:`audit.engine.corpus_stage`) — and only the corpus detectors make them, so a
    decision is about one when its fingerprint is that of its rule, text and document for
    some occurrence. Such findings exist only once the whole corpus has been read, which is
    why ``audit normalise --decisions`` cannot apply them.
    """
    from .detectors import DETECTORS, CorpusDetector
    from .findings import fingerprint

    corpus_rules = {name for name, cls in DETECTORS.items() if issubclass(cls, CorpusDetector)}
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for key, d in decisions.items():
        if d.rule in corpus_rules and isinstance(d.text, str):
            groups.setdefault((d.rule, d.text, d.doc), []).append(key)
    out: set[tuple[str, str]] = set()
    for (rule, text, doc), keys in groups.items():
        # the occurrence is rarely above a few; look well past the decisions made in the group
        known = {fingerprint(rule, text, doc, i) for i in range(max(64, 4 * len(keys)))}
        out.update(k for k in keys if k[1] in known)
    return out

