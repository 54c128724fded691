"""The corpus view: every document with findings, its counts by severity and category."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ..data import SORT_KEYS, ReviewSession
from ..widgets.tables import DocumentsTable

#: The order ``s`` cycles through (``chrf``, worst segment first, only with references).
SORT_CYCLE = ("position", "open", "total", "severity", "doc", "chrf", "encoding", "script", "language", "names",
              "phrasing", "quotes", "structure", "consistency")


class CorpusScreen(Screen):
    """Documents, sortable (s, or click a header) and searchable by name (/); enter opens one."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse", show=False),
        Binding("slash", "find", "Find doc"),
        Binding("escape", "clear_find", "Clear find", show=False),
    ]

    def __init__(self, session: ReviewSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.sort = "position"
        self.reverse = False
        self.search = ""
        self.streaming = True
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Static(id="corpus-title", classes="title-bar")
        yield Static(id="corpus-status", classes="status-bar")
        yield DocumentsTable(self.session, id="documents")
        yield Input(placeholder="find a document by name (escape clears)", id="corpus-find", classes="find-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#corpus-find").display = False
        self.refresh_view()
        self.query_one(DocumentsTable).focus()

    @property
    def table(self) -> DocumentsTable:
        return self.query_one(DocumentsTable)

    # -- drawing ---------------------------------------------------------------------------------
    def refresh_view(self, keep: object = None) -> None:
        """Recompute the rows (after loading, a decision, a sort or a filter)."""
        if not self.query(DocumentsTable):
            return  # not composed yet: on_mount draws
        s = self.session
        table = self.table
        current = keep if keep is not None else table.current
        rows = s.documents(self.sort, self.reverse, self.search)
        table.set_categories(s.categories, scored=s.references is not None)
        table.sorted_key = {"position": None}.get(self.sort, self.sort)
        table.sorted_reverse = self.reverse
        cursor = None
        if current is not None and current in rows:
            cursor = rows.index(current)
        elif not self._resumed and not self.streaming and rows:
            # resume: the first document with an undecided finding
            cursor = next((i for i, e in enumerate(rows) if s.counts(e).open), 0)
            self._resumed = True
        table.set_rows(rows, cursor)
        self.update_status()

    def update_status(self) -> None:
        s = self.session
        decided, total = s.progress()
        docs = self.table.rows
        title = f"audit review · {self.title_text}"
        self.query_one("#corpus-title", Static).update(title, layout=False)
        state = f"loading… {s.documents_read:,} documents read · " if self.streaming else ""
        parts = [f"{state}{len(docs):,} documents with findings (of {s.documents_read:,})",
                 f"{decided:,}/{total:,} decided", f"sort: {SORT_KEYS[self.sort][0]}{' ▲' if self.reverse else ''}"]
        if s.filter.active:
            parts.append(f"filter: {s.filter.describe()}")
        if self.search:
            parts.append(f"find: {self.search}")
        if s.errors:
            parts.append(f"{len(s.errors)} input errors")
        if s.references is not None:
            problems = f", {len(s.reference_problems)} not lined up" if s.reference_problems else ""
            parts.append(f"chrF: {s.scored_documents():,}/{s.documents_read:,} docs{problems}")
        self.query_one("#corpus-status", Static).update(" · ".join(parts), layout=False)

    def loaded(self) -> None:
        self.streaming = False
        self.refresh_view()

    # -- actions -----------------------------------------------------------------------------------
    def action_open(self) -> None:
        table = self.table
        if table.current is not None:
            self.app.open_document(list(table.rows), table.cursor)

    @on(DocumentsTable.Selected)
    def _selected(self, event: DocumentsTable.Selected) -> None:
        self.action_open()

    @on(DocumentsTable.HeaderClicked)
    def _header(self, event: DocumentsTable.HeaderClicked) -> None:
        key = event.key if event.key in SORT_KEYS else "position"
        if key == self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = key, False
        self.refresh_view()

    def action_sort(self) -> None:
        s = self.session
        present = [k for k in SORT_CYCLE[:5]] + (["chrf"] if s.references is not None else []) + [
            k for k in SORT_CYCLE[6:] if s.categories[k]]
        i = present.index(self.sort) if self.sort in present else -1
        self.sort = present[(i + 1) % len(present)]
        self.reverse = False
        self.refresh_view()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.refresh_view()

    def action_find(self) -> None:
        box = self.query_one("#corpus-find", Input)
        box.display = True
        box.focus()

    def action_clear_find(self) -> None:
        box = self.query_one("#corpus-find", Input)
        box.value = ""
        box.display = False
        self.search = ""
        self.refresh_view()
        self.table.focus()

    @on(Input.Changed, "#corpus-find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self.refresh_view()

    @on(Input.Submitted, "#corpus-find")
    def _find_submitted(self) -> None:
        self.table.focus()
