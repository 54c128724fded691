"""ftfy's own test cases as an external yardstick for the ``mojibake`` rule.

The cases are ftfy 6.3.1's ``tests/test_cases.json`` (vendored in ``tests/fixtures/ftfy/`` with
its licence). Each is ``{label, original, fixed, fixed-encoding?, expect}``.

* Real-world mojibake: the cases whose encoding fix (``fixed-encoding``, else ``fixed``) differs
  from the input. ftfy's score is ``ftfy.fix_text(original) == fixed``; ours is "flagged". We must
  flag at least as many as ftfy fixes. We also count how many of our suggestions, applied, give
  ftfy's expected text (``fixed-encoding`` or ``fixed``).
* Negatives: ``original == fixed`` (must not change): flag none. Cases whose only change is
  outside encoding (curly quotes, ligatures, control characters) must not be flagged either.

Run ``python -m pytest -q -s tests/test_mojibake_ftfy.py`` to see the counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import ftfy
import pytest

from audit import api

CASES = json.loads((Path(__file__).parent / "fixtures" / "ftfy" / "test_cases.json").read_text("utf-8"))


def _encoding_fix(case: dict) -> str:
    return case.get("fixed-encoding", case["fixed"])


POSITIVES = [c for c in CASES if _encoding_fix(c) != c["original"]]
NEGATIVES = [c for c in CASES if c["original"] == c["fixed"]]
#: The encoding is right but ``fix_text`` changes something else (quotes, ligatures, controls).
NON_ENCODING = [c for c in CASES if c not in POSITIVES and c not in NEGATIVES]

#: Negatives we flag on purpose, with the reason (run as strict xfail).
KNOWN_FLAGGED = {
    "Bremer/Mccoy – DrÃ¥ber": "it is mojibake of Danish 'Dråber' (drops; the word list confirms it): "
    "ftfy declines only because the whole string could be Latin-1 or Mac Roman",
    "ã†â€™ãƒâ€ ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â": "a hopeless pile-up of mojibake: "
    "ftfy leaves it because it cannot repair it, we flag it (mostly without a suggestion)",
}


def _flagged(text: str):
    return api.audit_text(text, select=["mojibake"])


def _apply(text: str, findings) -> str:
    for f in sorted(findings, key=lambda f: -f.start):
        if f.suggestion is not None:
            text = text[: f.start] + f.suggestion + text[f.end :]
    return text


def test_detects_at_least_as_many_as_ftfy_fixes():
    ftfy_fixed = ours_flagged = ours_exact = 0
    missed = []
    for case in POSITIVES:
        original = case["original"]
        ftfy_fixed += ftfy.fix_text(original) == case["fixed"]
        found = _flagged(original)
        ours_flagged += bool(found)
        ours_exact += _apply(original, found) in (_encoding_fix(case), case["fixed"])
        if not found:
            missed.append(case["label"])
    print(
        f"\nftfy real-world mojibake cases: {len(POSITIVES)}; ftfy fixes {ftfy_fixed}; "
        f"mojibake flags {ours_flagged}; our suggestions give ftfy's text in {ours_exact}"
        f"\nnot flagged: {missed}"
    )
    assert ours_flagged >= ftfy_fixed
    assert ours_exact >= ftfy_fixed - 5  # the repairs, not just the flags, stay close to ftfy's


def _param(case: dict):
    reason = KNOWN_FLAGGED.get(case["original"])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case["label"][:60], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in NEGATIVES])
def test_negative_is_not_flagged(case):
    found = _flagged(case["original"])
    assert not found, [(f.text, f.suggestion) for f in found]


@pytest.mark.parametrize("case", [_param(c) for c in NON_ENCODING])
def test_non_encoding_change_is_not_flagged(case):
    found = _flagged(case["original"])
    assert not found, [(f.text, f.suggestion) for f in found]


def test_yardstick_is_the_vendored_data():
    assert len(CASES) == 161
    assert len(POSITIVES) == 112 and len(NEGATIVES) == 38
