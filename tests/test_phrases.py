"""Phrase lexicons: every shipped row is checkable, the loader rejects bad rows, pairs apply soundly."""

from __future__ import annotations

import pytest

from audit import api
from audit.config import Config
from audit.phrases import (
    PHRASES_DIR, PhraseLexiconError, PhraseMatcher, at_sentence_start, fold, load_phrase_rules, read_phrase_file,
)

RULES = load_phrase_rules()
HEADER = "id,pattern,match,case,position,marker,severity,suggestions,source,explanation,requires,example,counter\n"


def test_shipped_pairs():
    pairs = {r.pair for r in RULES}
    assert {("ru", "en"), ("tr", "en"), ("de", "en"), ("fr", "en")} <= pairs
    assert sum(r.pair == ("ru", "en") for r in RULES) >= 10
    for path in PHRASES_DIR.glob("*.csv"):
        assert read_phrase_file(path), path


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_row_flags_its_example_and_not_its_counter(rule):
    matcher = PhraseMatcher([rule])
    hits = list(matcher.find(rule.example))
    assert hits, f"{rule.origin}: example not flagged"
    for h in hits:
        assert h.text == rule.example[h.start:h.end]
        for s in h.suggestions():
            assert "{" not in s, f"{rule.origin}: unfilled template {s!r}"
    if rule.counter:
        assert not list(matcher.find(rule.counter)), f"{rule.origin}: counter-example flagged"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_row_through_the_detector_with_declared_source(rule):
    found = api.audit_text(rule.example, lang=rule.pair[1], source_lang=rule.pair[0], select=["calque"])
    assert any(f.evidence.get("entry") == rule.key for f in found)


def _write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(HEADER + rows, "utf-8")
    return path


@pytest.mark.parametrize("row,error", [
    ("x,foo,regex,any,any,strong,warning,,,expl,,ex foo,\n", None),
    ("x,(foo,regex,any,any,strong,warning,,,expl,,ex,\n", "not a valid regex"),
    ("x,foo,phrase,loud,any,strong,warning,,,expl,,ex foo,\n", "column 'case'"),
    ("x,foo,phrase,any,any,strong,fatal,,,expl,,ex foo,\n", "column 'severity'"),
    ("x,foo,phrase,any,any,strong,warning,,,,,ex foo,\n", "column 'explanation' is empty"),
    ("x,foo,phrase,any,any,strong,warning,,,expl,,ex foo,\nx,bar,phrase,any,any,strong,warning,,,expl,,bar,\n",
     "duplicate id"),
])
def test_loader_validates_rows(tmp_path, row, error):
    path = _write(tmp_path, "xx-en.csv", row)
    if error is None:
        assert read_phrase_file(path)[0].pair == ("xx", "en")
        return
    with pytest.raises(PhraseLexiconError, match=error) as exc:
        read_phrase_file(path)
    assert str(path) in str(exc.value)


def test_pair_needs_file_name_or_column(tmp_path):
    path = _write(tmp_path, "extra.csv", "x,foo,phrase,any,any,strong,warning,,,expl,,foo,\n")
    with pytest.raises(PhraseLexiconError, match="language pair"):
        read_phrase_file(path)


def test_extra_lexicon_from_config(tmp_path):
    path = _write(tmp_path, "xx-en.csv", "spoon,take a spoon,phrase,any,any,strong,info,have a spoon,,expl,,take a spoon,\n")
    config = Config(lexicons=[str(path)])
    found = api.audit_text("Please take a spoon of sugar.", lang="en", select=["calque"], config=config)
    assert [(f.text, f.suggestion, f.severity) for f in found] == [("take a spoon", "have a spoon", "info")]
    assert not api.audit_text("Please take a spoon of sugar.", lang="en", select=["calque"])


def test_weak_rows_need_a_marker_or_a_source():
    weak = "In turn, the minister spoke about cooperation within the framework of NATO."
    assert not api.audit_text(weak, lang="en", select=["calque"])
    marked = "We will remind, the deal was signed in 2017. " + weak
    assert [f.text for f in api.audit_text(marked, lang="en", select=["calque"])] == [
        "We will remind,", "In turn,", "within the framework of"]
    assert [f.text for f in api.audit_text(weak, lang="en", source_lang="ru", select=["calque"])] == [
        "In turn,", "within the framework of"]
    # a strong marker of another pair does not switch the Russian weak rows on
    other = "It was learned that the suspect fled. " + weak
    assert [f.text for f in api.audit_text(other, lang="en", select=["calque"])] == ["It was learned that"]


def test_target_language_limits_rows():
    assert not api.audit_text("We will remind, the deal was signed.", lang="de", select=["calque"])


def test_fold_keeps_offsets():
    text = "İstanbul\u00a0We will\nremind,"
    assert len(fold(text)) == len(text)
    hits = list(PhraseMatcher([r for r in RULES if r.key == "ru-en/recall-that"]).find("İİ. Recall  that"))
    assert hits == []  # two spaces: literal phrases allow one whitespace character per space
    hits = list(PhraseMatcher([r for r in RULES if r.key == "ru-en/recall-that"]).find("İİ. Recall\nthat x"))
    assert [(h.start, h.text) for h in hits] == [(4, "Recall\nthat")]


@pytest.mark.parametrize("text,pos,expected", [
    ("Recall that", 0, True),
    ("Done. Recall that", 6, True),
    ("Done.” Recall that", 7, True),
    ("He said: “Recall that", 10, False),
    ("Line\n  • Recall that", 9, True),
    ("Many recall that", 5, False),
])
def test_sentence_start(text, pos, expected):
    assert at_sentence_start(text, pos) is expected


def test_shipped_regex_rows_are_anchored():
    assert [r.key for r in RULES if r.match == "regex" and not r.anchors] == []


def test_regex_row_without_anchors_still_matches(tmp_path):
    path = _write(tmp_path, "xx-en.csv", "dup,(?P<hit>foo+) bar,regex,any,any,strong,info,,,expl,,fooo bar,\n")
    rule = read_phrase_file(path)[0]
    hits = list(PhraseMatcher([rule]).find("a fooo bar b"))
    assert [(h.start, h.text) for h in hits] == [(2, "fooo")]
