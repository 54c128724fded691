"""Character data for the ``mojibake`` and ``lost-character`` detectors, built once at import.

Mojibake is text whose bytes were decoded with the wrong codec. The common case is UTF-8
read as Windows-1252 (or Latin-1): every non-ASCII character turns into two to four
characters, a *lead* (the codec's reading of byte C2–F4) followed by *continuations*
(bytes 80–BF). The same holds for UTF-8 read as Windows-1251 (``РґРѕСЂРѕРіРµ``). Other
mix-ups are single-byte to single-byte: Turkish Windows-1254 read as Windows-1252
(``yýldönümü``) and Russian Windows-1251 read as Windows-1252 (``Ìèíèñòð``).

Everything here is derived from the Python codecs (no hand-typed code pages), so the
tables are exactly the codecs' and can be checked against them.
"""

from __future__ import annotations

import re
import unicodedata


def _decode_byte(b: int, encoding: str) -> str:
    """One byte in a single-byte codec; undefined bytes pass through as U+0080+ (like ftfy's sloppy codecs)."""
    try:
        return bytes([b]).decode(encoding)
    except UnicodeDecodeError:
        return chr(b)


def _byte_map(encoding: str) -> dict[str, int]:
    """char -> byte for the high half (80–FF) of a single-byte codec (sloppy: undefined bytes map to U+0080+)."""
    return {_decode_byte(b, encoding): b for b in range(0x80, 0x100)}


# -- UTF-8 read as a single-byte code page ---------------------------------------------------------

#: char -> byte for "UTF-8 read as Windows-1252 or Latin-1": Windows-1252 plus the C1 controls
#: that Latin-1 produces for 80–9F (``Ecuadorâ\\x80\\x99s``), so mixed runs decode in one go.
BYTES_1252: dict[str, int] = {**{chr(b): b for b in range(0x80, 0xA0)}, **_byte_map("cp1252")}
#: char -> byte for "UTF-8 read as Windows-1251".
BYTES_1251: dict[str, int] = _byte_map("cp1251")


def _chars(table: dict[str, int], lo: int, hi: int) -> str:
    return "".join(sorted(ch for ch, b in table.items() if lo <= b < hi))


def _cls(chars: str) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


class View:
    """How one code page shows UTF-8 bytes: lead and continuation characters, a run regex."""

    def __init__(self, name: str, label: str, table: dict[str, int], lead3: str | None = None):
        self.name = name
        self.label = label
        self.table = table
        self.lead2 = _chars(table, 0xC2, 0xE0)
        self.lead3 = lead3 if lead3 is not None else _chars(table, 0xE0, 0xF0)
        self.lead4 = _chars(table, 0xF0, 0xF5) if lead3 is None else ""
        self.cont = _chars(table, 0x80, 0xC0)
        c = _cls(self.cont)
        units = [f"[{_cls(self.lead2)}][{c}]", f"[{_cls(self.lead3)}][{c}]{{2}}"]
        if self.lead4:
            units.append(f"[{_cls(self.lead4)}][{c}]{{3}}")
        #: a maximal run of well-formed UTF-8 units in this view
        self.run = re.compile("(?:" + "|".join(units) + ")+")

    def encode(self, s: str) -> bytes:
        return bytes(self.table[ch] for ch in s)


#: UTF-8 read as Windows-1252/Latin-1 (``Ã‡avuÅŸoÄŸlu``, ``doesnâ€™t``).
VIEW_1252 = View("windows-1252", "Windows-1252", BYTES_1252)
#: UTF-8 read as Windows-1251 (``РґРѕСЂРѕРіРµ``, ``вЂ™``). Among its three-byte leads only ``в``
#: (byte E2, punctuation) and ``п`` (EF: ligatures ``п¬Ѓ`` = ﬁ, ``пїЅ`` = U+FFFD) are common in
#: mojibake; ``и``/``з``… as leads would be CJK, rare here and a source of false alarms in
#: Ukrainian, so they are left to ftfy.
VIEW_1251 = View("windows-1251", "Windows-1251", BYTES_1251, lead3="вп")
VIEWS = (VIEW_1252, VIEW_1251)

