"""Variant generation: the renderings rules can derive are generated at load, never typed.

For each entity:

* **folding** — every Latin form with diacritics also in ASCII, as the English press writes
  it (``Çavuşoğlu`` -> ``Cavusoglu``; ``Müller`` -> ``Muller`` and ``Mueller``);
* **romanisation** — every Cyrillic form through every scheme that applies (the 27 Russian
  schemes of iuliia, the Ukrainian national system for ``uk``, the Uzbek scheme for ``uz``),
  plus ``press-h`` (Russian г for a foreign h: ``Ибрагим`` -> ``Ibrahim``) for entities that
  are not Russian;
* **mixing** — a Latin form and a Cyrillic form with the same number of words, word by word
  (``Ibrahim`` + ``Kalyn``): how machine translation half-transliterates a name.

A generated form is *accepted* when the romanisation is a legitimate spelling of the name
(a Russian name romanised, a Ukrainian name through the Ukrainian system, ASCII folding),
and a *variant* (a back-transliteration, wrong) when the name only reached Cyrillic by
translation — a Turkish minister, an American diplomat, a Ukrainian city via Russian.

A generated form that equals a form of another entity is never merged into either: it is
dropped and reported as a collision.
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import polars as pl
import regex

from ..langdata import indefinite
from . import data
from .loader import Issue
from .romanise import (UKRAINIAN_SCHEME, fold, has_marks, is_cyrillic, is_latin, match_fold,
                       romanise_schemes, romanise_words, schemes_for, to_ascii)

_WORDS = regex.compile(r"(\w+)")
_PRIMES = regex.compile(r"['’ʹʺ`ʼ]")
_DESIGNATION = regex.compile(r"^(\p{Lu}[\p{L}]*)-(\d+\w*)$")
#: At most this many word-by-word mixes per pair of forms.
MAX_MIXES = 64
PRESS_H_SCHEME = "press-h"
#: A character that :data:`data.MATCH_FOLD` maps.
_FOLDABLE = regex.compile("[" + "".join(regex.escape(chr(k)) for k in data.MATCH_FOLD) + "]")


class Form(NamedTuple):
    """One rendering of an entity, listed in a file or generated from one that is."""

    entity: str
    lang: str
    form: str
    status: str  # canonical | accepted | variant
    generated: bool
    reason: str  # why a generated form exists (source form and schemes); "" when listed
    source: str  # file:line of the listed row (of the row it was generated from)
    note: str = ""  # the row's note (listed forms)


@dataclass
class Entity:
    id: str
    type: str
    native_lang: str
    native: str
    listed: list[Form] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def canonical(self, lang: str) -> str | None:
        for f in self.listed:
            if f.lang == lang and f.status == "canonical":
                return f.form
        return None


def build_entities(frame: pl.DataFrame) -> tuple[dict[str, Entity], list[Issue]]:
    """Entities from validated rows (files concatenated in load order)."""
    entities: dict[str, Entity] = {}
    issues: list[Issue] = []
    for eid, typ, lang, form, status, note, file, line in frame.iter_rows():
        ent = entities.get(eid)
        src = f"{file}:{line}"
        if ent is None:
            ent = entities[eid] = Entity(eid, typ, "", "")
        elif ent.type != typ:
            issues.append(Issue(file, line, 1, f"entity {eid!r} is {indefinite(ent.type)} elsewhere, {typ} here"))
            continue
        if status == "canonical" and not ent.native:
            ent.native, ent.native_lang = form, lang
        ent.listed.append(Form(eid, lang, form, status, False, "", src, note or ""))
        if note:
            ent.notes.append(note)
    for ent in entities.values():
        if not ent.native:  # only accepted/variant rows across files: loader reports it per file
            ent.native, ent.native_lang = ent.listed[0].form, ent.listed[0].lang
    return entities, issues


def romanisation_accepted(ent: Entity, lang: str) -> bool:
    """Whether romanising the entity's ``lang`` Cyrillic form gives a legitimate spelling."""
    return lang == ent.native_lang or ent.native_lang in data.RUSSIAN_ROMANISATION_NATIVE


def _clean(text: str) -> list[str]:
    """A romanisation as written, ASCII-folded, and without soft-sign primes (distinct, non-empty)."""
    ascii_ = to_ascii(text)
    # in ASCII text the primes (_PRIMES) left are ' and `
    bare = ascii_.replace("'", "").replace("`", "") if ("'" in ascii_ or "`" in ascii_) else ascii_
    if bare is ascii_:
        if ascii_ == text:
            return [text] if text else []
        return [o for o in (text, ascii_) if o]
    return list(dict.fromkeys(o for o in (text, ascii_, bare) if o))


