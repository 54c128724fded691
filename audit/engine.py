"""Running detectors over documents: one pure batch function, a process pool, a corpus stage.

:func:`audit_documents` is the document stage — a pure function from a batch of documents
to its findings and observations; the local process pool calls it, and so can any engine
that maps batches (Ray Data). :func:`corpus_stage` then runs the cross-document detectors
over the observations the first stage emitted. :func:`run` ties both together, streaming:
documents are read lazily, a bounded number of batches is in flight, and results come
back in input order whatever the number of workers.
"""

from __future__ import annotations

import gc
import os
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Callable, Iterable, Iterator

from .config import Config
from .detectors import DETECTORS, Context, CorpusDetector, Detector, Observation
from .document import Document
from .findings import Finding, fingerprint
from .spill import ObservationStore

#: Documents are shipped to workers in batches of about this many characters.
BATCH_CHARS = 1 << 20
BATCH_DOCS = 512
#: Batches submitted to each worker and not yet done (one running, the rest waiting) before
#: the main process audits one itself: enough to keep a worker busy while the main process
#: reads, audits a batch and writes results.
QUEUED = 3
#: At most this many batches per job are in flight (submitted or audited, not yet yielded):
#: enough for the main process to keep auditing while a worker starts up (imports, lexicons).
MAX_PENDING = 8
#: The cyclic garbage collector's first threshold while :func:`run_batches` runs, and in its
#: workers (Python's default is 700). The document stage allocates millions of short-lived
#: objects and few cycles; at 700 allocations per collection, with every lexicon, model and
#: word list in the oldest generation, a run spent about 5 % of its time in the collector:
#: raised, 2.5 % fewer instructions in all (callgrind, 0.6 MB of the benchmark corpus, every
#: rule). Freezing what the first batch loaded (``gc.freeze``) saved nothing more.
GC_THRESHOLD = 20_000


def enabled_detectors(config: Config) -> list[Detector]:
    """Instances of the detectors the configuration turns on, in registry order."""
    return [
        cls()
        for name, cls in DETECTORS.items()
        if config.rule_enabled(name, cls.category, cls.default_enabled)
    ]


@dataclass
class BatchResult:
    findings: list[Finding] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    #: per document: (id, n_chars, lang) — for summaries and the corpus stage
    documents: list[tuple[str, int, str | None]] = field(default_factory=list)
    #: per document that a detector crashed on: (id, rule, message)
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    # Results travel from the workers as pickles: findings and observations go as plain
    # tuples of their fields (read with one attrgetter, rebuilt with the constructor), about
    # five times cheaper to pickle and unpickle than dataclass instances, same objects back.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["findings"] = list(map(_FINDING_ROW, self.findings))
        state["observations"] = list(map(_OBSERVATION_ROW, self.observations))
        return state

    def __setstate__(self, state: dict) -> None:
        state["findings"] = [Finding(*row) for row in state["findings"]]
        state["observations"] = [Observation(*row) for row in state["observations"]]
        self.__dict__.update(state)


_FINDING_ROW = attrgetter(*(f.name for f in fields(Finding)))
_OBSERVATION_ROW = attrgetter(*(f.name for f in fields(Observation)))


def resolve_language(doc: Document, ctx: Context) -> None:
    """Fill ``doc.lang`` when neither a flag, the config nor a column gave it."""
    if doc.lang:
        return
    from .langid import detect_document_language

    doc.lang = detect_document_language(doc.text, ctx)


def finalize(doc: Document, found: Iterable[Finding], config: Config,
             failures: list[tuple[str, str, str]] | None = None) -> list[Finding]:
    """Apply severities from config, the confidence floor, de-duplication, order and fingerprints."""
    text = doc.text
    n = len(text)
    floor = config.min_confidence
    severities: dict[tuple[str, str, str], str] = {}  # (rule, category, default) -> configured
    out: dict[tuple, Finding] = {}
    for f in found:
        start, end = f.start, f.end
        if not (0 <= start <= end <= n) or f.text != text[start:end]:
            if failures is not None:  # a detector bug: drop the finding, say so, go on
                failures.append((doc.id, f.rule, f"finding text does not match its span {start}-{end}"))
            continue
        if f.rule in DETECTORS:
            key = (f.rule, f.category, f.severity)
            severity = severities.get(key)
            if severity is None:
                severity = severities[key] = config.severity_for(*key)
            f.severity = severity
        if f.confidence < floor:
            continue
        out.setdefault((start, end, f.rule), f)
    ordered = sorted(out.values(), key=_SORT_KEY)
    seen: Counter = Counter()
    context = doc.context
    for f in ordered:
        ctx = context(f.start, f.end)
        key = (f.rule, f.text, ctx)
        f.fingerprint = fingerprint(f.rule, f.text, ctx, seen[key])
        seen[key] += 1
    return ordered


