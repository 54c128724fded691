"""Benchmark: the corpus stage of ``retranslated-quote`` on 100,000 generated articles.

Articles are made from the seed samples, varied so that blocking has real work to do:
every article gets its speakers renamed from a pool with a Zipf-like popularity (a few
speakers are quoted in thousands of articles, most in a handful), about 6% of its words
replaced by other English words (so quotes have many distinct renderings), and its
paragraphs partly shuffled. The corpus is written to ``benchmarks/.data-consistency/``
(git-ignored by the ``.gitignore`` written there) and reused when present.

It measures the document stage (quotation extraction, process pool) and — the point of
the benchmark — the corpus stage: time, peak traced Python memory, candidate pairs
scored. Run::

    python benchmarks/bench_consistency.py            # 100,000 articles
    python benchmarks/bench_consistency.py --n 10000 --trace  # quicker, with tracemalloc peak
    python benchmarks/bench_consistency.py --n 10000 --spill-limit 2000  # observations spilled as audit check does past a limit
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.config import Config  # noqa: E402
from audit.document import Document  # noqa: E402
from audit.engine import corpus_stage, run_batches  # noqa: E402
from audit.spill import ObservationStore  # noqa: E402

DATA = ROOT / "benchmarks" / ".data-consistency"  # bench_check.py owns (and wipes) .data/
SEED = 20210324
#: The people quoted in the samples: (given names, surname) as written there.
SPEAKERS = [("Mevlut", "Cavusoglu"), ("Antony", "Blinken"), ("Anthony", "Blinken"), ("Douglas", "Jones"),
            ("David", "Satterfield"), ("Emmanuel", "Macron"), ("Konstantin", "Blokhin"),
            ("Sergei", "Ermakov"), ("Ibrahim", "Kalyn"), ("Ned", "Price")]
SYLLABLES = "ka lo mi ne su ta ri vo de ba go zu ha pe li mor sen tul vak dan kir".split()


def _pool(rng: random.Random, n: int) -> list[tuple[str, str]]:
    names = set()
    while len(names) < n:
        given = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        names.add((given, surname))
    return sorted(names)


def generate(n: int, path: Path) -> None:
    from wordfreq import top_n_list

    rng = random.Random(SEED)
    samples = [p.read_text("utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    vocab = [w for w in top_n_list("en", 20000)[500:] if w.isalpha()]
    pool = _pool(rng, 5000)
    cum, total = [], 0.0
    for i in range(len(pool)):  # Zipf: a few speakers dominate
        total += 1 / (i + 1)
        cum.append(total)
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / ".gitignore").write_text("*\n")
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = samples[i % len(samples)]
            for given, surname in SPEAKERS:
                new_given, new_surname = rng.choices(pool, cum_weights=cum)[0]
                text = text.replace(f"{given} {surname}", f"{new_given} {new_surname}").replace(surname, new_surname)
            words = text.split(" ")
            for _ in range(len(words) // 16):
                j = rng.randrange(len(words))
                if words[j].isalpha() and words[j].islower():
                    words[j] = rng.choice(vocab)
            paragraphs = " ".join(words).split("\n\n")
            head, body = paragraphs[:3], paragraphs[3:]
            for _ in range(len(body) // 6):
                a, b = rng.randrange(len(body)), rng.randrange(len(body))
                body[a], body[b] = body[b], body[a]
            out.write(json.dumps({"id": f"a{i:06d}", "text": "\n\n".join(head + body)}) + "\n")


def read(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield Document(row["id"], row["text"], lang="en")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--trace", action="store_true", help="also measure peak traced memory (slow)")
    ap.add_argument("--spill-limit", type=int, default=0, metavar="N",
                    help="collect observations as audit check does, in an ObservationStore that spills to "
                         "disk past N records [0: a plain list]")
    args = ap.parse_args()
    path = DATA / f"consistency-{args.n}.jsonl"
    if not path.exists():
        t = time.perf_counter()
        generate(args.n, path)
        print(f"generated {args.n:,} articles in {time.perf_counter() - t:.1f} s -> {path} "
              f"({path.stat().st_size / 1e6:.0f} MB)")
    config = Config(select=["retranslated-quote"], lang="en", jobs=args.jobs)

    t = time.perf_counter()
    store = ObservationStore(limit=args.spill_limit) if args.spill_limit else None
    observations, docs = (store if store is not None else []), 0
    for result in run_batches(read(path), config, jobs=args.jobs):
        observations.extend(result.observations)
        docs += len(result.documents)
    doc_stage = time.perf_counter() - t
    units = sum(len(o.data["units"]) for o in observations)
    speakers = len({o.key for o in observations})
    print(f"document stage: {docs:,} articles, {len(observations):,} attributed quotations, {units:,} pieces, "
          f"{speakers:,} speakers in {doc_stage:.1f} s ({docs / doc_stage:,.0f} articles/s, jobs={args.jobs or 'all'})")

    from audit.score import PairwiseChrF

    calls = {"n": 0}
    original = PairwiseChrF.similarity

    def counted(self, a, b):
        calls["n"] += 1
        return original(self, a, b)

    PairwiseChrF.similarity = counted
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t, cpu = time.perf_counter(), time.process_time()
    findings = corpus_stage(observations, config)
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    PairwiseChrF.similarity = original
    severities = {s: sum(1 for f in findings if f.severity == s) for s in ("warning", "info")}
    print(f"corpus stage: {wall:.1f} s wall, {cpu:.1f} s CPU, process max RSS {rss_after / 1e3:,.0f} MB "
          f"(after the document stage: {rss_before / 1e3:,.0f} MB), {calls['n']:,} chrF pairs scored "
          f"(all pairs of pieces would be {units * (units - 1) // 2:,}), {len(findings):,} findings {severities}")
    if args.trace:  # peak Python memory of the corpus stage alone (tracemalloc makes it ~4x slower)
        tracemalloc.start()
        corpus_stage(observations, config)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"corpus stage peak traced memory: {peak / 1e6:,.0f} MB")
    if store is not None:
        print(f"observations spilled to disk: {store.spilled} (limit {args.spill_limit:,})")
        store.close()


if __name__ == "__main__":
    main()
