"""Mixed-script words: Latin mixed with Cyrillic or Greek letters inside one word."""

from __future__ import annotations

import regex

from .. import chardata
from .base import Detector
from .script_data import (
    CYRILLIC_GREEK_CHARS,
    CYRILLIC_GREEK_RUN,
    GREEK_SYMBOLS,
    RARE_RUNS,
    ROMAN_NUMERAL,
    ScriptContext,
    cyrillic_reading,
    lookalike,
    part_bounds,
    repair,
    script_counts,
    script_of,
    transliterate,
)

#: Above this many Cyrillic/Greek runs a document is written in those scripts: its Latin
#: runs (the rarer ones) are scanned instead.
RUN_LIMIT = 400
#: A lone letter of the majority script (what a Cyrillic-majority sentence in a Latin
#: document may hold): the part around one letter, digits allowed.
LONE_LETTER = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{N}*(?:(?=\p{L})[\p{Latin}\p{Cyrillic}\p{Greek}])\p{M}*\p{N}*(?![\p{L}\p{M}\p{N}])")
#: Lower-case Latin letters that stand for one-letter Cyrillic (or Greek) words:
#: с, о, а, у, е, р (``100 p.``) — and Greek ο, α.
LATIN_FOR_SHORT_WORD = frozenset("aceopy")
#: Units written with a Greek letter in any script's text.
UNIT = regex.compile(r"[μµ](?:m|g|l|L|s|A|V|W|F|mol|Pa|Sv|Gy)\Z|[kMGmμ]?[Ω\u2126]\Z")
DESIGNATION_AFTER = regex.compile(r"[-\u2010\u2011]\d")


