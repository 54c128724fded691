"""length-ratio and omission: translations too short or too long for their source, and source
sentences with no counterpart. Both read the sentence alignment of :mod:`.bilingual_align`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from .base import Context, Detector
from .bilingual_align import Bead, Pair, clip, pair_for, z_score

#: A whole document is an outlier outside these multiples of the expected ratio.
DOC_LOW, DOC_HIGH = 0.6, 1.7
#: ... and only from this many source characters (a headline is too short to judge).
DOC_MIN_CHARS = 300
#: A bead is an outlier outside these multiples, with at least this many characters of
#: difference and this deviation in Gale & Church's z (short sentences vary a lot).
SENT_LOW, SENT_HIGH = 0.5, 2.0
SENT_MIN_DIFF = 50
SENT_Z = 3.0
#: A 2–1 bead is split (one source sentence omitted) when the pair is this short together
#: (in z, or relative to the expected length) ...
SPLIT_Z = -2.5
SPLIT_REL = 0.8
#: ... while one of the two alone fits the target within this factor of the expected length.
FIT_REL = 1.6
#: A sentence counts as omitted or added from this many characters and words.
MIN_SENTENCE_CHARS = 25
MIN_SENTENCE_WORDS = 4
_WORD = regex.compile(r"[\p{L}\p{N}]+")


@dataclass(frozen=True)
class Gaps:
    omitted: dict[int, int]  # source sentence -> index of the bead it belongs to
    added: dict[int, int]  # target sentence -> bead index


def _substantial(text: str) -> bool:
    return len(text) >= MIN_SENTENCE_CHARS and len(_WORD.findall(text)) >= MIN_SENTENCE_WORDS


def gaps(pair: Pair) -> Gaps:
    """Source sentences without a counterpart and target sentences without a source (cached).

    1–0 and 0–1 beads directly; a 2–1 (1–2) bead whose two sentences together are far too
    long for the one, while one of them alone fits it, leaves the other one unmatched.
    """
    if "gaps" in pair.cache:
        return pair.cache["gaps"]
    slen = [e - s for s, e in pair.src_sents]
    tlen = [e - s for s, e in pair.tgt_sents]
    r, var = pair.ratio, pair.variance
    omitted: dict[int, int] = {}
    added: dict[int, int] = {}
    for k, b in enumerate(pair.beads):
        ns, nt = b.s1 - b.s0, b.t1 - b.t0
        if nt == 0:
            omitted.update({i: k for i in range(b.s0, b.s1)})
        elif ns == 0:
            added.update({j: k for j in range(b.t0, b.t1)})
        elif ns == 2 and nt == 1:
            lt = tlen[b.t0]
            ls = slen[b.s0] + slen[b.s0 + 1]
            if z_score(ls, lt, r, var) < SPLIT_Z or lt < SPLIT_REL * r * ls:
                kept = _better(pair, (b.s0, b.s0 + 1), b.t0, "source", slen, lt, r)
                if kept is not None:
                    omitted[b.s0 + b.s0 + 1 - kept] = k
        elif ns == 1 and nt == 2:
            ls = slen[b.s0]
            lt = tlen[b.t0] + tlen[b.t0 + 1]
            if z_score(ls, lt, r, var) > -SPLIT_Z or lt > r * ls / SPLIT_REL:
                kept = _better(pair, (b.t0, b.t0 + 1), b.s0, "target", tlen, ls, 1 / r)
                if kept is not None:
                    added[b.t0 + b.t0 + 1 - kept] = k
    src, tgt = pair.src.text, pair.doc.text
    omitted = {i: k for i, k in omitted.items() if _substantial(src[pair.src_sents[i][0]:pair.src_sents[i][1]])}
    added = {j: k for j, k in added.items() if _substantial(tgt[pair.tgt_sents[j][0]:pair.tgt_sents[j][1]])}
    pair.cache["gaps"] = Gaps(omitted, added)
    return pair.cache["gaps"]


def _better(pair: Pair, two: tuple[int, int], other: int, side: str, lens: list[int], other_len: int,
            ratio: float) -> int | None:
    """Which of two sentences on ``side`` corresponds to sentence ``other`` of the other side.

    The one sharing more anchors (numbers, romanised name prefixes) with it; on a tie, the one
    whose length fits better. None when the chosen one does not fit it alone either.
    """
    mine = pair.anchors(side)
    theirs = pair.anchors("target" if side == "source" else "source")[other]
    # shared anchors, minus numbers of the candidate that the other sentence lacks
    shared = [len(mine[i] & theirs) - sum(1 for x in mine[i] - theirs if x[0].isdigit()) for i in two]
    fit = [abs(math.log(max(other_len, 1) / (ratio * max(lens[i], 1)))) for i in two]
    if shared[0] != shared[1]:
        best = 0 if shared[0] > shared[1] else 1
    else:
        best = 0 if fit[0] <= fit[1] else 1
    return two[best] if fit[best] <= math.log(FIT_REL) else None


def _source_evidence(pair: Pair, s0: int, s1: int) -> dict:
    a, b = pair.src_sents[s0][0], pair.src_sents[s1 - 1][1]
    return dict(source_start=a, source_end=b, source_text=clip(pair.src.text[a:b], 300))


class Omission(Detector):
    """A source sentence with no counterpart in the translation: something was left out.

    What it finds:
        Source and target are split into sentences and aligned monotonically by length
        (Gale & Church's dynamic programme, with the language pair's expected length ratio).
        A source sentence aligned to nothing, or one of two source sentences aligned to a
        single target sentence that only one of them fits (the pair together is far too long
        for it), is reported on the target sentence next to the gap, with the source
        sentence as evidence. Sentences under 25 characters or four words are ignored.

    Why it matters:
        Machine translation drops sentences — especially short ones between long ones, and
        the last sentence of a long input — and a fluent translation gives no sign of it.
        Only the source shows that a statement, a figure or a denial is gone.

    Example:
        source ``Переговоры продолжатся. Министр отказался от комментариев. Встреча прошла в Анкаре.``
        · ``The talks will continue. The meeting took place in Ankara.``
        -> insert ``The minister declined to comment.``

    Known false positives:
        Length is the only evidence: a translator who merged two sentences and condensed
        them heavily, or a source sentence deliberately dropped (a repeated dateline, a
        "read also" line), looks the same. A wrong sentence split on either side (an
        abbreviation the segmenter does not know) can shift the alignment.
    """

    name = "omission"
    # structure: the text's parts are incomplete (like truncation), not misworded.
    category = "structure"
    severity = "warning"

    def find(self, doc, ctx: Context):
        pair = pair_for(doc, ctx)
        if pair is None or len(pair.src_sents) < 2:
            return
        found = gaps(pair)
        for i, k in sorted(found.omitted.items()):
            b = pair.beads[k]
            a, e = pair.target_span(b.t0, b.t1)
            where = "next to" if b.t1 > b.t0 else "after"
            sentence = pair.src.text[pair.src_sents[i][0]:pair.src_sents[i][1]]
            yield self.flag(
                doc, a, e,
                f"A source sentence has no counterpart {where} this sentence of the translation: "
                f"“{clip(sentence, 80)}”.",
                confidence=0.7 if b.t1 > b.t0 else 0.8, **_source_evidence(pair, i, i + 1))


class LengthRatio(Detector):
    """A translation far shorter or longer than its source, for the whole text or one sentence.

    What it finds:
        The ratio of target to source characters against the language pair's expected
        ratio (data in ``bilingual_data.PAIR_RATIO``: ru→en 0.92, en→ru 1.09, tr→en 1.00 …):
        a document outside 0.6–1.7 times the expected ratio (from 300 source characters;
        reported on its last sentence when short, its first when long), an aligned group of
        sentences outside 0.5–2 times it with at least 50 characters of difference and
        |z| ≥ 3 in Gale & Church's length model, and a target sentence that the alignment
        gives no source (an addition).

    Why it matters:
        A translation much shorter than its source lost content (a truncated response, a
        skipped paragraph, a summarised quotation); one much longer may carry a
        hallucination, a repetition or text pasted from elsewhere. The ratio is a cheap,
        language-independent alarm that points at the place to read.

    Example:
        source (220 characters) ``Глава МИД Турции заявил, что …, однако …, и добавил …``
        · ``The Turkish foreign minister said that.`` -> translate the whole sentence

    Known false positives:
        Legitimate condensation or explanation (a translator's gloss for a term readers do
        not know), lists and tables whose cells differ in length by nature, captions and
        bylines added by the publisher (additions are reported at info severity).
    """

    name = "length-ratio"
    category = "structure"
    severity = "warning"

    def find(self, doc, ctx: Context):
        pair = pair_for(doc, ctx)
        if pair is None:
            return
        src, tgt = pair.src.text, doc.text
        yield from self._document(pair, len(src.strip()), len(tgt.strip()))
        if not pair.src_sents or not pair.tgt_sents:
            return
        found = gaps(pair)
        slen = [e - s for s, e in pair.src_sents]
        tlen = [e - s for s, e in pair.tgt_sents]
        split_beads = set(found.omitted.values()) | set(found.added.values())
        for k, b in enumerate(pair.beads):
            if b.s1 == b.s0 or b.t1 == b.t0 or k in split_beads:
                continue
            yield from self._bead(pair, b, sum(slen[b.s0:b.s1]), sum(tlen[b.t0:b.t1]))
        for j in sorted(found.added):
            a, e = pair.tgt_sents[j]
            yield self.flag(doc, a, e, "This sentence has no counterpart in the source: an addition?",
                            confidence=0.5, severity="info")

    def _document(self, pair: Pair, ls: int, lt: int):
        if ls < DOC_MIN_CHARS or not pair.tgt_sents:
            return
        rel = lt / (pair.ratio * ls)
        if DOC_LOW <= rel <= DOC_HIGH:
            return
        short = rel < DOC_LOW
        a, e = pair.tgt_sents[-1] if short else pair.tgt_sents[0]
        yield self.flag(
            pair.doc, a, e,
            f"The whole translation is {rel:.0%} of the length expected for its source "
            f"({lt} characters for {ls}; expected ratio {pair.ratio:.2f}): "
            + ("text may be missing." if short else "text may have been added."),
            confidence=0.7, ratio=round(lt / ls, 3), expected_ratio=pair.ratio, scope="document")

    def _bead(self, pair: Pair, b: Bead, ls: int, lt: int):
        expected = pair.ratio * ls
        rel = lt / expected
        if SENT_LOW <= rel <= SENT_HIGH or abs(lt - expected) < SENT_MIN_DIFF:
            return
        if abs(z_score(ls, lt, pair.ratio, pair.variance)) < SENT_Z:
            return
        short = rel < SENT_LOW
        a, e = pair.target_span(b.t0, b.t1)
        yield self.flag(
            pair.doc, a, e,
            f"This translation is {rel:.0%} of the length expected for its source "
            + ("sentence: part of it may be missing." if short else "sentence: text may have been added."),
            confidence=0.6, severity=None if short else "info", ratio=round(lt / ls, 3),
            expected_ratio=pair.ratio, **_source_evidence(pair, b.s0, b.s1))
