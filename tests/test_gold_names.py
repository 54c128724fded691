"""The seed articles: every core names gold item is found with the right suggestion, and
name findings elsewhere are measured (precision printed, extras must overlap some gold item)."""

from __future__ import annotations

import json

import pytest

from audit.api import audit_docs
from audit.config import Config
from conftest import GOLD_CORPUS, load_gold, load_samples, match_gold

NAME_RULES = ["name-variant", "name-inconsistent", "name-suspect", "name-corpus-inconsistent"]


@pytest.fixture(scope="module")
def findings():
    return audit_docs(load_samples(), Config(select=["names"], name_style="native"))


def _repair(gold, finding):
    """The gold span with the finding's suggestion applied inside it."""
    s, e = finding.start - gold["start"], finding.end - gold["start"]
    return gold["text"][:max(s, 0)] + finding.suggestion + gold["text"][e:] if finding.suggestion is not None else None


def test_every_core_names_item_is_found_with_its_suggestion(findings):
    gold = load_gold(categories=("names",), levels=("core",))
    assert gold
    doc_stage = [f for f in findings if f.rule != "name-corpus-inconsistent"]
    matched, missed, _ = match_gold(doc_stage, gold)
    assert not missed, [(g["doc"], g["text"]) for g in missed]
    for g in gold:
        hits = [f for f in doc_stage if f.doc == g["doc"] and f.start < g["end"] and g["start"] < f.end]
        assert any(f.rule == g["kind"] for f in hits), (g["text"], [f.rule for f in hits])
        if "suggest" in g:
            assert any(_repair(g, f) == g["suggest"] for f in hits), (g["text"], [f.suggestion for f in hits])


def test_glitched_name_joins_the_script_finding(findings):
    (g,) = [g for g in load_gold(categories=("script",)) if g["text"] == "Yeni тируетafak"]
    hits = [f for f in findings if f.doc == g["doc"] and (f.start, f.end) == (g["start"], g["end"])]
    assert [(f.rule, f.suggestion, f.evidence.get("joins")) for f in hits] == [("name-variant", "Yeni Şafak", "mixed-script")]


def test_no_name_findings_beyond_the_gold(findings):
    """Every name finding overlaps a gold item (of any category); precision is printed."""
    all_gold = load_gold(levels=("core", "minor", "stretch"))
    doc_stage = [f for f in findings if f.rule != "name-corpus-inconsistent"]
    _, _, extra = match_gold(doc_stage, all_gold)
    precision = 1 - len(extra) / max(len(doc_stage), 1)
    print(f"\nname findings: {len(doc_stage)}, beyond the gold: {len(extra)}, precision {precision:.2f}")
    assert not extra, [(f.doc, f.rule, f.text) for f in extra]


def test_corpus_gold(findings):
    corpus = [f for f in findings if f.rule == "name-corpus-inconsistent"]
    gold = [json.loads(line) for line in GOLD_CORPUS.read_text("utf-8").splitlines() if line.strip()]
    (want,) = [g for g in gold if g["category"] == "names"]
    assert [(f.text, f.suggestion) for f in corpus] == [("Anthony Blinken", "Antony Blinken")]
    got = corpus[0].evidence["renderings"]
    assert {r: v["docs"] for r, v in got.items()} == want["renderings"]
    assert got["Anthony Blinken"]["count"] == 3
