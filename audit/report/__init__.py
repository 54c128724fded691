"""Report formats for ``audit check``: a plain registry of streaming writers.

Each writer receives findings batch by batch (``write``) with the documents of that batch
at hand (for the text format's source lines), and a run summary at the end (``close``).
The json and sarif documents are written as they go too: their list of findings record by
record (:class:`_StreamedJson`).
"""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from ..document import Document
from ..findings import SCHEMA, Finding, findings_frame
from .sarif import rule_index, sarif_document, sarif_result
from .text import format_finding


@dataclass
class Summary:
    documents: int = 0
    bytes: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    by_severity: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)
    baseline_hidden: int = 0
    seconds: float = 0.0

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            self.by_severity[f.severity] += 1
            self.by_rule[f.rule] += 1

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "findings": self.total,
            "by_severity": dict(sorted(self.by_severity.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
            "skipped_files": self.skipped,
            "errors": self.errors,
            "baseline_hidden": self.baseline_hidden,
        }

    def line(self) -> str:
        sev = ", ".join(f"{self.by_severity.get(s, 0)} {s}" for s in ("error", "warning", "info"))
        parts = [f"{self.total} findings ({sev}) in {self.documents} documents"]
        if self.baseline_hidden:
            parts.append(f"{self.baseline_hidden} known from the baseline hidden")
        if self.skipped:
            parts.append(f"{self.skipped} files skipped (not .txt/.md)")
        if self.errors:
            parts.append(f"{len(self.errors)} inputs could not be read")
        return "; ".join(parts)


class Writer:
    binary = False

    def __init__(self, out: IO, color: bool = False):
        self.out = out
        self.color = color

    def write(self, findings: list[Finding], docs: dict[str, Document]) -> None:
        raise NotImplementedError

    def close(self, summary: Summary) -> None:
        pass


class TextWriter(Writer):
    def write(self, findings, docs):
        for f in findings:
            self.out.write(format_finding(f, docs.get(f.doc), self.color) + "\n")

    def close(self, summary):
        self.out.write(summary.line() + "\n")


class JsonlWriter(Writer):
    # one encoder for every record (json.dumps with options builds a new one per call), and
    # one write per batch; the text is what json.dumps(record, ensure_ascii=False) gives
    _encode = json.JSONEncoder(ensure_ascii=False).encode

    def write(self, findings, docs):
        encode = self._encode
        self.out.write("".join([encode(f.as_record()) + "\n" for f in findings]))


#: Stands for the streamed list in the document a :class:`_StreamedJson` writer dumps.
_ITEMS = "\x00items\x00"


class _StreamedJson(Writer):
    """``json.dump(document, indent=2, ensure_ascii=False)`` of a document holding one list
    of records, byte for byte, but written as the batches come: the text before the list
    once, each record as it comes (dumped alone, indented to its depth), the rest at the
    end. Memory holds one batch, not every finding of the run."""

    _encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode

    def __init__(self, out, color=False):
        super().__init__(out, color)
        self.count = 0
        self.pad = ""  # the indentation of the list's line

    def document(self, items: Any, summary: Summary) -> dict:
        raise NotImplementedError

    def record(self, f: Finding) -> dict:
        raise NotImplementedError

    def _split(self, summary: Summary) -> tuple[str, str]:
        text = self._encode(self.document(_ITEMS, summary))
        mark = self._encode(_ITEMS)
        i = text.index(mark)
        line = text[text.rfind("\n", 0, i) + 1:]
        self.pad = " " * (len(line) - len(line.lstrip(" ")))
        return text[:i], text[i + len(mark):]

    def write(self, findings, docs):
        if not findings:
            return
        if self.count == 0:
            self.out.write(self._split(Summary())[0] + "[")
        pad = self.pad + "  "
        encode, record = self._encode, self.record
        self.out.write("".join(
            (",\n" if self.count + k else "\n") + pad + encode(record(f)).replace("\n", "\n" + pad)
            for k, f in enumerate(findings)))
        self.count += len(findings)

    def close(self, summary):
        head, tail = self._split(summary)
        if self.count:
            self.out.write("\n" + self.pad + "]" + tail + "\n")
        else:
            self.out.write(head + "[]" + tail + "\n")


class JsonWriter(_StreamedJson):
    def document(self, items, summary):
        from .. import __version__

        return {"tool": "translation-audit", "version": __version__, "findings": items, "summary": summary.as_dict()}

    def record(self, f):
        return f.as_record()


class CsvWriter(Writer):
    header = True

    def write(self, findings, docs):
        if not findings and not self.header:
            return
        buf = io.BytesIO()
        findings_frame(findings).write_csv(buf, include_header=self.header)
        self.header = False
        self.out.write(buf.getvalue().decode("utf-8"))

    def close(self, summary):
        if self.header:  # no findings at all: still a valid CSV with its header
            self.write([], {})


class ParquetWriter(Writer):
    binary = True

    def __init__(self, out, color=False):
        super().__init__(out, color)
        import pyarrow.parquet as pq

        self.schema = findings_frame([]).to_arrow().schema
        self.writer = pq.ParquetWriter(out, self.schema)

    def write(self, findings, docs):
        if findings:
            self.writer.write_table(findings_frame(findings).to_arrow().cast(self.schema))

    def close(self, summary):
        self.writer.close()


class SarifWriter(_StreamedJson):
    def __init__(self, out, color=False):
        super().__init__(out, color)
        self.index = rule_index()

    def document(self, items, summary):
        return sarif_document(items)

    def record(self, f):
        return sarif_result(f, self.index)


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


class GithubWriter(Writer):
    """GitHub Actions workflow commands: one annotation per finding."""

    def write(self, findings, docs):
        for f in findings:
            end_col = f.column + (f.end - f.start) if "\n" not in f.text else None
            props = [f"file={_gh_escape(f.doc, True)}", f"line={f.line}", f"col={f.column}"]
            if end_col:
                props.append(f"endColumn={end_col}")
            props.append(f"title={_gh_escape(f.rule, True)}")
            msg = f.message + (f" (suggestion: {f.suggestion!r})" if f.suggestion is not None else "")
            self.out.write(f"::{GITHUB_LEVEL[f.severity]} {','.join(props)}::{_gh_escape(msg)}\n")

    def close(self, summary):
        sys.stderr.write(summary.line() + "\n")


FORMATS: dict[str, type[Writer]] = {
    "text": TextWriter,
    "json": JsonWriter,
    "jsonl": JsonlWriter,
    "csv": CsvWriter,
    "parquet": ParquetWriter,
    "sarif": SarifWriter,
    "github": GithubWriter,
}

__all__ = ["FORMATS", "SCHEMA", "Summary", "Writer"]