#: Continuation characters that legitimately follow a capital letter (or ``×``) at the end of a
#: word: closing quotes, dashes, ellipsis, trade marks, a no-break space. ``NESTLÉ®``, ``VOCÊ…``,
#: ``ZZAJÉ’s``, ``4288×…``, ``SELKÄ\\xa0``. A lone unit like that is only evidence when a word list
#: confirms the repair.
WEAK_CONT = frozenset("’‘“”„‚…–—•·«»®™©°\xa0¡¿´¨¸")
#: In the Windows-1251 view the continuations also include ordinary Cyrillic letters
#: (Ukrainian ``і ї є ґ``, Russian ``ё``, Serbian/Macedonian ``ђ ј љ њ ћ ќ џ ѓ ѕ``), so a capital
#: followed by one of them (``Рівне``, ``Её``) is ordinary text.
WEAK_CONT_1251 = WEAK_CONT | frozenset(ch for ch in VIEW_1251.cont if unicodedata.category(ch).startswith("L"))

#: ``Ã``/``Г`` + space: ``à`` whose byte A0 was turned into a space (``voilÃ le``, ``Г l’ouest``).
A_GRAVE_SPACE = re.compile(r"(?:(?<=[a-zà-ÿ'’])|(?<![^\s(\"“«]))([ÃГ]) ( ?)(?=[a-zà-ÿ])")

#: Latin-1 C1 controls left alone; between letters they are usually Mac Roman letters read as
#: Latin-1 (``Coatl\\x87n`` = Coatlán), elsewhere Windows-1252 punctuation (``\\x93`` = “).
A_GRAVE_JOINED = re.compile(r"(?:quel[ae]s?|quilo)\b|s(?= )")
C1 = re.compile("[\x80-\x9f]")
C1_AS_1252 = {chr(b): _decode_byte(b, "cp1252") for b in range(0x80, 0xA0)}
C1_AS_MACROMAN = {chr(b): bytes([b]).decode("mac_roman") for b in range(0x80, 0xA0)}


# -- single-byte mix-ups --------------------------------------------------------------------------

#: Turkish Windows-1254 read as Windows-1252/Latin-1: the six code points where they differ in
#: letters. ftfy does not handle this (it is not UTF-8).
TURKISH_1254 = str.maketrans("ýþðÝÞÐ", "ışğİŞĞ")
TURKISH_CHARS = "ýþðÝÞÐ"
TURKISH_CLUE = re.compile(f"[{TURKISH_CHARS}]")
#: Languages that write ``ý þ ð`` natively: a word there is not Turkish mojibake.
YTHORN_LANGS = ("is", "cs", "sk", "vi")

#: Russian (or Ukrainian, Bulgarian) Windows-1251 read as Windows-1252: every Cyrillic letter
#: becomes a Latin-1 letter or sign (``Ìèíèñòð`` = Министр). A word made only of them is suspect.
CYR_AS_1252_CHARS = "".join(sorted({_decode_byte(b, "cp1252") for b in range(0xC0, 0x100)} | set("¨¸³²¿¯ºª´¥")))
CYR_AS_1252_WORD = re.compile(f"(?<![\\w])[{_cls(CYR_AS_1252_CHARS)}]+(?![\\w])")


# -- other code pages, left to ftfy ----------------------------------------------------------------

#: UTF-8 read as Mac Roman, code page 437, Windows-1250/1253/1257 or ISO-8859-2 (``√©``,
#: ``ß║┐``, ``Ă¨``): lead/continuation pairs of each of those views. Common punctuation, the
#: lower-case leads of three-byte sequences (``ęż`` is Polish, not mojibake) and Greek or
#: Cyrillic letters are left out as leads, except ``ß`` (code page 437), ``ƒ`` (Mac Roman,
#: ``Rƒ´ga``) and the Greek capitals that Windows-1253 shows for bytes C2–C5, CE, CF; ftfy
#: decides on what this finds.
_OTHER_ENCODINGS = ("cp1250", "iso-8859-2", "cp1257", "cp1253", "mac_roman", "cp437")
_COMMON = set("’“”‘–—…«»\xa0·")
_GREEK_LEADS = set("ΒΓΔΕΞΟ")


def _other_pairs() -> list[tuple[str, str]]:
    pairs = []
    for enc in _OTHER_ENCODINGS:
        # C2–DF, plus E1 (Vietnamese, ``ß║`` in code page 437) and E2 (punctuation)
        leads = {_decode_byte(b, enc) for b in range(0xC2, 0xE0)} | {_decode_byte(0xE1, enc), _decode_byte(0xE2, enc)}
        leads = {
            c for c in leads - _COMMON
            if ord(c) >= 0xA0 and (c in "ßƒ" or c in _GREEK_LEADS
                                   or (not (c.isalpha() and c.islower()) and script_of(c) not in ("Greek", "Cyrillic")))
        }
        conts = {_decode_byte(b, enc) for b in range(0x80, 0xC0)}
        pairs.append(("".join(sorted(leads)), "".join(sorted(conts))))
    return pairs


