"""Reading inputs: files, directories, JSONL/CSV/TSV/Parquet corpora and stdin, streamed.

Everything that comes in becomes either a :class:`~audit.document.Document` or an
:class:`InputError` — a clear one-line message naming the input — and the run goes on.
Bytes that are not valid UTF-8 are decoded with a detected legacy encoding; the document
records it in ``meta["decoded_as"]`` and the ``input-encoding`` rule reports it.

Tables stream in bounded batches: JSONL line by line, a JSON array element by element,
CSV through the ``csv`` module, Parquet by row group — a corpus larger than memory is never
loaded whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .document import Document

TEXT_SUFFIXES = (".txt", ".md")
#: A per-row source language in tables (``--source-lang`` and config win when given).
SOURCE_LANG_COLUMN = "source_lang"
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet")
#: Legacy encodings tried on bytes that are not UTF-8, in order of preference.
LEGACY_ENCODINGS = ("cp1251", "cp1252", "cp1254", "koi8_r", "cp1250", "cp1253", "iso8859_9", "latin_1")


#: Documents larger than this many megabytes (UTF-8) are skipped, with an error, unless the
#: limit is raised (``--max-document-mb``, config ``max_document_mb``; 0: none). The analysis
#: of a document holds about 50–70 times its size in memory (a 10 MB book took 700 MB), so
#: one huge file — a dump pasted into one text — would otherwise take a machine's memory.
MAX_DOCUMENT_MB = 32.0


@dataclass(frozen=True)
class InputError:
    input: str
    message: str
    reason: str = "error"  # or "too-large": a document over the size limit, skipped; "not-text": the text column holds a number, a list…

    def __str__(self) -> str:
        return f"{self.input}: {self.message}"


@dataclass
class InputOptions:
    text_column: str = "text"
    id_column: str = "id"
    lang_column: str = "lang"
    source_column: str = "source"
    lang: str | None = None
    max_document_mb: float = MAX_DOCUMENT_MB  # 0: no limit

    @classmethod
    def from_config(cls, config) -> "InputOptions":
        """The input options of a :class:`~audit.config.Config`."""
        return cls(text_column=config.text_column, id_column=config.id_column, lang_column=config.lang_column,
                   source_column=config.source_column, lang=config.lang, max_document_mb=config.max_document_mb)

    def too_large(self, size: int) -> str | None:
        """Why a document of ``size`` bytes (UTF-8) is skipped, or None when it is not."""
        limit = self.max_document_mb
        if not limit or size <= limit * 1e6:
            return None
        return (f"{size / 1e6:.1f} MB, over the limit of {limit:g} MB for one document (its analysis needs "
                f"about 50-70 times that in memory): split it, or raise --max-document-mb (0: no limit)")


@dataclass
class Tally:
    """What the reader saw, for the run summary."""

    documents: int = 0
    skipped: int = 0
    errors: list[InputError] = field(default_factory=list)
    bytes: int = 0


# -- decoding ---------------------------------------------------------------------------------
class DecodeError(ValueError):
    pass


def _register_fallbacks() -> None:
    for enc in LEGACY_ENCODINGS:
        def handler(exc: UnicodeDecodeError, enc=enc):
            return exc.object[exc.start : exc.end].decode(enc, errors="replace"), exc.end

        codecs.register_error(f"audit-{enc}", handler)


_register_fallbacks()


#: C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_BINARY_CONTROLS = bytes(b for b in range(32) if b < 9 or 13 < b)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))  # counted in C, not per byte
    return controls > len(head) * 0.1


#: Bytes of lines holding non-ASCII bytes that legacy-encoding detection judges on.
LEGACY_SAMPLE = 65536


def legacy_sample(blocks: Iterable[bytes]) -> bytes:
    """The first :data:`LEGACY_SAMPLE` bytes of the lines (as ``bytes.splitlines`` cuts them)
    that hold a non-ASCII byte, joined by line feeds: what :func:`detect_legacy` judges on.
    Reads the blocks only as far as it needs, and keeps at most a sample's worth of a line,
    so a file larger than memory is read only a few blocks in.

    >>> legacy_sample([b"ab\\r", b"\\n\\xe9t\\xe9\\rok\\n", b"na\\xefve"])
    b'\\xe9t\\xe9\\nna\\xefve'
    """
    limit = LEGACY_SAMPLE
    parts: list[bytes] = []
    size = 0
    # the line read so far (its first bytes), whether it holds a non-ASCII byte, and whether
    # the last block ended on a \r (whose \n may open the next one)
    head, foreign, after_cr = b"", False, False

    def end_line(content: bytes, more_foreign: bool) -> bool:
        """The line ends; True when the sample is complete."""
        nonlocal size
        if more_foreign:
            parts.append(content[:limit])
            size += len(content) + 1
        return size > limit

    for block in blocks:
        pos = 1 if after_cr and block[:1] == b"\n" else 0  # a \r\n cut between two blocks
        after_cr = False
        if pos >= len(block):
            continue
        if block.isascii():  # only the line carried over can be sampled: its end, then the last line
            first = _LINE_END.search(block, pos)
            if first is None:
                head = (head + block[pos:])[:limit]
                continue
            if end_line(head + block[pos:first.start()], foreign):
                break
            last = max(block.rfind(b"\n"), block.rfind(b"\r"))
            head, foreign = block[last + 1:][:limit], False
            after_cr = last == len(block) - 1 and block.endswith(b"\r")
            continue
        for m in _LINE_END.finditer(block, pos):
            segment = block[pos:m.start()]
            if end_line(head + segment, foreign or not segment.isascii()):
                return b"\n".join(parts)[:limit]
            head, foreign, pos = b"", False, m.end()
        rest = block[pos:]
        head = (head + rest)[:limit]
        foreign = foreign or not rest.isascii()
        after_cr = pos == len(block) and block.endswith(b"\r")
    else:
        if head or foreign:  # a last line without a line break
            end_line(head, foreign)
    return b"\n".join(parts)[:limit]


_LINE_END = re.compile(rb"\r\n|\r|\n")


def file_blocks(path: str | Path, size: int = 1 << 20) -> Iterator[bytes]:
    """A file's bytes, ``size`` at a time."""
    with open(path, "rb") as fh:
        while block := fh.read(size):
            yield block


