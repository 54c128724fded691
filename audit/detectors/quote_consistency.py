"""Retranslated quotes: one statement rendered differently across the corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

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
#: (entities, designations like S-400, nouns), and this share of the shorter side's words.
MIN_SHARED = 2
MIN_OVERLAP = 0.3
#: Pieces of quotes with fewer content words are fragments (``“a done deal”``): skipped.
MIN_CONTENT_WORDS = 3
#: Blocking: a content word in more than this share of one speaker's renderings (``Turkey``
#: for a Turkish minister) does not generate candidate pairs; at most this many candidates
#: per rendering are scored. Together they keep the pairs linear in the corpus size.
MAX_DF_SHARE = 0.2
MIN_DF_CAP = 50
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


def content_stems(text: str, lang: str | None) -> frozenset[str]:
    """Folded content words cut to :data:`STEM_LEN` letters; designations kept whole (``s-400``)."""
    stop = stopwords((lang or "en").split("-")[0])
    out = set()
    for w in chardata.WORD.findall(text):
        f = fold_name(w)
        if f in stop or len(f) < 3 and not any(c.isdigit() for c in f):
            continue
        out.add(NUMERIC_PLURAL.sub("", f) if any(c.isdigit() for c in f) else f[:STEM_LEN])
    return frozenset(out)


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
        stems = [by_norm[n][0].stems for n in norms]
        df = Counter(s for st in stems for s in st)
        cap = max(MIN_DF_CAP, int(MAX_DF_SHARE * len(norms)))
        index: dict[str, list[int]] = defaultdict(list)
        for i, st in enumerate(stems):
            for s in st:
                if df[s] <= cap:
                    index[s].append(i)
        pairs: dict[int, dict[int, float]] = defaultdict(dict)
        for i, st in enumerate(stems):
            shared = Counter(j for s in st if df[s] <= cap for j in index[s] if j > i)
            for j, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
                common = len(st & stems[j])  # frequent words count for overlap, not for blocking
                if common < MIN_SHARED or common / min(len(st), len(stems[j])) < MIN_OVERLAP:
                    continue
                if not _same_speaker(by_norm[norms[i]][0].obs, by_norm[norms[j]][0].obs):
                    continue
                score = sim.similarity(by_norm[norms[i]][0].text, by_norm[norms[j]][0].text)
                if score >= SAME_FLOOR:
                    pairs[i][j] = pairs[j][i] = score
        out = []
        for i, n in enumerate(norms):
            for u in by_norm[n]:
                others = [(100.0, v) for v in by_norm[n] if v.doc != u.doc]
                for j, score in pairs[i].items():
                    others.extend((score, v) for v in by_norm[norms[j]] if v.doc != u.doc)
                if not others:
                    continue
                best = max(s for s, _ in others)
                if best >= DIVERGE:
                    continue
                out.append(self._finding(u, others, best, by_norm, norms, pairs))
        return out

    def _finding(self, u: _Unit, others, best: float, by_norm, norms, pairs) -> Finding:
        # one rendering per document, closest first
        per_doc: dict[str, tuple[float, _Unit]] = {}
        for score, v in sorted(others, key=lambda sv: (-sv[0], sv[1].doc, sv[1].start)):
            per_doc.setdefault(v.doc, (score, v))
        ranked = sorted(per_doc.values(), key=lambda sv: (-sv[0], sv[1].doc))
        consensus = _consensus([v for _, v in ranked], by_norm, norms, pairs)
        clear = best < CLEAR and consensus >= 2
        speaker = u.obs.data.get("speaker_name") or u.obs.data.get("speaker") or u.obs.key
        top_score, top = ranked[0]
        n = len(ranked)
        message = (f"{speaker}'s statement is rendered differently in {n} other document{'s' if n > 1 else ''}"
                   f" (closest chrF {top_score:.0f} in {top.doc}: “{_clip(top.text)}”)")
        return Finding(
            doc=u.doc, rule=self.name, category=self.category,
            severity="warning" if clear else "info", start=u.start, end=u.end, line=u.line, column=u.column,
            text=u.text, message=message, suggestion=None,
            confidence=round(0.8 if clear else 0.55, 2),
            evidence={
                "speaker": speaker, "speaker_as_written": u.obs.data.get("speaker"),
                "best_chrf": round(best, 1), "agreeing_documents": consensus,
                "renderings": [{"doc": v.doc, "text": v.text, "chrf": round(s, 1), "line": v.line}
                               for s, v in ranked[:5]],
            },
        )


def _consensus(others: list[_Unit], by_norm, norms, pairs) -> int:
    """The largest number of the other documents whose renderings agree (chrF ≥ 80)."""
    if not others:
        return 0
    index = {n: i for i, n in enumerate(norms)}
    best = 0
    for a in others:
        ia = index[a.norm]
        agree = sum(1 for b in others if b.norm == a.norm or pairs[ia].get(index[b.norm], 0.0) >= NEAR_IDENTICAL)
        best = max(best, agree)
    return best


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

            lex = get_lexicon(ctx)
            lex.entity_of  # noqa: B018 - the API this rule needs
            return lex
        except Exception:  # not built yet, or no lexicon files: the rule works without it
            return None

    return ctx.shared("retranslated-quote:lexicon", load)
