"""Names: wrong renderings, inconsistent renderings in a document and across a corpus.

The four rules share one analysis per document (:func:`analyse`): the lexicon mentions
(full, surname-only, through glitches) and the capitalised words outside them, each with
its transliteration key.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import NamedTuple

import regex
from rapidfuzz import fuzz

from .. import chardata
from ..lexicon import Lexicon, get_lexicon
from ..lexicon import data as lexdata
from ..lexicon.matcher import Mention
from ..lexicon.romanise import has_marks, match_fold, translit_key, translit_keys
from .base import Context, CorpusDetector, Detector, Observation

#: A free capitalised word takes part in consistency checks from this many letters.
MIN_WORD = 4
#: Near-match threshold (rapidfuzz ratio on transliteration keys) for name-suspect.
SUSPECT_RATIO = 90
#: Renderings across documents count as respellings of one name from this key similarity.
CORPUS_RATIO = 80


class Word(NamedTuple):  # a tuple: built several times faster than a frozen dataclass
    start: int
    end: int
    text: str
    key: str
    entity: str | None  # the lexicon entity whose mention holds the word


class Analysis:
    """One document's names analysis, shared by the four rules: the lexicon mentions at once;
    the name words (with their transliteration keys) and runs on first use, so a rule that
    needs only the mentions (name-variant) does not pay for them."""

    def __init__(self, lexicon: Lexicon, text: str, mentions: list[Mention]):
        self.lexicon = lexicon
        self.text = text
        self.mentions = mentions
        self._words: list[Word] | None = None
        self._runs: list[tuple[int, int]] = []

    @property
    def words(self) -> list[Word]:
        """Capitalised words: in non-wrong mentions (with entity) and free ones."""
        if self._words is None:
            self._words, self._runs = _words(self.text, self.mentions)
        return self._words

    @property
    def runs(self) -> list[tuple[int, int]]:
        """Runs of 2–4 free capitalised words (candidate full names)."""
        self.words  # noqa: B018 - computed together
        return self._runs


def _style(ctx: Context) -> str:
    return getattr(ctx.config, "name_style", "native") or "native"


def analyse(doc, ctx: Context) -> Analysis:
    """The names analysis of ``doc``, computed once per document and worker."""
    cached = ctx.cache.get("names:analysis")
    if cached is not None and cached[0] is doc and cached[1] == len(doc.text):
        return cached[2]
    lex = get_lexicon(ctx)
    result = Analysis(lex, doc.text, lex.matcher.find(doc.text))
    ctx.cache["names:analysis"] = (doc, len(doc.text), result)
    return result


def _words(text: str, mentions: list[Mention]) -> tuple[list[Word], list[tuple[int, int]]]:
    spans = sorted((m.start, m.end, m) for m in mentions)
    words: list[Word] = []
    free: list[tuple[int, int]] = []
    j = 0
    nspans = len(spans)
    # the end of the next mention span not yet passed (sentinel past the text when none)
    span_end = spans[0][1] if spans else len(text) + 1
    non_prose = _NonProse(text)
    tokens, k, ntokens = non_prose.tokens, 0, len(non_prose.tokens)
    token_end = tokens[0][1] if tokens else len(text) + 1
    info = _word_info
    new = tuple.__new__  # Word(...) without the generated __new__'s Python frame
    add, add_free = words.append, free.append
    keys = _KEYS
    if len(keys) > MAX_KEYS:
        keys.clear()
    unkeyed: list[int] = []  # words whose key is computed after the scan, all at once
    for w in _LONG_NAME_WORD.finditer(text):
        core, keyed, is_free = info(w.group())
        s = w.start()
        if span_end <= s:
            j += 1
            while j < nspans and spans[j][1] <= s:
                j += 1
            span_end = spans[j][1] if j < nspans else len(text) + 1
        if j < nspans and spans[j][0] <= s:  # inside a mention (spans[j][1] > s)
            holder = spans[j][2]
            if keyed and not holder.wrong and holder.kind != "glitch":
                key = keys.get(core)
                if key is None:
                    unkeyed.append(len(words))
                add(new(Word, (s, s + len(core), core, key, holder.entity)))
            continue
        if not is_free:
            continue
        e = s + len(core)
        if token_end <= s:
            k += 1
            while k < ntokens and tokens[k][1] <= s:
                k += 1
            token_end = tokens[k][1] if k < ntokens else len(text) + 1
        if k < ntokens and tokens[k][0] <= s and non_prose.inside(k, s, e):
            continue
        key = keys.get(core)
        if key is None:
            unkeyed.append(len(words))
        add(new(Word, (s, e, core, key, None)))
        add_free((s, e))
    if unkeyed:
        todo = list({words[i].text for i in unkeyed})
        keys.update(zip(todo, translit_keys(todo)))
        for i in unkeyed:
            words[i] = words[i]._replace(key=keys[words[i].text])
    return words, _runs(text, free)


#: NAME_WORD's matches less most shorter than MIN_WORD characters (which never hold a name
#: word: their core is shorter still): the look-ahead fails only where the match would be
#: short, and then on every later position of that match too, so the scan resumes where
#: NAME_WORD's would and finds the same longer matches.
_LONG_NAME_WORD = regex.compile(r"(?=[\p{Lu}][\p{L}\p{M}'’\-]{%d})" % (MIN_WORD - 1) + lexdata.NAME_WORD.pattern)

#: Transliteration keys of the name words seen (``translit_key``), filled a document's new
#: words at a time (:func:`~audit.lexicon.romanise.translit_keys`); emptied past MAX_KEYS.
_KEYS: dict[str, str] = {}
MAX_KEYS = 1 << 18


@lru_cache(maxsize=1 << 16)
def _word_info(raw: str) -> tuple[str, bool, bool]:
    """For a NAME_WORD match: the word less its possessive, whether it has a transliteration
    key (MIN_WORD characters or more) and whether, outside a mention, it can be a free name
    word (MIN_WORD letters, not all capitals, all of a script with case — a capital glued
    to Han or Arabic letters, ``S华人罗``, is no name — and not a Latin/Cyrillic mix)."""
    core = lexdata.POSSESSIVE.sub("", raw)
    if len(core) < MIN_WORD:
        return core, False, False
    letters = [c for c in core if c.isalpha()]
    is_free = not (len(letters) < MIN_WORD or all(c.isupper() for c in letters)
                   or any(c.lower() == c.upper() for c in letters))
    if is_free and not core.isascii() and any("\u0400" <= c <= "\u04ff" for c in core) \
            and any("a" <= c.lower() <= "z" for c in core):
        is_free = False  # a mixed-script glitch, not a spelling
    return core, True, is_free


#: Whitespace-delimited tokens that hold a character every non-prose pattern needs one of.
#: (``re`` with the White_Space characters spelt out — the ``regex`` module's ``\s``, which
#: differs from ``re``'s — runs several times faster than ``regex`` on this pattern.)
_WS = ("\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
       "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: Every NON_PROSE match has such a character followed by another non-space one (``www.x``,
#: ``://``, ``x@y``, ``#tag``, ``.com``): a token whose only one ends it (``Turkey.``) is prose.
_SPECIAL = re.compile(f"[./@#][^{_WS}]")
_TOKEN_HEAD = regex.compile(r"\S*", flags=regex.REVERSE)
_TOKEN_TAIL = re.compile(f"[^{_WS}]*")


def _special_tokens(text: str) -> list[tuple[int, int]]:
    """The whitespace-delimited tokens of ``text`` holding a ``_SPECIAL`` pair, in order."""
    out: list[tuple[int, int]] = []
    b = -1
    for m in _SPECIAL.finditer(text):
        p = m.start()
        if p < b:
            continue  # in the token just found
        a = _TOKEN_HEAD.match(text, 0, p).start()
        b = _TOKEN_TAIL.match(text, p).end()
        out.append((a, b))
    return out


class _NonProse:
    """``chardata.inside(chardata.non_prose_spans(text), start, end)``, computed only for the
    whitespace-delimited tokens asked about: a URL, e-mail, hashtag or domain never spans
    whitespace, so the spans inside a token are those found in the token alone (scanning the
    whole text for them cost more than the rest of the analysis). Every pattern needs a ``.``,
    ``/``, ``@`` or ``#``: the tokens that hold one (``tokens``, in text order) are found in one
    scan, and only those are searched; a word outside them is prose."""

    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[int, int]] = _special_tokens(text)
        self.spans: dict[int, list[tuple[int, int]]] = {}

    def inside(self, k: int, start: int, end: int) -> bool:
        """Whether ``start:end``, a span of ``tokens[k]``, overlaps a non-prose span."""
        spans = self.spans.get(k)
        if spans is None:
            a, b = self.tokens[k]
            spans = self.spans[k] = [m.span() for m in chardata.NON_PROSE.finditer(self.text, a, b)]
        return chardata.inside(spans, start, end)  # (a blob can hold thousands of spans)


def _runs(text: str, free: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of 2–4 adjacent free capitalised words separated by single spaces."""
    out, cur = [], []
    for s, e in free:
        if cur and text[cur[-1][1]:s] == " ":
            cur.append((s, e))
        else:
            if 2 <= len(cur) <= 4:
                out.append((cur[0][0], cur[-1][1]))
            cur = [(s, e)]
    if 2 <= len(cur) <= 4:
        out.append((cur[0][0], cur[-1][1]))
    return out


