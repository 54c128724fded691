"""Batch normalisation: a repaired copy of a corpus, every change in a manifest, and a revert.

``normalise(paths, options)`` writes the repaired corpus in the input's layout and format;
``revert(manifest, out)`` gives the original bytes back. The rules a data team relies on:

Layout
    A directory becomes the same tree under ``--out`` (relative paths kept; hidden
    directories such as ``.git`` are skipped, as ``audit check`` skips them). A file given
    directly lands at ``OUT/<file name>``. Several inputs merge into ``OUT``; two inputs
    that would write the same path are refused before anything is written. ``-`` (stdin)
    goes to stdout.
Formats
    ``.txt``/``.md`` files in a directory and any file given directly (other than a table)
    are text documents. JSONL/NDJSON, CSV, TSV, Parquet and a ``.json`` file of JSON Lines or
    of an array of objects, given directly, are tables: only the text column of the rows
    that change is rewritten — other columns, row order, JSON key order, escapes and layout
    (a JSON array's indentation), CSV quoting and line endings, Parquet schema, row groups
    and compression are kept. Files in a directory that are not ``.txt``/``.md`` (images,
    metadata, tables inside a tree), and text files that cannot be read (empty, binary) are
    copied unchanged so that the output is the whole corpus, and listed in the manifest.
Encoding
    The output is always UTF-8. A document that was decoded from a legacy encoding is
    written as UTF-8 and its file (or row) record in the manifest keeps the encoding and the
    hash of the original bytes; when re-encoding would not reproduce those bytes exactly
    (a file mixing UTF-8 and legacy bytes) the record keeps the original bytes themselves.
    BOMs and CRLF line endings are text like any other: kept unless a rule repairs them.
What is repaired
    :mod:`audit.fix` decides (safe repairs by default). Detection and repair repeat on the
    repaired text until nothing changes (at most :data:`MAX_PASSES` passes) so that the
    output is a fixed point: normalising it again changes nothing. Later passes detect only
    where the text changed when the rules allow it (:func:`detect_again`,
    :func:`prime_names_analysis`), with the same findings as detecting the whole text. Edits
    of later passes are folded into one plan on the original text (:func:`audit.fix.compose`). With
    ``decisions``, exactly the accepted and edited findings are applied, in one pass.
    Cross-document (corpus-stage) findings are not applied: they need the whole corpus
    before the first document can be written, and none of them is a safe repair; accepted
    decisions about them are counted in the report, and the command warns about them.
Manifest
    JSON Lines (or Parquet) beside the output (``OUT/manifest.jsonl``): one ``file`` record
    per output file (input, output, format, original encoding and SHA-256, output SHA-256),
    a ``row`` record per rewritten table row (what re-serialising it needs), and an ``edit``
    record per change: doc, path, row, start, end (in the original text), before, after,
    rule, confidence, fingerprint.
Never losing text
    Inputs are never written unless ``in_place`` with a backup suffix (or an explicit
    no-backup). An existing output directory is refused unless it holds an interrupted run
    of the same command (which then resumes) or ``force``. Every file is written to a
    temporary name and renamed; its manifest records are appended only after the rename,
    to ``manifest.jsonl.partial``, so when the run is killed every output is complete or
    absent, and the next run skips exactly the outputs the partial manifest vouches for
    *and whose bytes still have the recorded hash* — which also covers a power loss: outputs
    are not fsynced one by one (that costs more than the repair), the progress file is
    fsynced at most once a second, and whatever a crash lost is simply done again. The
    final manifest is written (in input order, fsynced) at the end.
Memory
    Bounded whatever the size of one file: tables are read in blocks or batches of rows
    (a CSV file of one legacy encoding too), an output's manifest records past
    :data:`SPILL_RECORDS` go to a spill file beside the partial manifest (fsynced, and named
    in the file's progress line with its size and hash: a resumed run redoes an output whose
    spill file is damaged), and revert reads a table's records as it reaches their rows.
"""

from __future__ import annotations

import base64
import bisect
import codecs
import csv
import difflib
import functools
import glob
import hashlib
import io
import itertools
import json
import os
import re
import sys
import time
import zlib
from collections import Counter, deque
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, NamedTuple

from .config import Config
from .document import Document
from .engine import audit_documents, run_batches
from .fix import Edit, Policy, apply_plan, compose, decided_edits, output_spans, plan
from .inputs import (SHOWN_MISSING, TEXT_SUFFIXES, DecodeError, InputError, InputOptions, JsonArrayError, Tally,
                     _row_document, column_hint, column_list, csv_header, csv_separator, decode_bytes,
                     file_utf16_bom, first_line, header_problem, json_array_pieces, json_array_problem, json_line,
                     legacy_errors, parquet_file, parquet_problem, table_kind, text_like, utf16_problem)

#: Detection and repair repeat until the text stops changing, at most this many times.
MAX_PASSES = 4
#: Above this many edits the manifest is written as Parquet unless a format was asked for.
PARQUET_MANIFEST_EDITS = 500_000
MANIFEST_NAME = "manifest"
TMP_SUFFIX = ".audit-normalise.tmp"


class NormaliseError(Exception):
    """A refusal or a usage problem, with a message for the user (nothing was damaged)."""


# =============================================================================================
# Worker side: detect, plan, apply — repeated to a fixed point
# =============================================================================================
@dataclass
class DocRepair:
    text: str | None  # the repaired text, None when unchanged
    edits: list[Edit]  # in the coordinates of the original text
    passes: int = 0
    stale: int = 0  # decisions that matched no finding
    conflicts: int = 0  # decided edits dropped because they overlapped another


@dataclass
class RepairBatch:
    repairs: list[DocRepair] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)


def repair_document(doc: Document, config: Config, policy: Policy,
                    decisions: dict | None = None, failures: list | None = None,
                    incremental: bool = True) -> DocRepair:
    """Repair one document: safe/selected repairs to a fixed point, or exactly the decisions.

    Passes after the first re-run detection on the repaired text (a document without
    edits needs none). With ``incremental``, they reuse what the previous pass found: the
    names analysis of a repaired text is built from the previous one
    (:func:`prime_names_analysis`) and block-local rules run only where the text changed
    (:func:`detect_again`). The results are the same as with ``incremental=False``, which
    detects on the whole repaired text every pass.
    """
    original = doc.text
    from .engine import _worker_context

    ctx = _worker_context(config)
    result = audit_documents([doc], config, ctx)
    if failures is not None:
        failures.extend(result.failures)
    if decisions is not None:
        edits, report = decided_edits(doc.id, original, result.findings, decisions)
        text = apply_plan(original, edits) if edits else None
        return DocRepair(text, edits, 1, len(report.stale), len(report.conflicts))
    total: list[Edit] = []
    text = original
    findings = result.findings
    current = doc
    passes = 0
    for passes in range(1, MAX_PASSES + 1):
        edits = plan(text, findings, policy)
        if not edits:
            break
        new = apply_plan(text, edits)
        total = compose(original, total, edits) if total else edits
        text = new
        again = Document(doc.id, text, lang=doc.lang, meta=doc.meta, source=doc.source, source_lang=doc.source_lang)
        if incremental:
            prime_names_analysis(ctx, current, again, edits)
            findings = detect_again(ctx, config, current, findings, again, edits)
        else:
            findings = audit_documents([again], config, ctx).findings
        current = again
    return DocRepair(text if total else None, total, passes)


#: Rules whose findings in a block of text between blank lines (``\n\n``) depend on that block
#: alone, so that a later pass runs them only on the blocks the edits touched. repeated-word:
#: its pattern allows one line break between the words, never two; the compound checks look
#: two characters either side (a line feed at a block's edge, as at the text's); the URL
#: check looks at whitespace-free tokens, which end at a block's edge.
BLOCK_LOCAL: frozenset[str] = frozenset({"repeated-word"})


def detect_again(ctx, config: Config, previous: Document, before: list, doc: Document, edits: list[Edit]) -> list:
    """The findings of ``doc`` — ``previous`` repaired by ``edits`` — for a later pass.

    The same findings as ``audit_documents([doc], config, ctx).findings`` (fingerprints
    included): the rules in :data:`BLOCK_LOCAL` run only on the blocks between blank lines
    that an edit touched (or on whose blank line it lies), their findings in the other blocks
    are those of ``previous`` (``before``), moved; every other rule runs on the whole text.
    """
    from .engine import BatchResult, audit_document, enabled_detectors, finalize

    text = doc.text
    detectors = ctx.shared("detectors", lambda: enabled_detectors(config))
    # a text whose lower-casing changes its length (an İ) is lowered character by character
    # (:func:`~audit.chardata.lower_same_length`): a block of it without an İ is not, and
    # the two differ on a Σ at a word's end (σ alone, ς in context). With an İ and a Σ in
    # either text, everything runs on the whole text.
    old = previous.text
    same_case = ("\u03a3" not in text and "\u03a3" not in old) or (
        len(text.lower()) == len(text) and len(old.lower()) == len(old))
    local = [d for d in detectors if d.name in BLOCK_LOCAL] if same_case else []
    if not local:
        return audit_documents([doc], config, ctx).findings
    result = BatchResult()
    ctx.observations = []
    audit_document(doc, [d for d in detectors if d.name not in BLOCK_LOCAL], ctx, result)
    # blocks: each ends just after a "\n\n" (or at the end of the text)
    ends = [m.end() for m in _BLANK.finditer(text)]
    ends.append(len(text))
    dirty, shift = _touched(ends, edits, len(text))
    sub = Document(doc.id, "".join(text[a:b] for a, b in dirty), lang=doc.lang, meta=doc.meta,
                   source=doc.source, source_lang=doc.source_lang)
    part = BatchResult()
    audit_document(sub, local, ctx, part)
    ctx.observations = []
    names = {d.name for d in local}
    kept = sorted((f for f in before if f.rule in names), key=lambda f: f.start)
    found = sorted(part.findings, key=lambda f: f.start)

    def move(f, d: int):  # (line and column too: an edit may have added or removed a line break)
        line, column = doc.line_col(f.start + d)
        return replace(f, start=f.start + d, end=f.end + d, line=line, column=column)

    moved = _splice(kept, found, dirty, shift, move)
    result.failures.extend(part.failures)
    return result.findings + finalize(doc, moved, config, result.failures)


_BLANK = re.compile("\n\n")


