"""Character data shared by segmentation and detectors, compiled once at import.

Detectors import their patterns and tables from here (or from their own data module)
rather than defining them inline, so the data can be read, tested and reused in one place.
"""

from __future__ import annotations

import re as _re

import regex

LINE_BREAK = regex.compile(r"\r\n|\n|\r")

#: A run of lines with visible content: paragraphs are separated by blank lines.
PARAGRAPH = regex.compile(r"(?m)(?:^[^\n]*\S[^\n]*(?:\n|\Z))+")

#: Sentence-final punctuation, with closing quotes/brackets, followed by space and a
#: plausible sentence start (or the end of the paragraph).
SENTENCE_END = regex.compile(
    r"[.!?…]+[\"”’»)\]]*(?=\s+[\"“«‘(\[•\p{Lu}\p{N}]|\s*\Z)"
)

#: Abbreviations after which a full stop does not end a sentence (lower-cased, no dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr gen col lt sgt capt gov sen rep rev vs etc e.g i.e no
    u.s u.k u.n e.u jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp
    approx fig p pp vol ed eds al""".split()
)

#: A word: letters, marks and digits, possibly joined by an inner apostrophe or hyphen.
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*")
#: :data:`WORD` in ``re``, whose ``[^\W_]`` (``str.isalnum``) is ``regex``'s ``[\p{L}\p{M}\p{N}]``
#: but for combining marks and characters the two modules' Unicode versions class apart; it
#: scans two to three times faster. :func:`word_pattern` says where it is :data:`WORD`.
_WORD_RE = _re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_WORD_CLASS = regex.compile(r"[\p{L}\p{M}\p{N}]")
_WORD_CLASS_RE = _re.compile(r"[^\W_]")
_CLASSED_ALIKE: dict[str, bool] = {}


def word_pattern(chars) -> "regex.Pattern | _re.Pattern":
    """:data:`WORD`, or the same pattern in ``re`` (faster) when each of ``chars`` — the
    characters of a text other than plain ASCII (:attr:`Document.chars`) — is in both
    modules' word class or in neither: the two then match alike on that text.

    >>> word_pattern({"é", "ş", "’"}) is _WORD_RE, word_pattern({"e\u0301"[1]}) is WORD
    (True, True)
    """
    alike = _CLASSED_ALIKE
    for c in chars:
        ok = alike.get(c)
        if ok is None:
            ok = alike[c] = bool(_WORD_CLASS.match(c)) == bool(_WORD_CLASS_RE.match(c))
        if not ok:
            return WORD
    return _WORD_RE

#: Spans that are not prose: URLs, e-mail addresses, hashtags, @handles. Detectors that
#: look at words skip tokens inside these.
NON_PROSE = regex.compile(
    r"""(?xi)
    (?:https?://|ftp://|www\.)[^\s<>"«»“”]+      # URLs
  | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+     # e-mail addresses
  | (?<![\w&])[#@][\p{L}\p{N}_]+                 # hashtags and handles
  | (?<![\w-])-*+\K[\w-]+\.(?:com|org|net|ru|tr|ua|de|fr|uk|io|gov|edu)(?:/[^\s]*)?\b  # bare domains
    """
)
# (The e-mail and domain alternatives start only where a run of their characters starts: tried
# at every position of a long run — a hex string, a base64 line — each rescanned the rest of
# the run, and 80,000 characters of one word took a minute.)

SCRIPT_RUN = {
    "Latin": regex.compile(r"\p{Script=Latin}+"),
    "Cyrillic": regex.compile(r"\p{Script=Cyrillic}+"),
    "Greek": regex.compile(r"\p{Script=Greek}+"),
}


def script_of(ch: str) -> str | None:
    """The script of a letter among Latin, Cyrillic and Greek, else None."""
    for name, pat in SCRIPT_RUN.items():
        if pat.match(ch):
            return name
    return None


#: The characters :attr:`Document.chars <audit.document.Document.chars>` leaves out: printable
#: ASCII, tab, line feed and carriage return.
PLAIN_ASCII = "".join(map(chr, range(0x20, 0x7F))) + "\t\n\r"


def char_runs(text: str, chars) -> list[tuple[int, int]]:
    r"""Spans of the maximal runs of ``chars`` in ``text``, in order.

    The same spans as ``finditer`` of the character class ``[chars]+``, found with one
    ``str.find`` loop per character (memchr speed) instead of a class test at every position
    of the text: the way to go when ``chars`` are few and rare, as the characters a
    prescreen found in :attr:`Document.chars` usually are.

    >>> char_runs("a\u200b\u00adb c\u200b", {"\u200b", "\u00ad"})
    [(1, 3), (6, 7)]
    """
    positions = []
    find = text.find
    for ch in chars:
        i = find(ch)
        while i != -1:
            positions.append(i)
            i = find(ch, i + 1)
    positions.sort()
    runs: list[tuple[int, int]] = []
    start = end = -1
    for i in positions:
        if i != end:
            if end != -1:
                runs.append((start, end))
            start = i
        end = i + 1
    if end != -1:
        runs.append((start, end))
    return runs


def occurs_at_most(text: str, chars, limit: int) -> bool:
    """Whether ``chars`` occur at most ``limit`` times in all in ``text`` (stops counting past it):
    whether a few ``str.find`` loops (:func:`char_runs`) beat one pattern scan of the text."""
    total = 0
    for ch in chars:
        total += text.count(ch)
        if total > limit:
            return False
    return True


def lower_same_length(text: str) -> str:
    """``text`` lower-cased, one character for one (offsets survive): ``str.lower`` when that
    keeps the length, else each character on its own, one whose lower case is longer kept.

    Only İ (U+0130) lower-cases to two code points. Without the per-character loop: the
    stretches between the İs lower-cased, each Σ first made σ (alone, Σ lower-cases to σ; in
    a text, to ς at a word's end).

    >>> lower_same_length("İSTANBUL ΟΔΟΣ"), lower_same_length("ΟΔΟΣ")
    ('İstanbul οδοσ', 'οδος')
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    low = "\u0130".join(p.lower() for p in text.replace("\u03a3", "\u03c3").split("\u0130"))
    if len(low) != len(text):  # another such character (a newer Unicode): the definition
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def non_prose_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of URLs, e-mails, hashtags and handles."""
    return [m.span() for m in NON_PROSE.finditer(text)]


def in_non_prose(text: str, start: int, end: int, reach: int = 400) -> bool:
    """Whether ``text[start:end]`` overlaps a URL, e-mail address, hashtag or handle.

    These never contain whitespace, so only the whitespace-free chunk around the span (at
    most ``reach`` characters either side) is searched — cheap enough per candidate.

    >>> in_non_prose("see https://ex.ample/a?b=1 now", 20, 21), in_non_prose("what? now", 4, 5)
    (True, False)
    """
    lo = start
    while lo > 0 and not text[lo - 1].isspace() and start - lo < reach:
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace() and hi - end < reach:
        hi += 1
    return any(m.start() + lo < end and start < m.end() + lo for m in NON_PROSE.finditer(text[lo:hi]))


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True if [start, end) overlaps one of the sorted ``spans``."""
    import bisect

    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    for j in (i, i + 1):
        if 0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]:
            return True
    return False


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted union of (start, end) spans; touching spans merge.

    >>> merge_spans([(5, 9), (0, 2), (2, 3), (8, 12)])
    [(0, 3), (5, 12)]
    """
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]
