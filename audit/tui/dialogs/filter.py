"""Filter the findings by category, rule, severity, confidence and state."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, SelectionList, Static

from ...findings import CATEGORIES, SEVERITIES
from ..data import FindingFilter
from ..widgets.ticks import TickBox, TickList


class FilterDialog(ModalScreen[FindingFilter | None]):
    """Returns the new filter (nothing ticked in a list means "all"), or None.

    Ticked items show ``[x]``, the others ``[ ]`` (readable without colour, ``NO_COLOR``)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+r", "reset", "Clear all"),
    ]

    def __init__(self, current: FindingFilter, rules: Counter, categories: Counter) -> None:
        super().__init__()
        self.current, self.rules, self.categories = current, rules, categories

    def compose(self) -> ComposeResult:
        cur = self.current
        with Vertical(classes="dialog dialog-wide"):
            yield Label("Filter findings (none ticked = all)", classes="dialog-title")
            with Horizontal(id="filter-lists"):
                yield TickList(
                    *[(f"{c} ({self.categories[c]})", c, c in cur.categories) for c in CATEGORIES if self.categories[c]],
                    id="filter-categories")
                yield TickList(
                    *[(s, s, s in cur.severities) for s in SEVERITIES], id="filter-severities")
                yield TickList(
                    *[(f"{r} ({n})", r, r in cur.rules) for r, n in sorted(self.rules.items())], id="filter-rules")
            with Horizontal(id="filter-row"):
                yield Label("min confidence")
                yield Input(value=f"{cur.min_confidence:g}", id="filter-confidence", type="number")
                yield TickBox("undecided only", cur.open_only, id="filter-open")
            yield Static("space: tick   tab: next list   enter / ctrl+s: apply   ctrl+r: clear   escape: cancel",
                         classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#filter-categories").border_title = "category"
        self.query_one("#filter-severities").border_title = "severity"
        self.query_one("#filter-rules").border_title = "rule"

    def build(self) -> FindingFilter:
        try:
            conf = min(max(float(self.query_one("#filter-confidence", Input).value or 0), 0.0), 1.0)
        except ValueError:
            conf = 0.0
        return FindingFilter(
            categories=frozenset(self.query_one("#filter-categories", SelectionList).selected),
            rules=frozenset(self.query_one("#filter-rules", SelectionList).selected),
            severities=frozenset(self.query_one("#filter-severities", SelectionList).selected),
            min_confidence=conf,
            open_only=self.query_one("#filter-open", Checkbox).value,
        )

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        self.dismiss(self.build())

    def action_reset(self) -> None:
        self.dismiss(FindingFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