def _last_word(name: str) -> str:
    words = lexdata.NAME_WORD.findall(name)
    return words[-1] if words else name


class NameVariant(Detector):
    """A name written in a wrong or back-transliterated form; suggests the canonical form.

    What it finds:
        Renderings of a lexicon entity that the lexicon lists as wrong (``Anthony Blinken``)
        or that exist only as a romanisation of the name's Russian form although the person
        is not Russian (``Ibrahim Kalyn`` from ``Ибрагим Калын``, ``Khulusi Akar``), their
        surname-only mentions after a full one (``Kalyn said``), and names garbled by an
        encoding or script glitch (``Yeni тируетafak``, ``ÇavuÅŸoÄŸlu``).

    Why it matters:
        A misspelt name is the most visible error a translated article can make, and a
        back-transliterated one breaks search, archives and entity linking.

    Example:
        ``Ibrahim Kalyn`` -> ``İbrahim Kalın`` (``name_style = "native"``) or
        ``Ibrahim Kalin`` (``"press"``); ``Anthony Blinken`` -> ``Antony Blinken``

    Known false positives:
        A different person who shares the wrong form with the entity (an actual Anthony
        Blinken). A surname-only mention is attributed to the person fully named earlier in
        the document. Garbled spans are also reported by the script or encoding rules; this
        finding carries the repaired name (evidence ``joins``). With a source text,
        source-name-mismatch stands down on the spans this rule reports with the same
        suggestion.
    """

    name = "name-variant"
    category = "names"
    severity = "warning"
    fixable = True
    safe_fix = False

    def find(self, doc, ctx):
        for m, message, suggestion, conf in _variants(doc, ctx):
            yield self.flag(doc, m.start, m.end, message, suggestion, conf, entity=m.entity,
                            matched=m.form.form, reason=m.form.reason or None, joins=m.glitch)


