"""Invisible characters: controls, zero-width characters, stray BOMs, bidi controls, soft hyphens."""

from __future__ import annotations

import re
import unicodedata

import regex

from .. import chardata
from .base import Detector

#: The invisible characters, as (first, last) code point ranges.
RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0x200B, 0x200F), (0x202A, 0x202E),
          (0x2060, 0x2064), (0x2066, 0x2069), (0xFEFF, 0xFEFF), (0xAD, 0xAD), (0xFFF9, 0xFFFB))
INVISIBLE_CHARS = frozenset(chr(c) for a, b in RANGES for c in range(a, b + 1))
#: A run of invisible characters (``find`` gets the same spans from :func:`chardata.char_runs`).
INVISIBLE = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in RANGES) + "]+")
# Scripts where ZWNJ/ZWJ shape letters legitimately (Persian, Indic, …) and where
# LRM/RLM marks are ordinary punctuation (Arabic, Hebrew).
JOINER_CONTEXT = regex.compile(r"[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Malayalam}"
                               r"\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Gujarati}"
                               r"\p{Script=Gurmukhi}\p{Script=Sinhala}\p{Script=Hebrew}\p{Extended_Pictographic}"
                               r"\p{Emoji_Modifier}\uFE0F]")
WORD_CHAR = regex.compile(r"[\p{L}\p{M}]")

NAMES = {
    "\u00ad": "soft hyphen",
    "\ufeff": "byte-order mark",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
}


def describe(ch: str) -> str:
    cp = ord(ch)
    if ch in NAMES:
        name = NAMES[ch]
    elif cp < 0x20 or cp == 0x7F:
        name = "control character"
    elif 0x80 <= cp <= 0x9F:
        name = "C1 control character (often cp1252 mojibake)"
    elif 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069 or cp in (0x200E, 0x200F):
        name = "bidirectional control"
    else:
        name = unicodedata.name(ch, "invisible character").lower()
    return f"{name} U+{cp:04X}"


class InvisibleCharacter(Detector):
    """Invisible characters in the text: control characters, zero-width characters, stray BOMs, bidi controls, soft hyphens.

    What it finds:
        C0 controls other than tab and line breaks, C1 controls (U+0080–U+009F), zero-width
        spaces and joiners, word joiners, byte-order marks, bidirectional embedding,
        override and isolate controls, and soft hyphens inside words.

    Why it matters:
        They are invisible to the editor yet split words for search and spell-checking,
        break name matching (``Erdo\\u200bgan`` no longer matches ``Erdoğan``), can reorder
        what is displayed (bidi overrides, the "Trojan Source" trick) and usually betray
        copy-paste from a CMS or a PDF.

    Example:
        ``Erdo\\u200bgan`` -> ``Erdogan``; ``news\\u00adpaper`` -> ``newspaper``

    Known false positives:
        Zero-width (non-)joiners and direction marks are legitimate next to Arabic,
        Hebrew, Persian and Indic letters and inside emoji sequences: not flagged there.
        A soft hyphen between words (not inside one) is left alone.
    """

    name = "invisible-character"
    category = "encoding"
    severity = "warning"
    fixable = True
    safe_fix = True

    def could_fire(self, doc):
        return not INVISIBLE_CHARS.isdisjoint(doc.chars)

    def find(self, doc, ctx):
        text = doc.text
        for s, e in chardata.char_runs(text, INVISIBLE_CHARS & doc.chars):
            before = text[s - 1] if s else ""
            after = text[e] if e < len(text) else ""
            chars = text[s:e]
            if set(chars) <= {"\u200c", "\u200d", "\u200e", "\u200f"} and (
                JOINER_CONTEXT.match(before or " ") or JOINER_CONTEXT.match(after or " ")
            ):
                continue
            if chars == "\u00ad" and not (WORD_CHAR.match(before or " ") and WORD_CHAR.match(after or " ")):
                continue
            what = ", ".join(dict.fromkeys(describe(c) for c in chars))
            where = "at the start of the text" if s == 0 and chars[0] == "\ufeff" else "in the text"
            yield self.flag(doc, s, e, f"invisible {what} {where}", "", confidence=0.95,
                            codepoints=[f"U+{ord(c):04X}" for c in chars])
