"""Phrase lexicons (calques and translationese): loading, validating and matching.

A phrase lexicon is one CSV file per language pair in ``lexicons/phrases/`` — ``ru-en.csv``
holds the habits Russian leaves in English translations. Every row is one rule; the columns
are documented in ``lexicons/README.md`` (section *Phrases*). A rule is data: the engine in
:mod:`audit.detectors.calque` knows nothing about any language.

Matching is one pass per kind, never a loop of regexes: literal phrases go into one
Aho-Corasick automaton (pyahocorasick) run over a length-preserving lower-cased copy of the
text, and regex rules into one compiled alternation. Each raw hit is then checked against
the rule's word boundaries, case rule, position rule and context requirement.

>>> rules = load_phrase_rules()
>>> matcher = PhraseMatcher([r for r in rules if r.pair == ("ru", "en")])
>>> [(m.rule.key, m.text) for m in matcher.find("Recall that the talks failed. We will remind, he left.")]
[('ru-en/recall-that', 'Recall that'), ('ru-en/we-will-remind', 'We will remind,')]
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import ahocorasick
import regex

from .chardata import lower_same_length
from .findings import SEVERITIES

#: The built-in phrase lexicons.
PHRASES_DIR = Path(__file__).resolve().parent.parent / "lexicons" / "phrases"

COLUMNS = (
    "id", "pattern", "match", "case", "position", "marker", "severity",
    "suggestions", "source", "explanation", "requires", "anchors", "example", "counter",
)
REQUIRED = ("id", "pattern", "explanation", "example")
MATCH_KINDS = ("phrase", "regex")
CASE_RULES = ("any", "exact")
POSITIONS = ("any", "sentence-start")
MARKERS = ("strong", "weak")

#: Whitespace of any kind counts as one space inside a phrase (length-preserving map).
_WS_CHARS = "\t\n\r\x0b\x0c\u00a0\u2007\u202f\u2009\u200a\u2028\u2029"
_WS_TABLE = {ord(c): " " for c in _WS_CHARS}
#: What may stand between a sentence end and the start of the next sentence.
_OPENERS = set("\"“„«‘'([•*–—-")
_SENTENCE_END = set(".!?…")
_CLOSERS = set("\"”»’')]")


class PhraseLexiconError(ValueError):
    """A malformed phrase lexicon row, with file, line and column in the message."""


@dataclass(frozen=True)
class PhraseRule:
    id: str
    pair: tuple[str, str]  # (source language, target language)
    pattern: str
    match: str = "phrase"
    case: str = "any"
    position: str = "any"
    marker: str = "weak"
    severity: str = "warning"
    suggestions: tuple[str, ...] = ()
    source: str = ""
    explanation: str = ""
    requires: str = ""
    anchors: tuple[str, ...] = ()
    example: str = ""
    counter: str = ""
    origin: str = ""  # file:line, for messages

    @property
    def key(self) -> str:
        """The rule's id qualified by its pair, e.g. ``ru-en/recall-that``."""
        return f"{self.pair[0]}-{self.pair[1]}/{self.id}"

    @property
    def strong(self) -> bool:
        return self.marker == "strong"


@dataclass(frozen=True)
class PhraseMatch:
    rule: PhraseRule
    start: int
    end: int
    text: str
    groups: tuple[tuple[str, str], ...] = ()
    #: where the whole match began (a rule's ``hit`` group may flag a smaller span)
    anchor: int = -1

    def suggestions(self) -> list[str]:
        """The rule's alternatives with ``{group}`` references filled from the match."""
        values = {k: v or "" for k, v in self.groups}
        out = []
        for s in self.rule.suggestions:
            try:
                filled = s.format(**values)
            except (KeyError, IndexError, ValueError):
                continue
            if self.text[:1].isupper() and filled[:1].islower():
                filled = filled[:1].upper() + filled[1:]
            out.append(filled)
        return out


# -- loading ---------------------------------------------------------------------------------
def _pair_of(path: Path, row: dict) -> tuple[str, str]:
    value = (row.get("pair") or "").strip() or path.stem
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isalpha() for p in parts):
        raise PhraseLexiconError(f"{path}: cannot tell the language pair (name the file SRC-TGT.csv or add a 'pair' column)")
    return parts[0].lower(), parts[1].lower()


