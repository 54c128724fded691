"""Pilot tests: every action of the review app, driven through the real app headless."""

from __future__ import annotations

import asyncio
import functools

import pytest
from textual.widgets import Input, Select, SelectionList, Static

from audit.decisions import read_decisions
from audit.score import References
from audit.tui.app import ReviewApp
from audit.tui.data import ReviewSession
from audit.tui.dialogs.confirm import ConfirmApply, ConfirmBulk
from audit.tui.dialogs.edit import EditReplacement
from audit.tui.dialogs.filter import FilterDialog
from audit.tui.dialogs.help import HelpScreen
from audit.tui.dialogs.lexicon import AddRendering
from audit.tui.screens.corpus import CorpusScreen
from audit.tui.screens.document import DocumentScreen
from audit.tui.widgets.finding_detail import FindingDetail
from audit.tui.widgets.tables import DocumentsTable
from test_tui_data import REFS, add_fixture, fixture_findings, sample_documents

SIZE = (120, 36)


def sync(test):
    """Run an async test with asyncio (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run

DOC0, DOC2 = "samples/000_e0d54f769b0eae65.txt", "samples/002_1afda22d48ad6a4d.txt"


def make_session(tmp_path) -> ReviewSession:
    return add_fixture(ReviewSession(tmp_path / ".audit" / "decisions.jsonl", tmp_path / "lexicons" / "local.csv"))


def make_app(tmp_path, session=None) -> ReviewApp:
    return ReviewApp(session or make_session(tmp_path), None, "samples/")


async def open_document(pilot, doc_id: str) -> DocumentScreen:
    app = pilot.app
    table = app.screen.query_one(DocumentsTable)
    table.cursor = [e.id for e in table.rows].index(doc_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, DocumentScreen) and app.screen.entry.id == doc_id
    return app.screen


async def goto(pilot, screen: DocumentScreen, rule: str, nth: int = 0) -> None:
    """Put the cursor on the nth finding of ``rule`` (moving by key is tested on its own)."""
    rows = screen.table.rows
    screen.table.cursor = [i for i, f in enumerate(rows) if f.rule == rule][nth]
    await pilot.pause()


def detail_text(screen) -> str:
    return screen.query_one(FindingDetail).content.plain


@sync
async def test_corpus_view_lists_documents_with_counts(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CorpusScreen)
        table = app.screen.query_one(DocumentsTable)
        assert [e.id for e in table.rows] == sorted({f.doc for f in fixture_findings()})
        row = table.format_row(app.session.entry(DOC2))
        assert row[0] == DOC2 and int(str(row[2])) == len([f for f in fixture_findings() if f.doc == DOC2])
        # a column per category present in the corpus
        assert {c.key for c in table.columns[4:]} == {f.category for f in fixture_findings()}
        status = str(app.screen.query_one("#corpus-status", Static).render())
        assert f"0/{len(fixture_findings())} decided" in status


@sync
async def test_sort_reverse_and_header_click(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, table = app.screen, app.screen.query_one(DocumentsTable)
        await pilot.press("s")
        assert screen.sort == "open"
        opens = [app.session.counts(e).open for e in table.rows]
        assert opens == sorted(opens, reverse=True) and table.sorted_key == "open"
        await pilot.press("S")
        assert screen.reverse and [app.session.counts(e).open for e in table.rows] == sorted(opens)
        # clicking the "document" header sorts by name; again reverses
        await pilot.click(DocumentsTable, offset=(2, 0))
        assert screen.sort == "doc" and not screen.reverse
        await pilot.click(DocumentsTable, offset=(2, 0))
        assert screen.reverse and [e.id for e in table.rows] == sorted((e.id for e in table.rows), reverse=True)


@sync
async def test_find_document_by_name(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DocumentsTable)
        await pilot.press("slash", "0", "0", "4")
        assert [e.id for e in table.rows] == ["samples/004_f80989c2feba7a24.txt"]
        await pilot.press("enter")  # back to the list, filtered
        await pilot.press("enter")
        assert isinstance(app.screen, DocumentScreen) and app.screen.entry.id == "samples/004_f80989c2feba7a24.txt"
        await pilot.press("escape")
        await pilot.press("escape")  # clears the find
        assert len(table.rows) == len({f.doc for f in fixture_findings()})


@sync
async def test_moving_through_findings_scrolls_the_text(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        rows = screen.table.rows
        assert screen.table.cursor == 0
        for key, expected in (("j", 1), ("down", 2), ("k", 1), ("up", 0), ("end", len(rows) - 1)):
            await pilot.press(key)
            await pilot.pause()
            assert screen.table.cursor == expected
            f = rows[expected]
            view = screen.text_view
            assert view.current == (f.start, f.end)
            line = view.line_of(f.start)
            assert view.scroll_y <= line < view.scroll_y + view.scrollable_content_region.height
            assert detail_text(screen).startswith(f.rule)


@sync
async def test_next_and_previous_document(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC0)
        order = [e.id for e in screen.order]
        await pilot.press("n")
        assert screen.entry.id == order[1] and screen.text_view.text == app.session.entry(order[1]).doc.text
        await pilot.press(*["n"] * len(order))  # past the last: stays
        assert screen.entry.id == order[-1]
        await pilot.press("p")
        assert screen.entry.id == order[-2]
        await pilot.press("escape")
        assert isinstance(app.screen, CorpusScreen)
        assert app.screen.query_one(DocumentsTable).current.id == order[-2]


@sync
async def test_accept_reject_edit_and_undo(tmp_path):
    app = make_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC0)
        rows = screen.table.rows
        await pilot.press("a")
        assert s.status(rows[0]) == "accept" and screen.table.cursor == 1  # moves on
        await pilot.press("r")
        assert s.status(rows[1]) == "reject" and screen.table.cursor == 2
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditReplacement)
        assert app.screen.query_one(Input).value == rows[2].suggestion
        app.screen.query_one(Input).value = "<edited>"
        await pilot.press("enter")
        await pilot.pause()
        assert s.status(rows[2]) == "edit" and s.replacement(rows[2]) == "<edited>"
        # escape cancels an edit
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "not this"
        await pilot.press("escape")
        await pilot.pause()
        assert s.status(rows[3]) == "open"
        on_disk = read_decisions(s.decisions_path)
        assert [on_disk[(f.doc, f.fingerprint)].decision for f in rows[:3]] == ["accept", "reject", "edit"]
        assert on_disk[(rows[2].doc, rows[2].fingerprint)].replacement == "<edited>"
        await pilot.press("u")
        await pilot.pause()
        assert s.status(rows[2]) == "open" and screen.table.cursor == 2  # back on the undone finding
        assert (rows[2].doc, rows[2].fingerprint) not in read_decisions(s.decisions_path)
        # the status mark in the list and the detail follow
        assert str(screen.table.format_row(rows[0])[0]) == "✓"
        assert "undecided" in detail_text(screen)


@sync
async def test_bulk_accept_in_document_and_reject_in_corpus(tmp_path):
    app = make_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        await goto(pilot, screen, "quote-placement")
        in_doc = s.bulk_targets("quote-placement", screen.entry)
        in_corpus = s.bulk_targets("quote-placement", None)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmBulk)
        assert (app.screen.in_document, app.screen.in_corpus) == (len(in_doc), len(in_corpus))
        await pilot.press("escape")
        await pilot.pause()
        assert all(s.status(f) == "open" for f in in_corpus)
        await pilot.press("A", "d")
        await pilot.pause()
        assert all(s.status(f) == "accept" for f in in_doc)
        await pilot.press("R", "c")
        await pilot.pause()
        assert all(s.status(f) == "reject" for f in in_corpus)
        await pilot.press("u")
        await pilot.pause()
        assert all(s.status(f) == "accept" for f in in_doc)


@sync
async def test_ignore_rule_in_document(tmp_path):
    app = make_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        await goto(pilot, screen, "calque")
        before = len(screen.table.rows)
        calques = [f for f in screen.table.rows if f.rule == "calque"]
        await pilot.press("i")
        await pilot.pause()
        assert len(screen.table.rows) == before - len(calques)
        assert not any(f.rule == "calque" for f in screen.table.rows)
        assert (DOC2, "calque") in s.ignored
        await pilot.press("u")
        await pilot.pause()
        assert len(screen.table.rows) == before


@sync
async def test_add_name_rendering_to_lexicon(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC0)
        await goto(pilot, screen, "name-suspect")
        f = screen.finding
        await pilot.press("L")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddRendering)
        assert dialog.query_one("#lex-id", Input).value == f.evidence["entity"]
        assert dialog.query_one("#lex-form", Input).value == f.text
        dialog.query_one("#lex-type", Select).value = "ministry"
        dialog.query_one("#lex-form", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        lexicon = tmp_path / "lexicons" / "local.csv"
        assert lexicon.read_text("utf-8").splitlines() == [
            "id,type,lang,form,status", f"{f.evidence['entity']},ministry,en,{f.text},accepted"]
        # an invalid row is refused with a message, nothing written
        await pilot.press("L")
        await pilot.pause()
        app.screen.query_one("#lex-id", Input).value = "Bad Id"
        app.screen.query_one("#lex-id", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(lexicon.read_text("utf-8").splitlines()) == 2
        assert any("id 'Bad Id'" in str(n.message) for n in app._notifications)


@sync
async def test_search_the_text(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        text = screen.entry.doc.text
        await pilot.press("slash")
        assert screen.query_one("#doc-search", Input).has_focus
        await pilot.press(*"s-400", "enter")
        await pilot.pause()
        hits = screen.text_view.search_hits
        assert hits and all(text[a:b].lower() == "s-400" for a, b in hits)
        first = screen.text_view.search_current
        await pilot.press("enter")
        assert screen.text_view.search_current == hits[(hits.index(first) + 1) % len(hits)]
        line = screen.text_view.line_of(screen.text_view.search_current[0])
        assert screen.text_view.scroll_y <= line < screen.text_view.scroll_y + screen.text_view.size.height
        await pilot.press("escape")
        assert screen.text_view.search_hits == [] and not screen.query_one("#doc-search").display
        assert isinstance(app.screen, DocumentScreen)


@sync
async def test_filter_by_category_rule_severity_confidence(tmp_path):
    app = make_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)
        app.screen.query_one("#filter-categories", SelectionList).select("quotes")
        app.screen.query_one("#filter-confidence", Input).value = "0.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert s.filter.categories == {"quotes"} and s.filter.min_confidence == 0.5
        table = app.screen.query_one(DocumentsTable)
        assert {e.id for e in table.rows} == {f.doc for f in fixture_findings()
                                              if f.category == "quotes" and f.confidence >= 0.5}
        screen = await open_document(pilot, table.rows[0].id)
        assert {f.category for f in screen.table.rows} == {"quotes"}
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-severities", SelectionList).select("info")
        app.screen.query_one("#filter-rules", SelectionList).select("mixed-quote-style")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert {(f.rule, f.severity) for f in screen.table.rows} <= {("mixed-quote-style", "info")}
        await pilot.press("f", "ctrl+r")  # clear
        await pilot.pause()
        assert not s.filter.active


def screen_lines(app) -> list[str]:
    """The text of the whole terminal as the app draws it (dialogs over the screen below)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@sync