def _bare(text: str) -> str:
    """``_clean(text)[-1]``: the ASCII folding without primes (else the last non-empty one)."""
    ascii_ = to_ascii(text)
    bare = ascii_.replace("'", "").replace("`", "") if ("'" in ascii_ or "`" in ascii_) else ascii_
    return bare or _clean(text)[-1]


class _Romaniser:
    """Collects every Cyrillic word that needs romanising, then runs each scheme once over all
    of them (:func:`romanise_words`) and keeps each word's romanisations as one row."""

    def __init__(self):
        self.need: dict[tuple[str, ...], set[str]] = defaultdict(set)  # schemes -> words
        self.alts: dict[tuple, list[str]] = {}
        self.rows: dict[tuple, tuple[str, ...]] = {}  # (word, schemes) -> its romanisations

    def schemes(self, ent: Entity, f: Form) -> tuple[str, ...]:
        out = _SCHEMES_FOR[f.lang] if f.lang in _SCHEMES_FOR else _SCHEMES_FOR.setdefault(f.lang, tuple(schemes_for(f.lang)))
        if f.lang not in data.UKRAINIAN_LANGS and not romanisation_accepted(ent, f.lang):
            out = out + (PRESS_H_SCHEME,)
        return out

    def want(self, text: str, schemes: tuple[str, ...]) -> None:
        need = self.need[schemes]
        for w in _WORDS.findall(text):
            if is_cyrillic(w):
                need.add(w)

    def run(self) -> None:
        # each group of schemes romanises its own words (a word in two groups, rare, is
        # romanised twice): each scheme's output lines up with the words, no lookups
        for schemes, words in self.need.items():
            ws = list(words)  # (any order: each word's romanisation is its own)
            h = [w.translate(data.PRESS_H) for w in ws] if PRESS_H_SCHEME in schemes else ws
            own = [s for s in schemes if s != PRESS_H_SCHEME]
            columns = dict(zip(own, romanise_schemes(ws, own)))
            if PRESS_H_SCHEME in schemes:
                columns[PRESS_H_SCHEME] = romanise_words(h, "wikipedia")
            columns = [columns[s] for s in schemes]
            self.rows.update(zip(zip(ws, itertools.repeat(schemes)), zip(*columns)))

    def texts(self, text: str, schemes: tuple[str, ...]) -> dict[str, list[str]]:
        """Distinct romanisations of ``text`` (cleaned: as written, ASCII, no primes) -> schemes."""
        parts = _WORDS.split(text)
        # each word's rendering under every scheme, then the distinct combinations (in scheme
        # order): strings are built once per distinct combination, not once per scheme
        columns = [self.word_row(p, schemes) for p in parts[1::2]]
        raw: dict[tuple, list[str]] = {}
        for scheme, combo in zip(schemes, zip(*columns)):
            got = raw.get(combo)
            if got is None:
                raw[combo] = [scheme]
            else:
                got.append(scheme)
        texts: dict[str, list[str]] = {}
        for combo, ss in raw.items():
            parts[1::2] = combo
            t = "".join(parts)
            if t in texts:  # two combinations spell one string: schemes back in scheme order
                order = {x: i for i, x in enumerate(schemes)}
                texts[t] = sorted(texts[t] + ss, key=order.__getitem__)
            else:
                texts[t] = ss
        out: dict[str, list[str]] = {}
        for t, ss in texts.items():
            for c in _clean(t):
                have = out.get(c)
                if have is None:
                    out[c] = list(ss)
                else:
                    have.extend(x for x in ss if x not in have)
        return out

    def word_row(self, w: str, schemes: tuple[str, ...]) -> tuple[str, ...]:
        """``w`` under each of ``schemes``: its romanisations, itself if it is not Cyrillic."""
        row = self.rows.get((w, schemes))
        if row is None:
            row = self.rows[(w, schemes)] = (w,) * len(schemes)  # want() took every Cyrillic word
        return row

    def word_alts(self, w: str, schemes: tuple[str, ...]) -> list[str]:
        """Distinct ASCII romanisations of one word under ``schemes`` (cached)."""
        key = (w, schemes)
        alts = self.alts.get(key)
        if alts is None:
            alts = self.alts[key] = list(dict.fromkeys(map(_bare, dict.fromkeys(self.word_row(w, schemes)))))
        return alts


#: Language -> its romanisation schemes (:func:`schemes_for`), as a tuple.
_SCHEMES_FOR: dict[str, tuple[str, ...]] = {}


