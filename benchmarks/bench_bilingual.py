"""Throughput of ``audit check`` with a source column: the bilingual rules on parallel JSONL.

Builds a JSONL corpus of at least ``--size-mb`` megabytes of *target* text from the
hand-translated pairs of ``tests/fixtures/bilingual/parallel.jsonl`` (ru->en, en->ru, tr->en):
each row is an article of 6–12 pairs of the same language pair joined paragraph by paragraph,
with years shifted consistently on both sides, and — in a share ``--error-rate`` of rows — one
error injected into the target (a digit changed, a sentence dropped, a placeholder mangled).
The corpus goes to ``benchmarks/.data/bilingual-<size>mb-seed<seed>.jsonl`` (git-ignored) and is
reused while it exists.

Then, for each job count, it runs as a subprocess

    python -m audit check CORPUS --format jsonl --output /dev/null -jN --fail-on never --select RULES

and reports wall time, MB/s of target text per wall second, the CPU seconds of the whole
process tree (user + system, from ``RUSAGE_CHILDREN``; steadier than wall time on a shared
machine) and MB per CPU second. ``--baseline`` adds the same run without the source column
(``--source-column none``), so the cost of the bilingual rules alone can be read off.

    python benchmarks/bench_bilingual.py                     # 50 MB, the six bilingual rules, -j2
    python benchmarks/bench_bilingual.py --size-mb 10 --jobs 1,2 --baseline
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = ROOT / "tests" / "fixtures" / "bilingual" / "parallel.jsonl"
DATA = Path(__file__).resolve().parent / ".data"
RULES = "number-mismatch,markup-mismatch,untranslated-copy,length-ratio,omission,source-name-mismatch"
YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")


def _shift_years(text: str, delta: int) -> str:
    return YEAR.sub(lambda m: str(int(m.group()) + delta), text)


def _inject(text: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # a digit changed
        digits = [m.start() for m in re.finditer(r"\d", text)]
        if digits:
            i = rng.choice(digits)
            return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:]
    if kind == 1:  # a sentence dropped
        parts = re.split(r"(?<=[.!?])\s+(?=[A-ZА-Я])", text)
        if len(parts) > 3:
            del parts[rng.randrange(1, len(parts) - 1)]
            return " ".join(parts)
    return text.replace("{", "{ ", 1).replace("%s", "% s", 1)


def build(size_mb: float, seed: int, error_rate: float) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"bilingual-{size_mb:g}mb-seed{seed}-err{error_rate:g}.jsonl"
    if path.exists():
        return path
    rng = random.Random(seed)
    rows = [json.loads(line) for line in PARALLEL.read_text("utf-8").splitlines() if line.strip()]
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        by_pair.setdefault((r["source_lang"], r["lang"]), []).append(r)
    pairs = sorted(by_pair)
    target_bytes = int(size_mb * 1_000_000)
    written = n = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        while written < target_bytes:
            key = pairs[n % len(pairs)]
            group = rng.sample(by_pair[key], k=min(len(by_pair[key]), rng.randint(6, 12)))
            delta = rng.randint(-5, 3)
            source = "\n\n".join(_shift_years(g["source"], delta) for g in group)
            text = "\n\n".join(_shift_years(g["text"], delta) for g in group)
            if rng.random() < error_rate:
                text = _inject(text, rng)
            fh.write(json.dumps({"id": f"doc{n}", "lang": key[1], "source": source, "text": text},
                                ensure_ascii=False) + "\n")
            written += len(text.encode("utf-8"))
            n += 1
    tmp.replace(path)
    return path


def target_mb(path: Path) -> float:
    total = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            total += len(json.loads(line)["text"].encode("utf-8"))
    return total / 1_000_000


def run(path: Path, jobs: int, rules: str, source: bool) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "audit", "check", str(path), "--format", "jsonl", "--output", "/dev/null",
           f"-j{jobs}", "--fail-on", "never", "--select", rules]
    if not source:
        cmd += ["--source-column", "no-such-column"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--error-rate", type=float, default=0.2)
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--select", default=RULES)
    ap.add_argument("--baseline", action="store_true", help="also run without the source column")
    args = ap.parse_args()
    path = build(args.size_mb, args.seed, args.error_rate)
    mb = target_mb(path)
    print(f"corpus: {path.relative_to(ROOT)}  ({mb:.1f} MB of target text, {path.stat().st_size / 1e6:.1f} MB file)")
    print(f"{'source':>7} {'jobs':>4} {'wall s':>8} {'MB/s':>7} {'CPU s':>8} {'MB/CPU-s':>9}")
    for jobs in [int(j) for j in args.jobs.split(",")]:
        for source in ([True, False] if args.baseline else [True]):
            wall, cpu = run(path, jobs, args.select, source)
            print(f"{'yes' if source else 'no':>7} {jobs:>4} {wall:>8.1f} {mb / wall:>7.2f} {cpu:>8.1f} {mb / cpu:>9.2f}")


if __name__ == "__main__":
    main()
