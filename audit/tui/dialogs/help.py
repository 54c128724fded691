"""The keys of every screen, generated from their bindings so it cannot drift."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

INTRO = (
    "Walk the findings, decide each one; every decision is saved at once.\n"
    "Keys are also in the footer and in the command palette (ctrl+p)."
)


def key_table(title: str, bindings, display=lambda b: b.key) -> str:
    rows = []
    for b in bindings:
        b = b if isinstance(b, Binding) else Binding(*b)
        if not b.description:
            continue
        keys = ", ".join(display(Binding(k.strip(), b.action)) for k in b.key.split(","))
        rows.append(f"  {keys:<16} {b.description}")
    return f"{title}\n" + "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    """Shows the keys of the corpus and document views."""

    BINDINGS = [Binding("escape,q,question_mark,enter", "close", "Close")]

    def __init__(self, sections: list[tuple[str, list]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide", id="help"):
            yield Label("audit review — keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(INTRO + "\n\n" + "\n\n".join(key_table(t, b, self.app.get_key_display)
                                                           for t, b in self.sections))
            yield Static("escape: close", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
