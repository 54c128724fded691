"""Tables the names lexicon is built from: columns, statuses, languages, folding and key rules.

Everything here is data, compiled once at import; the modules next to it only read it.
"""

from __future__ import annotations

import regex

#: The columns of a names lexicon, in order; ``note`` is optional (free text, never matched).
COLUMNS = ("id", "type", "lang", "form", "status")
OPTIONAL_COLUMNS = ("note",)
STATUSES = ("canonical", "accepted", "variant")
TYPES = ("person", "org", "media", "company", "ministry", "place", "weapon", "party", "event")
#: ``id``: lower-case ASCII letters, digits and hyphens, starting with a letter.
ID_PATTERN = regex.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: ``lang``: an ISO 639-1 code.
LANG_PATTERN = regex.compile(r"[a-z]{2}")

#: Languages whose English renderings conventionally go through a Russian romanisation:
#: for entities native to these, a romanised Russian form is an accepted spelling. For any
#: other entity (a Turkish minister, an American diplomat, a Ukrainian place) a form that
#: exists only as a romanisation of its Russian rendering is a back-transliteration: wrong.
RUSSIAN_ROMANISATION_NATIVE = frozenset({"ru", "kk", "ky", "tg", "tt", "ba", "ce", "os", "mn", "cv"})

#: Extra per-language press folding applied before ASCII folding (anyascii). Each entry gives
#: a second, language-specific ASCII rendering (German ü -> ue) or fixes anyascii where the
#: press convention differs (Azerbaijani ə is written a: Əliyev -> Aliyev).
PRESS_FOLD = {
    "de": str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}),
    "az": str.maketrans({"ə": "a", "Ə": "A"}),
}

#: Russian renders a foreign h as г (Ибрагим = Ibrahim, Хулуси also х): the common press
#: back-transliteration keeps h. Applied to the Russian forms of non-Russian entities, as an
#: extra scheme named ``press-h``, on top of the 27 iuliia schemes.
PRESS_H = str.maketrans({"г": "h", "Г": "H"})

#: Ukrainian national romanisation (Cabinet of Ministers resolution 55, 2010): letter -> (word-
#: initial, elsewhere). ``зг`` is written ``zgh``; the soft sign and apostrophe are dropped.
UKRAINIAN_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ye", "ie"),
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"), "й": ("y", "i"), "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("yu", "iu"),
    "я": ("ya", "ia"), "'": "", "’": "", "ʼ": "",
}
#: Languages romanised with the Ukrainian table rather than the Russian schemes.
UKRAINIAN_LANGS = frozenset({"uk"})
#: The iuliia scheme for Uzbek Cyrillic; the other schemes are Russian ones.
UZBEK_SCHEME = "uz"

#: Length-preserving case and punctuation folding for matching: every character maps to
#: exactly one character, so offsets in the folded text are offsets in the original.
#: (``İ`` is the only character whose lower-case form is longer; it folds to ``i``.)
MATCH_FOLD = str.maketrans({
    "İ": "I", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "’": "'", "ʼ": "'", "‘": "'", "ё": "е", "Ё": "Е",
})

#: Transliteration key: rewrite rules applied in order to an ASCII-folded, lower-cased name
#: so that spellings transliteration alone separates share one key (Ermakov / Yermakov,
#: Kalyn / Kalin, Sergei / Sergey / Sergej, Zelensky / Zelenskyy / Zelenskiy).
KEY_RULES = [(regex.compile(p), r) for p, r in (
    (r"[^a-z ]+", ""),          # apostrophes, soft-sign marks, hyphens, digits
    (r"shch|sch|shh", "s"),
    (r"dzh|dj|dž", "j"),
    (r"kh", "h"),
    (r"ch", "c"),               # Turkish ç, Russian ч: Çavuşoğlu / Chavushoglu
    (r"zh", "j"),
    (r"tsch|tch|tz|ts|cz", "c"),
    (r"sh", "s"),
    (r"ph", "f"),
    (r"w", "v"),
    (r"q", "k"),
    (r"x", "ks"),
    (r"j", "y"),
    (r"y", "i"),
    (r"\bie|(?<=[aeiou])ie", "e"),  # Yermakov / Ermakov, Andreyev / Andreev
    (r"io|ie", "e"),            # Pyotr / Petr, Fyodor / Fedor
    (r"ou", "u"),               # French-style romanisation (Choigou)
    (r"(.)\1+", r"\1"),         # doubled letters
    (r"\s+", " "),
)]

#: A word of a name in the text: letters and marks, with inner apostrophes or hyphens.
NAME_WORD = regex.compile(r"[\p{Lu}][\p{L}\p{M}]*(?:['’\-][\p{L}\p{M}]+)*")
#: A word that mixes Latin and Cyrillic letters (a glitch such as ``тируетafak``).
MIXED_WORD = regex.compile(
    r"(?<![\p{L}\p{M}])(?=[\p{L}\p{M}]*\p{Script=Latin})(?=[\p{L}\p{M}]*\p{Script=Cyrillic})[\p{L}\p{M}]+"
)
#: UTF-8 read as cp1252/latin-1: a lead character (bytes C2–DF) and a continuation (80–BF).
MOJIBAKE_PAIR = regex.compile(
    "[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
#: Cyrillic letters that look like Latin ones (homoglyphs), for repairing a mixed word.
CYRILLIC_HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j",
    "ѕ": "s", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
})
#: English possessive endings stripped from a name word.
POSSESSIVE = regex.compile(r"['’]s?$")
