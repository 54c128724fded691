"""Repetition: doubled words (``and and``) and sentences repeated word for word."""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from itertools import compress, islice

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
#: A word followed by itself with only spaces and at most one line break (not a blank line)
#: between them. Run over a lower-cased copy (so any case matches) with the standard ``re``
#: engine, which is fast at backreferences; candidates are then checked against compounds.
DOUBLED = re.compile(r"\b(\w+)(?:[ \t\xa0]+(?:\r\n|\n|\r)?|(?:\r\n|\n|\r))[ \t\xa0]*\1\b")
JOINERS = "'’-"
NOT_WORD = re.compile(r"[^\w\s]+")
#: Sentences shorter than this many words are not reported as repeated (``Reuters``).
MIN_SENTENCE_WORDS = 5


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
        for m in _doubles(text):
            a_start, a_end, b_start, b_end = m
            first, second = text[a_start:a_end], text[b_start:b_end]
            word = first.casefold()
            if any(ch.isdigit() for ch in word):
                continue
            if word in legit or (only is not None and word not in only):
                continue
            if first[:1].isupper() and second[:1].isupper() and not first.isupper():
                continue  # Bora Bora, Sing Sing, Duran Duran
            lo = max(0, a_start - 100)
            local = [(x + lo, y + lo) for x, y in chardata.non_prose_spans(text[lo:b_end + 100])]
            if chardata.inside(local, a_start, b_end):
                continue  # inside a URL, an e-mail address, a hashtag
            yield self.flag(doc, a_start, b_end, f"word repeated: '{first} {second}'",
                            suggestion=first, confidence=0.9)


@lru_cache(maxsize=512)
def _doubled_pattern(words: tuple[str, ...]) -> re.Pattern:
    """:data:`DOUBLED` with its first word limited to ``words``."""
    return re.compile(DOUBLED.pattern.replace(r"(\w+)", "(" + "|".join(map(re.escape, words)) + ")", 1))


def _doubles(text):
    """(start, end, start2, end2) of each whole word followed by itself, in any case."""
    low = chardata.lower_same_length(text)  # 'İ' lower-cases to two code points: keep offsets
    # cheap prefilter: split into words and compare neighbours at C speed; the exact
    # pattern runs only on the rare document where two neighbours are equal
    words = NOT_WORD.sub(" ", low).split()
    doubled = set(compress(words, map(operator.eq, words, islice(words, 1, None))))
    if not doubled:
        return
    # every match of DOUBLED doubles one of these words (its separator is whitespace only),
    # so the pattern is restricted to them: same matches, no backreference try at every word
    pattern = _doubled_pattern(tuple(sorted(doubled, key=lambda w: (-len(w), w))))
    n = len(text)
    for m in pattern.finditer(low):
        a_start, a_end = m.span(1)
        b_end = m.end()
        b_start = b_end - (a_end - a_start)
        if a_start >= 2 and text[a_start - 1] in JOINERS and text[a_start - 2].isalnum():
            continue  # Russia’s S-400: the first word is the end of a compound
        if b_end + 1 < n and text[b_end] in JOINERS and text[b_end + 1].isalnum():
            continue  # and and-so: the second word starts a compound
        yield a_start, a_end, b_start, b_end


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
            key = " ".join(sentence.split()).casefold()
            first = seen.setdefault(key, sp.start)
            if first != sp.start and len(doc.word_pattern.findall(sentence)) >= MIN_SENTENCE_WORDS:
                line = doc.line_col(first)[0]
                yield self.flag(doc, sp.start, sp.end, f"sentence repeated word for word (first at line {line})",
                                confidence=0.9, first_start=first)
