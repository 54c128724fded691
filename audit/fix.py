"""Repair plans: which findings to apply, and a replay that never touches text outside a span.

A repair is a list of :class:`Edit` records — ``(start, end, replacement)`` in character
offsets of the text they apply to, plus the rule, confidence and fingerprint of the finding
they come from. :func:`plan` chooses edits from findings under a :class:`Policy`;
:func:`apply_plan` replays them; :func:`invert` gives the plan that undoes them, and
:func:`compose` folds the plan of a second pass into the first so that a repair made in
several passes is still one list of edits in the coordinates of the original text.

What is applied by default (the *safe* repairs) is read from the detectors themselves:
a rule whose detector class says ``fixable = True`` and ``safe_fix = True``. A detector may
also set ``safe_fix_min_confidence`` to make only its confident repairs safe; rules that
do not (yet) say so can get a floor from :data:`CONFIDENT_REPAIRS` (``name-variant`` at
0.9: a back-transliterated name is replaced by its lexicon form only when the match is
sure). ``--unsafe`` applies every suggestion of a ``fixable`` rule.

Overlapping edits are resolved by one deterministic rule (:func:`priority`): the higher
confidence wins, then the longer span, then the earlier start, then the rule name, then
the replacement text. Insertions (empty spans) conflict with an insertion at the same
point and with any span that strictly contains their point.

>>> text = "Erdo\\u200bgan  met Blinken ."
>>> edits = [Edit(4, 5, "", "invisible-character", 0.95), Edit(8, 10, " ", "whitespace", 0.8),
...          Edit(21, 22, "", "whitespace", 0.85)]
>>> apply_plan(text, edits)
'Erdogan met Blinken.'
>>> fixed = apply_plan(text, edits)
>>> apply_plan(fixed, invert(text, edits)) == text
True
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from .findings import Finding

#: Rules made safe above a confidence floor when their detector does not declare
#: ``safe_fix_min_confidence`` itself (issue 5: name variants with high confidence).
CONFIDENT_REPAIRS: dict[str, float] = {"name-variant": 0.9}

#: Rules whose suggestions are not idempotent (normalising twice would change the text
#: again); excluded from the safe repairs until their detector is fixed.
NOT_IDEMPOTENT: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    rule: str
    confidence: float = 1.0
    fingerprint: str = ""

    @property
    def delta(self) -> int:
        return len(self.replacement) - (self.end - self.start)


@dataclass(frozen=True)
class Policy:
    """Which findings become edits.

    ``select`` / ``ignore`` take rule names or categories (as in ``audit check``);
    ``min_confidence`` drops less certain repairs; ``unsafe`` applies every suggestion of
    a fixable rule, not only the safe ones.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_confidence: float = 0.0
    unsafe: bool = False

    def __post_init__(self):
        object.__setattr__(self, "select", tuple(self.select or ()))
        object.__setattr__(self, "ignore", tuple(self.ignore or ()))


def _registry(registry: Mapping[str, type] | None) -> Mapping[str, type]:
    if registry is not None:
        return registry
    from .detectors import DETECTORS

    return DETECTORS


def safety_floor(rule: str, registry: Mapping[str, type] | None = None) -> float | None:
    """The confidence from which ``rule``'s repairs are safe by default; None if never.

    >>> safety_floor("whitespace"), safety_floor("input-encoding")
    (0.0, None)
    """
    cls = _registry(registry).get(rule)
    if cls is None or not getattr(cls, "fixable", False) or rule in NOT_IDEMPOTENT:
        return None
    if getattr(cls, "safe_fix", False):
        return float(getattr(cls, "safe_fix_min_confidence", 0.0))
    if rule in CONFIDENT_REPAIRS:
        return CONFIDENT_REPAIRS[rule]
    return None


def is_fixable(rule: str, registry: Mapping[str, type] | None = None) -> bool:
    cls = _registry(registry).get(rule)
    return bool(cls is not None and getattr(cls, "fixable", False))


def eligible(f: Finding, policy: Policy, registry: Mapping[str, type] | None = None,
             _floors: dict | None = None) -> bool:
    """True if ``policy`` lets the finding's suggestion be applied."""
    if f.suggestion is None or f.suggestion == f.text:
        return False
    key = (f.rule, f.category)
    floor = _floors.get(key, False) if _floors is not None else False
    if floor is False:
        floor = _floor(f.rule, f.category, policy, registry)
        if _floors is not None:
            _floors[key] = floor
    return floor is not None and f.confidence >= floor