def script_of(ch: str) -> str:
    """A coarse script name for a letter (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, other)."""
    cp = ord(ch)
    if cp < 0x250 or 0x1E00 <= cp < 0x1F00:
        return "Latin"
    if 0x370 <= cp < 0x400 or 0x1F00 <= cp < 0x2000:
        return "Greek"
    if 0x400 <= cp < 0x530:
        return "Cyrillic"
    if 0x530 <= cp < 0x590:
        return "Armenian"
    if 0x590 <= cp < 0x600:
        return "Hebrew"
    if 0x600 <= cp < 0x700:
        return "Arabic"
    return "other"


OTHER_VIEWS = _other_pairs()
OTHER_LEADS = "".join(sorted({c for leads, _ in OTHER_VIEWS for c in leads}))
#: A lead/continuation pair of one of those views.
OTHER_PAIR = re.compile("|".join(f"[{_cls(l)}][{_cls(c)}]" for l, c in OTHER_VIEWS))
#: Anything that may be UTF-8 mojibake (as opposed to the single-byte mix-ups).
UTF8_CLUE = re.compile(
    f"[{_cls(VIEW_1252.lead2 + VIEW_1252.lead3 + VIEW_1252.lead4)}][{_cls(VIEW_1252.cont)}\ufffd ]"
    f"|[{_cls(VIEW_1251.lead2 + VIEW_1251.lead3)}][{_cls(VIEW_1251.cont)} ]|[\x80-\x9f]|" + OTHER_PAIR.pattern
)


# -- the prescreen ---------------------------------------------------------------------------------

def _prescreen() -> tuple[re.Pattern[str], frozenset[str]]:
    """One regex over the whole text that finds every place worth a closer look, and its first characters.

    It starts with a single character class (so ``re`` scans fast, ~200 MB/s on English news)
    and checks what follows by a look-behind on that first character: a lead followed by the
    continuations of the same view (two after a three-byte lead), ``Ã``/``Ð``… before a space,
    a run of three Latin-1 letters (Windows-1251 read as 1252), a lone C1 control. In the
    Windows-1251 view a capital followed by a Cyrillic letter (``Рі``, ``ИЈ``) counts only when
    another unit follows (``РґРѕ``): Ukrainian and Macedonian are full of the former. A Turkish
    letter read as Windows-1252 (``ý þ ð``) matches alone, as the last alternative.
    """
    v1, v2 = VIEW_1252, VIEW_1251
    first = set(v1.lead2 + v1.lead3 + v1.lead4 + v2.lead2 + v2.lead3 + OTHER_LEADS)
    first |= set(CYR_AS_1252_CHARS) | set("ÂÃÅÎÐÙГР") | set(C1_AS_1252) | set(TURKISH_CHARS)
    c1, c2 = _cls(v1.cont), _cls(v2.cont)
    c2_letters = _cls("".join(c for c in v2.cont if c.isalpha() and script_of(c) == "Cyrillic"))
    c2_other = _cls("".join(c for c in v2.cont if not (c.isalpha() and script_of(c) == "Cyrillic")))
    tails = [
        f"(?<=[{_cls(v1.lead2)}])[{c1}\ufffd]",
        f"(?<=[{_cls(v1.lead3 + v1.lead4)}])[{c1}][{c1}?\ufffd]",
        f"(?<=[{_cls(v2.lead2)}])(?:[{c2_other}]|[{c2_letters}][{_cls(v2.lead2)}][{c2}])",
        f"(?<=[{_cls(v2.lead3)}])[{c2}]{{2}}",
        *(f"(?<=[{_cls(l)}])[{_cls(c)}\ufffd]" for l, c in OTHER_VIEWS),
        "(?<=[ÂÃÅÎÐÙГР]) ",
        f"(?<=[{_cls(CYR_AS_1252_CHARS)}])[{_cls(CYR_AS_1252_CHARS)}]{{2}}",
        f"(?<=[{_cls(''.join(C1_AS_1252))}])",
        f"(?<=[{TURKISH_CHARS}])",  # last: the Turkish letters alone (skipped for Icelandic …)
    ]
    return re.compile(f"[{_cls(''.join(first))}](?:" + "|".join(tails) + ")"), frozenset(first)


