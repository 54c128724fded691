"""Confirmations: a bulk decision, applying the decisions, and what applying wrote."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ..data import ApplyReport
from ..widgets.text_view import visible
from ..widgets.ticks import TickBox


class ConfirmBulk(ModalScreen[str | None]):
    """Accept or reject every finding of a rule: returns "document", "corpus" or None."""

    BINDINGS = [
        Binding("d", "choose('document')", "This document"),
        Binding("c", "choose('corpus')", "Whole corpus"),
        Binding("escape,n", "choose(None)", "Cancel"),
    ]

    def __init__(self, verb: str, rule: str, in_document: int, in_corpus: int,
                 report_only: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.verb, self.rule = verb, rule
        self.in_document, self.in_corpus = in_document, in_corpus
        #: of those (in the document, in the corpus), how many normalise will not apply
        self.report_only = report_only or (0, 0)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"{self.verb.capitalize()} every finding of {self.rule}?", classes="dialog-title")
            yield Static("Decisions already taken are overwritten; u undoes the whole step.")
            doc, corpus = self.report_only
            if corpus:
                yield Static(f"Report only: normalise will not apply {doc} of those in this document and "
                             f"{corpus} in the corpus (cross-document findings, or no repair proposed).",
                             id="bulk-report-only", classes="dialog-warning")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"This document ({self.in_document}) [d]", id="document", variant="primary")
                yield Button(f"Whole corpus ({self.in_corpus}) [c]", id="corpus", variant="warning")
                yield Button("Cancel [esc]", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_choose(self, scope: str | None) -> None:
        self.dismiss(scope)


class ConfirmApply(ModalScreen[tuple[Path, bool] | None]):
    """Choose the output directory; returns (directory, overwrite a previous output) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, documents: int, decisions: int, default: Path, report_only: int = 0) -> None:
        super().__init__()
        self.documents, self.decisions, self.default = documents, decisions, default
        #: accepted or edited findings that applying leaves as they are (cross-document, no repair)
        self.report_only = report_only

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Apply the accepted and edited decisions", classes="dialog-title")
            yield Static(f"{self.decisions} decision{'s' * (self.decisions != 1)} change{'s' * (self.decisions == 1)} "
                         f"{self.documents} document{'s' * (self.documents != 1)}. As `audit normalise "
                         "--decisions`: the corpus is written to this directory with a manifest; inputs are "
                         "never overwritten.")
            if self.report_only:
                one = self.report_only == 1
                yield Static(f"Not applied: {self.report_only} accepted or edited finding{'' if one else 's'} "
                             f"{'is' if one else 'are'} report only (cross-document findings, or no repair "
                             "proposed).", id="apply-report-only", classes="dialog-warning")
            yield Input(value=str(self.default), id="apply-dir")
            yield TickBox("replace a previous output in this directory", False, id="apply-force")
            yield Static("enter: write   escape: cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss((Path(value), self.query_one("#apply-force", Checkbox).value) if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ApplyResult(ModalScreen[None]):
    """What applying wrote: the summary line, the manifest and the edits as before → after."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, report: ApplyReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report, self.error = report, error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            if self.error or self.report is None:
                yield Label("Nothing written", classes="dialog-title")
                yield Static(self.error or "", classes="dialog-error")
            else:
                r = self.report
                yield Label(f"Written to {r.out_dir}", classes="dialog-title")
                yield Static(r.summary + (f"\nmanifest: {r.manifest}" if r.manifest else ""))
                with VerticalScroll(id="apply-list"):
                    yield Static("\n".join(
                        f"{e['doc']}:{e['start']}  {e['rule']}  «{visible(e['before'])}» → «{visible(e['after'])}»"
                        for e in r.edits) or "(no edit)", markup=False)
            yield Static("enter / escape: close", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