#: The same tuple as :attr:`Finding.sort_key`, read at C level.
_SORT_KEY = attrgetter("doc", "start", "end", "rule", "text")


def audit_document(doc: Document, detectors: list[Detector], ctx: Context, result: BatchResult) -> None:
    resolve_language(doc, ctx)
    found: list[Finding] = []
    before = len(ctx.observations)
    for det in detectors:
        if isinstance(det, CorpusDetector) and type(det).find is CorpusDetector.find:
            continue  # a pure corpus detector; one that also overrides find() runs in both stages
        try:
            if det.could_fire(doc):  # the detector's own cheap prescreen
                found.extend(det.find(doc, ctx))
        except Exception as exc:  # a detector bug must not take the run down
            result.failures.append((doc.id, det.name, f"{type(exc).__name__}: {exc}"))
    # observations carry line/column so corpus findings need no text
    for obs in ctx.observations[before:]:
        if "line" not in obs.data or "column" not in obs.data:
            line, column = doc.line_col(obs.start)
            obs.data.setdefault("line", line)
            obs.data.setdefault("column", column)
    result.findings.extend(finalize(doc, found, ctx.config, result.failures))
    result.documents.append((doc.id, len(doc.text), doc.lang))


def audit_documents(docs: list[Document], config: Config, ctx: Context | None = None) -> BatchResult:
    """The document stage: a pure function from a batch of documents to its results."""
    ctx = ctx or _worker_context(config)
    detectors = ctx.shared("detectors", lambda: enabled_detectors(config))
    result = BatchResult()
    ctx.observations = []
    for doc in docs:
        audit_document(doc, detectors, ctx, result)
    result.observations = ctx.observations
    ctx.observations = []
    return result


def corpus_stage(observations: Iterable[Observation] | ObservationStore, config: Config,
                 ctx: Context | None = None) -> list[Finding]:
    """Run the cross-document detectors over the observations of the whole corpus.

    ``observations`` is a list or an :class:`~audit.spill.ObservationStore`; a store that went
    to disk is read one key partition at a time by the detectors that allow it
    (``key_local``), so memory stays bounded. The findings are the same either way.
    """
    ctx = ctx or _worker_context(config)
    corpus = [d for d in ctx.shared("detectors", lambda: enabled_detectors(config)) if isinstance(d, CorpusDetector)]
    store = observations if isinstance(observations, ObservationStore) else None
    groups = store.groups() if store is not None else [list(observations)]
    local = [d for d in corpus if d.key_local] if store is not None and store.spilled else corpus
    out: list[Finding] = []

    def run(dets: list[CorpusDetector], group: list[Observation]) -> None:
        group = sorted(group, key=lambda o: (o.doc, o.start, o.end, o.kind))
        for det in dets:
            wanted = [o for o in group if o.kind in det.consumes]
            for f in det.find_corpus(wanted, ctx):
                f.severity = config.severity_for(f.rule, f.category, f.severity)
                if f.confidence >= config.min_confidence:
                    out.append(f)

    for group in groups:
        run(local, group)
    rest = [d for d in corpus if d not in local]
    if rest:  # a rule that looks across keys needs everything at once
        run(rest, list(store))
    out.sort(key=lambda f: f.sort_key)
    seen: Counter = Counter()
    for f in out:
        key = (f.rule, f.text, f.doc)
        f.fingerprint = fingerprint(f.rule, f.text, f.doc, seen[key])
        seen[key] += 1
    return out


# -- process pool ----------------------------------------------------------------------------
#: The worker's context and the config it was built for. The config object itself is
#: kept (not its id): a collected config's id can be reused by a new one.
_CONTEXT: tuple[Config, Context] | None = None


def _worker_context(config: Config) -> Context:
    global _CONTEXT
    if _CONTEXT is None or _CONTEXT[0] is not config:
        _CONTEXT = (config, Context(config=config))
    return _CONTEXT[1]


_WORKER_CONFIG: Config | None = None


_WORKER_FN: Callable | None = None


def _init_worker(config: Config, work: Callable | None = None) -> None:
    global _WORKER_CONFIG, _WORKER_FN
    _WORKER_CONFIG = config
    _WORKER_FN = work
    threshold = gc.get_threshold()  # a worker is ours alone: the collector tuned for good
    gc.set_threshold(max(GC_THRESHOLD, threshold[0]), *threshold[1:])


