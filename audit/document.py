"""Documents and segmentation.

A :class:`Document` is the decoded text plus its id, language and metadata. Paragraphs,
sentences and tokens are computed lazily, once, and every span is a pair of character
offsets (code points, 0-based, end exclusive) into ``Document.text`` — never into a
normalised copy.

>>> d = Document("x", "One two.  Three four?\\n\\nNew paragraph")
>>> [d.text[s.start:s.end] for s in d.sentences]
['One two.', 'Three four?', 'New paragraph']
>>> d.line_col(d.text.index("New"))
(3, 1)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import Any, NamedTuple

from . import chardata


#: The bytes :attr:`Document.chars` leaves out.
_PLAIN_ASCII = chardata.PLAIN_ASCII.encode("ascii")
_PLUS_ONE = (1).__add__


class Span(NamedTuple):
    start: int
    end: int


class Token(NamedTuple):
    start: int
    end: int
    text: str


@dataclass
class Document:
    id: str
    text: str
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: The source text, when the document is a translation whose source is known.
    source: str | None = None
    source_lang: str | None = None

    # -- characters ------------------------------------------------------------------
    @cached_property
    def chars(self) -> frozenset[str]:
        r"""The distinct characters of the text other than printable ASCII, tab, LF and CR.

        Detectors' prescreens test it (``"\u00a0" in doc.chars``, ``doc.chars & TABLE``)
        instead of scanning the text with a pattern of their own: it costs one UTF-8 encode
        and one ``bytes.translate`` (about 700 MB/s), and holds a few dozen characters.

        >>> sorted(Document("x", "Blink\u0435n said\u00a0 no.\n").chars)
        ['\xa0', 'е']
        """
        data = self.text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
        return frozenset(data.decode("utf-8", "surrogatepass"))

    # -- positions -------------------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        text = self.text
        if "\r" in text:
            return [0, *(m.end() for m in chardata.LINE_BREAK.finditer(text))]
        # only \n breaks: line lengths from one str.split, summed at C level (len + 1 each)
        starts = list(accumulate(map(_PLUS_ONE, map(len, text.split("\n"))), initial=0))
        starts.pop()  # the last "start" is one past the end of the text
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        starts = self._line_starts
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def line_span(self, offset: int) -> Span:
        """The line holding ``offset``, without its line break."""
        starts = self._line_starts
        i = bisect.bisect_right(starts, offset) - 1
        start = starts[i]
        if i + 1 == len(starts):
            return Span(start, len(self.text))
        # the line ends where the break before the next line's start begins: \r\n, \n or \r
        nxt = starts[i + 1]
        return Span(start, nxt - 2 if self.text[nxt - 2 : nxt] == "\r\n" and nxt - 2 >= start else nxt - 1)

    # -- segmentation ------------------------------------------------------------------
    @cached_property
    def paragraphs(self) -> list[Span]:
        """Blocks separated by blank lines; a single line break stays inside a paragraph."""
        out = []
        for m in chardata.PARAGRAPH.finditer(self.text):
            s, e = _strip(self.text, m.start(), m.end())
            if s < e:
                out.append(Span(s, e))
        return out

    @cached_property
    def sentences(self) -> list[Span]:
        out = []
        for p in self.paragraphs:
            start = p.start
            for m in chardata.SENTENCE_END.finditer(self.text, p.start, p.end):
                if _is_abbreviation(self.text, start, m.start()):
                    continue
                s, e = _strip(self.text, start, m.end())
                if s < e:
                    out.append(Span(s, e))
                start = m.end()
            s, e = _strip(self.text, start, p.end)
            if s < e:
                out.append(Span(s, e))
        return out

    @cached_property
    def tokens(self) -> list[Token]:
        """Words (letters, marks, digits, joined by inner apostrophes or hyphens)."""
        return [Token(m.start(), m.end(), m.group()) for m in self.word_pattern.finditer(self.text)]

    @cached_property
    def word_pattern(self):
        """:data:`chardata.WORD` for this text, in ``re`` where that matches alike (:func:`chardata.word_pattern`)."""
        return chardata.word_pattern(self.chars)

    def context(self, start: int, end: int, words: int = 3) -> str:
        """A few words either side of a span on its own line, whitespace-normalised (for fingerprints)."""
        line_start, line_end = self.line_span(start)
        text = self.text
        left = text[max(line_start, start - 60) : start].split()[-words:]
        right = text[end : min(max(line_end, end), end + 60)].split()[:words]
        return " ".join(left) + "\x1e" + " ".join(right)


def _is_abbreviation(text: str, floor: int, dot: int) -> bool:
    """True if the full stop at ``dot`` closes an abbreviation or an initial (``U.S.``, ``V.``)."""
    if text[dot] != ".":
        return False
    i = dot
    while i > floor and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    return len(word) == 1 or word in chardata.ABBREVIATIONS


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
