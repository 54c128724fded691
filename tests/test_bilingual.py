"""The bilingual rules: silence without a source, no findings on clean parallel text, errors
injected into that text found, alignment, number reading, evidence and report plumbing."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import Document
from audit.api import audit_docs, audit_text
from audit.cli import main
from audit.config import Config
from audit.detectors.bilingual_align import align
from audit.detectors.bilingual_numbers import _parse, extract

RULES = ["number-mismatch", "markup-mismatch", "untranslated-copy", "length-ratio", "omission",
         "source-name-mismatch"]
PARALLEL = Path(__file__).parent / "fixtures" / "bilingual" / "parallel.jsonl"
SAMPLES = Path(__file__).parent.parent / "samples"


def _parallel() -> list[dict]:
    return [json.loads(line) for line in PARALLEL.read_text("utf-8").splitlines() if line.strip()]


def _docs(rows, with_lang=True) -> list[Document]:
    return [Document(r["id"], r["text"], lang=r["lang"], source=r["source"],
                     source_lang=r["source_lang"] if with_lang else None) for r in rows]


def test_silent_without_a_source():
    docs = [Document(p.name, p.read_text("utf-8"), lang="en") for p in sorted(SAMPLES.glob("*.txt"))]
    assert audit_docs(docs, Config(select=RULES)) == []


def test_clean_parallel_text_has_no_findings():
    rows = _parallel()
    assert {(r["source_lang"], r["lang"]) for r in rows} >= {("ru", "en"), ("en", "ru"), ("tr", "en")}
    found = audit_docs(_docs(rows), Config(select=RULES))
    assert [(f.doc, f.rule, f.text) for f in found] == []


def test_source_language_detected_when_not_given():
    found = audit_docs(_docs(_parallel(), with_lang=False), Config(select=RULES, languages=["en", "ru", "tr"]))
    assert [(f.doc, f.rule, f.text) for f in found] == []


def _corrupt_number(text: str, rng: random.Random) -> tuple[str, int, int] | None:
    """Change one digit of one number (as MT does: 2022 -> 2002); returns text and the span."""
    nums = [n for n in extract(text, None, []) if n.text.isdigit() and len(n.text) >= 2]
    if not nums:
        return None
    n = rng.choice(nums)
    i = rng.randrange(len(n.text))
    new = n.text[:i] + str((int(n.text[i]) + rng.randrange(1, 9)) % 10) + n.text[i + 1:]
    if new[0] == "0":
        return None
    return text[:n.start] + new + text[n.end:], n.start, n.start + len(new)


def test_injected_number_changes_are_found():
    rng = random.Random(7)
    rows = _parallel()
    tried = caught = 0
    for r in rows:
        for _ in range(3):
            got = _corrupt_number(r["text"], rng)
            if got is None:
                continue
            text, s, e = got
            tried += 1
            found = audit_text(text, lang=r["lang"], source=r["source"], source_lang=r["source_lang"],
                               select=["number-mismatch"])
            if any(f.start <= s < f.end or s <= f.start < e for f in found):
                caught += 1
    assert tried >= 30
    assert caught / tried >= 0.9, (caught, tried)


def test_injected_sentence_drops_are_found():
    """Drop one inner sentence of a paragraph of three or more: omission (or length-ratio) reports it."""
    rows = _parallel()
    tried = caught = 0
    for r in rows:
        doc = Document("t", r["text"], lang=r["lang"])
        sents = doc.sentences
        for k in range(1, len(sents) - 1):
            a, b = sents[k]
            if b - a < 60:
                continue
            text = r["text"][:a] + r["text"][b:].lstrip(" ")
            tried += 1
            found = audit_text(text, lang=r["lang"], source=r["source"], source_lang=r["source_lang"],
                               select=["omission", "length-ratio"])
            caught += bool(found)
    assert tried >= 15
    assert caught / tried >= 0.75, (caught, tried)


@pytest.mark.parametrize("rule,target", [
    ("number-mismatch", "In 2002, 15,000 people came."),
    ("markup-mismatch", "Hello { 0 }, see https://example.org/a-l"),
    ("untranslated-copy", "В 2022 году на митинг пришли 115 тыс. человек."),
])
def test_evidence_points_into_the_source(rule, target):
    source = "В 2022 году на митинг пришли 115 тыс. человек." if rule != "markup-mismatch" else \
        "Привет {0}, смотрите https://example.org/a-1"
    found = audit_text(target, lang="en", source=source, source_lang="ru", select=[rule])
    assert found
    for f in found:
        ev = f.evidence
        assert source[ev["source_start"]:ev["source_end"]] == ev["source_text"]


def test_align_finds_the_diagonal_and_a_merge():
    assert [(b.s0, b.s1, b.t0, b.t1) for b in align([50, 80, 60], [52, 75, 66], 1.0)] == [
        (0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
    beads = align([60, 60, 100], [125, 98], 1.0)
    assert [(b.s0, b.s1, b.t0, b.t1) for b in beads] == [(0, 2, 0, 1), (2, 3, 1, 2)]
    assert align([], [10], 1.0)[0].t1 == 1


def test_align_follows_the_slope_when_the_counts_differ_by_thousands():
    # a pasted source of 3,000 short sentences against a one-line target of 1,000 long ones:
    # the band follows the slope (it is at most MAX_BAND wide, not |n - m|), and the beads still
    # tile both sides in order, merging two source sentences into each target one where they fit
    from audit.detectors.bilingual_align import MAX_BAND

    src = [50] * 3000
    tgt = [100] * 1000 + [50] * 500  # the first part two to one, the rest one to one
    beads = align(src, tgt, 1.0)
    assert abs(len(src) - len(tgt)) + 4 > MAX_BAND
    assert beads[0].s0 == beads[0].t0 == 0 and beads[-1].s1 == 3000 and beads[-1].t1 == 1500
    assert all(a.s1 == b.s0 and a.t1 == b.t0 for a, b in zip(beads, beads[1:]))
    assert sum((b.s1 - b.s0, b.t1 - b.t0) == (2, 1) for b in beads) >= 900


def test_number_readings():
    assert _parse("1,5", None, "ru") == [Decimal("1.5")]
    assert _parse("1 500", " ", "ru") == [Decimal("1500")]
    assert _parse("1.500", ".", "tr")[0] == Decimal("1500")
    assert _parse("1.500", ".", "en")[0] == Decimal("1.500")
    values = {n.text: n.values for n in extract("115 тыс., 2 млн, 1,5 млрд, $3m, 90-х, 5k", "ru", [])}
    assert Decimal(115000) in values["115 тыс."]
    assert Decimal(2000000) in values["2 млн"]
    assert Decimal(1500000000) in values["1,5 млрд"]
    assert Decimal(3000000) in values["3"]
    assert Decimal(1990) in values["90-х"]
    assert Decimal(5000) in values["5k"]


def test_text_report_shows_the_source(tmp_path):
    target, source = tmp_path / "target", tmp_path / "source"
    target.mkdir()
    source.mkdir()
    (target / "a.txt").write_text("In 2002, 15,000 people came to the rally.\n", "utf-8")
    (source / "a.txt").write_text("В 2022 году на митинг пришли 115 тыс. человек.\n", "utf-8")
    (target / "b.txt").write_text("No source for this one: 2002.\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(target), "--source", str(source), "--source-lang", "ru",
                                       "--lang", "en", "--select", "number-mismatch", "-j1"])
    assert result.exit_code == 1, result.output
    assert "source: 2022  (in: В 2022 году на митинг пришли 115 тыс. человек.)" in result.output
    assert "source: 115 тыс." in result.output
    assert "b.txt" not in result.output


@pytest.mark.parametrize("shape", ["array", "lines"])
def test_a_json_source_file_of_rows_is_aligned_by_id(tmp_path, shape):
    """``--source s.json`` holding rows (a JSON array, or JSON lines in a .json file) was taken
    as one source text for every document (the last row's): its rows are aligned by id, as a
    JSONL or CSV source's are."""
    target = [{"id": "a", "text": "In 2002 they met."}, {"id": "b", "text": "15,000 people came."}]
    source = [{"id": "b", "text": "Пришли 115 тыс. человек."}, {"id": "a", "text": "В 2022 году они встретились."}]
    dump = (lambda rows: json.dumps(rows, ensure_ascii=False, indent=1)) if shape == "array" else (
        lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    (tmp_path / "t.json").write_text(dump(target), "utf-8")
    (tmp_path / "s.json").write_text(dump(source), "utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "t.json"), "--source", str(tmp_path / "s.json"),
                                       "--source-lang", "ru", "--lang", "en", "--select", "number-mismatch",
                                       "--format", "jsonl", "-j1"])
    recs = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert sorted((r["doc"], r["text"], r["evidence"]["source_text"]) for r in recs) == [
        ("a", "2002", "2022"), ("b", "15,000", "115 тыс.")]


def test_jsonl_source_column_and_evidence(tmp_path):
    rows = [{"id": "x", "text": "Ibrahim Kalyn said that the talks would continue.",
             "source": "Ибрагим Калын заявил, что переговоры продолжатся."}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--source-lang", "ru", "--lang", "en",
                                       "--select", "source-name-mismatch", "--format", "jsonl", "-j1"])
    recs = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [(r["rule"], r["text"], r["evidence"]["source_text"]) for r in recs] == [
        ("source-name-mismatch", "Ibrahim Kalyn", "Ибрагим Калын")]