def detect_legacy(data: bytes, sample: bytes | None = None) -> str:
    """The most plausible legacy encoding of bytes that are not UTF-8 (``sample``: their
    :func:`legacy_sample`, when read apart, as from a file streamed)."""
    from charset_normalizer import from_bytes

    # judge on the lines that hold non-ASCII bytes: a few accented words in a large
    # ASCII file otherwise drown in the noise
    sample = (legacy_sample((data,)) if sample is None else sample) or data
    matches = list(from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        return "cp1252"

    def name(m) -> str:
        return codecs.lookup(m.encoding).name.replace("-", "_")

    def preference(m) -> int:
        n = name(m)
        return LEGACY_ENCODINGS.index(n) if n in LEGACY_ENCODINGS else len(LEGACY_ENCODINGS)

    # least chaos, then most language coherence, then our order (cp1252 before cp1250 on a tie)
    best = name(min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), preference(m))))
    if best in ("cp1252", "latin_1") and _looks_turkish_in_cp1252(sample):
        return "cp1254"
    return best


#: Turkish ı ş ğ İ Ş Ğ saved as cp1254 read back as cp1252: ý þ ð Ý Þ Ð. Outside Icelandic
#: (which has æ and no ş-like context) these letters beside ö ü ç are a Turkish signature.
_CP1254_AS_1252 = set("ýþðÝÞÐ")


def _looks_turkish_in_cp1252(sample: bytes) -> bool:
    text = sample.decode("cp1252", errors="replace")
    return any(c in _CP1254_AS_1252 for c in text) and not any(c in "æÆ" for c in text)


def utf16_bom(head: bytes) -> bytes | None:
    """The UTF-16 byte-order mark ``head`` starts with, if any (such a file is UTF-16)."""
    return head[:2] if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else None