def _touched(ends: list[int], edits: list[Edit], n: int) -> tuple[list[list[int]], list[int]]:
    """The pieces of a repaired text (of length ``n``) that ``edits`` touched, merged.

    ``ends`` are the pieces' ends in the repaired text, ascending, the last being ``n``. A piece
    is touched when an edit's replacement — or the character just before it or just after
    it — lies in it. Returns the touched stretches ``[start, end)`` and, for each, the offset
    difference (repaired - original) of the text after it.
    """
    dirty: list[list[int]] = []
    shift: list[int] = []
    delta = 0
    last = len(ends) - 1
    for e, (s, t) in zip(sorted(edits, key=lambda e: (e.start, e.end)), output_spans(edits)):
        delta += e.delta
        i = bisect.bisect_right(ends, max(s - 1, 0))  # the piece holding position s - 1 (or 0)
        j = min(bisect.bisect_right(ends, t), last) if t < n else last  # ... and position t
        a, b = (ends[i - 1] if i else 0), ends[j]
        if dirty and a <= dirty[-1][1]:
            dirty[-1][1] = max(dirty[-1][1], b)
            shift[-1] = delta
        else:
            dirty.append([a, b])
            shift.append(delta)
    return dirty, shift


def _splice(old: list, found: list, dirty: list[list[int]], shift: list[int], move: Callable) -> list:
    """The records (findings, mentions) of a repaired text, from those of the text before and
    those found anew in its touched stretches.

    ``old``: the records of the text before the edits, sorted by start; those outside the
    touched stretches are kept, moved by the offset difference before them. ``found``: the
    records of the touched stretches ``dirty`` (:func:`_touched`, with ``shift``) joined,
    sorted by start; each is moved to its stretch. ``move(record, d)`` moves a record by ``d``.
    """
    starts = [r.start for r in old]
    out: list = []
    k = base = pos = d = 0  # found[k:] lie in the stretches from the current one on; base: its offset in the join
    for (a, b), after in zip(dirty, shift):
        out.extend(move(r, d) for r in old[bisect.bisect_left(starts, pos - d):bisect.bisect_left(starts, a - d)])
        top = base + b - a
        while k < len(found) and found[k].start < top:
            out.append(move(found[k], a - base))
            k += 1
        base, pos, d = top, b, after
    out.extend(move(r, d) for r in old[bisect.bisect_left(starts, pos - d):])
    return out


#: Characters after which the full name mentions of a text start afresh, unless a lexicon key
#: holds one (checked against the matcher's keys: :func:`_mention_breaks`).
_BREAK_CANDIDATES = "\n,;:!?()[]{}"


@functools.lru_cache(maxsize=4)
def _mention_breaks(matcher) -> "re.Pattern":
    """The characters no full mention can hold or look past (see :func:`prime_names_analysis`)."""
    from .lexicon.romanise import match_fold

    used = set("".join(matcher.keys))
    chars = []
    for c in _BREAK_CANDIDATES:
        f = match_fold(c)
        if len(f) == 1 and f not in used and not f.isalnum() and f != "_" and not c.isalnum():
            chars.append(c)
    return re.compile("[" + re.escape("".join(chars)) + "]") if chars else re.compile(r"(?!)")


@functools.lru_cache(maxsize=4)
def _fields_after_span(cls) -> Callable:
    """A getter of the fields of the record class ``cls`` after its first two (``start``, ``end``)."""
    from dataclasses import fields
    from operator import attrgetter

    names = [f.name for f in fields(cls)]
    assert names[:2] == ["start", "end"] and len(names) > 3, names
    return attrgetter(*names[2:])


def _move_mention(m, d: int):
    """A copy of the name mention ``m`` moved by ``d`` (the constructor on the other fields is
    several times cheaper than ``dataclasses.replace``); ``m`` itself when ``d`` is 0."""
    return m if d == 0 else type(m)(m.start + d, m.end + d, *_fields_after_span(type(m))(m))


def prime_names_analysis(ctx, old_doc: Document, new_doc: Document, edits: list[Edit]) -> bool:
    """Put the names analysis of ``new_doc`` (``old_doc`` repaired by ``edits``) in the cache.

    The names analysis (:func:`audit.detectors.names.analyse`) is the most expensive step of
    detection. Its full mentions (:meth:`audit.lexicon.matcher.Matcher.full`) are *local*:
    cut the text just after each character that no lexicon key holds once folded (a line feed,
    a comma …: :func:`_mention_breaks`), and no mention spans two pieces — it is a key — while
    its boundary checks look one character beyond it, at a break character either way; so the
    mentions of a piece depend on that piece alone. Pieces that no edit touched (nor the
    characters either side of an edit) keep the old analysis's full mentions, moved; only the
    pieces around the edits are matched again (in one call, on their concatenation, which has
    the same mentions). The mentions that are not local — through glitches (windows of text)
    and surnames (after a person's first full mention anywhere before) — are then found on
    the whole repaired text by the matcher itself, exactly as
    :meth:`~audit.lexicon.matcher.Matcher.find` composes them. Returns False (and primes
    nothing: detection then analyses the text in full) when the old analysis is not the one
    cached.
    """
    from .detectors import names
    from .lexicon.romanise import match_fold

    cached = ctx.cache.get("names:analysis")
    if cached is None or cached[0] is not old_doc or cached[1] != len(old_doc.text):
        return False
    old = cached[2]
    matcher = old.lexicon.matcher
    text = new_doc.text
    folded = match_fold(text)
    n = len(text)
    # pieces of the new text, each ending just after a break character; those an edit touches
    ends = [m.end() for m in _mention_breaks(matcher).finditer(text)]
    ends.append(n)
    dirty, shift = _touched(ends, edits, n)
    old_full = [m for m in old.mentions if m.kind == "full"]
    # the touched pieces matched in one call: their concatenation has the same mentions, moved
    found = matcher.full("".join(text[a:b] for a, b in dirty), "".join(folded[a:b] for a, b in dirty))
    mentions = _splice(old_full, found, dirty, shift, _move_mention)
    mentions += matcher.glitches(text, mentions)
    mentions += matcher.surnames(text, mentions, folded)
    mentions.sort(key=lambda m: (m.start, m.end))
    ctx.cache["names:analysis"] = (new_doc, n, names.Analysis(old.lexicon, text, mentions))
    return True


def repair_batch(docs: list[Document], config: Config, policy: Policy = Policy(),
                 decisions: dict | None = None) -> RepairBatch:
    """The per-batch function :func:`audit.engine.run_batches` runs in the workers."""
    out = RepairBatch()
    for doc in docs:
        mine = None if decisions is None else decisions.get(doc.id, {})
        out.repairs.append(repair_document(doc, config, policy, mine, out.failures))
    return out


def repairing_config(config: Config, policy: Policy) -> Config:
    """``config`` running only the detectors whose repairs ``policy`` could apply (the rest is wasted work)."""
    from .detectors import DETECTORS
    from .fix import is_fixable, safety_floor

    useful = [
        name for name, cls in DETECTORS.items()
        if config.rule_enabled(name, cls.category, cls.default_enabled)
        and (is_fixable(name) if policy.unsafe else safety_floor(name) is not None)
        and not (policy.select and name not in policy.select and cls.category not in policy.select)
        and name not in policy.ignore and cls.category not in policy.ignore
    ]
    if not useful:
        return config.replace(ignore=list(DETECTORS))
    return config.replace(select=useful)


def normalise_text(text: str, config: Config | None = None, policy: Policy | None = None,
                   lang: str | None = None) -> tuple[str, list[Edit]]:
    """Normalise one string: the repaired text and the edits (on ``text``).

    >>> normalise_text("Erdo\\u200bgan  met Blinken .", lang="en")[0]
    'Erdogan met Blinken.'
    """
    config = repairing_config(config or Config(), policy or Policy())
    rep = repair_document(Document("<text>", text, lang=lang or config.lang), config, policy or Policy())
    return (rep.text if rep.text is not None else text), rep.edits


# =============================================================================================
# Exact locations in JSON lines and CSV records
# =============================================================================================
_JSON = json.JSONDecoder()
_WS = " \t\n\r"


def json_value_span(line: str, key: str) -> tuple[int, int] | None:
    """Character span of the value of top-level ``key`` in a JSON object line (last one wins).

    >>> line = '{"id": 1, "text": "a\\\\u00e9", "x": [1, 2]}'
    >>> s, e = json_value_span(line, "text"); line[s:e]
    '"a\\\\u00e9"'
    """
    i, n = (1 if line[:1] == "\ufeff" else 0), len(line)  # (a byte-order mark: see inputs.json_line)
    while i < n and line[i] in _WS:
        i += 1
    if i >= n or line[i] != "{":
        return None
    i += 1
    found = None
    while True:
        while i < n and line[i] in _WS:
            i += 1
        if i < n and line[i] == "}":
            return found
        if i >= n or line[i] != '"':
            return None
        name, i = json.decoder.scanstring(line, i + 1)
        while i < n and line[i] in _WS:
            i += 1
        if i >= n or line[i] != ":":
            return None
        i += 1
        while i < n and line[i] in _WS:
            i += 1
        _, end = _JSON.raw_decode(line, i)
        if name == key:
            found = (i, end)
        i = end
        while i < n and line[i] in _WS:
            i += 1
        if i < n and line[i] == ",":
            i += 1
            continue
        if i < n and line[i] == "}":
            return found
        return None


def json_style(value: str, token: str) -> dict:
    """How a JSON string token was written, so that it can be written the same way again."""
    if json.dumps(value, ensure_ascii=False) == token:
        return {"style": "utf8"}
    if json.dumps(value, ensure_ascii=True) == token:
        return {"style": "ascii"}
    return {"style": "utf8", "token": token}


def json_token(value: str, style: dict) -> str:
    return json.dumps(value, ensure_ascii=style.get("style") == "ascii")


@dataclass
class CsvRecord:
    start: int
    end: int  # end of the record including its line break
    fields: list[tuple[int, int, bool]]  # (start, end, quoted) of the raw field text


@functools.lru_cache(maxsize=8)
def _csv_field(sep: str, quoting: bool = True) -> "re.Pattern":
    """One CSV field from its start: quoted (doubled quotes inside; after the closing quote, any
    text up to the next separator or line break, as the csv module reads it; unclosed, to the
    end) or not (up to the next separator or line break); without ``quoting`` (tab-separated
    values), always the latter."""
    s = re.escape(sep)
    return re.compile(rf'"[^"]*(?:""[^"]*)*(?:"[^{s}\r\n]*)?|[^{s}\r\n]*' if quoting else rf"[^{s}\r\n]*")


def csv_records(text: str, sep: str = ",", quoting: bool = True) -> Iterator[CsvRecord]:
    """Records of CSV text (the ``excel`` dialect ``audit check`` reads) with raw field spans
    (each field matched in C: a long text field is not walked in Python).

    >>> [r.fields for r in csv_records('a,"b, ""c"" d",e\\r\\nx,y\\n')]
    [[(0, 1, False), (2, 14, True), (15, 16, False)], [(18, 19, False), (20, 21, False)]]
    """
    i, n = 0, len(text)
    match = _csv_field(sep, quoting).match
    while i < n:
        first = i
        fields: list[tuple[int, int, bool]] = []
        while True:
            fs, i = match(text, i).span()
            fields.append((fs, i, quoting and text.startswith('"', fs)))
            if i < n and text[i] == sep:
                i += 1
                continue
            break
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        yield CsvRecord(first, i, fields)