def generate(entities: dict[str, Entity]) -> tuple[list[Form], list[Issue], list[str], set[str]]:
    """Listed and generated forms of every entity, the collisions found, each form's
    :func:`match_fold` key, and the keys of every listed form that is not a variant (kept
    or not)."""
    rom = _Romaniser()
    for ent in entities.values():
        for f in ent.listed:
            if not f.form.isascii() and is_cyrillic(f.form):
                rom.want(f.form, rom.schemes(ent, f))
    rom.run()

    keys: list[str] = []
    forms: list[Form] = []
    listed_ok: set[str] = set()
    # an entity's forms have distinct keys: a key seen in an earlier entity is shared
    seen: set[str] = set()
    shared: set[str] = set()
    for ent in entities.values():
        own = _entity_forms(ent, rom, keys, forms, listed_ok)
        if not seen.isdisjoint(own):
            shared.update(seen.intersection(own))
        seen.update(own)
    del seen
    forms, issues, keys = _resolve(forms, keys, shared)
    return forms, issues, keys, listed_ok


def _entity_forms(ent: Entity, rom: _Romaniser, keys: list[str], forms: list[Form], listed_ok: set[str]) -> dict:
    """Every rendering of the entity, listed first: its :func:`match_fold` key appended to
    ``keys`` and the form to ``forms``; the keys of its listed forms that are not variants
    added to ``listed_ok``. Returns a dict whose keys are the entity's keys."""
    eid = ent.id
    # match_fold(form) -> a listed Form, or a generated one's fields as a list: its reason a
    # string, or a list of them once it has several
    out: dict[str, Form | list] = {}
    several: list[list] = []  # the entries of ``out`` with several reasons
    rank = {"canonical": 0, "accepted": 1, "variant": 2}
    for f in ent.listed:
        key = match_fold(f.form)
        if f.status != "variant":
            listed_ok.add(key)
        if key not in out or rank[f.status] < rank[out[key].status]:
            out[key] = f
    fold_table = data.MATCH_FOLD
    foldable = _FOLDABLE.search

    def add(form: str, lang: str, status: str, reason: str, src: str) -> None:
        add_all((form,), lang, status, reason, src)

    def add_all(forms, lang: str, status: str, reason: str, src: str) -> None:
        """Each of ``forms`` as a generated form, unless a listed form or a form of a better
        status holds its key; the same status adds ``reason`` to it. (Forms come in bulk:
        mixes are most generated forms.)"""
        for form in forms:
            if form.isascii():  # MATCH_FOLD maps no ASCII character
                key = form.lower()
            else:
                # (most forms hold no character MATCH_FOLD maps: then it is the identity)
                key = form.translate(fold_table).lower() if foldable(form) else form.lower()
                if len(key) != len(form):
                    key = match_fold(form)
            have = out.get(key)
            if have is None:
                out[key] = [eid, lang, form, status, True, reason, src, ""]
            elif type(have) is not list:
                pass  # a listed form wins
            elif have[3] == "variant" and status != "variant":
                out[key] = [eid, lang, form, status, True, reason, src, ""]
            elif have[3] == status:
                _add_reason(have, reason, several)

    # (ASCII text is Latin, without marks, and not Cyrillic)
    latin_ok = [f for f in ent.listed if f.status != "variant" and (f.form.isascii() or is_latin(f.form))]
    cyr = [f for f in ent.listed if not f.form.isascii() and is_cyrillic(f.form)]
    # folding
    for f in ent.listed:
        if not f.form.isascii() and is_latin(f.form) and has_marks(f.form):
            status = "variant" if f.status == "variant" else "accepted"
            add(fold(f.form, f.lang), f.lang, status, f"ASCII folding of {f.lang} {f.form!r}", f.source)
            if f.lang in data.PRESS_FOLD:
                add(to_ascii(f.form), f.lang, status, f"ASCII folding of {f.lang} {f.form!r}", f.source)
    # designations: S-400 is also written S400
    if ent.type == "weapon":
        for f in latin_ok:
            m = _DESIGNATION.match(f.form)
            if m:
                add(m.group(1) + m.group(2), f.lang, "accepted", f"designation without hyphen {f.form!r}", f.source)
    # romanisation of Cyrillic forms
    native_ru = ent.native_lang in data.RUSSIAN_ROMANISATION_NATIVE
    for f in cyr:
        ok = f.status != "variant" and romanisation_accepted(ent, f.lang)
        schemes = rom.schemes(ent, f)
        status, head, src = "accepted" if ok else "variant", f"{f.lang} {f.form!r} via ", f.source
        for text, used in rom.texts(f.form, schemes).items():
            add(text, "en", status, head + ", ".join(used), src)
        # word-by-word mixes with the Latin forms
        if f.status == "variant":
            continue
        cwords = _WORDS.findall(f.form)
        for lf in latin_ok:
            parts = _WORDS.split(lf.form)
            lwords = parts[1::2]
            if len(lwords) != len(cwords) or len(lwords) < 2:
                continue
            # each word: the Latin word, then its distinct romanisations
            choices = [list(dict.fromkeys((lw, *rom.word_alts(cw, schemes)))) for lw, cw in zip(lwords, cwords)]
            n = 1
            for c in choices:
                n *= len(c)
            if n > MAX_MIXES or native_ru:
                # substitute one word at a time: for a Russian name every romanisation is
                # accepted anyway, and a full product would only multiply accepted spellings
                combos = []
                for i, c in enumerate(choices):
                    for alt in c[1:]:
                        combo = list(lwords)
                        combo[i] = alt
                        combos.append(combo)
            else:
                # every combination but the first, the Latin words alone (each other one has
                # a romanisation in some place, and those differ from the Latin word)
                combos = itertools.islice(itertools.product(*choices), 1, None)
            reason = f"words of {lf.lang} {lf.form!r} mixed with romanisations of {f.lang} {f.form!r}"
            # every alternative but the Latin word itself carries ``ok``: a mix is accepted
            # exactly when the romanisation is
            if len(parts) == 5:  # two words: before, word, between, word, after
                p0, _, p2, _, p4 = parts
                mixes = [f"{p0}{a}{p2}{b}{p4}" for a, b in combos]
            else:
                template = list(parts)
                mixes = []
                for words in combos:
                    template[1::2] = words
                    mixes.append("".join(template))
            add_all(mixes, "en", "accepted" if ok else "variant", reason, f.source)
    join = "; ".join
    for f in several:
        f[5] = join(f[5])
    keys += out
    new = tuple.__new__  # Form(...) without its Python wrapper
    forms += [f if type(f) is not list else new(Form, f) for f in out.values()]
    return out


