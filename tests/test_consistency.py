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


def _passage_docs():
    """Documents with many near-repeated passages: the samples, and them cut and reshuffled."""
    import random

    docs = load_samples()
    rng = random.Random(7)
    out = [d.text for d in docs]
    for d in docs:
        paras = d.text.split("\n\n")
        out.append("\n\n".join(rng.sample(paras, len(paras)) + rng.sample(paras, len(paras) // 2)))
    return out


def test_near_duplicate_candidates_matrix_and_postings_agree(monkeypatch):
    from audit.detectors import near_duplicate as nd
    from audit.detectors.quote_consistency import content_stems
    from audit.document import Document

    seen = 0
    for text in _passage_docs():
        doc = Document("x", text, lang="en")
        found = nd.passages(doc)
        stems = [content_stems(text[s:e], "en") for s, e in found]
        dense = nd.candidates(found, stems, doc.paragraphs[0])
        assert dense == nd._candidates_postings(found, stems, doc.paragraphs[0])
        monkeypatch.setattr(nd, "DENSE_LIMIT", 0)  # the fallback for long documents
        assert nd.candidates(found, stems, doc.paragraphs[0]) == dense
        monkeypatch.undo()
        seen += len(dense)
    assert seen > 50


def test_near_duplicate_standalone_matches_its_definition():
    """The bisect over paragraph starts finds exactly the paragraphs the definition names:
    one that starts at most two characters before the passage and ends at most two after."""
    import random

    from audit.detectors.near_duplicate import _standalone
    from audit.document import Span

    rng = random.Random(11)
    for _ in range(2000):
        paras, pos = [], rng.randrange(0, 4)
        for _ in range(rng.randrange(0, 8)):
            end = pos + rng.randrange(1, 12)
            paras.append(Span(pos, end))
            pos = end + rng.randrange(1, 4)
        start = rng.randrange(0, pos + 3)
        end = start + rng.randrange(0, 14)
        expected = any(p.start >= start - 2 and p.end <= end + 2 for p in paras if p.start <= start < p.end + 1)
        assert _standalone(paras, [p.start for p in paras], start, end) == expected, (paras, start, end)


def test_near_duplicate_common_stems_are_capped_in_long_documents():
    """In a book-length document a stem in more than MAX_COMMON passages selects no candidate
    pair (else every passage holding it would walk all the others: quadratic), whatever the
    document's length; a pair sharing rare stems is still found, by both candidate paths."""
    from audit.detectors import near_duplicate as nd

    n = 3000  # passages / 5 = 600: before the cap, a stem in 150 passages counted as rare
    # every 20th passage: its own stem and the shared one (half its stems: enough to be paired)
    stems = [frozenset({f"own{i}a", "shared"} if i % 20 == 0 else {f"own{i}a", f"own{i}b"}) for i in range(n)]
    assert sum("shared" in st for st in stems) == 150 > nd.MAX_COMMON
    stems[10] = stems[2500] = frozenset({"kalin", "ankara", "sanctions", "shared"})
    found = [(100 * i, 100 * i + 80) for i in range(n)]
    assert nd._common_cap(n) == nd.MAX_COMMON and nd._common_cap(60) == nd.MIN_COMMON
    assert nd._candidates_postings(found, stems) == [(10, 2500)]
    assert nd.candidates(found, stems) == [(10, 2500)]


def test_enough_words_counts_alpha_words():
    import random

    from audit.detectors.near_duplicate import ALPHA_WORD, ENOUGH_WORDS, MIN_WORDS

    rng = random.Random(3)
    alphabet = ["a", "Éb", " ", "'", "’", "-", "\u0301", "1", ".", "ж", "\n", "  "]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        s = rng.randrange(0, len(text) + 1)
        e = rng.randrange(s, len(text) + 1)
        expected = len(list(ALPHA_WORD.finditer(text, s, e))) >= MIN_WORDS
        assert bool(ENOUGH_WORDS.match(text, s, e)) == expected, (text, s, e)


def test_content_stems_word_table_matches_direct_stemming():
    from audit import chardata
    from audit.detectors.quote_consistency import _stem, content_stems, stopwords

    for lang in ("en", "tr", "ru-RU", None):
        stop = stopwords((lang or "en").split("-")[0])
        for text in _passage_docs()[:6]:
            for line in text.splitlines():
                direct = set()
                for w in chardata.WORD.findall(line):
                    s = _stem(w)
                    if s and s[1] not in stop:
                        direct.add(s[0])
                assert content_stems(line, lang) == frozenset(direct)
