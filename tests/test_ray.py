"""The ray engine gives exactly the local engine's findings, and survives a killed worker."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

ray = pytest.importorskip("ray")

from audit.cli import main  # noqa: E402
from audit.config import Config  # noqa: E402
from audit.distributed import audit_arrow_batch, init_ray, read_findings, run_on_ray  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def ray_session():
    init_ray(num_cpus=2, object_store_memory=150 * 1024 * 1024)
    yield
    ray.shutdown()


@pytest.fixture
def corpus(tmp_path):
    """The samples twice over: as a directory of text files and as a JSONL table."""
    folder = tmp_path / "texts"
    shutil.copytree(SAMPLES, folder)
    rows = [{"id": p.name, "text": p.read_text("utf-8")} for p in sorted(SAMPLES.glob("*.txt"))]
    pl.DataFrame(rows).write_ndjson(tmp_path / "corpus.jsonl")
    return tmp_path


def local_findings(paths, tmp_path):
    out = tmp_path / "local.parquet"
    res = CliRunner().invoke(main, ["check", *map(str, paths), "--lang", "en", "-f", "parquet", "-o", str(out),
                                    "--fail-on", "never", "-j", "1"])
    assert res.exit_code == 0, res.output
    return pl.read_parquet(out).sort(["doc", "start", "end", "rule", "text"]).to_dicts()


@pytest.mark.parametrize("inputs", [["texts"], ["corpus.jsonl"]])
def test_ray_and_local_give_identical_findings(ray_session, corpus, tmp_path, inputs):
    paths = [corpus / name for name in inputs]
    expected = local_findings(paths, tmp_path)
    out = tmp_path / "ray-out"
    res = CliRunner().invoke(main, ["check", *map(str, paths), "--lang", "en", "--engine", "ray",
                                    "--output", str(out), "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    got = read_findings(str(out))
    assert got == expected
    assert expected, "the samples have findings"


def test_a_killed_worker_is_retried_and_findings_are_complete(ray_session, corpus, tmp_path):
    marker = tmp_path / "killed-once"

    def dies_once(batch, config):
        if not marker.exists():
            marker.write_text("x")
            os._exit(1)  # the worker process dies mid-run
        return audit_arrow_batch(batch, config)

    expected = local_findings([corpus / "corpus.jsonl"], tmp_path)
    out = tmp_path / "ray-killed"
    run = run_on_ray([str(corpus / "corpus.jsonl")], Config(lang="en"), str(out), udf=dies_once, batch_size=2)
    assert marker.exists()
    assert read_findings(str(out)) == expected
    assert run.documents == 5 and not run.errors


def test_missing_id_column_is_a_clear_error(ray_session, tmp_path):
    pl.DataFrame({"text": ["a", "b"]}).write_parquet(tmp_path / "noid.parquet")
    res = CliRunner().invoke(main, ["check", str(tmp_path / "noid.parquet"), "--engine", "ray", "--output",
                                    str(tmp_path / "o")])
    assert res.exit_code == 2 and "needs an id column" in res.output


def test_normalise_on_ray_repairs_like_local(ray_session, corpus, tmp_path):
    import json

    local = tmp_path / "local"
    res = CliRunner().invoke(main, ["normalise", str(corpus / "corpus.jsonl"), "--lang", "en", "--out", str(local), "-j", "1"])
    assert res.exit_code == 0, res.output
    expected = {json.loads(l)["id"]: json.loads(l)["text"] for l in (local / "corpus.jsonl").read_text("utf-8").splitlines()}
    out = tmp_path / "ray-norm"
    res = CliRunner().invoke(main, ["normalise", str(corpus / "corpus.jsonl"), "--lang", "en", "--engine", "ray",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    got = pl.read_parquet(out / "corpus" / "*.parquet")
    assert dict(zip(got["id"], got["text"])) == expected
    manifest = pl.read_parquet(out / "manifest" / "*.parquet")
    originals = {r["id"]: r["text"] for r in pl.read_ndjson(corpus / "corpus.jsonl").to_dicts()}
    assert manifest.height > 0
    for row in manifest.to_dicts():  # every change is listed, in the original text's offsets
        assert originals[row["doc"]][row["start"]:row["end"]] == row["before"]