def _variants(doc, ctx: Context):
    """name-variant's findings as (mention, message, suggestion, confidence), in text order."""
    a = analyse(doc, ctx)
    style = _style(ctx)
    for m in a.mentions:
        if not m.wrong:
            continue
        preferred = a.lexicon.preferred(m.entity, doc.lang, style)
        text = doc.text[m.start:m.end]
        if m.kind == "surname":
            suggestion = _last_word(preferred)
            message = f"{text!r} is the surname of {preferred} in its wrong rendering {m.form.form!r}"
            conf = 0.85
        elif m.kind == "glitch":
            suggestion = preferred
            what = "an encoding glitch (mojibake)" if m.glitch == "mojibake" else "Cyrillic letters inside a Latin word"
            message = f"{preferred} garbled by {what}"
            conf = 0.85
        else:
            suggestion = preferred
            if m.form.generated:
                why = f"a back-transliteration ({m.form.reason.split(';')[0]})"
                conf = 0.9
            else:
                why = "a known wrong rendering" + (f" ({m.form.note})" if m.form.note else "")
                conf = 0.95
            message = f"{text!r} is {why}; write {preferred}"
        if suggestion == text:
            continue
        yield m, message, suggestion, conf


def variant_suggestions(doc, ctx: Context) -> dict[tuple[int, int], str]:
    """The spans name-variant flags in ``doc`` -> its suggestion (for rules that stand down
    where it already reports the same correction)."""
    return {(m.start, m.end): suggestion for m, _, suggestion, _ in _variants(doc, ctx)}


