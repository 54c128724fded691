"""Translation scores with sacrebleu: corpus BLEU, chrF and TER, and per-segment chrF.

``audit score --hyp FILE --ref FILE…`` is a thin layer over this module. Segments are
aligned by line (plain text) or by an id column (JSONL/CSV/Parquet); misaligned inputs
raise :class:`ScoreInputError` with a message that says what does not line up.

Every corpus score carries sacrebleu's signature (``nrefs:1|case:mixed|eff:no|tok:13a|
smooth:exp|version:2.6.0``) so a number can be reproduced. Only offline tokenizers are
used (13a for BLEU; chrF and TER need none). Sentence-level BLEU is not meaningful, so
segments are scored with chrF.

:class:`PairwiseChrF` is the passage-similarity helper the consistency rules share: one
``CHRF()`` object, n-gram statistics cached per text, and the same numbers as
``CHRF().sentence_score``.

>>> sim = PairwiseChrF()
>>> round(sim.score("the issue is closed", "the issue is closed"), 1)
100.0
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from sacrebleu.metrics import BLEU, CHRF, TER

TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")


class ScoreInputError(ValueError):
    """Inputs that cannot be scored: unreadable, misaligned, or missing a column."""


# -- passage similarity ------------------------------------------------------------------------
class PairwiseChrF:
    """chrF between many pairs of short passages, reusing one metric and its n-gram counts.

    ``score(hyp, ref)`` equals ``CHRF().sentence_score(hyp, [ref]).score``;
    ``similarity(a, b)`` is the larger of both directions, so a passage that is a shorter
    excerpt of the other (``It’s no secret that we have differences`` within the full
    sentence) still scores high: chrF weighs recall twice as much as precision.
    """

    def __init__(self, max_cached: int = 4096):
        self.metric = CHRF()
        self._cache: dict[str, list] = {}
        self._max = max_cached

    def ngrams(self, text: str) -> list:
        """sacrebleu's character and word n-gram counters of ``text`` with their totals, cached."""
        got = self._cache.get(text)
        if got is None:
            if len(self._cache) >= self._max:
                self._cache.clear()
            counters = self.metric._extract_reference_info([text])["ref_ngrams"][0]
            got = [(c, sum(c.values())) for c in counters]
            self._cache[text] = got
        return got

    def _stats(self, a: str, b: str) -> tuple[list[int], list[int]]:
        """Match statistics of (hyp a, ref b) and of (hyp b, ref a) in one pass: matches are
        symmetric, only the hypothesis and reference totals swap."""
        ab: list[int] = []
        ba: list[int] = []
        for (ca, na), (cb, nb) in zip(self.ngrams(a), self.ngrams(b)):
            small, large = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
            match = 0
            for ng, count in small.items():
                other = large.get(ng)
                if other:
                    match += count if count < other else other
            ab.extend((na if cb else 0, nb, match))
            ba.extend((nb if ca else 0, na, match))
        return ab, ba

    def score(self, hyp: str, ref: str) -> float:
        """chrF of ``hyp`` against ``ref`` (= ``CHRF().sentence_score(hyp, [ref]).score``)."""
        return self.metric._compute_f_score(self._stats(hyp, ref)[0])

    def similarity(self, a: str, b: str) -> float:
        """The larger chrF of both directions."""
        if a == b:
            return 100.0
        ab, ba = self._stats(a, b)
        return max(self.metric._compute_f_score(ab), self.metric._compute_f_score(ba))


# -- reading and aligning segments -------------------------------------------------------------
@dataclass
class Segments:
    """One input file's segments: ids (line numbers or the id column) and texts."""

    path: str
    ids: list[str]
    texts: list[str]


