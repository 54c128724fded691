"""Retranslated quotes: one statement rendered differently across the corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import regex

from .. import chardata
from ..findings import Finding
from ..quotations import extract_quotations, fold_name, given_name
from .base import CorpusDetector, Observation

KIND = "quotation"

# -- thresholds (chrF, 0–100, sacrebleu defaults: character 6-grams, beta 2) ----------------
#: Two renderings of one statement score at least this: below it, a shared speaker and a
#: few shared words are coincidence (two *different* sentences by one speaker on one topic
#: score 20–35; the seed corpus's retranslation of Cavusoglu scores 37).
SAME_FLOOR = 30.0
#: Independent translations of one sentence typically score 45–60 against each other;
#: a rendering whose closest sibling stays below this is reported.
DIVERGE = 60.0
#: Below this the rendering is far from every other (a double translation through a pivot
#: language, a paraphrase); it is a warning when the others agree among themselves.
CLEAR = 45.0
#: At or above this two renderings are the same text with small edits (``long-standing``
#: / ``longstanding`` scores 95): never reported.
NEAR_IDENTICAL = 80.0
#: "Same statement" also needs topical overlap: at least this many shared content words
#: (entities, designations like S-400, nouns) that are not the speaker's everyday topic
#: words, and this share of the shorter side's content words.
MIN_SHARED = 2
MIN_OVERLAP = 0.3
#: Shared words only count when they are not the speaker's everyday topic: a word in more
#: than this share of the speaker's renderings (and more than TOPIC_MIN_DF of them).
TOPIC_SHARE = 0.1
TOPIC_MIN_DF = 3
#: Pieces of quotes with fewer content words are fragments (``“a done deal”``): skipped.
MIN_CONTENT_WORDS = 3
#: Blocking (see ``RetranslatedQuote._pairs``): renderings are filed under pairs of their
#: :data:`RAREST` rarest content words; buckets larger than :data:`MAX_BUCKET` are skipped and
#: at most :data:`MAX_CANDIDATES` candidates per rendering are scored, so the chrF pairs grow
#: linearly with the corpus, never quadratically.
RAREST = 10
MAX_BUCKET = 200
MAX_CANDIDATES = 30

STEM_LEN = 5
NUMERIC_PLURAL = regex.compile(r"(?<=\d)s$")
NORMALISE = regex.compile(r"[\s\p{P}]+")


@lru_cache(maxsize=32)
def stopwords(lang: str) -> frozenset[str]:
    """The language's most frequent words (wordfreq, offline), folded."""
    try:
        from wordfreq import top_n_list

        words = top_n_list(lang or "en", 250)
    except (LookupError, ValueError):
        words = []
    if not words:
        words = top_n_list("en", 250)
    return frozenset(fold_name(w) for w in words)


#: Per language (the stop-word list's code): word -> its content stem, '' when the word is
#: not a content word (short, or a stop word). Cleared when it grows past this many words.
_STEMS: dict[str, dict[str, str]] = {}
_STEMS_MAX = 200_000


def content_stems(text: str, lang: str | None, words_of=chardata.WORD) -> frozenset[str]:
    """Folded content words cut to :data:`STEM_LEN` letters; designations kept whole (``s-400``).
    ``words_of``: the word pattern (a document's :attr:`~audit.document.Document.word_pattern`)."""
    code = (lang or "en").split("-")[0]
    table = _STEMS.get(code)
    if table is None:
        table = _STEMS[code] = {}
    words = words_of.findall(text)
    try:
        out = frozenset(map(table.__getitem__, words))
    except KeyError:  # words not seen before in this language
        if len(table) > _STEMS_MAX:
            table.clear()
        stop = stopwords(code)
        for w in words:
            if w not in table:
                s = _stem(w)
                table[w] = s[0] if s and s[1] not in stop else ""
        out = frozenset(map(table.__getitem__, words))
    return out - {""} if "" in out else out


@lru_cache(maxsize=200_000)
def _stem(word: str) -> tuple[str, str] | None:
    """(stem, folded word) of a word, None for short words without digits."""
    f = word.lower() if word.isascii() else fold_name(word)
    digits = any(c.isdigit() for c in f)
    if len(f) < 3 and not digits:
        return None
    return (NUMERIC_PLURAL.sub("", f) if digits else f[:STEM_LEN]), f


def normalise(text: str) -> str:
    return NORMALISE.sub(" ", text.casefold()).strip()


@dataclass(slots=True)
class _Unit:
    obs: Observation
    start: int
    end: int
    line: int
    column: int
    text: str
    norm: str
    stems: frozenset[str]

    @property
    def doc(self) -> str:
        return self.obs.doc


