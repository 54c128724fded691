"""Finding lexicon names in text: a dictionary lookup from every possible start, then the follow-ups.

* **full mentions** — every listed or generated form, matched on a length-preserving
  case-folded copy of the text (offsets stay exact), kept only at word boundaries and when
  the text's capitals agree with the form's (``Turkey`` the country, not ``turkey``);
  designations take a plural ``s`` (``S-400s``), names a possessive (``Kalyn's``).
* **surname mentions** — after a person's full mention, the last word of any of their forms
  (``Kalyn said``).
* **through glitches** — mojibake (``ÇavuÅŸoÄŸlu``) and Cyrillic letters inside a Latin word,
  whether look-alikes (``Erdоgan``) or a run standing in for a lost letter (``Yeni тируетafak``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import bisect
import functools
import operator
import re
from collections import Counter
from itertools import chain

import ahocorasick
import regex

from .. import chardata
from . import data
from .romanise import fold, match_fold

if TYPE_CHECKING:
    from . import Lexicon
    from .variants import Form

#: Forms shorter than this (in characters) are not matched: too many chance hits.
MIN_FORM = 2
#: Characters of context on each side of a glitch that repaired text is matched in.
GLITCH_WINDOW = 160
#: A first word shared by at most this many forms is followed up by testing each form at the
#: start (``str.startswith``); one shared by more, by looking up the span up to each next
#: word boundary.
FEW_KEYS = 8
#: A lexicon with at most this many keys (the built-in one has a few thousand) finds its full
#: mentions with an Aho-Corasick automaton over the keys, in C; a larger one by the walk
#: described in :class:`Matcher` (an automaton over a million keys takes seconds to build).
AUTOMATON_KEYS = 50_000


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    entity: str
    form: "Form"  # the rendering matched (for surnames: the form the surname came from)
    kind: str  # full | surname | glitch
    wrong: bool  # the rendering is a variant (a known wrong or back-transliterated form)
    glitch: str | None = None  # mojibake | mixed-script (for kind == "glitch")
    repaired: str | None = None  # the span as repaired (glitch mentions)


def _case_ok(span: str, form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 6:
        return span.upper() == span and match_fold(span) == match_fold(form)  # acronyms: exact
    for s, f in zip(span, form):
        if f.isupper() and s.isalpha() and not s.isupper():
            return False
    return True


def _boundary(text: str, start: int, end: int, designation: bool) -> bool:
    if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return False
    if end < len(text):
        after = text[end]
        if after.isalnum() or after == "_":
            if designation and after in "sS" and (end + 1 == len(text) or not text[end + 1].isalnum()):
                return True
            return False
    return True


class Matcher:
    """Full mentions by dictionary lookup: no automaton over every form.

    A lexicon of 50,000 entities has over a million forms; an Aho-Corasick automaton over them
    takes seconds to build and hundreds of megabytes to cache. A mention can only start at a word
    boundary, on a character that folds to the first character of some form, and (for forms
    that start with a capital) on a character that is not a lower-case letter; from each such
    start the folded text up to every following non-alphanumeric character is looked up in the
    form table, for as long as the first word is the first word of some form and the span is no
    longer than that form's longest. A first word of at most ``FEW_KEYS`` forms (most of them)
    is followed up instead by testing each of its forms at the start (``str.startswith``) and
    for a word boundary after it: the same mentions, without the walk from boundary to boundary.

    A lexicon of at most :data:`AUTOMATON_KEYS` keys is matched instead by an Aho-Corasick
    automaton over its keys (every occurrence, in C), each occurrence kept at the same word
    boundaries: the same mentions, two to three times faster on the built-in lexicon, where the
    walk visits some 40 possible starts per kilobyte of news for 8 mentions.
    """

    def __init__(self, lexicon: "Lexicon"):
        self.lex = lexicon
        keys = lexicon.by_fold
        forms = lexicon.all_forms
        self.keys = keys
        #: folded first word (up to the first non-alphanumeric character) -> longest form length
        self.first: dict[str, int] = {}
        first_upper: set[str] = set()  # first characters of forms that start with a capital
        first_other: set[str] = set()  # ... of forms that start with anything else
        first = self.first
        by_head: dict[str, list[str]] = {}
        for key, idx in keys.items():
            n = len(key)
            if n < MIN_FORM:
                continue
            head = key.split(" ", 1)[0]
            if not head[1:].isalnum():
                m = _NON_ALNUM.search(key, 1)
                head = key[: m.start()] if m else key
            if first.get(head, 0) < n:
                first[head] = n
            by_head.setdefault(head, []).append(key)
            if (forms[idx[0]].form[:1].isupper() if len(idx) == 1 else
                    all(forms[i].form[:1].isupper() for i in idx)):
                first_upper.add(key[0])
            else:
                first_other.add(key[0])
        self._starts = _start_pattern(first_upper, first_other)
        #: a possible start and the rest of its first word (alphanumeric characters)
        self._start_words = re.compile(self._starts.pattern + r"[^\W_]*")
        self._word_index: dict | None = None
        self._surname_rows: dict[str, tuple] = {}  # see _surnames_of
        #: folded first word -> its forms' keys when there are at most FEW_KEYS of them (None: more)
        self.few: dict[str, list[str] | None] = {
            head: listed if len(listed) <= FEW_KEYS else None for head, listed in by_head.items()}
        #: the keys' automaton (:data:`AUTOMATON_KEYS`): key -> (its length, its forms, a designation)
        self._automaton = None
        if first and len(keys) <= AUTOMATON_KEYS:
            auto = ahocorasick.Automaton()
            entities = lexicon.entities
            for key, idx in keys.items():
                if len(key) >= MIN_FORM:
                    auto.add_word(key, (len(key), idx, entities[forms[idx[0]].entity].type == "weapon"))
            auto.make_automaton()
            self._automaton = auto

    # -- full mentions ---------------------------------------------------------------------
    def full(self, text: str, folded: str | None = None) -> list[Mention]:
        if not self.first:
            return []
        folded = folded if folded is not None else match_fold(text)
        forms = self.lex.all_forms
        entities = self.lex.entities
        keys, first, few = self.keys, self.first, self.few
        size = len(text)
        search = _NON_ALNUM.search
        non_alnum = _NON_ALNUM.match
        cands = []

        def consider(start: int, end: int, idx: list[int], designation: bool) -> None:
            if not _boundary(text, start, end, designation):
                return
            span = text[start:end]
            chosen = None
            for i in idx:
                f = forms[i]
                if f.form == span:
                    chosen = f
                    break
                if chosen is None and _case_ok(span, f.form):
                    chosen = f
            if chosen is None:
                return
            if len(idx) > 1 and len({forms[i].entity for i in idx}) > 1:
                return  # ambiguous: the loader reported it
            cands.append((start, -(end - start), end, chosen))

        if self._automaton is not None:
            # every occurrence of a key, kept from a word boundary (as consider checks it) to
            # one (on the folded text, as the walk finds them; then on the text by consider),
            # or, for a designation, to a plural s before one
            for last, (n, idx, weapon) in self._automaton.iter(folded):
                e = last + 1
                start = e - n
                if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    continue
                if e == size or non_alnum(folded, e):
                    consider(start, e, idx, weapon)
                elif weapon and text[e] in "sS" and (e + 1 == size or not text[e + 1].isalnum()):
                    consider(start, e, idx, True)
            return self._chosen(cands)
        # The first word's end in the text is its end in the folded text unless the text holds a
        # character folding changes from alphanumeric to not (or back): then search the folded text.
        whole = not any(c in text for c in _ALNUM_CHANGERS)
        for m in (self._start_words if whole else self._starts).finditer(text):
            if whole:
                start, q = m.span()
            else:
                start = m.start()
                hit = search(folded, start + 1)
                q = hit.start() if hit else size
            head = folded[start:q]
            longest = first.get(head)
            if longest is None:
                # a one-word designation in the plural (Patriots): the word less its s
                if q - 1 > start and text[q - 1] in "sS" and (q == size or not text[q].isalnum()):
                    idx = keys.get(folded[start:q - 1])
                    if idx is not None and entities[forms[idx[0]].entity].type == "weapon":
                        consider(start, q - 1, idx, True)
                continue
            if whole and (listed := few.get(head)) is not None:
                # the walk below, for a first word of few forms: each form that the folded text
                # continues with, ending at a word boundary (or before a designation's plural s)
                if q - 1 > start and text[q - 1] in "sS" and (q == size or not text[q].isalnum()):
                    idx = keys.get(folded[start:q - 1])
                    if idx is not None and entities[forms[idx[0]].entity].type == "weapon":
                        consider(start, q - 1, idx, True)
                for key in listed:
                    if not folded.startswith(key, start):
                        continue
                    e = start + len(key)
                    idx = keys[key]
                    weapon = entities[forms[idx[0]].entity].type == "weapon"
                    if e == size or non_alnum(folded, e):
                        consider(start, e, idx, weapon)
                    if weapon and e < size and text[e] in "sS" and (e + 1 == size or not text[e + 1].isalnum()):
                        consider(start, e, idx, True)
                continue
            stop = min(size, start + longest + 1)  # + 1: a designation's plural s
            while True:
                idx = keys.get(folded[start:q])
                if idx is not None:
                    consider(start, q, idx, entities[forms[idx[0]].entity].type == "weapon")
                if q - 1 > start and text[q - 1] in "sS" and (q == size or not text[q].isalnum()):
                    idx = keys.get(folded[start:q - 1])
                    if idx is not None and entities[forms[idx[0]].entity].type == "weapon":
                        consider(start, q - 1, idx, True)
                if q >= stop:
                    break
                hit = search(folded, q + 1, stop)
                q = hit.start() if hit else stop
        return self._chosen(cands)

    @staticmethod
    def _chosen(cands: list) -> list[Mention]:
        """The candidates ``(start, -length, end, form)`` kept: leftmost, then longest, without overlap."""
        cands.sort(key=lambda c: (c[0], c[1]))
        out, last_end = [], -1
        for start, _, end, f in cands:
            if start >= last_end:
                out.append(Mention(start, end, f.entity, f, "full", f.status == "variant"))
                last_end = end
        return out

    # -- surnames ----------------------------------------------------------------------------
    def _surnames_of(self, eid: str) -> tuple[dict[str, tuple[str, "Form", bool]], tuple[str, ...]]:
        """Folded last word (3+ characters) of each multi-word form of a person -> the person,
        the first form ending with it, or the first accepted one if any, and whether it is
        accepted (rows :meth:`surnames` merges as they are); and the prefixes of those words
        that end before a non-alphanumeric character of theirs (``al`` of ``al-assad``) (cached)."""
        got = self._surname_rows.get(eid)
        if got is None:
            self._fill_surnames([eid])
            got = self._surname_rows[eid]
        return got

    def _fill_surnames(self, eids: list[str]) -> None:
        """:meth:`_surnames_of` for many people at once: the words of all their forms found in
        one pass over the forms joined by newlines (a word holds no newline)."""
        cache = self._surname_rows
        if len(cache) + len(eids) > max(1 << 18, len(self.lex.entities)):
            cache.clear()
        forms, by_entity = self.lex.all_forms, self.lex.by_entity
        idx = [i for eid in eids for i in by_entity.get(eid, ())]
        texts = [forms[i].form for i in idx]
        joined = "\n".join(texts)
        if joined.count("\n") == len(texts) - 1:
            # every form's words as "w1\x1fw2\x1f…", in form order
            flat = "\x1f".join(_WORD_OR_NEWLINE.findall(joined)).split("\n")
            lasts = [w.rpartition("\x1f")[2] if "\x1f" in w else "" for w in map(_strip_sep, flat)]
        else:  # a form with a newline (not from a lexicon file)
            lasts = []
            for t in texts:
                words = data.NAME_WORD.findall(t)
                lasts.append(words[-1] if len(words) >= 2 else "")
        # the distinct words folded at once: match_fold keeps each character's length and
        # str.lower's one context rule (final sigma) sees a newline as a word's end
        words = list({w for w in lasts if len(w) >= 3})
        folded = match_fold("\n".join(words)).split("\n")
        if list(map(len, folded)) != list(map(len, words)):
            folded = [match_fold(w) for w in words]
        folds = dict(zip(words, folded))
        pos = 0
        for eid in eids:
            table: dict[str, tuple[str, "Form", bool]] = {}
            n = len(by_entity.get(eid, ()))
            for i, last in zip(idx[pos:pos + n], lasts[pos:pos + n]):
                if len(last) < 3:
                    continue
                key = folds[last]
                f = forms[i]
                ok = f.status != "variant"
                have = table.get(key)
                if have is None or (ok and not have[2]):
                    table[key] = (eid, f, ok)
            pos += n
            odd = [k for k in table if not k.isalnum()]
            grows = tuple({k[:i] for k in odd for i in range(1, len(k)) if not k[i].isalnum()}) if odd else ()
            cache[eid] = (table, grows)

    def surnames(self, text: str, mentions: list[Mention], folded: str | None = None) -> list[Mention]:
        """Surname-only mentions of the people fully mentioned before them."""
        first_seen: dict[str, int] = {}
        entities = self.lex.entities
        for m in mentions:
            if m.kind != "surname" and m.entity not in first_seen and entities[m.entity].type == "person":
                first_seen[m.entity] = m.end
        if not first_seen:
            return []
        # surname (folded) -> (entity, a form it ends, whether any accepted form of the entity
        # ends with it), or None when it is the surname of several of the people
        grows: set[str] = set()
        cache = self._surname_rows
        new = [eid for eid in first_seen if eid not in cache]
        if new:
            self._fill_surnames(new)
        # the people's tables merged by dict.update; a surname of several of them (counted only
        # when the merge lost some) -> None
        tables = []
        for eid in first_seen:
            own, prefixes = cache.get(eid) or self._surnames_of(eid)
            tables.append(own)
            if prefixes:
                grows.update(prefixes)
        table: dict[str, tuple[str, "Form", bool] | None] = {}
        for own in tables:
            table.update(own)
        if len(table) != sum(map(len, tables)):
            for key, n in Counter(chain.from_iterable(tables)).items():
                if n > 1:
                    table[key] = None
        folded = folded if folded is not None else match_fold(text)
        taken = sorted((m.start, m.end) for m in mentions)
        starts = [a for a, _ in taken]
        ntaken, size = len(taken), len(text)
        # A surname mention is a key of ``table`` that starts on a capital after a non-word
        # character and ends before one (or at an end of the text). Candidates start on a
        # capital folding to a key's first character, with the rest of their first word; the
        # span then grows from one word boundary to the next while it is a key's prefix that
        # ends where that key has a non-alphanumeric character (Al-Assad, O'Neil).
        word_end = _WORD_TAIL.match
        out = []
        for m in _surname_heads(table).finditer(text):
            s, e = m.span()
            while True:
                key = folded[s:e]
                hit = table.get(key)
                if hit is not None:
                    eid, f, ok = hit
                    i = bisect.bisect_right(starts, s) - 1
                    if not (s < first_seen[eid] or (i >= 0 and taken[i][1] > s)
                            or (i + 1 < ntaken and taken[i + 1][0] < e)):
                        out.append(Mention(s, e, eid, f, "surname", not ok))
                if not grows or key not in grows or e >= size:
                    break
                e = word_end(text, e + 1).end()
        return out

    # -- glitches ----------------------------------------------------------------------------
    def glitches(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Mentions visible only once a mojibake pair or a mixed-script word is repaired."""
        edits: list[tuple[int, int, str, str]] = []
        for m in data.MOJIBAKE_PAIR.finditer(text):
            fixed = _unmojibake(m.group())
            if fixed:
                edits.append((m.start(), m.end(), fixed, "mojibake"))
        wildcard = []
        for m in _mixed_words(text):
            fixed = m.group().translate(data.CYRILLIC_HOMOGLYPHS)
            if any("\u0400" <= c <= "\u04ff" for c in fixed):
                wildcard.append(m)
            else:
                for i, (a, b) in enumerate(zip(m.group(), fixed)):
                    if a != b:
                        edits.append((m.start() + i, m.start() + i + 1, b, "mixed-script"))
        out = []
        if edits:
            out.extend(self._repaired(text, sorted(edits)))
        for m in wildcard:
            hit = self._wildcard(text, m)
            if hit:
                out.append(hit)
        # the spans taken, sorted and disjoint (a glitch mention is kept only clear of them):
        # an overlap is a bisect
        taken = chardata.merge_spans([(m.start, m.end) for m in mentions])
        keep = []
        for m in sorted(out, key=lambda m: (m.start, -m.end)):
            if chardata.inside(taken, m.start, m.end):
                continue
            keep.append(m)
            bisect.insort(taken, (m.start, m.end))
        return keep

    def _repaired(self, text: str, edits: list[tuple[int, int, str, str]]) -> list[Mention]:
        out = []
        # windows around the edits, merged when they overlap
        windows: list[list] = []
        for e in edits:
            lo, hi = max(0, e[0] - GLITCH_WINDOW), min(len(text), e[1] + GLITCH_WINDOW)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
                windows[-1][2].append(e)
            else:
                windows.append([lo, hi, [e]])
        for lo, hi, es in windows:
            pieces, starts, ends = [], [], []
            pos = lo
            for s, e, rep, _ in es:
                if s < pos:
                    continue
                for j in range(pos, s):
                    starts.append(j)
                    ends.append(j + 1)
                pieces.append(text[pos:s])
                pieces.append(rep)
                starts.extend([s] * len(rep))
                ends.extend([e] * len(rep))
                pos = e
            pieces.append(text[pos:hi])
            for j in range(pos, hi):
                starts.append(j)
                ends.append(j + 1)
            window = "".join(pieces)
            # the edits overlapping [s, e) start after s - longest and before e
            es_starts = [a for a, *_ in es]
            longest = max(b - a for a, b, *_ in es)
            for m in self.full(window):
                s, e = starts[m.start], ends[m.end - 1]
                near = es[bisect.bisect_right(es_starts, s - longest): bisect.bisect_left(es_starts, e)]
                kinds = {k for a, b, _, k in near if a < e and s < b}
                if not kinds:
                    continue  # found without repair: an ordinary mention
                out.append(Mention(s, e, m.entity, m.form, "glitch", True,
                                   "mixed-script" if "mixed-script" in kinds else "mojibake",
                                   window[m.start:m.end]))
        return out

    def _index(self) -> dict[str, list[tuple["Form", int]]]:
        """Words of the Latin listed forms by their first and last three folded letters."""
        if self._word_index is None:
            idx: dict[str, list] = {}
            for ent in self.lex.entities.values():
                for f in ent.listed:
                    if f.status == "variant":
                        continue
                    words = data.NAME_WORD.findall(f.form)
                    for pos, w in enumerate(words):
                        k = fold(w).lower()
                        if len(k) >= 4:
                            idx.setdefault(">" + k[-3:], []).append((f, pos))
                            idx.setdefault("<" + k[:3], []).append((f, pos))
            self._word_index = idx
        return self._word_index

    def _wildcard(self, text: str, m) -> Mention | None:
        """A Cyrillic run standing in for lost letters: ``Yeni тируетafak`` -> Yeni Şafak."""
        word = m.group()
        i = 0
        while i < len(word) and not ("\u0400" <= word[i] <= "\u04ff"):
            i += 1
        j = len(word)
        while j > i and not ("\u0400" <= word[j - 1] <= "\u04ff"):
            j -= 1
        prefix, suffix = fold(word[:i]).lower(), fold(word[j:]).lower()
        if len(prefix) + len(suffix) < 3:
            return None
        key = (">" + suffix[-3:]) if len(suffix) >= 3 else ("<" + prefix[:3])
        if len(key) < 4:
            return None
        before = [w for w in data.NAME_WORD.finditer(text, max(0, m.start() - 80), m.start())]
        after = [w for w in data.NAME_WORD.finditer(text, m.end(), m.end() + 80)]
        best = None
        for f, pos in self._index().get(key, ()):
            words = data.NAME_WORD.findall(f.form)
            target = fold(words[pos]).lower()
            lost = len(target) - len(prefix) - len(suffix)
            if not (1 <= lost <= 3 and target.startswith(prefix) and target.endswith(suffix)):
                continue
            need_before, need_after = words[:pos], words[pos + 1:]
            if len(need_before) > len(before) or len(need_after) > len(after):
                continue
            got_before = before[len(before) - len(need_before):] if need_before else []
            got_after = after[: len(need_after)]
            if any(fold(a.group()).lower() != fold(b).lower() for a, b in zip(got_before, need_before)):
                continue
            if any(fold(a.group()).lower() != fold(b).lower() for a, b in zip(got_after, need_after)):
                continue
            # the words must be adjacent: only spaces between them
            seq = got_before + [m] + got_after
            if any(text[x.end():y.start()].strip() for x, y in zip(seq, seq[1:])):
                continue
            s, e = seq[0].start(), seq[-1].end()
            if best is None or e - s > best.end - best.start:
                best = Mention(s, e, f.entity, f, "glitch", True, "mixed-script", f.form)
        return best

    # -- everything ----------------------------------------------------------------------------
    def find(self, text: str) -> list[Mention]:
        folded = match_fold(text)
        mentions = self.full(text, folded)
        mentions += self.glitches(text, mentions)
        mentions += self.surnames(text, mentions, folded)
        return sorted(mentions, key=lambda m: (m.start, m.end))