def read_segments(path: str | Path, id_column: str | None = None, text_column: str = "text") -> Segments:
    """Segments of a plain-text file (one per line) or a JSONL/CSV/Parquet table."""
    import polars as pl

    p = Path(path)
    if not p.is_file():
        raise ScoreInputError(f"{path}: no such file")
    suffix = p.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        if id_column:
            raise ScoreInputError(f"{path}: --id-column needs a JSONL, CSV or Parquet file")
        try:
            text = p.read_text("utf-8")
        except UnicodeDecodeError as exc:
            raise ScoreInputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        lines = [line.rstrip("\r") for line in lines]
        return Segments(str(path), [str(i) for i in range(1, len(lines) + 1)], lines)
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(p)
        elif suffix == ".csv":
            frame = pl.read_csv(p, infer_schema=False)
        else:
            frame = pl.read_ndjson(p, infer_schema_length=None)
    except Exception as exc:  # polars raises several error types for broken files
        raise ScoreInputError(f"{path}: cannot read ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None
    for col, flag in ((text_column, "--text-column"), (id_column, "--id-column")):
        if col and col not in frame.columns:
            raise ScoreInputError(f"{path}: no column {col!r} (use {flag}; columns: {', '.join(frame.columns)})")
    texts = [t if t is not None else "" for t in frame.get_column(text_column).cast(pl.String).to_list()]
    if id_column:
        ids = frame.get_column(id_column).cast(pl.String).to_list()
        if any(i is None for i in ids):
            raise ScoreInputError(f"{path}: empty value in id column {id_column!r}")
        dupes = frame.get_column(id_column).cast(pl.String).is_duplicated()
        if dupes.any():
            raise ScoreInputError(f"{path}: duplicate id {ids[dupes.arg_true()[0]]!r} in column {id_column!r}")
    else:
        ids = [str(i) for i in range(1, len(texts) + 1)]
    return Segments(str(path), ids, texts)


def align(hyp: Segments, refs: Sequence[Segments], by_id: bool) -> tuple[list[str], list[str], list[list[str]]]:
    """(ids, hypotheses, reference streams) in the hypothesis order; raises on misalignment."""
    if not refs:
        raise ScoreInputError("give at least one reference (--ref FILE)")
    streams = []
    for ref in refs:
        if not by_id:
            if len(ref.texts) != len(hyp.texts):
                raise ScoreInputError(f"{ref.path} has {len(ref.texts)} segments but {hyp.path} has "
                                      f"{len(hyp.texts)}: line-aligned inputs must have the same number of lines")
            streams.append(list(ref.texts))
            continue
        by = dict(zip(ref.ids, ref.texts))
        missing = [i for i in hyp.ids if i not in by]
        extra = sorted(set(ref.ids) - set(hyp.ids))
        if missing or extra:
            what = []
            if missing:
                what.append(f"{len(missing)} hypothesis id(s) missing from it (first: {missing[0]!r})")
            if extra:
                what.append(f"{len(extra)} id(s) not in the hypothesis (first: {extra[0]!r})")
            raise ScoreInputError(f"{ref.path}: " + "; ".join(what))
        streams.append([by[i] for i in hyp.ids])
    if not hyp.texts:
        raise ScoreInputError(f"{hyp.path}: no segments")
    return list(hyp.ids), list(hyp.texts), streams


# -- scores ------------------------------------------------------------------------------------
@dataclass
class SegmentScore:
    id: str
    chrf: float
    hyp: str
    refs: list[str]


@dataclass
class ScoreReport:
    segments: int
    nrefs: int
    scores: dict[str, dict[str, Any]]  # metric -> {score, signature, text}
    worst: list[SegmentScore] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "segments": self.segments,
            "nrefs": self.nrefs,
            "scores": self.scores,
            "worst": [{"id": s.id, "chrf": round(s.chrf, 2), "hyp": s.hyp, "refs": s.refs} for s in self.worst],
        }

    def as_text(self) -> str:
        lines = [f"{self.segments} segments, {self.nrefs} reference(s)"]
        for name, s in self.scores.items():
            lines.append(f"{name:5s} {s['score']:6.2f}  {s['signature']}")
        if self.worst:
            lines.append("")
            lines.append(f"worst segments by chrF ({len(self.worst)}):")
            for seg in self.worst:
                lines.append(f"  {seg.id:>8s}  {seg.chrf:6.2f}  {_clip(seg.hyp)}")
                for ref in seg.refs:
                    lines.append(f"  {'':>8s}  {'ref':>6s}  {_clip(ref)}")
        return "\n".join(lines)


def _clip(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def corpus_scores(hyps: list[str], streams: list[list[str]]) -> dict[str, dict[str, Any]]:
    """Corpus BLEU, chrF and TER with sacrebleu's signatures."""
    out = {}
    for name, metric in (("BLEU", BLEU()), ("chrF", CHRF()), ("TER", TER())):
        result = metric.corpus_score(hyps, streams)
        out[name] = {"score": result.score, "signature": str(metric.get_signature()), "text": str(result)}
    return out


def segment_scores(hyps: Sequence[str], streams: Sequence[Sequence[str]], ids: Sequence[str] | None = None,
                   worst_first: bool = True) -> list[SegmentScore]:
    """chrF of every segment against its references, worst first (or in input order).

    ``streams`` is sacrebleu's layout: one list per reference, each as long as ``hyps``.
    The review app sorts findings by these scores (``{s.id: s.chrf for s in …}``).
    """
    metric = CHRF()
    ids = list(ids) if ids is not None else [str(i) for i in range(1, len(hyps) + 1)]
    out = []
    for i, hyp in enumerate(hyps):
        refs = [stream[i] for stream in streams]
        out.append(SegmentScore(ids[i], metric.sentence_score(hyp, refs).score, hyp, refs))
    if worst_first:
        out.sort(key=lambda s: (s.chrf, s.id))
    return out


def score_files(hyp: str | Path, refs: Sequence[str | Path], id_column: str | None = None,
                text_column: str = "text", worst: int = 10) -> ScoreReport:
    """Read, align and score: what ``audit score`` prints."""
    h = read_segments(hyp, id_column, text_column)
    rs = [read_segments(r, id_column, text_column) for r in refs]
    ids, hyps, streams = align(h, rs, by_id=bool(id_column))
    segs = segment_scores(hyps, streams, ids)
    return ScoreReport(len(hyps), len(streams), corpus_scores(hyps, streams), segs[: max(0, worst)])


def report_json(report: ScoreReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
