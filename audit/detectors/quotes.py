"""Quotation marks: misplaced closing marks, unbalanced quotes, mixed styles, foreign marks.

All four rules share one scanner (:func:`scan_quotes`) that walks the double quotation marks
of a document paragraph by paragraph and gives each its role — opening or closing — from
the mark itself, the target language's convention and the context of straight ``"`` marks.
Single quotes are left alone: they cannot be told from apostrophes reliably.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

import regex

from ..langdata import indefinite
from .base import Detector
from .untranslated import language_name

# -- data ------------------------------------------------------------------------------------
DOUBLE_MARKS = regex.compile(r'["“”„«»‟]')
OPEN, CLOSE = "open", "close"

#: Per target language: the native (opening, closing) pairs in order of preference, and the
#: marks that belong to another language's convention. A language not listed gets the
#: English conventions without the foreign-mark check.
STYLES = {
    "en": {"pairs": [("“", "”")], "foreign": set("«»„")},
    "tr": {"pairs": [("“", "”")], "foreign": set("«»„")},
    "de": {"pairs": [("„", "“"), ("»", "«"), ("«", "»")], "foreign": set("”")},
    "fr": {"pairs": [("«\u00a0", "\u00a0»"), ("“", "”")], "foreign": set("„")},
    "ru": {"pairs": [("«", "»"), ("„", "“")], "foreign": set('"”')},
    "uk": {"pairs": [("«", "»"), ("„", "“")], "foreign": set('"”')},
}
DEFAULT_STYLE = {"pairs": [("“", "”")], "foreign": set()}
#: Languages that accept straight quotes as a house style (mixing is then the problem).
STRAIGHT_OK = frozenset({"en", "tr", "de", "fr"})
#: ``, "the expert said`` — reporting words after a misplaced straight closing quote.
REPORTING = regex.compile(
    r"(?i)(?:\p{L}+[\s-]+){0,4}?(?:said|says|told|added|explained|noted|stressed|emphasi[sz]ed|"
    r"summed|believes|wrote|asked|continued|concluded|recalled|insisted|warned|argued|replied|"
    r"declared|stated|announced|admitted|according|sagte|erklärte|betonte|a dit|a déclaré|"
    r"a ajouté|a expliqué|dedi|söyledi|ekledi|belirtti|сказал|заявил|отметил)\b"
)
_PARA_LEAD = set(" \t\u00a0•*-–—")
_OPEN_CONTEXT_BEFORE = set("([{—–-/:")
_SENTENCE_PUNCT = set(",.!?…;")


def lang_base(lang: str | None) -> str:
    return (lang or "").split("-")[0].split("_")[0].lower()


def style_of(lang: str | None) -> dict:
    return STYLES.get(lang_base(lang), DEFAULT_STYLE)


@dataclass
class QuoteMark:
    pos: int
    char: str
    role: str
    paragraph: int
    #: a closing mark laid out as ``, ”the`` (after punctuation and a space, glued to a word)
    misplaced: bool = False
    #: an opening mark that reopens a quotation continued from the previous paragraph
    continuation: bool = False
    #: whether it pairs with another mark
    matched: bool = False


# -- the scanner -----------------------------------------------------------------------------
def _opening_context(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPEN_CONTEXT_BEFORE) and not after.isspace() and after not in ",.;:!?"


def _closing_context(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _after_punct_space(text: str, i: int) -> bool:
    """``, ”`` / ``. "``: the mark follows sentence punctuation and one space and touches a letter."""
    return (
        i >= 2 and text[i - 1] == " " and text[i - 2] in _SENTENCE_PUNCT
        and i + 1 < len(text) and text[i + 1].isalpha()
    )


def paragraph_marks(text: str, paras: list) -> Iterator[tuple[int, object, list[int]]]:
    """``(index, paragraph, positions of its double quotation marks)`` for each paragraph of
    ``paras`` (sorted, disjoint) that holds a mark: one scan of the text, each mark then
    placed in its paragraph (a mark is not white space, so it lies in one), instead of one
    scan per paragraph."""
    every = [m.start() for m in DOUBLE_MARKS.finditer(text)]
    starts = [p.start for p in paras]
    lo = 0
    while lo < len(every):
        pi = bisect.bisect_right(starts, every[lo]) - 1
        hi = bisect.bisect_left(every, paras[pi].end, lo) if pi >= 0 else lo
        if hi == lo:  # outside every paragraph (cannot happen; a scan by paragraph skips it)
            lo += 1
            continue
        yield pi, paras[pi], every[lo:hi]
        lo = hi