class NameInconsistent(Detector):
    """One name written two ways in one document (Ermakov / Yermakov, Yeşilada / Yesilada).

    What it finds:
        Words of names that share a transliteration key — spellings only transliteration or
        diacritics separate — but are written differently within one document, for lexicon
        entities and for people the lexicon does not know. Every occurrence is flagged; the
        less frequent spellings get the more frequent one (or the lexicon's) as suggestion.

    Why it matters:
        Readers take two spellings for two people; search and entity linking split them.
        It is the mark of a text assembled from several translations.

    Example:
        ``Sergei Ermakov … Yermakov believes`` -> ``Sergei Ermakov … Ermakov believes``

    Known false positives:
        Two different people whose names differ only by transliteration in one article
        (Aliyev and Aliev as relatives). A name whose first mention keeps its diacritics by
        design (a byline) and is folded later.
    """

    name = "name-inconsistent"
    category = "names"
    severity = "warning"
    fixable = True
    safe_fix = False

    def find(self, doc, ctx):
        a = analyse(doc, ctx)
        style = _style(ctx)
        groups: dict[tuple, list[Word]] = defaultdict(list)
        for w in a.words:
            groups[(w.entity, w.key)].append(w)
        for (entity, key), words in groups.items():
            if not key or len(words) < 2 or all(w.text == words[0].text for w in words):
                continue  # one spelling (identical texts fold alike)
            spellings = Counter(match_fold(w.text) for w in words)
            if len(spellings) < 2:
                continue
            shown = {}
            for w in words:
                shown.setdefault(match_fold(w.text), w.text)
            target = self._target(a.lexicon, entity, key, spellings, shown, doc.lang, style)
            listing = " / ".join(f"{shown[s]} ({n}×)" for s, n in spellings.most_common())
            for w in words:
                others = [shown[s] for s in spellings if s != match_fold(w.text)]
                suggestion = target if target and match_fold(target) != match_fold(w.text) else None
                yield self.flag(doc, w.start, w.end,
                                f"{w.text!r} is also written {', '.join(repr(o) for o in others)} in this document",
                                suggestion, 0.8 if entity else 0.7, entity=entity, renderings=listing)

    @staticmethod
    def _target(lex, entity, key, spellings: Counter, shown: dict, lang, style) -> str | None:
        if entity:
            for word in lexdata.NAME_WORD.findall(lex.preferred(entity, lang, style)):
                if translit_key(word) == key:
                    return word
        (top, n), (_, n2) = spellings.most_common(2)
        if n > n2:
            return shown[top]
        tied = [shown[s] for s, c in spellings.items() if c == n]
        marked = [t for t in tied if has_marks(t)]
        plain = [t for t in tied if not has_marks(t)]
        if style == "native" and len(marked) == 1:
            return marked[0]
        if style == "press" and len(plain) == 1:
            return plain[0]
        return None


