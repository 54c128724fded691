"""`audit score` against sacrebleu's own API, and the scoring library."""

from __future__ import annotations

import json

import polars as pl
import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF, TER

from audit.cli import main
from audit.score import PairwiseChrF, ScoreInputError, read_segments, score_files, segment_scores

HYP = [
    "Turkey has bought the S-400s and the issue is closed.",
    "It's no secret that we have differences with Turkey.",
    "The complexes have been purchased, and now the issue is closed.",
    "Blinken urged Turkey not to retain the Russian system.",
]
REF1 = [
    "We have told them once again that Turkey has already bought the S-400s and that the issue is closed.",
    "It's no secret that we have differences with Turkey, including over the S-400s.",
    "Turkey had bought them and this is a done deal.",
    "Blinken urged Turkey not to retain the Russian S-400 air defense system.",
]
REF2 = [
    "Turkey already bought the S-400s; the issue is closed.",
    "It is no secret that we disagree with Turkey.",
    "The systems were bought and the matter is closed.",
    "Blinken urged Ankara not to keep the Russian system.",
]


def _write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return str(path)


def _run(*args):
    result = CliRunner().invoke(main, ["score", *args])
    return result


def test_line_aligned_matches_sacrebleu(tmp_path):
    hyp = _write_lines(tmp_path / "hyp.txt", HYP)
    r1 = _write_lines(tmp_path / "r1.txt", REF1)
    r2 = _write_lines(tmp_path / "r2.txt", REF2)
    result = _run("--hyp", hyp, "--ref", r1, "--ref", r2, "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    streams = [REF1, REF2]
    for name, metric in (("BLEU", BLEU()), ("chrF", CHRF()), ("TER", TER())):
        expected = metric.corpus_score(HYP, streams)
        assert got["scores"][name]["score"] == pytest.approx(expected.score, abs=1e-9)
        assert got["scores"][name]["signature"] == str(metric.get_signature())
    assert got["segments"] == 4 and got["nrefs"] == 2
    chrf = CHRF()
    worst = [w["chrf"] for w in got["worst"]]
    assert worst == sorted(worst)
    assert worst[0] == pytest.approx(min(chrf.sentence_score(h, [a, b]).score for h, a, b in zip(HYP, REF1, REF2)), abs=0.01)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_id_aligned_tables_match_sacrebleu(tmp_path, fmt):
    ids = ["a", "b", "c", "d"]
    hyp = pl.DataFrame({"seg": ids, "text": HYP})
    ref = pl.DataFrame({"seg": list(reversed(ids)), "text": list(reversed(REF1))})  # other order
    paths = []
    for name, frame in (("hyp", hyp), ("ref", ref)):
        path = tmp_path / f"{name}.{fmt}"
        {"jsonl": frame.write_ndjson, "csv": frame.write_csv, "parquet": frame.write_parquet}[fmt](path)
        paths.append(str(path))
    result = _run("--hyp", paths[0], "--ref", paths[1], "--id-column", "seg", "-f", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got["scores"]["BLEU"]["score"] == pytest.approx(BLEU().corpus_score(HYP, [REF1]).score, abs=1e-9)
    assert got["scores"]["chrF"]["score"] == pytest.approx(CHRF().corpus_score(HYP, [REF1]).score, abs=1e-9)


def test_text_format_lists_worst_segment_first(tmp_path):
    hyp = _write_lines(tmp_path / "hyp.txt", HYP)
    ref = _write_lines(tmp_path / "ref.txt", REF1)
    result = _run("--hyp", hyp, "--ref", ref, "--worst", "1")
    assert result.exit_code == 0, result.output
    assert "BLEU" in result.output and "nrefs:1|" in result.output
    worst_line = [line for line in result.output.splitlines() if line.strip().startswith("3 ")]
    assert worst_line and "complexes" in worst_line[0]  # segment 3 is the worst by chrF


def test_misaligned_lines_are_a_usage_error(tmp_path):
    hyp = _write_lines(tmp_path / "hyp.txt", HYP)
    ref = _write_lines(tmp_path / "ref.txt", REF1[:3])
    result = _run("--hyp", hyp, "--ref", ref)
    assert result.exit_code == 2
    assert "3 segments" in result.output and "4" in result.output


def test_missing_and_duplicate_ids_are_reported(tmp_path):
    pl.DataFrame({"id": ["a", "b"], "text": HYP[:2]}).write_ndjson(tmp_path / "hyp.jsonl")
    pl.DataFrame({"id": ["a", "c"], "text": REF1[:2]}).write_ndjson(tmp_path / "ref.jsonl")
    pl.DataFrame({"id": ["a", "a"], "text": REF1[:2]}).write_ndjson(tmp_path / "dup.jsonl")
    with pytest.raises(ScoreInputError, match="missing from it .first: 'b'"):
        score_files(tmp_path / "hyp.jsonl", [tmp_path / "ref.jsonl"], id_column="id")
    with pytest.raises(ScoreInputError, match="duplicate id 'a'"):
        read_segments(tmp_path / "dup.jsonl", id_column="id")
    with pytest.raises(ScoreInputError, match="no column 'sentence'"):
        read_segments(tmp_path / "hyp.jsonl", text_column="sentence")
    result = _run("--hyp", str(tmp_path / "hyp.jsonl"), "--ref", str(tmp_path / "ref.jsonl"), "--id-column", "id")
    assert result.exit_code == 2 and "error:" in result.output


def test_segment_scores_sorted_worst_first_or_in_order():
    in_order = segment_scores(HYP, [REF1], ids=["a", "b", "c", "d"], worst_first=False)
    assert [s.id for s in in_order] == ["a", "b", "c", "d"]
    worst = segment_scores(HYP, [REF1], ids=["a", "b", "c", "d"])
    assert [s.chrf for s in worst] == sorted(s.chrf for s in in_order)
    assert worst[0].id == "c"


def test_pairwise_chrf_equals_sacrebleu_sentence_score():
    metric, pair = CHRF(), PairwiseChrF()
    for hyp, ref in zip(HYP + REF2, REF1 + REF1):
        assert pair.score(hyp, ref) == pytest.approx(metric.sentence_score(hyp, [ref]).score, abs=1e-9)
    assert pair.similarity(HYP[0], REF1[0]) == max(pair.score(HYP[0], REF1[0]), pair.score(REF1[0], HYP[0]))


def test_pairwise_similarity_is_the_larger_sentence_score_both_ways():
    metric, pair = CHRF(), PairwiseChrF()
    for a, b in zip(HYP + ["", "x"], REF2 + ["abc", ""]):
        expected = max(metric.sentence_score(a, [b]).score, metric.sentence_score(b, [a]).score)
        assert pair.similarity(a, b) == pytest.approx(expected, abs=1e-9)