def scan_quotes(doc, ctx=None) -> list[QuoteMark]:
    """Every double quotation mark of ``doc`` with its role, pairing and layout flags.

    With a context, the scan of the last document is cached there: the four quote rules
    share one scan.
    """
    if ctx is not None:
        cached = ctx.cache.get("quote-scan")
        if cached is not None and cached[0] is doc and cached[1] == (doc.text, doc.lang):
            return cached[2]
        marks = scan_quotes(doc)
        ctx.cache["quote-scan"] = (doc, (doc.text, doc.lang), marks)
        return marks
    text = doc.text
    if not DOUBLE_MARKS.search(text):
        return []
    lang = lang_base(doc.lang)
    marks: list[QuoteMark] = []
    stack: list[QuoteMark] = []
    for pi, para, found in paragraph_marks(text, doc.paragraphs):
        # the paragraph's last straight mark: a straight one follows mark k if k is before it
        last_straight = max((k for k, i in enumerate(found) if text[i] == '"'), default=-1)
        for k, i in enumerate(found):
            ch = text[i]
            top = stack[-1].char if stack else None
            rest_has_straight = k < last_straight
            misplaced = False
            if ch == '"':
                if _after_punct_space(text, i) and not rest_has_straight and (
                    stack or REPORTING.match(text, i + 1, min(len(text), i + 60))
                ):
                    role, misplaced = CLOSE, True
                elif _opening_context(text, i) and not _closing_context(text, i):
                    role = OPEN
                elif _closing_context(text, i) and not _opening_context(text, i):
                    if not stack and i > 0 and text[i - 1].isdigit():
                        continue  # 12" — an inch or second mark
                    role = CLOSE
                else:
                    role = CLOSE if stack and top == '"' else OPEN
            elif ch == "“":
                if top == "„" or (top == "“" and _closing_context(text, i) and not _opening_context(text, i)):
                    role = CLOSE  # German/Russian closing mark, or a wrongly curled English one
                else:
                    role = OPEN
            elif ch == "”":
                if _after_punct_space(text, i) and stack:
                    role, misplaced = CLOSE, True
                elif not stack and _opening_context(text, i) and not _after_punct_space(text, i):
                    role = OPEN  # Swedish-style ”…” or a wrongly curled opening mark
                else:
                    role = CLOSE
            elif ch == "«":
                role = CLOSE if top == "»" else OPEN
            elif ch == "»":
                role = OPEN if (top != "«" and lang == "de" and _opening_context(text, i)) else CLOSE
            else:  # „ ‟
                role = OPEN
            if role == CLOSE and not misplaced and ch != '"' and _after_punct_space(text, i) and stack:
                misplaced = True
            mark = QuoteMark(i, ch, role, pi, misplaced=misplaced)
            if role == OPEN and stack and k == 0 and stack[-1].paragraph < pi and all(
                c in _PARA_LEAD for c in text[para.start:i]
            ):
                mark.continuation = mark.matched = True  # a continued quotation reopens
            elif role == OPEN:
                stack.append(mark)
            elif stack:
                opener = stack.pop()
                opener.matched = mark.matched = True
            marks.append(mark)
    return marks


# -- rules -----------------------------------------------------------------------------------
class QuotePlacement(Detector):
    """A closing quotation mark placed after the comma and a space, glued to the next word.

    What it finds:
        ``closed, ”the Turkish minister`` and ``, "the expert said``: the closing mark of a
        quotation sits after the punctuation and the space instead of before the space. It is
        the Russian layout ``«…», — сказал он`` carried into another language by machine
        translation (the dash dropped, the mark moved). Curly closing marks in that position
        are always flagged; a straight ``"`` only when a quotation is open and no other
        straight mark follows in the paragraph (or a reporting verb follows), so a
        quotation that legitimately opens after a comma (``he said, "the deal is done."``) is
        left alone.

    Why it matters:
        The quotation seems to continue into the narration, and the reader cannot tell
        where the speaker's words end.

    Example:
        ``the issue is closed, ”the Turkish minister told reporters`` -> ``the issue is closed,” the Turkish minister told reporters``

    Known false positives:
        A straight quote that opens a quotation after a comma, when the closing mark is
        missing too and a reporting verb follows, is read as a misplaced closing mark.
    """

    name = "quote-placement"
    category = "quotes"
    severity = "warning"
    fixable = True
    safe_fix = True

    def find(self, doc, ctx):
        text = doc.text
        for m in scan_quotes(doc, ctx):
            if not m.misplaced:
                continue
            start = m.pos - 2
            word = _WORD_AFTER.match(text, m.pos + 1)  # in place: no copy of the rest of the text
            end = word.end() if word else m.pos + 1
            suggestion = text[start] + m.char + " " + text[m.pos + 1:end]
            yield self.flag(
                doc, start, end,
                "closing quotation mark placed after the punctuation and the space, glued to the next word",
                suggestion=suggestion, confidence=0.95 if m.char != '"' else 0.85,
            )


#: The word a misplaced closing mark is glued to.
_WORD_AFTER = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*")


