"""Throughput and peak memory of ``audit normalise`` on a generated glitchy corpus.

    python benchmarks/bench_normalise.py                # 100 MB tree of .txt files, 2 workers
    python benchmarks/bench_normalise.py --mb 200 --jobs 2 --format jsonl
    python benchmarks/bench_normalise.py --mb 100 --jobs 2 --format csv   # one CSV file, streamed
    python benchmarks/bench_normalise.py --mb 100 --jobs 2 --format json  # one JSON array (Scrapy's layout)

The corpus is built (once, deterministically) from the seed articles in ``samples/`` with
scraping residue injected — NBSP runs, zero-width characters, doubled spaces, soft
hyphens — into ``benchmarks/.data-normalise/`` (git-ignored by the ``.gitignore`` written there),
then ``audit normalise CORPUS --out TMP -j N`` runs as a subprocess. Reported: input MB,
wall seconds, MB/s, edits, the peak resident memory of the whole process tree (the parent
plus its workers, sampled every 50 ms from /proc), and CPU seconds — all processes, and the
parent alone (it reads, writes and keeps the manifest while workers detect and repair). On
a shared machine wall time lies; the CPU figures give what N idle cores would do:
``max(parent CPU, all CPU / N)`` seconds. Timings belong here, never in the tests.
Target (issue 5): at least 10 MB/s on 2 cores.

``--breakdown MB`` adds, measured in process over the first MB of the corpus (after a warm-up,
so lexicon loading is left out), where a worker's CPU goes: each rule's detection on the
original texts (the first pass — the floor, whatever normalise does), the repair of every
document to its fixed point (:func:`audit.normalise.repair_document`: all passes, planning,
composing), the same with ``incremental=False`` (every later pass detects on the whole
repaired text) — medians of three alternated rounds — and the rest of the run (start-up, reading, writing, manifest, pickling
between processes) as the subprocess's CPU less the repair's, scaled to the corpus::

    python benchmarks/bench_normalise.py --mb 20 --breakdown 3
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data-normalise"  # bench_check.py owns (and wipes) .data/
GLITCHES = ["\u00a0 ", " \u00a0\u00a0", "\u200b", "  ", "\u00ad", " ,"]


def glitch(text: str, rng: random.Random, rate: float = 0.01) -> str:
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < rate:
            g = rng.choice(GLITCHES)
            w = words[i]
            if g == "\u200b" or g == "\u00ad":
                cut = rng.randint(1, max(1, len(w) - 1))
                words[i] = w[:cut] + g + w[cut:]
            elif g == " ,":
                words[i] = w + " ,"
            else:
                words[i] = w + g.rstrip(" ") if g.startswith("\u00a0") else w + g[:-1]
    return " ".join(words)


#: The corpus formats that are one table file.
TABLES = ("jsonl", "csv", "json")


def build(mb: int, fmt: str) -> Path:
    """A corpus of about ``mb`` MB (reused when already built)."""
    target = DATA / f"corpus-{fmt}-{mb}mb"
    if (target / ".complete").exists():
        return target
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / ".gitignore").write_text("*\n")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    rng = random.Random(2026)
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    paragraphs = [p for s in seeds for p in s.split("\n\n") if p.strip()]
    size, n = 0, 0
    limit = mb * 1_000_000
    out = open(target / f"corpus.{fmt}", "w", encoding="utf-8", newline="") if fmt in TABLES else None
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(["id", "text", "source", "n"])
    while size < limit:
        # about the length of the seed articles (2-9 KB, 5 KB on average)
        body = "\n\n".join(glitch(rng.choice(paragraphs), rng) for _ in range(rng.randint(6, 30))) + "\n"
        if writer is not None:
            writer.writerow([f"doc{n}", body, "bench", n])
            size += len(body.encode("utf-8")) + 20
        elif out is not None:
            line = json.dumps({"id": f"doc{n}", "text": body, "source": "bench", "n": n}, ensure_ascii=False) + "\n"
            if fmt == "json":  # an array, an object per line (Scrapy's -o items.json)
                line = ("[\n" if n == 0 else ",\n") + line[:-1]
            out.write(line)
            size += len(line.encode("utf-8"))
        else:
            folder = target / f"part{n // 1000:03d}"
            folder.mkdir(exist_ok=True)
            data = body.encode("utf-8")
            (folder / f"doc{n:06d}.txt").write_bytes(data)
            size += len(data)
        n += 1
    if out is not None:
        out.write("\n]\n" if fmt == "json" else "")
        out.close()
    (target / ".complete").write_text(f"{n} documents, {size} bytes\n")
    return target


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (not its children)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--format", choices=["txt", *TABLES], default="txt")
    ap.add_argument("--lang", default="en", help="document language (skips language identification)")
    ap.add_argument("--select", help="rules or categories to repair (default: the safe repairs)")
    ap.add_argument("--breakdown", type=float, metavar="MB",
                    help="also measure, in process over the first MB of the corpus, detection per rule vs repair")
    args = ap.parse_args()
    corpus = build(args.mb, args.format)
    inputs = [str(corpus / f"corpus.{args.format}")] if args.format in TABLES else [str(corpus)]
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    with tempfile.TemporaryDirectory(prefix="bench-normalise-") as tmp:
        out = Path(tmp) / "out"
        cmd = [sys.executable, "-m", "audit", "normalise", *inputs, "--out", str(out), "-j", str(args.jobs),
               "--lang", args.lang] + (["--select", args.select] if args.select else [])
        peak = 0
        parent_cpu = 0.0
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
        done = threading.Event()

        def sample():
            nonlocal peak, parent_cpu
            while not done.is_set():
                peak = max(peak, tree_rss(proc.pid))
                try:
                    parent_cpu = cpu_seconds(proc.pid)
                except (FileNotFoundError, ProcessLookupError):
                    pass
                time.sleep(0.05)

        t = threading.Thread(target=sample, daemon=True)
        t.start()
        _, err = proc.communicate()
        seconds = time.perf_counter() - started
        done.set()
        t.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        total_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if proc.returncode != 0:
            sys.exit(f"audit normalise failed ({proc.returncode}):\n{err}")
    print(f"corpus: {corpus.relative_to(ROOT)} ({size / 1e6:.1f} MB, {args.format})")
    print(f"command: {' '.join(cmd[1:])}")
    print(err.strip().splitlines()[-1])
    print(f"wall {seconds:.1f} s, {size / 1e6 / seconds:.1f} MB/s with {args.jobs} workers, "
          f"peak RSS (process tree) {peak / 1e6:.0f} MB")
    ideal = max(parent_cpu, total_cpu / args.jobs)
    print(f"CPU {total_cpu:.1f} s in all processes, {parent_cpu:.1f} s in the parent; on {args.jobs} idle cores "
          f"about {ideal:.1f} s = {size / 1e6 / ideal:.1f} MB/s (load average now {os.getloadavg()[0]:.1f})")
    if args.breakdown:
        breakdown(corpus, args, size, total_cpu)


def breakdown(corpus: Path, args, size: int, total_cpu: float) -> None:
    """Detection per rule (first pass) vs the whole repair, in process, on the first MB of the corpus."""
    from audit.config import Config
    from audit.document import Document
    from audit.engine import _worker_context, enabled_detectors
    from audit.fix import Policy
    from audit.inputs import decode_bytes, json_array_pieces
    from audit.normalise import repair_document, repairing_config

    policy = Policy(select=tuple(args.select.split(",")) if args.select else ())
    config = repairing_config(Config(lang=args.lang, jobs=1), policy)
    texts: list[str] = []
    limit = args.breakdown * 1e6
    if args.format in TABLES:
        with open(corpus / f"corpus.{args.format}", encoding="utf-8", newline="") as fh:
            rows = {"jsonl": lambda: map(json.loads, fh), "csv": lambda: csv.DictReader(fh),
                    "json": lambda: (v for n, _, v in json_array_pieces(fh) if n)}[args.format]()
            for row in rows:
                texts.append(row["text"])
                if sum(map(len, texts)) >= limit:
                    break
    else:
        for path in sorted(corpus.rglob("*.txt")):
            texts.append(decode_bytes(path.read_bytes())[0])
            if sum(map(len, texts)) >= limit:
                break
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    warm, texts = texts[:30], texts[30:]
    mb -= sum(len(t.encode("utf-8")) for t in warm) / 1e6
    ctx = _worker_context(config)
    detectors = ctx.shared("detectors", lambda: enabled_detectors(config))
    for t in warm:
        repair_document(Document("w", t, lang=args.lang), config, policy)
    per_rule = dict.fromkeys((d.name for d in detectors), 0.0)
    for i, t in enumerate(texts):
        doc = Document(f"d{i}", t, lang=args.lang)
        for det in detectors:
            start = time.process_time()
            if det.could_fire(doc):
                list(det.find(doc, ctx))
            per_rule[det.name] += time.process_time() - start
    # alternated, three rounds each, medians: on a shared machine one round can be 20 % off
    rounds: dict[bool, list[float]] = {True: [], False: []}
    for r in range(6):
        incremental = r % 2 == 0
        start = time.process_time()
        for i, t in enumerate(texts):
            repair_document(Document(f"d{i}", t, lang=args.lang), config, policy, incremental=incremental)
        rounds[incremental].append(time.process_time() - start)
    repair = {k: sorted(v)[1] for k, v in rounds.items()}
    detect = sum(per_rule.values())
    print(f"\nbreakdown over {mb:.1f} MB ({len(texts)} documents), CPU seconds in process:")
    for name, sec in sorted(per_rule.items(), key=lambda kv: -kv[1]):
        print(f"  detection {name:24s} {sec:6.2f} s  {mb / sec if sec else float('inf'):7.1f} MB/CPU-s")
    print(f"  detection, first pass (sum)        {detect:6.2f} s  {mb / detect:7.1f} MB/CPU-s  <- the floor")
    print(f"  repair to the fixed point (median) {repair[True]:6.2f} s  {mb / repair[True]:7.1f} MB/CPU-s "
          f"(later passes and planning: {repair[True] - detect:.2f} s)")
    print(f"  same, incremental=False (median)   {repair[False]:6.2f} s  {mb / repair[False]:7.1f} MB/CPU-s")
    rest = total_cpu - repair[True] * size / 1e6 / mb
    print(f"  the run's other CPU (start-up, reading, writing, manifest, pickling), scaled: about {rest:.1f} s "
          f"of {total_cpu:.1f} s")


if __name__ == "__main__":
    main()
