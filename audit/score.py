"""Translation scores with sacrebleu: corpus BLEU, chrF and TER, and per-segment chrF.

``audit score --hyp FILE --ref FILE…`` is a thin layer over this module. Segments are
aligned by line (plain text) or by an id column (JSONL/CSV/TSV/Parquet, a JSON array of
records); misaligned inputs
raise :class:`ScoreInputError` with a message that says what does not line up.

:class:`References` applies the same reading, alignment and per-segment chrF to the
documents of a review (``audit review PATH… --ref FILE``): a text document's segments are
its lines, a table row is one segment, and :class:`DocumentScores` finds the segment (and
its score and reference text) that holds a character offset.

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

import bisect
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from sacrebleu.metrics import BLEU, CHRF, TER

from .inputs import csv_separator, first_line, table_kind

if TYPE_CHECKING:
    from .document import Document

#: Text files a directory of references contributes (those ``audit check`` reads in a directory).
TEXT_SUFFIXES = (".txt", ".md")


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
            m = self.metric
            if m.word_order == 0 and not m.whitespace:
                # sacrebleu's extract_all_char_ngrams (white space removed, n = 1 … char_order),
                # each n-gram joined from n shifted copies of the text instead of sliced
                line = "".join(text.split())
                got = [(Counter(line), len(line))] + [
                    (Counter(map("".join, zip(*[line[k:] for k in range(n)]))), max(0, len(line) - n + 1))
                    for n in range(2, m.char_order + 1)]
            else:
                counters = m._extract_reference_info([text])["ref_ngrams"][0]
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


def split_lines(text: str) -> list[str]:
    """The segments of a plain text: its lines, split at ``\\n`` (a ``\\r`` before it dropped),
    with no empty segment after a final line break.

    >>> split_lines("one\\r\\ntwo\\n\\nfour\\n")
    ['one', 'two', '', 'four']
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def line_starts(text: str) -> list[int]:
    """Character offset of each of :func:`split_lines`' segments in ``text``.

    >>> line_starts("one\\r\\ntwo\\n\\nfour\\n")
    [0, 5, 9, 10]
    """
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    if len(starts) > 1 and starts[-1] == len(text):
        starts.pop()
    return starts


def read_segments(path: str | Path, id_column: str | None = None, text_column: str = "text") -> Segments:
    """Segments of a plain-text file (one per line) or a table (:func:`read_table`)."""
    p = Path(path)
    if not p.is_file():
        raise ScoreInputError(f"{path}: no such file")
    if not table_kind(p):
        if id_column:
            raise ScoreInputError(f"{path}: --id-column needs a JSONL, CSV, TSV, Parquet or JSON file of records")
        try:
            text = p.read_text("utf-8")
        except UnicodeDecodeError as exc:
            raise ScoreInputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        lines = split_lines(text)
        return Segments(str(path), [str(i) for i in range(1, len(lines) + 1)], lines)
    return table_segments(read_table(p, text_column), str(path), id_column, text_column)