#: A character that is neither a letter nor a digit (``str.isalnum``; ``re``'s ``\\w`` is the
#: same test plus ``_``).
_NON_ALNUM = re.compile(r"[\W_]")
#: Characters that MATCH_FOLD turns from alphanumeric to not or back (ʼ -> '); ``str.lower``
#: keeps every character's ``isalnum`` (tests/test_lexicon.py checks it).
_ALNUM_CHANGERS = "".join(
    chr(k) for k, v in data.MATCH_FOLD.items()
    if v is None or chr(k).isalnum() != (v if isinstance(v, str) else chr(v)).isalnum()
)
#: Characters that are not in Python's ``str.lower`` one-to-one with ``upper``: their lower-case
#: form is not the lower-case form of their ``upper()`` (İ, Kelvin sign, Ω, titlecase digraphs …).
#: Together with a letter's upper, title and lower case they are every character that folds to it.
_SPECIAL_CASE = (
    "\u0130\u01c5\u01c8\u01cb\u01f2\u03f4\u1e9e\u1f88\u1f89\u1f8a\u1f8b\u1f8c\u1f8d\u1f8e\u1f8f"
    "\u1f98\u1f99\u1f9a\u1f9b\u1f9c\u1f9d\u1f9e\u1f9f\u1fa8\u1fa9\u1faa\u1fab\u1fac\u1fad\u1fae"
    "\u1faf\u1fbc\u1fcc\u1ffc\u2126\u212a\u212b"
)