def _work(docs: list[Document]):
    assert _WORKER_CONFIG is not None
    return (_WORKER_FN or audit_documents)(docs, _WORKER_CONFIG)


def batches(docs: Iterable[Document], max_chars: int = BATCH_CHARS, max_docs: int = BATCH_DOCS) -> Iterator[list[Document]]:
    batch: list[Document] = []
    size = 0
    for doc in docs:
        batch.append(doc)
        size += len(doc.text) + len(doc.source or "")  # a source is read and segmented too
        if size >= max_chars or len(batch) >= max_docs:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def job_count(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def run_batches(
    docs: Iterable[Document], config: Config, jobs: int = 0,
    on_batch: Callable[[list[Document]], None] | None = None,
    work: Callable | None = None,
) -> Iterator[BatchResult]:
    """Stream batch results in input order, with at most ``MAX_PENDING × jobs`` batches in flight.

    ``work(batch, config)`` replaces :func:`audit_documents` as the per-batch function (a
    module-level function or a ``functools.partial`` of one, so that workers can import it).

    While it runs, the collector's first threshold is :data:`GC_THRESHOLD` (restored after).
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(GC_THRESHOLD, threshold[0]), *threshold[1:])
    try:
        yield from _run_batches(docs, config, jobs, on_batch, work)
    finally:
        gc.set_threshold(*threshold)


def _run_batches(docs: Iterable[Document], config: Config, jobs: int,
                 on_batch: Callable[[list[Document]], None] | None, work: Callable | None) -> Iterator[BatchResult]:
    jobs = job_count(jobs)
    fn = work or audit_documents
    if jobs == 1:
        for batch in batches(docs):
            if on_batch:
                on_batch(batch)
            yield fn(batch, config)
        return
    import itertools
    import multiprocessing as mp

    stream = batches(docs)
    head = list(itertools.islice(stream, 2))
    if len(head) < 2:  # a small input: a pool would cost more than it saves
        for batch in head:
            if on_batch:
                on_batch(batch)
            yield fn(batch, config)
        return
    # The main process is one of the ``jobs``: besides reading the input and taking the
    # results (which the caller writes out), it audits a batch itself whenever the workers
    # have ``QUEUED`` batches each not yet done, instead of sitting idle on futures. So ``-j2``
    # starts one worker (one import of everything and one load of lexicons and models fewer)
    # and runs two busy processes on two cores, not three; and since the main process takes
    # batches only when the workers are fed, its reading and writing never starve them.
    # spawn, not fork: forking a process whose polars/arrow thread pools are running can hang
    workers = jobs - 1
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                             initargs=(config, work)) as pool:
        pending: deque[Future | BatchResult] = deque()  # in input order: futures, or local results
        submitted: dict[Future, list[Document]] = {}

        for batch in itertools.chain(head, stream):
            if on_batch:
                on_batch(batch)
            queued = sum(1 for item in pending if isinstance(item, Future) and not item.done())
            if queued < QUEUED * workers:
                future = pool.submit(_work, batch)
                submitted[future] = batch
                pending.append(future)
            else:
                pending.append(fn(batch, config))
            while pending and (not isinstance(pending[0], Future) or pending[0].done()):
                yield _result(pending.popleft(), submitted)
            # bounded memory: wait for the oldest batch when too many are in flight
            while len(pending) >= MAX_PENDING * jobs:
                yield _result(pending.popleft(), submitted)
        # The input is exhausted. Batches still queued for a worker and not started are taken
        # back (a future that has not started can be cancelled) and audited here, newest
        # first, so that the main process does not sit idle while a worker works through its
        # queue; results still go out in input order.
        while pending:
            k = next((k for k in range(len(pending) - 1, -1, -1)
                      if isinstance(pending[k], Future) and pending[k].cancel()), None)
            if k is not None:
                pending[k] = fn(submitted.pop(pending[k]), config)
            else:  # nothing left to take back: wait for the oldest
                yield _result(pending.popleft(), submitted)
            while pending and (not isinstance(pending[0], Future) or pending[0].done()):
                yield _result(pending.popleft(), submitted)


def _result(item: Future | BatchResult, submitted: dict[Future, list[Document]]) -> BatchResult:
    """The result of a pending item: a local result as it is, a future's when it is done."""
    if isinstance(item, Future):
        submitted.pop(item, None)
        return item.result()
    return item