class RetranslatedQuote(CorpusDetector):
    """A quotation rendered clearly differently from the other renderings of the same statement.

    What it finds:
        Quoted speech is extracted with its speaker (``“…,” Cavusoglu said``, role nouns and
        pronouns resolved to a person named earlier, a speaker carried into the next
        paragraph). Across the corpus, pieces of quotes by the same speaker (a
        transliteration-folding key: ``Çavuşoğlu`` = ``Cavusoglu``) that share content words
        and score chrF ≥ 30 are taken as one statement. A rendering whose closest rendering
        in any other document stays below chrF 60 is reported, with the others and their
        documents as evidence: a warning below chrF 45 when at least two other documents
        agree on their wording, else info. Near-identical renderings (chrF ≥ 80, such as
        ``long-standing`` / ``longstanding``) are never reported.

    Why it matters:
        A quotation should say what the speaker said. When one outlet's version drifts from
        every other, it was usually translated twice (Turkish -> Russian -> English) or
        paraphrased inside quotation marks; the others show what the words were.

    Example:
        ``“The complexes have been purchased, and now the issue is closed”`` (002) -> compare
        ``“We have told them once again that Turkey has already bought the S-400s and that
        the issue is closed”`` (000, 001, 003)

    Known false positives:
        Two different sentences by one speaker on one topic that share names and keywords
        (``It’s no secret that we have differences…`` / ``It’s also no secret that Turkey is a
        valued ally``) when a document quotes only one of them; a speaker resolved wrongly
        from a pronoun. Independent but faithful translations from another language are
        reported at info level.
    """

    name = "retranslated-quote"
    category = "consistency"
    severity = "warning"
    consumes = (KIND,)
    key_local = True  # groups by key only: runs on the spilled partitions of a large corpus

    # -- document stage: record the quotations ------------------------------------------------
    def find(self, doc, ctx):
        lex = _lexicon(ctx)
        for q in extract_quotations(doc):
            if not q.key or not q.units:
                continue
            units = []
            for u in q.units:
                line, column = doc.line_col(u.start)
                units.append([u.start - q.start, u.end - q.start, line, column])
            entity = None
            if lex is not None and q.speaker_name:
                try:
                    entity = lex.entity_of(q.speaker_name)
                except Exception:  # the lexicon is optional; a failure must not lose the quote
                    entity = None
            ctx.observe(Observation(doc.id, KIND, q.start, q.end, q.text, q.key, {
                "speaker": q.speaker, "speaker_name": q.speaker_name, "how": q.how,
                "given": given_name(q.speaker_name), "entity": entity, "lang": doc.lang, "units": units,
            }))
        return iter(())

    # -- corpus stage -----------------------------------------------------------------------------
    def find_corpus(self, observations, ctx):
        from ..score import PairwiseChrF

        sim = ctx.shared("chrf:pairwise", PairwiseChrF)
        blocks: dict[str, list[_Unit]] = defaultdict(list)
        for obs in observations:
            if obs.kind != KIND or not obs.key:
                continue
            for rel_start, rel_end, line, column in obs.data.get("units", ()):
                text = obs.text[rel_start:rel_end]
                stems = content_stems(text, obs.data.get("lang"))
                if len(stems) < MIN_CONTENT_WORDS:
                    continue
                blocks[obs.key].append(_Unit(obs, obs.start + rel_start, obs.start + rel_end, line, column,
                                             text, normalise(text), stems))
        for key in sorted(blocks):
            units = blocks[key]
            if len({u.doc for u in units}) < 2:
                continue
            yield from self._block(units, sim)

    def _block(self, units: list[_Unit], sim) -> list[Finding]:
        # distinct renderings; identical copies (wire copy reprinted) are scored once
        by_norm: dict[str, list[_Unit]] = defaultdict(list)
        for u in units:
            by_norm[u.norm].append(u)
        norms = sorted(by_norm)
        reps = [by_norm[n][0] for n in norms]
        docs = [frozenset(u.doc for u in by_norm[n]) for n in norms]
        pairs = self._pairs(reps, sim)
        out = []
        for i, n in enumerate(norms):
            if len(docs[i]) > 1 or not pairs[i]:
                continue  # an identical rendering in another document, or nothing to compare
            (doc,) = docs[i]
            matched = sorted(((score, j) for j, score in pairs[i].items() if docs[j] - {doc}),
                             key=lambda sj: (-sj[0], sj[1]))
            if not matched or matched[0][0] >= DIVERGE:
                continue
            # how many other documents agree on one wording (identical or chrF >= NEAR_IDENTICAL)
            consensus = max(len(docs[j] - {doc}) + sum(len(docs[k] - {doc}) for k, sc in pairs[j].items()
                                                       if sc >= NEAR_IDENTICAL and k in pairs[i])
                            for _, j in matched)
            evidence: list[tuple[float, _Unit]] = []
            seen: set[str] = set()
            for score, j in matched:
                for v in sorted(by_norm[norms[j]], key=lambda v: (v.doc, v.start)):
                    if v.doc != doc and v.doc not in seen and len(evidence) < 5:
                        seen.add(v.doc)
                        evidence.append((score, v))
                if len(evidence) >= 5:
                    break
            n_docs = len(frozenset().union(*(docs[j] for _, j in matched)) - {doc})
            for u in by_norm[n]:
                out.append(self._finding(u, evidence, n_docs, matched[0][0], consensus))
        return out

    @staticmethod
    def _pairs(reps: list[_Unit], sim) -> list[dict[int, float]]:
        """Same-statement pairs among distinct renderings, found without comparing all pairs.

        Blocking: every rendering is filed under pairs of its rarest content words (two
        renderings of one statement share at least two); buckets holding more than
        :data:`MAX_BUCKET` renderings (``Turkey`` + ``S-400`` for a Turkish minister) carry no
        information and are skipped. Each rendering's candidates are ranked by the number of
        buckets they share, and at most :data:`MAX_CANDIDATES` are scored with chrF.
        """
        stems = [u.stems for u in reps]
        df = Counter(s for st in stems for s in st)
        topic = max(TOPIC_MIN_DF, int(TOPIC_SHARE * len(reps)))
        keyed = [sorted(sorted(st, key=lambda s: (df[s], s))[:RAREST]) for st in stems]
        buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, rare in enumerate(keyed):
            for key in combinations(rare, 2):
                buckets[key].append(i)
        pairs: list[dict[int, float]] = [{} for _ in reps]
        for i, rare in enumerate(keyed):
            shared: Counter = Counter()
            for key in combinations(rare, 2):
                bucket = buckets[key]
                if len(bucket) <= MAX_BUCKET:
                    shared.update(j for j in bucket if j > i)
            for j, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
                both = stems[i] & stems[j]
                if len(both) / min(len(stems[i]), len(stems[j])) < MIN_OVERLAP:
                    continue
                if sum(1 for s in both if df[s] <= topic) < MIN_SHARED:
                    continue  # only the speaker's everyday topic words in common (Turkey, S-400)
                if not _same_speaker(reps[i].obs, reps[j].obs):
                    continue
                score = sim.similarity(reps[i].text, reps[j].text)
                if score >= SAME_FLOOR:
                    pairs[i][j] = pairs[j][i] = score
        return pairs

    def _finding(self, u: _Unit, evidence, n_docs: int, best: float, consensus: int) -> Finding:
        clear = best < CLEAR and consensus >= 2
        speaker = u.obs.data.get("speaker_name") or u.obs.data.get("speaker") or u.obs.key
        top_score, top = evidence[0]
        message = (f"{speaker}'s statement is rendered differently in {n_docs} other document{'s' if n_docs > 1 else ''}"
                   f" (closest chrF {top_score:.0f} in {top.doc}: “{_clip(top.text)}”)")
        return Finding(
            doc=u.doc, rule=self.name, category=self.category,
            severity="warning" if clear else "info", start=u.start, end=u.end, line=u.line, column=u.column,
            text=u.text, message=message, suggestion=None,
            confidence=0.8 if clear else 0.55,
            evidence={
                "speaker": speaker, "speaker_as_written": u.obs.data.get("speaker"),
                "best_chrf": round(best, 1), "agreeing_documents": consensus,
                "renderings": [{"doc": v.doc, "text": v.text, "chrf": round(s, 1), "line": v.line}
                               for s, v in evidence],
            },
        )


def _same_speaker(a: Observation, b: Observation) -> bool:
    """Same speaker key (checked by the block); given names and lexicon entities must agree."""
    ea, eb = a.data.get("entity"), b.data.get("entity")
    if ea and eb and ea != eb:
        return False
    ga, gb = a.data.get("given"), b.data.get("given")
    return not (ga and gb and ga[0] != gb[0])


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _lexicon(ctx):
    """The names lexicon when the lexicon package provides one, else None."""

    def load():
        try:
            from ..lexicon import get_lexicon

            return get_lexicon(ctx)
        except Exception:  # an unreadable user lexicon: speakers are then matched without it
            return None

    return ctx.shared("retranslated-quote:lexicon", load)
