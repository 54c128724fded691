"""Data of the bilingual rules: expected length ratios, number formats, markup patterns.

Everything here is compiled once at import. The rules themselves live in the
``bilingual_*.py`` modules beside this one; the shared per-document analysis (source
segmentation, sentence alignment) in :mod:`.bilingual_align`.
"""

from __future__ import annotations

from decimal import Decimal

import regex

# -- length ratios -----------------------------------------------------------------------------
#: Expected ratio of target characters to source characters, per (source, target) pair.
#: Measured on the parallel texts of tests/fixtures/bilingual/ (news prose; see docs/bilingual.md)
#: and rounded; a pair not listed is derived from :data:`CHARS_PER_UNIT` (the relative length of
#: the same content in each language, English = 1.0).
CHARS_PER_UNIT = {
    "en": 1.00, "ru": 1.08, "uk": 1.06, "bg": 1.06, "tr": 1.02, "de": 1.12, "fr": 1.14,
    "es": 1.12, "it": 1.10, "pt": 1.10, "pl": 1.08, "nl": 1.08, "az": 1.04, "kk": 1.10,
}
PAIR_RATIO = {
    ("ru", "en"): 0.92, ("en", "ru"): 1.09,
    ("tr", "en"): 1.00, ("en", "tr"): 1.00,
    ("ru", "tr"): 0.94, ("tr", "ru"): 1.06,
}
#: Gale & Church's variance of target length per source character (their 6.8, widened for pairs
#: of different scripts, whose lengths vary more).
LENGTH_VARIANCE = 6.8
CROSS_SCRIPT_VARIANCE = 9.0


def expected_ratio(source_lang: str | None, target_lang: str | None) -> float:
    """Target characters per source character expected for a language pair (1.0 when unknown)."""
    s, t = (source_lang or "").split("-")[0], (target_lang or "").split("-")[0]
    if (s, t) in PAIR_RATIO:
        return PAIR_RATIO[(s, t)]
    if s in CHARS_PER_UNIT and t in CHARS_PER_UNIT:
        return round(CHARS_PER_UNIT[t] / CHARS_PER_UNIT[s], 3)
    return 1.0


# -- numbers ---------------------------------------------------------------------------------------
#: A number: a date, a time, a grouped or plain number, then an optional scale word or suffix.
#: It may not start inside a word (``G20``, ``H2O`` are names, not quantities), except right
#: after the ``x`` of a dimension (``70x200``).
NUMBER = regex.compile(
    r"""(?x)
    (?:(?<![\p{L}\p{N}_\-.,/])|(?<=\d\s?[xXхХ×*]\s?)|(?<=[\p{L}\d][\-–]))
    (?:
      (?P<date>\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2}))(?![\d.,]\d)
     |(?P<time>\d{1,2}:\d{2})(?![\d:])
     |(?P<num>
         \d{1,3}(?P<sep>[,.\u00a0\u202f\u2009\ '’])\d{3}(?!\d)(?:(?P=sep)\d{3}(?!\d))*(?:[.,]\d+)?
        |\d+(?:[.,]\d+)?
      )
    )
    (?P<tail>
       (?:\s?(?P<scale>
          тыс(?:\.|яч\w*)?|млн\.?|миллион\w*|млрд\.?|миллиард\w*|трлн\.?|триллион\w*
         |thousands?|millions?|billions?|trillions?|bn|mn
         |bin|milyon\w*|milyar\w*|trilyon\w*
         |Tsd\.?|Mio\.?|Mrd\.?|mille|milliers?|milliards?
       )(?![\p{L}]))
      |(?P<k>k)(?![\p{L}])
      |(?P<decade>-?(?:х|е|ые|ых|s)(?![\p{L}])|'s)
    )?
    """
)
#: What joins the two ends of a range whose scale word follows the second (``56 to 67 million``).
RANGE_JOIN = regex.compile(r"\s*(?:[-–—]|\s(?:to|and|or|до|и|или|ile|ve|veya|bis|à)\s)\s*")
#: Runs of digits, and any scale word (for the number rule's cheapest screen).
DIGITS = regex.compile(r"\d+")
SCALE_WORD = regex.compile(
    r"(?i)(?<=\d\s?)(?:тыс|млн|млрд|трлн|миллион|миллиард|триллион|thousand|million|billion|trillion|bn|mn|k\b"
    r"|bin\b|milyon|milyar|trilyon|tsd|mio|mrd|mille|milliard)|(?<=[$€£₺₽¥]\s?\d+(?:[.,]\d+)?)m\b"
    r"|\d\s?-?(?:х|е|ые|ых|s)\b")