#: Bytes read at a time from a CSV file streamed block by block.
CSV_BLOCK = 1 << 22


@dataclass
class _CsvState:
    header: list[str] | None = None
    index: int = 0  # rows so far (blank lines and the header not counted)
    failed: bool = False  # the header's text column is missing or doubled: reported, the rest not read


def csv_blocks(path: str | Path, digest=None, errors: str = "strict", encoding: str = "utf-8", sep: str = ",",
               quoting: bool = True) -> Iterator[tuple[str, list[CsvRecord]]]:
    """A CSV file as (text, its records) pieces of whole records, in order: the
    concatenated texts are the file's text and the records, shifted, its records. Read
    :data:`CSV_BLOCK` bytes at a time, or as many as the record carried over from the last
    block holds (a record longer than a block is scanned a few times, not once per block).
    ``digest``: a hash updated with the bytes as they are read. ``errors``: the UTF-8
    decoder's error handler (:func:`~audit.inputs.legacy_errors` for a legacy-encoded file);
    strict raises ``UnicodeDecodeError`` on bytes that are not UTF-8. ``encoding``: ``utf-16``
    for a file with a UTF-16 byte-order mark (the mark is not in the text, as in
    :func:`~audit.inputs.decode_bytes`). ``sep``: the field separator; ``quoting``: False for
    tab-separated values, where quotes are text."""
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    carry = ""
    with open(path, "rb") as fh:
        while True:
            data = fh.read(max(CSV_BLOCK, len(carry)))
            if digest is not None:
                digest.update(data)
            final = not data
            text = carry + decoder.decode(data, final=final)
            records = list(csv_records(text, sep, quoting))
            if not final and records:
                # the last record may go on in the next block (a quoted field, a \r\n cut in two)
                last = records.pop()
                carry = text[last.start:]
                text = text[:last.start]
            else:
                carry = ""
            if records:
                yield text, records
            if final:
                return


class CsvStream(NamedTuple):
    """How a CSV file is read block by block (:func:`csv_streamable`)."""

    sha: str  # of the file's bytes
    recipe: dict  # what turns its text back into its bytes (:func:`byte_recipe`)
    errors: str  # the decoder's error handler (:func:`csv_blocks`)
    encoding: str = "utf-8"  # utf-16 for a file with a UTF-16 byte-order mark
    sep: str = ","  # the field separator (:func:`~audit.inputs.csv_separator`)
    quoting: bool = True  # False for tab-separated values: quotes are text


def csv_streamable(path: str | Path, sep: str = ",", quoting: bool = True) -> CsvStream | None:
    """How to read a CSV file block by block (:func:`csv_blocks`), if it can be: not empty or
    binary, read by the csv module row for row as by :func:`csv_records` — what
    :meth:`Reader._read_csv_whole` checks on the whole text — and either UTF-8 throughout,
    UTF-16 throughout after its byte-order mark (recipe ``{"encoding": "utf-16-le", "prefix":
    "fffe"}`` or big-endian, as :func:`byte_recipe` gives), or with legacy bytes that the
    encoding detected on a streamed sample (:func:`~audit.inputs.legacy_errors`) decodes as a
    whole-file read would, and that re-encoding the text gives back (a file of one legacy
    encoding: recipe ``{"encoding": ...}``). None for any other file (read whole then, which
    keeps the original bytes of a mixed file or reports what is wrong)."""
    bom = file_utf16_bom(path)
    if not bom and not text_like(path):
        return None
    csv.field_size_limit(sys.maxsize)
    errors, recipe, encoding = "strict", {}, "utf-8"
    if bom:
        encoding, recipe = "utf-16", utf16_recipe(bom)
    while True:
        digest = hashlib.sha256()  # (of every byte: the comparison below reads the file to its end)
        restored = hashlib.sha256() if recipe else None
        try:
            with open(path, encoding=encoding, errors=errors, newline="") as fh:
                reader = csv.reader(fh, delimiter=sep, quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE)
                theirs = (row for row in reader if row != [])  # csv yields [] for a blank line,
                blocks = csv_blocks(path, digest, errors, encoding, sep, quoting)
                ours = (vals for text, records in _hashed(blocks, restored, recipe)
                        for vals in csv_values(text, records) if vals != [""])  # our scanner one empty field
                for a, b in itertools.zip_longest(theirs, ours):
                    if a != b:
                        return None
        except UnicodeDecodeError:
            if recipe:
                return None
            errors = legacy_errors(path)
            if errors is None:
                return None
            recipe = {"encoding": errors.removeprefix("audit-")}
            continue
        except (csv.Error, UnicodeEncodeError):
            return None
        sha = digest.hexdigest()
        if restored is not None and restored.hexdigest() != sha:
            return None  # not of one encoding: read whole, its original bytes kept
        return CsvStream(sha, recipe, errors, encoding, sep, quoting)


def _hashed(blocks: Iterator[tuple[str, list[CsvRecord]]], restored, recipe: dict) -> Iterator[tuple[str, list[CsvRecord]]]:
    """``blocks`` as they are; ``restored`` (unless None): a hash updated with the bytes
    ``recipe`` turns each block's text back into."""
    for text, records in blocks:
        if restored is not None:
            for piece in _restore_pieces((text,), recipe):
                restored.update(piece)
            recipe = {k: v for k, v in recipe.items() if k != "prefix"}  # (a byte-order mark comes once)
        yield text, records


def csv_values(text: str, records: list[CsvRecord]) -> list[list[str]]:
    """The field values of each of ``records`` of ``text``."""
    return [[csv_value(text[s:e], q) for s, e, q in r.fields] for r in records]


def csv_value(raw: str, quoted: bool) -> str:
    if not quoted:
        return raw
    close = raw.rfind('"')
    return raw[1:close].replace('""', '"') + raw[close + 1 :]


