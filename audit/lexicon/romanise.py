"""Romanisation, folding and transliteration keys: pure ``str -> str`` functions.

The Russian schemes are iuliia's (27 of them: ALA-LC, BGN/PCGN, GOST, ISO 9, ICAO, MVD,
Wikipedia, Yandex …); :func:`romanise_word` applies a scheme with iuliia's own rules (letter,
previous-letter, next-letter and word-ending mappings) but without its per-call overhead, and
caches per word, so a lexicon of tens of thousands of names romanises in about a second.

>>> romanise("Сергей Ермаков", "wikipedia")
'Sergey Yermakov'
>>> romanise("Володимир Зеленський", "uk-kmu-2010")
'Volodymyr Zelenskyi'
>>> fold("Mevlüt Çavuşoğlu"), fold("İlham Əliyev", "az")
('Mevlut Cavusoglu', 'Ilham Aliyev')
>>> translit_key("Yermakov") == translit_key("Ermakov"), translit_key("Kalyn") == translit_key("Kalın")
(True, True)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia
import regex
from anyascii import anyascii

from ..chardata import lower_same_length
from . import data

_WORD_SPLIT = regex.compile(r"(\w+)")
_CYRILLIC = regex.compile(r"\p{Script=Cyrillic}")
_LATIN_OR_COMMON = regex.compile(r"^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]*$")


#: The Russian romanisation schemes by iuliia name (the Uzbek one is kept apart).
RUSSIAN_SCHEMES = tuple(sorted(n for n in iuliia.schemas.names() if n != data.UZBEK_SCHEME))
UKRAINIAN_SCHEME = "uk-kmu-2010"


@lru_cache(maxsize=None)
def _scheme(name: str):
    """iuliia's loaded schema (its letter, context and ending maps), loaded on first use."""
    schema = iuliia.schemas.get(name)
    schema.description  # noqa: B018 - FileSchema loads its JSON lazily on attribute access
    return getattr(schema, "_schema", schema)


@lru_cache(maxsize=1 << 18)
def romanise_word(word: str, scheme: str) -> str:
    """One word through one iuliia scheme, exactly as ``schema.translate`` does it."""
    if scheme == UKRAINIAN_SCHEME:
        return _ukrainian_word(word)
    s = _scheme(scheme)
    ending = s.ending_map.get(word[-2:]) if len(word) > 2 else None
    letters = word[:-2] if ending is not None else word
    out = []
    pm, nm, m = s.prev_map, s.next_map, s.map
    n = len(letters)
    for i, curr in enumerate(letters):
        prev = letters[i - 1] if i else ""
        nxt = letters[i + 1] if i + 1 < n else ""
        letter = pm.get(prev + curr)
        if letter is None:
            letter = nm.get(curr + nxt)
            if letter is None:
                letter = m.get(curr, curr)
        out.append(letter)
    if ending is not None:
        out.append(ending)
    return "".join(out)


@lru_cache(maxsize=None)
def _batch_tables(scheme: str):
    """For :func:`romanise_words`: the scheme, its translate table of single letters, and a
    pattern of the letters whose rendering a neighbour decides, in words joined by newlines:
    only where such a rule applies when every rule is a letter pair or a word-start or
    word-end letter, else at every such letter."""
    s = _scheme(scheme)
    table = str.maketrans({k: v for k, v in s.map.items() if len(k) == 1})
    alts = []
    if all(1 <= len(k) <= 2 for k in (*s.prev_map, *s.next_map)):
        after: dict[str, set[str]] = {}
        before: dict[str, set[str]] = {}
        for k in s.prev_map:
            after.setdefault(k[-1], set()).add(k[0] if len(k) == 2 else "\n")
        for k in s.next_map:
            before.setdefault(k[0], set()).add(k[1] if len(k) == 2 else "\n")
        # the letter first (a pattern that starts with a character class is scanned for it
        # fast), then its context: look-behinds over the letter itself tell the letters apart
        for ch, prev in sorted(after.items()):
            c = re.escape(ch)
            chars = "".join(re.escape(x) for x in sorted(prev - {"\n"}))
            if chars:
                alts.append(f"(?<=[{chars}]{c})")
            if "\n" in prev:
                alts.append(f"(?<={c})(?<![^\\n].)")
        for ch, nxt in sorted(before.items()):
            c = re.escape(ch)
            chars = "".join(re.escape(x) for x in sorted(nxt - {"\n"}))
            if chars:
                alts.append(f"(?<={c})(?=[{chars}])")
            if "\n" in nxt:
                alts.append(f"(?<={c})(?![^\\n])")
        if alts:
            letters = "".join(re.escape(x) for x in sorted(set(after) | set(before)))
            alts = [f"[{letters}](?:{'|'.join(alts)})"]
    else:
        contextual = {k[-1] for k in s.prev_map} | {k[0] for k in s.next_map}
        table = str.maketrans({k: v for k, v in s.map.items() if len(k) == 1 and k not in contextual})
        if contextual:
            alts.append("[" + "".join(re.escape(c) for c in sorted(contextual)) + "]")
    return s, table, (re.compile("|".join(alts)) if alts else None)


