"""Snapshots of the main screens at 80x24 and 120x36 (``pytest --snapshot-update`` rewrites them).

The data is fixed — the seed articles and the findings frozen in
``tests/fixtures/review/samples-findings.jsonl`` — and the rule documentation is replaced by
a fixed line, so that a detector landing or a docstring changing does not move a snapshot.
Nothing on these screens depends on time or on the machine.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, SelectionList

from audit.tui.app import ReviewApp
from audit.tui.widgets import finding_detail
from test_tui_app import DOC2, make_scored_app, make_session

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(finding_detail, "explain", lambda rule: f"(the documentation of {rule})")
    return ReviewApp(make_session(tmp_path), None, "samples/")


async def open_doc2(pilot):
    await pilot.pause()
    await pilot.press("j", "j", "enter")  # the third document: samples/002_…
    await pilot.press(*["j"] * 5)
    await pilot.pause()
    assert pilot.app.screen.entry.id == DOC2


@pytest.mark.parametrize("size", SIZES)
def test_corpus_view(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_document_view(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=open_doc2)


@pytest.mark.parametrize("size", SIZES)
def test_edit_modal(snap_compare, app, size):
    async def run_before(pilot):
        await open_doc2(pilot)
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False  # a blinking cursor is timing-dependent
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, press=["question_mark"])


@pytest.mark.parametrize("size", SIZES)
def test_document_view_sorted_by_reference_chrf(snap_compare, tmp_path, monkeypatch, size):
    """With --ref: the chrF column, findings worst segment first, the reference in the detail."""
    monkeypatch.setattr(finding_detail, "explain", lambda rule: f"(the documentation of {rule})")

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("j", "j", "enter")
        await pilot.press("s", "home")
        await pilot.pause()
        assert pilot.app.screen.entry.id == DOC2 and pilot.app.session.finding_order == "chrf"

    assert snap_compare(make_scored_app(tmp_path), terminal_size=size, run_before=run_before)


def test_filter_dialog_without_colour(snap_compare, tmp_path, monkeypatch):
    """NO_COLOR: Textual draws in monochrome; ticked boxes read [x], the others [ ]."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReviewApp(make_session(tmp_path), None, "samples/")

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "space")  # script
        pilot.app.screen.query_one("#filter-severities", SelectionList).select("warning")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
