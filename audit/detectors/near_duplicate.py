"""Near-duplicate passages inside one document: a caption repeating a body sentence."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from itertools import chain, count, repeat

import regex

from .base import Detector
from .quote_consistency import content_stems, normalise

#: chrF (both directions, the larger) at or above which two passages are near-duplicates.
#: A caption that repeats a body sentence with one word changed scores 75–90; two
#: different sentences about the same event stay under 55.
NEAR = 70.0
#: Passages with fewer alphabetic words are boilerplate (``Reuters``, a date line).
MIN_WORDS = 8
#: The shorter passage must be at least this share of the longer one's length.
MIN_LENGTH_RATIO = 0.5
#: Candidate pairs share at least this share of the smaller passage's content words.
MIN_SHARED_SHARE = 0.5
MAX_CANDIDATES = 10
#: A stem in more than ``max(MIN_COMMON, min(passages / 5, MAX_COMMON))`` passages is common:
#: it selects no candidates. The upper bound keeps a book-length document linear: a stem in
#: thousands of passages would make every passage that holds it walk them all.
MIN_COMMON = 20
MAX_COMMON = 100
#: A trailing credit or bracketed note that is not part of the passage.
TRAILING_CREDIT = regex.compile(r"\s*(?:\[[^\[\]\n]*\]|\((?:Image|Photo|File|Credit)[^()\n]*\))\s*$", regex.I)
LINE = regex.compile(r"[^\r\n]+")
ALPHA_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*")


#: At least :data:`MIN_WORDS` ``ALPHA_WORD`` words from the match position (each word taken
#: whole, as ``ALPHA_WORD.finditer`` takes it: possessive quantifiers never split one).
ENOUGH_WORDS = regex.compile(r"(?:[^\p{L}]*+\p{L}[\p{L}\p{M}'’\-]*+){%d}" % MIN_WORDS)


def passages(doc) -> list[tuple[int, int]]:
    """Sentences, split further at line breaks (captions share a paragraph with body text)."""
    text = doc.text
    find = text.find
    out = []
    for sp in doc.sentences:
        if find("\n", sp.start, sp.end) < 0 and find("\r", sp.start, sp.end) < 0:
            lines = ((sp.start, sp.end),) if sp.end > sp.start else ()
        else:
            lines = (m.span() for m in LINE.finditer(text, sp.start, sp.end))
        for s, e in lines:
            # the credit ends in a bracket: only such lines pay for the search
            c = TRAILING_CREDIT.search(text, s, e) if (find("]", s, e) >= 0 or find(")", s, e) >= 0) else None
            if c and c.start() > s:
                e = c.start()
            while e > s and text[e - 1].isspace():
                e -= 1
            while s < e and text[s] in " \t•·–—-*":
                s += 1
            if ENOUGH_WORDS.match(text, s, e):
                out.append((s, e))
    return out


def _caption_like(text: str, start: int, end: int) -> bool:
    """A line with no sentence-final punctuation, or one followed by a bracketed credit."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    # (matched in place: a copy of the rest of a one-line page per passage would be quadratic)
    return bool(TRAILING_CREDIT.match(text, end, line_end)) or not text[start:end].rstrip().endswith((".", "!", "?", "…", "”", '"', "»"))


def _standalone(paras, starts: list[int], start: int, end: int) -> bool:
    """The passage is a paragraph of its own (a teaser, a caption, a pull quote): one of
    ``paras`` (whose starts are ``starts``) starts at most two characters before it and ends
    at most two after it."""
    # paragraphs are in order and disjoint: only those starting in [start - 2, start] qualify
    for k in range(bisect_left(starts, start - 2), bisect_right(starts, start)):
        p = paras[k]
        if start < p.end + 1 and p.end <= end + 2:
            return True
    return False


def _is_copy(doc, first: tuple[int, int], second: tuple[int, int], starts: list[int]) -> bool:
    """Whether the earlier passage is the copy: a caption, or a standalone teaser line
    before a passage that sits in running text. Otherwise the later passage is the copy.
    ``starts``: the start of each of ``doc.paragraphs``."""
    text = doc.text
    cap1, cap2 = _caption_like(text, *first), _caption_like(text, *second)
    if cap1 != cap2:
        return cap1
    paras = doc.paragraphs
    return _standalone(paras, starts, *first) and not _standalone(paras, starts, *second)


