"""Repair plans: choosing findings, resolving overlaps, replaying, inverting, composing, decisions."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from audit.decisions import Decision
from audit.detectors import DETECTORS
from audit.document import Document
from audit.findings import Finding
from audit.fix import (CONFIDENT_REPAIRS, Edit, Policy, apply_decisions, apply_plan, compose, eligible, invert, plan,
                       resolve, safety_floor)


class Safe:
    fixable, safe_fix = True, True


class Unsafe:
    fixable, safe_fix = True, False


class Confident:
    fixable, safe_fix, safe_fix_min_confidence = True, True, 0.7


class NoFix:
    fixable, safe_fix = False, False


REGISTRY = {"safe": Safe, "unsafe": Unsafe, "confident": Confident, "nofix": NoFix, "name-variant": Unsafe}
CATEGORY = {"safe": "encoding", "unsafe": "phrasing", "confident": "script", "nofix": "language", "name-variant": "names"}


def finding(text: str, start: int, end: int, suggestion: str | None, rule: str = "safe", confidence: float = 0.9,
            fp: str = "") -> Finding:
    return Finding(doc="d", rule=rule, category=CATEGORY.get(rule, "encoding"), severity="warning", start=start,
                   end=end, line=1, column=start + 1, text=text[start:end], message="m", suggestion=suggestion,
                   confidence=confidence, fingerprint=fp or f"{rule}-{start}-{end}")


def test_safety_comes_from_the_detector_classes():
    assert safety_floor("safe", REGISTRY) == 0.0
    assert safety_floor("unsafe", REGISTRY) is None
    assert safety_floor("confident", REGISTRY) == 0.7
    assert safety_floor("nofix", REGISTRY) is None
    assert safety_floor("name-variant", REGISTRY) == CONFIDENT_REPAIRS["name-variant"] == 0.9
    assert safety_floor("unknown", REGISTRY) is None
    # the real registry: every rule a detector marks safe is safe, nothing else unless listed
    for name, cls in DETECTORS.items():
        floor = safety_floor(name)
        if cls.fixable and cls.safe_fix:
            assert floor is not None, name
        elif name not in CONFIDENT_REPAIRS:
            assert floor is None, name


def test_policy_selects_safe_repairs_by_default_and_unsafe_only_when_asked():
    t = "abcdefghij"
    fs = [finding(t, 0, 1, "A", "safe"), finding(t, 2, 3, "C", "unsafe"), finding(t, 4, 5, "E", "confident", 0.6),
          finding(t, 6, 7, "G", "confident", 0.8), finding(t, 8, 9, None, "nofix"),
          finding(t, 9, 10, "J", "name-variant", 0.95), finding(t, 1, 2, "B", "name-variant", 0.85)]
    applied = lambda policy: apply_plan(t, plan(t, fs, policy, REGISTRY))
    assert applied(Policy()) == "AbcdefGhiJ"
    assert applied(Policy(unsafe=True)) == "ABCdEfGhiJ"
    assert applied(Policy(select=("phrasing",), unsafe=True)) == "abCdefghij"
    assert applied(Policy(ignore=("safe", "names"))) == "abcdefGhij"
    assert applied(Policy(min_confidence=0.92)) == "abcdefghiJ"


def test_no_op_and_stale_findings_are_skipped():
    t = "hello world"
    same = finding(t, 0, 5, "hello")
    stale = finding(t, 0, 5, "HELLO")
    stale.text = "jello"
    assert not eligible(same, Policy(), REGISTRY)
    assert plan(t, [same, stale], Policy(), REGISTRY) == []


def test_overlaps_resolve_by_confidence_then_length_then_start_then_rule():
    t = "0123456789"
    hi = Edit(2, 4, "x", "b", 0.9)
    lo = Edit(3, 6, "y", "a", 0.8)
    assert resolve([lo, hi])[0] == [hi]
    longer, shorter = Edit(2, 6, "L", "b", 0.9), Edit(3, 5, "S", "a", 0.9)
    assert resolve([shorter, longer])[0] == [longer]
    first, second = Edit(2, 4, "F", "b", 0.9), Edit(3, 5, "S", "a", 0.9)
    assert resolve([second, first])[0] == [first]
    ra, rb = Edit(2, 4, "A", "a", 0.9), Edit(2, 4, "B", "b", 0.9)
    assert resolve([rb, ra])[0] == [ra]
    # insertions: same point conflicts, inside a span conflicts, at a boundary does not
    ins1, ins2 = Edit(5, 5, "i", "a", 0.9), Edit(5, 5, "j", "b", 0.8)
    kept, dropped = resolve([ins2, ins1, Edit(3, 5, "z", "c", 0.5), Edit(6, 8, "w", "c", 0.95)])
    assert ins1 in kept and ins2 in dropped and len(kept) == 3
    assert resolve([Edit(4, 4, "i", "a", 0.5), Edit(3, 5, "z", "b", 0.9)])[1] == [Edit(4, 4, "i", "a", 0.5)]
    assert apply_plan(t, kept) == "012zi5w89"


def test_apply_plan_refuses_overlaps_and_order_does_not_matter():
    t = "abcdef"
    edits = [Edit(4, 5, "E", "r"), Edit(0, 1, "A", "r")]
    assert apply_plan(t, edits) == apply_plan(t, edits[::-1]) == "AbcdEf"
    try:
        apply_plan(t, [Edit(0, 3, "x", "r"), Edit(2, 4, "y", "r")])
    except ValueError as exc:
        assert "overlaps" in str(exc)
    else:
        raise AssertionError("overlapping edits were applied")


ALPHABET = "ab \u00a0\u200b.\n"


@st.composite
def text_and_edits(draw, text=None):
    text = draw(st.text(ALPHABET, max_size=30)) if text is None else text
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits, pos = [], -1
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a <= pos or (a == b and a == pos):
            continue
        edits.append(Edit(a, b, draw(st.text("xyz ", max_size=3)), draw(st.sampled_from(["r1", "r2"]))))
        pos = b
    return text, edits


@settings(max_examples=150, deadline=None)
@given(text_and_edits())
def test_invert_restores_the_original(te):
    text, edits = te
    fixed = apply_plan(text, edits)
    assert apply_plan(fixed, invert(text, edits)) == text


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_compose_equals_two_passes(data):
    text, first = data.draw(text_and_edits())
    mid = apply_plan(text, first)
    _, second = data.draw(text_and_edits(mid))
    both = compose(text, first, second)
    assert apply_plan(text, both) == apply_plan(mid, second)
    # the composed plan is a proper plan on the original: sorted, no overlap, invertible
    assert all(a.end <= b.start for a, b in zip(both, both[1:]))
    assert apply_plan(apply_plan(text, both), invert(text, both)) == text


def test_compose_names_every_rule_and_keeps_the_lowest_confidence():
    t = "a \u200b b"
    c = compose(t, [Edit(2, 3, "", "invisible-character", 0.95)], [Edit(1, 3, " ", "whitespace", 0.8)])
    assert c == [Edit(1, 4, " ", "invisible-character+whitespace", 0.8)]


def test_apply_decisions_applies_exactly_accepted_and_edited():
    text = "Ibrahim Kalyn met Anthony Blinken in Yeni Safak offices."
    doc = Document("a.txt", text)
    fs = [finding(text, 8, 13, "Kalın", "name-variant", 0.95, "fp1"),
          finding(text, 18, 25, "Antony", "name-variant", 0.95, "fp2"),
          finding(text, 37, 47, "Yeni Şafak", "unsafe", 0.5, "fp3"),
          finding(text, 0, 7, "İbrahim", "safe", 0.99, "fp4")]
    for f in fs:
        f.doc = "a.txt"

    def dec(f, decision, replacement=None):
        return Decision("a.txt", f.fingerprint, f.rule, f.start, f.end, f.text, decision, replacement)

    decisions = {
        ("a.txt", "fp1"): dec(fs[0], "accept"),
        ("a.txt", "fp2"): dec(fs[1], "reject"),
        ("a.txt", "fp3"): dec(fs[2], "edit", "Yeni Şafak's"),
        ("b.txt", "fp4"): dec(fs[3], "accept"),  # another document: not applied here
    }
    new, edits = apply_decisions(doc, fs, decisions)
    assert new == "Ibrahim Kalın met Anthony Blinken in Yeni Şafak's offices."
    assert [(e.fingerprint, e.replacement) for e in edits] == [("fp1", "Kalın"), ("fp3", "Yeni Şafak's")]
    # an accept that carries its own replacement uses it
    decisions[("a.txt", "fp1")] = dec(fs[0], "accept", "Kalin")
    assert apply_decisions(doc, fs, decisions)[0].startswith("Ibrahim Kalin met")
    # nothing decided: nothing changes
    assert apply_decisions(doc, fs, {}) == (text, [])