def read_phrase_file(path: Path) -> list[PhraseRule]:
    """Read and validate one phrase lexicon; raise :class:`PhraseLexiconError` on a bad row."""
    path = Path(path)
    rules = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise PhraseLexiconError(f"{path}: missing column {missing[0]!r}")
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values()) or (row.get("id") or "").startswith("#"):
                continue
            get = lambda k, d="": (row.get(k) or "").strip() or d  # noqa: E731
            where = f"{path}:{line}"
            rule = PhraseRule(
                id=get("id"), pair=_pair_of(path, row), pattern=row["pattern"].strip(),
                match=get("match", "phrase"), case=get("case", "any"), position=get("position", "any"),
                marker=get("marker", "weak"), severity=get("severity", "warning"),
                suggestions=tuple(s.strip() for s in get("suggestions").split("|") if s.strip()),
                source=get("source"), explanation=get("explanation"), requires=get("requires"),
                anchors=tuple(a.strip() for a in get("anchors").split("|") if a.strip()),
                example=get("example"), counter=get("counter"), origin=where,
            )
            _validate(rule, where)
            rules.append(rule)
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise PhraseLexiconError(f"{path}: duplicate id {sorted(dup)[0]!r}")
    return rules


def _validate(rule: PhraseRule, where: str) -> None:
    for name, value, allowed in (
        ("match", rule.match, MATCH_KINDS), ("case", rule.case, CASE_RULES),
        ("position", rule.position, POSITIONS), ("marker", rule.marker, MARKERS),
        ("severity", rule.severity, SEVERITIES),
    ):
        if value not in allowed:
            raise PhraseLexiconError(f"{where}: column {name!r} must be one of {', '.join(allowed)}, got {value!r}")
    for name in REQUIRED:
        if not getattr(rule, name):
            raise PhraseLexiconError(f"{where}: column {name!r} is empty")
    for name in ("pattern", "requires") if rule.match == "regex" else ("requires",):
        value = getattr(rule, name)
        if value:
            try:
                regex.compile(value)
            except regex.error as exc:
                raise PhraseLexiconError(f"{where}: column {name!r} is not a valid regex ({exc})") from None


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> tuple[PhraseRule, ...]:
    rules: list[PhraseRule] = []
    for p in paths:
        rules.extend(read_phrase_file(Path(p)))
    return tuple(rules)


def phrase_files(extra: Iterable[str] = (), builtin: bool = True) -> list[str]:
    """The built-in phrase lexicons plus the extra files that are phrase lexicons (have a 'pattern' column)."""
    out = sorted(str(p) for p in PHRASES_DIR.glob("*.csv")) if builtin else []
    for p in extra:
        path = Path(p)
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        if "pattern" in header:
            out.append(str(path))
    return out


def load_phrase_rules(extra: Iterable[str] = (), builtin: bool = True) -> list[PhraseRule]:
    """Every phrase rule of the built-in lexicons and of the extra phrase lexicon files."""
    return list(_load(tuple(phrase_files(extra, builtin))))


# -- matching --------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower-case ``text`` and map every whitespace to a space, keeping its length."""
    low = lower_same_length(text)  # 'İ'.lower() is two code points
    for ch in _WS_CHARS:
        if ch in low:
            low = low.replace(ch, " ")
    return low


def at_sentence_start(text: str, start: int) -> bool:
    """True if ``start`` begins a sentence: text start, a line start, or after ``. ! ? …``.

    Opening quotes, brackets and bullets between the sentence end and ``start`` are skipped.
    """
    i = start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in _OPENERS):
        if text[i - 1] in "\n\r":
            return True
        i -= 1
    if i == 0:
        return True
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _SENTENCE_END


def _boundary_ok(text: str, start: int, end: int) -> bool:
    if start > 0 and text[start].isalnum() and (text[start - 1].isalnum() or text[start - 1] == "-"):
        return False
    if end < len(text) and text[end - 1].isalnum() and (text[end].isalnum() or text[end] == "-"):
        return False
    return True


