"""Instructions, not seconds: the document stage under callgrind, per rule and per source tree.

    python benchmarks/bench_instructions.py                               # every rule, then all at once
    python benchmarks/bench_instructions.py --rules near-duplicate,names --tree /tmp/base --tree .
    python benchmarks/bench_instructions.py --mb 0.5 --rules all --corpus benchmarks/.data/20mb-seed20240601-glitch0.002/corpus.jsonl

On a shared virtual machine the CPU time of one run of the same code varies by 20 % or more
(steal, caches, frequency), which hides any change smaller than that. The number of
instructions the interpreter executes does not: ``valgrind --tool=callgrind`` counts them,
the same to within 0.1 % from run to run. Each measurement runs, under callgrind, one
Python process that loads the corpus (a JSONL file with a ``text`` column; by default the
benchmark corpus ``bench_check.py`` builds), audits 40 documents to warm up (lexicons,
word lists, caches), then switches counting on (``callgrind_control -i on``), audits the
next ``--mb`` MB in batches of 50 with ``audit.engine.audit_documents`` (the document stage:
the rules, segmentation, finalisation; not the corpus stage) and switches it off.
Under callgrind a run is about 50 times slower: 0.3 MB takes 20–40 s per rule selection.

``--rules``: ``each`` (default: every rule alone, then all of them), ``all``, or a
comma-separated list of rules or categories. A rule measured alone carries what it needs
that other rules share (the names analysis, the sentences). ``--tree PATH`` (repeatable)
measures the ``audit`` package of another checkout (``git worktree add /tmp/base REV``);
the first tree is the baseline of the ratio column.

Needs valgrind (``apt-get install valgrind``). Instruction counts are not seconds — a
cache miss costs more than an add — but a change that removes instructions from the
interpreter's loop is faster, and one that adds them is slower.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "benchmarks" / ".data" / "6mb-seed20240601-glitch0.002" / "corpus.jsonl"
WARM_DOCS = 40
BATCH = 50


def child(corpus: str, mb: float, rules: str) -> None:
    """The measured process (run under callgrind with counting off at the start)."""
    from audit.config import Config
    from audit.document import Document
    from audit.engine import _worker_context, audit_documents

    rows = []
    size = 0
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) > WARM_DOCS:
                size += len(rows[-1]["text"].encode("utf-8"))
                if size >= mb * 1e6:
                    break
    config = Config(lang="en", jobs=1, select=[r for r in rules.split(",") if r])
    ctx = _worker_context(config)
    # (a row's own language, as `audit check` reads it: the bilingual corpus mixes ru and en targets)
    make = lambda r: Document(str(r.get("id", "")), r["text"], lang=r.get("lang") or "en",  # noqa: E731
                              source=r.get("source"), source_lang=r.get("source_lang"))
    audit_documents([make(r) for r in rows[:WARM_DOCS]], config, ctx)
    docs = [make(r) for r in rows[WARM_DOCS:]]
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=False)
    for i in range(0, len(docs), BATCH):
        audit_documents(docs[i:i + BATCH], config, ctx)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=False)
    print(f"measured {len(docs)} documents, {size / 1e6:.2f} MB", file=sys.stderr)


def measure(tree: Path, corpus: Path, mb: float, rules: str, out: Path) -> int | None:
    """Instructions executed while counting was on, or None if the run failed."""
    env = dict(os.environ, PYTHONPATH=str(tree), AUDIT_NO_CACHE="1")
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
           os.path.realpath(sys.executable), str(Path(__file__).resolve()), "--child", str(corpus.resolve()), str(mb), rules]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd="/")
    m = re.search(r"Collected : (\d+)", res.stderr)
    if res.returncode != 0 or m is None:
        print(res.stderr[-2000:], file=sys.stderr)
        return None
    return int(m.group(1))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        child(args[1], float(args[2]), args[3] if len(args) > 3 else "")
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", default="each", help="each | all | RULE,CATEGORY,… [each]")
    ap.add_argument("--mb", type=float, default=0.3, help="Megabytes of documents measured [0.3].")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL corpus with a text column.")
    ap.add_argument("--tree", type=Path, action="append", help="Checkout whose audit package to measure (repeatable) [this one].")
    opts = ap.parse_args(args)
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    if not opts.corpus.is_file():
        print(f"no corpus at {opts.corpus}: build it with python benchmarks/bench_check.py --size-mb 6 --shape jsonl "
              "--select whitespace, or give --corpus", file=sys.stderr)
        return 2
    trees = [t.resolve() for t in (opts.tree or [ROOT])]
    if opts.rules == "each":
        sys.path.insert(0, str(trees[0]))
        from audit.detectors import DETECTORS

        selections = sorted(DETECTORS) + [""]
    else:
        selections = [""] if opts.rules == "all" else [opts.rules]
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"callgrind-{os.getpid()}.out"
    print(f"{'rules':28s}" + "".join(f"{t.name[:14]:>16s}" for t in trees) + ("   ratio" if len(trees) > 1 else ""))
    for rules in selections:
        counts = [measure(t, opts.corpus, opts.mb, rules, out) for t in trees]
        row = f"{rules or '(all rules)':28s}" + "".join(f"{c / 1e6:14.1f} M" if c else f"{'failed':>16s}" for c in counts)
        if len(trees) > 1 and counts[0] and all(counts):
            row += "   " + " ".join(f"{c / counts[0]:.3f}" for c in counts[1:])
        print(row, flush=True)
    out.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
