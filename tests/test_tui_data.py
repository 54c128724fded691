"""The review session without a terminal: loading, filters, decisions, undo, persistence, lexicon rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audit import Config, Document, audit_docs
from audit.decisions import read_decisions
from audit.findings import SEVERITY_RANK, Finding, fingerprint
from audit.score import References, read_segments, segment_scores
from audit.tui.data import (
    SORT_KEYS, FindingFilter, ReviewError, ReviewSession, append_lexicon_row, default_decisions_path, find_all, slug,
    stream_check,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "review" / "samples-findings.jsonl"
#: a hand-corrected reference of samples/002_… (tests/fixtures/review-refs/README.md)
REFS = Path(__file__).parent / "fixtures" / "review-refs" / "samples"
DOC2 = "samples/002_1afda22d48ad6a4d.txt"


def sample_documents() -> list[Document]:
    return [Document(f"samples/{p.name}", p.read_text("utf-8"), lang="en", meta={"path": f"samples/{p.name}"})
            for p in sorted((ROOT / "samples").glob("*.txt"))]


def fixture_findings() -> list[Finding]:
    """``audit check samples/ -f jsonl`` frozen when the app was written (stable under detector changes)."""
    return [Finding(**json.loads(line)) for line in FIXTURE.read_text("utf-8").splitlines()]


def is_corpus_stage(f: Finding) -> bool:
    """Whether a frozen finding came from the corpus stage: ``audit.engine.corpus_stage``
    fingerprints on the document id where the document stage uses the words around the span."""
    return any(f.fingerprint == fingerprint(f.rule, f.text, f.doc, n) for n in range(8))


def add_fixture(s: ReviewSession) -> ReviewSession:
    """The fixture's findings as ``stream_check`` hands them over: each document with its
    document-stage findings, then the corpus stage's (cross-document) findings on their own."""
    found = fixture_findings()
    s.add(sample_documents(), [f for f in found if not is_corpus_stage(f)])
    s.add([], [f for f in found if is_corpus_stage(f)])
    return s


@pytest.fixture
def session(tmp_path) -> ReviewSession:
    return add_fixture(ReviewSession(tmp_path / ".audit" / "decisions.jsonl", tmp_path / "lexicons" / "local.csv"))


def by_rule(s: ReviewSession, rule: str) -> list[Finding]:
    return [f for e in s.entries for f in s.visible(e) if f.rule == rule]


