"""Truncated text: lines that stop mid-sentence, designations that lost their letters."""

from __future__ import annotations

import bisect
from collections import Counter

import regex

from .. import chardata
from .base import Detector

#: Words no sentence ends with, per language: articles, possessive determiners, conjunctions,
#: and (where they never end a clause) prepositions. German separable particles (an, auf, mit
#: …) and English stranded prepositions (for, in, on …) can end a sentence and are absent.
DANGLING = {
    "en": frozenset("the a an of and or but nor than its their whose".split()),
    "de": frozenset("den dem des eine einen einem einer eines und oder sowie zwischen".split()),
    "fr": frozenset("le la les un une des du au aux et ou mais".split()),
    "ru": frozenset("и а но или в во на с со к ко о об обо по от до из за для при без через".split()),
    "uk": frozenset("і й та а але або в у на з зі до від для по при без через".split()),
    "tr": frozenset("ve veya ile ama fakat ki".split()),
}
TERMINAL = set(".!?…:;)]}>\"”»“’'*|")
#: Lines that are not sentences even when they end without punctuation.
NOT_PROSE_LINE = regex.compile(r"^\s*(?:©|\||source:|photo:|image:|credit|by\b|published|updated|follow|watch:)", regex.I)
LIST_ITEM = regex.compile(r"^\s*(?:[•*·–—-]|\d+[.)])\s")
#: ``the -400s``: a designation's number with its letter prefix gone.
BARE_DESIGNATION = regex.compile(r"(?<![\p{L}\p{N}\-–—.,])-(?P<num>\d{2,4})(?P<tail>s|th)?\b")
RANGE_BEFORE = regex.compile(r"\d\s*$")
DESIGNATION = regex.compile(r"\b(?P<prefix>\p{Lu}{1,3})-(?P<num>\d{2,4})(?!\d)")
#: A non-final line this short that ends without punctuation may be a hard wrap.
WRAP_WIDTH = 100
MAX_SPAN = 120


def _base(lang):
    return (lang or "").split("-")[0].split("_")[0].lower() or "en"


#: A character a :data:`chardata.WORD` match can end on.
WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}]")


def _lines(text, start, end):
    pos = start
    for m in chardata.LINE_BREAK.finditer(text, start, end):
        yield pos, m.start()
        pos = m.end()
    yield pos, end


def _ends_open(text, s, e):
    return text[e - 1] not in TERMINAL


def _unknown_word(word: str, lang: str) -> bool:
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, lang) == 0 and zipf_frequency(word, "en") == 0
    except LookupError:
        return False


