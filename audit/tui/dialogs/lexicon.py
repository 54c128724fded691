"""Add a name rendering from a finding to the reviewer's lexicon file."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

STATUSES = ("canonical", "accepted", "variant")


class AddRendering(ModalScreen[dict | None]):
    """Returns the row ``{id, type, lang, form, status}`` to append, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, row: dict[str, str], path: Path, types: tuple[str, ...]) -> None:
        super().__init__()
        self.row, self.path, self.types = row, path, types

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(f"Add a name rendering to {self.path}", classes="dialog-title")
            with Grid(id="lexicon-grid"):
                for key in ("id", "form", "lang"):
                    yield Label(key)
                    yield Input(value=self.row.get(key, ""), id=f"lex-{key}")
                yield Label("type")
                types = list(self.types) if self.row.get("type") in self.types else [*self.types, self.row.get("type", "person")]
                yield Select([(t, t) for t in types], value=self.row.get("type", "person"), allow_blank=False, id="lex-type")
                yield Label("status")
                yield Select([(s, s) for s in STATUSES], value=self.row.get("status", "accepted"), allow_blank=False,
                             id="lex-status")
            yield Static("accepted: a correct spelling; variant: a known wrong form; canonical: the preferred one",
                         classes="dialog-help")
            yield Static("enter: add the row   escape: cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self.values())

    def values(self) -> dict[str, str]:
        out = {key: self.query_one(f"#lex-{key}", Input).value.strip() for key in ("id", "form", "lang")}
        out["type"] = str(self.query_one("#lex-type", Select).value)
        out["status"] = str(self.query_one("#lex-status", Select).value)
        return out

    def action_cancel(self) -> None:
        self.dismiss(None)