def romanise_words(words: list[str], scheme: str) -> list[str]:
    """Many words through one scheme at once (same output as :func:`romanise_word`): the words
    joined by newlines, the letters a neighbour decides replaced in one pass, the rest through
    one translate table; a word with a mapped ending is its stem so romanised plus the ending's
    rendering."""
    return romanise_schemes(words, (scheme,))[0]


def romanise_schemes(words: list[str], schemes) -> list[list[str]]:
    """:func:`romanise_words` of ``words`` through each of ``schemes`` (what does not depend on
    the scheme — which words are letters only — found once)."""
    plain = [w.isalpha() for w in words]  # (a newline is not a letter)
    every = all(plain)
    return [_romanise_words(words, scheme, plain, every) for scheme in schemes]


def _romanise_words(words: list[str], scheme: str, plain: list[bool], every: bool) -> list[str]:
    """:func:`romanise_words`; ``plain``: whether each word is letters only, ``every``: all are."""
    if scheme == UKRAINIAN_SCHEME or not words:
        return [romanise_word(w, scheme) for w in words]
    s, table, pattern = _batch_tables(scheme)
    ends = s.ending_map
    if ends:
        cut = [len(w) > 2 and w[-2:] in ends for w in words]
        stems = [w[:-2] if c else w if p else "" for w, c, p in zip(words, cut, plain)]
    else:
        stems = words if every else [w if p else "" for w, p in zip(words, plain)]
    big = "\n".join(stems)
    if pattern is not None:
        pm, nm, m = s.prev_map, s.next_map, s.map

        def contextual(match, big=big):
            pos = match.start()
            curr = big[pos]
            prev = big[pos - 1] if pos and big[pos - 1] != "\n" else ""
            nxt = big[pos + 1] if pos + 1 < len(big) and big[pos + 1] != "\n" else ""
            letter = pm.get(prev + curr)
            if letter is None:
                letter = nm.get(curr + nxt)
                if letter is None:
                    letter = m.get(curr, curr)
            return letter

        big = pattern.sub(contextual, big)
    out = big.translate(table).split("\n")
    if ends:
        out = [o + ends[w[-2:]] if c else o for o, w, c in zip(out, words, cut)]
    if not every:
        for i, p in enumerate(plain):
            if not p:
                out[i] = romanise_word(words[i], scheme)
    return out


def _ukrainian_word(word: str) -> str:
    out = []
    low = word.lower()
    for i, ch in enumerate(low):
        rule = data.UKRAINIAN_KMU.get(ch, ch)
        if isinstance(rule, tuple):
            rule = rule[0] if i == 0 else rule[1]
        if ch == "г" and i and low[i - 1] == "з":
            rule = "gh"
        if word[i].isupper() and rule:
            rule = rule[0].upper() + rule[1:]
        out.append(rule)
    return "".join(out)


def romanise(text: str, scheme: str) -> str:
    """A Cyrillic string through one scheme (``uk-kmu-2010`` or an iuliia scheme name)."""
    parts = _WORD_SPLIT.split(text)
    return "".join(romanise_word(p, scheme) if i % 2 else p for i, p in enumerate(parts))