class Truncation(Detector):
    """Text cut off: a line that stops mid-sentence, or a designation that lost its letters.

    What it finds:
        A paragraph, caption or line whose last sentence breaks off — it ends on a word no
        sentence ends with (``the``, ``a``, ``and``; ``и``, ``в``; ``ve``; ``und``, ``des``),
        on a lower-case fragment that is no word of the language, or on a comma, after
        earlier complete sentences on the same line (``Russia marks the 70th a``). And a
        model designation whose letters were dropped (``the -400s``) when the document
        names the full designation elsewhere (``S-400``), with that as the suggestion.

    Why it matters:
        Truncation loses content silently — a scraper cut a caption, a length limit cut a
        segment, a font or encoding problem swallowed the Cyrillic ``С`` of ``С-400``.

    Example:
        ``May 9, 2015. Russia marks the 70th a`` -> (restore the missing text from the source)
        ``doesn’t activate the -400s.`` -> ``doesn’t activate the S-400s.``

    Known false positives:
        Headlines, bylines, captions, list items and credit lines (``Reuters``,
        ``© Virginia Mayo / Pool``, ``Follow our … :``) end without a full stop and are
        not flagged unless they end on a dangling word. Hard-wrapped text (short lines that
        continue on the next line) is recognised and only its paragraph ends are checked.
    """

    name = "truncation"
    category = "structure"
    severity = "warning"
    fixable = True
    safe_fix = False

    def find(self, doc, ctx):
        yield from self._cut_lines(doc)
        yield from self._bare_designations(doc)

    # -- lines that stop mid-sentence --------------------------------------------------------
    def _cut_lines(self, doc):
        text = doc.text
        lang = _base(doc.lang)
        dangling = DANGLING.get(lang, frozenset())
        sentences = doc.sentences
        starts = [sp.start for sp in sentences]
        for para in doc.paragraphs:
            if text.find("\n", para.start, para.end) < 0 and text.find("\r", para.start, para.end) < 0:
                lines = [(para.start, para.end)]  # one line, already stripped (the common case)
            else:
                lines = [(s, e) for s, e in _lines(text, para.start, para.end) if text[s:e].strip()]
                lines = [(s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip()))
                         for s, e in lines]
            inner = lines[:-1]
            wrapped = bool(inner) and all(e - s <= WRAP_WIDTH for s, e in inner) and sum(
                _ends_open(text, s, e) for s, e in inner) * 3 >= len(inner) * 2
            for k, (s, e) in enumerate(lines):
                if k < len(lines) - 1:
                    nxt = text[lines[k + 1][0]]
                    if wrapped or nxt.islower() or not _ends_open(text, s, e):
                        continue
                elif not _ends_open(text, s, e):
                    continue
                finding = self._check_line(doc, s, e, lang, dangling, sentences, starts)
                if finding is not None:
                    yield finding

    def _check_line(self, doc, s, e, lang, dangling, sentences, starts):
        text = doc.text
        line = text[s:e]
        if NOT_PROSE_LINE.match(line):
            return None
        if text[e - 1] != "," and not WORD_CHAR.match(text, e - 1):
            return None  # ends on a symbol we do not judge (no word can end there: cheap test first)
        lo = max(s, e - 200)
        if any(a < e <= b for a, b in chardata.non_prose_spans(text[lo:e]) for a, b in [(a + lo, b + lo)]):
            return None  # ends in a URL, an e-mail address, a hashtag or a handle
        words = list(doc.word_pattern.finditer(line))
        if not words:
            return None
        last = words[-1]
        if s + last.end() != e and text[e - 1] != ",":
            return None  # ends on a symbol we do not judge
        # the last sentence of the line, and whether complete sentences precede it
        first = max(0, bisect.bisect_right(starts, s) - 1)
        last_i = bisect.bisect_left(starts, e)
        inside_line = [sp for sp in sentences[first:last_i] if sp.start < e and sp.end > s]
        tail_start = max(s, inside_line[-1].start) if inside_line else s
        earlier = [sp for sp in inside_line if sp.end <= tail_start and text[sp.end - 1] in ".!?…\"”»"]
        prose = bool(earlier) and not LIST_ITEM.match(line)
        word = last.group()
        tail_words = len(doc.word_pattern.findall(text, tail_start, e))
        reason, confidence = None, 0.0
        if text[e - 1] == "," and prose:
            reason, confidence = "the line ends on a comma", 0.7
        elif word.lower() in dangling and word.islower() and len(words) >= 3:
            reason = f"the line ends on '{word}', which cannot end a sentence"
            confidence = 0.9 if prose else 0.75
        elif prose and word.isalpha() and word.islower() and tail_words >= 2 and _unknown_word(word, lang):
            reason, confidence = f"the line ends on '{word}', a fragment of a word", 0.75
        elif prose and word[:1].islower() and tail_words >= 4:
            reason, confidence = "the line ends without sentence punctuation after complete sentences", 0.5
        if reason is None:
            return None
        start = max(tail_start, e - MAX_SPAN)
        return self.flag(doc, start, e, f"text stops mid-sentence: {reason}", confidence=confidence,
                         severity="warning" if confidence >= 0.7 else "info")

    # -- designations that lost their letters ---------------------------------------------------
    def _bare_designations(self, doc):
        text = doc.text
        if "-" not in text:
            return
        attested: dict[str, Counter] = {}
        for m in DESIGNATION.finditer(text):
            attested.setdefault(m["num"], Counter())[m["prefix"]] += 1
        for m in BARE_DESIGNATION.finditer(text):
            prefixes = attested.get(m["num"])
            if not prefixes:
                continue
            before = text[max(0, m.start() - 12):m.start()]
            if RANGE_BEFORE.search(before):
                continue  # a range such as 300 -400
            prefix = prefixes.most_common(1)[0][0]
            yield self.flag(doc, m.start(), m.end(),
                            f"designation without its letters: the document elsewhere writes {prefix}-{m['num']}",
                            suggestion=prefix + m.group(), confidence=0.85)
