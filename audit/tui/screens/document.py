"""The document view: the text with its findings highlighted, the list of findings, the current one."""

from __future__ import annotations

from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ...findings import Finding
from ..data import CROSS_DOCUMENT, FINDING_ORDERS, NO_REPAIR, OPEN, DocEntry, ReviewError, ReviewSession, find_all
from ..dialogs.confirm import ConfirmBulk
from ..dialogs.edit import EditReplacement
from ..dialogs.lexicon import AddRendering
from ..widgets.finding_detail import FindingDetail
from ..widgets.tables import FindingsTable
from ..widgets.text_view import Highlight, TextView


class DocumentScreen(Screen):
    """One document: decide its findings with a key each; n/p move across documents."""

    BINDINGS = [
        Binding("j,down", "next_finding", "Next", show=False),
        Binding("k,up", "previous_finding", "Previous", show=False),
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("n", "next_document", "Next doc"),
        Binding("p", "previous_document", "Prev doc"),
        Binding("A", "bulk('accept')", "Accept rule…", show=False),
        Binding("R", "bulk('reject')", "Reject rule…", show=False),
        Binding("i", "ignore_rule", "Ignore rule here", show=False),
        Binding("L", "add_rendering", "Add to lexicon", show=False),
        Binding("slash", "search", "Search text", show=False),
        Binding("s", "sort_findings", "Sort by chrF"),
        Binding("escape", "back", "Corpus"),
    ]

    def __init__(self, session: ReviewSession, order: list[DocEntry], index: int) -> None:
        super().__init__()
        self.session = session
        self.order = order
        self.index = index
        self.search_hits: list[tuple[int, int]] = []
        self.search_at = -1

    def compose(self) -> ComposeResult:
        yield Static(id="doc-title", classes="title-bar")
        with Horizontal(id="doc-body"):
            yield TextView(id="text")
            with Vertical(id="side"):
                yield FindingsTable(self.session, id="findings")
                yield FindingDetail(self.session, id="detail")
        yield Input(placeholder="search the text: enter finds the next match, escape closes", id="doc-search",
                    classes="find-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#doc-search").display = False
        self.load_document(self.index)
        self.table.focus()

    def show_document(self, order: list[DocEntry], index: int) -> None:
        """Reuse this screen for another document (and the corpus order it was opened from)."""
        self.order = order
        box = self.query_one("#doc-search", Input)
        box.display = False
        box.value = ""
        self.load_document(index)
        self.table.focus()

    # -- parts ------------------------------------------------------------------------------------
    @property
    def entry(self) -> DocEntry:
        return self.order[self.index]

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    @property
    def text_view(self) -> TextView:
        return self.query_one(TextView)

    @property
    def finding(self) -> Finding | None:
        return self.table.current

    def load_document(self, index: int) -> None:
        self.index = index
        entry = self.entry
        self.text_view.load(entry.doc.text, self._highlights())
        self.search_hits, self.search_at = [], -1
        findings = self.session.visible(entry)
        self.table.set_rows(findings, self.session.first_open(entry))
        self.show_current()

    def _highlights(self) -> list[Highlight]:
        s = self.session
        return [Highlight(f.start, f.end, f.category, s.status(f) != OPEN) for f in s.visible(self.entry)]

    def show_current(self) -> None:
        f = self.finding
        self.text_view.set_current((f.start, f.end) if f else None)
        self.query_one(FindingDetail).show(f, self.entry.doc.text)
        self.update_title()

    def update_title(self) -> None:
        s = self.session
        c = s.counts(self.entry)
        decided, total = s.progress()
        pos = f"{self.table.cursor + 1}/{len(self.table.rows)}" if self.table.rows else "0/0"
        # the document id last: it is what a narrow terminal cuts
        parts = [f"doc {self.index + 1}/{len(self.order)}", f"finding {pos}", f"{c.open} open",
                 f"{decided:,}/{total:,} decided"]
        if s.filter.active:
            parts.append(f"filter: {s.filter.describe()}")
        if s.finding_order != "text":
            parts.append(FINDING_ORDERS[s.finding_order])
        if self.search_hits:
            parts.append(f"match {self.search_at + 1}/{len(self.search_hits)}")
        parts.append(self.entry.id)
        self.query_one("#doc-title", Static).update(" · ".join(parts), layout=False)

    def refresh_view(self, advance: bool = False) -> None:
        """Redraw after decisions; ``advance`` moves on to the next finding."""
        table = self.table
        findings = self.session.visible(self.entry)
        shrunk = len(findings) < len(table.rows)
        cursor = table.cursor + (1 if advance and not shrunk else 0)
        table.set_rows(findings, min(cursor, max(len(findings) - 1, 0)))
        self.text_view.set_highlights(self._highlights())
        self.show_current()

    @on(FindingsTable.Highlighted, "#findings")
    def _highlighted(self) -> None:
        self.show_current()

    # -- moving --------------------------------------------------------------------------------------
    def action_next_finding(self) -> None:
        self.table.action_cursor_down()

    def action_previous_finding(self) -> None:
        self.table.action_cursor_up()

    def action_next_document(self) -> None:
        if self.index + 1 < len(self.order):
            self.load_document(self.index + 1)
        else:
            self.notify("This is the last document.", timeout=2)

    def action_previous_document(self) -> None:
        if self.index > 0:
            self.load_document(self.index - 1)
        else:
            self.notify("This is the first document.", timeout=2)

    def action_back(self) -> None:
        box = self.query_one("#doc-search", Input)
        if box.display:
            self._close_search()
            return
        self.app.close_document(self.entry)

    # -- deciding ------------------------------------------------------------------------------------
    def action_accept(self) -> None:
        f = self.finding
        if f is not None:
            self.session.decide([f], "accept")
            self.warn_report_only([f], "accept")
            self.refresh_view(advance=True)

    def warn_report_only(self, findings: list[Finding], decision: str) -> None:
        """Say so when applying the decisions (``W``, ``audit normalise --decisions``) will not
        change the text for some of the findings just accepted or edited."""
        s = self.session
        reasons = [r for f in findings if (r := s.report_only(f, decision)) is not None]
        if not reasons:
            return
        done = "Accepted" if decision == "accept" else "Edited"
        if len(findings) == 1:
            message = f"{done}, report only: normalise will not apply it ({reasons[0]})."
        else:
            labels = {CROSS_DOCUMENT: "cross-document", NO_REPAIR: "with no repair proposed"}
            kinds = ", ".join(f"{n} {labels.get(r, r)}" for r, n in Counter(reasons).most_common())
            message = (f"Report only: normalise will not apply {len(reasons)} of the {len(findings)} "
                       f"findings {done.lower()} ({kinds}).")
        self.notify(message, severity="warning", timeout=6)

    def action_reject(self) -> None:
        if self.finding is not None:
            self.session.decide([self.finding], "reject")
            self.refresh_view(advance=True)

    def action_edit(self) -> None:
        f = self.finding
        if f is None:
            return

        def done(value: str | None) -> None:
            if value is not None:
                self.session.decide([f], "edit", value)
                self.warn_report_only([f], "edit")
                self.refresh_view(advance=True)

        self.app.push_screen(EditReplacement(f.text, self.session.replacement(f), f.rule), done)

    def action_bulk(self, verb: str) -> None:
        f = self.finding
        if f is None:
            return
        s = self.session
        in_doc = s.bulk_targets(f.rule, self.entry)
        in_corpus = s.bulk_targets(f.rule, None)

        def done(scope: str | None) -> None:
            if scope is None:
                return
            targets = in_doc if scope == "document" else in_corpus
            n = s.decide(targets, verb)
            where = "this document" if scope == "document" else "the corpus"
            self.notify(f"{verb}ed {n} findings of {f.rule} in {where} (u undoes)", timeout=3)
            if verb == "accept":
                self.warn_report_only(targets, verb)
            self.refresh_view()

        report_only = None
        if verb == "accept":
            report_only = tuple(sum(1 for g in targets if s.report_only(g) is not None)
                                for targets in (in_doc, in_corpus))
        self.app.push_screen(ConfirmBulk(verb, f.rule, len(in_doc), len(in_corpus), report_only), done)

    def action_ignore_rule(self) -> None:
        f = self.finding
        if f is None:
            return
        n = self.session.ignore_rule(self.entry, f.rule)
        self.notify(f"{f.rule} ignored in this document ({n} findings rejected; u undoes)", timeout=3)
        self.refresh_view()

    def action_add_rendering(self) -> None:
        f = self.finding
        if f is None:
            return
        from ...lexicon.data import TYPES

        s = self.session

        def done(row: dict | None) -> None:
            if row is None:
                return
            try:
                path = s.add_rendering(row)
            except ReviewError as exc:
                self.notify(str(exc), severity="error", timeout=5)
                return
            self.notify(f"added {row['form']!r} ({row['status']}) to {path}; the next run uses it with "
                        f"--lexicon {path}", timeout=5)

        self.app.push_screen(AddRendering(s.suggest_rendering(f), s.lexicon_path, TYPES), done)

    def action_sort_findings(self) -> None:
        """Toggle the findings between text order and worst segment (chrF) first; the cursor
        stays on the same finding."""
        s = self.session
        current = self.finding
        s.set_finding_order("text" if s.finding_order == "chrf" else "chrf")
        findings = s.visible(self.entry)
        self.table.set_rows(findings, findings.index(current) if current in findings else 0)
        self.show_current()  # the title says the order

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "sort_findings":
            return self.session.references is not None  # hidden without --ref
        if action in ("accept", "reject", "edit", "bulk", "ignore_rule", "add_rendering") and not self.table.rows:
            return None  # shown, but disabled
        return True

    # -- searching --------------------------------------------------------------------------------------
    def action_search(self) -> None:
        box = self.query_one("#doc-search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#doc-search")
    def _search(self, event: Input.Submitted) -> None:
        hits = find_all(self.entry.doc.text, event.value)
        if not hits:
            self.search_hits, self.search_at = [], -1
            self.text_view.set_search([], None)
            self.notify(f"not found: {event.value!r}", timeout=2)
            self.update_title()
            return
        if hits != self.search_hits:
            f = self.finding
            origin = f.start if f else 0
            self.search_hits = hits
            self.search_at = next((i for i, (s, _) in enumerate(hits) if s >= origin), 0)
        else:
            self.search_at = (self.search_at + 1) % len(hits)
        self.text_view.set_search(hits, hits[self.search_at])
        self.update_title()

    def _close_search(self) -> None:
        box = self.query_one("#doc-search", Input)
        box.display = False
        box.value = ""
        self.search_hits, self.search_at = [], -1
        self.text_view.set_search([], None)
        f = self.finding
        if f:
            self.text_view.set_current((f.start, f.end))
        self.update_title()
        self.table.focus()
