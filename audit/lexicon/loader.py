"""Reading names lexicons: find the files, read them with polars, validate every cell.

Errors name the file, the line and the column (1-based, in characters) of the offending
cell, like a compiler, so ``audit lexicon check`` output can be clicked in an editor.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import data

#: Files of the built-in names lexicon inside the lexicon directory.
BUILTIN_GLOB = "names*.csv"
#: Where an installed wheel puts the lexicons (pyproject ``[tool.setuptools.data-files]``).
SHARE_DIR = Path("share") / "translation-audit" / "lexicons"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem in a lexicon file, at a line and column (1-based)."""

    path: str
    line: int
    column: int
    message: str
    level: str = "error"  # error | warning

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.level}: {self.message}"


class LexiconError(ValueError):
    """One or more invalid lexicon files; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def lexicon_dir() -> Path | None:
    """The directory of the shipped lexicons: ``$AUDIT_LEXICON_DIR``, the source tree's
    ``lexicons/`` (editable installs, checkouts) or ``<prefix>/share/translation-audit/lexicons``
    (wheels)."""
    candidates = []
    if os.environ.get("AUDIT_LEXICON_DIR"):
        candidates.append(Path(os.environ["AUDIT_LEXICON_DIR"]))
    candidates.append(Path(__file__).resolve().parents[2] / "lexicons")
    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix, getattr(sys, "exec_prefix", sys.prefix))):
        candidates.append(Path(prefix) / SHARE_DIR)
    import site

    user_base = getattr(site, "USER_BASE", None)
    if user_base:
        candidates.append(Path(user_base) / SHARE_DIR)
    for c in candidates:
        if c.is_dir() and any(c.glob(BUILTIN_GLOB)):
            return c
    return None


def builtin_files() -> list[Path]:
    folder = lexicon_dir()
    return sorted(folder.glob(BUILTIN_GLOB)) if folder else []


def is_names_file(path: Path) -> bool:
    """True if a CSV's header says it is a names lexicon (it has ``form`` or ``status``).

    ``--lexicon`` and the ``lexicons`` config key also carry phrase lexicons; the names
    loader takes only the files that declare names columns.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError):
        return True  # let read_file report it
    cols = {h.strip() for h in header}
    return bool(cols & {"form", "status"})


def _raw_columns(line: str) -> list[int]:
    """1-based character column where each field of a CSV line starts."""
    cols, pos = [1], 0
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            cols.append(i + 2)
        pos = i
    return cols


def read_file(path: str | Path) -> tuple[pl.DataFrame, list[Issue]]:
    """Read and validate one names lexicon file.

    Returns the rows (all columns as strings, plus ``file`` and ``line``) and the issues
    found; rows with errors are dropped from the frame.
    """
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _empty(), [Issue(name, 1, 1, f"not UTF-8 ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return _empty(), [Issue(name, 1, 1, f"cannot read ({exc.strerror})")]
    lines = raw.splitlines()
    # data rows: every non-blank line that is not a comment, after the header
    content = [i for i, ln in enumerate(lines, 1) if ln.strip() and not ln.lstrip().startswith("#")]
    if not content:
        return _empty(), [Issue(name, 1, 1, "empty file: expected a header " + ",".join(data.COLUMNS))]
    header_line = content[0]
    header = next(csv.reader([lines[header_line - 1]]))
    header = [h.strip() for h in header]
    issues: list[Issue] = []
    hcols = _raw_columns(lines[header_line - 1])
    for i, h in enumerate(header):
        if h not in data.COLUMNS and h not in data.OPTIONAL_COLUMNS:
            issues.append(Issue(name, header_line, hcols[i], f"unknown column {h!r} (columns: "
                                f"{', '.join(data.COLUMNS + data.OPTIONAL_COLUMNS)})"))
        elif header.count(h) > 1:
            issues.append(Issue(name, header_line, hcols[i], f"column {h!r} appears twice"))
    missing = [c for c in data.COLUMNS if c not in header]
    if missing:
        issues.append(Issue(name, header_line, 1, f"missing column(s) {', '.join(missing)} "
                            f"(header must have {','.join(data.COLUMNS)})"))
    if issues:
        return _empty(), issues
    row_lines = content[1:]
    # every data line must have exactly as many fields as the header (no embedded newlines)
    body = "\n".join(lines[i - 1] for i in [header_line] + row_lines)
    try:
        frame = pl.read_csv(io.StringIO(body), infer_schema=False, quote_char='"',
                            truncate_ragged_lines=False, has_header=True)
    except Exception:  # ragged rows: find them with the csv module for exact positions
        frame = None
    if frame is not None and frame.height == len(row_lines):
        # polars fills missing trailing fields with nulls: count the fields of those rows
        nulls = frame.with_row_index("_i").filter(pl.any_horizontal(pl.col(c).is_null() for c in header))
        for i in nulls["_i"].to_list():
            fields = next(csv.reader([lines[row_lines[i] - 1]]))
            if len(fields) != len(header):
                issues.append(Issue(name, row_lines[i], 1, f"{len(fields)} fields, expected {len(header)} ({','.join(header)})"))
        if issues:
            return _empty(), issues
    if frame is None or frame.height != len(row_lines):
        for ln in row_lines:
            fields = next(csv.reader([lines[ln - 1]]))
            if len(fields) != len(header):
                issues.append(Issue(name, ln, 1, f"{len(fields)} fields, expected {len(header)} ({','.join(header)})"))
        if not issues:
            issues.append(Issue(name, header_line, 1, "unreadable CSV (a quoted field spans lines?)"))
        return _empty(), issues
    frame = frame.with_columns(
        pl.Series("line", row_lines, dtype=pl.Int64),
        pl.lit(name).alias("file"),
    )
    if "note" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("note"))
    frame = frame.select(*data.COLUMNS, "note", "file", "line").with_columns(
        pl.col(c).fill_null("") for c in data.COLUMNS
    )
    bad = _cell_issues(frame)
    if bad.height:
        col_index = {c: header.index(c) for c in data.COLUMNS}
        for row in bad.iter_rows(named=True):
            ln = row["line"]
            col = _raw_columns(lines[ln - 1])[col_index[row["column"]]]
            issues.append(Issue(name, ln, col, row["message"]))
        frame = frame.filter(~pl.col("line").is_in(bad["line"].unique().implode()))
    issues.extend(_entity_issues(frame, lines, header))
    return frame, issues


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={**{c: pl.String for c in data.COLUMNS}, "note": pl.String,
                                "file": pl.String, "line": pl.Int64})