class NameSuspect(Detector):
    """A name close to a lexicon entry under transliteration rules, but not listed.

    What it finds:
        Runs of two to four capitalised words that the lexicon does not list but whose
        transliteration key equals, or nearly equals, that of a listed or generated form of
        one entity (``Mevlut Chavushoglu``, ``Sergei Lavroff``). The confidence says how close.

    Why it matters:
        Transliteration produces spellings no list can hold in full; these are most often a
        known person in an unexpected rendering, and sometimes a new accepted form to add
        to the lexicon (``audit lexicon learn``).

    Example:
        ``Jens Stoltenbergh`` -> ``Jens Stoltenberg`` (confidence 0.6)

    Only people are considered: a run of capitalised words close to an organisation's
    name is usually a title (``Turkish Foreign Minister``), not a respelling.

    Known false positives:
        A different person with a similar name (two Aliyevs), and names of people the
        lexicon does not know that happen to sound like one it does.
    """

    name = "name-suspect"
    category = "names"
    severity = "info"
    fixable = True
    safe_fix = False

    def find(self, doc, ctx):
        a = analyse(doc, ctx)
        style = _style(ctx)
        lex = a.lexicon
        keys = lex.key_index()
        word_keys = _word_key_index(lex)
        for s, e in a.runs:
            found = None
            for ws, we in _subruns(doc.text, s, e):
                hit = self._closest(lex, keys, word_keys, translit_key(doc.text[ws:we]))
                if hit and (found is None or (hit[1], we - ws) > (found[2][1], found[1] - found[0])):
                    found = (ws, we, hit)
            if found is None:
                continue
            s, e, best = found
            text = doc.text[s:e]
            eid, ratio = best
            preferred = lex.preferred(eid, doc.lang, style)
            if match_fold(preferred) == match_fold(text):
                continue
            conf = 0.75 if ratio == 100.0 else round(0.4 + 0.3 * (ratio - SUSPECT_RATIO) / (100 - SUSPECT_RATIO), 2)
            yield self.flag(doc, s, e, f"{text!r} looks like an unlisted rendering of {preferred}",
                            preferred, conf, entity=eid, similarity=round(ratio, 1))

    @staticmethod
    def _closest(lex, keys, word_keys, key: str) -> tuple[str, float] | None:
        """The person whose rendering has this key (100) or one within the ratio threshold."""
        exact = keys.get(key)
        if exact:
            people = [e for e in exact if lex.entities[e].type == "person"]
            return (people[0], 100.0) if len(exact) == 1 and people else None
        best = None
        nwords = len(key.split())
        cands = set()
        for wk in key.split():
            cands |= word_keys.get(wk, set())
        for eid in sorted(cands):
            if lex.entities[eid].type != "person":
                continue
            for f in lex.forms(eid):
                fk = translit_key(f.form)
                if len(fk.split()) != nwords:
                    continue
                r = fuzz.ratio(key, fk)
                if r >= SUSPECT_RATIO and (best is None or r > best[1]):
                    best = (eid, r)
        return best


def _subruns(text: str, start: int, end: int):
    """Every span of two or more consecutive words of a run."""
    words = [m.span() for m in lexdata.NAME_WORD.finditer(text, start, end)]
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            yield words[i][0], words[j][1]


def _word_key_index(lex: Lexicon) -> dict[str, set[str]]:
    """Transliteration key of each word (≥ 4 letters) of multi-word Latin forms -> entities."""
    cached = getattr(lex, "_names_word_keys", None)
    if cached is None:
        cached = defaultdict(set)
        for f in lex.all_forms:
            words = lexdata.NAME_WORD.findall(f.form)
            if len(words) >= 2 and all(ch.isascii() or ch.isalpha() for ch in f.form):
                for w in words:
                    if len(w) >= MIN_WORD:
                        cached[translit_key(w)].add(f.entity)
        lex._names_word_keys = cached
    return cached