def _add_reason(entry: list, reason: str, several: list[list]) -> None:
    """Another reason for a generated form (``entry[5]``: one reason, or a list of several;
    an entry that gets a second reason is appended to ``several``)."""
    have = entry[5]
    if type(have) is str:
        if have != reason:
            entry[5] = [have, reason]
            several.append(entry)
    elif reason not in have:
        have.append(reason)


def _resolve(forms: list[Form], keys: list[str], shared: set[str]) -> tuple[list[Form], list[Issue], list[str]]:
    """Drop generated forms that collide with another entity's form (``shared``: the keys of
    several entities' forms), and report each. The forms and keys kept are unique by key (an
    entity's forms have distinct keys, and a key shared by entities keeps at most one listed
    form)."""
    if not shared:
        return forms, [], keys
    n = len(keys)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in itertools.compress(range(n), map(shared.__contains__, keys)):
        by_key[keys[i]].append(i)
    drop: set[int] = set()
    issues: list[Issue] = []
    for key, idx in by_key.items():
        owners_all = {forms[i].entity for i in idx}
        listed = [i for i in idx if not forms[i].generated]
        listed_owners = {forms[i].entity for i in listed}
        for i in idx:
            f = forms[i]
            if not f.generated:
                continue
            others = sorted(owners_all - {f.entity})
            kind = "listed" if listed_owners - {f.entity} else "generated"
            drop.add(i)
            file, _, line = f.source.rpartition(":")
            issues.append(Issue(file, int(line) if line.isdigit() else 1, 1,
                                f"generated form {f.form!r} of {f.entity!r} collides with {indefinite(kind)} form of "
                                f"{', '.join(others[:5])}{' …' if len(others) > 5 else ''}; not matched "
                                f"({f.reason.split(';')[0]})", level="warning"))
        if len(listed_owners) > 1:
            f = forms[listed[-1]]
            file, _, line = f.source.rpartition(":")
            issues.append(Issue(file, int(line) if line.isdigit() else 1, 1,
                                f"form {f.form!r} is listed for {', '.join(sorted(listed_owners))}: ambiguous, "
                                "matched as neither", level="warning"))
            drop.update(listed)
    if len(drop) <= 64:  # a few: deleted in place (each deletion moves the tail)
        for i in sorted(drop, reverse=True):
            del forms[i], keys[i]
        return forms, issues, keys
    keep = [i not in drop for i in range(n)]
    return list(itertools.compress(forms, keep)), issues, list(itertools.compress(keys, keep))
