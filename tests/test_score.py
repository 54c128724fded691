"""`audit score` against sacrebleu's own API, and the scoring library."""

from __future__ import annotations

import json

import polars as pl
import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF, TER

from audit.cli import main
from audit import Document
from audit.score import (
    PairwiseChrF, References, ScoreInputError, line_starts, read_segments, score_files, segment_scores, split_lines,
)

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


WRITERS = {
    "jsonl": lambda frame, path: frame.write_ndjson(path),
    "csv": lambda frame, path: frame.write_csv(path),
    "parquet": lambda frame, path: frame.write_parquet(path),
    # the table shapes `audit check` reads, which score read as plain text or refused
    "semicolon.csv": lambda frame, path: frame.write_csv(path, separator=";"),
    "tsv": lambda frame, path: frame.write_csv(path, separator="\t", quote_style="never"),  # quotes are text
    "json": lambda frame, path: path.write_text(json.dumps(frame.to_dicts(), indent=2), "utf-8"),  # an array
    "lines.json": lambda frame, path: frame.write_ndjson(path),  # Hugging Face's to_json
}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_id_aligned_tables_match_sacrebleu(tmp_path, fmt):
    ids = ["a", "b", "c", "d"]
    hyps = ['"Turkey has bought the S-400s," he said; the issue is closed.', *HYP[1:]]
    hyp = pl.DataFrame({"seg": ids, "text": hyps})
    ref = pl.DataFrame({"seg": list(reversed(ids)), "text": list(reversed(REF1))})  # other order
    paths = []
    for name, frame in (("hyp", hyp), ("ref", ref)):
        path = tmp_path / f"{name}.{fmt}"
        WRITERS[fmt](frame, path)
        paths.append(str(path))
    result = _run("--hyp", paths[0], "--ref", paths[1], "--id-column", "seg", "-f", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got["segments"] == 4
    assert got["scores"]["BLEU"]["score"] == pytest.approx(BLEU().corpus_score(hyps, [REF1]).score, abs=1e-9)
    assert got["scores"]["chrF"]["score"] == pytest.approx(CHRF().corpus_score(hyps, [REF1]).score, abs=1e-9)


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


def test_blank_lines_in_both_files_are_not_listed_as_worst(tmp_path):
    hyp = _write_lines(tmp_path / "hyp.txt", [HYP[0], "", HYP[2]])
    ref = _write_lines(tmp_path / "ref.txt", [REF1[0], "  ", REF1[2]])
    got = json.loads(_run("--hyp", hyp, "--ref", ref, "-f", "json").output)
    assert got["segments"] == 3  # still part of the corpus scores, as sacrebleu counts them
    assert [w["id"] for w in got["worst"]] == ["3", "1"]


# -- references of a review (audit review --ref) ------------------------------------------------
def _text_doc(path, lines):
    return Document(str(path), "\n".join(lines) + "\n", meta={"path": str(path)})


def test_line_segments_and_their_offsets_agree():
    text = "one\r\ntwo\n\nfour"
    starts = line_starts(text)
    assert [text[s:].split("\n")[0].rstrip("\r") for s in starts] == split_lines(text) == ["one", "two", "", "four"]
    assert line_starts("") == [0] and line_starts("a\n") == [0]


def test_text_reference_scores_each_line_like_audit_score(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_lines(corpus / "a.txt", HYP)
    ref = _write_lines(tmp_path / "a.txt", REF1)
    refs = References([ref], inputs=[str(corpus)])
    doc = _text_doc(corpus / "a.txt", HYP)
    scores, problem = refs.score(doc)
    assert problem is None
    expected = {s.id: s.chrf for s in segment_scores(HYP, [REF1])}
    assert {s.id: s.chrf for s in scores.segments} == expected
    third = doc.text.index(HYP[2])
    assert scores.at(third + 5).id == "3" and scores.at(third).chrf == expected["3"]
    assert scores.worst == min(expected.values())
    # another file name is not its document; the only input of a one-file corpus takes any name
    assert References([ref], inputs=[str(corpus)]).score(_text_doc(corpus / "b.txt", HYP)) == (None, None)
    single = References([ref], inputs=[str(corpus / "a.txt")])
    assert single.score(_text_doc(tmp_path / "elsewhere.txt", HYP))[0] is not None


def test_directory_of_references_matches_by_relative_path_then_name(tmp_path):
    corpus, refdir = tmp_path / "corpus", tmp_path / "refs"
    (corpus / "x").mkdir(parents=True)
    (refdir / "x").mkdir(parents=True)
    (refdir / ".hidden").mkdir()
    _write_lines(refdir / "x" / "a.txt", REF1)
    _write_lines(refdir / "b.txt", REF2)
    _write_lines(refdir / ".hidden" / "c.txt", REF2)
    _write_lines(refdir / "unused.txt", REF2)
    refs = References([str(refdir)], inputs=[str(corpus)])
    a = _text_doc(corpus / "x" / "a.txt", HYP)
    b = _text_doc(corpus / "x" / "b.txt", HYP)
    c = _text_doc(corpus / "c.txt", HYP)
    assert [s.refs for s in refs.score(a)[0].segments] == [[r] for r in REF1]
    assert [s.refs for s in refs.score(b)[0].segments] == [[r] for r in REF2]
    assert refs.score(c) == (None, None)  # hidden directories are not read
    assert refs.unmatched([a, b, c]) == [f"{refdir}: 1 of its 3 files match no document (first: {refdir / 'unused.txt'})"]


def test_two_references_score_against_both(tmp_path):
    (tmp_path / "r1").mkdir()
    (tmp_path / "r2").mkdir()
    r1 = _write_lines(tmp_path / "r1" / "a.txt", REF1)
    r2 = _write_lines(tmp_path / "r2" / "a.txt", REF2)
    doc = _text_doc(tmp_path / "a.txt", HYP)
    scores, _ = References([r1, r2]).score(doc)
    assert [s.chrf for s in scores.segments] == [s.chrf for s in segment_scores(HYP, [REF1, REF2], worst_first=False)]


def test_a_reference_that_does_not_line_up_is_a_one_line_problem(tmp_path):
    ref = _write_lines(tmp_path / "a.txt", REF1[:3])
    doc = _text_doc(tmp_path / "corpus" / "a.txt", HYP)
    scores, problem = References([ref]).score(doc)
    assert scores is None
    assert problem == (f"{ref} has 3 segments but {doc.id} has 4: line-aligned inputs must have the same "
                       "number of lines")
    lonely = References([_write_lines(tmp_path / "z.txt", REF1)])
    assert lonely.unmatched([doc]) == [f"{tmp_path / 'z.txt'}: matches no document (a text reference goes with "
                                       "the document of the same file name)"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_table_reference_scores_rows_by_id(tmp_path, fmt):
    ref = pl.DataFrame({"id": ["d", "c", "b", "z"], "text": [REF1[3], REF1[2], REF1[1], "extra"]})
    path = tmp_path / f"ref.{fmt}"
    {"jsonl": ref.write_ndjson, "csv": ref.write_csv, "parquet": ref.write_parquet}[fmt](path)
    refs = References([str(path)])
    rows = [Document(i, h, meta={"path": "corpus.jsonl", "row": n}) for n, (i, h) in enumerate(zip("abcd", HYP), 1)]
    got = [refs.score(d) for d in rows]
    assert got[0] == (None, None)  # no reference row for "a"
    for doc, (scores, problem), r in zip(rows[1:], got[1:], REF1[1:]):
        assert problem is None and scores.starts == [0]
        seg = scores.at(len(doc.text) - 1)
        assert seg.id == doc.id and seg.refs == [r]
        assert seg.chrf == pytest.approx(CHRF().sentence_score(doc.text, [r]).score, abs=1e-9)
    assert refs.unmatched(rows) == [f"{path}: 1 corpus id(s) missing from it (first: 'a'); "
                                    "1 id(s) not in the corpus (first: 'z')"]
    assert References([str(path)]).unmatched([]) == [f"{path}: the corpus has no JSONL/CSV/Parquet rows to "
                                                     "match it with"]


def test_table_reference_without_the_id_column_goes_by_row_number(tmp_path):
    pl.DataFrame({"text": REF1}).write_ndjson(tmp_path / "ref.jsonl")
    refs = References([str(tmp_path / "ref.jsonl")], id_column="id")
    doc = Document("2", HYP[1], meta={"path": "corpus.jsonl", "row": 2})  # the reader's id for a row without one
    assert refs.score(doc)[0].segments[0].refs == [REF1[1]]


def test_unreadable_references_raise(tmp_path):
    with pytest.raises(ScoreInputError, match="no such file"):
        References([str(tmp_path / "missing.txt")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScoreInputError, match="no .txt or .md reference files"):
        References([str(tmp_path / "empty")])
    (tmp_path / "bad.jsonl").write_text("{not json\n", "utf-8")
    with pytest.raises(ScoreInputError, match="cannot read"):
        References([str(tmp_path / "bad.jsonl")])
    pl.DataFrame({"body": ["x"]}).write_ndjson(tmp_path / "cols.jsonl")
    with pytest.raises(ScoreInputError, match="no column 'text'"):
        References([str(tmp_path / "cols.jsonl")])


def test_pairwise_ngrams_equal_sacrebleus_extraction():
    metric, pair = CHRF(), PairwiseChrF()
    texts = HYP + REF1 + REF2 + ["", " ", "a", "ab c", "abcde", "abcdef", "x\u00a0y\tz\nw", "İstanbul’s S-400", "Ж ж жж"]
    for text in texts:
        expected = [(c, sum(c.values())) for c in metric._extract_reference_info([text])["ref_ngrams"][0]]
        assert pair.ngrams(text) == expected, text