def _floor(rule: str, category: str, policy: Policy, registry: Mapping[str, type] | None) -> float | None:
    """The confidence from which ``policy`` applies a suggestion of ``rule``; None if never."""
    if policy.select and rule not in policy.select and category not in policy.select:
        return None
    if rule in policy.ignore or category in policy.ignore:
        return None
    if policy.unsafe:
        return policy.min_confidence if is_fixable(rule, registry) else None
    floor = safety_floor(rule, registry)
    return None if floor is None else max(floor, policy.min_confidence)


def priority(e: Edit) -> tuple:
    """Sort key of the overlap rule: first wins (confidence, length, start, rule, text)."""
    return (-e.confidence, -(e.end - e.start), e.start, e.rule, e.replacement)


def _conflict(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def resolve(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """(kept, dropped): non-overlapping edits chosen by :func:`priority`, kept sorted by position."""
    kept: list[Edit] = []
    starts: list[tuple[int, int]] = []
    dropped: list[Edit] = []
    for e in sorted(set(edits), key=priority):
        # candidates that could overlap: kept edits starting at or before e.end
        i = bisect.bisect_right(starts, (e.end, 1 << 62))
        j = i
        clash = False
        while j > 0:
            j -= 1
            k = kept[j]
            if k.end < e.start:
                # kept is sorted by start and spans do not overlap, so ends are sorted too
                break
            if _conflict(k, e):
                clash = True
                break
        if clash:
            dropped.append(e)
            continue
        pos = bisect.bisect_right(starts, (e.start, e.end))
        starts.insert(pos, (e.start, e.end))
        kept.insert(pos, e)
    return kept, dropped


def edit_of(f: Finding, replacement: str | None = None) -> Edit:
    return Edit(f.start, f.end, f.suggestion if replacement is None else replacement, f.rule,
                float(f.confidence), f.fingerprint)


def plan(doc_text: str, findings: Iterable[Finding], policy: Policy | None = None,
         registry: Mapping[str, type] | None = None) -> list[Edit]:
    """The edits to apply to ``doc_text``: eligible findings, overlaps resolved, in text order.

    Findings whose ``text`` no longer matches ``doc_text`` (stale) are skipped.
    """
    policy = policy or Policy()
    floors: dict = {}  # per rule: what eligible() decides from the rule alone
    candidates = [
        edit_of(f) for f in findings
        if eligible(f, policy, registry, floors) and doc_text[f.start : f.end] == f.text
    ]
    return resolve(candidates)[0]


def apply_plan(text: str, edits: Iterable[Edit]) -> str:
    """Replay a plan. Edits must not overlap (as :func:`plan` returns them); order does not matter.

    Text outside the edits' spans is copied unchanged.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.start < pos or e.end > len(text) or e.start > e.end:
            raise ValueError(f"edit {e.start}:{e.end} ({e.rule}) overlaps another or lies outside the text")
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def output_spans(edits: Iterable[Edit]) -> list[tuple[int, int]]:
    """Where each edit's replacement lies in the repaired text (edits sorted by position)."""
    shift = 0
    spans = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        s = e.start + shift
        spans.append((s, s + len(e.replacement)))
        shift += e.delta
    return spans


def invert(original: str, edits: Iterable[Edit]) -> list[Edit]:
    """The plan that turns ``apply_plan(original, edits)`` back into ``original``."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    return [
        Edit(s, e, original[x.start : x.end], x.rule, x.confidence, x.fingerprint)
        for x, (s, e) in zip(ordered, output_spans(ordered))
    ]


def compose(original: str, first: list[Edit], second: list[Edit]) -> list[Edit]:
    """One plan on ``original`` equivalent to applying ``first`` then ``second``.

    ``second`` is in the coordinates of ``apply_plan(original, first)``. Second-pass edits
    that touch (overlap or abut) the output of first-pass edits, or each other, become one
    edit over the whole original span: its rule names every rule involved (``a+b``) and
    its confidence is the lowest of them.

    >>> t = "a \u200b b"
    >>> p1 = [Edit(2, 3, "", "invisible-character")]
    >>> p2 = [Edit(1, 3, " ", "whitespace")]      # on "a  b"
    >>> c = compose(t, p1, p2)
    >>> c, apply_plan(t, c)
    ([Edit(start=1, end=4, replacement=' ', rule='invisible-character+whitespace', confidence=1.0, fingerprint='')], 'a b')
    """
    first = sorted(first, key=lambda e: (e.start, e.end))
    second = sorted(second, key=lambda e: (e.start, e.end))
    if not second:
        return first
    if not first:
        return second
    mid = apply_plan(original, first)
    outs = output_spans(first)
    o_starts = [s for s, _ in outs]
    o_ends = [e for _, e in outs]

    def touching(lo: int, hi: int) -> range:
        # first-pass edits whose output [s, e] meets the closed interval [lo, hi]
        return range(bisect.bisect_left(o_ends, lo), bisect.bisect_right(o_starts, hi))

    clusters: list[list] = []  # [lo, hi, second-pass edits, first index range]
    for y in second:
        if clusters and y.start <= clusters[-1][1]:
            c = clusters[-1]
            c[1] = max(c[1], y.end)
            c[2].append(y)
        else:
            c = [y.start, y.end, [y], range(0)]
            clusters.append(c)
        while True:
            r = touching(c[0], c[1])
            lo = min([c[0]] + [o_starts[r.start]] if r else [c[0]])
            hi = max([c[1]] + [o_ends[r.stop - 1]] if r else [c[1]])
            c[3] = r
            if (lo, hi) == (c[0], c[1]):
                break
            c[0], c[1] = lo, hi
        while len(clusters) > 1 and c[0] <= clusters[-2][1]:
            p = clusters.pop(-2)
            c[0], c[2] = p[0], p[2] + c[2]
            c[3] = range(p[3].start if p[3] else c[3].start, c[3].stop if c[3] else p[3].stop) if (p[3] or c[3]) else range(0)

    def to_original(p: int) -> int:
        i = bisect.bisect_right(o_ends, p) - 1
        return p if i < 0 else first[i].end + (p - o_ends[i])

    absorbed: set[int] = set()
    merged: list[Edit] = []
    for lo, hi, ys, r in clusters:
        absorbed.update(r)
        ostart = first[r.start].start if r and o_starts[r.start] == lo else to_original(lo)
        oend = first[r.stop - 1].end if r and o_ends[r.stop - 1] == hi else to_original(hi)
        parts = [first[i] for i in r] + ys
        replacement = apply_plan(mid[lo:hi], [replace(y, start=y.start - lo, end=y.end - lo) for y in ys])
        merged.append(Edit(ostart, oend, replacement, "+".join(dict.fromkeys(x.rule for x in parts)),
                           min(x.confidence for x in parts),
                           "+".join(x.fingerprint for x in parts if x.fingerprint)))
    kept = [x for i, x in enumerate(first) if i not in absorbed]
    return sorted(kept + merged, key=lambda e: (e.start, e.end))


# -- review decisions -------------------------------------------------------------------------
@dataclass
class DecisionReport:
    """What :func:`apply_decisions` did with the decisions for one document."""

    applied: list[Edit] = field(default_factory=list)
    conflicts: list[Edit] = field(default_factory=list)
    #: decisions to apply whose finding is no longer produced (the text changed)
    stale: list[Any] = field(default_factory=list)


def decided_edits(doc_id: str, doc_text: str, findings: Iterable[Finding], decisions: Mapping) -> tuple[list[Edit], DecisionReport]:
    """Edits for exactly the accepted and edited findings of one document."""
    report = DecisionReport()
    candidates = []
    seen = set()
    for f in findings:
        d = decisions.get((doc_id, f.fingerprint))
        if d is None or doc_text[f.start : f.end] != f.text:
            continue
        seen.add(f.fingerprint)
        if d.decision == "accept":
            repl = d.replacement if d.replacement is not None else f.suggestion
        elif d.decision == "edit":
            repl = d.replacement
        else:
            continue
        if repl is None or repl == f.text:
            continue
        candidates.append(edit_of(f, repl))
    for (doc, fp), d in decisions.items():
        if doc == doc_id and fp not in seen and d.decision in ("accept", "edit"):
            report.stale.append(d)
    kept, dropped = resolve(candidates)
    report.applied, report.conflicts = kept, dropped
    return kept, report


def apply_decisions(doc, findings: list[Finding], decisions: Mapping) -> tuple[str, list[Edit]]:
    """Apply what a reviewer decided (``audit.decisions.read_decisions``) to one document.

    Accepted findings get their suggestion (or the decision's ``replacement`` when it has
    one), edited ones the reviewer's replacement; rejected and undecided findings change
    nothing. Decisions are matched by (document id, fingerprint). Returns the new text and
    the edits applied (overlapping decisions resolved by :func:`priority`).
    """
    edits, _ = decided_edits(doc.id, doc.text, findings, decisions)
    return apply_plan(doc.text, edits), edits
