"""Overhead of the ray engine against the local process pool, on 2 cores.

Builds a JSONL corpus from samples/ (git-ignored, under benchmarks/.data/), then times
``audit check CORPUS -f parquet`` with ``--engine local`` and ``--engine ray``
(a fresh local Ray each run, start-up included, as a user would see it).

    python benchmarks/bench_ray.py --mb 50
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data"


def build_corpus(mb: int) -> Path:
    path = DATA / f"ray-corpus-{mb}mb.jsonl"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    size, i = 0, 0
    with path.open("w", encoding="utf-8") as fh:
        while size < mb * 1_000_000:
            text = texts[i % len(texts)].replace("Turkey", f"Turkey{'' if i % 7 else chr(0x200b)}", 1)
            line = json.dumps({"id": f"doc{i:07}", "text": text}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            i += 1
    return path


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--select", default=None, help="rules/categories to run (default: all)")
    args = ap.parse_args()
    corpus = build_corpus(args.mb)
    mb = corpus.stat().st_size / 1e6
    common = [sys.executable, "-m", "audit", "check", str(corpus), "--lang", "en", "--fail-on", "never", "-j", "2"]
    if args.select:
        common += ["--select", args.select]
    local = timed(common + ["-f", "parquet", "-o", str(DATA / "local.parquet")])
    ray = timed(common + ["--engine", "ray", "--output", str(DATA / "ray-out")])
    print(f"corpus: {mb:.1f} MB")
    print(f"{'engine':8} {'seconds':>8} {'MB/s':>7}")
    print(f"{'local':8} {local:8.1f} {mb / local:7.2f}")
    print(f"{'ray':8} {ray:8.1f} {mb / ray:7.2f}")
    print(f"ray overhead: {100 * (ray - local) / local:+.0f}%")


if __name__ == "__main__":
    main()