async def test_filter_ticks_read_without_colour(tmp_path, monkeypatch):
    """Under NO_COLOR (Textual then draws in monochrome) a ticked box must not look like an
    unticked one: the state is a glyph, [x] or [ ], not a colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)  # textual reads NO_COLOR when the app is built
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        categories = app.screen.query_one("#filter-categories", SelectionList)
        assert categories.has_focus
        await pilot.press("space")  # tick the first category (encoding)
        app.screen.query_one("#filter-severities", SelectionList).select("info")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "[x] encoding (10)" in text and "[ ] script (2)" in text
        assert "[x] info" in text and "[ ] error" in text and "[ ] warning" in text
        assert "[ ] undecided only" in text
        assert "┏━ category" in text and "╭─ severity" in text  # the focused list: a heavy frame
        await pilot.click("#filter-open")
        await pilot.pause()
        assert "[x] undecided only" in "\n".join(screen_lines(app))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.filter.categories == {"encoding"} and app.session.filter.severities == {"info"}
        assert app.session.filter.open_only


@sync
async def test_decided_findings_in_the_text_differ_without_colour(tmp_path, monkeypatch):
    """In the text, an open finding is underlined; a decided one is dim and not underlined (under
    NO_COLOR the category backgrounds are all grey, so colour cannot tell them apart)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        first, second = screen.table.rows[:2]
        await pilot.press("a")
        await pilot.pause()
        view = screen.text_view

        def style(f):
            return view._style_at(f.start, view._spans_in(f.start, f.end), [], view.rich_style)

        decided, still_open = style(first), style(second)
        assert decided.dim and not decided.underline
        assert still_open.underline and not still_open.dim


