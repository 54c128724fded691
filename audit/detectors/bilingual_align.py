"""What the bilingual rules share: the source as a document, and a sentence alignment.

:func:`pair_for` returns one :class:`Pair` per document that has a source (``None``
otherwise, and every bilingual rule then stays silent). It is computed once per document
and worker and cached in the detector context, like the names analysis.

Sentence alignment is Gale & Church's (1993) length-based dynamic programme: sentences on
both sides are monotone; a *bead* joins 0–2 source sentences to 0–2 target sentences; the
cost of a bead is ``-log P(bead type) - log P(|z|)`` where ``z`` compares the target length
with the source length times the pair's expected ratio (:func:`.bilingual_data.expected_ratio`),
scaled by a variance per character. When both sides have the same number of paragraphs of
plausible lengths, paragraphs are paired one to one and sentences aligned within each (as
Gale & Church did); otherwise over the whole text. Shared *anchors* — numbers and the romanised first
letters of capitalised words (names travel across languages) — lower a bead's cost, so that
length decides alone only where the text offers no other evidence. Two cheap additions: when
both sides have the same number of sentences and every pair of lengths is plausible, the
diagonal is taken without the programme; and the programme only visits a band around the
diagonal.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..document import Document
from . import bilingual_data as data

#: Prior probabilities of bead types (Gale & Church 1993, table 5): (source, target) sentences.
BEAD_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
               (1, 2): 0.089 / 2, (2, 2): 0.011}
BEAD_COST = {k: -math.log(v) for k, v in BEAD_PRIORS.items()}
#: The diagonal shortcut: every 1–1 pair within this many standard deviations.
DIAGONAL_Z = 2.5
#: Cost taken off a bead per anchor (number, romanised name prefix) its two sides share, up to
#: MAX_ANCHORS: length decides alone only where the text offers no such evidence.
ANCHOR_BONUS = 1.0
MAX_ANCHORS = 4
#: Paragraphs are aligned one to one when every pair's length is within these multiples of
#: the expected ratio; else sentences are aligned over the whole text.
PARAGRAPH_LOW, PARAGRAPH_HIGH = 0.5, 2.0
#: Half-width of the band the programme visits, at least (sentences).
MIN_BAND = 8
#: ... and at most this wide (see :func:`align`).
MAX_BAND = 64


@dataclass(frozen=True, slots=True)
class Bead:
    """Source sentences ``s0:s1`` aligned to target sentences ``t0:t1`` (indices)."""

    s0: int
    s1: int
    t0: int
    t1: int
    cost: float = 0.0


@dataclass
class Pair:
    """A target document and its source, segmented and aligned lazily."""

    doc: Document
    src: Document
    ratio: float
    variance: float
    src_script: str = "Latin"  # Cyrillic or Latin: the script most of each side's letters are in
    tgt_script: str = "Latin"
    cache: dict = field(default_factory=dict)

    @property
    def source_lang(self) -> str | None:
        return self.src.lang

    @property
    def target_lang(self) -> str | None:
        return self.doc.lang

    @cached_property
    def src_sents(self):
        return self.src.sentences

    @cached_property
    def tgt_sents(self):
        return self.doc.sentences

    @cached_property
    def beads(self) -> list[Bead]:
        """Paragraph by paragraph when both sides have the same paragraphs (the usual case, and
        Gale & Church's own hierarchy), else over the whole text."""
        slen = [e - s for s, e in self.src_sents]
        tlen = [e - s for s, e in self.tgt_sents]
        anchors = lambda: (self.anchors("source"), self.anchors("target"))  # noqa: E731
        sgroups, tgroups = _by_paragraph(self.src), _by_paragraph(self.doc)
        if len(sgroups) != len(tgroups) or len(sgroups) < 2 or not all(
            PARAGRAPH_LOW <= sum(tlen[j] for j in tg) / (self.ratio * max(1, sum(slen[i] for i in sg))) <= PARAGRAPH_HIGH
            for sg, tg in zip(sgroups, tgroups)
        ):
            return align(slen, tlen, self.ratio, self.variance, anchors=anchors)
        beads: list[Bead] = []
        for sg, tg in zip(sgroups, tgroups):
            s0, t0 = sg.start, tg.start
            part = align(slen[sg.start:sg.stop], tlen[tg.start:tg.stop], self.ratio, self.variance,
                         anchors=lambda s0=s0, t0=t0, sg=sg, tg=tg: (anchors()[0][sg.start:sg.stop],
                                                                       anchors()[1][tg.start:tg.stop]))
            beads.extend(Bead(b.s0 + s0, b.s1 + s0, b.t0 + t0, b.t1 + t0, b.cost) for b in part)
        return beads

    def anchors(self, side: str) -> list[frozenset[str]]:
        """Per sentence of one side: its numbers and the first letters of its capitalised words,
        romanised (``Анкаре`` and ``Ankara`` share ``ank``) — cheap evidence of correspondence."""
        key = f"anchors:{side}"
        if key not in self.cache:
            d, sents = (self.src, self.src_sents) if side == "source" else (self.doc, self.tgt_sents)
            self.cache[key] = [_anchors(d.text, a, b) for a, b in sents]
        return self.cache[key]

    @cached_property
    def _bead_of_src(self) -> list[int]:
        out = [0] * len(self.src_sents)
        for k, b in enumerate(self.beads):
            for i in range(b.s0, b.s1):
                out[i] = k
        return out

    @cached_property
    def bead_of_tgt(self) -> list[int]:
        """Index of the bead holding each target sentence."""
        out = [0] * len(self.tgt_sents)
        for k, b in enumerate(self.beads):
            for j in range(b.t0, b.t1):
                out[j] = k
        return out

    @cached_property
    def _src_starts(self) -> list[int]:
        return [s for s, _ in self.src_sents]

    @cached_property
    def _tgt_starts(self) -> list[int]:
        return [s for s, _ in self.tgt_sents]

    def src_sentence_at(self, offset: int) -> int:
        """Index of the source sentence holding (or preceding) ``offset``; -1 if none."""
        return bisect.bisect_right(self._src_starts, offset) - 1

    def tgt_sentence_at(self, offset: int) -> int:
        return bisect.bisect_right(self._tgt_starts, offset) - 1

    def target_range(self, src_offset: int, widen: int = 0) -> tuple[int, int]:
        """Target sentence indices ``[t0, t1)`` aligned to the source sentence at ``src_offset``.

        ``widen`` adds that many sentences on each side (alignment is not always exact). A
        source sentence with no counterpart gets the gap between its neighbours' counterparts.
        """
        i = self.src_sentence_at(src_offset)
        if i < 0 or not self.beads:
            return 0, len(self.tgt_sents)
        b = self.beads[self._bead_of_src[i]]
        return max(0, b.t0 - widen), min(len(self.tgt_sents), b.t1 + widen)

    def target_span(self, t0: int, t1: int) -> tuple[int, int]:
        """Character span of target sentences ``[t0, t1)``; for an empty range, the sentence before."""
        sents = self.tgt_sents
        if not sents:
            return 0, len(self.doc.text)
        if t1 <= t0:
            k = min(max(t0 - 1, 0), len(sents) - 1)
            return sents[k]
        return sents[t0][0], sents[t1 - 1][1]


def _by_paragraph(doc: Document) -> list[range]:
    """Sentence index ranges, one per paragraph (sentences never cross paragraphs)."""
    out: list[range] = []
    sents = doc.sentences
    i = 0
    for _, pe in doc.paragraphs:
        j = i
        while j < len(sents) and sents[j][1] <= pe:
            j += 1
        if j > i:
            out.append(range(i, j))
        i = j
    return out


def _anchors(text: str, a: int, b: int) -> frozenset[str]:
    """Numbers, and two keys per capitalised word: the first letters of its transliteration
    key and of that key's consonants (``Вашингтон``/``Washington`` -> ``vas``, ``vsn``;
    ``Брюсселе``/``Brussels`` differ in the first, share ``brs``)."""
    out = set()
    for w in data.ANCHOR.findall(text, a, b):
        if w[0].isdigit():
            out.add(w)
        else:
            out.update(_word_anchors(w))
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def _word_anchors(word: str) -> tuple[str, str]:
    """The two anchor keys of a capitalised word (memoised: names and places recur)."""
    from ..lexicon.romanise import translit_key

    key = translit_key(word)
    return "=" + key[:3], "~" + data.VOWELS.sub("", key)[:3]


def _tail(z: float) -> float:
    p = math.erfc(z / math.sqrt(2.0))
    return -math.log(p) if p > 1e-300 else 690.0


#: -log two-sided normal tail by hundredths of |z| (a table: the programme asks thousands of times).
_TAIL = [_tail(i / 100) for i in range(4000)]


def _neg_log_tail(z: float) -> float:
    """-log of the two-sided normal tail probability of ``|z|``."""
    i = int(abs(z) * 100)
    return _TAIL[i] if i < 4000 else _tail(abs(z))


def bead_cost(l1: int, l2: int, ratio: float, variance: float) -> float:
    """Gale & Church's length cost of joining ``l1`` source to ``l2`` target characters."""
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / ratio) / 2.0
    z = (ratio * l1 - l2) / math.sqrt(variance * mean)
    return _neg_log_tail(z)


