"""Cross-source consistency on the seed corpus (expected-corpus.jsonl) and near-duplicates."""

from __future__ import annotations

import json

import pytest

from audit.api import audit_docs
from audit.config import Config
from audit.findings import SEVERITY_RANK

from conftest import GOLD_CORPUS, load_samples

GOLD = [json.loads(line) for line in GOLD_CORPUS.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def findings():
    return [f for f in audit_docs(load_samples(), Config(select=["consistency"])) if f.rule == "retranslated-quote"]


def _overlapping(findings, doc, text):
    samples = {d.id: d.text for d in load_samples()}
    start = samples[doc].index(text)
    return [f for f in findings if f.doc == doc and f.start < start + len(text) and start < f.end]


def test_retranslated_quote_of_the_seed_corpus_is_reported(findings):
    gold = next(g for g in GOLD if g["kind"] == "retranslated-quote")
    doc = "002_1afda22d48ad6a4d.txt"
    hits = _overlapping(findings, doc, gold["renderings"][doc])
    assert hits, "002's retranslated quote not reported"
    f = hits[0]
    assert f.severity == "warning" and f.category == "consistency"
    assert f.text == gold["renderings"][doc]
    others = {r["doc"] for r in f.evidence["renderings"]}
    assert "000_e0d54f769b0eae65.txt" in others and doc not in others
    assert any(r["text"] == gold["renderings"]["000_e0d54f769b0eae65.txt"] for r in f.evidence["renderings"])
    assert f.evidence["agreeing_documents"] >= 2


def test_near_identical_renderings_are_not_above_info(findings):
    gold = next(g for g in GOLD if g["kind"] == "quote-variant")
    for doc, text in gold["renderings"].items():
        for f in _overlapping(findings, doc, text):
            assert SEVERITY_RANK[f.severity] <= SEVERITY_RANK["info"], (f.doc, f.text, f.severity)


def test_only_the_drifted_rendering_is_a_warning(findings):
    warnings = [(f.doc, f.text) for f in findings if f.severity == "warning"]
    assert warnings == [("002_1afda22d48ad6a4d.txt", "The complexes have been purchased, and now the issue is closed")]
    # identical wire copy (000, 001, 003) is never reported
    assert not [f for f in findings if f.doc[:3] in ("000", "001", "003")]


def test_corpus_findings_are_deterministic_and_order_independent():
    docs = load_samples()
    a = audit_docs(docs, Config(select=["retranslated-quote"]))
    b = audit_docs(list(reversed(load_samples())), Config(select=["retranslated-quote"]))
    assert [f.as_record() for f in a] == [f.as_record() for f in b]


def test_near_duplicate_on_samples():
    found = audit_docs(load_samples(), Config(select=["near-duplicate"]))
    caption = [f for f in found if f.doc.startswith("004")]
    assert [(f.start, f.end) for f in caption] == [(396, 522)]  # the gold caption span
    assert all(f.severity == "info" for f in found)
    # short boilerplate (Reuters, Advertisement, date lines) is never reported
    assert not [f for f in found if len(f.text.split()) < 8]
