"""Observations for the corpus stage, in bounded memory.

The document stage emits :class:`~audit.detectors.base.Observation` records (name mentions,
quotations, designations) that the corpus rules read once the last document is done. A
corpus of a few thousand articles keeps them in memory; one larger than memory cannot.

:class:`ObservationStore` holds them in memory up to ``limit`` records. Past that it spills
them to a temporary directory, split into ``partitions`` files by a stable hash of the
observation's grouping key, and from then on keeps at most about ``limit`` records in memory
before appending them to their files. The corpus stage then reads one partition at a time.
This is exact because every corpus rule groups by key and looks at nothing across keys
(``CorpusDetector.key_local``): a partition holds every observation of each of its keys.
Memory is bounded by the largest partition, i.e. by the most observed keys (a name
mentioned in every article of the corpus is still one key).

The files are pickles written by this process and read back by it; the directory is
removed when the store is closed (it is a context manager), whatever happens.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from .detectors.base import Observation

#: Records kept in memory before the store spills to disk (about 0.3–1 KB each).
DEFAULT_LIMIT = 250_000
#: Partition files once spilled; the corpus stage holds one at a time.
DEFAULT_PARTITIONS = 64


def partition_of(key: str, partitions: int) -> int:
    """A stable partition number for ``key`` (the same in every process and run)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % partitions


class ObservationStore:
    """Collects observations; spills them to disk, partitioned by key, past ``limit``."""

    def __init__(self, limit: int | None = None, partitions: int | None = None,
                 directory: str | Path | None = None):
        limit = DEFAULT_LIMIT if limit is None else limit
        partitions = DEFAULT_PARTITIONS if partitions is None else partitions
        if limit < 1 or partitions < 1:
            raise ValueError("limit and partitions must be positive")
        self.limit = limit
        self.partitions = partitions
        self._parent = directory
        self._memory: list[Observation] = []
        self._pending: list[list[Observation]] = []
        self._dir: Path | None = None
        self._count = 0

    # -- collecting ------------------------------------------------------------------------
    def extend(self, observations: Iterable[Observation]) -> None:
        if self._dir is None:
            self._memory.extend(observations)
            self._count = len(self._memory)
            if len(self._memory) > self.limit:
                self._spill_start()
            return
        pending = self._pending
        n = 0
        for obs in observations:
            pending[partition_of(obs.key, self.partitions)].append(obs)
            n += 1
        self._count += n
        self._buffered += n
        if self._buffered > self.limit:
            self._flush()

    def __len__(self) -> int:
        return self._count

    @property
    def spilled(self) -> bool:
        """Whether the store went to disk."""
        return self._dir is not None

    def _spill_start(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="audit-observations-", dir=self._parent))
        self._pending = [[] for _ in range(self.partitions)]
        self._buffered = 0
        memory, self._memory = self._memory, []
        for obs in memory:
            self._pending[partition_of(obs.key, self.partitions)].append(obs)
        self._buffered = len(memory)
        self._flush()

    def _path(self, part: int) -> Path:
        assert self._dir is not None
        return self._dir / f"part-{part:04d}.pickle"

    def _flush(self) -> None:
        for part, records in enumerate(self._pending):
            if records:
                with open(self._path(part), "ab") as fh:
                    pickle.dump(records, fh, protocol=pickle.HIGHEST_PROTOCOL)
                self._pending[part] = []
        self._buffered = 0

    # -- reading ---------------------------------------------------------------------------
    def groups(self) -> Iterator[list[Observation]]:
        """Every observation once, as lists that never split a key: one list while in memory,
        else one per non-empty partition, in partition order."""
        if self._dir is None:
            if self._memory:
                yield self._memory
            return
        for part in range(self.partitions):
            records = list(self._pending[part])
            path = self._path(part)
            if path.exists():
                with open(path, "rb") as fh:
                    while True:
                        try:
                            records.extend(pickle.load(fh))
                        except EOFError:
                            break
            if records:
                yield records

    def __iter__(self) -> Iterator[Observation]:
        for group in self.groups():
            yield from group

    # -- clean-up --------------------------------------------------------------------------
    def close(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
            self._pending = []
        self._memory = []
        self._count = 0

    def __enter__(self) -> "ObservationStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