#: A name word (``data.NAME_WORD``) or a newline.
_WORD_OR_NEWLINE = regex.compile(data.NAME_WORD.pattern + "|\n")
_strip_sep = operator.methodcaller("strip", "\x1f")
#: The word characters after a position (``re``'s ``\\w`` is ``str.isalnum`` plus ``_``).
_WORD_TAIL = re.compile(r"\w*")
_SURNAME_HEADS: dict[frozenset, "re.Pattern"] = {}


def _surname_heads(keys) -> "re.Pattern":
    """Where a surname of ``keys`` (folded) may start: a capital folding to a key's first
    character, not after a word character; with the rest of its first word (cached)."""
    firsts = frozenset({k[0] for k in keys})
    head = _SURNAME_HEADS.get(firsts)
    if head is None:
        chars = frozenset().union(*map(_capitals, firsts))
        # the look-behind after the character: a pattern that starts with a character class
        # is scanned for it several times faster
        head = re.compile((r"[" + "".join(re.escape(c) for c in sorted(chars)) + r"](?<!\w.)\w*") if chars else r"(?!)")
        if len(_SURNAME_HEADS) > 4096:  # (one per set of first characters: a few hundred in a corpus)
            _SURNAME_HEADS.clear()
        _SURNAME_HEADS[firsts] = head
    return head