def _cell_issues(frame: pl.DataFrame) -> pl.DataFrame:
    """One row (line, column, message) per invalid cell, found with vectorised checks."""
    checks = [
        ("id", ~pl.col("id").str.contains(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"),
         pl.format("invalid id '{}': use lower-case ASCII letters, digits and hyphens", pl.col("id"))),
        ("type", ~pl.col("type").is_in(list(data.TYPES)),
         pl.format("unknown type '{}' (one of: " + ", ".join(data.TYPES) + ")", pl.col("type"))),
        ("lang", ~pl.col("lang").str.contains(r"^[a-z]{2}$"),
         pl.format("invalid lang '{}': an ISO 639-1 code such as en, tr, ru", pl.col("lang"))),
        ("form", pl.col("form").str.strip_chars() == "", pl.lit("empty form")),
        ("form", (pl.col("form") != pl.col("form").str.strip_chars()) | pl.col("form").str.contains(r"\s{2}"),
         pl.format("form '{}' has leading, trailing or doubled spaces", pl.col("form"))),
        ("status", ~pl.col("status").is_in(list(data.STATUSES)),
         pl.format("unknown status '{}' (one of: canonical, accepted, variant)", pl.col("status"))),
    ]
    parts = [
        frame.filter(cond).select("line", pl.lit(col).alias("column"), msg.alias("message"))
        for col, cond, msg in checks
    ]
    return pl.concat(parts).sort("line") if parts else pl.DataFrame()


def _entity_issues(frame: pl.DataFrame, lines: list[str], header: list[str]) -> list[Issue]:
    """Rules across rows: one type per entity, a canonical form, one canonical per language,
    no duplicate rendering."""
    if frame.is_empty():
        return []
    name = frame["file"][0]
    out: list[Issue] = []

    def at(line: int, column: str) -> int:
        return _raw_columns(lines[line - 1])[header.index(column)]

    first = frame.group_by("id", maintain_order=True).agg(
        pl.col("type").n_unique().alias("types"), pl.col("type").first().alias("type0"),
        (pl.col("status") == "canonical").sum().alias("canon"), pl.col("line").first().alias("line0"),
    )
    for row in first.filter(pl.col("types") > 1).iter_rows(named=True):
        for r in frame.filter((pl.col("id") == row["id"]) & (pl.col("type") != row["type0"])).iter_rows(named=True):
            out.append(Issue(name, r["line"], at(r["line"], "type"),
                             f"entity {row['id']!r} has type {r['type']!r} here but {row['type0']!r} on line {row['line0']}"))
    for row in first.filter(pl.col("canon") == 0).iter_rows(named=True):
        out.append(Issue(name, row["line0"], at(row["line0"], "status"),
                         f"entity {row['id']!r} has no canonical form"))
    dup_canon = frame.filter(pl.col("status") == "canonical").filter(pl.len().over("id", "lang") > 1)
    for r in dup_canon.filter(pl.col("line") != pl.col("line").min().over("id", "lang")).iter_rows(named=True):
        out.append(Issue(name, r["line"], at(r["line"], "status"),
                         f"entity {r['id']!r} has a second canonical form in {r['lang']!r}"))
    folded = frame.with_columns(pl.col("form").str.to_lowercase().alias("_f"))
    dups = folded.filter(pl.len().over("id", "lang", "_f") > 1)
    for r in dups.filter(pl.col("line") != pl.col("line").min().over("id", "lang", "_f")).iter_rows(named=True):
        first_line = dups.filter((pl.col("id") == r["id"]) & (pl.col("lang") == r["lang"])
                                 & (pl.col("_f") == r["_f"]))["line"].min()
        out.append(Issue(name, r["line"], at(r["line"], "form"),
                         f"entity {r['id']!r} lists {r['lang']} {r['form']!r} again (first on line {first_line})"))
    return out