def z_score(l1: int, l2: int, ratio: float, variance: float) -> float:
    """Signed deviation of ``l2`` from ``ratio × l1`` (negative: the target is short)."""
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / ratio) / 2.0
    return (l2 - ratio * l1) / math.sqrt(variance * mean)


def align(src: list[int], tgt: list[int], ratio: float, variance: float = data.LENGTH_VARIANCE,
          anchors=None) -> list[Bead]:
    """Monotone sentence alignment of two lists of sentence lengths (Gale & Church).

    >>> [(b.s0, b.s1, b.t0, b.t1) for b in align([100, 20, 100], [95, 105], 1.0)]
    [(0, 1, 0, 1), (1, 3, 1, 2)]

    A dropped sentence usually lands in a 2–1 bead whose target is short for both sources
    (the ``omission`` rule splits such beads):

    >>> [(b.s0, b.s1, b.t0, b.t1) for b in align([100, 120, 90], [98, 93], 1.0)]
    [(0, 1, 0, 1), (1, 3, 1, 2)]
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead(0, n, 0, m, 0.0)] if n or m else []
    if n == m:  # the common case: one target sentence per source sentence
        beads = []
        for i in range(n):
            if abs(z_score(src[i], tgt[i], ratio, variance)) > DIAGONAL_Z:
                break
            beads.append(Bead(i, i + 1, i, i + 1, 0.0))
        else:
            return beads
    sa, ta = anchors() if anchors is not None else (None, None)
    # the band follows the slope n:m, so it needs only the local drift of the path from it:
    # as wide as the difference in sentence counts, up to MAX_BAND (two texts of thousands of
    # sentences each, a one-line page and a pasted source, made the table quadratic)
    band = max(MIN_BAND, min(abs(n - m) + 4, MAX_BAND))
    inf = float("inf")
    # row i holds columns los[i] … los[i] + len(cost[i]) - 1 (the band), not the whole width
    los: list[int] = []
    cost: list[list[float]] = []
    back: list[list[tuple[int, int] | None]] = []
    moves = tuple(BEAD_COST.items())
    for i in range(n + 1):
        centre = i * m / n
        lo, hi = max(0, int(centre) - band), min(m, int(centre) + band + 1)
        row = [inf] * (hi - lo + 1)
        brow: list[tuple[int, int] | None] = [None] * (hi - lo + 1)
        los.append(lo)
        cost.append(row)
        back.append(brow)
        if i == 0 and lo == 0:
            row[0] = 0.0
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            for (di, dj), prior in moves:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                k = pj - los[pi]
                prow = cost[pi]
                if k < 0 or k >= len(prow):
                    continue
                prev = prow[k]
                if prev == inf:
                    continue
                l1 = src[pi] if di == 1 else (src[pi] + src[pi + 1] if di == 2 else 0)
                l2 = tgt[pj] if dj == 1 else (tgt[pj] + tgt[pj + 1] if dj == 2 else 0)
                c = prev + prior + bead_cost(l1, l2, ratio, variance)
                if sa is not None and di and dj:  # shared numbers and names: evidence of a match
                    a = sa[pi] if di == 1 else sa[pi] | sa[pi + 1]
                    b = ta[pj] if dj == 1 else ta[pj] | ta[pj + 1]
                    c -= ANCHOR_BONUS * min(len(a & b), MAX_ANCHORS)
                if c < best:
                    best, arg = c, (di, dj)
            row[j - lo] = best
            brow[j - lo] = arg

    def at(i: int, j: int) -> float:
        return cost[i][j - los[i]]

    if m - los[n] >= len(cost[n]) or at(n, m) == inf:  # outside the band: one bead for everything
        return [Bead(0, n, 0, m, 0.0)]
    beads = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j - los[i]]
        beads.append(Bead(i - di, i, j - dj, j, at(i, j) - at(i - di, j - dj)))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _source_lang(doc: Document, ctx) -> str | None:
    if doc.source_lang:
        return doc.source_lang
    from ..langid import detect_document_language

    return detect_document_language(doc.source or "", ctx)


def pair_for(doc: Document, ctx) -> Pair | None:
    """The source pair of ``doc`` (cached per document and worker); None without a source."""
    if not doc.source or not doc.source.strip() or not doc.text.strip():
        return None
    cached = ctx.cache.get("bilingual:pair")
    if cached is not None and cached[0] is doc and cached[1] == len(doc.text):
        return cached[2]
    slang = _source_lang(doc, ctx)
    src = Document(f"{doc.id}#source", doc.source, lang=slang)
    src_script = "Cyrillic" if _mostly_cyrillic(doc.source) else "Latin"
    tgt_script = "Cyrillic" if _mostly_cyrillic(doc.text) else "Latin"
    pair = Pair(doc, src, data.expected_ratio(slang, doc.lang),
                data.CROSS_SCRIPT_VARIANCE if src_script != tgt_script else data.LENGTH_VARIANCE,
                src_script, tgt_script)
    ctx.cache["bilingual:pair"] = (doc, len(doc.text), pair)
    return pair


def _mostly_cyrillic(text: str, sample: int = 600) -> bool:
    head = text[:sample]
    letters = sum(map(len, data.LETTER.findall(head)))
    return sum(map(len, data.CYRILLIC.findall(head))) * 2 > letters if letters else False


def clip(text: str, limit: int = 200) -> str:
    """``text`` shortened to about ``limit`` characters for evidence."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
