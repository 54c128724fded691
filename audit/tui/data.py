"""The state of a review session, with no textual import.

A :class:`ReviewSession` holds the documents and their findings (added batch by batch while
the check streams in), the standing decision per finding (read from and appended to the
decisions file at once, keyed by ``(document, fingerprint)`` so they survive a re-run), the
rules a reviewer chose to ignore for a document, the current filter and the undo stack.
The app only draws it; everything an editor can do is a method here, and tests drive it
directly.

With references (``audit review --ref FILE``, an :class:`audit.score.References`), every
document gets the chrF of its segments (:attr:`DocEntry.scores`), :meth:`ReviewSession.segment`
gives the segment a finding falls in, and the findings can be listed worst segment first
(:meth:`ReviewSession.set_finding_order`) and the documents by their worst segment (sort
``chrf``).

>>> import tempfile, pathlib
>>> from audit import Document, audit_text
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> doc = Document("a.txt", "Erdo\\u200bgan met  Blinken.", lang="en")
>>> found = audit_text(doc.text, lang="en", select=["invisible-character", "whitespace"], doc_id="a.txt")
>>> s = ReviewSession(tmp / "decisions.jsonl")
>>> entry, = s.add([doc], found)
>>> [f.rule for f in s.visible(entry)]
['invisible-character', 'whitespace']
>>> s.decide(s.visible(entry)[:1], "accept"), s.progress()
(1, (1, 2))
>>> first = s.visible(entry)[0]
>>> ReviewSession(tmp / "decisions.jsonl").decisions[(first.doc, first.fingerprint)].decision
'accept'
>>> s.undo(), s.progress()
(1, (0, 2))
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..decisions import Decision, append_decisions, read_decisions
from ..document import Document
from ..findings import CATEGORIES, SEVERITIES, SEVERITY_RANK, Finding

if TYPE_CHECKING:
    from ..score import DocumentScores, References, SegmentScore

OPEN = "open"
IGNORED = "ignored"
#: What a finding can be, as the app shows it.
STATUSES = (OPEN, "accept", "edit", "reject", IGNORED)
#: Where a reviewer's own name renderings go unless ``--lexicon`` names a file.
DEFAULT_LEXICON = Path("lexicons") / "local.csv"
#: Why applying the decisions leaves a finding's text as it is (:meth:`ReviewSession.report_only`).
CROSS_DOCUMENT = "a cross-document finding: change the text by hand"
NO_REPAIR = "no repair proposed"
#: Orders of a document's findings: by position in the text, or worst segment (chrF) first.
FINDING_ORDERS = {"text": "text order", "chrf": "worst segment first"}


def default_decisions_path(paths: Iterable[str]) -> Path:
    """``.audit/decisions.jsonl`` beside the corpus: inside a directory given as input, else
    next to the first input file (the reader skips hidden directories, so it is never read
    as part of the corpus); the current directory for stdin."""
    for given in paths:
        if given == "-":
            continue
        p = Path(given)
        base = p if p.is_dir() else p.parent
        return base / ".audit" / "decisions.jsonl"
    return Path(".audit") / "decisions.jsonl"


# -- filters ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FindingFilter:
    """Which findings the views show. Empty sets mean "all"."""

    categories: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    min_confidence: float = 0.0
    #: Show only findings nobody has decided yet.
    open_only: bool = False

    def matches(self, f: Finding) -> bool:
        return (
            (not self.categories or f.category in self.categories)
            and (not self.rules or f.rule in self.rules)
            and (not self.severities or f.severity in self.severities)
            and f.confidence >= self.min_confidence
        )

    @property
    def active(self) -> bool:
        return self != FindingFilter()

    def describe(self) -> str:
        """One short line for the status bar; empty when nothing is filtered."""
        parts = []
        for label, values in (("category", self.categories), ("rule", self.rules), ("severity", self.severities)):
            if values:
                parts.append(f"{label}={','.join(sorted(values))}")
        if self.min_confidence > 0:
            parts.append(f"confidence>={self.min_confidence:g}")
        if self.open_only:
            parts.append("open only")
        return " ".join(parts)


# -- documents ---------------------------------------------------------------------------------
@dataclass
class Counts:
    total: int = 0
    open: int = 0
    by_category: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)


@dataclass(eq=False)
class DocEntry:
    doc: Document
    #: every finding of the document, ordered by offset
    findings: list[Finding]
    #: load order (the corpus order)
    position: int
    #: the chrF of its segments against the references (None: no --ref, or none lines up)
    scores: DocumentScores | None = None
    _visible: list[Finding] | None = None
    _counts: Counts | None = None

    @property
    def id(self) -> str:
        return self.doc.id

    def invalidate(self) -> None:
        self._visible = None
        self._counts = None


#: Sort keys of the corpus view: name -> (label, key function of (entry, counts)).
SORT_KEYS: dict[str, tuple[str, Callable[[DocEntry, Counts], Any]]] = {
    "position": ("corpus order", lambda e, c: e.position),
    "doc": ("document", lambda e, c: e.id),
    "open": ("open findings", lambda e, c: (-c.open, e.position)),
    "total": ("findings", lambda e, c: (-c.total, e.position)),
    "severity": ("severity", lambda e, c: tuple(-c.by_severity[s] for s in SEVERITIES) + (e.position,)),
    **{cat: (cat, (lambda cat: lambda e, c: (-c.by_category[cat], e.position))(cat)) for cat in CATEGORIES},
    # worst segment first; documents without a score last
    "chrf": ("worst segment chrF", lambda e, c: (_worst(e), e.position)),
}


def _worst(entry: DocEntry) -> float:
    worst = entry.scores.worst if entry.scores is not None else None
    return float("inf") if worst is None else worst


@dataclass
class _Change:
    """One reversible step inside an undo group."""

    kind: str  # "decision" or "ignore"
    key: tuple[str, str]  # (doc, fingerprint) or (doc, rule)
    previous: Decision | None = None
    finding: Finding | None = None


@dataclass
class ApplyReport:
    """What applying the decisions wrote."""

    out_dir: Path
    summary: str
    manifest: Path | None
    #: the edit records of the manifest: doc, start, end, before, after, rule …
    edits: list[dict]


class ReviewError(Exception):
    """Something the reviewer asked for cannot be done (shown in the app, never a crash)."""


class ReviewSession:
    """Documents, findings and decisions of one review."""

    def __init__(self, decisions_path: Path, lexicon_path: Path | None = None,
                 references: References | None = None):
        self.decisions_path = Path(decisions_path)
        self.ignores_path = self.decisions_path.with_name("ignored-rules.jsonl")
        self.lexicon_path = Path(lexicon_path) if lexicon_path else DEFAULT_LEXICON
        self.decisions: dict[tuple[str, str], Decision] = read_decisions(self.decisions_path)
        self.ignored: set[tuple[str, str]] = _read_ignores(self.ignores_path)
        self.entries: list[DocEntry] = []
        self._by_id: dict[str, DocEntry] = {}
        self.filter = FindingFilter()
        self.rules = Counter()
        self.categories = Counter()
        self._undo: list[list[_Change]] = []
        #: the findings the last :meth:`undo` gave back (the app moves the cursor to them)
        self.last_undone: list[Finding] = []
        self._progress: tuple[int, int] | None = None
        #: documents read (with or without findings) and input errors, for the status line
        self.documents_read = 0
        self.errors: list[str] = []
        self.finished = False
        #: (paths, config) the corpus was read with; what applying the decisions re-reads
        self.source: tuple[list[str], Any] | None = None
        #: the --ref files, if any; without them nothing below changes the session
        self.references = references
        #: one line per reference that does not line up with the documents
        self.reference_problems: list[str] = []
        #: "text" or "chrf" (worst segment first); see FINDING_ORDERS
        self.finding_order = "text"
        #: keys of the cross-document findings (the corpus stage's, :meth:`add_findings`)
        self.cross_document: set[tuple[str, str]] = set()

    # -- loading ---------------------------------------------------------------------------
    def add(self, docs: Iterable[Document], findings: Iterable[Finding],
            scores: dict[str, tuple[DocumentScores | None, str | None]] | None = None) -> list[DocEntry]:
        """Add documents and their findings (one batch of the check); returns new entries.

        With references, each new document is scored here unless ``scores`` (from
        :meth:`score_batch`, computed off the app's thread) already has it.
        """
        by_doc: dict[str, list[Finding]] = {}
        for f in findings:
            by_doc.setdefault(f.doc, []).append(f)
        new = []
        for doc in docs:
            self.documents_read += 1
            found = by_doc.pop(doc.id, [])
            if doc.id in self._by_id:  # the same id twice: keep the first, as reports do
                continue
            entry = DocEntry(doc, sorted(found, key=_order), len(self.entries))
            if self.references is not None:
                got = scores.get(doc.id) if scores is not None else None
                entry.scores, problem = got if got is not None else self.references.score(doc)
                if problem:
                    self.reference_problems.append(problem)
            self.entries.append(entry)
            self._by_id[doc.id] = entry
            self._count(found)
            new.append(entry)
        self._progress = None
        for rest in by_doc.values():  # findings of documents added earlier (corpus stage)
            self.add_findings(rest)
        return new

    def add_findings(self, findings: Iterable[Finding], cross_document: bool = True) -> None:
        """Findings of documents already added: the corpus stage's, which are cross-document
        (:meth:`is_cross_document`) unless ``cross_document`` is False."""
        touched = set()
        for f in findings:
            entry = self._by_id.get(f.doc)
            if entry is None:
                continue
            if cross_document:
                self.cross_document.add(self.key(f))
            entry.findings.append(f)
            touched.add(entry)
            self._count([f])
        for entry in touched:
            entry.findings.sort(key=_order)
            entry.invalidate()
        self._progress = None

    def _count(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.rules[f.rule] += 1
            self.categories[f.category] += 1

    def entry(self, doc_id: str) -> DocEntry:
        return self._by_id[doc_id]

    # -- references ------------------------------------------------------------------------
    def score_batch(self, docs: Iterable[Document]) -> dict[str, tuple[DocumentScores | None, str | None]]:
        """The scores of a batch of documents, for :meth:`add`; reads nothing of the session
        but the references, so the loader thread can run it."""
        if self.references is None:
            return {}
        return {doc.id: self.references.score(doc) for doc in docs}

    def finish_references(self) -> list[str]:
        """Once every document is in: add what the references did not match to
        :attr:`reference_problems`; returns every problem."""
        if self.references is not None:
            self.reference_problems.extend(self.references.unmatched(e.doc for e in self.entries))
        return self.reference_problems

    def scored_documents(self) -> int:
        """How many documents have at least one scored segment."""
        return sum(1 for e in self.entries if e.scores is not None and e.scores.worst is not None)

    def segment(self, f: Finding) -> SegmentScore | None:
        """The scored segment the finding starts in (None without a reference for it)."""
        entry = self._by_id.get(f.doc)
        if entry is None or entry.scores is None:
            return None
        return entry.scores.at(f.start)

    def set_finding_order(self, order: str) -> None:
        """List each document's findings in ``order`` (a key of FINDING_ORDERS): by position,
        or worst segment first (findings of one segment in text order; unscored ones last)."""
        if order not in FINDING_ORDERS:
            raise ValueError(f"unknown finding order {order!r}")
        self.finding_order = order
        for e in self.entries:
            e.invalidate()

    def __len__(self) -> int:
        return len(self.entries)

    # -- what the views show ---------------------------------------------------------------
    @staticmethod
    def key(f: Finding) -> tuple[str, str]:
        return (f.doc, f.fingerprint)

    def status(self, f: Finding) -> str:
        if (f.doc, f.rule) in self.ignored:
            return IGNORED
        d = self.decisions.get((f.doc, f.fingerprint))
        return d.decision if d else OPEN

    def replacement(self, f: Finding) -> str | None:
        """What applying the finding would write: the reviewer's edit, else the suggestion."""
        d = self.decisions.get((f.doc, f.fingerprint))
        if d is not None and d.decision in ("accept", "edit") and d.replacement is not None:
            return d.replacement
        return f.suggestion

    def is_cross_document(self, f: Finding) -> bool:
        """Whether ``f`` came from the corpus stage (it compares documents: name-corpus-inconsistent,
        retranslated-quote, the corpus half of homoglyph-designation …). ``audit normalise
        --decisions`` re-runs detection one document at a time, so it never applies these."""
        return (f.doc, f.fingerprint) in self.cross_document

    def report_only(self, f: Finding, decision: str = "accept") -> str | None:
        """Why ``audit normalise --decisions`` would leave the text as it is when ``f`` gets
        ``decision`` (accept or edit) — a short reason — or None when it would apply it."""
        if self.is_cross_document(f):
            return CROSS_DOCUMENT
        if decision == "accept" and f.suggestion is None:
            return NO_REPAIR
        return None

    def applies(self, f: Finding) -> bool:
        """Whether applying the decisions (``W``, ``audit normalise --decisions``) changes the text
        for ``f``: accepted with a suggestion or edited, and not cross-document."""
        d = self.decisions.get((f.doc, f.fingerprint))
        return d is not None and d.applies and not self.is_cross_document(f)

    def report_only_decided(self) -> int:
        """Accepted or edited findings that applying the decisions will not change (see
        :meth:`report_only`)."""
        return sum(1 for e in self.entries for f in e.findings
                   if (d := self.decisions.get((f.doc, f.fingerprint))) is not None
                   and d.decision in ("accept", "edit") and self.report_only(f, d.decision) is not None)

    def set_filter(self, flt: FindingFilter) -> None:
        self.filter = flt
        self._progress = None
        for e in self.entries:
            e.invalidate()

    def visible(self, entry: DocEntry) -> list[Finding]:
        """The document's findings that pass the filter and whose rule is not ignored there."""
        if entry._visible is None:
            flt = self.filter
            entry._visible = [
                f for f in entry.findings
                if flt.matches(f) and (entry.id, f.rule) not in self.ignored
                and (not flt.open_only or self.status(f) == OPEN)
            ]
            if self.finding_order == "chrf" and entry.scores is not None:
                scores = entry.scores
                entry._visible.sort(key=lambda f: _chrf_key(scores.at(f.start)))  # stable: text order within
        return entry._visible

    def counts(self, entry: DocEntry) -> Counts:
        if entry._counts is None:
            c = Counts()
            for f in self.visible(entry):
                c.total += 1
                c.open += self.status(f) == OPEN
                c.by_category[f.category] += 1
                c.by_severity[f.severity] += 1
            entry._counts = c
        return entry._counts

    def documents(self, sort: str = "position", reverse: bool = False, search: str = "") -> list[DocEntry]:
        """Documents with at least one visible finding, sorted, optionally matching ``search``."""
        label, keyfunc = SORT_KEYS[sort]
        needle = search.casefold()
        rows = [e for e in self.entries if self.counts(e).total and (not needle or needle in e.id.casefold())]
        rows.sort(key=lambda e: keyfunc(e, self.counts(e)), reverse=reverse)
        return rows

    def first_open(self, entry: DocEntry) -> int:
        """Index (in :meth:`visible`) of the first undecided finding, else 0."""
        for i, f in enumerate(self.visible(entry)):
            if self.status(f) == OPEN:
                return i
        return 0

    def progress(self) -> tuple[int, int]:
        """(decided, total) over the visible findings of the corpus."""
        if self._progress is None:
            total = decided = 0
            for e in self.entries:
                c = self.counts(e)
                total += c.total
                decided += c.total - c.open
            self._progress = (decided, total)
        return self._progress

    def category_totals(self) -> Counter:
        out: Counter = Counter()
        for e in self.entries:
            out.update(self.counts(e).by_category)
        return out

    # -- decisions ------------------------------------------------------------------------
    def decide(self, findings: Iterable[Finding], decision: str, replacement: str | None = None) -> int:
        """Record ``accept`` / ``reject`` / ``edit`` for findings, as one undoable step.

        The decisions are appended to the decisions file (one flush to disk for the step)
        before this returns.
        Findings already standing at the same decision are left alone. Returns how many
        changed.
        """
        if decision not in ("accept", "reject", "edit"):
            raise ValueError(f"unknown decision {decision!r}")
        if decision == "edit" and replacement is None:
            raise ValueError("an edit needs a replacement")
        group: list[_Change] = []
        written: list[Decision] = []
        for f in findings:
            key = self.key(f)
            new_repl = replacement if decision == "edit" else (f.suggestion if decision == "accept" else None)
            prev = self.decisions.get(key)
            if prev is not None and prev.decision == decision and prev.replacement == new_repl:
                continue
            written.append(Decision(doc=f.doc, fingerprint=f.fingerprint, rule=f.rule, start=f.start, end=f.end,
                                    text=f.text, decision=decision, replacement=new_repl))
            group.append(_Change("decision", key, prev, f))
        append_decisions(self.decisions_path, written)  # on disk before memory changes
        for change, d in zip(group, written):
            self.decisions[change.key] = d
        self._commit(group)
        return len(group)

    def bulk_targets(self, rule: str, entry: DocEntry | None) -> list[Finding]:
        """Visible findings of ``rule`` in one document, or in the corpus when ``entry`` is None."""
        entries = [entry] if entry is not None else self.entries
        return [f for e in entries for f in self.visible(e) if f.rule == rule]

    def ignore_rule(self, entry: DocEntry, rule: str) -> int:
        """Hide ``rule`` in this document and reject its findings there (one undoable step)."""
        key = (entry.id, rule)
        if key in self.ignored:
            return 0
        group: list[_Change] = []
        written: list[Decision] = []
        for f in entry.findings:
            if f.rule != rule:
                continue
            prev = self.decisions.get(self.key(f))
            if prev is not None and prev.decision == "reject":
                continue
            written.append(Decision(doc=f.doc, fingerprint=f.fingerprint, rule=f.rule, start=f.start, end=f.end,
                                    text=f.text, decision="reject"))
            group.append(_Change("decision", self.key(f), prev, f))
        append_decisions(self.decisions_path, written)
        for change, d in zip(group, written):
            self.decisions[change.key] = d
        _append_json(self.ignores_path, {"doc": entry.id, "rule": rule, "ignored": True})
        self.ignored.add(key)
        group.append(_Change("ignore", key))
        self._commit(group)
        return len(group) - 1

    def _commit(self, group: list[_Change]) -> None:
        if not group:
            return
        self._undo.append(group)
        self._invalidate(group)

    def _invalidate(self, group: list[_Change]) -> None:
        self._progress = None
        for doc_id in {c.key[0] for c in group}:
            if doc_id in self._by_id:
                self._by_id[doc_id].invalidate()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> int:
        """Undo the last step of this session; returns how many findings it touched (0: nothing to undo).

        The decisions file gets an ``undo`` line per finding, which restores the decision
        that stood before (``read_decisions`` replays it the same way).
        """
        if not self._undo:
            return 0
        group = self._undo.pop()
        touched = 0
        self.last_undone = [c.finding for c in group if c.finding is not None]
        append_decisions(self.decisions_path, [
            Decision(doc=f.doc, fingerprint=f.fingerprint, rule=f.rule, start=f.start, end=f.end, text=f.text,
                     decision="undo") for f in self.last_undone])
        for change in reversed(group):
            if change.kind == "ignore":
                _append_json(self.ignores_path, {"doc": change.key[0], "rule": change.key[1], "ignored": False})
                self.ignored.discard(change.key)
                continue
            if change.previous is None:
                self.decisions.pop(change.key, None)
            else:
                self.decisions[change.key] = change.previous
            touched += 1
        self._invalidate(group)
        return touched or 1

    def decided_counts(self) -> Counter:
        """Standing decisions by kind, over the loaded findings."""
        out: Counter = Counter()
        for e in self.entries:
            for f in e.findings:
                out[self.status(f)] += 1
        return out

    # -- applying ---------------------------------------------------------------------------
    def applicable(self) -> list[DocEntry]:
        """Documents with at least one decision that applying changes the text for (:meth:`applies`)."""
        return [e for e in self.entries if any(self.applies(f) for f in e.findings)]

    def apply(self, out_dir: Path, force: bool = False) -> ApplyReport:
        """Write the corpus with the accepted and edited decisions applied under ``out_dir``.

        This is ``audit normalise PATH… --decisions FILE --out DIR`` (the same function):
        the output keeps the input's layout and formats, a manifest lists every change,
        inputs are never overwritten and a non-empty ``out_dir`` is refused unless ``force``.
        """
        from ..normalise import NormaliseError, NormaliseOptions, normalise

        if self.source is None:
            raise ReviewError("this session was not opened on input paths: nothing to normalise")
        paths, config = self.source
        options = NormaliseOptions(out=Path(out_dir), force=force, jobs=config.jobs,
                                   decisions=dict(self.decisions), decisions_path=str(self.decisions_path))
        try:
            # stdout only serves stdin input (refused by `audit review`); inside the app,
            # sys.stdout is textual's capture, which has no binary buffer
            report = normalise(list(paths), config, options, stdout=io.BytesIO())
        except NormaliseError as exc:
            raise ReviewError(str(exc)) from None
        return ApplyReport(Path(out_dir), report.line(), report.manifest, _manifest_edits(report.manifest))

    # -- lexicon -------------------------------------------------------------------------------
    def suggest_rendering(self, f: Finding) -> dict[str, str]:
        """A lexicon row prefilled from a finding (names findings carry the entity in evidence)."""
        ev = f.evidence or {}
        entity = ev.get("entity") or ev.get("entity_id") or ev.get("id") or ""
        if isinstance(entity, dict):
            entity = entity.get("id", "")
        etype = ev.get("type") or ev.get("entity_type") or "person"
        doc = self._by_id.get(f.doc)
        lang = (ev.get("lang") or (doc.doc.lang if doc else None) or "en")[:2]
        return {"id": str(entity) or slug(f.suggestion or f.text), "type": str(etype), "lang": str(lang),
                "form": f.text, "status": "accepted"}

    def add_rendering(self, row: dict[str, str], path: Path | None = None) -> Path:
        """Append one ``id,type,lang,form,status`` row to the reviewer's lexicon file."""
        return append_lexicon_row(path or self.lexicon_path, row)


def _order(f: Finding) -> tuple:
    return (f.start, f.end, -SEVERITY_RANK.get(f.severity, 0), f.rule)


def _chrf_key(seg: SegmentScore | None) -> float:
    return float("inf") if seg is None else seg.chrf


# -- files ---------------------------------------------------------------------------------------
def _append_json(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _read_ignores(path: Path) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    if not path.exists():
        return out
    for raw in path.read_text("utf-8").splitlines():
        try:
            rec = json.loads(raw)
            key = (rec["doc"], rec["rule"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
        (out.add if rec.get("ignored", True) else out.discard)(key)
    return out


def _manifest_edits(manifest: Path | None) -> list[dict]:
    if manifest is None or not Path(manifest).exists() or Path(manifest).suffix != ".jsonl":
        return []
    out = []
    for raw in Path(manifest).read_text("utf-8").splitlines():
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if rec.get("kind") == "edit":
            out.append(rec)
    return out


def slug(text: str) -> str:
    """A lexicon id from a name: ``İbrahim Kalın`` -> ``ibrahim-kalin``."""
    from anyascii import anyascii

    s = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    if not s or not s[0].isalpha():
        s = "n-" + s if s else "name"
    return s


def append_lexicon_row(path: Path, row: dict[str, str]) -> Path:
    """Validate and append a names-lexicon row (columns of ``lexicons/README.md``)."""
    from ..lexicon.data import COLUMNS, ID_PATTERN, LANG_PATTERN, STATUSES, TYPES

    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    if not ID_PATTERN.fullmatch(values["id"]):
        raise ReviewError(f"id {values['id']!r}: lower-case letters, digits and hyphens, starting with a letter")
    if values["type"] not in TYPES:
        raise ReviewError(f"type {values['type']!r}: one of {', '.join(TYPES)}")
    if not LANG_PATTERN.fullmatch(values["lang"]):
        raise ReviewError(f"lang {values['lang']!r}: a two-letter ISO 639-1 code")
    if values["status"] not in STATUSES:
        raise ReviewError(f"status {values['status']!r}: one of {', '.join(STATUSES)}")
    if not values["form"]:
        raise ReviewError("form is empty")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with open(path, "a+", encoding="utf-8", newline="") as fh:
        if not new:
            fh.seek(fh.tell() - 1)
            if fh.read(1) != "\n":
                fh.write("\n")
        writer = csv.writer(fh, lineterminator="\n")
        if new:
            writer.writerow(COLUMNS)
        writer.writerow([values[c] for c in COLUMNS])
        fh.flush()
        os.fsync(fh.fileno())
    return path


# -- search ------------------------------------------------------------------------------------
def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of ``query`` as (start, end) offsets into ``text``."""
    if not query:
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


# -- the check, streamed ---------------------------------------------------------------------------
def stream_check(paths: list[str], config, on_batch: Callable[[list[Document], list[Finding]], None],
                 on_error: Callable[[str], None], cancelled: Callable[[], bool] = lambda: False) -> None:
    """Run ``audit check``'s pipeline, handing each batch of documents and findings over as it
    arrives, then the corpus-stage findings (with an empty document list)."""
    from collections import deque

    from ..cli.common import read_documents
    from ..engine import corpus_stage, run_batches
    from ..inputs import InputError, Tally

    def documents() -> Iterator[Document]:
        for item in read_documents(paths, config, Tally()):  # --source texts attached, as audit check does
            if isinstance(item, InputError):
                on_error(str(item))
            else:
                yield item

    in_flight: deque[list[Document]] = deque()
    observations = []
    for result in run_batches(documents(), config, config.jobs, on_batch=in_flight.append):
        batch = in_flight.popleft()
        for doc_id, rule, message in result.failures:
            on_error(f"{doc_id}: rule {rule} failed ({message}); other rules ran")
        observations.extend(result.observations)
        on_batch(batch, result.findings)
        if cancelled():
            return
    on_batch([], corpus_stage(observations, config))


__all__ = [
    "ApplyReport", "CROSS_DOCUMENT", "Counts", "DocEntry", "FINDING_ORDERS", "FindingFilter", "NO_REPAIR", "ReviewError",
    "ReviewSession", "SORT_KEYS", "STATUSES", "append_lexicon_row", "default_decisions_path", "find_all", "slug", "stream_check",
]