def test_import_audit_does_not_import_textual():
    code = ("import sys, audit, audit.cli, audit.tui, audit.tui.data, audit.cli.review; "
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_documents_and_counts(session):
    docs = session.documents()
    assert [e.id for e in docs] == sorted({f.doc for f in fixture_findings()})
    assert session.progress() == (0, len(fixture_findings()))
    e = session.entry("samples/002_1afda22d48ad6a4d.txt")
    c = session.counts(e)
    assert c.total == len([f for f in fixture_findings() if f.doc == e.id]) == c.open
    assert sum(c.by_severity.values()) == sum(c.by_category.values()) == c.total
    # every document was read, those without findings too
    assert session.documents_read == 5 and len(session) == 5


@pytest.mark.parametrize("sort", ["position", "doc", "open", "total", "severity", "quotes"])
def test_sorting(session, sort):
    rows = session.documents(sort)
    assert sorted(rows, key=lambda e: e.position) == sorted(session.documents("position"), key=lambda e: e.position)
    if sort in ("open", "total"):
        values = [getattr(session.counts(e), sort) for e in rows]
        assert values == sorted(values, reverse=True)
    if sort == "quotes":
        values = [session.counts(e).by_category["quotes"] for e in rows]
        assert values == sorted(values, reverse=True)
    key = SORT_KEYS[sort][1]
    keys = [key(e, session.counts(e)) for e in session.documents(sort, reverse=True)]
    assert keys == sorted(keys, reverse=True) and len(keys) == len(rows)


def test_search_by_document_name(session):
    assert [e.id for e in session.documents(search="002_")] == ["samples/002_1afda22d48ad6a4d.txt"]
    assert session.documents(search="no such document") == []


def test_filters(session):
    total = len(fixture_findings())
    session.set_filter(FindingFilter(categories=frozenset({"quotes"})))
    assert {f.category for e in session.entries for f in session.visible(e)} == {"quotes"}
    session.set_filter(FindingFilter(rules=frozenset({"whitespace"}), severities=frozenset({"info"})))
    shown = [f for e in session.entries for f in session.visible(e)]
    assert shown and all(f.rule == "whitespace" and f.severity == "info" for f in shown)
    session.set_filter(FindingFilter(min_confidence=0.9))
    assert all(f.confidence >= 0.9 for e in session.entries for f in session.visible(e))
    session.set_filter(FindingFilter())
    first = session.visible(session.documents()[0])[0]
    session.decide([first], "reject")
    session.set_filter(FindingFilter(open_only=True))
    assert session.progress() == (0, total - 1)
    assert first not in session.visible(session.entry(first.doc))
    assert FindingFilter(open_only=True, categories=frozenset({"names"})).describe() == "category=names open only"


def test_decisions_persist_and_resume(session, tmp_path):
    ws = by_rule(session, "whitespace")
    assert session.decide(ws[:2], "accept") == 2
    assert session.decide(ws[2:3], "reject") == 1
    assert session.decide(ws[3:4], "edit", "·") == 1
    assert session.decide(ws[:1], "accept") == 0  # already standing
    on_disk = read_decisions(session.decisions_path)
    assert {k: d.decision for k, d in on_disk.items()} == {
        (f.doc, f.fingerprint): d for f, d in zip(ws[:4], ["accept", "accept", "reject", "edit"])}
    assert on_disk[(ws[0].doc, ws[0].fingerprint)].replacement == ws[0].suggestion
    assert on_disk[(ws[3].doc, ws[3].fingerprint)].replacement == "·"
    # reopening resumes: same states, cursor on the first undecided finding
    again = ReviewSession(session.decisions_path)
    again.add(sample_documents(), fixture_findings())
    assert [again.status(f) for f in by_rule(again, "whitespace")[:5]] == ["accept", "accept", "reject", "edit", "open"]
    entry = again.entry(ws[0].doc)
    first_open = again.visible(entry)[again.first_open(entry)]
    assert again.status(first_open) == "open"
    assert all(again.status(f) != "open" for f in again.visible(entry)[: again.first_open(entry)])
    assert again.replacement(ws[3]) == "·" and again.replacement(ws[4]) == ws[4].suggestion


def test_undo_restores_previous_decision_in_memory_and_on_disk(session):
    f = by_rule(session, "whitespace")[0]
    session.decide([f], "accept")
    session.decide([f], "reject")
    assert session.status(f) == "reject"
    assert session.undo() == 1
    assert session.status(f) == "accept"
    assert read_decisions(session.decisions_path)[(f.doc, f.fingerprint)].decision == "accept"
    assert session.undo() == 1 and session.status(f) == "open"
    assert (f.doc, f.fingerprint) not in read_decisions(session.decisions_path)
    assert session.undo() == 0 and not session.can_undo


def test_bulk_decisions_are_one_undo_step(session):
    quotes_doc = session.entry("samples/002_1afda22d48ad6a4d.txt")
    in_doc = session.bulk_targets("quote-placement", quotes_doc)
    in_corpus = session.bulk_targets("quote-placement", None)
    assert in_doc and len(in_corpus) >= len(in_doc)
    assert all(f.rule == "quote-placement" and f.doc == quotes_doc.id for f in in_doc)
    assert session.decide(in_corpus, "accept") == len(in_corpus)
    assert all(session.status(f) == "accept" for f in in_corpus)
    assert session.undo() == len(in_corpus)
    assert all(session.status(f) == "open" for f in in_corpus)
    assert read_decisions(session.decisions_path) == {}


def test_ignore_rule_for_a_document(session):
    entry = session.entry("samples/002_1afda22d48ad6a4d.txt")
    calques = [f for f in session.visible(entry) if f.rule == "calque"]
    assert calques
    assert session.ignore_rule(entry, "calque") == len(calques)
    assert not [f for f in session.visible(entry) if f.rule == "calque"]
    assert all(session.status(f) == "ignored" for f in calques)
    # rejected on disk (never applied) and remembered across sessions
    assert all(read_decisions(session.decisions_path)[(f.doc, f.fingerprint)].decision == "reject" for f in calques)
    again = ReviewSession(session.decisions_path)
    again.add(sample_documents(), fixture_findings())
    assert not [f for f in again.visible(again.entry(entry.id)) if f.rule == "calque"]
    # other documents keep the rule
    assert session.undo() == len(calques)
    assert [f for f in session.visible(entry) if f.rule == "calque"] == calques
    third = ReviewSession(session.decisions_path)
    third.add(sample_documents(), fixture_findings())
    assert len([f for f in third.visible(third.entry(entry.id)) if f.rule == "calque"]) == len(calques)


def test_decisions_survive_a_rerun_on_edited_text(tmp_path):
    text = "Erdogan met  Blinken.\n\nThe  minister said so."
    doc = Document("a.txt", text, lang="en")
    config = Config(select=["whitespace"])
    s = ReviewSession(tmp_path / "d.jsonl")
    s.add([doc], audit_docs([doc], config))
    first, second = s.visible(s.entry("a.txt"))
    s.decide([first], "reject")
    s.decide([second], "accept")
    edited = Document("a.txt", "A new first paragraph.\n\n" + text, lang="en")
    again = ReviewSession(tmp_path / "d.jsonl")
    again.add([edited], audit_docs([edited], config))
    moved = again.visible(again.entry("a.txt"))
    assert [f.start for f in moved] == [first.start + 24, second.start + 24]
    assert [again.status(f) for f in moved] == ["reject", "accept"]


def test_lexicon_rows(session, tmp_path):
    name = next(f for f in fixture_findings() if f.rule == "name-suspect")
    row = session.suggest_rendering(name)
    assert row == {"id": name.evidence["entity"], "type": "person", "lang": "en", "form": name.text, "status": "accepted"}
    row["type"] = "ministry"
    path = session.add_rendering(row)
    path2 = session.add_rendering({**row, "form": "Türkiye Dışişleri Bakanlığı", "lang": "tr", "status": "canonical"})
    assert path == path2 == tmp_path / "lexicons" / "local.csv"
    assert path.read_text("utf-8").splitlines() == [
        "id,type,lang,form,status",
        f"turkish-foreign-ministry,ministry,en,{name.text},accepted",
        "turkish-foreign-ministry,ministry,tr,Türkiye Dışişleri Bakanlığı,canonical",
    ]
    for bad in ({**row, "id": "Not An Id"}, {**row, "status": "maybe"}, {**row, "lang": "eng"},
                {**row, "type": "thing"}, {**row, "form": " "}):
        with pytest.raises(ReviewError):
            append_lexicon_row(path, bad)
    assert len(path.read_text("utf-8").splitlines()) == 3
    # a form with a comma is quoted, as CSV readers expect
    append_lexicon_row(path, {**row, "form": "Kalın, İbrahim"})
    assert path.read_text("utf-8").splitlines()[-1] == 'turkish-foreign-ministry,ministry,en,"Kalın, İbrahim",accepted'


def test_slug_and_search_helpers():
    assert slug("İbrahim Kalın") == "ibrahim-kalin"
    assert slug("1 May") == "n-1-may"
    assert find_all("S-400 and s-400s", "s-400") == [(0, 5), (10, 15)]
    assert find_all("text", "") == []


def test_default_decisions_path(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("x")
    assert default_decisions_path([str(corpus)]) == corpus / ".audit" / "decisions.jsonl"
    assert default_decisions_path([str(corpus / "a.txt")]) == corpus / ".audit" / "decisions.jsonl"
    # the reader skips the hidden directory: the decisions file is never read as a document
    from audit.inputs import InputOptions, iter_inputs

    (corpus / ".audit").mkdir()
    (corpus / ".audit" / "decisions.jsonl").write_text('{"text": "not a document"}\n')
    assert [d.id for d in iter_inputs([str(corpus)], InputOptions())] == [str(corpus / "a.txt")]


def test_stream_check_hands_over_batches_and_corpus_findings(tmp_path):
    s = ReviewSession(tmp_path / "d.jsonl")
    batches = []

    def on_batch(docs, findings):
        batches.append((len(docs), len(findings)))
        last[:] = findings
        s.add(docs, findings)

    errors, last = [], []
    stream_check([str(ROOT / "samples"), str(tmp_path / "missing")], Config(lang="en", jobs=1), on_batch, errors.append)
    assert len(s) == 5 and s.documents_read == 5
    assert batches[-1][0] == 0  # the corpus stage comes last, with no new documents
    # its findings, and only those, are cross-document (audit normalise --decisions never applies them)
    assert last and {f.rule for f in last} <= {"name-corpus-inconsistent", "retranslated-quote", "homoglyph-designation"}
    assert [f for e in s.entries for f in e.findings if s.is_cross_document(f)] == sorted(
        last, key=lambda f: (f.doc, f.start, f.end, -SEVERITY_RANK[f.severity], f.rule))
    assert errors and "missing" in errors[0]
    expected = audit_docs([Document(d.id, d.doc.text, lang="en") for d in s.entries], Config(lang="en"))
    assert sorted((f.doc, f.start, f.rule) for e in s.entries for f in e.findings) == sorted(
        (f.doc, f.start, f.rule) for f in expected)


def test_review_command_takes_the_options_of_check():
    from click.testing import CliRunner

    from audit.cli import main

    runner = CliRunner()
    review_help = runner.invoke(main, ["review", "--help"])
    check_help = runner.invoke(main, ["check", "--help"])
    assert review_help.exit_code == 0 and "--decisions" in review_help.output
    for option in ("--select", "--ignore", "--lang", "--lexicon", "--text-column", "--min-confidence", "--jobs"):
        assert option in review_help.output and option in check_help.output
    refused = runner.invoke(main, ["review", "-"])
    assert refused.exit_code == 2 and "stdin" in refused.output
    assert runner.invoke(main, ["review", "x", "--select", "no-such-rule"]).exit_code == 2


# -- references (audit review --ref) -------------------------------------------------------------
@pytest.fixture
def scored(tmp_path) -> ReviewSession:
    s = ReviewSession(tmp_path / ".audit" / "decisions.jsonl", references=References([str(REFS)]))
    s.add(sample_documents(), fixture_findings())
    return s


def _line_scores() -> dict[str, float]:
    """audit score's per-segment chrF of samples/002 against its reference."""
    hyp, ref = read_segments(ROOT / DOC2), read_segments(REFS / Path(DOC2).name)
    return {seg.id: seg.chrf for seg in segment_scores(hyp.texts, [ref.texts], hyp.ids) if not seg.blank}


def test_each_finding_knows_the_chrf_of_its_line(scored):
    entry = scored.entry(DOC2)
    expected = _line_scores()
    assert scored.scored_documents() == 1 and entry.scores.worst == min(expected.values())
    for f in entry.findings:
        line = str(entry.doc.text.count("\n", 0, f.start) + 1)
        assert scored.segment(f).id == line and scored.segment(f).chrf == expected[line]
    homoglyph = next(f for f in entry.findings if f.text == "C-400")
    assert scored.segment(homoglyph).refs == ["The S-400 factor"]
    assert all(scored.segment(f) is None for e in scored.entries if e.id != DOC2 for f in e.findings)
    assert scored.reference_problems == [] and scored.finish_references() == []


def test_findings_sort_worst_segment_first_and_back(scored):
    entry = scored.entry(DOC2)
    text_order = list(scored.visible(entry))
    scored.set_finding_order("chrf")
    by_score = scored.visible(entry)
    assert by_score != text_order and sorted(by_score, key=text_order.index) == text_order
    chrf = [scored.segment(f).chrf for f in by_score]
    assert chrf == sorted(chrf) and by_score[0].text == "C-400"
    for a, b in zip(by_score, by_score[1:]):  # one segment's findings stay in text order
        if scored.segment(a) is scored.segment(b):
            assert text_order.index(a) < text_order.index(b)
    unscored = scored.entry("samples/000_e0d54f769b0eae65.txt")
    assert scored.visible(unscored) == unscored.findings  # no reference: text order
    scored.set_finding_order("text")
    assert scored.visible(entry) == text_order
    with pytest.raises(ValueError):
        scored.set_finding_order("severity")


def test_documents_sort_by_their_worst_segment(scored):
    rows = scored.documents("chrf")
    assert rows[0].id == DOC2
    assert [e.position for e in rows[1:]] == sorted(e.position for e in rows[1:])  # unscored: corpus order
    assert scored.documents("chrf", reverse=True)[-1].id == DOC2


def test_reference_that_does_not_line_up_leaves_its_document_unscored(tmp_path):
    refs = tmp_path / "refs"
    refs.mkdir()
    lines = (REFS / Path(DOC2).name).read_text("utf-8").split("\n")
    (refs / Path(DOC2).name).write_text("\n".join(lines[2:]), "utf-8")
    (refs / "other.txt").write_text("no such article\n", "utf-8")
    s = ReviewSession(tmp_path / "d.jsonl", references=References([str(refs)]))
    s.add(sample_documents(), fixture_findings())
    assert s.entry(DOC2).scores is None and s.scored_documents() == 0
    assert all(s.segment(f) is None for f in s.entry(DOC2).findings)
    assert s.reference_problems == [f"{refs / Path(DOC2).name} has 151 segments but {DOC2} has 153: "
                                    "line-aligned inputs must have the same number of lines"]
    assert s.finish_references()[1:] == [f"{refs}: 1 of its 2 files match no document (first: {refs / 'other.txt'})"]
    s.set_finding_order("chrf")  # nothing scored: text order
    assert s.visible(s.entry(DOC2)) == s.entry(DOC2).findings


def test_scores_computed_off_the_app_thread_are_used_as_given(tmp_path, monkeypatch):
    references = References([str(REFS)])
    s = ReviewSession(tmp_path / "d.jsonl", references=references)
    docs = sample_documents()
    batch = s.score_batch(docs)
    assert set(batch) == {d.id for d in docs}
    monkeypatch.setattr(references, "score", lambda doc: pytest.fail("scored twice"))
    s.add(docs, fixture_findings(), batch)
    assert s.entry(DOC2).scores is batch[DOC2][0]


def test_without_references_nothing_is_scored(session):
    assert session.references is None and session.score_batch(sample_documents()) == {}
    assert all(e.scores is None for e in session.entries)
    assert session.segment(fixture_findings()[0]) is None and session.finish_references() == []


def test_review_refuses_an_unreadable_reference_before_opening(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import audit.tui.app
    from audit.cli import main

    monkeypatch.setattr(audit.tui.app, "run", lambda *a, **k: pytest.fail("the app opened"))
    (tmp_path / "bad.jsonl").write_text("{not json\n", "utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["review", str(ROOT / "samples"), "--ref", str(tmp_path / "bad.jsonl")])
    assert result.exit_code == 2 and result.output.startswith(f"error: {tmp_path / 'bad.jsonl'}: cannot read")
    missing = runner.invoke(main, ["review", str(ROOT / "samples"), "--ref", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_review_passes_the_references_to_the_app(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import audit.tui.app
    from audit.cli import main

    got = {}
    monkeypatch.setattr(audit.tui.app, "run", lambda paths, config, decisions, lexicon, title, references:
                        got.update(paths=paths, references=references))
    result = CliRunner().invoke(main, ["review", str(ROOT / "samples"), "--ref", str(REFS),
                                       "--decisions", str(tmp_path / "d.jsonl")])
    assert result.exit_code == 0, result.output
    assert got["references"].paths == [str(REFS)] and got["references"].roots == [ROOT / "samples"]


def test_stream_check_attaches_source_texts_as_check_does(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "tgt").mkdir()
    (tmp_path / "src" / "a.txt").write_text("Глава МИД Турции заявил.\n", "utf-8")
    (tmp_path / "tgt" / "a.txt").write_text("The head of the Turkish Foreign Ministry said.\n", "utf-8")
    s = ReviewSession(tmp_path / "d.jsonl")
    config = Config(lang="en", jobs=1, source_path=str(tmp_path / "src"))
    stream_check([str(tmp_path / "tgt")], config, s.add, lambda m: pytest.fail(m))
    assert [e.doc.source for e in s.entries] == ["Глава МИД Турции заявил.\n"]


def test_corpus_list_keeps_its_columns_for_a_document_with_a_hundred_thousand_findings(tmp_path):
    # a scraped page with a zero-width space between every letter: 99,960 findings in one
    # document; the counts are abbreviated (99k), never cut mid-number by the column
    from audit.tui.widgets.tables import DocumentsTable

    text = "\u200b".join("ab" * 49_980) + "\u200b"
    doc = Document("hostile.txt", text, lang="en")
    findings = audit_docs([doc], Config(select=["invisible-character"]))
    assert len(findings) == 99_960
    s = ReviewSession(tmp_path / ".audit" / "decisions.jsonl")
    s.add([doc], findings)
    table = DocumentsTable(s)
    table.set_categories({"encoding"})
    cells = table._format(s.entries[0])
    widths = {c.key: c.width for c in table.columns}
    assert str(cells[1]) == "99960" and cells[2] == "99960"
    assert str(cells[3]).split() == ["-", "99k", "-"] and len(str(cells[3])) <= widths["severity"]
    assert cells[4] == "99k"