@sync
async def test_help_screen_and_command_palette(tmp_path):
    app = make_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        for line in ("a                Accept", "?                Help", "/                Search text"):
            assert line in shown
        await pilot.press("escape")
        screen = await open_document(pilot, DOC0)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Accept", "Reject", "Edit", "Undo", "Filter", "Apply", "Accept rule", "Reject rule",
                "Ignore rule here", "Add to lexicon", "Search text", "Next doc", "Help"} <= titles
        # run one through the palette
        first = screen.finding
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"reject")
        await asyncio.sleep(0.3)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert s.status(first) == "reject"


@sync
async def test_resume_puts_the_cursor_on_the_first_undecided(tmp_path):
    s = make_session(tmp_path)
    e0 = s.entry(DOC0)
    s.decide(s.visible(e0)[:2], "accept")
    s.decide(s.visible(e0), "reject")  # every finding of the first two documents decided
    s.decide(s.visible(s.entry("samples/001_21baba55eea883e4.txt")), "reject")
    s.decide(s.visible(s.entry(DOC2))[:3], "accept")
    app = make_app(tmp_path, make_session(tmp_path))  # a new session reads the file
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DocumentsTable)
        assert table.current.id == DOC2  # the first document with something open
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.table.cursor == 3


@sync
async def test_quit(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_document(pilot, DOC0)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@sync
async def test_detail_shows_rule_evidence_and_repair(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        await goto(pilot, screen, "name-corpus-inconsistent")
        f = screen.finding
        shown = detail_text(screen)
        assert shown.startswith("name-corpus-inconsistent")
        assert f.message in shown.replace("\n", " ") or f.message[:40] in shown
        assert "Evidence" in shown and "renderings.Antony Blinken.docs:" in shown
        assert f"{f.suggestion}" in shown.split("after")[1]
        from audit.detectors import DETECTORS

        assert DETECTORS[f.rule].summary() in shown
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "Antony J. Blinken"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("k")  # back to it
        shown = detail_text(screen)
        assert "edited" in shown and "Antony J. Blinken" in shown


@sync
async def test_streamed_loading(tmp_path):
    docs = sample_documents()
    findings = fixture_findings()

    def loader(on_batch, on_error, cancelled):
        on_batch(docs[:2], [f for f in findings if f.doc in {d.id for d in docs[:2]}])
        on_error("broken.jsonl:3: not JSON")
        on_batch(docs[2:], [f for f in findings if f.doc not in {d.id for d in docs[:2]}])

    s = ReviewSession(tmp_path / "d.jsonl")
    app = ReviewApp(s, loader, "samples/")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if s.finished:
                break
        assert s.finished
        table = app.screen.query_one(DocumentsTable)
        assert len(table.rows) == len({f.doc for f in fixture_findings()}) and s.errors == ["broken.jsonl:3: not JSON"]
        status = str(app.screen.query_one("#corpus-status", Static).render())
        assert "loading" not in status and "1 input errors" in status


@sync
async def test_no_color_keeps_highlights_visible(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color
        screen = await open_document(pilot, DOC2)
        view = screen.text_view
        assert view.get_component_rich_style("text-view--current").reverse
        for cat in {f.category for f in fixture_findings()}:
            assert view.get_component_rich_style(f"text-view--{cat}").underline
        assert screen.table.get_component_rich_style("virtual-table--cursor").reverse


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
@sync
async def test_every_size_shows_the_parts(tmp_path, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        for widget in (screen.text_view, screen.table, screen.query_one(FindingDetail)):
            assert widget.region.width >= 20 and widget.region.height >= 4
        await pilot.press("j")
        assert screen.text_view.current == (screen.finding.start, screen.finding.end)


# -- references (audit review --ref) ---------------------------------------------------------------
def make_scored_app(tmp_path, refs=REFS) -> ReviewApp:
    s = add_fixture(ReviewSession(tmp_path / ".audit" / "decisions.jsonl", references=References([str(refs)])))
    return ReviewApp(s, None, "samples/")


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


@sync
async def test_sort_findings_worst_segment_first(tmp_path):
    app = make_scored_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        corpus = app.screen
        assert "chrf" in [c.key for c in corpus.table.columns]
        while corpus.sort != "chrf":  # s cycles the corpus sorts; worst segment is one of them
            await pilot.press("s")
        assert corpus.table.rows[0].id == DOC2 and corpus.table.sorted_key == "chrf"
        assert "sort: worst segment chrF" in str(corpus.query_one("#corpus-status", Static).render())
        assert "chrF: 1/5 docs" in str(corpus.query_one("#corpus-status", Static).render())
        screen = await open_document(pilot, DOC2)
        assert "Sort by chrF" in {c.title for c in app.get_system_commands(screen)}
        await pilot.press("question_mark")
        await pilot.pause()
        assert "s                Sort by chrF" in "\n".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        table = screen.table
        text_order = list(table.rows)
        assert [f.start for f in text_order] == sorted(f.start for f in text_order)
        current = screen.finding
        await pilot.press("s")
        await pilot.pause()
        chrf = [s.segment(f).chrf for f in table.rows]
        assert chrf == sorted(chrf) and chrf[0] < chrf[-1]
        assert table.rows[0].text == "C-400" and screen.finding is current  # the cursor keeps its finding
        assert "worst segment first" in str(screen.query_one("#doc-title", Static).render())
        await pilot.press("home")
        await pilot.pause()
        shown = detail_text(screen)
        assert "Reference  line 61 · chrF 34.5" in shown and "The S-400 factor" in shown
        # the list shows the score; a decision keeps the order and moves on to the next worst
        await pilot.press("a")
        await pilot.pause()
        assert s.status(table.rows[0]) == "accept" and screen.table.cursor == 1
        await pilot.press("s")
        await pilot.pause()
        assert list(table.rows) == text_order


@sync
async def test_reference_problems_are_reported_and_the_review_goes_on(tmp_path):
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "002_1afda22d48ad6a4d.txt").write_text("only one line\n", "utf-8")
    app = make_scored_app(tmp_path, refs)
    app.loader = lambda on_batch, on_error, cancelled: None  # nothing more to load: finish at once
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.session.finished:
                break
        assert app.session.entry(DOC2).scores is None
        assert any(m.startswith("no reference lines up with the documents, nothing is scored: ") and "has 1 segments"
                   in m for m in notifications(app))
        screen = await open_document(pilot, DOC2)
        assert "no reference lines up with this document" in detail_text(screen)
        await pilot.press("s")
        await pilot.pause()
        assert [f.start for f in screen.table.rows] == sorted(f.start for f in screen.table.rows)


@sync
async def test_streamed_loading_scores_each_batch(tmp_path):
    docs, findings = sample_documents(), fixture_findings()

    def loader(on_batch, on_error, cancelled):
        on_batch(docs[:3], [f for f in findings if f.doc in {d.id for d in docs[:3]}])
        on_batch(docs[3:], [f for f in findings if f.doc not in {d.id for d in docs[:3]}])

    s = ReviewSession(tmp_path / "d.jsonl", references=References([str(REFS)]))
    app = ReviewApp(s, loader, "samples/")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if s.finished:
                break
        assert s.scored_documents() == 1 and s.entry(DOC2).scores.worst == pytest.approx(34.5, abs=0.05)
        assert not [m for m in notifications(app) if "reference" in m]


@sync
async def test_without_references_there_is_no_score_column_or_sort(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "chrf" not in [c.key for c in app.screen.table.columns]
        seen = set()
        for _ in range(20):
            await pilot.press("s")
            seen.add(app.screen.sort)
        assert "chrf" not in seen
        screen = await open_document(pilot, DOC2)
        assert "chrf" not in [c.key for c in screen.table.columns]
        rows = list(screen.table.rows)
        await pilot.press("s")
        await pilot.pause()
        assert list(screen.table.rows) == rows and app.session.finding_order == "text"
        assert "Reference" not in detail_text(screen)
        assert "Sort by chrF" not in {c.title for c in app.get_system_commands(screen)}
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Sort by chrF" not in "\n".join(str(w.render()) for w in app.screen.query(Static))


# -- findings that applying the decisions does not change -----------------------------------------
@sync
async def test_accepting_what_normalise_will_not_apply_says_so(tmp_path):
    """Cross-document findings (the corpus stage's) and findings without a repair can be accepted,
    but `audit normalise --decisions` (and W) leave their text as it is: the detail pane marks
    them, and accepting them (one, or a whole rule) warns."""
    app = make_app(tmp_path)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_document(pilot, DOC2)
        await goto(pilot, screen, "name-corpus-inconsistent")
        cross = screen.finding
        assert s.is_cross_document(cross) and cross.suggestion is not None
        assert "report only: normalise will not apply this (a cross-document finding" in detail_text(screen)
        await pilot.press("a")
        await pilot.pause()
        assert s.status(cross) == "accept" and not s.applies(cross)
        assert screen.table._format(cross)[0].plain == "○"  # the list tells it from an applied ✓
        assert notifications(app)[-1].startswith("Accepted, report only: normalise will not apply it "
                                                 "(a cross-document finding")
        await pilot.press("W")  # nothing W would change yet
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        assert notifications(app)[-1] == ("No accepted or edited decision with a replacement to apply yet "
                                          "(1 accepted finding is report only: cross-document, or no repair proposed).")

        # a finding of the document itself, with a repair: no marker, no warning, and W applies it
        await goto(pilot, screen, "name-variant")
        variant = screen.finding
        assert not s.is_cross_document(variant) and variant.suggestion is not None
        assert "report only" not in detail_text(screen)
        before = len(notifications(app))
        await pilot.press("a")
        await pilot.pause()
        assert len(notifications(app)) == before and s.applies(variant)
        assert screen.table._format(variant)[0].plain == "✓"

        # no repair proposed: accepting records a real problem, but changes no text
        bare = next(f for f in screen.table.rows if f.suggestion is None and not s.is_cross_document(f))
        screen.table.cursor = screen.table.rows.index(bare)
        await pilot.pause()
        assert "report only: normalise will not apply this (no repair proposed)" in detail_text(screen)
        await pilot.press("a")
        await pilot.pause()
        assert notifications(app)[-1] == "Accepted, report only: normalise will not apply it (no repair proposed)."

        # accepting the whole rule across the corpus: the confirmation says it first, then the warning
        await goto(pilot, screen, "name-corpus-inconsistent")
        all_cross = s.bulk_targets("name-corpus-inconsistent", None)
        assert len(all_cross) == 3 and all(s.is_cross_document(f) for f in all_cross)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmBulk)
        assert "normalise will not apply 1 of those in this document and 3 in the corpus" in str(
            app.screen.query_one("#bulk-report-only", Static).render())
        await pilot.press("c")
        await pilot.pause()
        assert notifications(app)[-1] == ("Report only: normalise will not apply 3 of the 3 findings accepted "
                                          "(3 cross-document).")

        # W counts only what it will change, and says what it leaves
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmApply) and app.screen.decisions == 1
        assert "Not applied: 4 accepted or edited findings are report only" in str(
            app.screen.query_one("#apply-report-only", Static).render())


def test_edited_cross_document_finding_is_report_only_too(tmp_path):
    s = make_session(tmp_path)
    cross = next(f for e in s.entries for f in e.findings if s.is_cross_document(f))
    bare = next(f for e in s.entries for f in e.findings if f.suggestion is None and not s.is_cross_document(f))
    assert s.report_only(cross, "edit") is not None and s.report_only(bare, "edit") is None
    s.decide([cross], "edit", "Antony Blinken")
    s.decide([bare], "edit", "something")
    assert not s.applies(cross) and s.applies(bare) and s.report_only_decided() == 1
    assert [e.id for e in s.applicable()] == [bare.doc]
