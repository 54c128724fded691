"""Every detector's should-flag and must-not-flag cases, run from data.

One TOML file per rule in ``tests/fixtures/detectors/<rule>.toml``::

    rule = "whitespace"

    [[flag]]                      # must be flagged
    label = "no-break space then space"
    text = "one\u00a0 two"
    lang = "en"                   # optional, the document language
    spans = ["\u00a0 "]           # optional: exactly these flagged texts, in order
    suggestions = [" "]           # optional: their suggestions, in order
    encoding = "cp1254"           # optional: feed text.encode(encoding) through the byte reader
    xfail = "why"                 # optional: a known miss, run as strict xfail
    documents = ["…", "…"]        # instead of text: a corpus (ids doc0, doc1 …) for corpus rules
    also = ["name-variant"]       # optional: rules enabled alongside (their findings are not the case's)

    [[pass]]                      # must not be flagged by this rule
    label = "a single no-break space is fine"
    text = "10\u00a0km"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from audit import api
from audit.detectors import DETECTORS

FIXTURES = Path(__file__).parent / "fixtures" / "detectors"


def _cases():
    for path in sorted(FIXTURES.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        rule = data["rule"]
        for kind in ("flag", "pass"):
            for i, case in enumerate(data.get(kind, [])):
                marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
                yield pytest.param(rule, kind, case, id=f"{rule}-{kind}-{i}-{case.get('label', '')}"[:90], marks=marks)


def test_every_detector_has_fixtures():
    have = {tomllib.loads(p.read_text("utf-8"))["rule"]: tomllib.loads(p.read_text("utf-8")) for p in FIXTURES.glob("*.toml")}
    for name in DETECTORS:
        assert name in have, f"no fixture file for {name}"
        assert have[name].get("flag"), f"{name}: no should-flag case"
        assert have[name].get("pass"), f"{name}: no must-not-flag case"


def _run(rule, case):
    """The case's findings and each document's text by id."""
    if "documents" in case:  # a corpus rule: several documents (ids doc0, doc1 …), both stages
        from audit import Document
        from audit.config import Config

        docs = [Document(f"doc{i}", t, lang=case.get("lang")) for i, t in enumerate(case["documents"])]
        return api.audit_docs(docs, Config(select=[rule])), {d.id: d.text for d in docs}
    text = case["text"]
    if "encoding" in case:  # the case is bytes in a legacy encoding, decoded as the reader does
        text, found = api.audit_bytes(text.encode(case["encoding"]), lang=case.get("lang"), select=[rule])
    else:
        extra = {k: case[k] for k in ("source", "source_lang") if k in case}
        found = api.audit_text(text, lang=case.get("lang"), select=[rule, *case.get("also", [])], **extra)
        found = [f for f in found if f.rule == rule]
    return found, {f.doc: text for f in found}


@pytest.mark.parametrize("rule,kind,case", list(_cases()))
def test_fixture(rule, kind, case):
    found, texts = _run(rule, case)
    for f in found:
        assert f.text == texts[f.doc][f.start : f.end]
    if kind == "pass":
        assert not found, f"unexpected: {[(f.text, f.message) for f in found]}"
        return
    assert found, "nothing flagged"
    if "spans" in case:
        assert [f.text for f in found] == case["spans"]
    if "suggestions" in case:
        assert [f.suggestion for f in found] == case["suggestions"]
