"""number-mismatch: a number of the source missing or changed in the translation."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import Levenshtein

from ..chardata import merge_spans
from . import bilingual_data as data
from .base import Context, Detector
from .bilingual_align import Pair, clip, pair_for
from .bilingual_markup import MAX_MISSING_PER_SPAN, markup_spans

#: Thousands separators that are never a decimal point.
SPACE_SEPARATORS = " \u00a0\u202f\u2009'’"
#: Languages that write ``1.500`` for fifteen hundred and ``1,5`` for one and a half.
COMMA_DECIMAL = frozenset({"ru", "uk", "bg", "tr", "de", "fr", "es", "it", "pt", "pl", "nl", "az", "kk", "ro", "sr"})


@dataclass(frozen=True, slots=True)
class Num:
    """A number in a text: its span and every value it may stand for (locale formats are ambiguous)."""

    start: int
    end: int
    text: str
    values: frozenset
    primary: Decimal
    digits: str  # the primary value's digits, for resemblance (``2022`` vs ``2002``)
    spelled: bool = False  # a number word or month name: may match, never flagged


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _digits(value: Decimal) -> str:
    s = format(value.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _parse(num: str, sep: str | None, lang: str | None) -> list[Decimal]:
    """The values a written number may have, the language's reading first.

    >>> _parse("1,500", ",", "en"), _parse("1,500", ",", "ru"), _parse("1,5", None, "en")
    ([Decimal('1500'), Decimal('1.500')], [Decimal('1.500'), Decimal('1500')], [Decimal('1.5')])
    """
    comma_decimal = (lang or "").split("-")[0] in COMMA_DECIMAL
    if sep is None:  # plain: 2022, 1.5, 1,5
        v = _dec(num.replace(",", "."))
        return [v] if v is not None else []
    if sep in SPACE_SEPARATORS:
        intpart, _, frac = num.replace(sep, "").replace(",", ".").partition(".")
        v = _dec(intpart + ("." + frac if frac else ""))
        return [v] if v is not None else []
    other = "." if sep == "," else ","
    groups = num.split(other)[0].split(sep)
    grouped = _dec("".join(groups) + ("." + num.split(other)[1] if other in num else ""))
    if len(groups) == 2 and other not in num:  # 1,500 / 1.500: thousands or a decimal
        as_decimal = _dec(num.replace(sep, "."))
        decimal_first = comma_decimal == (sep == ",")
        vals = [as_decimal, grouped] if decimal_first else [grouped, as_decimal]
        return [v for v in vals if v is not None]
    return [grouped] if grouped is not None else []


def _num(start: int, end: int, text: str, values: list[Decimal], spelled: bool = False) -> Num | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return Num(start, end, text, frozenset(values), values[0], _digits(values[0]), spelled)


def extract(text: str, lang: str | None, skip: list[tuple[int, int]], strict: bool = False) -> list[Num]:
    """The numbers written with digits in ``text``, outside markup spans ``skip``.

    ``strict`` reads ``1,500`` / ``1.500`` only as the language writes numbers (for the
    source, written in its locale); otherwise both readings are kept (machine translation
    often carries the source's format into the target).
    """
    out: list[Num] = []
    k = 0
    pos = 0
    for run in data.DIGITS.finditer(text):  # try the full pattern only where digits start
        if run.start() < pos:
            continue
        m = data.NUMBER.match(text, run.start())
        if m is None:
            pos = run.end()
            continue
        s, e = m.span()
        pos = e
        while k < len(skip) and skip[k][1] <= s:
            k += 1
        if k < len(skip) and skip[k][0] < e:
            continue
        if m.group("date"):
            base = m.start("date")
            pos = 0
            for part in m.group("date").replace("/", ".").split("."):
                v = Decimal(int(part))
                vals = [v, Decimal(2000 + int(part)), Decimal(1900 + int(part))] if len(part) == 2 and pos == 2 else [v]
                n = _num(base, base + len(part), part, vals)
                if n:
                    out.append(n)
                base += len(part) + 1
                pos += 1
            continue
        if m.group("time"):
            hh, mm = m.group("time").split(":")
            h = int(hh)
            vals = [Decimal(h)] + ([Decimal(h - 12)] if h > 12 else []) + ([Decimal(12)] if h in (0, 12) else [])
            n = _num(s, s + len(hh), hh, vals)
            if n:
                out.append(n)
            if int(mm):
                n = _num(s + len(hh) + 1, s + len(hh) + 3, mm, [Decimal(int(mm))])
                if n:
                    out.append(n)
            continue
        vals = _parse(m.group("num"), m.group("sep"), lang)
        if strict and lang:
            vals = vals[:1]
        power = 0
        if m.group("scale"):
            power = data.scale_of(m.group("scale"))
        elif m.group("k"):
            power = 3
        elif data.CURRENCY_M.match(text, e):
            power = 6
        if power:
            vals = [v.scaleb(power) for v in vals]
        if m.group("decade") and vals:
            v = vals[0]
            if v >= 1000 and v % 10 == 0:
                vals.append(v % 100)
            elif v < 100 and v % 10 == 0:
                vals += [v + 1900, v + 2000]
        n = _num(s, e, m.group(), vals)
        if n:
            if power and out and not any(c.isalpha() for c in out[-1].text) and \
                    data.RANGE_JOIN.fullmatch(text, out[-1].end, s):
                prev = out[-1]  # "56 to 67 million": the scale word covers both ends of the range
                out[-1] = Num(prev.start, prev.end, prev.text, prev.values | {v.scaleb(power) for v in prev.values},
                              prev.primary, prev.digits)
            out.append(n)
    return out


def spelled_numbers(text: str, spans: list[tuple[int, int]] | None = None) -> list[Num]:
    """Number words (with a following scale word) and month names: ``two million``, ``марта``
    (in ``spans`` of the text only, when given)."""
    out = []
    matches = (m for a, b in (spans if spans is not None else [(0, len(text))]) for m in data.WORD.finditer(text, a, b))
    for m in matches:
        w = m.group()
        month = data.month_of(w)
        if month:
            out.append(Num(m.start(), m.end(), w, frozenset({Decimal(month)}), Decimal(month), str(month), True))
        value = data.number_word_value(w)
        if value is None:
            continue
        vals = {Decimal(value)}
        nxt = data.WORD.match(text, m.end() + 1) if m.end() < len(text) and text[m.end()].isspace() else None
        if nxt is not None and (p := data.scale_of(nxt.group())):
            vals.add(Decimal(value or 1).scaleb(p))
        out.append(Num(m.start(), m.end(), w, frozenset(vals), Decimal(value), str(value), True))
    return out


def numbers(pair: Pair, side: str) -> list[Num]:
    """Digit numbers of one side of a pair (cached on the pair)."""
    key = f"numbers:{side}"
    if key not in pair.cache:
        d = pair.src if side == "source" else pair.doc
        pair.cache[key] = extract(d.text, d.lang, markup_spans(pair, side), strict=side == "source")
    return pair.cache[key]


def resembles(a: Num, b: Num) -> bool:
    """True if ``b`` looks like ``a`` garbled: one digit changed, dropped or added, or ×10ⁿ."""
    if a.digits == b.digits:
        return True
    dist = Levenshtein.distance(a.digits, b.digits)
    if dist <= 1 or (dist == 2 and min(len(a.digits), len(b.digits)) >= 4):
        return True
    return a.digits.strip("0") == b.digits.strip("0") != ""


def _suggest(src: Num, tgt: Num) -> str | None:
    """The target number rewritten with the source's value, when that is unambiguous."""
    if len(src.values) != 1 or src.primary != src.primary.to_integral_value():
        return None
    raw = tgt.text
    if any(c.isalpha() for c in raw) or not raw.replace(",", "").replace(".", "").replace("\u00a0", "").replace(" ", "").isdigit():
        return None
    value = int(src.primary)
    sep = next((c for c in raw if not c.isdigit()), None)
    if sep is None:
        # "56" for "56 million": the target wrote the scale elsewhere; a bare 56000000 would not help
        return None if value >= 10000 and any(c.isalpha() for c in src.text) else str(value)
    if len(raw.replace(sep, "")) != len(raw) - raw.count(sep) or value < 1000:
        return str(value)
    return f"{value:,}".replace(",", sep)


#: A source number whose aligned target passage holds more numbers than this is not paired
#: with a similar one there (the alignment did not localise it: a page without sentence ends).
MAX_RANGE_NUMBERS = 256


class NumberMismatch(Detector):
    """A number of the source missing or changed in the translation (2022 -> 2002, 115 тыс. -> 15,000).

    What it finds:
        Every number written with digits in the source — plain, grouped (``1 500``, ``1,500``,
        ``1.500``), with a scale word (``115 тыс.``, ``2 млн``, ``1,5 млрд``, ``3 bin``, ``5k``),
        dates, times, ranges, dimensions (``70x200``), percentages, ordinals (``70th``,
        ``70-летие``), decades (``90-х`` / ``1990s``) — is looked for, by value, in the target
        sentences aligned to its source sentence (and one sentence either side). Locale formats
        are read both ways when ambiguous, so ``1,5`` -> ``1.5``, ``115 тыс.`` -> ``115,000``,
        ``2 млн`` -> ``2 million`` and ``19 марта`` -> ``March 19`` all match; a number may also
        come back as a word (``2`` -> ``two``) or a month name (``19.03`` -> ``March 19``).
        A number with no counterpart is reported as *changed* on the target number that took
        its place (one digit changed, dropped or added, ×10ⁿ, or the only unmatched number
        left in the sentence), else as *missing* on the aligned target sentence, unless its
        value occurs anywhere else in the translation. More than 20 missing from one aligned
        passage (a page the alignment could not split into sentences) are one finding that
        lists them; there, with over 256 numbers in the passage, none is paired as *changed*.

    Why it matters:
        A wrong number is the most damaging error a news translation can make, and machine
        translation makes it: one system of a public news evaluation turned ``2022`` into
        ``2002``, ``115 тыс.`` into ``15,000`` and ``70x200`` into ``70x20``. Fluent output
        hides it; only a comparison with the source finds it.

    Example:
        source ``в 2022 году`` · ``in 2002`` -> ``in 2022``
        source ``115 тыс. человек`` · ``15,000 people`` -> ``115,000 people``
        source ``размером 70x200 см`` · ``measuring 70x20 cm`` -> ``measuring 70x200 cm``

    Known false positives:
        Unit and currency conversions (miles -> km, rubles -> dollars), rounding
        (``115,3 тыс.`` -> ``115,000``), a number re-expressed (``50%`` -> ``half``,
        ``в 14:00`` -> ``in the afternoon``) or deliberately dropped. A number moved far from
        its sentence is accepted only if its value appears elsewhere in the translation.
    """

    name = "number-mismatch"
    # consistency: the target disagrees with the text it must agree with (its source), the
    # same family as retranslated-quote; the error is in the content, not in its form.
    category = "consistency"
    severity = "error"

    def find(self, doc, ctx: Context):
        pair = pair_for(doc, ctx)
        if pair is None:
            return
        if _digits_present(pair.src.text, doc.text):
            return
        src = numbers(pair, "source")
        if not src:
            return
        tgt = numbers(pair, "target")
        if _all_present(src, tgt):
            return
        yield from self._compare(pair, src, tgt)

    def _compare(self, pair: Pair, src: list[Num], tgt: list[Num]):
        doc = pair.doc
        every = tgt
        starts = [n.start for n in every]

        def within(t0: int, t1: int) -> list[Num]:
            a, b = pair.target_span(t0, t1)
            return every[bisect.bisect_left(starts, a): bisect.bisect_left(starts, b)]

        claimed: set[int] = set()
        unmatched: list[Num] = src
        for widen in (0, 1, -1):  # the aligned sentences first, then one more on each side, then words
            if widen == -1:  # numbers spelled out or as month names, near what is still unmatched
                if not unmatched:
                    break
                spans = [pair.target_span(*pair.target_range(s.start, widen=1)) for s in unmatched]
                every = sorted(tgt + spelled_numbers(doc.text, merge_spans(spans)), key=lambda n: n.start)
                starts = [n.start for n in every]
                widen = 1
            # the first unclaimed target number of the range sharing a value: looked up by value
            # (positions in ``every`` per value, claimed ones dropped), not by walking the range
            # (a page without sentence ends is one range of thousands of numbers)
            by_value: dict = defaultdict(list)
            for k, t in enumerate(every):
                if t.start not in claimed:
                    for v in t.values:
                        by_value[v].append(k)
            left = []
            for s in unmatched:
                a, b = pair.target_span(*pair.target_range(s.start, widen=widen))
                lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
                best = hi
                for v in s.values:
                    ks = by_value.get(v)
                    if ks:
                        i = bisect.bisect_left(ks, lo)
                        if i < len(ks) and ks[i] < best:
                            best = ks[i]
                if best == hi:
                    left.append(s)
                    continue
                hit = every[best]
                claimed.add(hit.start)
                for k in range(bisect.bisect_left(starts, hit.start), bisect.bisect_right(starts, hit.start)):
                    for v in every[k].values:  # every number at that position is claimed
                        ks = by_value[v]
                        j = bisect.bisect_left(ks, k)
                        if j < len(ks) and ks[j] == k:
                            del ks[j]
            unmatched = left
        if not unmatched:
            return
        src_values = frozenset().union(*(s.values for s in src))
        anywhere = frozenset().union(*(t.values for t in every)) if every else frozenset()
        by_bead = Counter(pair.target_range(s.start) for s in unmatched)
        missing_at: dict[tuple[int, int], list[tuple[Num, dict]]] = defaultdict(list)
        for s in unmatched:
            t0, t1 = pair.target_range(s.start)
            a, b = pair.target_span(t0, t1)
            if bisect.bisect_left(starts, b) - bisect.bisect_left(starts, a) > MAX_RANGE_NUMBERS:
                free = []  # the alignment did not place it: no guess among thousands
            else:
                free = [t for t in within(t0, t1)
                        if not t.spelled and t.start not in claimed and not (t.values & src_values)]
            similar = [t for t in free if resembles(s, t)]
            if not similar and len(free) == 1 and by_bead[(t0, t1)] == 1:
                similar = free
            ssent = pair.src_sents[pair.src_sentence_at(s.start)]
            evidence = dict(source_start=s.start, source_end=s.end, source_text=s.text,
                            source_sentence=clip(pair.src.text[ssent[0]:ssent[1]]))
            if similar:
                t = min(similar, key=lambda t: Levenshtein.distance(s.digits, t.digits))
                claimed.add(t.start)
                yield self.flag(
                    doc, t.start, t.end,
                    f"The source says {s.text} here; the translation says {t.text}.",
                    suggestion=_suggest(s, t), confidence=0.9 if resembles(s, t) else 0.7, **evidence)
            elif s.values & anywhere:
                continue  # moved to another sentence: not missing
            else:
                missing_at[(a, b)].append((s, evidence))
        for (a, b), gone in missing_at.items():
            if len(gone) <= MAX_MISSING_PER_SPAN:
                for s, evidence in gone:
                    yield self.flag(
                        doc, a, b, f"The source number {s.text} is missing from this sentence of the translation.",
                        confidence=0.6, severity="warning", **evidence)
                continue
            # one finding for the passage, not one copy of it per number (see bilingual_markup)
            shown = ", ".join(s.text for s, _ in gone[:MAX_MISSING_PER_SPAN])
            yield self.flag(
                doc, a, b, f"{len(gone)} numbers of the source are missing from this passage of the translation: "
                f"{shown} …", confidence=0.6, severity="warning", missing=[s.text for s, _ in gone], **gone[0][1])


def _digits_present(source: str, target: str) -> bool:
    """The cheapest screen: every run of digits of the source occurs in the target at least as
    often (leading zeros ignored), and the source has no scale word that would change a value
    (``2 млн`` / ``2 billion`` share their digits). Runs split at separators, so ``1,5`` and
    ``1.5``, ``115 тыс.`` and ``115,000`` pass; ``2022`` and ``2002`` do not."""
    runs = data.DIGITS.findall(source)
    if not runs:
        return True
    if data.SCALE_WORD.search(source):
        return False
    need = Counter(r.lstrip("0") or "0" for r in runs)
    have = Counter(r.lstrip("0") or "0" for r in data.DIGITS.findall(target))
    return all(have[k] >= v for k, v in need.items())


def _all_present(src: list[Num], tgt: list[Num]) -> bool:
    """The fast path: every source value occurs in the target at least as often as in the source."""
    have: Counter = Counter()
    for t in tgt:
        for v in t.values:
            have[v] += 1
    need = Counter(s.primary for s in src)
    return all(max(have[v] for v in s.values) >= need[s.primary] for s in src)