def file_utf16_bom(path: str | Path) -> bytes | None:
    """:func:`utf16_bom` of a file's first bytes."""
    with open(path, "rb") as fh:
        return utf16_bom(fh.read(2))


def utf16_error(bom: bytes, exc: UnicodeDecodeError, offset: int = 0) -> str:
    """What is wrong with a file that starts with a UTF-16 byte-order mark and does not decode
    (truncated, a lone surrogate): where, in bytes from the start of the file (``offset``: of
    the bytes ``exc`` was raised on)."""
    order = "little" if bom == codecs.BOM_UTF16_LE else "big"
    return f"not valid UTF-16 ({order}-endian byte-order mark): {exc.reason} at byte {offset + exc.start}"


def utf16_problem(path: str | Path, bom: bytes, digest=None) -> str | None:
    """:func:`utf16_error` of a UTF-16 file (which starts with ``bom``) read block by block,
    None if it decodes. ``digest`` (a hashlib object), when given, is fed the file's bytes."""
    found = _decode_problem(path, "utf-16", digest)
    return utf16_error(bom, *found) if found else None


def utf8_problem(path: str | Path) -> str | None:
    """What keeps a file from decoding as UTF-8 (read block by block), and where; None if it
    decodes."""
    found = _decode_problem(path, "utf-8")
    return f"not UTF-8 ({found[0].reason} at byte {found[0].start + found[1]})" if found else None


