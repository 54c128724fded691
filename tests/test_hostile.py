"""Every rule on the hostile shapes of tests/hostile_shapes.py: a page on one line, a Cyrillic
name every few words, a blob, a sentence repeated, mojibake from end to end …

No rule may fail on them, and every finding keeps the finding record's promises (exact
offsets, ``text == doc[start:end]``, line and column of ``start``). How each rule's cost grows
on these shapes is measured by benchmarks/bench_adversarial.py, not here.
"""

from __future__ import annotations

import random

import pytest

from audit import Config, Document
from audit.engine import audit_documents
from hostile_shapes import HOSTILE_PAIRS, HOSTILE_SHAPES, hostile_pair, hostile_text


@pytest.mark.parametrize("shape", HOSTILE_SHAPES)
def test_every_rule_runs_on_the_shape_and_keeps_offsets_exact(shape):
    text = hostile_text(shape, 12_000, random.Random(3))
    doc = Document("hostile", text, lang="en")
    result = audit_documents([doc], Config())
    assert not result.failures, result.failures[:3]
    for f in result.findings:
        assert f.text == text[f.start:f.end]
        line, col = doc.line_col(f.start)
        assert (f.line, f.column) == (line, col)


@pytest.mark.parametrize("shape", HOSTILE_PAIRS)
def test_every_rule_runs_on_the_pair_and_keeps_offsets_exact(shape):
    target, source = hostile_pair(shape, 12_000, random.Random(3))
    doc = Document("hostile", target, lang="en", source=source, source_lang="ru")
    result = audit_documents([doc], Config())
    assert not result.failures, result.failures[:3]
    for f in result.findings:
        assert f.text == target[f.start:f.end]
        ev = f.evidence or {}
        if "source_start" in ev:  # evidence clips long passages with an ellipsis
            quoted = source[ev["source_start"]:ev["source_end"]]
            assert quoted == ev["source_text"] or quoted.startswith(ev["source_text"].removesuffix("…"))


def test_the_shapes_are_what_they_say():
    rng = random.Random(1)
    assert "\n" not in hostile_text("one-line", 5000, rng)
    assert " " not in hostile_text("blob", 5000, rng)
    cyr = hostile_text("cyrillic-names", 5000, rng)
    assert sum("\u0400" <= c <= "\u04ff" for c in cyr) > 500 and "\n" not in cyr
    assert "Ã" in hostile_text("mojibake", 5000, rng)


def test_a_long_line_of_mojibake_is_repaired_word_by_word():
    # One long line that repeats itself, some words garbled through Windows-1252, some through
    # Windows-1251: difflib's alignment paired words with their later copies and reported a
    # hundred good characters as one change. Each finding must be a few words, and applying
    # every suggestion must keep every word of the line.
    clean = "Mevlüt Çavuşoğlu ve İbrahim Kalın açıkladı, Yeni Şafak yazdı: “Görüşmeler sürecek” dedi. " * 25

    def garble(word: str, encoding: str) -> str:
        try:
            return word.encode("utf-8").decode(encoding)
        except UnicodeDecodeError:
            return word.encode("utf-8").decode("latin-1")

    words = clean.split(" ")
    text = " ".join(garble(w, ("cp1252", "cp1251")[i % 2]) if i % 5 == 0 or i < 12 else w for i, w in enumerate(words))
    result = audit_documents([Document("m", text)], Config(select=["mojibake"]))
    assert not result.failures
    found = result.findings
    assert len(found) >= 40
    assert max(f.end - f.start for f in found) < 60
    repaired = text
    for f in sorted(found, key=lambda f: -f.start):
        repaired = repaired[:f.start] + (f.suggestion or f.text) + repaired[f.end:]
    assert len(repaired.split()) == len(clean.split())
    assert repaired.count("Şafak") > text.count("Şafak")
