"""The detector contract.

A detector is one small, self-documenting unit. Its class docstring has four sections —
*What it finds*, *Why it matters*, *Example* (before/after) and *Known false positives* —
and ``audit explain RULE`` prints exactly that. Class constants give its rule name,
category, default severity and whether it proposes repairs; the CLI and config reuse them.

Document detectors see one :class:`~audit.document.Document` at a time and yield
:class:`~audit.findings.Finding` records. Corpus detectors (:class:`CorpusDetector`) run
as a second stage over the *observations* the first stage emits (name mentions,
quotations …), so they work the same on one machine and on a cluster.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Iterator

from ..document import Document
from ..findings import CATEGORIES, SEVERITIES, Finding


@dataclass
class Observation:
    """A fact a document detector records for the corpus stage (not a finding)."""

    doc: str
    kind: str  # e.g. "name-mention", "quotation"
    start: int
    end: int
    text: str
    key: str  # the grouping key (entity id, speaker, transliteration key …)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What a detector may consult besides the document: configuration and shared data.

    Built once per worker process; anything expensive (lexicons, language models) is
    loaded lazily through it and cached.
    """

    config: Any = None  # audit.config.Config
    cache: dict[str, Any] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)

    def shared(self, key: str, factory):
        """Return ``cache[key]``, building it with ``factory()`` the first time."""
        if key not in self.cache:
            self.cache[key] = factory()
        return self.cache[key]

    def observe(self, obs: Observation) -> None:
        self.observations.append(obs)


class Detector:
    """Base class of document detectors."""

    name: ClassVar[str] = ""
    category: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    #: Whether findings carry a suggestion that ``audit normalise`` may apply.
    fixable: ClassVar[bool] = False
    #: Repairs safe enough to apply by default in ``audit normalise``.
    safe_fix: ClassVar[bool] = False
    #: stable / preview / deprecated
    maturity: ClassVar[str] = "stable"
    #: Whether the detector runs when no rule selection is given.
    default_enabled: ClassVar[bool] = True

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.name:
            assert cls.category in CATEGORIES, f"{cls.name}: unknown category {cls.category}"
            assert cls.severity in SEVERITIES, f"{cls.name}: unknown severity {cls.severity}"

    def could_fire(self, doc: Document) -> bool:
        """A cheap prescreen: ``False`` only when :meth:`find` cannot yield anything here.

        The engine calls it before :meth:`find` and skips the detector when it says no, so
        a rule that needs, say, a non-ASCII character or a Cyrillic letter costs one C-level
        scan (``str.isascii()`` is free on ASCII text) instead of a pass of its own. It must
        never change results: return ``True`` whenever in doubt. The default always runs.
        """
        return True

    def find(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------------
    def flag(
        self,
        doc: Document,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        confidence: float = 1.0,
        severity: str | None = None,
        rule: str | None = None,
        **evidence: Any,
    ) -> Finding:
        """Build a finding on ``doc.text[start:end]`` with exact line and column."""
        line, column = doc.line_col(start)
        return Finding(
            doc=doc.id,
            rule=rule or self.name,
            category=self.category,
            severity=severity or self.severity,
            start=start,
            end=end,
            line=line,
            column=column,
            text=doc.text[start:end],
            message=message,
            suggestion=suggestion,
            confidence=confidence,
            evidence={k: v for k, v in evidence.items() if v is not None},
        )

    # -- documentation -------------------------------------------------------------------
    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return (inspect.getdoc(cls) or "").strip().splitlines()[0]

    @classmethod
    def explain(cls) -> str:
        """The full documentation, as ``audit explain`` prints it."""
        head = (
            f"{cls.name}  (category: {cls.category}, default severity: {cls.severity}, "
            f"fixable: {'yes' if cls.fixable else 'no'}, {cls.maturity})"
        )
        return head + "\n\n" + (inspect.getdoc(cls) or "")


class CorpusDetector(Detector):
    """Base class of cross-document detectors: they read observations, not documents.

    ``find_corpus`` receives every observation of the kinds in ``consumes`` (sorted by
    document and offset) plus the texts' line/column lookup, and yields findings.
    """

    consumes: ClassVar[tuple[str, ...]] = ()
    #: True when ``find_corpus`` groups observations by ``key`` and never looks across keys:
    #: then the corpus stage may run it on key partitions of a corpus too large for memory
    #: (:mod:`audit.spill`) and gets the same findings.
    key_local: ClassVar[bool] = False

    def find(self, doc: Document, ctx: Context) -> Iterator[Finding]:  # pragma: no cover
        return iter(())

    def find_corpus(self, observations: list[Observation], ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def flag_observation(
        self, obs: Observation, message: str, suggestion: str | None = None,
        confidence: float = 1.0, severity: str | None = None, **evidence: Any,
    ) -> Finding:
        """A finding on an observation's span (line/column travel in ``obs.data``)."""
        return Finding(
            doc=obs.doc, rule=self.name, category=self.category,
            severity=severity or self.severity, start=obs.start, end=obs.end,
            line=obs.data.get("line", 0), column=obs.data.get("column", 0), text=obs.text,
            message=message, suggestion=suggestion, confidence=confidence,
            evidence={k: v for k, v in evidence.items() if v is not None},
        )