def csv_field(value: str, quoted: bool, sep: str = ",", quoting: bool = True) -> str:
    if not quoting:  # tab-separated values: as it is (a value with a tab or a line break cannot be written)
        return value
    if quoted or any(c in value for c in (sep, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


# =============================================================================================
# Reproducing original bytes
# =============================================================================================
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pack(data: bytes) -> str:
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(blob: str) -> bytes:
    return zlib.decompress(base64.b64decode(blob))


def byte_recipe(data: bytes, text: str, meta: dict) -> dict:
    """What turns ``text`` back into ``data``: nothing for UTF-8, else an encoding or the bytes."""
    enc = meta.get("decoded_as")
    if not enc:
        return {}
    if enc == "utf_16":
        recipe = utf16_recipe(data[:2])
    else:
        recipe = {"encoding": enc}
    try:
        if restore_bytes(text, recipe) == data:
            return recipe
    except UnicodeEncodeError:
        pass
    return {"encoding": enc, "original": pack(data)}


def utf16_recipe(bom: bytes) -> dict:
    """The recipe of UTF-16 text after the byte-order mark ``bom``: the mark, then the text
    encoded in its byte order."""
    return {"encoding": "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be", "prefix": bom.hex()}


def restore_bytes(text: str, recipe: dict) -> bytes:
    return b"".join(_restore_pieces((text,), recipe))


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write through a temporary file in the same folder, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + TMP_SUFFIX)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# =============================================================================================
# Jobs: one input file -> one output file
# =============================================================================================
@dataclass
class Job:
    seq: int
    input: str  # the path as given or walked ("-" for stdin)
    relpath: str  # where it lands inside the output layout
    kind: str  # text | jsonl | csv | parquet | copy
    target: Path | None = None  # None: stdout or dry run


def input_stat(job: Job) -> list[int] | None:
    """Size and modification time of an input: a resumed run redoes outputs whose input changed."""
    if job.input == "-":
        return None
    st = os.stat(job.input)
    return [st.st_size, st.st_mtime_ns]


def _kind(path: Path, direct: bool) -> str:
    if direct:
        kind = table_kind(path) or "text"
        return "csv" if kind == "tsv" else kind  # (a .tsv file is CSV without quoting)
    return "text" if path.suffix.lower() in TEXT_SUFFIXES else "copy"


def discover(paths: list[str]) -> list[Job]:
    """Every input file in a deterministic order with its place in the output layout."""
    jobs: list[Job] = []
    seen: dict[str, str] = {}
    for given in paths:
        if given == "-":
            jobs.append(Job(len(jobs), "-", "-", "text"))
            continue
        root = Path(given)
        if root.is_dir():
            entries = []
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.endswith(TMP_SUFFIX):
                        entries.append(Path(folder) / name)
            items = [(p, p.relative_to(root).as_posix(), _kind(p, False)) for p in sorted(entries)]
        elif root.exists():
            items = [(root, root.name, _kind(root, True))]
        else:
            raise NormaliseError(f"{given}: no such file or directory")
        for p, rel, kind in items:
            if rel in seen:
                raise NormaliseError(f"{p} and {seen[rel]} would both be written to {rel}; normalise them separately")
            seen[rel] = str(p)
            jobs.append(Job(len(jobs), str(p), rel, kind))
    return jobs


# =============================================================================================
# Options and results
# =============================================================================================
@dataclass
class NormaliseOptions:
    out: Path | None = None
    in_place: bool = False
    backup: str | None = None  # suffix; required with in_place unless no_backup
    no_backup: bool = False
    dry_run: bool = False
    force: bool = False
    manifest: Path | None = None
    manifest_format: str | None = None  # jsonl | parquet | None (automatic)
    policy: Policy = field(default_factory=Policy)
    decisions: dict | None = None  # read_decisions() result
    decisions_path: str | None = None
    jobs: int = 0


@dataclass
class NormaliseReport:
    files: int = 0
    documents: int = 0
    changed_documents: int = 0
    edits: int = 0
    by_rule: Counter = field(default_factory=Counter)
    copied: int = 0
    resumed: int = 0  # outputs already complete from an interrupted run
    transcoded: int = 0
    errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stale_decisions: int = 0
    conflicting_decisions: int = 0
    #: accepted or edited decisions about cross-document findings, which are not applied
    cross_document_decisions: int = 0
    manifest: Path | None = None

    def line(self) -> str:
        parts = [f"{_n(self.edits, 'edit')} in {self.changed_documents} of {_n(self.documents, 'document')} "
                 f"({_n(self.files, 'file')})"]
        if self.by_rule:
            parts.append(", ".join(f"{r} {n}" for r, n in sorted(self.by_rule.items())))
        if self.copied:
            parts.append(f"{_n(self.copied, 'file')} copied unchanged")
        if self.transcoded:
            parts.append(f"{_n(self.transcoded, 'document')} re-encoded as UTF-8")
        if self.resumed:
            parts.append(f"{_n(self.resumed, 'output')} already complete (resumed)")
        if self.stale_decisions:
            parts.append(f"{_n(self.stale_decisions, 'decision')} matched no finding (text changed?)")
        if self.conflicting_decisions:
            parts.append(f"{_n(self.conflicting_decisions, 'decision')} overlapped another and "
                         f"{'was' if self.conflicting_decisions == 1 else 'were'} not applied")
        if self.cross_document_decisions:
            parts.append(f"{_n(self.cross_document_decisions, 'accepted decision')} on cross-document findings NOT "
                         "applied (they need the whole corpus; edit those texts by hand)")
        if self.errors:
            n = len(self.errors)  # (unreadable files, tables without their text column, rows over the size limit …)
            parts.append("1 error (above): what it names is left as it was" if n == 1 else
                         f"{n} errors (above): what they name is left as it was")
        return "; ".join(parts)


def _n(count: int, noun: str) -> str:
    """``1 edit``, ``2 edits``."""
    return f"{count} {noun}{'s' * (count != 1)}"


# =============================================================================================
# Reading: jobs -> a stream of documents plus the events that put them back together
# =============================================================================================
@dataclass
class Unit:
    """A document and where it sits in its file."""

    job: Job
    doc: Document
    row: int | None = None
    raw: Any = None  # the line / record / value the document came from
    where: tuple[int, int] | None = None  # the text token's span in ``raw`` (tables)
    recipe: dict = field(default_factory=dict)
    data: bytes | None = None  # original bytes (text files)


class Reader:
    """Turns jobs into documents for the engine and, in order, events for the sinks."""

    def __init__(self, jobs: list[Job], options: InputOptions, report: NormaliseReport):
        self.jobs = jobs
        self.options = options
        self.report = report
        self.events: deque = deque()
        self.tally = Tally()

    def documents(self) -> Iterator[Document]:
        for job in self.jobs:
            self.events.append(("open", job))
            try:
                yield from getattr(self, "_read_" + job.kind)(job)
            except OSError as exc:
                self.events.append(("error", job, f"cannot read ({exc.strerror or exc})"))
            self.events.append(("close", job))

    def _emit(self, unit: Unit) -> Iterator[Document]:
        self.events.append(("doc", unit))
        self.report.documents += 1
        yield unit.doc

    def _read_copy(self, job: Job) -> Iterator[Document]:
        return iter(())

    def _read_text(self, job: Job) -> Iterator[Document]:
        if job.input != "-":
            why = self.options.too_large(Path(job.input).stat().st_size)  # (before reading it)
            if why:
                self.events.append(("error", job, why))  # copied as it is
                return
        data = sys.stdin.buffer.read() if job.input == "-" else Path(job.input).read_bytes()
        why = self.options.too_large(len(data)) if job.input == "-" else None
        if why:
            self.report.errors.append(f"<stdin>: {why}")
            self.events.append(("raw", job, data))  # written out as it is
            return
        try:
            text, meta = decode_bytes(data)
        except DecodeError as exc:
            self.events.append(("error", job, str(exc)))
            return
        name = "<stdin>" if job.input == "-" else job.input
        doc = Document(name, text, lang=self.options.lang, meta={"path": name, **meta})
        yield from self._emit(Unit(job, doc, recipe=byte_recipe(data, text, meta), data=data))

    def _row(self, job: Job, row: dict, index: int, not_text: list[int] | None = None) -> Document | None:
        """The row's document, or None: the row is then written out as it is. A row over the
        size limit is reported; one without a text column is not (as other columns' rows);
        one whose text column is not a string (JSON lines) is, the first
        :data:`~audit.inputs.SHOWN_MISSING` of a file one by one, counted in ``not_text``."""
        doc = _row_document(job.input, row, index, self.options, self.tally)
        if isinstance(doc, InputError):
            if doc.reason == "not-text" and not_text is not None:
                not_text[0] += 1
                if not_text[0] <= SHOWN_MISSING:
                    self.report.errors.append(f"{doc}; copied as it is")
            elif doc.reason == "too-large":
                self.report.errors.append(str(doc))
        return doc if isinstance(doc, Document) else None

    def _read_jsonl(self, job: Job) -> Iterator[Document]:
        """JSON lines, each decoded on its own (a legacy line gets its own recipe); a UTF-16
        file (a byte-order mark: what Windows PowerShell's redirection writes) is checked
        block by block, then its lines are read as text and written as UTF-8, the file's
        recipe turning the whole output back into its bytes."""
        bom = file_utf16_bom(job.input)
        if bom:
            digest = hashlib.sha256()
            problem = utf16_problem(job.input, bom, digest)
            if problem:
                self.events.append(("error", job, problem))
                return
            self.events.append(("file-recipe", job, utf16_recipe(bom), digest.hexdigest()))
            fh = open(job.input, encoding="utf-16", newline="\n")  # lines end at \n only, as in bytes
        else:
            fh = open(job.input, "rb")
        with fh:
            yield from self._json_rows(job, enumerate(fh, start=1))

    def _read_json(self, job: Job) -> Iterator[Document]:
        """A JSON array of objects (:func:`~audit.inputs.json_array_pieces`), streamed, each
        element a row as a JSON line is (numbered from 1), what lies between them written as it
        is: UTF-8 (checked first), or UTF-16 after a byte-order mark, written as UTF-8 as JSON
        lines are. The file is read twice: once to check it (a file that does not decode or is
        not a JSON array is one error, and is copied as it is), then for its rows."""
        bom = file_utf16_bom(job.input)
        digest = hashlib.sha256() if bom else None
        problem = (utf16_problem(job.input, bom, digest) if bom else None) or json_array_problem(job.input, bom)
        if problem:
            self.events.append(("error", job, problem))
            return
        if bom:
            self.events.append(("file-recipe", job, utf16_recipe(bom), digest.hexdigest()))
        with open(job.input, encoding="utf-16" if bom else "utf-8", newline="") as fh:
            try:
                yield from self._json_rows(job, ((n, piece if n else piece.encode("utf-8"))
                                                 for n, piece, _ in json_array_pieces(fh)))
            except (JsonArrayError, UnicodeDecodeError) as exc:  # (the file changed since it was checked)
                self.events.append(("error", job, f"changed while it was read ({exc})"))

    def _json_rows(self, job: Job, numbered: Iterable[tuple[int | None, bytes | str]]) -> Iterator[Document]:
        """The events and documents of JSON rows: ``(number, line)``, the line bytes to decode
        or text; ``(None, bytes)`` is written as it is."""
        col = self.options.text_column
        objects = named = 0  # rows that are JSON objects; those with the text column
        not_text = [0]  # rows whose text column is not a string
        keys: list[str] = []  # the first object's
        for index, raw in numbered:
            unit = line = None
            if index is None:
                self.events.append(("raw", job, raw))
                continue
            if type(raw) is str:  # a line of a UTF-16 file, written as UTF-8
                line, meta, raw = raw, {}, raw.encode("utf-8")
            if raw.strip():
                try:
                    if line is None:
                        line, meta = decode_bytes(raw)
                    row = json_line(line)
                    where = json_value_span(line, col) if isinstance(row, dict) else None
                except (DecodeError, ValueError):
                    row = where = None
                if isinstance(row, dict):
                    objects += 1
                    named += col in row
                    keys = keys or list(row)
                doc = self._row(job, row, index, not_text) if isinstance(row, dict) and where else None
                if doc is not None and isinstance(row.get(col), str):
                    recipe = byte_recipe(raw, line, meta)
                    unit = Unit(job, doc, index, line, where, recipe)
            if unit is None:
                self.events.append(("raw", job, raw))
            else:
                yield from self._emit(unit)
        if not_text[0] > SHOWN_MISSING:
            more = not_text[0] - SHOWN_MISSING
            self.report.errors.append(f"{job.input}: {more} more row{'s' * (more != 1)} whose column {col!r} is not "
                                      "text; copied as they are")
        if objects and not named:  # (rows without it are copied as they are; none with it is a mistake)
            self.report.errors.append(f"{job.input}: no row has a column {col!r} (the first has {column_list(keys)}); "
                                      f"{column_hint(col, keys)}; copied as it is")

    def _read_csv(self, job: Job) -> Iterator[Document]:
        """A CSV file is read twice, block by block (memory bounded by the longest record,
        whatever the file's size): once to check it (:func:`csv_streamable`: UTF-8, UTF-16 with
        a byte-order mark, or of one legacy encoding detected on a sample; not binary; laid out
        as the csv module reads it, row for row), then for its documents. Any other file (UTF-8
        with a few legacy bytes, broken UTF-16, an unusual layout) is read whole. The separator
        is a comma unless the first line has the text column only when read with a semicolon,
        a tab or ``|`` (:func:`~audit.inputs.csv_separator`); the manifest records it."""
        quoting = not job.input.lower().endswith(".tsv")  # tab-separated values: quotes are text
        sep = csv_separator(first_line(job.input), self.options.text_column) if quoting else "\t"
        plan = csv_streamable(job.input, sep, quoting)
        if plan is None:
            yield from self._read_csv_whole(job, sep, quoting)
            return
        self.events.append(("file-recipe", job, plan.recipe, plan.sha, sep, quoting))
        state = _CsvState()
        for text, records in csv_blocks(job.input, errors=plan.errors, encoding=plan.encoding, sep=sep,
                                        quoting=quoting):
            yield from self._csv_rows(job, text, records, csv_values(text, records), state)
            if state.failed:
                return

    def _read_csv_whole(self, job: Job, sep: str = ",", quoting: bool = True) -> Iterator[Document]:
        data = Path(job.input).read_bytes()
        try:
            text, meta = decode_bytes(data)
        except DecodeError as exc:
            self.events.append(("error", job, str(exc)))
            return
        csv.field_size_limit(sys.maxsize)
        try:
            check = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep,
                                    quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE))
        except csv.Error as exc:
            self.events.append(("error", job, f"malformed CSV ({exc})"))
            return
        records = list(csv_records(text, sep, quoting))
        values = csv_values(text, records)
        # csv yields [] for a blank line; our scanner one empty field
        if [v for v in values if v != [""]] != [c for c in check if c != []]:
            self.events.append(("error", job, "CSV layout not reproducible exactly (unusual quoting)"))
            return
        self.events.append(("file-recipe", job, byte_recipe(data, text, meta), sha256(data), sep, quoting))
        yield from self._csv_rows(job, text, records, values, _CsvState())

    def _csv_rows(self, job: Job, text: str, records: list[CsvRecord], values: list[list[str]],
                  state: "_CsvState") -> Iterator[Document]:
        """The events and documents of ``records`` of ``text`` (the header first: ``state``
        carries it, and the row count, from one block of the file to the next)."""
        col = self.options.text_column
        for rec, vals in zip(records, values):
            raw = text[rec.start : rec.end]
            if state.header is None:
                state.header = csv_header(vals)
                self.events.append(("raw", job, raw))
                continue
            header = state.header
            if not state.failed and (problem := header_problem(col, header)):  # said once, at the first row
                state.failed = True
                self.events.append(("error", job, problem))
            if state.failed:
                return
            if vals == [""]:
                self.events.append(("raw", job, raw))
                continue
            state.index += 1
            row = dict(zip(header, vals))
            doc = self._row(job, row, state.index)
            if doc is None or len(vals) <= header.index(col):
                self.events.append(("raw", job, raw))
                continue
            s, e, q = rec.fields[header.index(col)]
            yield from self._emit(Unit(job, doc, state.index, raw, (s - rec.start, e - rec.start), {"quoted": q}))

    def _read_parquet(self, job: Job) -> Iterator[Document]:
        try:
            pf = parquet_file(job.input)
        except Exception as exc:  # pyarrow raises several types for a broken file
            self.events.append(("error", job, f"not a readable Parquet file ({exc})"))
            return
        names = pf.schema_arrow.names
        col = self.options.text_column
        problem = parquet_problem(pf, col)
        if problem:
            self.events.append(("error", job, problem))
            return
        self.events.append(("parquet-file", job, pf))
        wanted = [c for c in dict.fromkeys((col, self.options.id_column, self.options.lang_column,
                                            self.options.source_column)) if c in names]
        index = 0
        for table in parquet_slices(pf):
            self.events.append(("parquet-group", job, table))
            for row in table.select(wanted).to_pylist():
                index += 1
                doc = self._row(job, row, index)
                if doc is None or not isinstance(row.get(col), str):
                    self.events.append(("parquet-row", job, None))
                    continue
                yield from self._emit(Unit(job, doc, index))
            self.events.append(("parquet-group-end", job))