def schemes_for(lang: str) -> list[str]:
    """The romanisation schemes that apply to a Cyrillic form in ``lang``."""
    if lang in data.UKRAINIAN_LANGS:
        return [UKRAINIAN_SCHEME]
    if lang == "uz":
        return [data.UZBEK_SCHEME]
    return list(RUSSIAN_SCHEMES)


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def is_latin(text: str) -> bool:
    """True if the text has no letters outside the Latin script."""
    return bool(_LATIN_OR_COMMON.match(text))


class _AsciiTable(dict):
    """A ``str.translate`` table: each character -> ``anyascii`` of it, filled on first use.
    anyascii folds character by character, so ``text.translate(table) == anyascii(text)``, and
    translate does it in C where anyascii loops in Python."""

    def __missing__(self, code: int) -> str:
        out = self[code] = anyascii(chr(code))
        return out


_ASCII = _AsciiTable()


def to_ascii(text: str) -> str:
    """``anyascii(text)``, faster."""
    return text if text.isascii() else text.translate(_ASCII)


@lru_cache(maxsize=1 << 16)
def fold(text: str, lang: str | None = None) -> str:
    """ASCII folding as the English press writes names (Turkish-aware; ``de``/``az`` rules)."""
    table = data.PRESS_FOLD.get(lang or "")
    if table:
        text = text.translate(table)
    return to_ascii(text)


def has_marks(text: str) -> bool:
    """True if the text has letters outside ASCII (diacritics, dotless i …)."""
    return any(ord(c) > 127 and c.isalpha() for c in text)


#: MATCH_FOLD as (character, replacement) pairs, when replacing them one after the other is the
#: same as ``str.translate`` (one character each, no replacement itself replaced); else None.
_FOLD_PAIRS = [(chr(k), v if isinstance(v, str) else chr(v)) for k, v in data.MATCH_FOLD.items()]
if any(len(v) != 1 or ord(v) in data.MATCH_FOLD for _, v in _FOLD_PAIRS):
    _FOLD_PAIRS = None
#: From this length on, :func:`match_fold` replaces the few characters present one by one
#: (``str.replace`` runs at memory speed; ``str.translate`` with a dict looks up every character).
_REPLACE_FROM = 256


def match_fold(text: str) -> str:
    """Length-preserving case and punctuation folding (offsets survive)."""
    if _FOLD_PAIRS is not None and len(text) >= _REPLACE_FROM:
        out = text
        for ch, rep in _FOLD_PAIRS:
            if ch in out:
                out = out.replace(ch, rep)
        out = out.lower()
    else:
        out = text.translate(data.MATCH_FOLD).lower()
    if len(out) != len(text):  # defensive: a character data module newer than the table
        out = lower_same_length(text.translate(data.MATCH_FOLD))
    return out


def translit_keys(words: list[str]) -> list[str]:
    """``[translit_key(w) for w in words]`` for words without whitespace, the folding and the
    ~20 key rules applied once to the words joined by spaces: no rule matches across a space
    between two non-empty words (the multi-letter rules hold no space; the space is no vowel
    for ``(?<=[aeiou])ie`` and a word boundary for ``\\bie``). Words that fold to a space or
    whose key empties on the way (two spaces would meet) are detected and keyed one by one."""
    if " ".join(words).split() != words:  # an empty word, or one holding whitespace
        return [translit_key(w) for w in words]
    texts = []
    for w in words:
        t = unicodedata.normalize("NFC", w)
        texts.append(romanise(t, "wikipedia") if is_cyrillic(t) else t)
    joined = " ".join(texts)
    table = data.PRESS_FOLD.get("")
    if table:
        joined = joined.translate(table)
    key = to_ascii(joined).lower()
    if key.count(" ") != len(words) - 1:
        return [translit_key(w) for w in words]
    for pattern, repl in data.KEY_RULES:
        key = pattern.sub(repl, key)
    out = key.split(" ")
    if len(out) != len(words) or not all(out):
        return [translit_key(w) for w in words]
    return out


@lru_cache(maxsize=1 << 18)
def translit_key(name: str) -> str:
    """A key that spellings differing only by transliteration share (Ermakov / Yermakov)."""
    text = unicodedata.normalize("NFC", name)
    if is_cyrillic(text):
        text = romanise(text, "wikipedia")
    key = fold(text).lower()
    for pattern, repl in data.KEY_RULES:
        key = pattern.sub(repl, key)
    return key.strip()
