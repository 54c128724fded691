"""Compiler-style text output: ``path:line:col: severity rule message``, the line, a caret."""

from __future__ import annotations

import unicodedata

from ..document import Document
from ..findings import Finding

WINDOW = 100  # characters of the source line shown around the span
COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m"}
RESET = "\x1b[0m"


def _visible(ch: str) -> str:
    """Show invisible characters so the caret line has something to point at."""
    if ch == "\t":
        return " "
    if ch == "\u00a0":
        return "⍽"
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        return "␣"
    return ch


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def source_excerpt(f: Finding, doc: Document) -> tuple[str, str]:
    """The line holding the span (windowed) and a caret line under the span."""
    line = doc.line_span(f.start)
    span_end = min(f.end, line.end) if f.end > f.start else f.start
    lo = max(line.start, f.start - WINDOW // 2)
    hi = min(line.end, max(span_end, f.start) + WINDOW // 2)
    before = "".join(_visible(c) for c in doc.text[lo : f.start])
    marked = "".join(_visible(c) for c in doc.text[f.start : span_end])
    after = "".join(_visible(c) for c in doc.text[span_end:hi])
    prefix = "…" if lo > line.start else ""
    suffix = "…" if hi < line.end else ""
    pad = sum(_width(c) for c in prefix + before)
    carets = "^" + "~" * max(0, sum(_width(c) for c in marked) - 1)
    return prefix + before + marked + after + suffix, " " * pad + carets


def format_finding(f: Finding, doc: Document | None, color: bool = False) -> str:
    sev = f"{COLORS[f.severity]}{f.severity}{RESET}" if color else f.severity
    head = f"{f.doc}:{f.line}:{f.column}: {sev} {f.rule} {f.message}"
    lines = [head]
    if doc is not None:
        src, carets = source_excerpt(f, doc)
        lines.append(f"    {src}")
        lines.append(f"    {carets}")
    source_text = f.evidence.get("source_text") if isinstance(f.evidence, dict) else None
    if source_text:  # bilingual rules: the source span the target was compared with
        shown = " ".join(source_text.split())
        sentence = " ".join(str(f.evidence.get("source_sentence") or "").split())
        lines.append(f"    source: {shown}" + (f"  (in: {sentence})" if sentence and sentence != shown else ""))
    if f.suggestion is not None:
        shown = f.suggestion if f.suggestion.strip() else repr(f.suggestion)
        lines.append(f"    suggestion: {shown}")
    return "\n".join(lines)
