"""Language identification backends and the untranslated-passage / mt-token-leak rules on real text."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from audit.config import Config
from audit.detectors import Context
from audit.document import Document
from audit.engine import audit_documents
from audit.langid import (
    LangdetectIdentifier,
    LinguaIdentifier,
    WordFrequencies,
    detect_document_language,
    function_word_vote,
    make_identifier,
)

from conftest import load_samples

HERE = Path(__file__).parent
CLEAN = HERE / "fixtures" / "langid" / "clean"
LANGS = ["en", "ru", "tr", "de", "fr", "uk"]
BACKENDS = ["lingua", "langdetect"]


def clean_docs() -> list[Document]:
    return [Document(p.stem, p.read_text("utf-8"), lang=p.stem) for p in sorted(CLEAN.glob("*.txt"))]


@pytest.fixture(scope="module", params=BACKENDS)
def backend_ctx(request):
    """One context per backend, so word lists and models load once for the module."""
    config = Config(langid=request.param, select=["untranslated-passage", "mt-token-leak"])
    return request.param, Context(config=config)


def run(ctx: Context, docs: list[Document]):
    return audit_documents(docs, ctx.config, ctx).findings


# -- identifiers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_identifiers_name_the_language(backend):
    ident = make_identifier(backend, LANGS)
    assert ident.identify("Die Regierung hat entschieden, dass das Abkommen verlängert wird.")[0][0] == "de"
    assert ident.identify("Переговоры продолжатся на следующей неделе в Анкаре.")[0][0] == "ru"
    assert ident.identify("Anlaşma tamamlandı ve konu kapandı, dedi bakan.")[0][0] == "tr"
    ranked = ident.identify("Le gouvernement a décidé de ne pas prolonger cet accord.")
    assert ranked[0][0] == "fr" and 0.5 < ranked[0][1] <= 1.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_identifiers_stay_within_the_candidates(backend):
    ident = make_identifier(backend, LANGS)
    ranked = ident.identify("Die Regierung hat entschieden.", among=["en", "fr"])
    assert {code for code, _ in ranked} <= {"en", "fr"}
    assert ident.identify("anything", among=["ru"]) == [("ru", 1.0)]
    assert ident.identify("anything", among=["xx"]) == []


def test_langdetect_is_seeded_and_repeats():
    text = "Sign in to continue"  # short: unseeded langdetect answers differently run to run
    first = [LangdetectIdentifier(LANGS).identify(text) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    from langdetect.detector_factory import DetectorFactory

    assert DetectorFactory.seed == 0


def test_lingua_splits_mixed_text_with_offsets():
    text = "The minister said the deal was done and the issue is closed. Anlaşma tamamlandı ve konu kapandı, dedi bakan."
    spans = LinguaIdentifier(LANGS).spans(text)
    assert [lang for _, _, lang in spans] == ["en", "tr"]
    assert text[spans[1][0] : spans[1][1]].strip().startswith("Anlaşma")


def test_unknown_backend_is_an_error():
    with pytest.raises(ValueError, match="unknown language identifier"):
        make_identifier("fasttext", LANGS)


def test_word_frequencies():
    wf = WordFrequencies(["en", "de"])
    assert wf.zipf("und", "de") > 6 > wf.zipf("und", "en", full=True)
    assert wf.zipf("long-standing", "en", full=True) > 3  # scored by its parts
    assert wf.zipf("qzxv", "en") == 0.0


def test_document_language():
    ctx = Context(config=Config())
    for doc in clean_docs() + load_samples():
        assert detect_document_language(doc.text, ctx) == doc.lang, doc.id
    assert function_word_vote("Tap Accounts.", LANGS) is None  # too little evidence: lingua decides
    assert detect_document_language("12 345 — 678", ctx) is None


# -- the rules on real text ------------------------------------------------------------------------
def test_no_findings_on_clean_paragraphs(backend_ctx):
    _, ctx = backend_ctx
    found = run(ctx, clean_docs())
    assert not found, [(f.doc, f.rule, f.text) for f in found]


def test_no_findings_on_the_seed_articles(backend_ctx):
    _, ctx = backend_ctx
    found = run(ctx, load_samples())
    assert not found, [(f.doc, f.rule, f.text) for f in found]


def test_fixture_cases_hold_for_both_backends(backend_ctx):
    """The fixture file runs with the default backend; the other one must agree."""
    _, ctx = backend_ctx
    data = tomllib.loads((HERE / "fixtures" / "detectors" / "untranslated-passage.toml").read_text("utf-8"))
    flag = [Document(f"flag{i}", c["text"], lang=c["lang"]) for i, c in enumerate(data["flag"])]
    ok = [Document(f"pass{i}", c["text"], lang=c["lang"]) for i, c in enumerate(data["pass"])]
    found = run(ctx, flag + ok)
    by_doc: dict[str, list[str]] = {}
    for f in found:
        if f.rule == "untranslated-passage":
            by_doc.setdefault(f.doc, []).append(f.text)
    for i, case in enumerate(data["flag"]):
        assert by_doc.get(f"flag{i}") == case["spans"], case["label"]
    assert not [d for d in by_doc if d.startswith("pass")], by_doc


def test_inserted_sentences_are_found_with_their_language(backend_ctx):
    backend, ctx = backend_ctx
    docs = {d.lang: d for d in clean_docs()}
    inserts = {
        "en": "The minister said the issue is closed and will not be reopened.",
        "de": "Die Regierung hat entschieden, dass das Abkommen nicht verlängert wird.",
        "fr": "Le gouvernement a décidé de ne pas prolonger cet accord avec la Turquie.",
        "tr": "Bakan, anlaşmanın tamamlandığını ve konunun kapandığını söyledi.",
        "ru": "Министр заявил, что вопрос закрыт и больше не будет обсуждаться.",
    }
    for target, doc in docs.items():
        cut = doc.sentences[1].end
        for lang, sentence in inserts.items():
            if lang == target:
                continue
            text = doc.text[:cut] + " " + sentence + doc.text[cut:]
            found = run(ctx, [Document("x", text, lang=target)])
            assert [f.text for f in found] == [sentence], (backend, target, lang, [f.text for f in found])
            assert found[0].evidence["detected_language"] == lang
            assert found[0].evidence["identifier"] == backend


def test_same_input_same_output(backend_ctx):
    _, ctx = backend_ctx
    text = "Откройте приложение. Tap Accounts. Затем выберите нужный профиль. Сделку с «PRS'ORG» подписали."
    first = [(f.rule, f.start, f.end, f.confidence, f.evidence) for f in run(ctx, [Document("x", text, lang="ru")])]
    again = [(f.rule, f.start, f.end, f.confidence, f.evidence) for f in run(ctx, [Document("x", text, lang="ru")])]
    assert first == again and len(first) == 2


def test_untranslated_script_prescreen_equals_scanning_the_text():
    import random

    from audit import langdata
    from audit.detectors.untranslated import UntranslatedPassage, _holds

    rng = random.Random(11)
    pieces = ["The deal", " closed.", "\n\n", "\n", "Сделка", "закрыта", "Blinkеn", "α", "ドメイン", " ", "—", "\u00a0", "x"]
    for _ in range(400):
        doc = Document("x", "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30))))
        for pattern in langdata.OTHER_SCRIPT.values():
            assert _holds(pattern, doc) == (pattern.search(doc.text) is not None)
            expected = {i for i, p in enumerate(doc.paragraphs) if pattern.search(doc.text, p.start, p.end)}
            assert UntranslatedPassage._paragraphs_with(pattern, doc.text, doc.paragraphs) == expected