def read_table(path: str | Path, text_column: str = "text"):
    """A table (:func:`~audit.inputs.table_kind`: JSONL, a JSON array of records, CSV, TSV,
    Parquet) as a polars frame. CSV and TSV columns are all text; a CSV file's separator is
    taken as ``audit check`` takes it (:func:`~audit.inputs.csv_separator`), and in TSV quotes
    are text."""
    import polars as pl

    p = Path(path)
    kind = table_kind(p)
    try:
        if kind == "parquet":
            return pl.read_parquet(p)
        if kind == "csv":
            return pl.read_csv(p, separator=csv_separator(first_line(p), text_column), infer_schema=False)
        if kind == "tsv":
            return pl.read_csv(p, separator="\t", quote_char=None, infer_schema=False)
        if kind == "json":
            return pl.read_json(p, infer_schema_length=None)
        return pl.read_ndjson(p, infer_schema_length=None)
    except Exception as exc:  # polars raises several error types for broken files
        raise ScoreInputError(f"{path}: cannot read ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None


def table_segments(frame, path: str, id_column: str | None = None, text_column: str = "text") -> Segments:
    """The segments of a table read by :func:`read_table`: one per row, ids from ``id_column``
    (unique, non-empty) or the row numbers from 1."""
    import polars as pl

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
    return Segments(path, ids, texts)


def align(hyp: Segments, refs: Sequence[Segments], by_id: bool,
          hyp_label: str = "hypothesis") -> tuple[list[str], list[str], list[list[str]]]:
    """(ids, hypotheses, reference streams) in the hypothesis order; raises on misalignment.

    ``hyp_label`` names the hypothesis side in the messages about ids.
    """
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
                what.append(f"{len(missing)} {hyp_label} id(s) missing from it (first: {missing[0]!r})")
            if extra:
                what.append(f"{len(extra)} id(s) not in the {hyp_label} (first: {extra[0]!r})")
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

    @property
    def blank(self) -> bool:
        """Hypothesis and references all empty or white space: nothing to score (sacrebleu
        gives such a pair 0, which would rank a blank line as the worst segment)."""
        return not self.hyp.strip() and not any(r.strip() for r in self.refs)


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
    segs = [s for s in segment_scores(hyps, streams, ids) if not s.blank]
    return ScoreReport(len(hyps), len(streams), corpus_scores(hyps, streams), segs[: max(0, worst)])


def report_json(report: ScoreReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


# -- references for the review app -------------------------------------------------------------
@dataclass
class DocumentScores:
    """The chrF of each segment of one document, and where each segment starts in its text.

    >>> scores = DocumentScores([0, 6], [SegmentScore("1", 40.0, "Hello", ["Hi"]),
    ...                                  SegmentScore("2", 0.0, "", [""])])
    >>> scores.at(3).chrf, scores.at(6), scores.worst
    (40.0, None, 40.0)
    """

    #: character offset of each segment in the document's text, ascending
    starts: list[int]
    #: the segments, in text order; a blank one (:attr:`SegmentScore.blank`) counts as unscored
    segments: list[SegmentScore]

    def at(self, offset: int) -> SegmentScore | None:
        """The scored segment holding character ``offset`` (None on a blank segment)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0 or i >= len(self.segments):
            return None
        seg = self.segments[i]
        return None if seg.blank else seg

    @cached_property
    def worst(self) -> float | None:
        """The lowest chrF of the document's scored segments (None: nothing scored)."""
        return min((s.chrf for s in self.segments if not s.blank), default=None)


class References:
    """The ``--ref`` files of a review, matched to its documents, and their segment scores.

    Each ``--ref`` path is one reference set (give several for several references per
    segment, as ``audit score`` does):

    - a text file is the reference of the text document with the same file name (of the only
      document when the corpus is one text file); segments are lines, aligned by line;
    - a directory holds references for the text documents, matched by path relative to the
      input directory, else by file name (as ``--source`` is);
    - a JSONL/CSV/Parquet table holds references for the rows of the corpus's tables, matched
      by id: its ``id_column`` when it has one, else the row number (the reader's fallback
      id); a row is one segment.

    Reading is strict (an unreadable reference raises :class:`ScoreInputError`, before the
    review opens); matching is lenient: :meth:`score` returns a one-line problem for a text
    document whose reference does not line up, and :meth:`unmatched` what no document used.
    """

    def __init__(self, paths: Sequence[str | Path], id_column: str | None = "id", text_column: str = "text",
                 inputs: Sequence[str] = ()):
        self.paths = [str(p) for p in paths]
        #: per text reference set: (the --ref path, is a directory, key -> segments)
        self.text_sets: list[tuple[str, bool, dict[str, Segments]]] = []
        #: per table reference: (segments, id -> text)
        self.tables: list[tuple[Segments, dict[str, str]]] = []
        self.roots = [Path(p) for p in inputs if Path(p).is_dir()]
        self.single_input = (len(inputs) == 1 and Path(inputs[0]).is_file()
                             and not table_kind(inputs[0]))
        for given in self.paths:
            p = Path(given)
            if p.is_dir():
                by_key: dict[str, Segments] = {}
                for child in _text_files(p):
                    segs = read_segments(child)
                    rel = child.relative_to(p)
                    by_key[str(rel)] = segs
                    by_key.setdefault(rel.name, segs)
                if not by_key:
                    raise ScoreInputError(f"{given}: no .txt or .md reference files in this directory")
                self.text_sets.append((given, True, by_key))
            elif table_kind(p):
                frame = read_table(p, text_column)
                by_id = id_column if id_column and id_column in frame.columns else None
                segs = table_segments(frame, given, by_id, text_column)
                self.tables.append((segs, dict(zip(segs.ids, segs.texts))))
            else:
                segs = read_segments(p)
                self.text_sets.append((given, False, {p.name: segs}))

    def _text_refs(self, doc: Document) -> list[Segments]:
        path = Path(doc.meta.get("path", doc.id))
        out = []
        for _, is_dir, by_key in self.text_sets:
            if not is_dir:
                (name, segs), = by_key.items()
                if self.single_input or path.name == name:
                    out.append(segs)
                continue
            found = None
            for root in self.roots:
                try:
                    found = by_key.get(str(path.relative_to(root)))
                except ValueError:
                    continue
                if found is not None:
                    break
            found = found or by_key.get(path.name)
            if found is not None:
                out.append(found)
        return out

    def score(self, doc: Document) -> tuple[DocumentScores | None, str | None]:
        """(scores, problem) of one document: no scores when it has no reference, or when its
        reference does not line up (the problem says why, in one line)."""
        if "row" in doc.meta:  # a row of a JSONL/CSV/Parquet input
            refs = [by_id[doc.id] for _, by_id in self.tables if doc.id in by_id]
            if not refs:
                return None, None  # reported once for the whole table by unmatched()
            return DocumentScores([0], segment_scores([doc.text], [[r] for r in refs], [doc.id], False)), None
        refs = self._text_refs(doc)
        if not refs:
            return None, None
        lines = split_lines(doc.text)
        hyp = Segments(doc.id, [str(i) for i in range(1, len(lines) + 1)], lines)
        try:
            ids, hyps, streams = align(hyp, refs, by_id=False)
        except ScoreInputError as exc:
            return None, str(exc)
        return DocumentScores(line_starts(doc.text), segment_scores(hyps, streams, ids, worst_first=False)), None

    def unmatched(self, docs: Iterable[Document]) -> list[str]:
        """One line per reference that did not fully match the documents: text references no
        document took, and table ids missing on either side."""
        text_docs, row_ids = [], []
        for doc in docs:
            (row_ids if "row" in doc.meta else text_docs).append(doc)
        used = {id(segs) for doc in text_docs for segs in self._text_refs(doc)}
        out = []
        for given, is_dir, by_key in self.text_sets:
            files = {id(segs): segs for segs in by_key.values()}
            unused = [segs.path for key, segs in files.items() if key not in used]
            if unused and not is_dir:
                out.append(f"{given}: matches no document (a text reference goes with the document of the same "
                           f"file name)")
            elif unused:
                out.append(f"{given}: {len(unused)} of its {len(files)} files match no document "
                           f"(first: {sorted(unused)[0]})")
        for segs, _ in self.tables:
            if not row_ids:
                out.append(f"{segs.path}: the corpus has no JSONL/CSV/Parquet rows to match it with")
                continue
            hyp = Segments("corpus", [d.id for d in row_ids], [d.text for d in row_ids])
            try:
                align(hyp, [segs], by_id=True, hyp_label="corpus")
            except ScoreInputError as exc:
                out.append(str(exc))
        return out


def _text_files(root: Path) -> list[Path]:
    """The .txt/.md files under ``root``, hidden directories skipped, in sorted order."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(folder) / name for name in files if Path(name).suffix.lower() in TEXT_SUFFIXES)
    return sorted(out)