SCALE = {
    "тыс": 3, "тысяч": 3, "thousand": 3, "bin": 3, "tsd": 3, "mille": 3, "millier": 3, "k": 3,
    "млн": 6, "миллион": 6, "million": 6, "mn": 6, "milyon": 6, "mio": 6,
    "млрд": 9, "миллиард": 9, "billion": 9, "bn": 9, "milyar": 9, "mrd": 9, "milliard": 9,
    "трлн": 12, "триллион": 12, "trillion": 12, "trilyon": 12,
}
#: ``$2m``, ``£3m``: an attached ``m`` is millions only after a currency sign (else metres).
CURRENCY_M = regex.compile(r"(?<=[$€£₺₽¥]\s?\d+(?:[.,]\d+)?)m(?![\p{L}\p{N}])")


def scale_of(word: str) -> int:
    """Power of ten a scale word stands for (``тыс.`` -> 3, ``billions`` -> 9), 0 if none."""
    w = word.lower().rstrip(".")
    if w in SCALE:
        return SCALE[w]
    for stem, power in SCALE.items():
        if len(stem) >= 3 and w.startswith(stem):
            return power
    return 0


#: Words for small numbers, per language: a source digit may be spelled out in the target
#: (``2`` -> ``two``). Only consulted when a number found no digit counterpart.
NUMBER_WORDS: dict[str, int] = {}
for _lang_words in (
    # English
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty",
    # Turkish
    "sıfır bir iki üç dört beş altı yedi sekiz dokuz on on_bir on_iki on_üç on_dört on_beş on_altı "
    "on_yedi on_sekiz on_dokuz yirmi",
):
    for _i, _w in enumerate(_lang_words.split()):
        NUMBER_WORDS.setdefault(_w.replace("_", " "), _i)
NUMBER_WORDS.update({
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "dozens": 12, "half": 0, "twice": 2, "once": 1,
    "otuz": 30, "kırk": 40, "elli": 50, "altmış": 60, "yetmiş": 70, "seksen": 80, "doksan": 90, "yüz": 100,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
    "birinci": 1, "ikinci": 2, "üçüncü": 3, "dördüncü": 4, "beşinci": 5,
})
#: Russian number words by stem (they decline): ``двух`` -> 2, ``пятью`` -> 5.
RU_NUMBER_STEMS = (
    ("ноль", 0), ("нол", 0), ("один", 1), ("одн", 1), ("перв", 1), ("два", 2), ("две", 2), ("двух", 2),
    ("двум", 2), ("втор", 2), ("три", 3), ("трех", 3), ("трёх", 3), ("трем", 3), ("трет", 3),
    ("четыр", 4), ("четвер", 4), ("пят", 5), ("шест", 6), ("сем", 7), ("седьм", 7), ("восем", 8),
    ("восьм", 8), ("девят", 9), ("десят", 10), ("одиннадцат", 11), ("двенадцат", 12),
    ("двадцат", 20), ("тридцат", 30), ("сорок", 40), ("пятьдесят", 50), ("сто", 100), ("сотн", 100),
    ("дважды", 2), ("полтор", 1), ("пол", 0),
)
WORD = regex.compile(r"\p{L}+")
#: Alignment anchors: numbers and capitalised words (names travel across languages).
ANCHOR = regex.compile(r"(?<![\p{L}\p{N}])(?:\d+|\p{Lu}\p{Ll}{2,})")
VOWELS = regex.compile(r"[aeiouy]")
CYRILLIC = regex.compile(r"\p{Script=Cyrillic}+")
LETTER = regex.compile(r"\p{L}+")

#: Month names (and their inflected stems) -> month number: a source date ``19.03`` may
#: become ``March 19``.
MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
):
    for _i, _w in enumerate(_names.split()):
        MONTHS.setdefault(_w, _i + 1)
RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
                  "октябр", "ноябр", "декабр")
