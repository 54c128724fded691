"""A review session on the seed articles, end to end: decide in the app, apply with `audit normalise --decisions`.

The findings are the live ones (the app runs the check, as `audit review` does), so the
decisions are keyed by the fingerprints `audit normalise` recomputes.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import Input

from audit import Config
from audit.cli import main
from audit.decisions import read_decisions
from audit.tui.app import ReviewApp
from audit.tui.data import ReviewSession, default_decisions_path, stream_check
from audit.tui.dialogs.confirm import ApplyResult, ConfirmApply
from audit.tui.widgets.tables import DocumentsTable
from test_tui_app import goto, sync

ROOT = Path(__file__).resolve().parent.parent
FIRST = "000_e0d54f769b0eae65.txt"


def apply_by_hand(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


@sync
async def test_review_session_then_normalise_with_decisions(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "samples", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    config = Config(lang="en", jobs=1)
    session = ReviewSession(default_decisions_path(["corpus"]))
    session.source = (["corpus"], config)
    app = ReviewApp(session, lambda b, e, c: stream_check(["corpus"], config, b, e, c), "corpus")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(300):
            await pilot.pause(0.05)
            if session.finished:
                break
        assert session.finished and not session.errors
        table = app.screen.query_one(DocumentsTable)
        assert table.current.id == f"corpus/{FIRST}"  # nothing decided yet: the first document
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        spaces = [f for f in screen.table.rows if f.rule == "whitespace" and f.suggestion is not None]
        assert len(spaces) >= 4
        await goto(pilot, screen, "whitespace", 0)
        await pilot.press("a")
        await goto(pilot, screen, "whitespace", 1)
        await pilot.press("a")
        await goto(pilot, screen, "whitespace", 2)
        await pilot.press("r")
        await goto(pilot, screen, "whitespace", 3)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "<edited>"
        await pilot.press("enter")
        await pilot.pause()
        assert [session.status(f) for f in spaces[:4]] == ["accept", "accept", "reject", "edit"]

        # apply from the app: the same function as `audit normalise --decisions`
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmApply)
        app.screen.query_one("#apply-dir", Input).value = "out-app"
        await pilot.press("enter")
        for _ in range(300):
            await pilot.pause(0.05)
            if isinstance(app.screen, ApplyResult):
                break
        result = app.screen
        assert isinstance(result, ApplyResult) and result.error is None, result.error
        assert len(result.report.edits) == 3 and "3 edits in 1 of 5 documents" in result.report.summary
        await pilot.press("escape", "q")

    original = (tmp_path / "corpus" / FIRST).read_text("utf-8")
    expected = apply_by_hand(original, [(f.start, f.end, f.suggestion) for f in spaces[:2]]
                             + [(spaces[3].start, spaces[3].end, "<edited>")])
    assert expected != original
    decisions = tmp_path / "corpus" / ".audit" / "decisions.jsonl"
    assert len(read_decisions(decisions)) == 4

    result = CliRunner().invoke(main, ["normalise", "corpus", "--decisions", str(decisions), "--out", "out-cli",
                                       "--lang", "en", "-j", "1"])
    assert result.exit_code == 0, result.output
    for out in ("out-app", "out-cli"):
        [written] = (tmp_path / out).rglob(FIRST)
        assert written.read_text("utf-8") == expected
        for other in sorted((tmp_path / "corpus").glob("*.txt")):
            if other.name != FIRST:
                [copy] = (tmp_path / out).rglob(other.name)
                assert copy.read_text("utf-8") == other.read_text("utf-8")

    # reopening resumes: the four decisions stand, the cursor is on the first undecided finding
    again = ReviewSession(default_decisions_path(["corpus"]))
    stream_check(["corpus"], config, again.add, lambda m: None)
    entry = again.entry(f"corpus/{FIRST}")
    assert [again.status(f) for f in again.visible(entry) if f.rule == "whitespace"][:4] == [
        "accept", "accept", "reject", "edit"]
    assert again.status(again.visible(entry)[again.first_open(entry)]) == "open"
    await asyncio.sleep(0)


def test_accepted_cross_document_findings_are_left_by_normalise(tmp_path, monkeypatch):
    """What the app marks "report only" is what `audit normalise --decisions` leaves: the corpus
    stage's findings, accepted with their suggestion, change no text; a document's own accepted
    finding next to them does."""
    shutil.copytree(ROOT / "samples", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    config = Config(lang="en", jobs=1)
    session = ReviewSession(default_decisions_path(["corpus"]))
    session.source = (["corpus"], config)
    stream_check(["corpus"], config, session.add, lambda m: None)
    cross = [f for e in session.entries for f in e.findings if session.is_cross_document(f) and f.suggestion]
    assert cross, "the seed articles have cross-document findings with a suggestion"
    doc = cross[0].doc
    own = next(f for f in session.entry(doc).findings
               if f.suggestion is not None and not session.is_cross_document(f)
               and not any(c.start < f.end and f.start < c.end for c in cross))
    session.decide(cross + [own], "accept")
    assert [session.applies(f) for f in cross] == [False] * len(cross) and session.applies(own)
    assert session.report_only_decided() == len(cross)
    report = session.apply(Path("out"))
    assert [(e["doc"], e["start"], e["rule"]) for e in report.edits] == [(doc, own.start, own.rule)]
    assert f"{len(cross)} accepted decision{'s' * (len(cross) != 1)} on cross-document findings" in report.summary  # normalise's own count
    original = (tmp_path / doc).read_text("utf-8")
    [written] = (tmp_path / "out").rglob(Path(doc).name)
    assert written.read_text("utf-8") == apply_by_hand(original, [(own.start, own.end, own.suggestion)])
