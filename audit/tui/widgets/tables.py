"""The two lists of the app: documents (corpus view) and findings (document view)."""

from __future__ import annotations

from rich.text import Text

from ...findings import CATEGORIES, Finding
from ..data import DocEntry, ReviewSession
from .virtual_table import Column, VirtualTable

#: Short column labels for categories (the corpus view is read at 80 columns).
CATEGORY_LABELS = {
    "encoding": "enc", "script": "scr", "language": "lang", "names": "name",
    "phrasing": "phr", "quotes": "quo", "structure": "str", "consistency": "cons",
}
#: How a finding's state is drawn in lists: a mark that reads without colour, and a style.
STATUS_MARKS = {
    "open": ("·", ""),
    "accept": ("✓", "bold green"),
    "edit": ("✎", "bold green"),
    "reject": ("✗", "bold red"),
    "ignored": ("-", "dim"),
    # accepted or edited, but applying the decisions leaves the text as it is (a cross-document
    # finding, or one with no repair): noted, not a change
    "noted": ("○", "green"),
}
SEVERITY_MARKS = {"error": ("E", "bold red"), "warning": ("W", "yellow"), "info": ("I", "cyan")}


def count_cell(n: int, width: int) -> str:
    """``n`` in at most ``width`` characters: as it is, else in thousands or millions rounded
    down (``99k``, ``1M``), so that a document with a hundred thousand findings keeps its columns.

    >>> count_cell(999, 3), count_cell(99_960, 3), count_cell(1_500_000, 4), count_cell(99_960, 5)
    ('999', '99k', '1M', '99960')
    """
    text = str(n)
    if len(text) <= width:
        return text
    for unit, size in (("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000)):
        short = f"{n // size}{unit}"
        if len(short) <= width:
            return short
    return "∞"


def status_mark(status: str) -> Text:
    mark, style = STATUS_MARKS[status]
    return Text(mark, style=style)


class DocumentsTable(VirtualTable):
    """Documents with their counts by severity and category."""

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        self.session = session
        super().__init__(self._columns(()), self._format, **kwargs)

    def set_categories(self, categories, scored: bool = False) -> None:
        """Show a column for each category that has findings, in the canonical order, and the
        worst segment's chrF when the review has references."""
        cols = self._columns(categories, scored)
        if [c.key for c in cols] != [c.key for c in self.columns]:
            self.columns = cols
            self.set_rows(self.rows)

    @staticmethod
    def _columns(categories, scored: bool = False) -> list[Column]:
        cols = [Column("doc", "document", cut="start"), Column("open", "open", 5, "right"), Column("total", "all", 5, "right"),
                Column("severity", "E   W   I", 11, "right")]
        if scored:
            cols.append(Column("chrf", "chrF", 5, "right"))
        cols += [Column(c, CATEGORY_LABELS[c], 4, "right") for c in CATEGORIES if c in categories]
        return cols

    def _format(self, entry: DocEntry) -> list:
        c = self.session.counts(entry)
        sev = Text()
        for s in ("error", "warning", "info"):
            n = c.by_severity[s]
            sev.append(f"{count_cell(n, 3):>3} " if n else "  - ", style=SEVERITY_MARKS[s][1] if n else "dim")
        sev.rstrip()
        out = [entry.id, Text(count_cell(c.open, 5), style="bold" if c.open else "dim"), count_cell(c.total, 5), sev]
        for col in self.columns[4:]:
            if col.key == "chrf":
                out.append(chrf_cell(entry.scores.worst if entry.scores is not None else None))
                continue
            n = c.by_category[col.key]
            out.append(count_cell(n, 4) if n else Text("-", style="dim"))
        return out


def chrf_cell(chrf: float | None) -> Text:
    """A chrF in a list: one decimal, ``-`` (dim) when there is none."""
    return Text("-", style="dim") if chrf is None else Text(f"{chrf:.1f}")


class FindingsTable(VirtualTable):
    """The findings of one document: state, position, severity, rule; with references, the
    chrF of the segment each finding is in."""

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        self.session = session
        cols = [Column("status", "", 1), Column("pos", "line:col", 8), Column("sev", "", 1)]
        if session.references is not None:
            cols.append(Column("chrf", "chrF", 5, "right"))
        super().__init__(cols + [Column("rule", "rule")], self._format, **kwargs)

    def _format(self, f: Finding) -> list:
        s = self.session
        mark, style = SEVERITY_MARKS.get(f.severity, ("?", ""))
        status = s.status(f)
        if status in ("accept", "edit") and s.report_only(f, status) is not None:
            status = "noted"
        out = [status_mark(status), f"{f.line}:{f.column}", Text(mark, style=style)]
        if s.references is not None:
            seg = s.segment(f)
            out.append(chrf_cell(seg.chrf if seg is not None else None))
        return out + [f.rule]