# =============================================================================================
# Writing: sinks per format, the partial manifest, resume
# =============================================================================================
def edit_records(unit: Unit, edits: list[Edit], output: str) -> list[dict]:
    text = unit.doc.text
    return [
        {"kind": "edit", "doc": unit.doc.id, "path": unit.job.input, "output": output, "row": unit.row,
         "start": e.start, "end": e.end, "before": text[e.start : e.end], "after": e.replacement,
         "rule": e.rule, "confidence": round(e.confidence, 4), "fingerprint": e.fingerprint}
        for e in edits
    ]


#: An output file's manifest records are held in memory up to this many; past it they go to a
#: spill file beside the partial manifest (``manifest.jsonl.partial.<seq>``), so that one large
#: input with millions of edits (a 10 GB JSONL file) does not hold them all.
SPILL_RECORDS = 20_000


class Records:
    """One output file's manifest records, serialised as they come (:func:`_dump`): in memory,
    and past :data:`SPILL_RECORDS` appended to ``spill``, a file beside the partial manifest.
    Without a partial manifest (``spill`` None: a dry run) they are only counted."""

    def __init__(self, spill: Path | None):
        self.spill = spill
        self.lines: list[str] = []
        self.count = 0
        self.edits = 0
        self.fh: IO[bytes] | None = None
        self.digest = hashlib.sha256()
        self.size = 0

    def append(self, record: dict) -> None:
        self.extend((record,))

    def extend(self, records: Iterable[dict]) -> None:
        for r in records:
            self.count += 1
            self.edits += r["kind"] == "edit"
            if self.spill is not None:
                self.lines.append(_dump(r))
        if len(self.lines) >= SPILL_RECORDS:
            self._flush()

    def __len__(self) -> int:
        return self.count

    def _flush(self) -> None:
        if self.fh is None:
            self.fh = open(self.spill, "wb")
        data = "".join(line + "\n" for line in self.lines).encode("utf-8")
        self.fh.write(data)
        self.digest.update(data)
        self.size += len(data)
        self.lines = []

    def close(self) -> dict | None:
        """The records complete: the spill file's name, size and hash once it is on disk (None
        when every record is still in ``lines``)."""
        if self.fh is None:
            return None
        self._flush()
        self.fh.flush()
        os.fsync(self.fh.fileno())  # before the partial manifest vouches for it
        self.fh.close()
        self.fh = None
        return {"file": self.spill.name, "bytes": self.size, "sha256": self.digest.hexdigest()}

    def discard(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
            self.spill.unlink(missing_ok=True)


def _spilled(partial: Path, spill: dict) -> Iterator[str]:
    """The records of a spill file (:meth:`Records.close`), streamed."""
    with open(partial.parent / spill["file"], "rb") as fh:
        for raw in fh:
            yield raw.decode("utf-8").rstrip("\n")


def _spill_intact(partial: Path, spill: dict) -> bool:
    path = partial.parent / spill["file"]
    try:
        return path.stat().st_size == spill["bytes"] and file_sha256(path) == spill["sha256"]
    except OSError:
        return False


class Sink:
    """Collects one output file's bytes (through a temporary file) and its manifest records."""

    def __init__(self, run: "Run", job: Job):
        self.run = run
        self.job = job
        self.records = run.records(job)
        self.file = {"kind": "file", "seq": job.seq, "path": job.input, "output": run.output_name(job),
                     "relpath": job.relpath, "format": job.kind, "input_stat": input_stat(job)}
        self.fh: IO[bytes] | None = None
        self.tmp: Path | None = None
        self.digest = hashlib.sha256()
        self.original = hashlib.sha256()

    # -- bytes ---------------------------------------------------------------------------------
    def open(self) -> None:
        if self.run.writing and self.job.target is not None:
            self.run.makedirs(self.job.target.parent)
            self.tmp = self.job.target.with_name("." + self.job.target.name + TMP_SUFFIX)
            self.fh = open(self.tmp, "wb")

    def write(self, data: bytes, original: bytes | None = None) -> None:
        self.digest.update(data)
        self.original.update(data if original is None else original)
        if self.fh is not None:
            self.fh.write(data)
        elif self.run.writing and self.job.target is None:
            self.run.stdout.write(data)

    def raw(self, data: bytes) -> None:
        """Bytes of the input written out as they are (a line or a document left alone)."""
        self.write(data)

    def abort(self) -> None:
        self.records.discard()
        if self.fh is not None:
            self.fh.close()
            self.tmp.unlink(missing_ok=True)
            self.fh = None

    def commit(self) -> None:
        self.file["sha256"] = self.file.get("sha256") or self.original.hexdigest()
        self.file["out_sha256"] = self.digest.hexdigest()
        if self.fh is not None:
            self.fh.close()
            self.fh = None
            if self.run.options.in_place and self.file["out_sha256"] == self.file["sha256"]:
                self.tmp.unlink()  # unchanged: leave the input (and its backup) alone
            else:
                self.run.install(self.job, self.tmp)
        self.run.record(self.job, self.file, self.records)

    # -- documents ----------------------------------------------------------------------------
    def add_edits(self, unit: Unit, rep: DocRepair) -> None:
        self.run.count(unit, rep)
        if self.file.get("restore"):  # a table re-encoded as a whole (UTF-16, legacy CSV): each document counts
            self.run.report.transcoded += 1
        self.records.extend(edit_records(unit, rep.edits, self.file["output"]))
        if rep.edits and self.run.diff is not None:
            label = unit.doc.id if unit.row is None else f"{unit.job.input}:{unit.row}"
            self.run.diff(label, unit.doc.text, rep.text)


class TextSink(Sink):
    def document(self, unit: Unit, rep: DocRepair) -> None:
        self.add_edits(unit, rep)
        self.file.update(encoding=unit.recipe.get("encoding", "utf_8"), restore=unit.recipe or None)
        if unit.recipe:
            self.run.report.transcoded += 1
        if rep.text is None and not unit.recipe:
            self.write(unit.data)
        else:
            self.write((rep.text if rep.text is not None else unit.doc.text).encode("utf-8"), unit.data)


class CopySink(Sink):
    def copy(self) -> None:
        with open(self.job.input, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                self.write(chunk)
        self.file["format"] = "copy"


class JsonlSink(Sink):
    def document(self, unit: Unit, rep: DocRepair) -> None:
        self.add_edits(unit, rep)
        raw = unit.raw.encode("utf-8")
        original = restore_bytes(unit.raw, unit.recipe)
        if rep.text is None and not unit.recipe:
            self.write(original)
            return
        s, e = unit.where
        restore = dict(unit.recipe)
        if unit.recipe:
            self.run.report.transcoded += 1
        if rep.text is not None:
            style = json_style(unit.doc.text, unit.raw[s:e])
            restore.update(style)
            raw = (unit.raw[:s] + json_token(rep.text, style) + unit.raw[e:]).encode("utf-8")
        self.records.append({"kind": "row", "doc": unit.doc.id, "path": unit.job.input, "row": unit.row,
                             "restore": restore})
        self.write(raw, original)


class CsvSink(Sink):
    def raw(self, data: str) -> None:
        self.write(data.encode("utf-8"), b"")

    def document(self, unit: Unit, rep: DocRepair) -> None:
        sep, quoting = self.file.get("separator", ","), self.file.get("quoting") != "none"
        if rep.text is not None and not quoting and any(c in rep.text for c in (sep, "\r", "\n")):
            self.run.report.errors.append(f"{unit.job.input}:{unit.row}: a repair would put a tab or a line break "
                                          "in a tab-separated field; the row is left as it was")
            rep = DocRepair(None, [])
        self.add_edits(unit, rep)
        if rep.text is None:
            self.raw(unit.raw)
            return
        s, e = unit.where
        quoted = unit.recipe["quoted"]
        restore = {"quoted": quoted}
        if csv_field(unit.doc.text, quoted, sep, quoting) != unit.raw[s:e]:
            restore["field"] = unit.raw[s:e]
        self.records.append({"kind": "row", "doc": unit.doc.id, "path": unit.job.input, "row": unit.row,
                             "restore": restore})
        self.write((unit.raw[:s] + csv_field(rep.text, quoted, sep, quoting) + unit.raw[e:]).encode("utf-8"), b"")


class ParquetSink(Sink):
    def start(self, pf) -> None:
        import pyarrow.parquet as pq

        md = pf.metadata
        self.compression = md.row_group(0).column(0).compression.lower() if md.num_row_groups and md.num_columns else "snappy"
        self.schema = pf.schema_arrow
        self.file.update(compression=self.compression, sha256=file_sha256(Path(self.job.input)))
        self.writer = None
        if self.run.writing:
            self.job.target.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = self.job.target.with_name("." + self.job.target.name + TMP_SUFFIX)
            self.writer = pq.ParquetWriter(self.tmp, self.schema, compression=self.compression)

    def group(self, table) -> None:
        self.table = table
        self.texts: list = []
        self.changed = False

    def row(self, value) -> None:
        self.texts.append(("keep", None))

    def document(self, unit: Unit, rep: DocRepair) -> None:
        self.add_edits(unit, rep)
        if rep.text is not None:
            self.changed = True
            self.records.append({"kind": "row", "doc": unit.doc.id, "path": unit.job.input, "row": unit.row,
                                 "restore": {}})
        self.texts.append(("set", rep.text) if rep.text is not None else ("keep", None))

    def group_end(self, column: str) -> None:
        table = self.table
        if self.changed:
            table = replace_column(table, column, self.texts)
        if self.writer is not None:
            self.writer.write_table(table, row_group_size=max(table.num_rows, 1))

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.file["out_sha256"] = file_sha256(self.tmp)
            if self.run.options.in_place and not self.records:
                self.tmp.unlink()
                self.file["out_sha256"] = self.file["sha256"]
            else:
                self.run.install(self.job, self.tmp)
        self.run.record(self.job, self.file, self.records)

    def abort(self) -> None:
        self.records.discard()
        if getattr(self, "writer", None) is not None:
            self.writer.close()
            self.tmp.unlink(missing_ok=True)


#: A Parquet row group larger than this (uncompressed, as its metadata gives it) is read, repaired
#: and written in slices of about this size, each an output row group of its own: pandas writes
#: up to a million rows in one row group, which read whole would take several times its size
#: in memory. Smaller row groups are written back as they were, one for one.
PARQUET_GROUP_BYTES = 32 << 20


def parquet_slices(pf) -> Iterator:
    """The tables of a Parquet file, in order: each row group whole, or a large one in slices
    (:data:`PARQUET_GROUP_BYTES`)."""
    import pyarrow as pa

    md = pf.metadata
    for g in range(md.num_row_groups):
        group = md.row_group(g)
        if group.num_rows <= 1 or group.total_byte_size <= PARQUET_GROUP_BYTES:
            yield pf.read_row_group(g)
            continue
        rows = max(1, group.num_rows * PARQUET_GROUP_BYTES // group.total_byte_size)
        for batch in pf.iter_batches(batch_size=rows, row_groups=[g]):
            yield pa.Table.from_batches([batch])


def replace_column(table, column: str, texts: list):
    import pyarrow as pa

    i = table.schema.get_field_index(column)
    old = table.column(i).to_pylist()
    new = [v if op == "keep" else t for v, (op, t) in zip(old, texts)]
    return table.set_column(i, table.schema.field(i), pa.array(new, type=table.schema.field(i).type))


SINKS = {"text": TextSink, "copy": CopySink, "jsonl": JsonlSink, "json": JsonlSink, "csv": CsvSink,
         "parquet": ParquetSink}


class Run:
    """One normalisation run: targets, the partial manifest, resume, counts."""

    def __init__(self, paths: list[str], jobs: list[Job], options: NormaliseOptions, config: Config,
                 stdout: IO[bytes], diff_out: IO[str] | None):
        self.paths = paths
        self.jobs = jobs
        self.options = options
        self.config = config
        self.report = NormaliseReport()
        self.writing = not options.dry_run
        self.stdout = stdout
        self.diff = self._diff if diff_out is not None else None
        self.diff_out = diff_out
        self.manifest = self._manifest_path()
        self.partial = Path(str(self.manifest) + ".partial") if self.manifest else None
        self.done: dict[int, dict] = {}  # outputs an interrupted run completed
        self.decided_docs: set[str] = set()
        self.partial_fh: IO[bytes] | None = None
        self.synced = 0.0
        self.made: set[Path] = set()

    # -- where things go --------------------------------------------------------------------
    def _manifest_path(self) -> Path | None:
        o = self.options
        if o.dry_run:
            return None
        if o.manifest is not None:
            return Path(o.manifest)
        suffix = ".parquet" if o.manifest_format == "parquet" else ".jsonl"
        if o.out is not None:
            return Path(o.out) / (MANIFEST_NAME + suffix)
        if o.in_place and self.jobs:
            first = Path(self.jobs[0].input)
            root = next((Path(p) for p in self.paths if first == Path(p) or Path(p) in first.parents), first)
            return root.with_name(root.name + ".normalise-" + MANIFEST_NAME + suffix)
        return None

    def output_name(self, job: Job) -> str:
        if job.target is None:
            return "-"
        base = self.manifest.parent if self.manifest else Path.cwd()
        if self.options.out is not None and base == Path(self.options.out):
            return job.relpath
        return os.path.relpath(job.target, base)

    def makedirs(self, folder: Path) -> None:
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def install(self, job: Job, tmp: Path) -> None:
        """Rename a finished temporary file into place (backing up the input when in place)."""
        target = job.target
        if self.options.in_place and self.options.backup:
            backup = Path(str(target) + self.options.backup)
            atomic_write(backup, lambda fh: fh.write(Path(target).read_bytes()))
        os.replace(tmp, target)

    # -- the partial manifest ----------------------------------------------------------------
    def signature(self) -> dict:
        """What must match for a rerun to resume an interrupted run (as JSON would give it back)."""
        o = self.options
        return json.loads(json.dumps({"kind": "run", "inputs": [j.input for j in self.jobs], "out": str(o.out) if o.out else None,
                "in_place": o.in_place, "policy": asdict(o.policy), "decisions": o.decisions_path,
                "select": self.config.select, "ignore": self.config.ignore, "text_column": self.config.text_column,
                "lang": self.config.lang}))

    def prepare(self) -> None:
        """Refuse what could lose data; pick up an interrupted run."""
        o = self.options
        if o.dry_run:
            return
        if o.out is not None:
            out = Path(o.out).resolve()
            for given in self.paths:
                if given != "-" and (Path(given).resolve() == out or out in Path(given).resolve().parents):
                    raise NormaliseError(f"input {given} lies inside --out {o.out}: an output could overwrite it; "
                                         "choose another --out (or --in-place)")
        for job in self.jobs:
            if job.input != "-":
                job.target = Path(job.input) if o.in_place else Path(o.out) / job.relpath
        if self.manifest is not None and self.manifest.exists() and not o.force:
            raise NormaliseError(f"{self.manifest} exists: {o.out or 'the output'} already holds a finished run; "
                                 "use --force to normalise again over it")
        if self.partial is not None and self.partial.exists():
            self._load_partial()
        elif o.out is not None and Path(o.out).exists() and any(Path(o.out).iterdir()) and not o.force:
            raise NormaliseError(f"output directory {o.out} is not empty; use --force to write into it")
        if o.in_place and o.backup and not o.force:
            for job in self.jobs:
                if job.seq not in self.done and job.input != "-" and Path(job.input + o.backup).exists():
                    raise NormaliseError(f"backup {job.input + o.backup} already exists; remove it or choose "
                                         "another --backup suffix")
        if self.partial is not None and not self.done:
            self.partial.parent.mkdir(parents=True, exist_ok=True)
            with open(self.partial, "wb") as fh:
                fh.write(json.dumps(self.signature(), ensure_ascii=False).encode("utf-8") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
        if self.partial is not None:
            self.partial_fh = open(self.partial, "ab")

    def _load_partial(self) -> None:
        """The outputs an interrupted run completed, from its progress file, read line by line
        (one line per output: a run over a million files is not read whole); the file is cut
        after its last good line (a torn one is dropped) so that appends start on a clean line."""
        good_end, unterminated, run = 0, False, None
        with open(self.partial, "rb") as fh:
            for raw in fh:
                try:
                    rec = json.loads(raw)
                except ValueError:
                    break  # a torn last line
                if run is None:
                    run = rec
                    if not isinstance(run, dict) or run.get("kind") != "run":
                        break
                    if run != self.signature():
                        break
                elif "spill" not in rec or _spill_intact(self.partial, rec["spill"]):
                    self.done[rec["seq"]] = json.loads(rec["lines"][0])
                good_end += len(raw)
                unterminated = not raw.endswith(b"\n")
        if not isinstance(run, dict) or run.get("kind") != "run":
            raise NormaliseError(f"{self.partial} is not a normalise progress file; remove it or use --force")
        if run != self.signature():
            if not self.options.force:
                raise NormaliseError(f"{self.partial}: an interrupted run with other inputs or options; "
                                     "rerun it as it was, or use --force to start over")
            atomic_write(self.partial, lambda fh: fh.write(json.dumps(self.signature(), ensure_ascii=False).encode("utf-8") + b"\n"))
        else:
            with open(self.partial, "r+b") as fh:
                fh.truncate(good_end)
                if unterminated:  # (a last line complete but for its line feed)
                    fh.seek(good_end)
                    fh.write(b"\n")
                fh.flush()
                os.fsync(fh.fileno())
        # an output counts as complete only if its bytes are the ones recorded
        for seq, f in list(self.done.items()):
            job = self.jobs[seq] if seq < len(self.jobs) else None
            if job is None or job.input != f["path"] or job.target is None or not job.target.exists() or \
                    (not self.options.in_place and f.get("input_stat") != input_stat(job)) or \
                    file_sha256(job.target) != f.get("out_sha256"):
                del self.done[seq]

    def records(self, job: Job) -> Records:
        """The manifest records of one output file (spilled beside the partial manifest)."""
        return Records(self.partial.with_name(f"{self.partial.name}.{job.seq}") if self.partial is not None else None)

    def record(self, job: Job, file_record: dict, records: Records) -> None:
        self.report.files += 1
        if self.partial_fh is None:
            records.discard()
            return
        # one line per output file (a torn line loses only that file); its records were
        # serialised as they came, and are copied as they are into the final manifest: in the
        # line, or, past SPILL_RECORDS, in a spill file the line names (with its size and hash)
        spill = records.close()
        group = {"seq": job.seq, "n": records.edits, "lines": [_dump(file_record)] + records.lines}
        if spill is not None:
            group["spill"] = spill
        line = json.dumps(group, ensure_ascii=False).encode("utf-8") + b"\n"
        self.partial_fh.write(line)
        self.partial_fh.flush()
        now = time.monotonic()
        if now - self.synced > 1.0:
            os.fsync(self.partial_fh.fileno())
            self.synced = now

    def finish(self) -> None:
        """Write the final manifest (in input order) from the partial one."""
        if self.partial_fh is not None:
            self.partial_fh.close()
        if self.manifest is None:
            return
        groups: dict[int, int] = {}
        n_edits = 0
        with open(self.partial, "rb") as fh:
            run = fh.readline()
            while True:
                pos = fh.tell()
                raw = fh.readline()
                if not raw:
                    break
                m = GROUP_HEAD.match(raw)
                groups[int(m[1])] = pos
                n_edits += int(m[2])

        def rows() -> Iterator[str]:
            yield run.decode("utf-8").rstrip("\n")
            with open(self.partial, "rb") as fh:
                for seq in sorted(groups):
                    fh.seek(groups[seq])
                    group = json.loads(fh.readline())
                    yield from group["lines"]
                    if "spill" in group:
                        yield from _spilled(self.partial, group["spill"])

        fmt = self.options.manifest_format or ("parquet" if self.manifest.suffix == ".parquet" else "jsonl")
        if self.options.manifest_format is None and n_edits > PARQUET_MANIFEST_EDITS and self.options.manifest is None:
            fmt = "parquet"
            self.manifest = self.manifest.with_suffix(".parquet")
        write_manifest(self.manifest, rows(), fmt)
        self.partial.unlink()
        # the spill files (Run.records names them), with any an interrupted output left
        for path in self.partial.parent.glob(glob.escape(self.partial.name) + ".*"):
            if path.name.rsplit(".", 1)[1].isdigit():
                path.unlink(missing_ok=True)
        self.report.manifest = self.manifest

    # -- counts and diff -------------------------------------------------------------------
    def count(self, unit: Unit, rep: DocRepair) -> None:
        r = self.report
        if rep.edits:
            r.changed_documents += 1
            r.edits += len(rep.edits)
            r.by_rule.update(e.rule for e in rep.edits)
        r.stale_decisions += rep.stale
        r.conflicting_decisions += rep.conflicts

    def _diff(self, label: str, before: str, after: str) -> None:
        lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                     f"a/{label}", f"b/{label}", n=1)
        for line in lines:
            self.diff_out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")


MANIFEST_COLUMNS = {
    "kind": "String", "seq": "Int64", "doc": "String", "path": "String", "output": "String", "relpath": "String",
    "format": "String", "row": "Int64", "start": "Int64", "end": "Int64", "before": "String", "after": "String",
    "rule": "String", "confidence": "Float64", "fingerprint": "String", "encoding": "String", "sha256": "String",
    "out_sha256": "String", "compression": "String", "restore": "String", "run": "String",
}


GROUP_HEAD = re.compile(rb'\{"seq": (\d+), "n": (\d+),')


def _dump(rec: dict) -> str:
    return json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False)


def write_manifest(path: Path, rows: Iterator[str], fmt: str) -> None:
    """Write manifest records (JSON strings) atomically as JSON Lines or Parquet (streamed in chunks)."""
    if fmt == "jsonl":
        def write(fh):
            for rec in rows:
                fh.write(rec.encode("utf-8") + b"\n")
        atomic_write(path, write)
        return
    rows = (json.loads(r) for r in rows)
    import polars as pl
    import pyarrow.parquet as pq

    schema = pl.Schema({k: getattr(pl, t) for k, t in MANIFEST_COLUMNS.items()})

    def flat(rec: dict) -> dict:
        out = {k: rec.get(k) for k in MANIFEST_COLUMNS}
        if rec.get("kind") == "run":
            out["run"] = json.dumps(rec, ensure_ascii=False)
        if isinstance(out["restore"], dict):
            out["restore"] = json.dumps(out["restore"], ensure_ascii=False)
        return out

    def write(fh):
        writer = None
        chunk: list[dict] = []
        for rec in rows:
            chunk.append(flat(rec))
            if len(chunk) >= 50_000:
                writer = _flush(writer, fh, chunk, schema)
                chunk = []
        writer = _flush(writer, fh, chunk, schema)
        writer.close()

    def _flush(writer, fh, chunk, schema):
        table = pl.DataFrame(chunk, schema=schema, orient="row").to_arrow()
        if writer is None:
            writer = pq.ParquetWriter(fh, table.schema)
        if chunk:
            writer.write_table(table)
        return writer

    atomic_write(path, write)


def read_manifest(path: Path) -> Iterator[dict]:
    """Records of a manifest written by :func:`write_manifest`, streamed."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=20_000):
            for rec in batch.to_pylist():
                if rec["kind"] == "run":
                    yield json.loads(rec["run"])
                    continue
                if rec.get("restore"):
                    rec["restore"] = json.loads(rec["restore"])
                yield {k: v for k, v in rec.items() if v is not None and k != "run"}
        return
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            if raw.strip():
                yield json.loads(raw)


# =============================================================================================
# The run
# =============================================================================================
def _events_until(run: Run, reader: Reader, sinks: dict):
    """Handle queued events up to (and returning) the next document unit."""
    while reader.events:
        ev = reader.events.popleft()
        kind, job = ev[0], (ev[1].job if ev[0] == "doc" else ev[1])
        if kind == "open":
            sink = SINKS[job.kind](run, job)
            sinks[job.seq] = sink
            if job.kind != "parquet":
                sink.open()
            if job.kind == "copy":
                sink.copy()
                run.report.copied += 1
        elif kind == "error":
            sink = sinks[job.seq]
            sink.abort()
            run.report.errors.append(f"{job.input}: {ev[2]}")
            sink = CopySink(run, job)
            sinks[job.seq] = sink
            sink.open()
            if job.input != "-":
                sink.copy()
            run.report.copied += 1
        elif kind == "raw":
            sinks[job.seq].raw(ev[2])
        elif kind == "file-recipe":  # (job, recipe, sha256[, CSV separator, quoting])
            sinks[job.seq].file.update(encoding=ev[2].get("encoding", "utf_8"), restore=ev[2] or None, sha256=ev[3])
            if len(ev) > 4 and ev[4] != ",":
                sinks[job.seq].file["separator"] = ev[4]
            if len(ev) > 5 and not ev[5]:
                sinks[job.seq].file["quoting"] = "none"
        elif kind == "parquet-file":
            sinks[job.seq].start(ev[2])
        elif kind == "parquet-group":
            sinks[job.seq].group(ev[2])
        elif kind == "parquet-row":
            sinks[job.seq].row(None)
        elif kind == "parquet-group-end":
            sinks[job.seq].group_end(run.config.text_column)
        elif kind == "close":
            sinks.pop(job.seq).commit()
        elif kind == "doc":
            return ev[1]
    return None


def with_sources(docs: Iterator[Document], paths: list[str], config: Config, options: InputOptions,
                 report: NormaliseReport) -> Iterator[Document]:
    """Attach ``--source`` texts as ``audit check`` does (bilingual rules need them)."""
    source_path = getattr(config, "source_path", None)
    if not source_path:
        yield from docs
        return
    from .sources import attach_sources

    for item in attach_sources(docs, source_path, options, Tally(), list(paths), config.source_lang):
        if isinstance(item, InputError):
            report.errors.append(str(item))
        else:
            yield item


def normalise(paths: list[str], config: Config, options: NormaliseOptions,
              stdout: IO[bytes] | None = None, diff_out: IO[str] | None = None) -> NormaliseReport:
    """Normalise ``paths`` as :mod:`audit.normalise` describes; returns the counts."""
    o = options
    if o.in_place and o.out is not None:
        raise NormaliseError("--in-place and --out exclude each other")
    if o.in_place and not (o.backup or o.no_backup):
        raise NormaliseError("--in-place needs --backup SUFFIX (e.g. --backup .orig) or an explicit --no-backup")
    if o.backup and not o.in_place:
        raise NormaliseError("--backup only applies with --in-place")
    jobs = discover(paths)
    if any(j.input == "-" for j in jobs) and len(jobs) > 1:
        raise NormaliseError("stdin (-) cannot be combined with other inputs")
    if not o.dry_run and o.out is None and not o.in_place and not (jobs and jobs[0].input == "-"):
        raise NormaliseError("give --out DIR (or --in-place, or --dry-run)")
    if o.in_place and any(j.kind == "copy" for j in jobs):
        jobs = [j for j in jobs if j.kind != "copy"]  # nothing to copy onto itself
    if o.out is not None and not o.dry_run:
        out = Path(o.out).resolve()
        for given in paths:
            if given != "-" and Path(given).is_dir():
                root = Path(given).resolve()
                if out == root or root in out.parents:
                    raise NormaliseError(f"--out {o.out} lies inside the input {given}; choose a folder outside it")
    run = Run(paths, jobs, o, config, stdout or sys.stdout.buffer, diff_out)
    run.prepare()
    input_opts = InputOptions.from_config(config)
    reader = Reader([j for j in jobs if j.seq not in run.done], input_opts, run.report)
    run.report.resumed = len(run.done)
    decisions = None
    if o.decisions is not None:
        from .decisions import cross_document
        from .detectors import DETECTORS

        decisions = {}
        corpus_stage = cross_document(o.decisions)
        for (doc, fp), d in o.decisions.items():
            if (doc, fp) in corpus_stage:
                # a cross-document finding exists only once the whole corpus is read: not applied
                run.report.cross_document_decisions += d.decision in ("accept", "edit")
                continue
            decisions.setdefault(doc, {})[(doc, fp)] = d
        # run only the rules a reviewer decided on (all of them when none is known)
        rules = sorted({d.rule for d in o.decisions.values()} & set(DETECTORS))
        config = config.replace(select=rules or None, ignore=[])
    else:
        config = repairing_config(config, o.policy)
    work = functools.partial(repair_batch, policy=o.policy, decisions=decisions)
    sinks: dict[int, Sink] = {}
    try:
        for batch in run_batches(with_sources(reader.documents(), paths, config, input_opts, run.report),
                                 config, config.jobs, work=work):
            for doc_id, rule, message in batch.failures:
                run.report.failures.append(f"{doc_id}: rule {rule} failed ({message})")
            for rep in batch.repairs:
                unit = _events_until(run, reader, sinks)
                if decisions is not None:
                    run.decided_docs.add(unit.doc.id)
                sinks[unit.job.seq].document(unit, rep)
        while _events_until(run, reader, sinks) is not None:
            pass  # pragma: no cover - every document came back from the engine
    except BaseException:
        for sink in sinks.values():
            sink.abort()
        if run.partial_fh is not None:
            run.partial_fh.close()
        raise
    if decisions is not None:  # decisions for documents that were not in the input
        run.report.stale_decisions += sum(
            1 for doc, ds in decisions.items() if doc not in run.decided_docs
            for d in ds.values() if d.decision in ("accept", "edit"))
    run.finish()
    return run.report


# =============================================================================================
# Revert
# =============================================================================================
def _inverse(records: list[dict], text: str, where: str) -> str:
    edits = sorted((Edit(r["start"], r["end"], r["after"], r["rule"]) for r in records), key=lambda e: (e.start, e.end))
    spans = output_spans(edits)
    inv = []
    for r, e, (s, t) in zip(sorted(records, key=lambda r: (r["start"], r["end"])), edits, spans):
        if text[s:t] != r["after"]:
            raise NormaliseError(f"{where}: the normalised text changed since the run "
                                 f"(expected {r['after']!r} at {s}, found {text[s:t]!r}); cannot revert")
        inv.append(Edit(s, t, r["before"], r["rule"]))
    return apply_plan(text, inv)


@dataclass
class RevertReport:
    files: int = 0
    identical: int = 0  # byte for byte, verified by hash
    content_only: list[str] = field(default_factory=list)  # Parquet written by another writer


def _group_manifest(path: Path) -> Iterator[tuple[dict, dict, Iterator[dict]]]:
    """(run record, file record, that file's other records) for each output file, in manifest
    order, streamed: a file's records are read as the caller iterates them (what it leaves
    unread is skipped when the next file is asked for)."""
    heads = 0

    def group(rec: dict) -> int:  # a run or file record opens a group, its records follow it
        nonlocal heads
        heads += rec.get("kind") in ("run", "file")
        return heads

    run: dict = {}
    for _, records in itertools.groupby(read_manifest(path), group):
        head = next(records)
        if head.get("kind") == "run":
            run = head
        elif head.get("kind") == "file":
            yield run, head, records


class _RowRecords:
    """The ``row`` and ``edit`` records of one table output, read from its stream of records as
    the revert reaches their rows (records come in row order, as normalise writes them: a
    file with millions of edits is never held): ``restore(i)`` and ``edits(i)`` for rows ``i``
    asked in increasing order."""

    def __init__(self, records: Iterator[dict], where: str):
        self._records = records
        self._where = where
        self._next: dict | None = None  # the first record of a row not reached yet
        self._row = 0
        self._restore: dict | None = None
        self._edits: list[dict] = []

    def _reach(self, row: int) -> None:
        if row == self._row:
            return
        if row < self._row:
            raise NormaliseError(f"{self._where}: rows asked out of order")  # pragma: no cover - a bug
        self._row, self._restore, self._edits = row, None, []
        while True:
            rec = self._next if self._next is not None else next(self._records, None)
            self._next = None
            if rec is None:
                return
            at = rec.get("row")
            if at is None or at < row:
                raise NormaliseError(f"{self._where}: manifest records out of row order (a record of row {at} "
                                     f"after row {row - 1}'s); was the manifest edited?")
            if at > row:
                self._next = rec
                return
            if rec["kind"] == "row":
                self._restore = rec.get("restore") or {}
            elif rec["kind"] == "edit":
                self._edits.append(rec)

    def restore(self, row: int) -> dict | None:
        """The row's ``row`` record's restore recipe, None when the row was left as it was."""
        self._reach(row)
        return self._restore

    def edits(self, row: int) -> list[dict]:
        self._reach(row)
        return self._edits


def revert(manifest: Path, out: Path | None, force: bool = False, stdin: IO[bytes] | None = None,
           stdout: IO[bytes] | None = None) -> RevertReport:
    """Restore the original documents of a normalise run from its outputs and its manifest."""
    manifest = Path(manifest)
    if not manifest.exists():
        raise NormaliseError(f"{manifest}: no such manifest")
    if out is not None and Path(out).exists() and any(Path(out).iterdir()) and not force:
        raise NormaliseError(f"output directory {out} is not empty; use --force to write into it")
    report = RevertReport()
    base = manifest.parent
    for run, f, records in _group_manifest(manifest):
        report.files += 1
        source = None if f["output"] == "-" else base / f["output"]
        if source is not None and not source.exists():
            raise NormaliseError(f"{source}: normalised output missing; cannot revert {f['path']}")
        fmt = f["format"]
        rows = _RowRecords(records, f["path"])
        column = run.get("text_column") or "text"
        if fmt == "parquet":
            chunks: Iterator[bytes] = _revert_parquet(source, f, rows, column)
        elif source is None:  # stdin: one document or table, read whole
            blob = (stdin or sys.stdin.buffer).read()
            chunks = _revert_chunks(fmt, io.BytesIO(blob), f, records, rows, column)
        else:
            chunks = _revert_chunks(fmt, source, f, records, rows, column)
        # the original's bytes, piece by piece (a large file is never held whole), hashed as
        # they are written; kept only when the hash is the original's — or, for Parquet, which
        # another writer may have laid out otherwise, anyway (reported: identical in content).
        # Raising before the rename leaves nothing written (atomic_write).
        digest = hashlib.sha256()

        def verified(f=f, fmt=fmt, digest=digest) -> None:
            if digest.hexdigest() == f.get("sha256"):
                report.identical += 1
            elif fmt == "parquet":
                report.content_only.append(f["path"])
            else:
                raise NormaliseError(f"{f['path']}: reverted bytes do not match the original's hash; not written")

        if out is None:
            data = b"".join(chunks)
            digest.update(data)
            verified()
            (stdout or sys.stdout.buffer).write(data)
        else:
            def write(fh, chunks=chunks, digest=digest) -> None:
                for chunk in chunks:
                    digest.update(chunk)
                    fh.write(chunk)
                verified()

            atomic_write(Path(out) / f["relpath"], write)
    return report


def _revert_chunks(fmt: str, source, f: dict, records: Iterator[dict], rows: _RowRecords,
                   column: str) -> Iterator[bytes]:
    """The original bytes of one output (a path, or a binary file object for stdin), in pieces.
    ``records``: the file's manifest records (a text file's edits: one document); ``rows``:
    the same records by row (tables)."""
    if fmt == "copy":
        with (open(source, "rb") if isinstance(source, Path) else source) as fh:
            yield from iter(lambda: fh.read(1 << 20), b"")
    elif fmt == "text":
        blob = source.read_bytes() if isinstance(source, Path) else source.read()
        text = _inverse([r for r in records if r["kind"] == "edit"], blob.decode("utf-8"), f["path"])
        yield restore_bytes(text, f.get("restore") or {})
    elif fmt in ("jsonl", "json"):
        with (open(source, "rb") if isinstance(source, Path) else source) as fh:
            if fmt == "jsonl":
                lines = _revert_jsonl(enumerate(fh, start=1), f, rows, column)
            else:  # a JSON array: its elements (what lies between them is as it was)
                text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
                lines = _revert_jsonl(((n, piece.encode("utf-8")) for n, piece, _ in json_array_pieces(text)),
                                      f, rows, column)
            try:
                if f.get("restore"):  # a UTF-16 file, written as UTF-8: encoded back as a whole
                    yield from _restore_pieces((b.decode("utf-8") for b in lines), f["restore"])
                else:
                    yield from lines
            except JsonArrayError as exc:
                raise NormaliseError(f"{source}: {exc}: was the output edited?") from None
    else:
        yield from _restore_pieces(_revert_csv(source, f, rows, column), f.get("restore") or {})


def _revert_jsonl(numbered: Iterable[tuple[int | None, bytes]], f: dict, rows: _RowRecords,
                  column: str) -> Iterator[bytes]:
    """The original bytes of JSON rows ``(number, bytes)``; ``(None, bytes)`` is not a row."""
    for index, raw in numbered:
        restore = None if index is None else rows.restore(index)
        if restore is None:
            yield raw
            continue
        line = raw.decode("utf-8")
        edits = rows.edits(index)
        if edits:
            s, e = json_value_span(line, column)
            value = _inverse(edits, json.loads(line[s:e]), f"{f['path']}:{index}")
            token = restore.get("token") or json_token(value, restore)
            line = line[:s] + token + line[e:]
        yield restore_bytes(line, restore)


def _revert_csv(source, f: dict, rows: _RowRecords, column: str) -> Iterator[str]:
    """The original text of a normalised CSV output (a path, read block by block, or a binary
    file object), in pieces."""
    sep, quoting = f.get("separator", ","), f.get("quoting") != "none"
    if isinstance(source, Path):
        blocks = csv_blocks(source, sep=sep, quoting=quoting)
    else:
        text = source.read().decode("utf-8")
        blocks = iter(((text, list(csv_records(text, sep, quoting))),))
    header = None
    index = 0
    for text, records in blocks:
        out = []
        for rec, vals in zip(records, csv_values(text, records)):
            raw = text[rec.start : rec.end]
            if header is None:
                header = csv_header(vals)
                out.append(raw)
                continue
            if vals == [""]:
                out.append(raw)
                continue
            index += 1
            restore, edits = rows.restore(index), rows.edits(index)
            if restore is not None and edits:
                s, e, q = rec.fields[header.index(column)]
                value = _inverse(edits, csv_value(text[s:e], q), f"{f['path']}:{index}")
                field_text = restore.get("field") or csv_field(value, restore.get("quoted", q), sep, quoting)
                raw = text[rec.start : s] + field_text + text[e : rec.end]
            out.append(raw)
        yield "".join(out)


def _restore_pieces(texts: Iterable[str], recipe: dict) -> Iterator[bytes]:
    """What turns the concatenated ``texts`` back into the original bytes (:func:`byte_recipe`),
    piece by piece (the encodings a recipe names keep no state from one character to the
    next): the bytes kept whole, or the texts encoded after a prefix (a UTF-16 BOM)."""
    if "original" in recipe:
        for _ in texts:  # (every piece reverted: a changed output is still refused)
            pass
        yield unpack(recipe["original"])
        return
    encoding = recipe.get("encoding") or "utf-8"
    prefix = bytes.fromhex(recipe.get("prefix", ""))
    if prefix:
        yield prefix
    for text in texts:
        yield text.encode(encoding)


class _Pieces(io.RawIOBase):
    """A write-only file that keeps what is written until taken (:meth:`take`), and counts
    the bytes written for ``tell`` (what a Parquet writer asks to lay out its footer)."""

    def __init__(self):
        super().__init__()
        self.parts: list[bytes] = []
        self.pos = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def _revert_parquet(source: Path, f: dict, rows: _RowRecords, column: str) -> Iterator[bytes]:
    """The Parquet file with its original texts, row group by row group."""
    import pyarrow.parquet as pq

    pf = parquet_file(source)
    sink = _Pieces()
    writer = pq.ParquetWriter(sink, pf.schema_arrow, compression=f.get("compression") or "snappy")
    index = 0
    for table in parquet_slices(pf):
        changed = []  # (position in the group, row, its edits)
        for k in range(table.num_rows):
            index += 1
            edits = rows.edits(index)
            if edits:
                changed.append((k, index, edits))
        if changed:
            values = table.column(column).to_pylist()
            new = [("keep", None)] * table.num_rows
            for k, i, edits in changed:
                new[k] = ("set", _inverse(edits, values[k], f"{f['path']}:{i}"))
            table = replace_column(table, column, new)
        writer.write_table(table, row_group_size=max(table.num_rows, 1))
        yield sink.take()
    writer.close()
    yield sink.take()