class MixedScript(Detector):
    """A word mixing Latin with Cyrillic or Greek letters, or a lone letter of the other script.

    What it finds:
        Words whose letters come from two scripts (``Blinkеn`` with a Cyrillic ``е``,
        ``WНO``, ``тируетafak``; in Russian text ``Tо``, ``титанP``); a look-alike letter of
        the other script between digits (``105х195`` with Cyrillic ``х``); and a lone letter
        of the other script standing in a sentence (the Cyrillic initial in
        ``В. K. Arsenyev``, a Latin ``c`` for the Russian preposition ``с``). The repair
        replaces each stray letter with its look-alike in the word's script (Unicode
        confusables data); when both directions are possible, the sentence's majority
        script wins. A Cyrillic initial in Latin text is romanised (``В.`` -> ``V.``), and a
        designation such as ``Cу-35`` is read as Cyrillic and romanised (``Su-35``).

    Why it matters:
        The word looks right but is not: search, spell-checking, name matching and
        sorting all fail on it, and a run of the wrong script (``тирует``) usually means
        a machine-translation or OCR accident that lost the real word.

    Example:
        ``Anthony Blinkеn`` (Cyrillic е) -> ``Anthony Blinken``
        ``Tо есть`` (Latin T) -> ``То есть``
        ``by В. K. Arsenyev`` -> ``by V. K. Arsenyev``

    Known false positives:
        Not flagged: whole words in another script, hyphenated compounds of single-script
        parts (``USB-порты``, ``PDF-файл``), URLs, e-mail addresses, hashtags and handles,
        Greek letters used as symbols in Latin text (``α-helix``, ``β-blocker``, ``Δ``,
        ``μm``, ``NF-κB``), Latin ``x`` between digits in Cyrillic text (``1920x1080``), and
        capital Latin letters used as labels in Cyrillic text (``витамин C``, ``план B``).
        A Latin capital before a full stop at the start of a Cyrillic sentence is read
        as an initial and may be a label ending the previous thought. Brand names that
        mix scripts on purpose are flagged.
    """

    name = "mixed-script"
    category = "script"
    severity = "error"
    fixable = True
    #: `audit normalise` applies a repair by default only when the word has exactly one
    #: single-script look-alike reading (confidence 0.95).
    safe_fix = True
    safe_fix_min_confidence = 0.95

    def could_fire(self, doc):
        # every finding involves a Cyrillic or Greek letter
        return not CYRILLIC_GREEK_CHARS.isdisjoint(doc.chars)

    def find(self, doc, ctx):
        text = doc.text
        present = CYRILLIC_GREEK_CHARS & doc.chars
        if not present:
            return
        sc = ScriptContext(doc)
        runs = []
        heavy = False
        if chardata.occurs_at_most(text, present, RUN_LIMIT):  # a few Cyrillic/Greek letters: find them directly
            runs = chardata.char_runs(text, present)
        else:
            for m in CYRILLIC_GREEK_RUN.finditer(text):
                runs.append(m.span())
                if len(runs) > RUN_LIMIT:
                    heavy = True
                    break
        if heavy:
            runs = _rare_runs(text, runs)
        parts: dict[tuple[int, int], None] = {}
        for s, e in runs:
            parts.setdefault(part_bounds(text, s, e), None)
        # lone letters of the document's majority script in sentences of the other script
        seen_sentences = set()
        for s, e in runs:
            i, span = sc.sentence(s)
            if i is None or i in seen_sentences:
                continue
            seen_sentences.add(i)
            maj = sc.majority_at(s)
            here = script_of(text[s]) if text[s].isalpha() else None
            if maj is not None and maj == here:
                for m in LONE_LETTER.finditer(text, span.start, span.end):
                    parts.setdefault(m.span(), None)
        non_prose = None
        for start, end in sorted(parts):
            found = self._judge(doc, sc, start, end)
            if found is None:
                continue
            if non_prose is None:
                non_prose = _NonProse(text)
            if non_prose.covers(start, end):
                continue
            yield found

    # -- one word part -----------------------------------------------------------------------
    def _judge(self, doc, sc, start, end):
        text = doc.text
        part = text[start:end]
        letters = [(i, ch, script_of(ch)) for i, ch in enumerate(part) if ch.isalpha()]
        scripts = {s for _, _, s in letters if s}
        if len(scripts) >= 2:
            return self._mixed(doc, sc, start, end, part, letters, scripts)
        if len(letters) == 1 and scripts:
            return self._lone(doc, sc, start, end, part, letters[0])
        return None

    def _mixed(self, doc, sc, start, end, part, letters, scripts):
        text = doc.text
        maj = sc.majority_at(start)
        if scripts == {"Latin", "Greek"}:
            greek = {ch for _, ch, s in letters if s == "Greek"}
            if greek <= GREEK_SYMBOLS and (maj != "Greek" or UNIT.match(part)):
                return None  # μm, ΔT, NF-κB, Aβ
        counts = {s: sum(1 for _, _, x in letters if x == s) for s in scripts}
        options = {s: repair(part, s, doc.lang) for s in sorted(scripts)}
        options = {s: r for s, r in options.items() if r is not None}
        word_major = max(sorted(scripts), key=lambda s: counts[s])
        suggestion = None
        target = None
        designation = DESIGNATION_AFTER.match(text, end) and len(letters) <= 3 and "Cyrillic" in scripts
        if designation and maj == "Latin" and cyrillic_reading(part):
            target = "Latin"
            suggestion = transliterate(cyrillic_reading(part))
            message = (f"designation mixes Latin and Cyrillic letters: it reads as Cyrillic "
                       f"{cyrillic_reading(part)}, romanised {suggestion}")
            return self.flag(doc, start, end, message, suggestion, confidence=0.9, scripts=sorted(scripts),
                             target=target)
        if len(options) == 1:
            target, suggestion = next(iter(options.items()))
        elif options:
            latin = options.get("Latin")
            if latin and part.isupper() and ROMAN_NUMERAL.match(latin):
                target = "Latin"
            elif maj in options:
                target = maj
            else:
                target = word_major if word_major in options else sorted(options)[0]
            suggestion = options[target]
        home = target or (maj if maj in scripts else word_major)
        others = [s for s in sorted(scripts) if s != home]
        stray_letters = "".join(ch for _, ch, s in letters if s in others)
        plural = "s" if len(stray_letters) > 1 else ""
        if target:
            message = f"{target} word with {' and '.join(others)} look-alike letter{plural} {stray_letters!r}"
        else:
            where = f"a word of {home} text" if home == maj else f"a {home} word"
            message = f"{' and '.join(others)} letter{plural} {stray_letters!r} inside {where}; no look-alike repair"
        # one look-alike repair and only one: sure enough for `audit normalise` by default
        sure = suggestion is not None and len(options) == 1
        return self.flag(doc, start, end, message, suggestion, confidence=0.95 if sure else 0.9,
                         scripts=sorted(scripts), target=target)

    def _lone(self, doc, sc, start, end, part, letter):
        text = doc.text
        _, ch, script = letter
        at = start + letter[0]
        maj = sc.majority_at(start)
        if maj is None or maj == script:
            return None
        if not _neighbours_agree(text, start, end, maj) or _quoted(text, start, end):
            return None
        digits = len(part) > 1
        if script == "Greek" and (ch in GREEK_SYMBOLS or digits and UNIT.match(part)):
            return None
        following = text[end : end + 3]
        initial = ch.isupper() and following[:1] == "." and not digits
        if script == "Cyrillic" and maj == "Latin" and initial:
            roman = transliterate(ch)
            return self.flag(doc, at, at + 1, f"Cyrillic initial {ch!r} in Latin text (romanised {roman!r})",
                             roman, confidence=0.9, scripts=[script, maj], target=maj)
        if script == "Cyrillic" and maj == "Latin" and DESIGNATION_AFTER.match(text, end) and not digits:
            roman = transliterate(ch)  # С-400 in English text: S-400, not C-400
            return self.flag(doc, at, at + 1, f"Cyrillic letter {ch!r} in a designation in Latin text "
                             f"(romanised {roman!r})", roman, confidence=0.85, scripts=[script, maj], target=maj)
        repl = lookalike(ch, maj, doc.lang)
        if repl is None:
            return None
        if script == "Latin":  # a Latin letter in Cyrillic or Greek text
            if digits:
                return None  # 1920x1080, 5G, A4: conventional
            if ch.islower():
                if ch not in LATIN_FOR_SHORT_WORD:
                    return None
            elif not (_sentence_start(text, sc, start) and not initial and _next_is(text, end, maj)
                      or initial and _initial_context(text, sc, start, end, maj)):
                return None  # витамин C, план B
        what = "between digits" if _between_digits(part, letter[0]) else "next to digits" if digits else "standing alone"
        return self.flag(doc, at, at + 1, f"{script} letter {ch!r} {what} in {maj} text; the {maj} look-alike is {repl!r}",
                         repl, confidence=0.85 if digits or script != "Latin" else 0.8,
                         scripts=[script, maj], target=maj)