class UnbalancedQuotes(Detector):
    """A quotation mark without its partner: a quotation never closed, or closed but never opened.

    What it finds:
        Opening double quotation marks that no closing mark answers by the end of the
        document, and closing marks with no quotation open. The multi-paragraph convention
        is respected: a quotation continued into the next paragraph leaves the first
        paragraph unclosed and reopens the next one with an opening mark — that reopening
        mark is not a new quotation. Quotations that run over a paragraph break without
        reopening (common when a scraper or a translation engine split one paragraph into
        several) are accepted when they close later.

    Why it matters:
        A missing mark changes who says what: the reader cannot tell the quoted words from
        the reporter's.

    Example:
        ``He said “the deal is done. Turkey rejects this.`` (never closed) -> ``He said “the deal is done.” Turkey rejects this.``

    Known false positives:
        Straight ``"`` marks for inches or seconds after a digit are skipped; other unusual
        uses of ``"`` (ditto marks) can be read as quotation marks. A quotation left open
        and later closed in another paragraph is not reported.
    """

    name = "unbalanced-quotes"
    category = "quotes"
    severity = "warning"

    def find(self, doc, ctx):
        for m in scan_quotes(doc, ctx):
            if m.matched:
                continue
            if m.role == OPEN:
                yield self.flag(doc, m.pos, m.pos + 1, "opening quotation mark is never closed", confidence=0.8)
            else:
                yield self.flag(doc, m.pos, m.pos + 1, "closing quotation mark without an opening one", confidence=0.8)


class MixedQuoteStyle(Detector):
    """Straight and typographic double quotation marks mixed in one document.

    What it finds:
        A document that uses both straight ``"`` and typographic marks (``“ ”``, ``„ “``,
        ``« »``) for quotations: every mark of the less common style is flagged, with the
        matching mark of the dominant style as the suggestion (typographic wins a tie).
        Only in languages where straight quotes are an accepted house style (English,
        Turkish, German, French); in Russian, ``"`` is reported by ``foreign-quote-marks``.

    Why it matters:
        Mixed marks show text pasted from different sources or a translation engine that
        kept some of the source's marks; house style wants one.

    Example:
        ``“We discuss it,” he said. He called it a "unique platform".`` -> ``… a “unique platform”.``

    Known false positives:
        Quoted material reproduced verbatim (code, data) may keep straight quotes on purpose.
    """

    name = "mixed-quote-style"
    category = "quotes"
    severity = "info"
    fixable = True
    safe_fix = False  # straight -> typographic is a house-style choice: only on request

    def find(self, doc, ctx):
        lang = lang_base(doc.lang) or "en"
        if lang not in STRAIGHT_OK:
            return
        style = style_of(lang)
        marks = [m for m in scan_quotes(doc, ctx) if m.char not in style["foreign"]]
        straight = [m for m in marks if m.char == '"']
        curly = [m for m in marks if m.char != '"']
        if not straight or not curly:
            return
        minority = curly if len(curly) < len(straight) else straight
        open_mark, close_mark = style["pairs"][0]
        for m in minority:
            if m.char == '"':
                suggestion = open_mark if m.role == OPEN else close_mark
                message = f"straight quotation mark in a document that mostly uses typographic ones ({len(curly)} vs {len(straight)})"
            else:
                suggestion = '"'
                message = f"typographic quotation mark in a document that mostly uses straight ones ({len(straight)} vs {len(curly)})"
            if m.misplaced:
                continue  # quote-placement repairs it in place
            yield self.flag(doc, m.pos, m.pos + 1, message, suggestion=suggestion, confidence=0.7,
                            straight=len(straight), typographic=len(curly))


class ForeignQuoteMarks(Detector):
    """Quotation marks of another language's convention in the target text.

    What it finds:
        ``« »`` or ``„`` in English and Turkish; the English closing ``”`` (and ``“`` used
        as an opening mark) in German, Russian and Ukrainian; straight ``"`` in Russian and
        Ukrainian, where ``« »`` is the norm; ``„`` in French. German ``„…“`` and ``»…«``,
        Swiss ``«…»``, Russian nested ``„…“`` and French ``« … »`` are native and left alone.

    Why it matters:
        Machine translation and copy-paste keep the source's marks; the target's readers
        and house style expect their own.

    Example:
        ``the so-called «roadmap»`` (English) -> ``the so-called “roadmap”``
        ``компания "Росатом"`` -> ``компания «Росатом»``

    Known false positives:
        A text quoting foreign typography on purpose. Straight quotes in Russian are very
        common online and reported as info.
    """

    name = "foreign-quote-marks"
    category = "quotes"
    severity = "warning"
    fixable = True
    safe_fix = False

    def find(self, doc, ctx):
        lang = lang_base(doc.lang)
        if lang not in STYLES:
            return
        style = STYLES[lang]
        open_mark, close_mark = style["pairs"][0]
        name = language_name(lang)
        for m in scan_quotes(doc, ctx):
            foreign = m.char in style["foreign"]
            if m.char == "“" and lang in ("de", "ru", "uk") and m.role == OPEN:
                foreign = True  # English-style “…” in a language whose “ closes
            if m.char == "»" and lang == "fr" and m.role == OPEN or m.char == "«" and lang == "fr" and m.role == CLOSE:
                foreign = True  # reversed guillemets
            if not foreign:
                continue
            suggestion = open_mark if m.role == OPEN else close_mark
            straight = m.char == '"'
            yield self.flag(
                doc, m.pos, m.pos + 1,
                f"'{m.char}' is not {indefinite(name)} quotation mark here; {name} uses "
                f"{open_mark.strip()}…{close_mark.strip()}",
                suggestion=suggestion, confidence=0.6 if straight else 0.85,
                severity="info" if straight else None,
            )
