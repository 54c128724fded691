"""Edit the replacement of one finding."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..widgets.text_view import visible


class EditReplacement(ModalScreen[str | None]):
    """Returns the reviewer's replacement text, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, original: str, replacement: str | None, rule: str) -> None:
        super().__init__()
        self.original = original
        self.replacement = replacement

        self.rule = rule

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Edit the replacement ({self.rule})", classes="dialog-title")
            yield Static(f"flagged: «{visible(self.original)}»", id="edit-original")
            yield Input(value=self.replacement if self.replacement is not None else self.original,
                        id="edit-input", select_on_focus=False)
            yield Static("enter: save as an edit   escape: cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
