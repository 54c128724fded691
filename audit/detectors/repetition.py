"""Repetition: doubled words (``and and``) and sentences repeated word for word."""

from __future__ import annotations

import regex

from .. import chardata
from .base import Detector

#: Doubled words that are grammatical, per language (lower-cased).
LEGITIMATE_DOUBLES = {
    "en": frozenset("had that is do her his bye no yes ha very many much really so".split()),
    "de": frozenset("die der das den dem des sie ja nein".split()),
    "fr": frozenset("nous vous si non oui ha".split()),
    "ru": frozenset("да нет ну ха так что".split()),
    "uk": frozenset("так ні ну ха що".split()),
    "tr": frozenset(),
}
#: Languages where reduplication is productive (``yavaş yavaş``, ``tek tek``): only function
#: words are reported there.
REDUPLICATING = {"tr": frozenset("ve veya ile ama fakat ki için bu şu o da de mi mı mu mü".split())}
#: Whitespace between the two words: spaces and at most one line break (not a blank line).
GAP = regex.compile(r"[ \t\u00a0]*(?:\r\n|\n|\r)?[ \t\u00a0]*")
#: Sentences shorter than this many words are not reported as repeated (``Reuters``).
MIN_SENTENCE_WORDS = 5
NORMALISE_SPACE = regex.compile(r"\s+")


def _base(lang):
    return (lang or "").split("-")[0].split("_")[0].lower() or "en"


class RepeatedWord(Detector):
    """A word written twice in a row: ``and and``, ``the the``.

    What it finds:
        The same word twice, separated only by spaces or a single line break, compared
        without regard to case (``The the``). Grammatical doubles are not flagged: English
        ``had had``, ``that that``, ``is is``; German ``die die`` (relative pronoun and
        article); French ``nous nous``, ``vous vous``; names written as two capitalised
        words (``Bora Bora``, ``Sing Sing``); numbers; hyphenated forms (``Baden-Baden``,
        ``еле-еле``) are one word anyway. In Turkish, where reduplication is productive
        (``yavaş yavaş``, ``tek tek``), only doubled function words are reported.

    Why it matters:
        A doubled word is a typing or alignment slip that readers notice at once; machine
        translation produces it when two segments overlap.

    Example:
        ``VATAN and and has contributed`` -> ``VATAN and has contributed``

    Known false positives:
        Deliberate repetition in quoted speech or emphasis (``very very``, ``no no``) is
        mostly on the exception list; other intentional repeats will be flagged.
    """

    name = "repeated-word"
    category = "structure"
    severity = "warning"
    fixable = True
    safe_fix = True

    def find(self, doc, ctx):
        text = doc.text
        lang = _base(doc.lang)
        legit = LEGITIMATE_DOUBLES.get(lang, frozenset())
        only = REDUPLICATING.get(lang)
        tokens = doc.tokens
        non_prose = None
        for a, b in zip(tokens, tokens[1:]):
            if a.text.casefold() != b.text.casefold():
                continue
            gap = GAP.fullmatch(text, a.end, b.start)
            if gap is None or a.end == b.start:
                continue
            word = a.text.casefold()
            if word.isdigit() or any(ch.isdigit() for ch in word):
                continue
            if word in legit or (only is not None and word not in only):
                continue
            if a.text[:1].isupper() and b.text[:1].isupper() and not a.text.isupper():
                continue  # Bora Bora, Sing Sing, Duran Duran
            if non_prose is None:
                non_prose = chardata.non_prose_spans(text)
            if chardata.inside(non_prose, a.start, b.end):
                continue
            yield self.flag(doc, a.start, b.end, f"word repeated: '{a.text} {b.text}'",
                            suggestion=a.text, confidence=0.9)


class RepeatedSentence(Detector):
    """A sentence that occurs twice, word for word, in one document.

    What it finds:
        Every later occurrence of a sentence of at least five words that already appeared
        earlier in the document, compared after normalising whitespace and case. The
        finding points back to the first occurrence (line number in the message).
        Near-duplicates (a caption that almost repeats a body sentence) are the business
        of the passage-similarity rule, not this one.

    Why it matters:
        A repeated sentence is a segmentation or pasting slip — a translation memory that
        inserted a segment twice, a scraper that captured a block twice.

    Example:
        ``The talks failed. Turkey will keep the S-400. The talks failed.`` -> ``The talks failed. Turkey will keep the S-400.``

    Known false positives:
        Boilerplate that a page repeats on purpose (a refrain, a slogan in a speech, a
        pull quote that repeats the body text).
    """

    name = "repeated-sentence"
    category = "structure"
    severity = "warning"

    def find(self, doc, ctx):
        text = doc.text
        seen: dict[str, int] = {}
        for sp in doc.sentences:
            sentence = text[sp.start:sp.end]
            if len(chardata.WORD.findall(sentence)) < MIN_SENTENCE_WORDS:
                continue
            key = NORMALISE_SPACE.sub(" ", sentence).casefold()
            first = seen.setdefault(key, sp.start)
            if first != sp.start:
                line = doc.line_col(first)[0]
                yield self.flag(doc, sp.start, sp.end, f"sentence repeated word for word (first at line {line})",
                                confidence=0.9, first_start=first)
