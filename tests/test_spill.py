"""The observation store: in memory up to a limit, then partitioned on disk by key."""

from __future__ import annotations

from collections import Counter

import pytest

from audit.detectors.base import Observation
from audit.spill import ObservationStore, partition_of


def _obs(n: int, keys: int = 7) -> list[Observation]:
    return [Observation(f"doc{i % 5}", "kind", i, i + 3, f"t{i}", f"key{i % keys}", {"i": i, "x": [i, "é"]})
            for i in range(n)]


def _rows(observations) -> Counter:
    return Counter((o.doc, o.kind, o.start, o.end, o.text, o.key, repr(o.data)) for o in observations)


def test_under_the_limit_stays_in_memory(tmp_path):
    with ObservationStore(limit=100, directory=tmp_path) as store:
        store.extend(_obs(60))
        store.extend(_obs(40))
        assert len(store) == 100 and not store.spilled
        groups = list(store.groups())
        assert len(groups) == 1 and _rows(groups[0]) == _rows(_obs(60) + _obs(40))
    assert list(tmp_path.iterdir()) == []


def test_past_the_limit_spills_by_key_and_gives_everything_back_once(tmp_path):
    batches = [_obs(37, keys=11) for _ in range(9)]
    with ObservationStore(limit=50, partitions=4, directory=tmp_path) as store:
        for b in batches:
            store.extend(b)
        assert store.spilled and len(store) == 37 * 9
        (spill_dir,) = tmp_path.iterdir()
        assert sorted(p.name for p in spill_dir.iterdir()) == [f"part-{k:04d}.pickle" for k in range(4)]
        groups = list(store.groups())
        assert _rows(o for g in groups for o in g) == _rows(o for b in batches for o in b)
        # a key never spans two groups, and each group is one partition
        owner = {}
        for k, g in enumerate(groups):
            assert len({partition_of(o.key, 4) for o in g}) == 1
            for o in g:
                assert owner.setdefault(o.key, k) == k
        # reading does not consume: a second pass gives the same
        assert _rows(store) == _rows(o for g in groups for o in g)
    assert list(tmp_path.iterdir()) == [], "the spill directory is removed on close"


def test_spill_directory_is_removed_when_the_corpus_stage_fails(tmp_path):
    with pytest.raises(RuntimeError):
        with ObservationStore(limit=3, directory=tmp_path) as store:
            store.extend(_obs(10))
            assert store.spilled
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_partition_is_stable():
    # crc32, not hash(): the same in every process regardless of PYTHONHASHSEED
    assert partition_of("S-400", 64) == partition_of("S-400", 64)
    assert [partition_of(k, 64) for k in ("S-400", "key:kalin", "Q42")] == [
        __import__("zlib").crc32(k.encode()) % 64 for k in ("S-400", "key:kalin", "Q42")]


def test_rejects_nonsense_limits():
    with pytest.raises(ValueError):
        ObservationStore(limit=0)


# -- the corpus stage reads a spilled store one partition at a time, with the same findings ----------

def _seed_corpus():
    from pathlib import Path

    from audit import Document

    root = Path(__file__).resolve().parent.parent / "samples"
    docs = [Document(p.name, p.read_text("utf-8"), lang="en") for p in sorted(root.glob("*.txt"))]
    docs += [Document("x.txt", "Russia fired a Kh-555 cruise missile last year.", lang="en"),
             Document("y.txt", "The X-555 hit the plant, officials said.", lang="en")]
    return docs


def _rows_of(findings):
    return [(f.doc, f.rule, f.start, f.end, f.text, f.message, f.suggestion, f.severity, f.fingerprint,
             repr(sorted(f.evidence.items()))) for f in findings]


def test_corpus_stage_on_a_spilled_store_equals_in_memory(tmp_path):
    from audit.config import Config
    from audit.engine import audit_documents, corpus_stage

    config = Config()
    result = audit_documents(_seed_corpus(), config)
    assert len(result.observations) > 50
    expected = corpus_stage(list(result.observations), config)
    assert {"retranslated-quote", "name-corpus-inconsistent", "homoglyph-designation"} <= {f.rule for f in expected}
    with ObservationStore(limit=10, partitions=5, directory=tmp_path) as store:
        for k in range(0, len(result.observations), 7):
            store.extend(result.observations[k:k + 7])
        assert store.spilled
        assert _rows_of(corpus_stage(store, config)) == _rows_of(expected)


def test_audit_check_spills_and_reports_the_same(monkeypatch):
    from click.testing import CliRunner

    import audit.spill
    from audit.cli import main

    samples = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "samples")
    args = ["check", samples, "-f", "jsonl", "-j", "1", "--fail-on", "never", "--lang", "en"]
    plain = CliRunner().invoke(main, args, catch_exceptions=False)
    spills = []
    start = ObservationStore._spill_start
    monkeypatch.setattr(audit.spill, "DEFAULT_LIMIT", 20)
    monkeypatch.setattr(ObservationStore, "_spill_start", lambda self: (spills.append(1), start(self)))
    spilled = CliRunner().invoke(main, args, catch_exceptions=False)
    assert spills == [1]
    assert spilled.exit_code == plain.exit_code == 0
    assert spilled.output == plain.output and "name-corpus-inconsistent" in plain.output