class NearDuplicate(Detector):
    """A passage that nearly repeats another passage of the same document.

    What it finds:
        Two sentences or lines of at least eight words in one document whose chrF is 70 or
        more (and that are not identical — exact repeats are ``repeated-sentence``). The
        finding is on the copy that looks like a caption (a line without final punctuation,
        or followed by a bracketed credit such as ``[File: Reuters]``), otherwise on the
        later passage, and names the other one. Passages that repeat the headline (the first
        paragraph) are left alone: headlines restate the story on purpose.

    Why it matters:
        Scraped and machine-translated articles often carry a photo caption or a teaser that
        repeats a body sentence almost word for word; in running text it reads as a
        duplicated sentence, and the two copies drift (``leader`` / ``President``).

    Example:
        ``Former US leader Donald Trump in December imposed sanctions … over the S-400
        acquisition [File: …]`` (caption) -> remove it, the body says ``Former US President
        Donald Trump in December imposed sanctions … over the acquisition.``

    Known false positives:
        A standfirst that restates the first paragraph, pull quotes, and refrains that a
        text repeats on purpose; two legitimately parallel sentences (``Turkey rejected the
        offer on Monday. Russia rejected the offer on Monday.``).

    Known misses:
        Candidate pairs are found through content words in at most 100 passages of the
        document (:data:`MAX_COMMON`), so that a book-length document stays linear: in a
        document that repeats the same passages hundreds of times, a near-duplicate none of
        whose words is rarer than that is not reported.
    """

    name = "near-duplicate"
    category = "structure"
    severity = "info"

    def find(self, doc, ctx):
        from ..score import PairwiseChrF

        text = doc.text
        found = passages(doc)
        if len(found) < 2:
            return
        headline = doc.paragraphs[0] if doc.paragraphs else None
        lang = doc.lang
        stems = [content_stems(text[s:e], lang, doc.word_pattern) for s, e in found]
        norms: dict[int, str] = {}  # normalised passages, computed for candidates only

        def norm(k: int) -> str:
            if k not in norms:
                norms[k] = normalise(text[found[k][0]:found[k][1]])
            return norms[k]

        sim = ctx.shared("chrf:pairwise", PairwiseChrF)
        flagged: set[int] = set()
        starts = [p.start for p in doc.paragraphs]
        for i, j in candidates(found, stems, headline):
            (a0, a1), (b0, b1) = found[i], found[j]
            if i in flagged and j in flagged:  # whichever is the copy, it is reported already
                continue
            first, second = text[a0:a1], text[b0:b1]
            if first == second:  # an exact repeat (repeated-sentence's)
                continue
            score = sim.similarity(first, second)
            # the same words with other spacing, case or punctuation are a repeat too; checked
            # after the score, as only a close pair can be one
            if score < NEAR or norm(i) == norm(j):
                continue
            target, other = (i, j) if _is_copy(doc, found[i], found[j], starts) else (j, i)
            if target in flagged:
                continue
            flagged.add(target)
            (s, e), (o0, o1) = found[target], found[other]
            line = doc.line_col(o0)[0]
            yield self.flag(
                doc, s, e,
                f"nearly repeats the passage at line {line} (chrF {score:.0f})",
                confidence=round(min(0.95, 0.5 + (score - NEAR) / 60), 2),
                chrf=round(score, 1), other_start=o0, other_end=o1, other_text=text[o0:o1],
            )


#: Above this many passage pairs × 64-stem words, :func:`candidates` works through postings
#: lists instead of a passage × passage matrix (a book-length document).
DENSE_LIMIT = 4_000_000


