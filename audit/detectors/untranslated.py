"""Untranslated passages: sentences or spans left in another language than the document's."""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass, field
from functools import lru_cache

from .. import chardata, langdata
from ..langid import ABSENT, LINGUA_NAMES, SCRIPT_OF, fold, identifier_for, word_frequencies
from .base import Detector

#: A word at least this common (Zipf) in another language and this much more common there
#: than in the document's language is evidence of that language.
MARKED_ZIPF = 3.0
MARKED_MARGIN = 1.0
#: Capitalised words (names, German nouns) count only when this common abroad and unknown at home.
MARKED_CAPITAL_ZIPF = 3.5
#: Words this common in another same-script language are ambiguous if native as well.
SHARED_ZIPF = 5.0
#: Identification must give the foreign language at least this confidence.
MIN_IDENTIFIER_CONFIDENCE = 0.5
#: ... and on a short line (2-5 words), where identification is weak, this much, and it
#: must name the language the word lists point to.
SHORT_IDENTIFIER_CONFIDENCE = 0.8
#: Paragraphs this short (captions, buttons) are screened on any one foreign word.
SHORT_LINE_WORDS = 8
#: A span of another script this many words long is a passage, not a name.
MIN_SCRIPT_RUN_WORDS = 3
#: Quoted foreign phrases up to this many words are citations (slogans, titles).
MAX_QUOTED_WORDS = 6


def language_name(code: str | None) -> str:
    return LINGUA_NAMES.get(code or "", code or "unknown").title()


def script_of_word(word: str) -> str | None:
    for name, pat in langdata.SCRIPT_LETTER.items():
        if pat.match(word):
            return name
    return None