class NameCorpusInconsistent(CorpusDetector):
    """One entity rendered differently across the articles of a corpus (Anthony / Antony Blinken).

    What it finds:
        Full-name mentions of one lexicon entity (or of one unlisted name, by transliteration
        key) written differently in different documents. It reports each rendering that is
        not the preferred one once, at its first occurrence, with every rendering's mention
        count and documents as evidence.

    Why it matters:
        A corpus that spells one person several ways splits search results, archives and
        statistics; the minority rendering usually comes from one translation pipeline.

    Example:
        ``Anthony Blinken`` (2 documents) vs ``Antony Blinken`` (3 documents) ->
        ``Antony Blinken``

    Known false positives:
        Accepted alternatives used by different outlets on purpose (``Odessa`` / ``Odesa``),
        and unlisted namesakes that share a transliteration key.
    """

    name = "name-corpus-inconsistent"
    category = "names"
    severity = "info"
    fixable = True
    safe_fix = False
    consumes = ("name-mention",)
    key_local = True  # groups by key only: runs on the spilled partitions of a large corpus

    def observe_document(self, doc, ctx):
        """Record the document's full-name mentions for the corpus stage."""
        a = analyse(doc, ctx)
        style = _style(ctx)
        preferred: dict[str, str] = {}
        for m in a.mentions:
            if m.kind != "full":
                continue
            text = doc.text[m.start:m.end]
            pref = preferred.get(m.entity)
            if pref is None:
                pref = preferred[m.entity] = a.lexicon.preferred(m.entity, doc.lang, style)
            ctx.observe(Observation(doc.id, "name-mention", m.start, m.end, text, m.entity,
                                    {"rendering": " ".join(text.split()), "wrong": m.wrong, "entity": m.entity,
                                     "preferred": pref}))
        for s, e in a.runs:
            text = doc.text[s:e]
            ctx.observe(Observation(doc.id, "name-mention", s, e, text, "key:" + translit_key(text),
                                    {"rendering": " ".join(text.split()), "wrong": False}))

    def find(self, doc, ctx):
        self.observe_document(doc, ctx)
        return iter(())

    def find_corpus(self, observations, ctx):
        groups: dict[str, list[Observation]] = defaultdict(list)
        for o in observations:
            groups[o.key].append(o)
        for key, obs in groups.items():
            by: dict[str, list[Observation]] = defaultdict(list)
            for o in obs:
                by[match_fold(o.data["rendering"])].append(o)
            if len(by) < 2:
                continue
            docs_of = {k: sorted({o.doc for o in v}) for k, v in by.items()}
            if max(len(d) for d in docs_of.values()) < 1 or len({d for v in docs_of.values() for d in v}) < 2:
                continue  # all in one document: name-inconsistent's business
            shown = {k: v[0].data["rendering"] for k, v in by.items()}
            preferred = self._preferred(by, shown)
            if preferred is None:
                continue
            evidence = {shown[k]: {"count": len(v), "docs": docs_of[k]} for k, v in sorted(by.items())}
            lexical = not key.startswith("key:")
            pkey = translit_key(shown[preferred])
            for k, v in sorted(by.items()):
                if k == preferred:
                    continue
                wrong = any(o.data.get("wrong") for o in v)
                if not wrong and fuzz.ratio(translit_key(shown[k]), pkey) < CORPUS_RATIO:
                    continue  # another accepted name of the entity (S-400 Triumf), not a respelling
                first = min(v, key=lambda o: (o.doc, o.start))
                n, nd = len(v), len(docs_of[k])
                pn, pd = len(by[preferred]), len(docs_of[preferred])
                yield self.flag_observation(
                    first,
                    f"{shown[k]!r} ({n} mention{'s' * (n != 1)} in {nd} document{'s' * (nd != 1)}) is written "
                    f"{shown[preferred]!r} elsewhere in the corpus ({pn} in {pd})",
                    shown[preferred], 0.85 if lexical else 0.6,
                    entity=key if lexical else None, renderings=evidence)

    @staticmethod
    def _preferred(by: dict[str, list[Observation]], shown: dict[str, str]) -> str | None:
        ok = {k: v for k, v in by.items() if not any(o.data.get("wrong") for o in v)}
        for k, v in ok.items():
            if any(match_fold(o.data.get("preferred") or "") == k for o in v):
                return k
        pool = ok or by
        ranked = sorted(pool, key=lambda k: (-len({o.doc for o in pool[k]}), -len(pool[k]), k))
        if len(ranked) > 1 and len({o.doc for o in pool[ranked[0]]}) == len({o.doc for o in pool[ranked[1]]}) \
                and len(pool[ranked[0]]) == len(pool[ranked[1]]) and not ok:
            return None
        return ranked[0]
