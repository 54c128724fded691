"""source-name-mismatch: a name of the source rendered in the translation otherwise than the lexicon says."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import regex
from anyascii import anyascii
from rapidfuzz import fuzz

from .. import chardata
from ..chardata import merge_spans
from ..lexicon import get_lexicon
from .base import Context, Detector
from .bilingual_align import Pair, clip, pair_for
from .names import NameVariant, variant_suggestions

#: Russian/Ukrainian case endings a surname may carry (Калына, Блинкеном, Захаровой).
CYRILLIC_ENDINGS = frozenset(
    "а у ом ым ем е ой ою ей ёй ых им ы и я ю ого ому ую ему его ая".split()
)
CAP_CYRILLIC = regex.compile(r"(?<![\p{L}\p{M}])\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?(?=\P{L}|\Z)")
CAP_WORD = regex.compile(r"(?<![\p{L}\p{M}'’])\p{Lu}[\p{L}\p{M}]+(?:['’]\p{L}+)?")
#: A target word this similar (rapidfuzz ratio on folded surnames) but not equal is a misrendering.
NEAR_RATIO = 75
#: Surnames shorter than this are not compared fuzzily (too many chance neighbours).
MIN_SURNAME = 4
PERSON_LIKE = frozenset({"person"})


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entity: str
    wrong: bool


#: A character of the basic Cyrillic block (U+0400–U+04FF).
_CYRILLIC_CHAR = re.compile("[\u0400-\u04ff]")


def _is_cyrillic(s: str) -> bool:
    """Whether ``s`` holds a character of the basic Cyrillic block (one C-level scan)."""
    return _CYRILLIC_CHAR.search(s) is not None


def _fold(word: str) -> str:
    return anyascii(word).casefold()


class _Index:
    """Per lexicon: Cyrillic surname stems -> entity (for inflected mentions), and each
    person's surnames by script, split into accepted and wrong renderings."""

    def __init__(self, lex):
        stems: dict[str, set[str]] = {}
        self.surnames: dict[str, dict[str, tuple[set[str], set[str]]]] = {}
        for eid, ent in lex.entities.items():
            if ent.type not in PERSON_LIKE:
                continue
            by_script: dict[str, tuple[set[str], set[str]]] = {"Cyrillic": (set(), set()), "Latin": (set(), set())}
            for f in lex.forms(eid):
                words = regex.findall(r"\p{L}+", f.form)
                if len(words) < 2 or len(words[-1]) < MIN_SURNAME:
                    continue
                last = words[-1]
                script = "Cyrillic" if _is_cyrillic(last) else "Latin"
                good, bad = by_script[script]
                (bad if f.status == "variant" else good).add(last.casefold() if script == "Cyrillic" else _fold(last))
                if script == "Cyrillic" and f.status != "variant":
                    low = last.casefold()
                    stem = low[:-1] if low[-1] in "аяйь" else low
                    stems.setdefault(stem, set()).add(eid)
            self.surnames[eid] = by_script
        self.stems = {k: next(iter(v)) for k, v in stems.items() if len(v) == 1}

    def inflected(self, text: str) -> list[Hit]:
        """Capitalised Cyrillic words that are a listed surname with a case ending."""
        out = []
        for m in CAP_CYRILLIC.finditer(text):
            low = m.group().casefold()
            for cut in range(0, 4):
                stem, ending = (low[:-cut], low[-cut:]) if cut else (low, "")
                if cut and ending not in CYRILLIC_ENDINGS:
                    continue
                eid = self.stems.get(stem)
                if eid is not None:
                    out.append(Hit(m.start(), m.end(), eid, False))
                    break
        return out


def _mentions(lex, index: _Index, text: str, offset: int = 0) -> list[Hit]:
    """Lexicon mentions in ``text`` (full names and surnames after them; glitched spellings are
    the monolingual rules' business), plus inflected Russian surnames; offsets shifted by ``offset``."""
    matcher = lex.matcher
    full = matcher.full(text)
    found = full + matcher.surnames(text, full)
    hits = [Hit(m.start + offset, m.end + offset, m.entity, m.wrong) for m in found]
    if _is_cyrillic(text[:2000]):
        taken = sorted((h.start, h.end) for h in hits)  # disjoint: a bisect tells an overlap
        hits += [Hit(h.start + offset, h.end + offset, h.entity, h.wrong) for h in index.inflected(text)
                 if not chardata.inside(taken, h.start + offset, h.end + offset)]
    return sorted(hits, key=lambda h: h.start)


