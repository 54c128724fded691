"""Whitespace residue: no-break-space runs, doubled spaces, space before punctuation."""

from __future__ import annotations

import re

import regex

from .base import Detector

# A mid-line run of spaces and no-break spaces that holds at least one NBSP and at least
# two characters: the residue of HTML "&nbsp; " layouts.
NBSP_RUN = regex.compile(r"(?<=\S)[ \u00a0]*\u00a0[ \u00a0]*(?=\S)")
#: Two or more spaces before a word (or a quotation mark, bracket or dash that opens one): a
#: typo. Before other symbols a run of spaces is more often layout — emoticons, ASCII art,
#: aligned punctuation (``:(   `¬´    ):``) — and is left alone.
DOUBLE_SPACE = regex.compile(r"(?<=\S) {2,}(?=[\p{L}\p{N}\p{Pi}\p{Pf}\p{Ps}\"'@#\-\u2010-\u2015])")
SPACE_BEFORE_PUNCT = regex.compile(r"(?<=[\p{L}\p{N}]) +(?=[,.;:!?](?:\s|\Z))")
#: A space before the punctuation :data:`SPACE_BEFORE_PUNCT` is about (its cheap part).
SPACE_PUNCT = re.compile(r" [,.;:!?]")
#: Languages whose typography puts a space before high punctuation (; : ! ?).
SPACED_HIGH_PUNCT = frozenset({"fr"})


def _nbsp_runs(text: str):
    """The :data:`NBSP_RUN` matches, found from the no-break spaces themselves.

    Equivalent to ``NBSP_RUN.finditer(text)`` but jumps from one U+00A0 to the next
    (``str.find``) instead of trying the look-behind at every position of the text.
    """
    i = text.find("\u00a0")
    n = len(text)
    while i != -1:
        s = i
        while s and text[s - 1] in " \u00a0":
            s -= 1
        e = i + 1
        while e < n and text[e] in " \u00a0":
            e += 1
        m = NBSP_RUN.match(text, s, e + 1)
        if m is not None:
            yield m
        i = text.find("\u00a0", e)


def _double_spaces(text: str):
    """The :data:`DOUBLE_SPACE` matches, found from each ``"  "`` (as :func:`_nbsp_runs`)."""
    i = text.find("  ")
    n = len(text)
    while i != -1:
        s = i
        while s and text[s - 1] == " ":
            s -= 1
        e = i + 2
        while e < n and text[e] == " ":
            e += 1
        m = DOUBLE_SPACE.match(text, s)
        if m is not None:
            yield m
        i = text.find("  ", e)


def _spaces_before_punct(text: str):
    """The :data:`SPACE_BEFORE_PUNCT` matches, in order, found from each space-punctuation pair.

    Equivalent to ``SPACE_BEFORE_PUNCT.finditer(text)``: a match is a whole run of spaces
    after a letter or digit, so each one ends at exactly one :data:`SPACE_PUNCT` pair, which
    the stdlib ``re`` engine finds from its literal space at several hundred MB/s; the
    look-behind is then tried only there, not at every position of the text.
    """
    for pair in SPACE_PUNCT.finditer(text):
        s = pair.start()
        while s and text[s - 1] == " ":
            s -= 1
        m = SPACE_BEFORE_PUNCT.match(text, s)
        if m is not None:
            yield m


class Whitespace(Detector):
    """Whitespace residue left by scraping or conversion: NBSP runs, doubled spaces, a space before punctuation.

    What it finds:
        A no-break space (U+00A0) next to an ordinary space or another no-break space in
        the middle of a line (the trace of an HTML ``&nbsp; `` layout), two or more
        ordinary spaces before a word (or before a quotation mark, bracket, dash, ``@`` or
        ``#`` that opens one), and a space before a comma, full stop, colon, semicolon,
        question or exclamation mark.

    Why it matters:
        Invisible on screen, these break tokenisation, search and diffing, double-space
        the published text and betray scraped copy. They are low severity but cheap to fix.

    Example:
        ``Associated Press.\\u00a0 Despite`` -> ``Associated Press. Despite``
        ``White House \\u00a0\\u00a0may`` -> ``White House may``
        ``the deal , he said`` -> ``the deal, he said``

    Known false positives:
        Two spaces after a full stop is a house style in some newsrooms. French puts a
        (no-break) space before ``; : ! ?`` — not flagged when the document language is
        French. Indentation at the start of a line and trailing spaces are left alone, and
        so are runs of spaces before other symbols, which are more often layout than typos
        (emoticons and ASCII art such as ``:(   `¬´    ):``, bullets, aligned punctuation).
    """

    name = "whitespace"
    category = "encoding"
    severity = "info"
    fixable = True
    safe_fix = True

    def find(self, doc, ctx):
        text = doc.text
        # each scan jumps from one occurrence of its trigger to the next (str.find runs at
        # memory speed); none tries a pattern at every position of the text
        for m in _nbsp_runs(text) if "\u00a0" in doc.chars else ():
            run = m.group()
            if len(run) < 2:
                continue  # a single NBSP between words is legitimate
            if run[0] == " ":
                # keep the leading ordinary space, drop the no-break residue after it
                start = m.start() + len(run) - len(run.lstrip(" "))
                yield self.flag(doc, start, m.end(), "no-break spaces after a space: invisible residue", "",
                                confidence=0.95)
            elif len(run.strip("\u00a0")) == 0:
                yield self.flag(doc, m.start(), m.end(), "run of no-break spaces", " ", confidence=0.9)
            else:
                yield self.flag(doc, m.start(), m.end(), "no-break space followed by a space (two-space residue)",
                                " ", confidence=0.95)
        for m in _double_spaces(text):
            yield self.flag(doc, m.start(), m.end(), "doubled space between words", " ", confidence=0.8)
        spaced = (doc.lang or "").split("-")[0] in SPACED_HIGH_PUNCT
        for m in _spaces_before_punct(text):
            if spaced and text[m.end()] in ";:!?":
                continue
            yield self.flag(doc, m.start(), m.end(), f"space before '{text[m.end()]}'", "", confidence=0.85)