def candidates(found: list[tuple[int, int]], stems: list[frozenset[str]], headline=None) -> list[tuple[int, int]]:
    """The passage pairs ``(i, j)``, ``i < j``, worth a chrF, in the order they are scored.

    Each stem in more than ``max(MIN_COMMON, min(passages / 5, MAX_COMMON))`` passages is
    common and ignored. For each passage ``i`` outside the headline, the later passages
    sharing rare stems with it are ranked by the number shared (then by position); of the
    first :data:`MAX_CANDIDATES`, those sharing at least :data:`MIN_SHARED_SHARE` of the
    smaller passage's stems and at least :data:`MIN_LENGTH_RATIO` of the longer one's length
    are kept.

    The shared counts of all pairs come at once from bit sets of rare stems (a popcount of
    their AND, in numpy, no BLAS); :func:`_candidates_postings` is the same selection
    through postings lists, for documents too long for the matrix.
    """
    import numpy as np

    n = len(found)
    flat = list(chain.from_iterable(stems))
    # only rare stems in two passages or more can be shared: one bit column each
    cap = _common_cap(n)
    vocab = dict(zip([w for w, df in Counter(flat).items() if 1 < df <= cap], count()))
    if not vocab:
        return []
    words = (len(vocab) + 63) // 64
    if n * n * words > DENSE_LIMIT or not hasattr(np, "bitwise_count"):  # numpy < 2
        return _candidates_postings(found, stems, headline)
    sizes = np.fromiter(map(len, stems), dtype=np.intp, count=n)
    cols = np.fromiter(map(vocab.get, flat, repeat(-1)), dtype=np.intp, count=len(flat))
    rows = np.repeat(np.arange(n), sizes)
    rare = cols >= 0
    bits = np.zeros((n, words * 64), dtype=bool)
    bits[rows[rare], cols[rare]] = True
    packed = np.packbits(bits, axis=1).view(np.uint64)  # n × words
    # rare stems shared by every pair, later passages only
    shared = np.triu(np.bitwise_count(packed[:, None, :] & packed[None, :, :]).sum(axis=2, dtype=np.intp), 1)
    order = np.argsort(-shared, axis=1, kind="stable")[:, :MAX_CANDIDATES]  # most shared first, then by j
    together = np.take_along_axis(shared, order, axis=1)
    lengths = np.fromiter((e - s for s, e in found), dtype=np.intp, count=n)
    keep = (together > 0) & (together >= MIN_SHARED_SHARE * np.minimum(sizes[:, None], sizes[order]))
    keep &= np.minimum(lengths[:, None], lengths[order]) >= MIN_LENGTH_RATIO * np.maximum(lengths[:, None], lengths[order])
    if headline is not None:
        starts = np.fromiter((s for s, _ in found), dtype=np.intp, count=n)
        keep &= ~((headline.start <= starts) & (starts < headline.end))[:, None]
    ii, kk = np.nonzero(keep)  # row-major: by i, then by rank
    return list(zip(ii.tolist(), order[ii, kk].tolist()))


def _common_cap(n: int) -> int:
    """The most passages (of ``n``) a stem may be in and still select candidates."""
    return max(MIN_COMMON, min(n // 5, MAX_COMMON))


def _candidates_postings(found, stems, headline=None) -> list[tuple[int, int]]:
    """:func:`candidates` through postings lists (no matrix), for very long documents."""
    df = Counter(chain.from_iterable(stems))
    cap = _common_cap(len(found))
    # passages under each rare stem, in increasing order (so ``j > i`` is a bisect)
    index: dict[str, list[int]] = defaultdict(list)
    common = {w for w, n in df.items() if n > cap}
    rare = [list(st - common) if common else list(st) for st in stems]
    for i, ws in enumerate(rare):
        for w in ws:
            index[w].append(i)
    out = []
    for i, st in enumerate(stems):
        a0, a1 = found[i]
        if headline is not None and (headline.start <= a0 < headline.end):
            continue
        later = [index[w][bisect_right(index[w], i):] for w in rare[i]]
        shared = Counter(chain.from_iterable(later))
        for j, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
            if n < MIN_SHARED_SHARE * min(len(st), len(stems[j])):
                continue
            b0, b1 = found[j]
            if min(a1 - a0, b1 - b0) < MIN_LENGTH_RATIO * max(a1 - a0, b1 - b0):
                continue
            out.append((i, j))
    return out