class SourceNameMismatch(Detector):
    """A name of the source rendered in the translation otherwise than the lexicon says (Калын -> Kalyn).

    What it finds:
        The lexicon's entities mentioned in the source (full names, surnames after them,
        and Russian surnames with case endings: ``Калына``, ``Блинкеном``) are looked for in
        the target sentences aligned to the mention (one sentence either side). A known wrong
        rendering there (``Ibrahim Kalyn``, ``Anthony Blinken``) or a word close to one of the
        entity's surnames without being an accepted rendering (``Kalun``, ``Блинкин``) is
        flagged, with the lexicon's preferred form as the suggestion and the source mention
        as evidence. A name the translation replaced with a pronoun or dropped is not reported.

    Why it matters:
        Without the source a back-transliterated name is a guess; with it the entity is
        certain: Russian ``Калын`` is İbrahim Kalın, so the English text must say Kalın or
        Kalin, never Kalyn. Names are what readers search for and what corrections are
        issued about.

    Example:
        source ``Ибрагим Калын заявил …`` · ``Ibrahim Kalyn said …`` -> ``İbrahim Kalın said …``
        source ``Энтони Блинкен`` · ``Anthony Blinken`` -> ``Antony Blinken``

    Known false positives:
        Two people sharing a surname, a surname that is also a common word of the target,
        and fuzzy matches on short surnames (only people, surnames of 4+ letters, are
        compared fuzzily). Only entities in the lexicon are checked.

    Relation to name-variant:
        A known wrong rendering (``Anthony Blinken``) is name-variant's finding with or
        without a source. When name-variant is enabled and reports the same target span with
        the same suggestion, this rule stands down there (one error, one finding); it keeps
        its finding when name-variant is disabled or suggests something else (another
        entity's form, a different span).
    """

    name = "source-name-mismatch"
    category = "names"
    severity = "warning"

    def find(self, doc, ctx: Context):
        pair = pair_for(doc, ctx)
        if pair is None:
            return
        lex = get_lexicon(ctx)
        index = ctx.shared(("bilingual:name-index", id(lex)), lambda: _Index(lex))
        src_hits = _mentions(lex, index, pair.src.text)
        if not src_hits:
            return
        # the target is searched only where the source's mentions align to
        regions = merge_spans([pair.target_span(*pair.target_range(h.start, widen=1)) for h in src_hits])
        tgt_hits = [h for a, b in regions for h in _mentions(lex, index, doc.text[a:b], a)]
        style = getattr(ctx.config, "name_style", "native") or "native"
        flagged: set[tuple[int, int]] = set()
        # name-variant's findings on this document: where it already suggests the same
        # correction for the same span, this rule stands down
        variants = (variant_suggestions(doc, ctx) if ctx.config is not None
                    and ctx.config.rule_enabled(NameVariant.name, NameVariant.category, NameVariant.default_enabled)
                    else {})
        # the target mentions by entity, in text order (a source mention looks only at its
        # entity's, by bisect), and the entities rendered correctly somewhere
        by_entity: dict[str, list[Hit]] = {}
        for t in tgt_hits:
            by_entity.setdefault(t.entity, []).append(t)
        starts_of = {e: [t.start for t in ts] for e, ts in by_entity.items()}
        right_somewhere = {t.entity for t in tgt_hits if not t.wrong}
        for s in src_hits:
            t0, t1 = pair.target_range(s.start, widen=1)
            a, b = pair.target_span(t0, t1)
            mine, at = by_entity.get(s.entity, ()), starts_of.get(s.entity, ())
            here = mine[bisect.bisect_left(at, a): bisect.bisect_left(at, b)]
            if any(not t.wrong for t in here):
                continue
            evidence = dict(entity=s.entity, source_start=s.start, source_end=s.end,
                            source_text=pair.src.text[s.start:s.end])
            wrong = [t for t in here if (t.start, t.end) not in flagged]
            if wrong:
                t = wrong[0]
                flagged.add((t.start, t.end))
                found = self._flag(pair, lex, t.start, t.end, s, style, evidence, 0.9, variants)
                if found is not None:
                    yield found
                continue
            if s.entity in right_somewhere:
                continue  # rendered correctly elsewhere; here a pronoun or a paraphrase
            near = self._near(pair, index, s.entity, a, b, flagged)
            if near is not None:
                flagged.add(near)
                found = self._flag(pair, lex, near[0], near[1], s, style, evidence, 0.7, variants)
                if found is not None:
                    yield found

    def _near(self, pair: Pair, index: _Index, eid: str, a: int, b: int,
              flagged: set[tuple[int, int]]) -> tuple[int, int] | None:
        """A capitalised target word in ``[a, b)`` close to, but not, one of the entity's surnames."""
        names = index.surnames.get(eid)
        if not names:
            return None
        script = pair.tgt_script
        good, bad = names[script]
        if not good:
            return None
        text = pair.doc.text
        for m in CAP_WORD.finditer(text, a, b):
            word = regex.split(r"['’]", m.group())[0]
            if len(word) < MIN_SURNAME:
                continue
            key = word.casefold() if script == "Cyrillic" else _fold(word)
            if key in good or any(key.startswith(g) and len(key) - len(g) <= 3 for g in good if script == "Cyrillic"):
                return None  # an accepted rendering (perhaps inflected)
            cands = good | bad
            span = (m.start(), m.start() + len(word))
            if span not in flagged and max(fuzz.ratio(key, g) for g in cands) >= NEAR_RATIO:
                return span
        return None

    def _flag(self, pair: Pair, lex, start: int, end: int, s: Hit, style: str, evidence: dict, confidence: float,
              variants: dict[tuple[int, int], str]):
        """The finding, or None where name-variant (``variants``: its spans -> suggestions)
        reports this span with the same suggestion."""
        doc = pair.doc
        want = lex.preferred(s.entity, doc.lang, style)
        text = doc.text[start:end]
        whole = len(text.split()) >= len(want.split())
        suggestion = want if whole else want.split()[-1]
        if pair.tgt_script == "Cyrillic" and not whole:
            suggestion = None  # a Russian surname declines: the nominative may not fit the sentence
        suggestion = suggestion if suggestion != text else None
        if suggestion is not None and variants.get((start, end)) == suggestion:
            return None
        ssent = pair.src_sents[pair.src_sentence_at(s.start)] if pair.src_sents else (s.start, s.end)
        return self.flag(
            doc, start, end,
            f"The source's {evidence['source_text']} is {want} in the lexicon; the translation writes {text}.",
            suggestion=suggestion, confidence=confidence,
            source_sentence=clip(pair.src.text[ssent[0]:ssent[1]]), **evidence)