@dataclass
class Profile:
    """What the rule needs to know about one document language, built once per worker."""

    lang: str
    script: str
    native: dict[str, float]
    #: word -> (language, zipf there) for words that point to another same-script language
    marked: dict[str, tuple[str, float]] = field(default_factory=dict)
    #: what the prescreen looks for: the marked words, and capitalised short ones
    marked_keys: frozenset = frozenset()
    #: configured languages per script (identification candidates)
    by_script: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: very common words of another same-script language that are native too (``de`` in
    #: Turkish and French, ``in`` in English and German): they neither break nor make a run
    shared: frozenset = frozenset()


def build_profile(lang: str, ctx) -> Profile:
    wf = word_frequencies(ctx)
    script = SCRIPT_OF.get(lang, "Latin")
    native = wf.table(lang, full=True)
    by_script: dict[str, list[str]] = {}
    for code in wf.languages:
        by_script.setdefault(SCRIPT_OF.get(code, "?"), []).append(code)
    marked: dict[str, tuple[str, float]] = {}
    for other in by_script.get(script, []):
        if other == lang:
            continue
        for word, z in wf.table(other).items():
            if z < MARKED_ZIPF:
                break  # tables are ordered by frequency
            if z - native.get(word, ABSENT) >= MARKED_MARGIN and (word not in marked or marked[word][1] < z):
                marked[word] = (other, z)
    shared = frozenset(
        word for other in by_script.get(script, []) if other != lang
        for word, z in wf.table(other).items()
        if z >= SHARED_ZIPF and abs(z - native.get(word, ABSENT)) < MARKED_MARGIN and word not in marked
        and not word[0].isdigit()
    )
    # the prescreen splits raw text: add the capitalised forms of short, very common
    # foreign words (``Die``, ``Le``, ``Bu``) that open sentences; names stay out
    screen = frozenset(marked) | {
        cap for w, (_, z) in marked.items() if z >= 5.5 and len(w) <= 4
        and native.get(fold(cap := w.capitalize(), lang), ABSENT) < MARKED_ZIPF  # not ``I`` from Turkish ``ı``
    }
    return Profile(lang, script, native, marked, screen,
                   {k: tuple(v) for k, v in by_script.items()}, shared)


@dataclass
class Tok:
    start: int
    end: int
    word: str
    script: str | None
    #: F foreign word, K capitalised foreign word, U unknown word, N native word,
    #: A word common in both, C name / neutral word in the document's script,
    #: X other script, D digits or non-prose
    label: str
    vote: str | None = None


@lru_cache(maxsize=64)
def _matches_plain(pattern) -> bool:
    """Whether the one-character ``pattern`` matches a character :attr:`Document.chars` leaves out."""
    return pattern.search(chardata.PLAIN_ASCII) is not None


def _holds(char_class, doc) -> bool:
    """Whether ``doc`` holds a character of the one-character pattern ``char_class``: looked up
    among its distinct non-ASCII characters when the class has no plain ASCII one."""
    if _matches_plain(char_class):
        return char_class.search(doc.text) is not None
    return any(char_class.match(c) for c in doc.chars)


class UntranslatedPassage(Detector):
    """A sentence or span left in another language than the document's.

    What it finds:
        Passages the translation skipped: a run of another script inside the text (a
        Cyrillic sentence in an English article, English in a Russian one), a sentence in
        another language of the same script (a Turkish or German sentence left in an English
        article, found by word lists and confirmed by language identification), leaked
        interface strings (``Tap Accounts.`` in a Russian text) and half-translated words
        (``состояние-the-art``). Evidence: the detected language and its confidence.

    Why it matters:
        Readers of the target language cannot read the passage, and it usually means a
        segment fell out of the machine-translation pipeline (a timeout, a length limit, a
        markup boundary) — the rest of the document should be checked too.

    Example:
        ``Ankara said the deal was done. Anlaşma tamamlandı ve konu kapandı.`` -> the second
        sentence translated: ``The agreement is complete and the issue is closed.``

    Known false positives:
        Names, brands and titles (capitalised runs), a single loanword (``siloviki``), a
        quoted slogan or title of up to six words (``"Liberté, égalité, fraternité"``),
        hashtags, URLs and e-mail addresses are not flagged. Identification needs a second
        signal (word lists, script) before anything is reported, but a long quotation that
        an article deliberately leaves in the original language is still reported.
    """

    name = "untranslated-passage"
    category = "language"
    severity = "warning"

    def find(self, doc, ctx):
        lang = doc.lang
        if not lang:
            return
        profile = ctx.shared(("untranslated-profile", lang), lambda: build_profile(lang, ctx))
        other_script = langdata.OTHER_SCRIPT.get(profile.script)
        text = doc.text
        # Prescreen, cheap and in C: a letter of another script, or two words that are
        # common in another language of the same script (split on whitespace, full stops
        # and commas: no regex, no Python loop over words).
        other = other_script is not None and _holds(other_script, doc)
        # full stops and commas blanked once for the whole text (same length, so a
        # paragraph's words are those of its slice)
        spaced = text.replace(".", " ").replace(",", " ")
        if not (other or self._marked_words(profile, spaced.split(), 1)):
            return
        paragraphs = doc.paragraphs
        foreign_script = self._paragraphs_with(other_script, text, paragraphs) if other else set()
        for i, para in enumerate(paragraphs):
            # a letter of another script, else the paragraph's own words
            if i in foreign_script or self._marked_words(profile, spaced[para.start : para.end].split()):
                yield from self._paragraph(doc, ctx, profile, para.start, para.end)

    @staticmethod
    def _paragraphs_with(pattern, text: str, paragraphs) -> set[int]:
        """Indices of the paragraphs holding a match of the one-character ``pattern``, from
        one pass over the text (the search goes on after the end of each paragraph found)."""
        starts = [p.start for p in paragraphs]
        out: set[int] = set()
        m = pattern.search(text)
        while m is not None:
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < paragraphs[i].end:
                out.add(i)
                pos = paragraphs[i].end
            else:  # between paragraphs: go on from the next one
                pos = starts[i + 1] if i + 1 < len(starts) else len(text)
            m = pattern.search(text, pos)
        return out

    @staticmethod
    def _marked_words(profile: Profile, words: list[str], need: int = 2) -> bool:
        """Whether ``words`` (split at white space, full stops and commas) hold ``need``
        distinct words of another language (one in a short line, in any case)."""
        if len(words) <= SHORT_LINE_WORDS:  # a caption or a button: one word will do
            return not profile.marked_keys.isdisjoint(map(str.lower, words))
        return len(profile.marked_keys.intersection(words)) >= need

    # -- one paragraph ---------------------------------------------------------------------
    def _paragraph(self, doc, ctx, profile: Profile, start: int, end: int):
        text = doc.text
        skip = [m.span() for m in chardata.NON_PROSE.finditer(text, start, end)]
        initials = sentence_initials(doc, start, end)
        toks: list[Tok] = []
        for m in doc.word_pattern.finditer(text, start, end):
            s, e = m.span()
            word = m.group()
            script = script_of_word(word) if word[0].isalpha() else None
            if script is None or (skip and chardata.inside(skip, s, e)):
                toks.append(Tok(s, e, word, None, "D"))
                continue
            others = langdata.OTHER_SCRIPT.get(script)
            if others is not None and others.search(word):  # several scripts in one word
                finding = self._half_translated(doc, profile, s, e, word)
                if finding is not None:
                    yield finding
                toks.append(Tok(s, e, word, script, "C" if script == profile.script else "X"))
                continue
            if script != profile.script:
                toks.append(Tok(s, e, word, script, "X"))
                continue
            toks.append(self._label(profile, s, e, word, s in initials))
        yield from self._script_runs(doc, ctx, profile, toks, initials)
        if profile.marked:
            yield from self._language_runs(doc, ctx, profile, toks)

    @staticmethod
    def _label(profile: Profile, s: int, e: int, word: str, initial: bool) -> Tok:
        key = fold(word, profile.lang)
        capital = word[0].isupper() and not initial
        hit = profile.marked.get(key)
        if hit is not None:
            if not capital:
                return Tok(s, e, word, profile.script, "F", hit[0])
            if hit[1] >= MARKED_CAPITAL_ZIPF and key not in profile.native and not word.isupper():
                return Tok(s, e, word, profile.script, "K", hit[0])
            return Tok(s, e, word, profile.script, "C")
        if capital:
            return Tok(s, e, word, profile.script, "C")
        if key in profile.native:
            return Tok(s, e, word, profile.script, "A" if key in profile.shared else "N")
        if "-" in key or "'" in key:  # compounds: native if their parts are
            parts = [p for p in key.replace("-", "'").split("'") if p]
            if all(p in profile.native or p.isdigit() for p in parts):
                return Tok(s, e, word, profile.script, "N")
        return Tok(s, e, word, profile.script, "U" if len(word) >= 4 else "N")

    # -- runs of another script ------------------------------------------------------------
    def _script_runs(self, doc, ctx, profile: Profile, toks: list[Tok], initials: set[int]):
        i = 0
        while i < len(toks):
            if toks[i].label != "X":
                i += 1
                continue
            script = toks[i].script
            j = i
            text = doc.text
            while j + 1 < len(toks) and not code_gap(text, toks[j].end, toks[j + 1].start) and (
                    toks[j + 1].label == "X" and toks[j + 1].script == script
                    or toks[j + 1].label == "D" and j + 2 < len(toks)
                    and toks[j + 2].label == "X" and toks[j + 2].script == script):
                j += 1
            run = [t for t in toks[i : j + 1] if t.label == "X"]
            i = j + 1
            finding = self._script_run(doc, ctx, profile, run, toks, initials)
            if finding is not None:
                yield finding

    def _script_run(self, doc, ctx, profile: Profile, run: list[Tok], toks: list[Tok], initials: set[int]):
        script = run[0].script
        start, end = run[0].start, run[-1].end
        if not any(ch.isspace() for ch in doc.text[start:end]) and any(ch in "./_@" for ch in doc.text[start:end]):
            return None  # a domain name or an identifier (``ドメイン.テスト``)
        if script in langdata.UNSPACED:
            n_words = sum(t.end - t.start for t in run) // 2
        else:
            n_words = len(run)
        whole = covers_sentence(doc, toks, start, end)
        quoted = is_quoted(doc.text, start, end)
        reasons = []
        if script == "Latin":
            # Latin words inside another script are mostly names, brands and acronyms:
            # ask for ordinary words, or an interface string.
            wf = word_frequencies(ctx)
            latin = profile.by_script.get("Latin", ("en",))
            common_lower = [t for t in run[1:] if t.word.islower() and best_zipf(wf, t.word, latin)[1] >= MARKED_ZIPF]
            first = fold(run[0].word, "en")
            instruction = any(first in langdata.INSTRUCTION_VERBS.get(c, ()) for c in latin)
            second_common = len(run) >= 2 and best_zipf(wf, run[1].word, latin)[1] >= MARKED_ZIPF
            if n_words >= MIN_SCRIPT_RUN_WORDS and len(common_lower) >= 2:
                reasons.append("ordinary words")
            elif 2 <= n_words and instruction and second_common:
                reasons.append("interface string")
            elif 2 <= n_words <= 4 and whole and common_lower:
                reasons.append("whole sentence")
            if not reasons or (quoted and n_words <= MAX_QUOTED_WORDS and "interface string" not in reasons):
                return None
        else:
            if n_words >= MIN_SCRIPT_RUN_WORDS:
                reasons.append("run of words")
            elif n_words >= 2 and whole:
                reasons.append("whole sentence")
            if not reasons or (quoted and n_words <= 3):
                return None
        if whole:
            start, end = extend_to_sentence(doc, start, end)
        span = doc.text[start:end]
        among = profile.by_script.get(script, ())
        ranked = identifier_for(ctx).identify(span, among=among) if among else []
        detected, conf = ranked[0] if ranked else (None, 0.0)
        what = language_name(detected) if detected else f"{script}-script"
        confidence = 0.9 if n_words >= MIN_SCRIPT_RUN_WORDS or whole else 0.7
        return self.flag(
            doc, start, end,
            f"untranslated passage: {what} text in {langdata.indefinite(language_name(profile.lang))} document",
            confidence=confidence, detected_language=detected, language_confidence=round(conf, 3),
            script=script, signals=["script", *reasons], identifier=identifier_for(ctx).name,
        )

    # -- words joined across scripts ---------------------------------------------------------
    def _half_translated(self, doc, profile: Profile, s: int, e: int, word: str):
        parts = word.split("-")
        if len(parts) < 2:
            return None
        scripts = [script_of_word(p) for p in parts]
        if any(sc is None for sc in scripts) or len(set(scripts)) < 2:
            return None
        odd = [p for p, sc in zip(parts, scripts) if sc != profile.script]
        home = [p for p, sc in zip(parts, scripts) if sc == profile.script]
        odd_function = [p for p in odd if p.islower() and p in langdata.ALL_FUNCTION_WORDS]
        home_function = [p for p in home if p.lower() in langdata.FUNCTION_WORDS.get(profile.lang, ())]
        if not (odd_function and len(odd) >= 2
                or home_function and any(p.islower() and len(p) >= 3 for p in odd)):
            return None
        return self.flag(
            doc, s, e, f"half-translated word: {word!r} mixes a translated part with untranslated "
            f"{'words' if len(odd) > 1 else 'a word'} ({'-'.join(odd)})",
            confidence=0.75, signals=["script", "function word"], script=script_of_word(odd[0]),
        )

    # -- same-script passages ----------------------------------------------------------------
    def _language_runs(self, doc, ctx, profile: Profile, toks: list[Tok]):
        for run in same_script_runs(toks, doc.text):
            # end on a foreign word, not a name or a typo, and start on one
            first = next((i for i, t in enumerate(run) if t.label in "FK"), None)
            if first is None:
                continue
            last = len(run) - next(i for i, t in enumerate(reversed(run)) if t.label in "FK")
            run = run[first:last]
            lower = sum(t.label == "F" for t in run)
            foreign = sum(t.label in "FK" for t in run)
            unknown = sum(t.label == "U" for t in run)
            native = sum(t.label == "N" for t in run)
            start, end = run[0].start, run[-1].end
            whole = covers_sentence(doc, toks, start, end, labels="FKUNA")
            # a short line (a headline, a caption, an interface string) needs the whole
            # sentence, no native word, and one lower-case foreign word (names are capitalised)
            short = not (lower >= 2 and foreign + unknown >= 3 and foreign >= native)
            if short and not (whole and native == 0 and 2 <= foreign + unknown <= 5 and run[0].label in "FK"
                              and any(t.label in "FU" and t.word[0].islower() for t in run[1:])):
                continue
            if whole:
                start, end = extend_to_sentence(doc, start, end)
            tok_starts, tok_ends, counted, _ = _token_sums(toks, "FKUNC")  # (tokens in text order, disjoint)
            a, b = bisect.bisect_left(tok_starts, start), bisect.bisect_right(tok_ends, end)
            words = counted[b] - counted[a] if a < b else 0
            if words <= MAX_QUOTED_WORDS and is_quoted(doc.text, start, end):
                continue
            votes: dict[str, int] = {}
            for t in run:
                if t.vote:
                    votes[t.vote] = votes.get(t.vote, 0) + 1
            voted = max(sorted(votes), key=lambda c: votes[c])
            span = doc.text[start:end]
            ident = identifier_for(ctx)
            ranked = ident.identify(span, among=profile.by_script.get(profile.script, ()))
            if not ranked:
                continue
            detected, conf = ranked[0]
            agree = detected == voted
            if detected == profile.lang or conf < (SHORT_IDENTIFIER_CONFIDENCE if short else MIN_IDENTIFIER_CONFIDENCE):
                continue
            if short and not agree:
                continue
            yield self.flag(
                doc, start, end,
                f"untranslated passage: {language_name(detected)} text in "
                f"{langdata.indefinite(language_name(profile.lang))} document",
                confidence=round(min(0.95, 0.55 + 0.4 * conf) if agree else 0.6, 3),
                detected_language=detected, language_confidence=round(conf, 3),
                word_vote=voted, foreign_words=foreign, identifier=ident.name,
                signals=["word list", "identification"],
            )


# -- helpers ---------------------------------------------------------------------------------
def best_zipf(wf, word: str, languages) -> tuple[str | None, float]:
    best, z = None, ABSENT
    for code in languages:
        v = wf.zipf(word, code)
        if v > z:
            best, z = code, v
    return best, z


def same_script_runs(toks: list[Tok], text: str):
    """Runs of foreign-looking words: F/K/U tokens, names and digits inside them, and at
    most one native word between two foreign-looking ones."""
    run: list[Tok] = []
    pending: list[Tok] = []  # neutral tokens (and one native word) after the last foreign one
    for t in toks:
        if run and code_gap(text, (pending or run)[-1].end, t.start):
            yield run
            run, pending = [], []
        if t.label in "FKU":
            run.extend(pending)
            pending = []
            run.append(t)
        elif not run:
            continue
        elif t.label in "ACD" or (t.label == "N" and not any(p.label == "N" for p in pending)):
            pending.append(t)
        else:  # a second native word, or another script: the run ends
            yield run
            run, pending = [], []
    if run:
        yield run


def code_gap(text: str, end: int, start: int) -> bool:
    """True if the characters between two words are code, not prose punctuation."""
    gap = text[end:start]
    if any(ch in langdata.CODE_PUNCTUATION for ch in gap) or ">>>" in gap:
        return True
    # a line break inside prose (hard-wrapped text) has at most sentence punctuation by it
    return "\n" in gap and any(not ch.isspace() and ch not in ",.;:!?-–—" for ch in gap)


def sentence_initials(doc, start: int, end: int) -> set[int]:
    """Offsets of the first word of each sentence in [start, end)."""
    sentences = doc.sentences
    # (a bisect on the spans: a list of every start per paragraph would be quadratic in a
    # document of many paragraphs)
    i = max(0, bisect.bisect_right(sentences, start, key=_START) - 1)
    out = set()
    while i < len(sentences) and sentences[i].start < end:
        m = doc.word_pattern.search(doc.text, sentences[i].start, sentences[i].end)
        if m:
            out.add(m.start())
        i += 1
    return out


_START = operator.attrgetter("start")


def _sentence_at(doc, offset: int):
    sentences = doc.sentences
    i = bisect.bisect_right(sentences, offset, key=_START) - 1
    return sentences[max(i, 0)]


def covers_sentence(doc, toks: list[Tok], start: int, end: int, labels: str = "FKUNCX") -> bool:
    """True if [start, end) holds the sentence(s) it touches but for one word at most.

    Counted from prefix sums over the paragraph's tokens (in text order, disjoint), so that a
    paragraph-long sentence with a run every few words is not walked once per run."""
    first, last = _sentence_at(doc, start), _sentence_at(doc, max(start, end - 1))
    starts, ends, counted, names = _token_sums(toks, labels)
    # the tokens inside the sentences, and those inside [start, end): index ranges
    lo, hi = bisect.bisect_left(starts, first.start), bisect.bisect_right(ends, last.end)
    a, b = max(lo, bisect.bisect_left(starts, start)), min(hi, bisect.bisect_right(ends, end))
    if b <= a:
        return False  # no token inside
    inside, inside_names = counted[b] - counted[a], names[b] - names[a]
    other = counted[hi] - counted[lo] - inside
    other_names = names[hi] - names[lo] - inside_names  # names (C) count half
    outside = (other - other_names) + 0.5 * other_names
    return inside > 0 and outside <= 1 and inside >= 0.75 * (inside + outside)


#: (tokens, labels, sums) of the last :func:`_token_sums` per labels: a paragraph's runs ask
#: for the same tokens again and again (the tokens are held, so their identity stays theirs).
_SUMS: dict[str, tuple] = {}


def _token_sums(toks: list[Tok], labels: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Token starts, ends, and prefix counts of the tokens labelled in ``labels`` and of those
    labelled ``C`` (names), for :func:`covers_sentence` (cached for the last token list)."""
    got = _SUMS.get(labels)
    if got is not None and got[0] is toks and got[1] == len(toks):
        return got[2]
    counted, names = [0], [0]
    c = n = 0
    for t in toks:
        if t.label in labels:
            c += 1
            if t.label == "C":
                n += 1
        counted.append(c)
        names.append(n)
    sums = ([t.start for t in toks], [t.end for t in toks], counted, names)
    _SUMS[labels] = (toks, len(toks), sums)
    return sums


def extend_to_sentence(doc, start: int, end: int) -> tuple[int, int]:
    first, last = _sentence_at(doc, start), _sentence_at(doc, max(start, end - 1))
    return min(start, first.start), max(end, last.end)


def is_quoted(text: str, start: int, end: int) -> bool:
    """True if the span's words sit between quote marks or brackets (a cited phrase)."""
    inner = chardata.WORD.search(text, start, end)
    if inner is None:
        return False
    s = inner.start()
    e = end
    while e > s and not (text[e - 1].isalnum()):
        e -= 1
    left = text[max(0, s - 3) : s]
    right = text[e : e + 3]
    opened = any(ch in langdata.OPENING_QUOTES for ch in left.lstrip()[-2:])
    closed = any(ch in langdata.CLOSING_QUOTES for ch in right.rstrip()[:2])
    return opened and closed
