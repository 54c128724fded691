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
