"""Script data for the script detectors: alphabets, look-alike tables, transliteration.

Built once at import. The look-alike (homoglyph) table comes from the Unicode confusables
data shipped with ``confusable-homoglyphs``, restricted to the basic Latin, Cyrillic and
Greek alphabets and to single characters of the same case, so a repair never produces an
exotic letter (``ʙ``, ``ĸ``) or changes case.

>>> repair("Blink\\u0435n", "Latin")
'Blinken'
>>> repair("W\\u041dO", "Latin")
'WHO'
>>> repair("\\u0442\\u0438\\u0442\\u0430\\u043dP", "Cyrillic")
'титанР'
>>> repair("\\u0442\\u0438\\u0440\\u0443\\u0435\\u0442afak", "Latin") is None
True
>>> transliterate("\\u0421\\u0443")
'Su'
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import regex

SCRIPTS = ("Latin", "Cyrillic", "Greek")

# -- alphabets a repair may produce ------------------------------------------------------------
LATIN_BASIC = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
RUSSIAN = frozenset("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
#: Letters a repair may produce only when the document language uses them.
CYRILLIC_EXTRA = {
    "uk": frozenset("ІіЇїЄєҐґ"),
    "be": frozenset("ІіЎў"),
    "sr": frozenset("ЈјЅѕ"),
    "mk": frozenset("ЈјЅѕ"),
    "kk": frozenset("Іі"),
}
GREEK_BASIC = frozenset("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψως")
_ALL_CYRILLIC = RUSSIAN.union(*CYRILLIC_EXTRA.values())

#: Greek letters that Latin-script text uses as symbols (``α-helix``, ``μm``, ``ΔT``,
#: ``NF-κB``, ``Aβ``): never flagged inside or next to Latin words. The Greek letters left
#: out are those that look like Latin letters (Α Β Ε Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ Ζ ο ι ν υ), which
#: nobody uses as a symbol because a reader could not tell them apart.
GREEK_SYMBOLS = frozenset("αβγδεζηθκλμξπρσςτφχψωΓΔΘΛΞΠΣΦΨΩ\u2126\u03d1\u03d5\u03f5\u03c2")

#: Scripts' letters, and fast prefilters. ``re`` (stdlib) scans a plain character class
#: several times faster than ``regex`` scans ``\p{Script=…}``; the classes are supersets
#: (they include a few marks and signs) and every hit is checked with :func:`script_of`.
_CG = "\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1d26-\u1d2a\u1f00-\u1fff\u2126\u2de0-\u2dff\ua640-\ua69f"
CYRILLIC_GREEK_RUN = re.compile(f"[{_CG}][{_CG}]*")


def _class_chars(cls: str) -> frozenset[str]:
    """The characters of a character class written as ranges ``a-z`` and single characters."""
    out: set[str] = set()
    i = 0
    while i < len(cls):
        if i + 2 < len(cls) and cls[i + 1] == "-":
            out.update(map(chr, range(ord(cls[i]), ord(cls[i + 2]) + 1)))
            i += 3
        else:
            out.add(cls[i])
            i += 1
    return frozenset(out)


#: The characters of :data:`CYRILLIC_GREEK_RUN`, for prescreens on ``Document.chars``.
CYRILLIC_GREEK_CHARS = _class_chars(_CG)
#: In a document written in one script, the runs of the two others.
RARE_RUNS = {
    "Cyrillic": regex.compile(r"[\p{Script=Latin}\p{Script=Greek}]+"),
    "Greek": regex.compile(r"[\p{Script=Latin}\p{Script=Cyrillic}]+"),
}
#: A word part: letters, marks and digits (hyphens and apostrophes split compounds).
PART_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}]")
ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+\Z")

_SCRIPT_PATTERNS = {name: regex.compile(rf"\p{{Script={name}}}") for name in SCRIPTS}


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    """``Latin``, ``Cyrillic`` or ``Greek`` for a letter of those scripts, else None."""
    if not ch.isalpha():
        return None
    for name, pat in _SCRIPT_PATTERNS.items():
        if pat.match(ch):
            return name
    return None


_SCRIPT_RUNS = {name: regex.compile(rf"(?:(?=\p{{L}})\p{{Script={name}}})+") for name in SCRIPTS}


def script_counts(text: str) -> dict[str, int]:
    """Letters per script (Latin, Cyrillic, Greek) in ``text``.

    >>> script_counts("Tо есть")
    {'Latin': 1, 'Cyrillic': 5, 'Greek': 0}
    """
    return {name: sum(map(len, pat.findall(text))) for name, pat in _SCRIPT_RUNS.items()}


def majority(counts: dict[str, int]) -> str | None:
    best = max(SCRIPTS, key=lambda s: counts[s])
    return best if counts[best] else None


# -- look-alike table ---------------------------------------------------------------------------
def _build_lookalikes() -> dict[str, dict[str, str]]:
    """char -> {target script: look-alike of the same case in that script's basic alphabet}."""
    from confusable_homoglyphs.confusables import confusables_data

    universe = LATIN_BASIC | _ALL_CYRILLIC | GREEK_BASIC
    parent = {c: c for c in universe}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for ch in sorted(universe):
        for h in confusables_data.get(ch, ()):
            other = h["c"]
            if other in universe:
                parent[root(ch)] = root(other)
    classes: dict[str, list[str]] = {}
    for c in sorted(universe):
        classes.setdefault(root(c), []).append(c)
    alphabets = {"Latin": LATIN_BASIC, "Cyrillic": _ALL_CYRILLIC, "Greek": GREEK_BASIC}
    table: dict[str, dict[str, str]] = {}
    for members in classes.values():
        for ch in members:
            own = script_of(ch)
            for target, alphabet in alphabets.items():
                if target == own:
                    continue
                same_case = [m for m in members if m in alphabet and m.isupper() == ch.isupper()]
                if same_case:
                    table.setdefault(ch, {})[target] = min(same_case)  # lowest code point: ο before σ
    return table


LOOKALIKE: dict[str, dict[str, str]] = _build_lookalikes()


def target_alphabet(script: str, lang: str | None = None) -> frozenset[str]:
    if script == "Latin":
        return LATIN_BASIC
    if script == "Greek":
        return GREEK_BASIC
    return RUSSIAN | CYRILLIC_EXTRA.get((lang or "").split("-")[0].lower(), frozenset())


def lookalike(ch: str, target: str, lang: str | None = None) -> str | None:
    """The look-alike of one letter in ``target`` script (same case), or None."""
    got = LOOKALIKE.get(ch, {}).get(target)
    if got is not None and got in target_alphabet(target, lang):
        return got
    return None


def repair(word: str, target: str, lang: str | None = None) -> str | None:
    """``word`` with every letter of another script replaced by its look-alike in ``target``.

    Accented letters are handled through their decomposition (``ó`` -> ``о́``). Returns
    None when some letter has no look-alike.
    """
    out = []
    for ch in word:
        s = script_of(ch)
        if s is None or s == target:
            out.append(ch)
            continue
        got = lookalike(ch, target, lang)
        if got is None:
            base, *marks = unicodedata.normalize("NFD", ch)
            got = lookalike(base, target, lang) if marks else None
            if got is None:
                return None
            got = unicodedata.normalize("NFC", got + "".join(marks))
        out.append(got)
    return "".join(out)


# -- transliteration (Cyrillic -> Latin, by sound) ----------------------------------------------
def transliterate(cyrillic: str) -> str:
    """Romanise Cyrillic letters (Wikipedia scheme); other characters pass through.

    An all-capitals form stays in capitals (``СУ`` -> ``SU``), a single capital keeps its
    digraph readable (``Х`` -> ``Kh``).
    """
    import iuliia

    out = iuliia.WIKIPEDIA.translate(cyrillic)
    letters = [c for c in cyrillic if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        out = out.upper()
    return out


def cyrillic_reading(word: str) -> str | None:
    """Read every letter of ``word`` as Cyrillic (Latin look-alikes mapped), or None.

    >>> cyrillic_reading("C"), cyrillic_reading("PC"), cyrillic_reading("F")
    ('С', 'РС', None)
    """
    out = []
    for ch in word:
        s = script_of(ch)
        if s == "Cyrillic":
            out.append(ch)
        elif s == "Latin":
            got = lookalike(ch, "Cyrillic")
            if got is None:
                return None
            out.append(got)
        else:
            return None
    return "".join(out)


# -- positions ----------------------------------------------------------------------------------
def part_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) to the whole word part (letters, marks, digits) around it."""
    n = len(text)
    while start > 0 and PART_CHAR.match(text[start - 1]):
        start -= 1
    while end < n and PART_CHAR.match(text[end]):
        end += 1
    return start, end


#: Where a sentence ends: sentence punctuation (not after a one-letter initial such as
#: ``В.``) followed by space and a plausible sentence start, or a line break.
SENTENCE_BREAK = regex.compile(
    r"(?<!(?:^|[\s.])\p{L})[.!?…][\"”’»)\]]*\s+(?=[\"“«‘(\[\p{Lu}\p{N}])|[\r\n]+"
)
#: How far around an offset the sentence is looked for.
WINDOW = 400


class Span(NamedTuple):
    start: int
    end: int


def _window_breaks(text: str, offset: int, lo: int, hi: int) -> tuple[int, int]:
    """(start, end) of the sentence holding ``offset`` from the breaks found in [lo, hi):
    the end of the last break that ends at or before ``offset`` (else ``lo``), and the start
    of the first break at or after ``offset`` (with its punctuation; else ``hi``)."""
    start = lo
    for m in SENTENCE_BREAK.finditer(text, lo, offset + 1):
        if m.end() <= offset:
            start = m.end()
    m = SENTENCE_BREAK.search(text, offset, hi)
    end = m.start() + (1 if text[m.start()] in ".!?…" else 0) if m else hi
    return start, end


def _all_breaks(text: str) -> tuple[list[int], list[int]]:
    """The start and end of every :data:`SENTENCE_BREAK` of ``text``."""
    starts, ends = [], []
    for m in SENTENCE_BREAK.finditer(text):
        a, b = m.span()
        starts.append(a)
        ends.append(b)
    return starts, ends


class ScriptContext:
    """Majority scripts of the sentences around offsets, computed on demand and cached.

    Sentences are found locally (a window around the offset) rather than by segmenting the
    whole document: the detectors that use this look at a handful of places per document.
    """

    #: Below this many letters a sentence is too short to have a majority of its own.
    MIN_LETTERS = 4

    #: Once the spans counted one by one add up to this share of the document, letters are
    #: counted from an index of the document's script runs instead (a page-long line with a
    #: Cyrillic name every few words asks for a window of letters per name). Building the
    #: index costs about as much per character as counting a slice, so the slices counted
    #: before it is built cost at most about a quarter of building it, and a document asked
    #: about a few dozen times never builds it (a fixed count of spans did: 0.5 s per MB of a
    #: book for a handful of findings).
    INDEX_SHARE = 0.25

    def __init__(self, doc):
        self.doc = doc
        self._cache: dict[int, str | None] = {}
        self._doc_majority: str | None | bool = False
        self._sliced = 0  # characters counted slice by slice
        self._scanned = 0  # characters of windows searched for sentence breaks
        self._breaks: tuple[list[int], list[int]] | None = None  # every break: starts, ends
        self._runs: dict[str, tuple[list[int], list[int], list[int]]] | None = None

    def counts(self, start: int, end: int) -> dict[str, int]:
        """:func:`script_counts` of ``doc.text[start:end]``: counted in the slice until the
        slices add up to :data:`INDEX_SHARE` of the document, then from the prefix sums of the
        document's script runs (logarithmic)."""
        if self._runs is None and self._sliced < self.INDEX_SHARE * len(self.doc.text):
            self._sliced += max(0, end - start)
            return script_counts(self.doc.text[start:end])
        if self._runs is None:
            self._runs = {}
            for name, pat in _SCRIPT_RUNS.items():
                starts, ends, cum = [], [], [0]
                for m in pat.finditer(self.doc.text):
                    a, b = m.span()
                    starts.append(a)
                    ends.append(b)
                    cum.append(cum[-1] + b - a)
                self._runs[name] = (starts, ends, cum)
        out = {}
        for name, (starts, ends, cum) in self._runs.items():
            i, j = bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)  # runs [i, j) overlap
            out[name] = cum[j] - cum[i] - max(0, start - starts[i]) - max(0, ends[j - 1] - end) if i < j else 0
        return out

    def sentence(self, offset: int) -> tuple[int | None, Span | None]:
        """(key, span) of the sentence holding ``offset``; (None, None) between sentences.

        The sentence breaks are searched in a window of :data:`WINDOW` characters on each
        side. Once the windows searched add up to :data:`INDEX_SHARE` of the document, the
        breaks come from one scan of the whole document instead (bisected), wherever that
        gives the window's answer — every break involved lies inside the window and none
        straddles its edges — and from the window otherwise."""
        text = self.doc.text
        lo = max(0, offset - WINDOW)
        hi = min(len(text), offset + WINDOW)
        got = self._breaks_around(offset, lo, hi) if self._breaks is not None else None
        if got is None:
            if self._breaks is None:
                self._scanned += hi - lo
                if self._scanned >= self.INDEX_SHARE * len(text):
                    self._breaks = _all_breaks(text)
            got = _window_breaks(text, offset, lo, hi)
        start, end = got
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if not start <= offset < end:
            return None, None
        return start, Span(start, end)

    def _breaks_around(self, offset: int, lo: int, hi: int) -> tuple[int, int] | None:
        """:func:`_window_breaks` from the document's breaks, or None where the window's scan
        could differ from the document's: a break straddling ``lo`` or ``offset`` (a scan from
        there can match inside it), or the next one reaching ``hi`` (the window truncates its
        look-ahead)."""
        starts, ends = self._breaks
        text = self.doc.text
        # breaks ending at or before offset: the last one sets the start
        j = bisect.bisect_right(ends, offset) - 1
        if j + 1 < len(starts) and starts[j + 1] < offset:
            return None  # a break straddles offset
        # a break straddling lo: the one that ends first after lo
        k = bisect.bisect_right(ends, lo)
        if k < len(starts) and starts[k] < lo:
            return None
        # (so the last break, when it ends inside the window, also starts inside it)
        start = ends[j] if j >= 0 and ends[j] > lo else lo
        # the first break starting at or after offset sets the end
        n = j + 1
        if n < len(starts) and starts[n] < hi:
            if ends[n] >= hi:
                return None  # its match (or the character its look-ahead needs) reaches hi
            return start, starts[n] + (1 if text[starts[n]] in ".!?…" else 0)
        return start, hi

    def doc_majority(self) -> str | None:
        if self._doc_majority is False:
            self._doc_majority = majority(script_counts(self.doc.text))
        return self._doc_majority

    def majority_at(self, offset: int) -> str | None:
        """The majority script of the sentence holding ``offset`` (document's if too short)."""
        key, span = self.sentence(offset)
        if key is None:
            return self.doc_majority()
        if key not in self._cache:
            counts = self.counts(span.start, span.end)
            best = majority(counts)
            if best is None or counts[best] < self.MIN_LETTERS:
                best = self.doc_majority()
            self._cache[key] = best
        return self._cache[key]