def test_a_passage_the_alignment_cannot_split_gets_one_finding_for_what_it_lost():
    # A source of many sentences against a target page with no sentence end: every source
    # sentence aligns to the whole page. Each lost placeholder or number used to be its own
    # finding carrying the whole page as its text (gigabytes on a 200 KB page); past
    # MAX_MISSING_PER_SPAN they are one finding for the passage, listing them.
    from audit.detectors.bilingual_markup import MAX_MISSING_PER_SPAN

    n = 3 * MAX_MISSING_PER_SPAN
    source = " ".join(f"Пункт {{{i}}} стоит {1000 + i} рублей." for i in range(n))
    target = " and ".join(f"item costs money" for _ in range(n))  # no number, no placeholder, no full stop
    doc = Document("page", target, lang="en", source=source, source_lang="ru")
    found = audit_docs([doc], Config(select=["markup-mismatch", "number-mismatch"]))
    by_rule = {r: [f for f in found if f.rule == r] for r in ("markup-mismatch", "number-mismatch")}
    for rule, fs in by_rule.items():
        assert len(fs) == 1, (rule, [f.message for f in fs][:3])
        f = fs[0]
        assert (f.start, f.end) == (0, len(target)) and f.text == target
        assert len(f.evidence["missing"]) == n
    assert by_rule["markup-mismatch"][0].message.startswith(f"{n} markup tokens of the source (placeholder)")
    assert by_rule["number-mismatch"][0].message.startswith(f"{n} numbers of the source are missing")
    # a few lost in one sentence are reported as before: one finding per token, and the
    # report keeps the first of those on one span
    few = " ".join(f"Пункт {{{i}}} стоит {1000 + i} рублей." for i in range(3))
    doc = Document("short", "The item costs money", lang="en", source=few, source_lang="ru")
    found = audit_docs([doc], Config(select=["markup-mismatch", "number-mismatch"]))
    assert sorted(f.message for f in found) == [
        "The source number 1000 is missing from this sentence of the translation.",
        "The source's placeholder {0} is missing from the translation."]
