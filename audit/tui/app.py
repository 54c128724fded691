"""The review app: pushes the corpus view, streams the check in, and owns the app-wide actions."""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .data import DocEntry, ReviewError, ReviewSession
from .dialogs.confirm import ApplyResult, ConfirmApply
from .dialogs.filter import FilterDialog
from .dialogs.help import HelpScreen
from .screens.corpus import CorpusScreen
from .screens.document import DocumentScreen
from .widgets.virtual_table import VirtualTable

#: ``loader(on_batch, on_error, cancelled)`` streams (documents, findings) batches into the app.
Loader = Callable[[Callable, Callable, Callable[[], bool]], None]


class ReviewApp(App):
    """``audit review``: walk the findings of a corpus and decide each one."""

    CSS_PATH = "app.tcss"
    TITLE = "audit review"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("f", "filter", "Filter"),
        Binding("u", "undo", "Undo"),
        Binding("W", "apply", "Apply", show=False),
    ]

    def __init__(self, session: ReviewSession, loader: Loader | None = None, title: str = "",
                 out_dir: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.loader = loader
        self.corpus_title = title
        self.out_dir = out_dir or Path("normalised")
        self.corpus = CorpusScreen(session, title)
        self.document_screen: DocumentScreen | None = None
        if loader is not None:
            # The check's process pool (spawn) starts multiprocessing's resource tracker and hands
            # it sys.stderr's file descriptor; once the app runs, sys.stderr is textual's capture,
            # whose fileno() is -1 ("bad value(s) in fds_to_keep"). Start the tracker now.
            from multiprocessing import resource_tracker

            resource_tracker.ensure_running()

    def on_mount(self) -> None:
        gc.freeze()  # see _add_batch
        self.push_screen(self.corpus)
        if self.loader is None:
            self.corpus.loaded()
        else:
            self.load()

    # -- loading ----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            score = self.session.score_batch  # chrF of the batch's segments, off the app's thread
            self.loader(
                lambda docs, findings: self.call_from_thread(self._add_batch, docs, findings, score(docs)),
                lambda message: self.call_from_thread(self.session.errors.append, message),
                lambda: worker.is_cancelled,
            )
        except Exception as exc:  # a broken input must not take the app down
            self.call_from_thread(self.notify, f"loading stopped: {type(exc).__name__}: {exc}", severity="error")
        if not worker.is_cancelled:
            self.call_from_thread(self._loaded)

    def _add_batch(self, docs, findings, scores=None) -> None:
        self.session.add(docs, findings, scores)
        # The session holds ~10 objects per finding; a full collection over 100,000 findings
        # takes ~0.5 s and lands on a random keystroke. What is loaded stays loaded: exempt it.
        gc.freeze()
        self.corpus.streaming = True
        self.corpus.refresh_view()

    def _loaded(self) -> None:
        s = self.session
        s.finished = True
        if s.references is not None:
            s.finish_references()
        self.corpus.loaded()
        if s.errors:
            self.notify(f"{len(s.errors)} inputs could not be read; first: {s.errors[0]}",
                        severity="warning", timeout=6)
        if s.references is not None:
            self.notify_references()

    def notify_references(self) -> None:
        """Say how the --ref files lined up: nothing scored is an error, a partial match a warning."""
        s = self.session
        problems = s.reference_problems
        if not s.scored_documents():
            first = f": {problems[0]}" if problems else ""
            self.notify(f"no reference lines up with the documents, nothing is scored{first}",
                        severity="error", timeout=10)
        elif problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(f"references: {problems[0]}{more}", severity="warning", timeout=8)

    # -- navigation -----------------------------------------------------------------------------------
    def open_document(self, order: list[DocEntry], index: int) -> None:
        """Show a document; the document screen is built once and reused (composing it costs more
        than loading a document into it)."""
        if self.document_screen is None:
            self.document_screen = DocumentScreen(self.session, order, index)
            self.install_screen(self.document_screen, name="document")
        else:
            self.document_screen.show_document(order, index)
        self.push_screen("document")

    def close_document(self, entry: DocEntry) -> None:
        self.pop_screen()
        self.corpus.refresh_view(keep=entry)

    def refresh_screens(self) -> None:
        screen = self.screen
        if isinstance(screen, DocumentScreen):
            screen.refresh_view()
        self.corpus.refresh_view()

    # -- app-wide actions ---------------------------------------------------------------------------
    def action_help(self) -> None:
        scored = self.session.references is not None
        document_keys = [b for b in DocumentScreen.BINDINGS if scored or b.action != "sort_findings"]
        self.push_screen(HelpScreen([
            ("Everywhere", self.BINDINGS + [Binding("ctrl+p", "command_palette", "Command palette")]),
            ("Corpus view", CorpusScreen.BINDINGS),
            ("Document view", document_keys),
            ("Lists", VirtualTable.BINDINGS),
        ]))

    def action_undo(self) -> None:
        if not self.session.undo():
            self.notify("Nothing to undo in this session.", timeout=2)
            return
        undone = self.session.last_undone
        self.refresh_screens()
        screen = self.screen
        if isinstance(screen, DocumentScreen) and undone:
            rows = screen.table.rows
            target = next((i for i, f in enumerate(rows) if f in undone), None)
            if target is not None:
                screen.table.cursor = target
        self.notify(f"undone ({len(undone)} findings)" if undone else "undone", timeout=2)

    def action_filter(self) -> None:
        def done(flt) -> None:
            if flt is not None:
                self.session.set_filter(flt)
                self.refresh_screens()

        self.push_screen(FilterDialog(self.session.filter, self.session.rules, self.session.categories), done)

    def action_apply(self) -> None:
        s = self.session
        docs = s.applicable()
        report_only = s.report_only_decided()
        if not docs:
            one = report_only == 1
            more = (f" ({report_only} accepted finding{'' if one else 's'} {'is' if one else 'are'} report only: "
                    "cross-document, or no repair proposed)" if report_only else "")
            self.notify(f"No accepted or edited decision with a replacement to apply yet{more}.", timeout=4)
            return
        n = sum(1 for e in docs for f in e.findings if s.applies(f))

        def done(choice: tuple[Path, bool] | None) -> None:
            if choice is not None:
                self.out_dir = choice[0]
                self.notify(f"applying {n} decisions to {choice[0]}…", timeout=3)
                self.apply_decisions(*choice)

        self.push_screen(ConfirmApply(len(docs), n, self.out_dir, report_only), done)

    @work(thread=True, exclusive=True, group="apply")
    def apply_decisions(self, out_dir: Path, force: bool) -> None:
        """Run ``audit normalise --decisions`` in a thread (it reads the corpus again)."""
        try:
            report = self.session.apply(out_dir, force=force)
        except (ReviewError, OSError) as exc:
            self.call_from_thread(self.push_screen, ApplyResult(None, str(exc)))
            return
        self.call_from_thread(self.push_screen, ApplyResult(report))

    # -- command palette -------------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every described binding of the screen and the app, as a palette command."""
        yield from super().get_system_commands(screen)
        seen = set()
        for node, bindings in ((screen, type(screen).BINDINGS), (self, self.BINDINGS)):
            for b in bindings:
                b = b if isinstance(b, Binding) else Binding(*b)
                if not b.description or b.action in seen or b.action == "quit":
                    continue
                if node is screen and hasattr(screen, "check_action") and not screen.check_action(
                        b.action.split("(")[0], ()):
                    continue
                seen.add(b.action)
                keys = ", ".join(k.strip() for k in b.key.split(","))
                yield SystemCommand(b.description.rstrip("…"), f"key: {keys}", partial(self.run_action, b.action, node))


def run(paths: list[str], config, decisions: Path, lexicon: Path | None, title: str, references=None) -> None:
    """Open the app on ``paths``; the check streams in from a worker thread. ``references``
    (an :class:`audit.score.References`) scores each document's segments as it arrives."""
    from .data import stream_check

    session = ReviewSession(decisions, lexicon, references)
    session.source = (paths, config)

    def loader(on_batch, on_error, cancelled):
        stream_check(paths, config, on_batch, on_error, cancelled)

    ReviewApp(session, loader, title).run()
