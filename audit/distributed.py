"""Past one machine: the same audit on Ray Data.

The document stage is one pure function over a batch of documents
(:func:`audit.engine.audit_documents`); :func:`audit_arrow_batch` wraps it for Arrow
batches, and Ray Data maps it over the corpus (``map_batches`` with
``batch_format="pyarrow"``). Each output batch carries three kinds of rows — findings,
observations for the corpus stage, and input errors — in one Arrow schema. Findings go to
Parquet under ``--output`` (a directory or an ``s3://`` URI); observations come back to the
driver, where :func:`audit.engine.corpus_stage` runs exactly as it does locally, and its
findings are written beside the others.

Ray is an optional extra (``pip install 'translation-audit[ray]'``), imported only here.
A map task whose worker dies (OOM kill, node loss, segfault) is retried by Ray's task
retries (Ray Data's defaults; ``tests/test_ray.py`` kills a worker to prove it); a batch's
result is all-or-nothing, so a retried batch never duplicates findings.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from .config import Config
from .detectors import Observation
from .document import Document
from .engine import audit_documents, corpus_stage
from .findings import SEVERITY_RANK, findings_frame
from .spill import ObservationStore
from .inputs import TABLE_SUFFIXES, TEXT_SUFFIXES, DecodeError, Tally, _walk, decode_bytes, json_kind

INSTALL_HINT = "the ray engine needs Ray: pip install 'translation-audit[ray]'"


class EngineError(RuntimeError):
    """A problem running on Ray, with a message for the user."""


def _output_schema() -> pa.Schema:
    base = findings_frame([]).to_arrow().schema
    return base.append(pa.field("kind", pa.string())).append(pa.field("payload", pa.string()))


OUTPUT_SCHEMA = _output_schema()


def _rows_to_documents(batch: pa.Table, config: Config) -> tuple[list[Document], list[dict]]:
    """Arrow rows (either id/path of a text file, or id/text table rows) -> documents."""
    docs, errors = [], []
    cols = set(batch.column_names)
    for row in batch.to_pylist():
        if "__path" in cols:  # a text file: read and decode it here, on the worker
            doc_id, path = row["__id"], row["__path"]
            try:
                text, meta = decode_bytes(Path(path).read_bytes())
            except (DecodeError, OSError) as exc:
                errors.append({"input": doc_id, "message": str(exc)})
                continue
            docs.append(Document(doc_id, text, lang=config.lang, meta={"path": doc_id, **meta}))
        else:
            text = row.get(config.text_column)
            doc_id = row.get(config.id_column)
            text = "" if text is None else text  # (a null is an empty document, as in a local run)
            if not isinstance(text, str):
                errors.append({"input": str(doc_id),
                               "message": f"column {config.text_column!r} holds {json_kind(text)}, not text"})
                continue
            lang = config.lang or row.get(config.lang_column) or None
            source = row.get(config.source_column)
            docs.append(Document(str(doc_id), text, lang=lang, source=source if isinstance(source, str) else None))
    return docs, errors


def audit_arrow_batch(batch: pa.Table, config: Config) -> pa.Table:
    """The document stage over an Arrow batch: findings, observations and errors as rows."""
    docs, errors = _rows_to_documents(batch, config)
    result = audit_documents(docs, config)
    frame = findings_frame(result.findings).to_arrow()
    n = frame.num_rows
    frame = frame.append_column("kind", pa.array(["finding"] * n, pa.string()))
    frame = frame.append_column("payload", pa.array([None] * n, pa.string()))
    extra = [{"kind": "observation", "payload": json.dumps(asdict(o), ensure_ascii=False)} for o in result.observations]
    extra += [{"kind": "error", "payload": json.dumps(e, ensure_ascii=False)} for e in errors]
    extra += [{"kind": "error", "payload": json.dumps({"input": d, "message": f"rule {r} failed ({m})"})}
              for d, r, m in result.failures]
    extra.append({"kind": "stats", "payload": json.dumps({"documents": len(docs)})})
    if extra:
        side = pa.Table.from_pylist(extra, schema=pa.schema([("kind", pa.string()), ("payload", pa.string())]))
        empty = {name: pa.nulls(side.num_rows, OUTPUT_SCHEMA.field(name).type)
                 for name in OUTPUT_SCHEMA.names if name not in ("kind", "payload")}
        side = pa.table({**empty, "kind": side["kind"], "payload": side["payload"]}, schema=OUTPUT_SCHEMA)
        frame = pa.concat_tables([frame.cast(OUTPUT_SCHEMA), side])
    return frame.cast(OUTPUT_SCHEMA)


@dataclass
class RayRun:
    findings: int = 0
    corpus_findings: int = 0
    documents: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    output: str = ""

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        if fail_on == "never":
            return 0
        return int(any(SEVERITY_RANK[s] >= SEVERITY_RANK[fail_on] and n for s, n in self.by_severity.items()))


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise EngineError(INSTALL_HINT) from None
    return ray


def _count_severities(batch: pa.Table) -> pa.Table:
    """Per-block severity counts, so the driver never pulls the findings themselves."""
    counts: dict[str, int] = {}
    for sev in batch.column("severity").to_pylist():
        counts[sev] = counts.get(sev, 0) + 1
    return pa.table({"severity": list(counts), "n": list(counts.values())},
                    schema=pa.schema([("severity", pa.string()), ("n", pa.int64())]))


def init_ray(address: str | None = None, num_cpus: int | None = None, object_store_memory: int | None = None) -> None:
    """Connect to a cluster (``address``) or start a local Ray sized for this machine."""
    ray = _import_ray()
    if ray.is_initialized():
        return
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "ignore_reinit_error": True}
    if address:
        kwargs["address"] = address
    else:
        if num_cpus:
            kwargs["num_cpus"] = num_cpus
        if object_store_memory:
            kwargs["object_store_memory"] = object_store_memory
    ray.init(**kwargs)
    import logging
    import sys

    ray.data.DataContext.get_current().enable_progress_bars = sys.stderr.isatty()
    logging.getLogger("ray.data").setLevel(logging.WARNING)


def _datasets(paths: list[str], config: Config):
    ray = _import_ray()
    out, tally = [], Tally()
    text_files: list[dict] = []
    for given in paths:
        path = Path(given)
        lower = given.lower()
        if lower.endswith(".parquet") or (given.startswith("s3://") and lower.endswith("/")):
            out.append(ray.data.read_parquet(given))
        elif lower.endswith((".jsonl", ".ndjson", ".json")):
            out.append(ray.data.read_json(given))
        elif path.is_dir():
            text_files += [{"__id": str(p), "__path": str(p.resolve())} for p in _walk(path, tally)]
        elif path.is_file() and path.suffix.lower() in TEXT_SUFFIXES + ("",):
            text_files.append({"__id": given, "__path": str(path.resolve())})
        elif path.suffix.lower() in TABLE_SUFFIXES:
            raise EngineError(f"{given}: CSV is not supported on the ray engine; convert it to Parquet or JSONL")
        else:
            raise EngineError(f"{given}: no such file or directory")
    if text_files:
        out.append(ray.data.from_items(text_files))
    for ds in out:
        names = set(ds.schema().names)
        if "__path" in names:
            continue
        if config.text_column not in names:
            raise EngineError(f"no column {config.text_column!r} (use --text-column)")
        if config.id_column not in names:
            raise EngineError(f"the ray engine needs an id column ({config.id_column!r}; use --id-column): "
                              "row numbers are not stable across a cluster")
    return out


def _write_parquet_table(table: pa.Table, output: str, name: str) -> None:
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    fs, root = pafs.FileSystem.from_uri(output if "://" in output else str(Path(output).resolve()))
    fs.create_dir(root, recursive=True)
    pq.write_table(table, f"{root.rstrip('/')}/{name}", filesystem=fs)


def run_on_ray(
    paths: list[str], config: Config, output: str, *, address: str | None = None, num_cpus: int | None = None,
    object_store_memory: int | None = None, batch_size: int = 256,
    udf: Callable[[pa.Table, Config], pa.Table] = audit_arrow_batch,
) -> RayRun:
    """Audit ``paths`` on Ray; findings land as Parquet files under ``output``."""
    ray = _import_ray()
    init_ray(address, num_cpus, object_store_memory)
    datasets = _datasets(paths, config)
    if not datasets:
        raise EngineError("no input documents")
    wanted = [c for c in (config.id_column, config.text_column, config.lang_column, config.source_column, "__id", "__path")]
    parts = []
    for ds in datasets:
        cols = [c for c in wanted if c in ds.schema().names]
        parts.append(ds.select_columns(cols).map_batches(
            udf, fn_kwargs={"config": config}, batch_format="pyarrow", batch_size=batch_size,
        ))
    results = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])
    results = results.materialize()

    findings = results.filter(expr=_col("kind") == "finding").drop_columns(["kind", "payload"])
    findings.write_parquet(output)
    side = results.filter(expr=_col("kind") != "finding").select_columns(["kind", "payload"])

    run = RayRun(output=output)
    with ObservationStore() as observations:  # spills to disk past a limit
        for row in side.iter_rows():
            payload = json.loads(row["payload"])
            if row["kind"] == "observation":
                observations.extend((Observation(**payload),))
            elif row["kind"] == "stats":
                run.documents += payload["documents"]
            else:
                run.errors.append(f"{payload['input']}: {payload['message']}")
        corpus = corpus_stage(observations, config)
    if corpus:
        _write_parquet_table(findings_frame(corpus).to_arrow(), output, "corpus-findings.parquet")
    counts: dict[str, int] = {}
    for row in findings.select_columns(["severity"]).map_batches(_count_severities, batch_format="pyarrow").take_all():
        counts[row["severity"]] = counts.get(row["severity"], 0) + row["n"]
    for f in corpus:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    run.by_severity = counts
    run.findings = sum(counts.values())
    run.corpus_findings = len(corpus)
    return run


# -- normalise ------------------------------------------------------------------------------------
MANIFEST_SCHEMA = pa.schema([
    ("kind", pa.string()), ("doc", pa.string()), ("path", pa.string()), ("output", pa.string()),
    ("row", pa.int64()), ("start", pa.int64()), ("end", pa.int64()), ("before", pa.string()),
    ("after", pa.string()), ("rule", pa.string()), ("confidence", pa.float64()), ("fingerprint", pa.string()),
])


def repair_arrow_batch(batch: pa.Table, config: Config, policy) -> pa.Table:
    """The repair stage over an Arrow batch of table rows: every column kept, the text
    column repaired, and the edits of each row (JSON, in the original text's offsets) in
    ``__edits`` — the same :func:`audit.normalise.repair_document` the local engine runs."""
    from .normalise import repair_document

    texts = batch.column(config.text_column).to_pylist()
    ids = batch.column(config.id_column).to_pylist()
    langs = batch.column(config.lang_column).to_pylist() if config.lang_column in batch.column_names else [None] * len(ids)
    repaired, edits_json = [], []
    for doc_id, text, lang in zip(ids, texts, langs):
        if not isinstance(text, str):
            repaired.append(text)
            edits_json.append(None)
            continue
        doc = Document(str(doc_id), text, lang=config.lang or lang or None)
        rep = repair_document(doc, config, policy)
        repaired.append(rep.text if rep.text is not None else text)
        edits_json.append(json.dumps(
            [{"start": e.start, "end": e.end, "before": text[e.start:e.end], "after": e.replacement,
              "rule": e.rule, "confidence": round(e.confidence, 4), "fingerprint": e.fingerprint} for e in rep.edits],
            ensure_ascii=False) if rep.edits else None)
    idx = batch.column_names.index(config.text_column)
    out = batch.set_column(idx, config.text_column, pa.array(repaired, batch.schema.field(idx).type))
    return out.append_column("__edits", pa.array(edits_json, pa.string()))


@dataclass
class RayRepairRun:
    documents: int = 0
    changed: int = 0
    edits: int = 0
    corpus: str = ""
    manifest: str = ""


def normalise_on_ray(paths: list[str], config: Config, policy, out: str, *, address: str | None = None,
                     num_cpus: int | None = None, batch_size: int = 256) -> RayRepairRun:
    """Repair JSONL/Parquet corpora on Ray: the repaired rows (all columns) as Parquet under
    ``out/corpus/``, every change as Parquet under ``out/manifest/`` (doc, start, end, before,
    after, rule, confidence — offsets into the original text). Inputs are never written."""
    from .normalise import repairing_config

    ray = _import_ray()
    init_ray(address, num_cpus)
    if any(Path(p).is_dir() or Path(p).suffix.lower() in TEXT_SUFFIXES for p in paths if "://" not in p):
        raise EngineError("the ray engine normalises JSONL and Parquet tables; use --engine local for text files")
    datasets = _datasets(paths, config)
    config = repairing_config(config, policy)
    parts = [ds.map_batches(repair_arrow_batch, fn_kwargs={"config": config, "policy": policy},
                            batch_format="pyarrow", batch_size=batch_size) for ds in datasets]
    results = (parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])).materialize()
    corpus, manifest = f"{out.rstrip('/')}/corpus", f"{out.rstrip('/')}/manifest"
    results.drop_columns(["__edits"]).write_parquet(corpus)
    edits = results.select_columns([config.id_column, "__edits"]).map_batches(
        _manifest_rows, fn_kwargs={"id_column": config.id_column}, batch_format="pyarrow")
    edits = edits.materialize()
    edits.write_parquet(manifest)
    run = RayRepairRun(documents=results.count(), edits=edits.count(), corpus=corpus, manifest=manifest)
    run.changed = results.filter(expr=_col("__edits").is_not_null()).count()
    return run


def _col(name: str):
    from ray.data.expressions import col

    return col(name)


def _manifest_rows(batch: pa.Table, id_column: str) -> pa.Table:
    rows = []
    for doc_id, blob in zip(batch.column(id_column).to_pylist(), batch.column("__edits").to_pylist()):
        for e in json.loads(blob) if blob else []:
            rows.append({"kind": "edit", "doc": str(doc_id), "path": None, "output": None, "row": None, **e})
    return pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA)


def read_findings(output: str) -> list[dict]:
    """All findings written under ``output`` (document and corpus stage), sorted."""
    import polars as pl

    frame = pl.read_parquet(f"{output.rstrip('/')}/*.parquet")
    return frame.sort(["doc", "start", "end", "rule", "text"]).to_dicts()


__all__ = ["EngineError", "RayRepairRun", "RayRun", "audit_arrow_batch", "init_ray", "normalise_on_ray",
           "read_findings", "repair_arrow_batch", "run_on_ray"]