#: ``PRESCREEN_FIRST`` is the set of characters a :data:`PRESCREEN` match starts with.
PRESCREEN, PRESCREEN_FIRST = _prescreen()

#: Token boundaries: ASCII whitespace only (a no-break space can be part of a UTF-8 sequence).
SPACE = " \t\n\r\f\v"


# -- what a decoded character may plausibly be ------------------------------------------------------

#: Three-byte ranges that a repair may produce (U+0800–U+FFFF): punctuation, symbols, CJK,
#: Hangul, Indic, fullwidth forms, ligatures … but not Coptic, Glagolitic, Tifinagh, CJK
#: radicals, rare scripts of U+A000–U+ABFF or private use.
_PLAUSIBLE_3BYTE = ((0x0900, 0x1FFF), (0x2000, 0x2BFF), (0x2E00, 0x2E7F), (0x3000, 0x9FFF),
                    (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFB00, 0xFFFD))


def plausible_char(ch: str) -> bool:
    """Whether ``ch`` is a character real text is likely to contain after a repair.

    UTF-8 misread as 1252 decodes to U+0080–U+07FF for two-byte units; of those, the IPA
    block, spacing modifiers, rare combining marks, archaic Cyrillic, Hebrew points, Syriac,
    Thaana and N'Ko are what legitimate text (``NESTLÉ®`` -> ``NESTLɖ``, ``PÍŠTE`` -> ``P͊TE``)
    would "repair" into.
    """
    cp = ord(ch)
    if cp < 0xA0:
        return cp >= 0x20 and cp != 0x7F
    if cp < 0x250:
        return True
    if cp < 0x300:
        return cp == 0x2BC or 0x2C6 <= cp <= 0x2DD
    if cp < 0x370:
        return cp <= 0x338  # accents and overlays; context is checked by the caller
    if cp < 0x400:
        return unicodedata.category(ch) != "Cn"
    if cp < 0x460:
        return True
    if cp < 0x490:
        return False  # archaic Cyrillic
    if cp < 0x530:
        return cp < 0x500
    if cp < 0x590:
        return unicodedata.category(ch) != "Cn"  # Armenian: checked for context by the caller
    if cp < 0x5D0:
        return False
    if cp < 0x600:
        return 0x5D0 <= cp <= 0x5EA or 0x5F0 <= cp <= 0x5F4
    if cp < 0x700:
        return unicodedata.category(ch) != "Cn"
    if cp < 0x900:
        return False
    if cp >= 0x10000:
        return 0x1F000 <= cp <= 0x1FAFF or 0x20000 <= cp <= 0x3134F
    return (any(lo <= cp <= hi for lo, hi in _PLAUSIBLE_3BYTE)
            and unicodedata.category(ch) not in ("Cn", "Co", "Cs", "Cc"))


#: Languages whose word lists confirm a repaired word, by the repaired word's script.
CONFIRM_LANGS = {
    "Latin": ("en", "tr", "de", "fr", "es", "pt", "it", "pl", "cs", "ro", "da", "sv", "nl"),
    "Cyrillic": ("ru", "uk", "bg", "mk"),
    "Greek": ("el",),
    "Hebrew": ("he",),
    "Arabic": ("ar", "fa"),
}


# -- lost characters ---------------------------------------------------------------------------------

#: Letters that a lost character may have been, by language (ASCII letters always count).
LOST_ALPHABET = {
    "tr": "çğıöşüâîûÇĞİÖŞÜ",
    "de": "äöüßÄÖÜ",
    "fr": "àâæçéèêëîïôœùûüÿÀÂÇÉÈÊÎÔ",
    "es": "áéíóúñüÁÉÍÓÚÑ",
    "pt": "áâãàçéêíóôõúÁÂÃÀÇÉÊÍÓÔÕÚ",
    "it": "àèéìòùÀÈÉÌÒÙ",
    "pl": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
    "cs": "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",
    "ro": "ăâîșțĂÂÎȘȚ",
    "hu": "áéíóöőúüűÁÉÍÓÖŐÚÜŰ",
    "az": "çəğıöşüÇƏĞİÖŞÜ",
}
#: When the document language is unknown (or has no entry): the languages of this corpus.
LOST_DEFAULT_LANGS = ("en", "tr", "de", "fr", "es")
CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐ"
