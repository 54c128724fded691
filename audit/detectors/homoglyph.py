"""Homoglyph designations: a Latin letter standing for a Cyrillic one of another sound (C-400 for С-400)."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
import re

import regex

from ..lexicon import get_lexicon
from .base import CorpusDetector, Observation
from .script_data import ScriptContext, cyrillic_reading, script_of, transliterate

#: A code or model name: one to three letters, a hyphen, digits (``S-400``, ``Su-35``,
#: ``RS-24``). The span is the letters, hyphen and digits; a plural ``s`` or a variant
#: letter after the digits stays outside. The match itself starts at the hyphen (group 1,
#: the letters, sits in a look-behind): ``regex`` then scans for the rare hyphen instead of
#: trying a look-behind at every position — ten times faster.
DESIGNATION = regex.compile(
    r"(?<=(?<![\p{L}\p{M}\p{N}\-\u2010\u2011./_@#])(\p{L}{1,3}))([-\u2010\u2011])(\d{1,4})(?![\p{N}]|[.,]\d)"
)
#: Where a designation can be: a hyphen and a digit. The stdlib ``re`` engine finds this
#: literal start at several hundred MB/s; :data:`DESIGNATION` is then tried only there.
HYPHEN_DIGIT = re.compile(r"-\d")
#: Prefixes that can be the romanised reading of Cyrillic look-alikes and differ from
#: the Latin letters: only such forms can attest a repair (kept for the corpus stage).
TARGET_PREFIX = regex.compile(r"(?:[AVSENKMORTUaveskmortu]|Kh|kh)+")
CHANGED = regex.compile(r"[VSNRUvsnru]|Kh|kh")

FORM = "designation-form"
SUSPECT = "designation-suspect"


#: How far :data:`DESIGNATION` looks around the hyphen at ``h``: ``text[h - 4 : h + 7]`` holds
#: up to three letters and the character before them, up to four digits and the two
#: characters its look-ahead reads, so a match depends on that window alone.
_BEFORE, _AFTER = 4, 7
#: Designations by window (``h - lo``, ``text[lo : h + 7]``): the same few contexts
#: (``the S-400 sy``) recur throughout a corpus. Cleared when it grows past _WINDOWS_MAX.
_WINDOWS: dict[tuple[int, str], tuple[int, int, str, str, str] | None] = {}
_WINDOWS_MAX = 1 << 16


def _from_match(m, offset: int = 0) -> tuple[int, int, str, str, str]:
    return m.start(1) + offset, m.end(3) + offset, m.group(1), m.group(2), m.group(3)


def designations(text: str, chars=None) -> list[tuple[int, int, str, str, str]]:
    """The :data:`DESIGNATION` matches of ``text`` in order, as (start, end, letters, hyphen, digits).

    ``start`` and ``end`` delimit letters, hyphen and digits (groups 1 to 3). The same as
    ``DESIGNATION.finditer(text)``: a match starts at its hyphen, so unless the text holds the
    rarer Unicode hyphens (``chars``, the document's non-ASCII characters, says whether it
    does) it is tried only where :data:`HYPHEN_DIGIT` occurs, and there on the few characters
    it can see, cached by their text.
    """
    if chars is None or "\u2010" in chars or "\u2011" in chars:
        return [_from_match(m) for m in DESIGNATION.finditer(text)]
    out = []
    cache = _WINDOWS
    for hit in HYPHEN_DIGIT.finditer(text):
        h = hit.start()
        lo = h - _BEFORE if h > _BEFORE else 0
        key = (h - lo, text[lo : h + _AFTER])
        found = cache.get(key, False)
        if found is False:
            m = DESIGNATION.match(key[1], key[0])
            found = None if m is None else _from_match(m)
            if len(cache) >= _WINDOWS_MAX:
                cache.clear()
            cache[key] = found
        if found is not None:
            start, end, prefix, hyphen, digits = found
            out.append((start + lo, end + lo, prefix, hyphen, digits))
    return out


def core(prefix: str, digits: str) -> str:
    """The comparable form of a designation: letters, an ASCII hyphen, digits."""
    return f"{prefix}-{digits}"


@lru_cache(maxsize=4096)
def reading(prefix: str) -> str | None:
    """The romanised Cyrillic reading of a designation prefix, if it differs from it.

    >>> reading("C"), reading("PC"), reading("Cy"), reading("T"), reading("F")
    ('S', 'RS', 'Su', None, None)
    """
    cyr = cyrillic_reading(prefix)
    if cyr is None:
        return None
    roman = transliterate(cyr)
    return roman if roman != prefix else None


@lru_cache(maxsize=4096)
def _prefix_kind(prefix: str) -> tuple[bool, str | None]:
    """(whether a designation with this prefix may attest a repair, its changed reading)."""
    attests = TARGET_PREFIX.fullmatch(prefix) is not None and CHANGED.search(prefix) is not None
    return attests, reading(prefix)


class HomoglyphDesignation(CorpusDetector):
    """A code or model name in Latin text where a Latin letter stands for a Cyrillic letter of another sound.

    What it finds:
        Designations such as ``C-400`` in English text whose letters are all Latin
        look-alikes of Cyrillic letters (С, Р, В, Н, Х, У …) and whose Cyrillic reading,
        romanised, is attested: ``C-400`` reads as Cyrillic С-400, romanised ``S-400``.
        The repaired form must occur elsewhere in the same document (at least as often),
        elsewhere in the corpus, or in the names lexicon; otherwise nothing is reported.
        Look-alikes that sound the same (А, Е, К, М, О, Т) never change a designation
        (``T-72`` is T-72).

    Why it matters:
        A machine translation or a hurried editor keeps the Cyrillic letter's shape and
        loses its sound: ``С-400`` becomes ``C-400``, ``Су-35`` ``Cy-35``, ``РС-24``
        ``PC-24``, ``Х-101`` ``X-101``. Readers and search see a different weapon.

    Example:
        ``Factor C-400`` (with ``S-400`` elsewhere in the article) -> ``Factor S-400``

    Known false positives:
        Real Latin designations whose letters happen to read as Cyrillic (``C-130``,
        ``C-17``, ``B-52``, ``P-8``, ``X-37``) are left alone unless the romanised form is
        attested too — a text that mentions both the ``B-1`` bomber and the ``V-1`` flying
        bomb will flag ``B-1``. Designations mixing Latin and Cyrillic letters (``Cу-35``)
        are reported by ``mixed-script`` with the same repair when that rule is enabled.
    """

    name = "homoglyph-designation"
    category = "script"
    severity = "error"
    fixable = True
    #: Safe by default only when the repaired form is attested in the same document (0.9).
    safe_fix = True
    safe_fix_min_confidence = 0.9
    consumes = (FORM, SUSPECT)
    key_local = True  # groups by key only: runs on the spilled partitions of a large corpus

    def could_fire(self, doc):
        return HYPHEN_DIGIT.search(doc.text) is not None or "\u2010" in doc.chars or "\u2011" in doc.chars

    def find(self, doc, ctx):
        text = doc.text
        matches = designations(text, doc.chars)
        if not matches:
            return
        forms = [core(prefix, digits) for _, _, prefix, _, digits in matches]
        counts = Counter(forms)
        mixed_reported = ctx.config is not None and ctx.config.rule_enabled("mixed-script", "script")
        sc = None
        observed = set()
        for (start, end, prefix, hyphen, digits), form in zip(matches, forms):
            attests, roman = _prefix_kind(prefix)
            if attests and form not in observed:
                observed.add(form)
                ctx.observe(Observation(doc.id, FORM, start, end, text[start:end], form, {"count": counts[form]}))
            if roman is None:
                continue
            if mixed_reported and any(script_of(c) == "Cyrillic" for c in prefix):
                continue
            sc = sc or ScriptContext(doc)
            if sc.majority_at(start) != "Latin":
                continue
            repaired = core(roman, digits)
            suggestion = roman + hyphen + digits
            cyr = cyrillic_reading(prefix)
            lex = get_lexicon(ctx)
            if lex.is_attested(form):
                continue  # a real Latin designation the lexicon knows (C-130)
            if counts[repaired] >= counts[form]:
                yield self.flag(
                    doc, start, end,
                    f"{form} reads as Cyrillic {cyr}-{digits}; {repaired} appears {counts[repaired]}× in this document",
                    suggestion, confidence=0.9, attested="document", cyrillic=f"{cyr}-{digits}")
                continue
            if not counts[repaired] and lex.is_attested(repaired):
                yield self.flag(doc, start, end,
                                f"{form} reads as Cyrillic {cyr}-{digits}; the lexicon knows {repaired}",
                                suggestion, confidence=0.85, attested="lexicon", cyrillic=f"{cyr}-{digits}")
                continue
            if not counts[repaired]:
                ctx.observe(Observation(doc.id, SUSPECT, start, end, text[start:end],
                                        repaired, {"form": form, "count": counts[form],
                                                   "suggestion": suggestion, "cyrillic": f"{cyr}-{digits}"}))

    def find_corpus(self, observations, ctx):
        attested: dict[str, set[str]] = defaultdict(set)
        suspected: dict[str, set[str]] = defaultdict(set)
        for obs in observations:
            (attested if obs.kind == FORM else suspected)[obs.key].add(obs.doc)
        for obs in observations:
            if obs.kind != SUSPECT:
                continue
            others = attested.get(obs.key, set()) - {obs.doc}
            if not others or len(attested[obs.key]) < len(suspected[obs.key]):
                continue
            yield self.flag_observation(
                obs,
                f"{obs.data['form']} reads as Cyrillic {obs.data['cyrillic']}; {obs.key} appears in "
                f"{len(others)} other document{'s' if len(others) > 1 else ''} of the corpus",
                obs.data["suggestion"], confidence=0.8, attested="corpus", example=min(others))
