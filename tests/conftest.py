"""Shared test helpers: the seed articles and their gold annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = Path(__file__).parent / "fixtures" / "gold" / "expected.jsonl"
GOLD_CORPUS = Path(__file__).parent / "fixtures" / "gold" / "expected-corpus.jsonl"


def load_samples():
    """The seed articles as Documents with the file name as id (as in the gold)."""
    from audit import Document

    return [Document(p.name, p.read_text("utf-8"), lang="en") for p in sorted(SAMPLES.glob("*.txt"))]


def load_gold(categories=None, levels=("core",)):
    rows = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if (categories is None or r["category"] in categories) and r["level"] in levels]


def match_gold(findings, gold):
    """(matched gold items, unmatched gold items, findings that overlap no gold item).

    A gold item is matched by a finding on the same document whose span overlaps it.
    """
    matched, missed = [], []
    for g in gold:
        hit = [f for f in findings if f.doc == g["doc"] and f.start < g["end"] and g["start"] < f.end]
        (matched if hit else missed).append(g)
    extra = [f for f in findings if not any(f.doc == g["doc"] and f.start < g["end"] and g["start"] < f.end for g in gold)]
    return matched, missed, extra


@pytest.fixture(scope="session")
def samples():
    return load_samples()