_QUOTES = {"«": "»", "“": "”", "„": "“", "‘": "’", '"': '"', "'": "'", "‹": "›", "‚": "‘"}


def _quoted(text: str, start: int, end: int) -> bool:
    """``«с»``: a letter quoted on its own is a mention, not a word of the sentence."""
    if start == 0 or end >= len(text):
        return False
    close = _QUOTES.get(text[start - 1])
    return close is not None and text[end] in (close, "”", "»", '"')


def _between_digits(part: str, i: int) -> bool:
    return 0 < i < len(part) - 1 and part[i - 1].isdigit() and part[i + 1].isdigit()


def _word_script(word: str) -> str | None:
    for ch in word:
        s = script_of(ch)
        if s:
            return s
    return None


_WORD_BEFORE = regex.compile(r"[\p{L}\p{M}\p{N}]+(?=[^\p{L}\p{M}\p{N}]*\Z)")
_WORD_AFTER = regex.compile(r"[^\p{L}\p{M}\p{N}]*([\p{L}\p{M}\p{N}]+)")


def _neighbours_agree(text: str, start: int, end: int, maj: str) -> bool:
    """The nearest lettered words either side are in the majority script (not a foreign phrase)."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end, min(len(text), end + 40))
    for w in (before.group() if before else "", after.group(1) if after else ""):
        s = _word_script(w)
        if s is not None and s != maj:
            return False
    return True


def _sentence_start(text: str, sc: ScriptContext, start: int) -> bool:
    i, span = sc.sentence(start)
    if span is None:
        return False
    return not regex.search(r"[\p{L}\p{N}]", text[span.start : start])


def _next_is(text: str, end: int, script: str) -> bool:
    m = regex.match(r"[ \u00a0]+([\p{L}\p{N}])", text[end : end + 4])
    return bool(m) and (m.group(1).isdigit() or script_of(m.group(1)) == script)


def _initial_context(text: str, sc: ScriptContext, start: int, end: int, maj: str) -> bool:
    """``B. Путин`` with a Latin B: a capitalised word of the majority script follows, and the
    letter opens the sentence, follows punctuation or follows another initial."""
    m = regex.match(r"\.[ \u00a0]?(\p{Lu})", text[end : end + 4])
    if not m or script_of(m.group(1)) != maj:
        return False
    before = text[max(0, start - 4) : start]
    return (_sentence_start(text, sc, start) or bool(regex.search(r"[,;:(«„\"—–-]\s*\Z", before))
            or bool(regex.search(r"\p{Lu}\.\s*\Z", before)))


class _NonProse:
    """URLs, e-mail addresses, hashtags and handles around a span, found lazily.

    Such spans hold no whitespace, so only the whitespace-delimited chunk around the
    candidate is searched.
    """

    def __init__(self, text: str):
        self.text = text

    def covers(self, start: int, end: int) -> bool:
        return chardata.in_non_prose(self.text, start, end, reach=400)


#: Characters from the first of a document's many Cyrillic or Greek runs whose scripts decide
#: which runs :func:`_rare_runs` takes.
RARE_SAMPLE = 65_536


def _rare_runs(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs to judge in a document with many Cyrillic or Greek runs (``runs``: the first
    :data:`RUN_LIMIT` + 1 of them): those of the scripts it has least of, by the letters
    from its first such run on (at most :data:`RARE_SAMPLE` characters). In a Cyrillic or
    Greek document, the runs of the other scripts. In a Latin one (a long document, one
    quoting Russian), all its Cyrillic and Greek runs, as in a document with few: its
    findings do not depend on how many there are. (Taking every Latin word instead, as
    before, made a 20 MB book with a few hundred glitches take 50 s instead of 0.3.)"""
    counts = script_counts(text[runs[0][0] : min(runs[-1][1], runs[0][0] + RARE_SAMPLE)])
    if counts["Latin"] > counts["Cyrillic"] + counts["Greek"]:
        return runs + [m.span() for m in CYRILLIC_GREEK_RUN.finditer(text, runs[-1][1])]
    counts = script_counts(text[runs[0][0] : runs[-1][1]])
    rare = RARE_RUNS["Greek" if counts["Greek"] > counts["Cyrillic"] else "Cyrillic"]
    return [m.span() for m in rare.finditer(text)]