def _decode_problem(path: str | Path, encoding: str, digest=None) -> tuple[UnicodeDecodeError, int] | None:
    """The error decoding a file block by block raises, and the offset in the file of the
    bytes it was raised on; None if it decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0  # of the block
    for block in itertools.chain(file_blocks(path), (b"",)):
        if digest is not None:
            digest.update(block)
        held = len(decoder.getstate()[0])  # bytes of the blocks before that it holds back
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            return exc, offset - held
        offset += len(block)
    return None


def decode_bytes(data: bytes) -> tuple[str, dict]:
    """Decode bytes to text; returns the text and metadata about how it was decoded.

    UTF-8 (with or without BOM — a BOM is kept in the text, so offsets stay exact and the
    ``invisible-character`` rule can see it) and UTF-16 with a BOM are taken as they are.
    Otherwise the invalid bytes — only those — are decoded with the detected legacy
    encoding, so a file that is mostly UTF-8 with a few cp1252 bytes keeps its UTF-8 text.
    Raises :class:`DecodeError` for binary or empty input.
    """
    if not data:
        raise DecodeError("empty input")
    if utf16_bom(data):
        try:
            return data.decode("utf-16"), {"decoded_as": "utf_16"}
        except UnicodeDecodeError as exc:
            raise DecodeError(utf16_error(data[:2], exc)) from None
    if _looks_binary(data):
        raise DecodeError("binary data, not text")
    try:
        return data.decode("utf-8"), {}
    except UnicodeDecodeError as exc:
        first_bad = len(data[: exc.start].decode("utf-8"))
    enc = detect_legacy(data)
    text = data.decode("utf-8", errors=f"audit-{enc}")
    return text, {"decoded_as": enc, "decode_offset": first_bad}


# -- sources ----------------------------------------------------------------------------------
def iter_inputs(paths: Iterable[str], options: InputOptions, tally: Tally | None = None) -> Iterator[Document | InputError]:
    """Yield documents (and errors) from every input, in a deterministic order."""
    tally = tally if tally is not None else Tally()
    for given in paths:
        if given == "-":
            yield from _from_bytes("<stdin>", sys.stdin.buffer.read(), options, tally)
            continue
        path = Path(given)
        if path.is_dir():
            for child in _walk(path, tally):
                yield from _from_file(str(child), child, options, tally)
        elif path.exists():
            yield from _from_file(given, path, options, tally)
        else:
            yield _error(tally, given, "no such file or directory")


def _walk(root: Path, tally: Tally) -> Iterator[Path]:
    entries = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            entries.append(Path(folder) / name)
    for p in sorted(entries):
        if p.suffix.lower() in TEXT_SUFFIXES:
            yield p
        else:
            tally.skipped += 1


def _error(tally: Tally, name: str, message: str, reason: str = "error") -> InputError:
    err = InputError(name, message, reason)
    tally.errors.append(err)
    return err


def _from_file(name: str, path: Path, options: InputOptions, tally: Tally) -> Iterator[Document | InputError]:
    try:
        kind = table_kind(path)
        if kind == "jsonl":
            yield from _from_jsonl(name, path, options, tally)
        elif kind == "json":
            yield from _from_json_array(name, path, options, tally)
        elif kind in ("csv", "tsv"):
            yield from _from_csv(name, path, options, tally, tsv=kind == "tsv")
        elif kind == "parquet":
            yield from _from_parquet(name, path, options, tally)
        else:
            why = options.too_large(path.stat().st_size)  # (before reading it)
            if why:
                yield _error(tally, name, why, "too-large")
                return
            yield from _from_bytes(name, path.read_bytes(), options, tally)
    except PermissionError:
        yield _error(tally, name, "permission denied")
    except IsADirectoryError:
        yield _error(tally, name, "is a directory")
    except OSError as exc:
        yield _error(tally, name, f"cannot read ({exc.strerror or exc})")


def table_kind(path: str | Path) -> str | None:
    """The table a file is, by its name (and a ``.json`` file's start): ``jsonl``, ``json``
    (an array of objects), ``csv``, ``tsv`` or ``parquet``; None for a text file."""
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "jsonl" if json_lines_inside(path) else "json" if json_array_inside(path) else None
    return suffix[1:] if suffix in (".csv", ".tsv", ".parquet") else None


def _from_bytes(name: str, data: bytes, options: InputOptions, tally: Tally) -> Iterator[Document | InputError]:
    why = options.too_large(len(data))
    if why:
        yield _error(tally, name, why, "too-large")
        return
    try:
        text, meta = decode_bytes(data)
    except DecodeError as exc:
        yield _error(tally, name, str(exc))
        return
    tally.documents += 1
    tally.bytes += len(data)
    yield Document(name, text, lang=options.lang, meta={"path": name, **meta})


def _row_document(name: str, row: dict, index: int, options: InputOptions, tally: Tally) -> Document | InputError:
    where = f"{name}:{index}"
    if options.text_column not in row:
        return _error(tally, where, f"no column {options.text_column!r} (use --text-column)")
    text = row[options.text_column]
    if text is None:
        text = ""
    if not isinstance(text, str):
        return _error(tally, where, f"column {options.text_column!r} holds {json_kind(text)}, not text", "not-text")
    ident = row.get(options.id_column)
    doc_id = str(ident) if ident not in (None, "") else str(index)
    lang = options.lang or row.get(options.lang_column) or None
    source = row.get(options.source_column)
    size = len(text.encode("utf-8"))
    why = options.too_large(size)
    if why:
        return _error(tally, where, why, "too-large")
    tally.documents += 1
    tally.bytes += size
    source_lang = row.get(SOURCE_LANG_COLUMN)
    return Document(doc_id, text, lang=lang, meta={"path": name, "row": index},
                    source=source if isinstance(source, str) else None,
                    source_lang=source_lang if isinstance(source_lang, str) and source_lang else None)


def _from_jsonl(name: str, path: Path, options: InputOptions, tally: Tally) -> Iterator[Document | InputError]:
    bom = file_utf16_bom(path)
    if bom:  # UTF-16 throughout (what Windows PowerShell's redirection writes): checked, then streamed
        problem = utf16_problem(path, bom)
        if problem:
            yield _error(tally, name, problem)
            return
        with path.open(encoding="utf-16", newline="\n") as fh:  # lines end at \n only, as in bytes
            yield from _jsonl_rows(name, fh, options, tally)
        return
    with path.open("rb") as fh:
        yield from _jsonl_rows(name, fh, options, tally)


def first_line(path: str | Path, size: int = 1 << 16) -> str:
    """The first line of a file (of its first ``size`` bytes), decoded leniently: UTF-16 after
    its byte-order mark, else UTF-8 with replacement characters."""
    with open(path, "rb") as fh:
        head = fh.read(size)
    text = head.decode("utf-16", "replace") if utf16_bom(head) else head.decode("utf-8", "replace")
    return text.split("\n", 1)[0]


#: The longest first line :func:`json_lines_inside` reads to decide.
JSON_SNIFF = 1 << 22


def json_lines_inside(path: str | Path) -> bool:
    """Whether a ``.json`` file holds JSON Lines — what Hugging Face datasets' ``to_json``
    writes by default: its first line, on its own, is a JSON object."""
    try:
        line = first_line(path, JSON_SNIFF).strip()
    except OSError:  # (unreadable: the reading that follows says so)
        return False
    if not line.lstrip("\ufeff").startswith("{"):
        return False
    try:
        return isinstance(json_line(line), dict)
    except ValueError:
        return False


def json_array_inside(path: str | Path) -> bool:
    """Whether a ``.json`` file holds an array of objects — what Scrapy's ``-o items.json``,
    pandas' ``to_json(orient="records")`` and ``json.dump`` of a list of records write."""
    try:
        head = first_line(path, JSON_SNIFF)
        if head.strip("\ufeff \t\r") == "[":  # the first object on a line of its own
            with open(path, "rb") as fh:
                data = fh.read(1 << 16)
            head = data.decode("utf-16", "replace") if utf16_bom(data) else data.decode("utf-8", "replace")
    except OSError:  # (unreadable: the reading that follows says so)
        return False
    return re.match(r"\ufeff?[ \t\r\n]*\[[ \t\r\n]*[{\]]", head) is not None


class JsonArrayError(ValueError):
    """A JSON array that is malformed, with where."""


#: Characters of a JSON array read at a time by :func:`json_array_pieces`.
JSON_BLOCK = 1 << 20


def json_array_pieces(fh, block: int = JSON_BLOCK) -> Iterator[tuple[int | None, str, object]]:
    """The pieces of the JSON array text that ``fh`` (a text file) reads, streamed: for each
    element ``(its number from 1, its text, its value)``, and for what lies between them
    (the brackets, commas, whitespace) ``(None, the text, None)``. The pieces put together are
    the file's text, character for character; memory is bounded by the longest element (and
    ``block``). :class:`JsonArrayError`, with the line and column, where the text stops being
    a JSON array, after the pieces before it."""
    buf, done = "", False  # the text read and not yet forgotten; whether the file is read to its end
    pos = 0  # where the piece not yet given out starts in ``buf``
    line, column = 1, 1  # where ``buf`` starts in the file

    def read() -> bool:
        nonlocal buf, done
        got = "" if done else fh.read(max(block, len(buf)))  # (a long element: read in doubling steps)
        done = done or not got
        buf += got
        return bool(got)

    def forget() -> int:
        """Drop what was given out; returns by how much positions in ``buf`` move back."""
        nonlocal buf, pos, line, column
        given, buf, shift, pos = buf[:pos], buf[pos:], pos, 0
        newlines = given.count("\n")
        line, column = line + newlines, (len(given) - given.rfind("\n") if newlines else column + len(given))
        return shift

    def where(i: int) -> str:
        before = buf[:i]
        newlines = before.count("\n")
        return f"line {line + newlines}, column {len(before) - before.rfind(chr(10)) if newlines else column + i}"

    def skip(i: int, chars: str = " \t\r\n") -> int:
        """``i`` past ``chars`` (JSON's whitespace), reading on as needed."""
        while True:
            while i < len(buf) and buf[i] in chars:
                i += 1
            if i < len(buf) or not read():
                return i

    i = skip(0, "\ufeff \t\r\n")
    if i >= len(buf) or buf[i] != "[":
        raise JsonArrayError(f"not a JSON array: no '[' ({where(i)})")
    i = skip(i + 1)
    number = 0
    if i < len(buf) and buf[i] == "]":
        i += 1
    else:
        while True:  # buf[pos:i] is what lies before the element
            if pos > block:
                i -= forget()
            while True:
                try:
                    value, end = _JSON_DECODER.raw_decode(buf, i)
                    # (a number the block cut, 1.5 of 1.5e3, parses: it is whole only with more after it)
                    if done or _NUMBER_TAIL.match(buf, end).end() < len(buf):
                        break
                except json.JSONDecodeError as exc:
                    if done:
                        raise JsonArrayError(f"malformed JSON array: {exc.msg} ({where(exc.pos)})") from None
                # (an element the block cut: read on)
                i -= forget()
                read()
            if i > pos:
                yield None, buf[pos:i], None
            number += 1
            yield number, buf[i:end], value
            pos = end
            i = skip(end)
            if i < len(buf) and buf[i] == ",":
                i = skip(i + 1)
                continue
            if i < len(buf) and buf[i] == "]":
                i += 1
                break
            raise JsonArrayError(f"malformed JSON array: expecting ',' or ']' ({where(i)})")
    i = skip(i)
    if i < len(buf):
        raise JsonArrayError(f"malformed JSON array: text after its end ({where(i)})")
    if pos < len(buf):
        yield None, buf[pos:], None


def json_array_problem(path: str | Path, bom: bytes | None = None) -> str | None:
    """What keeps a file (UTF-8, or UTF-16 after ``bom``) from being read as a JSON array
    (:func:`json_array_pieces`), and where; None if it reads. A whole pass over the file,
    memory bounded as the reading is."""
    try:
        with open(path, encoding="utf-16" if bom else "utf-8", newline="") as fh:
            for _ in json_array_pieces(fh):
                pass
    except JsonArrayError as exc:
        return str(exc)
    except UnicodeDecodeError:  # (where, in bytes: the text stream cannot say)
        return utf16_problem(path, bom) if bom else utf8_problem(path)
    return None


_JSON_DECODER = json.JSONDecoder()
_NUMBER_TAIL = re.compile(r"[0-9eE+.-]*")


def json_line(line: str):
    """The value of a JSON line, a byte-order mark before it ignored (as RFC 8259 allows):
    Windows tools write UTF-8 with one (PowerShell 5's ``Set-Content -Encoding UTF8``), and
    ``json.loads`` refuses it."""
    return json.loads(line[1:] if line[:1] == "\ufeff" else line)


def json_kind(value) -> str:
    """What a JSON value is, for a message: ``a number``, ``a list``…"""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _jsonl_rows(name: str, lines: Iterable[bytes] | Iterable[str], options: InputOptions,
                tally: Tally) -> Iterator[Document | InputError]:
    """The documents of JSON lines: bytes (each line decoded on its own, as
    :func:`decode_bytes` decodes) or text (:func:`_object_rows`)."""

    def values() -> Iterator[tuple[int, object]]:
        for index, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                line = raw if isinstance(raw, str) else decode_bytes(raw)[0]
                yield index, json_line(line)
            except (DecodeError, json.JSONDecodeError) as exc:
                yield index, _error(tally, f"{name}:{index}", f"malformed JSON row ({exc})")

    return _object_rows(name, values(), options, tally)


def _from_json_array(name: str, path: Path, options: InputOptions, tally: Tally) -> Iterator[Document | InputError]:
    """The documents of a JSON array of objects, streamed (:func:`json_array_pieces`): UTF-8,
    or UTF-16 after a byte-order mark, as JSON lines. Its elements are numbered from 1."""
    bom = file_utf16_bom(path)
    problem = utf16_problem(path, bom) if bom else utf8_problem(path)
    if problem:
        yield _error(tally, name, problem)
        return

    def values() -> Iterator[tuple[int, object]]:
        with path.open(encoding="utf-16" if bom else "utf-8", newline="") as fh:
            try:
                for number, _, value in json_array_pieces(fh):
                    if number is not None:
                        yield number, value
            except JsonArrayError as exc:
                yield 0, _error(tally, name, str(exc))

    yield from _object_rows(name, values(), options, tally)


def _object_rows(name: str, values: Iterable[tuple[int, object]], options: InputOptions,
                 tally: Tally) -> Iterator[Document | InputError]:
    """The documents of numbered JSON values (or the errors reading them gave). Values that are
    not objects, objects without the text column or where it is not a string are errors, the
    first :data:`SHOWN_MISSING` of the last two kinds one by one, the rest counted in one more
    (the wrong column name would otherwise give an error line per row)."""
    col = options.text_column
    missing = not_text = 0
    for index, row in values:
        if isinstance(row, InputError):
            yield row
            continue
        if not isinstance(row, dict):
            yield _error(tally, f"{name}:{index}", "row is not a JSON object")
            continue
        if col not in row:
            missing += 1
            if missing <= SHOWN_MISSING:
                yield _error(tally, f"{name}:{index}", f"no column {col!r} ({column_list(list(row))}); "
                                                        f"{column_hint(col, list(row))}")
            continue
        doc = _row_document(name, row, index, options, tally)
        if isinstance(doc, InputError) and doc.reason == "not-text":
            not_text += 1
            if not_text > SHOWN_MISSING:
                tally.errors.pop()  # (the one it just added)
                continue
        yield doc
    for count, what in ((missing, f"with no column {col!r}"), (not_text, f"whose column {col!r} is not text")):
        if count > SHOWN_MISSING:
            more = count - SHOWN_MISSING
            yield _error(tally, name, f"{more} more row{'s' * (more != 1)} {what}")


#: Rows of a JSON lines file without the text column reported one by one; the rest are counted.
SHOWN_MISSING = 3


def _from_csv(name: str, path: Path, options: InputOptions, tally: Tally,
              tsv: bool = False) -> Iterator[Document | InputError]:
    """A CSV file's rows; ``tsv``: a tab-separated file, where quotes are text (no quoting)."""
    csv.field_size_limit(sys.maxsize)
    bom = file_utf16_bom(path)
    if bom:  # UTF-16 throughout (checked first, as a whole read decodes it or not), streamed
        problem = utf16_problem(path, bom)
        if problem:
            yield _error(tally, name, problem)
            return
        with path.open(encoding="utf-16", newline="") as fh:
            yield from _csv_rows(name, fh, options, tally, tsv)
        return
    done = 0
    try:  # stream UTF-8 CSV row by row
        with path.open(encoding="utf-8", newline="") as fh:
            for item in _csv_rows(name, fh, options, tally, tsv):
                done += 1
                yield item
        return
    except UnicodeDecodeError:
        pass
    errors = legacy_errors(path)
    if errors is not None:  # legacy bytes: streamed again, decoded as decode_bytes decodes them
        fh = path.open(encoding="utf-8", errors=errors, newline="")
    else:
        try:  # binary, empty: decode_bytes says what is wrong
            fh = io.StringIO(decode_bytes(path.read_bytes())[0], newline="")
        except DecodeError as exc:
            yield _error(tally, name, str(exc))
            return
    with fh:
        for i, item in enumerate(_csv_rows(name, fh, options, tally, tsv)):
            if i >= done:  # rows before the first bad byte were already yielded
                yield item


def text_like(path: str | Path) -> bool:
    """Whether :func:`decode_bytes` reads the file as UTF-8 or legacy text, judged on its head
    as it judges: not empty, no UTF-16 byte-order mark, not binary."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    return bool(head) and not utf16_bom(head) and not _looks_binary(head)


def legacy_errors(path: str | Path) -> str | None:
    """For a file that is not UTF-8 throughout, the decoding error handler that decodes it as
    :func:`decode_bytes` decodes its bytes (UTF-8 where valid, the rest in the legacy encoding
    detected on the same sample), for a file read as a stream: ``open(path, encoding="utf-8",
    errors=...)``; None for a file :func:`decode_bytes` takes otherwise (empty, binary, UTF-16)."""
    if not text_like(path):
        return None
    return f"audit-{detect_legacy(b'', legacy_sample(file_blocks(path)))}"


def _csv_rows(name: str, fh, options: InputOptions, tally: Tally,
              tsv: bool = False) -> Iterator[Document | InputError]:
    try:
        first = fh.readline()
        lines = itertools.chain((first,), fh) if first else fh
        if tsv:  # tab-separated values: quotes are text
            reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            reader = csv.DictReader(lines, delimiter=csv_separator(first, options.text_column))
        header = reader.fieldnames
        if header:
            header = reader.fieldnames = csv_header(header)
        problem = header_problem(options.text_column, header) if header is not None else None
        if problem:
            yield _error(tally, name, problem)
            return
        for index, row in enumerate(reader, start=1):
            yield _row_document(name, row, index, options, tally)
    except csv.Error as exc:
        yield _error(tally, name, f"malformed CSV ({exc})")


#: Separators of CSV files other than the comma: European Excel saves with semicolons.
OTHER_SEPARATORS = (";", "\t", "|")


def csv_separator(header_line: str, column: str) -> str:
    """The separator of a CSV file, from its first line: a comma, unless the line read with
    commas has no column ``column`` and read with a semicolon, a tab or ``|`` has it."""
    for sep in (",", *OTHER_SEPARATORS):
        try:
            names = next(csv.reader([header_line.rstrip("\r\n")], delimiter=sep), [])
        except csv.Error:
            continue
        if column in csv_header(names):
            return sep
    return ","


def csv_header(names: list[str]) -> list[str]:
    """A CSV header's column names, the first without the byte-order mark that Excel's
    "CSV UTF-8" starts the file with (the file's text keeps it)."""
    return [names[0].removeprefix("\ufeff"), *names[1:]] if names else names


def header_problem(column: str, header: list[str]) -> str | None:
    """What is wrong with a CSV header for the text column ``column``, said once per file (not
    per row): absent (with the columns it has), or there twice (which one holds the text?);
    None when it is there once."""
    n = header.count(column)
    if n == 1:
        return None
    if n > 1:
        return f"the header has {n} columns named {column!r}; rename all but one (or use --text-column)"
    return f"no column {column!r} in the header ({column_list(header)}); {column_hint(column, header)}"


def column_list(names: list[str], most: int = 10) -> str:
    return ", ".join(map(repr, names[:most])) + (", …" if len(names) > most else "")


def column_hint(column: str, names: list[str]) -> str:
    """What to do about a missing text column: the one that differs only by case, if any."""
    close = [n for n in names if n.casefold() == column.casefold()]
    return f"use --text-column {close[0]!r}" if len(close) == 1 else "use --text-column"


#: Bytes a Parquet reader buffers per column chunk: a row group is decoded page by page, so a
#: file written with one huge row group (pandas writes up to a million rows in one) is read in
#: bounded memory; unbuffered, pyarrow reads a whole column chunk at once.
PARQUET_BUFFER = 1 << 20


def parquet_file(path: str | Path):
    """A ``pyarrow.parquet.ParquetFile`` that reads column chunks through a bounded buffer."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path, buffer_size=PARQUET_BUFFER, pre_buffer=False)


def parquet_problem(pf, column: str) -> str | None:
    """What is wrong with a Parquet file's text column, said once for the file (not per row):
    absent (with the columns there are), or of a type that holds no text; None when it is text."""
    import pyarrow as pa

    schema = pf.schema_arrow
    if column not in schema.names:
        return f"no column {column!r} ({column_list(schema.names)}); {column_hint(column, schema.names)}"
    kind = schema.field(column).type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    string_view = getattr(pa.types, "is_string_view", lambda t: False)  # (pyarrow 16 and later)
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or string_view(kind)):
        return f"column {column!r} holds {kind}, not text (use --text-column)"
    return None


def _from_parquet(name: str, path: Path, options: InputOptions, tally: Tally) -> Iterator[Document | InputError]:
    try:
        pf = parquet_file(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        yield _error(tally, name, f"not a readable Parquet file ({exc})")
        return
    problem = parquet_problem(pf, options.text_column)
    if problem:
        yield _error(tally, name, problem)
        return
    names = set(pf.schema_arrow.names)
    wanted = [c for c in (options.text_column, options.id_column, options.lang_column, options.source_column,
                          SOURCE_LANG_COLUMN) if c in names]
    index = 0
    for batch in pf.iter_batches(batch_size=2048, columns=wanted):
        for row in batch.to_pylist():
            index += 1
            yield _row_document(name, row, index, options, tally)