class PhraseMatcher:
    """All rules of a selection compiled into one Aho-Corasick automaton (plus one regex).

    Literal phrases are keys of the automaton. A regex row lists ``anchors`` — literal words
    one of which every match contains; they are keys too, and the row's regex is tried only
    in a window around each anchor hit. Regex rows without anchors fall back to one compiled
    alternation over the whole text (correct, but slower on large corpora).
    """

    #: How far around an anchor a regex row's match may extend.
    WINDOW = 240

    def __init__(self, rules: Iterable[PhraseRule]):
        self.rules = list(rules)
        keys: dict[str, list[tuple[str, PhraseRule]]] = {}
        for r in self.rules:
            if r.match == "phrase":
                keys.setdefault(fold(r.pattern), []).append(("phrase", r))
            else:
                for a in r.anchors:
                    keys.setdefault(fold(a), []).append(("anchor", r))
        self._automaton = None
        if keys:
            auto = ahocorasick.Automaton()
            for key, entries in keys.items():
                auto.add_word(key, (len(key), tuple(entries)))
            auto.make_automaton()
            self._automaton = auto
        self._compiled = {
            r.key: regex.compile(r.pattern, regex.V0 | (0 if r.case == "exact" else regex.IGNORECASE))
            for r in self.rules if r.match == "regex"
        }
        self._loose = [r for r in self.rules if r.match == "regex" and not r.anchors]
        self._regex = None
        if self._loose:
            parts = [f"(?P<r{i}>{'(?-i:' if r.case == 'exact' else '(?:'}{r.pattern}))" for i, r in enumerate(self._loose)]
            self._regex = regex.compile("|".join(parts), regex.V0 | regex.IGNORECASE)
        self._requires = {r.requires: regex.compile(r.requires, regex.V1 | regex.IGNORECASE)
                          for r in self.rules if r.requires}

    @staticmethod
    def _regex_hit(r: PhraseRule, m) -> PhraseMatch:
        groups = {k: v for k, v in m.groupdict().items() if not (k[0] == "r" and k[1:].isdigit())}
        span = m.span("hit") if groups.get("hit") is not None else m.span()
        return PhraseMatch(r, span[0], span[1], m.string[span[0]:span[1]],
                           tuple(sorted((k, v or "") for k, v in groups.items())), anchor=m.start())

    def find(self, text: str) -> Iterator[PhraseMatch]:
        """Every hit in ``text`` that passes its rule's checks, in text order."""
        hits: list[PhraseMatch] = []
        if self._automaton is not None:
            for end_idx, (length, entries) in self._automaton.iter(fold(text)):
                start, end = end_idx - length + 1, end_idx + 1
                for kind, r in entries:
                    if kind == "phrase":
                        if r.case == "exact" and text[start:end].translate(_WS_TABLE) != r.pattern:
                            continue
                        hits.append(PhraseMatch(r, start, end, text[start:end], anchor=start))
                        continue
                    lo, hi = max(0, start - self.WINDOW), min(len(text), end + self.WINDOW)
                    for m in self._compiled[r.key].finditer(text, lo, hi, overlapped=True):
                        if m.start() <= start and end <= m.end():
                            hits.append(self._regex_hit(r, m))
        if self._regex is not None:
            for m in self._regex.finditer(text, overlapped=True):
                name = next(k for k, v in m.groupdict().items() if v is not None and k[0] == "r" and k[1:].isdigit())
                hits.append(self._regex_hit(self._loose[int(name[1:])], m))
        required: dict[str, bool] = {}
        seen = set()
        for h in sorted(hits, key=lambda h: (h.start, -h.end, h.rule.id)):
            r = h.rule
            if (r.key, h.start, h.end) in seen or not _boundary_ok(text, h.start, h.end):
                continue
            if r.position == "sentence-start" and not at_sentence_start(text, h.anchor):
                continue
            if r.requires:
                if r.requires not in required:
                    required[r.requires] = self._requires[r.requires].search(text) is not None
                if not required[r.requires]:
                    continue
            seen.add((r.key, h.start, h.end))
            yield h