@functools.lru_cache(maxsize=None)
def _capitals(ch: str) -> frozenset[str]:
    """The capitals that :func:`match_fold` turns into ``ch``."""
    return frozenset(c for c in _preimages(ch) if c.isupper())


def _preimages(ch: str) -> set[str]:
    """Every character that :func:`match_fold` turns into ``ch``."""
    cands = {ch, ch.upper(), ch.title(), ch.lower(), *_SPECIAL_CASE, *(chr(k) for k in data.MATCH_FOLD)}
    return {c for c in cands if len(c) == 1 and match_fold(c) == ch}


def _start_pattern(first_upper: set[str], first_other: set[str]) -> "re.Pattern":
    """Where a mention may start: after a non-word character (or at the start), on a character
    folding to a form's first character; not on a lower-case letter when every form starting
    with that character starts with a capital (``_case_ok`` would reject it)."""
    chars: set[str] = set()
    for ch in first_other:
        chars |= _preimages(ch)
    for ch in first_upper - first_other:
        chars |= {c for c in _preimages(ch) if not (c.isalpha() and not c.isupper())}
    if not chars:
        return re.compile(r"(?!)")
    # (?<!\w.) after the character: not after a word character; a pattern that starts with a
    # character class is scanned for it several times faster than one that starts with a look-behind
    return re.compile(r"[" + "".join(re.escape(c) for c in sorted(chars)) + r"](?<!\w.)")


_CYRILLIC_RUN = regex.compile(r"\p{Script=Cyrillic}+")
_LETTERS = regex.compile(r"[\p{L}\p{M}]*")


def _mixed_words(text: str):
    """Words mixing Latin and Cyrillic letters, found from the (rare) Cyrillic runs."""
    last = -1
    for run in _CYRILLIC_RUN.finditer(text):
        if run.start() < last:
            continue
        s = run.start()
        while s and (text[s - 1].isalpha() or unicodedata.category(text[s - 1]).startswith("M")):
            s -= 1
        m = data.MIXED_WORD.match(text, s)
        if m and m.end() >= run.end():
            last = m.end()
            yield m


def _unmojibake(pair: str) -> str | None:
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = pair.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(fixed) == 1:
            return fixed
    return None
