"""untranslated-copy: the translation is (nearly) the source, or a sentence of it is a copy."""

from __future__ import annotations

import regex

from .base import Context, Detector
from .bilingual_align import Pair, clip, pair_for

#: chrF (0–100, sacrebleu defaults: character 6-grams, β = 2) from which two texts are copies.
#: Two different English articles on the same story score about 50; a Turkish source and its
#: English translation 20–35; a copy with a few words changed 85+.
DOC_CHRF = 80.0
SENTENCE_CHRF = 75.0
#: Share of the target's words found in the source before chrF is computed (a cheap screen).
DOC_SCREEN = 0.6
SENTENCE_SCREEN = 0.6
#: A sentence counts from this many content words (lower-case words of 3+ letters): names-,
#: numbers- and title-only lines are the same in both languages by right.
MIN_CONTENT_WORDS = 3
CONTENT_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Ll}[\p{Ll}\p{M}'’\-]{2,}")


def _chrf(ctx: Context):
    from sacrebleu.metrics import CHRF

    return ctx.shared("bilingual:chrf", CHRF)


def _containment(target: str, source: str) -> float:
    words = set(target.casefold().split())
    if not words:
        return 0.0
    return len(words & set(source.casefold().split())) / len(words)


class UntranslatedCopy(Detector):
    """The translation is (nearly) the source text, or a sentence of it is a copy of a source sentence.

    What it finds:
        A document whose text is the source text, or nearly (chrF ≥ 80 between them, with
        sacrebleu's chrF: character 6-grams), and a target sentence that copies a source
        sentence (chrF ≥ 75 against the source sentences aligned to it) when source and
        target languages differ. (The document check runs whatever the languages: a target
        left in the source language is often identified as that language.) Sentences with fewer than three lower-case words of three
        letters or more — names, numbers, datelines, titles of works — are left alone: they
        are the same in both languages by right. A cheap word-overlap screen runs first, so
        chrF is only computed for likely copies.

    Why it matters:
        A pipeline that failed silently (a timeout, a length limit, an unsupported language)
        often passes the source through unchanged; so does a translator who skipped a
        paragraph. The text then reads as "translated" in every report but is not.

    Example:
        source ``Bakan açıklamayı Ankara'da yaptı ve görüşmelerin süreceğini söyledi.``
        · target the same sentence -> translate it: ``The minister made the statement in Ankara …``

    Known false positives:
        A same-language revision checked against its draft (it is nearly a copy by design).
        Quotations deliberately left in the original language, slogans and song titles,
        lists of names with a few common words, and closely related languages whose
        sentences can coincide.
    """

    name = "untranslated-copy"
    # language: a passage in the wrong language, as untranslated-passage finds without a source.
    category = "language"
    severity = "error"

    def find(self, doc, ctx: Context):
        pair = pair_for(doc, ctx)
        if pair is None:
            return
        text, source = doc.text, pair.src.text
        if _containment(text[:4000], source) >= DOC_SCREEN:
            score = _chrf(ctx).sentence_score(text, [source]).score
            if score >= DOC_CHRF:
                first = pair.tgt_sents[0] if pair.tgt_sents else (0, len(text))
                yield self.flag(
                    doc, first[0], first[1],
                    f"The translation is {'a copy' if score >= 99 else 'nearly a copy'} of the source "
                    f"(chrF {score:.0f}): it was not translated.",
                    confidence=min(1.0, score / 100), chrf=round(score, 1), source_start=0,
                    source_end=len(source), source_text=clip(source))
                return
        sl, tl = (pair.source_lang or "").split("-")[0], (doc.lang or "").split("-")[0]
        if sl and sl == tl:
            return  # the same language (or a copy detected as such): sentences agree by right
        yield from self._sentences(pair, ctx)

    def _sentences(self, pair: Pair, ctx: Context):
        doc, src = pair.doc, pair.src
        cross_script = pair.src_script != pair.tgt_script
        if cross_script and not _SOURCE_SCRIPT[pair.src_script].search(doc.text):
            return  # no letter of the source's script in the target: nothing can be a copy
        source_words = set(src.text.casefold().split())
        for k, (a, b) in enumerate(pair.tgt_sents):
            sentence = doc.text[a:b]
            if cross_script and not _SOURCE_SCRIPT[pair.src_script].search(sentence):
                continue
            words = sentence.casefold().split()
            if len(words) < MIN_CONTENT_WORDS or sum(w in source_words for w in words) < SENTENCE_SCREEN * len(words):
                continue  # most of its words are not in the source at all: not a copy
            if len(CONTENT_WORD.findall(sentence)) < MIN_CONTENT_WORDS:
                continue
            s0, s1 = _source_range(pair, k)
            if s1 <= s0:
                continue
            sa, sb = src.sentences[s0][0], src.sentences[s1 - 1][1]
            if _containment(sentence, src.text[sa:sb]) < SENTENCE_SCREEN:
                continue
            best = None
            for i in range(s0, s1):
                cand = src.text[src.sentences[i][0]:src.sentences[i][1]]
                score = _chrf(ctx).sentence_score(sentence, [cand]).score
                if best is None or score > best[0]:
                    best = (score, i)
            if best is None or best[0] < SENTENCE_CHRF:
                continue
            score, i = best
            ss, se = src.sentences[i]
            yield self.flag(
                doc, a, b,
                f"This sentence {'is' if score >= 99 else 'nearly is'} a copy of the source sentence "
                f"(chrF {score:.0f}): it was not translated.",
                confidence=min(1.0, score / 100), chrf=round(score, 1),
                source_start=ss, source_end=se, source_text=clip(src.text[ss:se]))


_SOURCE_SCRIPT = {"Cyrillic": regex.compile(r"\p{Script=Cyrillic}{2}"), "Latin": regex.compile(r"\p{Script=Latin}{2}")}


def _source_range(pair: Pair, k: int) -> tuple[int, int]:
    """Source sentences aligned to target sentence ``k``, one either side."""
    if not pair.beads:
        return 0, 0
    b = pair.beads[pair.bead_of_tgt[k]]
    return max(0, b.s0 - 1), min(len(pair.src_sents), b.s1 + 1)
