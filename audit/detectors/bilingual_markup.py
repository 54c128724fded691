"""markup-mismatch: placeholders, tags, URLs, e-mail addresses, hashtags and handles of the source
missing, altered or duplicated in the translation."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz, process

from .. import chardata
from . import bilingual_data as data
from .base import Context, Detector
from .bilingual_align import Pair, clip, pair_for

#: A mangled target token is taken for an altered source token from this similarity (0–100).
ALTERED_RATIO = 60
#: More source tokens than this missing from one aligned passage are reported in one finding.
MAX_MISSING_PER_SPAN = 20
_HREF = regex.compile(r"""(?i)\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""")
#: Characters that cannot occur in a text with no markup at all (the fast path).
_TRIGGERS = ("{", "%", "#", "<", "@", "://", "www.", "[")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    kind: str
    text: str
    key: str  # what must be equal on both sides


def _key(kind: str, text: str) -> str:
    if kind == "tag":
        m = data.TAG_NAME.match(text)
        if m is None:
            return text
        href = _HREF.search(text)
        return f"<{m.group(1)}{m.group(2).lower()}{m.group(3)}>" + (href.group(1) if href else "")
    if kind == "url":
        return text.rstrip("/")
    if kind in ("email", "hashtag", "handle"):
        return text.casefold()
    if kind == "placeholder":
        return "".join(text.split())
    return text


#: Kinds whose every token holds a match of the needle pattern and no white space: their
#: pattern runs only on the whitespace-delimited tokens of the text that hold a needle (the
#: e-mail pattern, tried from every word, took most of this rule's time on ordinary text).
LOCAL_KINDS = {"url": regex.compile(r"(?i)://|www\."), "email": regex.compile("@")}
_TOKEN_HEAD = regex.compile(r"\S*", flags=regex.REVERSE)
_TOKEN_TAIL = regex.compile(r"\S*")


def local_matches(pattern, text: str, needle):
    """``pattern.finditer(text)`` for a pattern whose every match holds a match of ``needle``
    and no white space (``\\s`` as the ``regex`` module reads it), and whose look-arounds
    accept white space and the ends of the text alike: run on each whitespace-delimited token
    that holds a needle, in text order."""
    b = 0
    for m in needle.finditer(text):
        p = m.start()
        if p < b:
            continue  # in the token just searched
        a, b = _TOKEN_HEAD.match(text, 0, p).start(), _TOKEN_TAIL.match(text, p).end()
        yield from pattern.finditer(text, a, b)


def tokens(text: str) -> list[Token]:
    """The markup tokens of ``text``, earlier kinds first, never overlapping, in text order."""
    if not any(t in text for t in _TRIGGERS):
        return []
    taken: list[tuple[int, int]] = []  # sorted and disjoint: a bisect tells an overlap
    out: list[Token] = []
    for kind, pattern in data.MARKUP.items():
        if not any(t in text for t in data.MARKUP_TRIGGERS[kind]):
            continue
        local = LOCAL_KINDS.get(kind)
        for m in local_matches(pattern, text, local) if local else pattern.finditer(text):
            s, e = m.span()
            if chardata.inside(taken, s, e):
                continue
            out.append(Token(s, e, kind, m.group(), _key(kind, m.group())))
            bisect.insort(taken, (s, e))
    out.sort(key=lambda t: t.start)
    return out


def loose_tokens(text: str, strict: list[Token]) -> list[Token]:
    """Mangled placeholders and tags (``{ 0 }``, ``% s``, ``< b >``) that no strict token covers."""
    out = []
    spans = sorted((t.start, t.end) for t in strict)  # disjoint (tokens never overlap)
    for kind, pattern in data.MARKUP_LOOSE.items():
        for m in pattern.finditer(text):
            s, e = m.span()
            if chardata.inside(spans, s, e):
                continue
            out.append(Token(s, e, kind, m.group(), _key(kind, m.group())))
    return out


def _side_tokens(pair: Pair, side: str) -> list[Token]:
    key = f"markup:{side}"
    if key not in pair.cache:
        pair.cache[key] = tokens((pair.src if side == "source" else pair.doc).text)
    return pair.cache[key]


def markup_spans(pair: Pair, side: str) -> list[tuple[int, int]]:
    """Sorted spans of one side's markup (the number rule skips numbers inside them)."""
    return [(t.start, t.end) for t in _side_tokens(pair, side)]


