"""Quotation extraction on the seed articles: spans, speakers, speaker keys."""

from __future__ import annotations

import json

import pytest

from audit.document import Document
from audit.quotations import extract_quotations, quote_spans, speaker_key

from conftest import GOLD_CORPUS, load_samples


@pytest.fixture(scope="module")
def quotes():
    return {d.id: (d, extract_quotations(d)) for d in load_samples()}


def _find(quotes, doc, fragment):
    d, qs = quotes[doc]
    hits = [q for q in qs if fragment in q.text]
    assert hits, f"no quotation containing {fragment!r} in {doc}"
    return hits[0]


def test_gold_quotes_are_found_with_their_speakers(quotes):
    for line in GOLD_CORPUS.read_text("utf-8").splitlines():
        row = json.loads(line)
        if "speaker" not in row:
            continue
        for doc, rendering in row["renderings"].items():
            q = _find(quotes, doc, rendering[:40])
            assert rendering in q.text
            assert q.key == speaker_key(row["speaker"]), (doc, q.speaker, q.speaker_name)


def test_every_quotation_text_is_its_span(quotes):
    for d, qs in quotes.values():
        for q in qs:
            assert q.text == d.text[q.start : q.end]
            for u in q.units:
                assert q.start <= u.start < u.end <= q.end


def test_misplaced_russian_closing_quote_spans_two_paragraphs(quotes):
    q = _find(quotes, "002_1afda22d48ad6a4d.txt", "We reminded him (Blinken)")
    assert q.text.endswith("now the issue is closed, ")
    assert q.speaker == "the Turkish minister" and q.speaker_name == "Mevlut Cavusoglu" and q.how == "role"
    assert [quotes["002_1afda22d48ad6a4d.txt"][0].text[u.start : u.end] for u in q.units] == [
        "We reminded him (Blinken) again why Turkey bought the S-400 from Russia.",
        "The complexes have been purchased, and now the issue is closed",
    ]


@pytest.mark.parametrize("doc,fragment,speaker", [
    ("002_1afda22d48ad6a4d.txt", "We were against the purchase", "Douglas Jones"),        # the diplomat
    ("002_1afda22d48ad6a4d.txt", "Turkey should abandon the S-400", "David Satterfield"),  # he was quoted
    ("002_1afda22d48ad6a4d.txt", "We need to clearly define", "Emmanuel Macron"),         # he said
    ("002_1afda22d48ad6a4d.txt", "The alliance is experiencing", "Sergei Ermakov"),       # the expert, 4 paragraphs
    ("002_1afda22d48ad6a4d.txt", "However, Ankara will fight", "Sergei Ermakov"),         # after "Yermakov believes"
    ("002_1afda22d48ad6a4d.txt", "Why can't we do the same", "Ibrahim Kalyn"),            # nested "either this way"
    ("000_e0d54f769b0eae65.txt", "It’s also no secret", "Antony Blinken"),                # He continued:
    ("003_4458bdf4e97997c8.txt", "It’s no secret that we have", "Anthony Blinken"),       # the U.S. Secretary of State
    ("004_f80989c2feba7a24.txt", "expressed concern", "Ned Price"),                       # he said, not Blinken
    ("004_f80989c2feba7a24.txt", "We need to work on a roadmap", "Mevlut Cavusoglu"),     # carried in the paragraph
    ("004_f80989c2feba7a24.txt", "It’s also no secret", "Antony Blinken"),                # carried to the next paragraph
])
def test_speakers_resolved(quotes, doc, fragment, speaker):
    assert _find(quotes, doc, fragment).speaker_name == speaker


def test_nested_quotes_stay_inside_the_outer_quote(quotes):
    q = _find(quotes, "002_1afda22d48ad6a4d.txt", "Why can't we do the same")
    assert '"either this way or nothing"' in q.text and q.speaker == "Kalyn"


def test_unattributed_quotes_have_no_speaker(quotes):
    assert _find(quotes, "003_4458bdf4e97997c8.txt", "Turkey should not detain").key == ""
    assert _find(quotes, "003_4458bdf4e97997c8.txt", "Blinken urged Turkey").speaker == "it"


def test_speaker_key_folds_diacritics_and_transliteration():
    assert speaker_key("Mevlüt Çavuşoğlu") == speaker_key("Mevlut Cavusoglu") == speaker_key("Cavusoglu")
    assert speaker_key("Yermakov") == speaker_key("Sergei Ermakov")
    assert speaker_key("Blinken") != speaker_key("Cavusoglu")
    assert speaker_key(None) == ""


def test_surname_after_full_mention_and_unclosed_quote():
    d = Document("x", "Foreign Minister Mevlüt Çavuşoğlu spoke.\n\n“It is over,” Çavuşoğlu said. "
                      "“This one never closes.\n\nNor here.\n\nNor here.\n\nNor.\n\nNo.\n\nNo.\n\nNo.")
    qs = extract_quotations(d)
    assert [q.text for q in qs] == ["It is over,"]
    assert qs[0].speaker_name == "Mevlüt Çavuşoğlu"


def test_straight_quotes_and_english_continuation():
    text = 'He said: "We will go on.\n\n"We will not stop," the minister said.'
    assert [text[s:e] for s, e in quote_spans(text, Document("x", text).paragraphs)] == [
        'We will go on.\n\n"We will not stop,']


def test_the_title_context_of_a_person_named_thousands_of_times_is_bounded():
    # every mention kept a copy of the titles gathered at all earlier ones: quadratic memory
    # (671 MB for a 1 MB page); the context stops growing at MAX_TITLE_CONTEXT characters
    from audit.quotations import MAX_TITLE_CONTEXT, person_mentions

    text = "Foreign Minister Mevlut Cavusoglu spoke. " + "Cavusoglu said the minister spoke. " * 3000
    mentions = person_mentions(text, [])
    assert len(mentions) == 3001 and {m.name for m in mentions} == {"Mevlut Cavusoglu"}
    assert "minister" in mentions[0].title and "minister" in mentions[-1].title
    assert max(len(m.title) for m in mentions) < MAX_TITLE_CONTEXT + 200