RU_MONTH = regex.compile(r"(?i)^(?:январ|феврал|март|апрел|ма[йяею]$|июн|июл|август|сентябр|октябр|ноябр|декабр)")


def month_of(word: str) -> int:
    """Month number of a month name in any known language (0 if the word is not one)."""
    w = word.lower()
    got = MONTHS.get(w)
    if got:
        return got
    if "а" <= w[:1] <= "я":
        m = RU_MONTH.match(w)
        if m:
            stem = m.group().rstrip("йяею") if m.group().startswith("ма") else m.group()
            return RU_MONTH_STEMS.index(stem) + 1
        return 0
    # Turkish case suffixes after an apostrophe or directly (Mart'ta, martta)
    base = w.split("'")[0].split("’")[0]
    if base != w:
        return MONTHS.get(base, 0)
    return 0


def number_word_value(word: str) -> int | None:
    """Value of a number word (``two``, ``iki``, ``двух``), None if the word is not one."""
    w = word.lower()
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    if "а" <= w[:1] <= "я" or w[:1] == "ё":
        for stem, value in RU_NUMBER_STEMS:
            if w.startswith(stem) and len(w) - len(stem) <= 3:
                return value
    return None


def decimal(text: str) -> Decimal:
    return Decimal(text)


# -- markup ------------------------------------------------------------------------------------------
#: Kinds of markup tokens, in matching order: a token matched by an earlier kind is not
#: matched again by a later one. Each has a strict pattern (what a well-formed token looks
#: like) and a loose one (what a mangled one looks like in a translation: ``{ 0 }``, ``% s``).
MARKUP = {
    "placeholder": regex.compile(
        r"""(?x)
        \{\{\s*[\w.\-]+\s*\}\}              # {{name}}
      | \$\{[\w.\-]+\}                      # ${name}
      | \{[\w.\-:]*\}                       # {0} {name} {} {0:d}
      | (?<!\d)%(?:\d+\$)?[-+0#]?\d*(?:\.\d+)?[sdifuxXegc@](?![\p{L}])   # %s %d %1$s %.2f
      | %\([\w]+\)[sdif]                   # %(name)s
      | \#[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\#   # #PRS_ORG#
      | \[\[?[A-Z_]{2,}\]?\]                # [NAME] [[NAME]]
        """
    ),
    "tag": regex.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[\w:\-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"),
    "url": regex.compile(r"(?i)(?:https?://|ftp://|www\.)[^\s<>\"'«»“”()\[\]]+[^\s<>\"'«»“”()\[\].,;:!?]"),
    "email": regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])"),
    "hashtag": regex.compile(r"(?<![\w&#/])#[\p{L}_][\p{L}\p{N}_]*"),
    "handle": regex.compile(r"(?<![\w.@/])@[A-Za-z0-9_]{2,15}(?![\w@.]*\.[A-Za-z])"),
}
#: A kind's pattern runs only on a text holding one of these.
MARKUP_TRIGGERS = {
    "placeholder": ("{", "%s", "%d", "%(", "%1", "%2", "%.", "%i", "%f", "%@", "#", "["),
    "tag": ("<",), "url": ("://", "www."), "email": ("@",), "hashtag": ("#",), "handle": ("@",),
}
#: Mangled forms of the same kinds, looked for in the target only.
MARKUP_LOOSE = {
    "placeholder": regex.compile(
        r"""(?x)
        \{\{?\s*[\w.\-]+\s*\}?\}            # { 0 } {{ name }
      | (?<!\d\s?)%\s+[sd](?![\p{L}])       # % s
      | %\s*\(\s*\w+\s*\)\s*[sdif]          # % (name) s
      | \#\s*[A-Z][A-Z0-9]*(?:[_\s]+[A-Z0-9]+)+\s*\#   # # PRS ORG #
        """
    ),
    "tag": regex.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*[^<>\n]{0,200}?/?\s*>"),
}
#: How tokens of each kind compare: tags by name and direction, e-mails and hashtags without case.
MARKUP_KIND_LABEL = {
    "placeholder": "placeholder", "tag": "tag", "url": "URL", "email": "e-mail address",
    "hashtag": "hashtag", "handle": "handle",
}
TAG_NAME = regex.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)\s*>")