class MarkupMismatch(Detector):
    """A placeholder, tag, URL, e-mail address or hashtag of the source missing, altered or duplicated in the translation.

    What it finds:
        The markup of the source — placeholders (``{0}``, ``{name}``, ``%s``, ``%1$s``,
        ``%(name)s``, ``{{var}}``, ``#PRS_ORG#``), HTML/XML tags (by name, direction and link
        target), URLs, e-mail addresses, hashtags and @handles — compared as multisets with
        the translation's. A source token with no counterpart is *altered* when a similar
        unmatched or mangled token (``{ 0 }``, ``% s``, a URL with a changed character) stands
        in the translation — flagged there, with the source token as the suggestion — else
        *missing*, flagged on the target sentences aligned to its source sentence (more than 20
        missing from one aligned passage — a page the alignment could not split — are one
        finding that lists them). A target token occurring more often than in the source is
        flagged as *duplicated*; one that the source does not have at all as *not in the source*.

    Why it matters:
        A placeholder lost or mangled breaks the software that fills it in; a duplicated tag
        breaks the page; a changed URL or e-mail address sends readers somewhere else; a
        dropped hashtag loses the post's reach. Machine translation does all of these: it
        translates inside braces, inserts spaces (``% s``), and repeats tokens.

    Example:
        source ``Hello {0}, you have %d messages`` · ``Привет { 0 }, у вас % d сообщений``
        -> ``Привет {0}, у вас %d сообщений``
        source ``Подробнее: https://example.org/a-1`` · ``More: https://example.org/a-l``
        -> ``More: https://example.org/a-1``

    Known false positives:
        Hashtags and handles deliberately localised (``#выборы`` -> ``#elections``), links
        rewritten to a localised page, and tags restructured by a translator who moved the
        emphasis (a different but valid tag set). Tag attributes other than ``href``/``src``
        are ignored.
    """

    name = "markup-mismatch"
    # structure: a sibling of mt-token-leak (mangled placeholders) and truncation — the text's
    # machinery, not its wording, is broken.
    category = "structure"
    severity = "error"

    def find(self, doc, ctx: Context):
        pair = pair_for(doc, ctx)
        if pair is None:
            return
        src = _side_tokens(pair, "source")
        tgt = _side_tokens(pair, "target")
        if not src and not tgt:
            return
        have = Counter((t.kind, t.key) for t in tgt)
        need = Counter((s.kind, s.key) for s in src)
        if have == need:
            return
        # mangled placeholders and tags; a "hashtag" inside a mangled #PRS ORG# is part of it
        loose = loose_tokens(doc.text, [t for t in tgt if t.kind not in ("hashtag", "handle")])
        if loose:
            tgt = [t for t in tgt if t.kind not in ("hashtag", "handle")
                   or not any(x.start <= t.start < x.end for x in loose)]
            have = Counter((t.kind, t.key) for t in tgt)
        # source tokens without counterpart (the later occurrences of a key are the missing ones)
        missing: list = []
        seen: Counter = Counter()
        for s in src:
            seen[(s.kind, s.key)] += 1
            if seen[(s.kind, s.key)] > have[(s.kind, s.key)]:
                missing.append(s)
        surplus: list[Token] = []
        seen = Counter()
        for t in tgt:
            seen[(t.kind, t.key)] += 1
            if seen[(t.kind, t.key)] > need[(t.kind, t.key)]:
                surplus.append(t)
        candidates: dict[str, list[Token]] = defaultdict(list)
        for t in surplus:
            if need[(t.kind, t.key)] == 0:
                candidates[t.kind].append(t)
        if missing:
            for t in loose:
                candidates[t.kind].append(t)
        used: set[int] = set()
        # each kind's candidates not used yet, in candidate order (their keys beside them, for
        # rapidfuzz's extractOne: the first best ratio, as a loop over them would pick), and
        # their starts sorted (how many lie in a span: a bisect)
        pool = {k: (list(ts), [t.key for t in ts], sorted(t.start for t in ts)) for k, ts in candidates.items()}
        missing_at: dict[tuple[int, int], list[Token]] = defaultdict(list)
        for s in missing:
            best, score, i = None, 0.0, -1
            toks, keys, starts = pool.get(s.kind, ([], [], []))
            hit = process.extractOne(s.key, keys, scorer=fuzz.ratio) if keys else None
            if hit is not None and hit[1] > 0:
                i = hit[2]
                best, score = toks[i], hit[1]
            if best is None or score < ALTERED_RATIO:
                # a lone unmatched placeholder or tag in the aligned sentences took its place
                a, b = pair.target_span(*pair.target_range(s.start))
                lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
                if hi - lo == 1 and s.kind in ("placeholder", "tag"):
                    i = next(k for k, t in enumerate(toks) if t.start == starts[lo])
                    best, score = toks[i], float(ALTERED_RATIO)
            if best is not None and score >= ALTERED_RATIO:
                used.add(best.start)
                del toks[i], keys[i]
                del starts[bisect.bisect_left(starts, best.start)]
                yield self.flag(doc, best.start, best.end,
                                f"The source's {data.MARKUP_KIND_LABEL[s.kind]} {s.text} is altered in the translation.",
                                suggestion=s.text, confidence=min(1.0, 0.5 + score / 200), **self._evidence(pair, s))
            else:
                missing_at[pair.target_span(*pair.target_range(s.start))].append(s)
        for (a, b), gone in missing_at.items():
            if len(gone) <= MAX_MISSING_PER_SPAN:
                for s in gone:
                    yield self.flag(doc, a, b, f"The source's {data.MARKUP_KIND_LABEL[s.kind]} {s.text} is missing "
                                    "from the translation.", confidence=0.8, **self._evidence(pair, s))
                continue
            # the alignment could not place them (one bead for a page without sentence ends):
            # one finding for the passage, not one copy of it per token
            shown = ", ".join(s.text for s in gone[:MAX_MISSING_PER_SPAN])
            kinds = ", ".join(sorted({data.MARKUP_KIND_LABEL[s.kind] for s in gone}))
            yield self.flag(doc, a, b, f"{len(gone)} markup tokens of the source ({kinds}) are missing from this "
                            f"passage of the translation: {shown} …", confidence=0.8,
                            missing=[s.text for s in gone], **self._evidence(pair, gone[0]))
        first_of: dict[tuple[str, str], Token] = {}
        for s in src:
            first_of.setdefault((s.kind, s.key), s)
        for t in surplus:
            if t.start in used:
                continue
            label = data.MARKUP_KIND_LABEL[t.kind]
            if need[(t.kind, t.key)]:
                first = first_of[(t.kind, t.key)]
                yield self.flag(doc, t.start, t.end,
                                f"The {label} {t.text} occurs {have[(t.kind, t.key)]} times in the translation, "
                                f"{need[(t.kind, t.key)]} in the source.",
                                confidence=0.8, severity="warning", **self._evidence(pair, first))
            elif t.kind in ("placeholder", "tag"):
                yield self.flag(doc, t.start, t.end, f"The {label} {t.text} is not in the source.",
                                confidence=0.7, severity="warning")

    @staticmethod
    def _evidence(pair: Pair, s: Token) -> dict:
        i = pair.src_sentence_at(s.start)
        sent = pair.src_sents[i] if 0 <= i < len(pair.src_sents) else (s.start, s.end)
        return dict(source_start=s.start, source_end=s.end, source_text=s.text,
                    source_sentence=clip(pair.src.text[sent[0]:sent[1]]))
