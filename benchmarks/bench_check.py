"""Throughput and memory of ``audit check --format jsonl`` on a generated corpus.

Builds a corpus of at least ``--size-mb`` megabytes from ``samples/`` (varied a little,
with glitches injected) in two shapes — many ``.txt`` files in a directory tree and one big
JSONL file — then runs ``audit check CORPUS --format jsonl --output /dev/null -jN`` as a
subprocess for each shape and job count, and prints MB/s and peak RSS as a table.

Peak RSS is reported twice: the whole process tree (the audit process plus its workers,
sampled from /proc every 50 ms, summed) and the largest single process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper that runs only that command).

The corpus goes to ``benchmarks/.data/<size>mb-seed<seed>-glitch<rate>/`` (git-ignored, never
committed) and is reused while it exists; ``--rebuild`` regenerates it.

    python benchmarks/bench_check.py                      # 200 MB, encoding+script, -j1 and -j2
    python benchmarks/bench_check.py --size-mb 20 --select whitespace --jobs 2 --shape jsonl
    python benchmarks/bench_check.py --size-mb 20 --select all --ignore names --shape jsonl   # every default rule
    python benchmarks/bench_check.py --size-mb 20 --per-rule 5 --select all   # + CPU per rule, in process

``--select all`` runs ``audit check`` with its default rule set (no ``--select``). ``--per-rule MB``
adds a table of steady-state CPU seconds per rule (and for segmentation and finalisation) over
the first MB of the JSONL corpus, measured in this process with ``audit.engine`` after a
warm-up on other documents (lexicons and models loaded), so it shows where a run spends its time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / ".data"
FILES_PER_DIR = 500

# -- corpus generation ------------------------------------------------------------------------
#: Glitches of the kinds issue 2's detectors look for, injected at random word positions.
GLITCHES = (
    lambda w: w + "\u00a0",                                          # NBSP + space residue
    lambda w: w[:1] + "\u200b" + w[1:],                              # zero-width space
    lambda w: w.replace("e", "\u0435", 1),                           # Cyrillic е look-alike
    lambda w: w.encode("utf-8").decode("cp1252", "replace") if not w.isascii() else w + " ",  # mojibake / double space
    lambda w: w + " ,",                                              # space before punctuation
    lambda w: w[:2] + "\u00ad" + w[2:] if len(w) > 4 else w,          # soft hyphen
    lambda w: "C-400" if w == "S-400" else w,                        # homoglyph designation
    lambda w: w[:-1] + "\ufffd" if len(w) > 3 else w,                # lost character
)
#: Share of words that get a glitch: about one per 500 words, three or four per article.
GLITCH_RATE = 0.002
NAMES = ("Blinken", "Cavusoglu", "Erdogan", "Lavrov", "Macron", "Stoltenberg", "Kalin", "Jones", "Ermakov")


def vary(text: str, rng: random.Random, glitch_rate: float) -> str:
    """A variant of an article: paragraphs reordered a little, names and numbers changed, glitches."""
    paras = text.split("\n\n")
    for _ in range(max(1, len(paras) // 6)):
        i, j = rng.randrange(len(paras)), rng.randrange(len(paras))
        paras[i], paras[j] = paras[j], paras[i]
    text = "\n\n".join(paras)
    a, b = rng.sample(NAMES, 2)
    text = text.replace(a, b)
    words = text.split(" ")
    for _ in range(int(len(words) * glitch_rate)):
        k = rng.randrange(len(words))
        words[k] = rng.choice(GLITCHES)(words[k])
    return " ".join(words).replace("2021", str(rng.randrange(1995, 2030)))


def build(size_mb: float, seed: int, rebuild: bool) -> tuple[Path, Path]:
    """The directory corpus and the JSONL corpus, each at least ``size_mb`` MB of UTF-8.

    Each (size, seed, glitch rate) gets its own folder, built under a temporary name and
    renamed when complete, so runs with other settings (or at the same time) never clobber it.
    """
    want = {"size_mb": size_mb, "seed": seed, "glitch_rate": GLITCH_RATE,
            "samples": sorted(p.name for p in SAMPLES.glob("*.txt"))}
    home = DATA / f"{size_mb:g}mb-seed{seed}-glitch{GLITCH_RATE:g}"
    tree, jsonl, stamp = home / "tree", home / "corpus.jsonl", home / "corpus.json"
    if rebuild:
        shutil.rmtree(home, ignore_errors=True)
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return tree, jsonl
    work = DATA / f".building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "tree").mkdir(parents=True)
    samples = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    rng = random.Random(seed)
    target = int(size_mb * 1e6)
    written = n = 0
    started = time.perf_counter()
    with open(work / "corpus.jsonl", "w", encoding="utf-8") as out:
        while written < target:
            # documents of one to three articles: 2–25 kB, like news pages
            text = "\n\n".join(vary(rng.choice(samples), rng, GLITCH_RATE) for _ in range(rng.randint(1, 3)))
            data = text.encode("utf-8")
            folder = work / "tree" / f"{n // FILES_PER_DIR:04d}"
            if n % FILES_PER_DIR == 0:
                folder.mkdir()
            (folder / f"{n:06d}.txt").write_bytes(data)
            out.write(json.dumps({"id": f"doc-{n:06d}", "text": text}, ensure_ascii=False) + "\n")
            written += len(data)
            n += 1
    (work / "corpus.json").write_text(json.dumps(want))
    shutil.rmtree(home, ignore_errors=True)
    os.replace(work, home)
    print(f"built {n:,} documents, {written / 1e6:,.0f} MB per shape in {time.perf_counter() - started:.0f} s "
          f"-> {home.relative_to(ROOT)}", file=sys.stderr)
    return tree, jsonl


def corpus_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*.txt"))


# -- measurement ------------------------------------------------------------------------------
def _tree_rss(root: int) -> int:
    """Summed resident memory (bytes) of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total = 0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += rss[pid]
    return total


#: Runs one command and reports the largest resident set of its process tree's members.
WRAPPER = (
    "import resource, subprocess, sys, json;"
    "rc = subprocess.call(sys.argv[1:]);"
    "ru = resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print(json.dumps({'rc': rc, 'maxrss_kb': ru.ru_maxrss, 'cpu': ru.ru_utime + ru.ru_stime}))"
)


def measure(cmd: list[str]) -> dict:
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    if os.path.isdir("/proc"):
        sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    report = json.loads(out.strip().splitlines()[-1])
    if report["rc"] not in (0, 1):
        raise SystemExit(f"audit check failed ({report['rc']}): {err[-2000:]}")
    return {"seconds": seconds, "cpu": report["cpu"], "tree_rss_mb": peak / 1e6 or None,
            "max_rss_mb": report["maxrss_kb"] / 1e3}


def per_rule(jsonl: Path, mb: float, select: str, ignore: str, lang: str) -> None:
    """Steady-state CPU seconds per rule over the first ``mb`` MB of the corpus, in process."""
    sys.path.insert(0, str(ROOT))
    from audit.config import Config
    from audit.detectors import Context, CorpusDetector
    from audit.document import Document
    from audit.engine import enabled_detectors, finalize, resolve_language

    config = Config(select=[] if select == "all" else select.split(","), ignore=[r for r in ignore.split(",") if r])
    ctx = Context(config=config)
    detectors = [d for d in enabled_detectors(config)
                 if not (isinstance(d, CorpusDetector) and type(d).find is CorpusDetector.find)]
    rows: list[dict] = []
    measured = 0  # bytes after the 50 warm-up documents
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) > 50:
                measured += len(rows[-1]["text"].encode())
                if measured >= mb * 1e6:
                    break
    doc_lang = None if lang == "detect" else lang

    def run(batch, cost):
        for r in batch:
            doc = Document(r["id"], r["text"], lang=doc_lang)
            t = time.process_time()
            if doc.lang is None:
                resolve_language(doc, ctx)
                cost["(language)"] = cost.get("(language)", 0.0) + time.process_time() - t
                t = time.process_time()
            doc.paragraphs, doc.sentences  # noqa: B018 (segmentation, shared by several rules)
            cost["(segmentation)"] = cost.get("(segmentation)", 0.0) + time.process_time() - t
            found = []
            for det in detectors:
                t = time.process_time()
                if det.could_fire(doc):
                    found.extend(det.find(doc, ctx))
                cost[det.name] = cost.get(det.name, 0.0) + time.process_time() - t
            t = time.process_time()
            finalize(doc, found, config)
            cost["(finalize)"] = cost.get("(finalize)", 0.0) + time.process_time() - t

    run(rows[:50], {})  # warm-up: lexicons, word lists, models
    cost: dict[str, float] = {}
    run(rows[50:], cost)
    size = sum(len(r["text"].encode()) for r in rows[50:]) / 1e6
    total = sum(cost.values())
    print(f"\nCPU per rule, document stage, in process (steady state; {size:.1f} MB, {len(rows) - 50} documents;"
          f" corpus-stage work of corpus rules not included)")
    print(f"{'rule':<28}{'CPU s':>8}{'share':>7}{'MB/CPU-s':>10}")
    for name, sec in sorted(cost.items(), key=lambda kv: -kv[1]):
        print(f"{name:<28}{sec:>8.2f}{sec / total:>7.0%}{size / max(sec, 1e-9):>10.1f}")
    print(f"{'total':<28}{total:>8.2f}{1:>7.0%}{size / total:>10.1f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=200, help="Corpus size per shape [200].")
    ap.add_argument("--select", default="encoding,script",
                    help="Rules or categories to run, or 'all' for the default rule set [encoding,script].")
    ap.add_argument("--ignore", default="", help="Rules or categories to leave out (e.g. names) [none].")
    ap.add_argument("--per-rule", type=float, default=0, metavar="MB",
                    help="Also print CPU seconds per rule over the first MB of the corpus, in process [off].")
    ap.add_argument("--no-check", action="store_true", help="Only the --per-rule table, no audit check runs.")
    ap.add_argument("--jobs", default="1,2", help="Job counts to measure, comma-separated [1,2].")
    ap.add_argument("--shape", choices=("tree", "jsonl", "both"), default="both", help="Corpus shape(s) [both].")
    ap.add_argument("--lang", default="en", help="--lang passed to audit check ['en'; 'detect' to detect].")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--rebuild", action="store_true", help="Regenerate the corpus.")
    args = ap.parse_args(argv)

    tree, jsonl = build(args.size_mb, args.seed, args.rebuild)
    shapes = {"tree": [tree], "jsonl": [jsonl], "both": [tree, jsonl]}[args.shape]
    rows = []
    for path in [] if args.no_check else shapes:
        mb = corpus_bytes(path) / 1e6
        for jobs in [int(j) for j in args.jobs.split(",")]:
            cmd = [sys.executable, "-m", "audit", "check", str(path), "--format", "jsonl", "--output", os.devnull,
                   f"-j{jobs}", "--fail-on", "never"]
            if args.select != "all":
                cmd += ["--select", args.select]
            if args.ignore:
                cmd += ["--ignore", args.ignore]
            if args.lang != "detect":
                cmd += ["--lang", args.lang]
            m = measure(cmd)
            rows.append((path.name if path.is_file() else "tree/*.txt", mb, jobs, m))
            print(f"  {rows[-1][0]} -j{jobs}: {mb / m['seconds']:.1f} MB/s", file=sys.stderr)
    if args.per_rule:
        per_rule(jsonl, args.per_rule, args.select, args.ignore, args.lang)
    if not rows:
        return 0
    rules = "(default rules)" if args.select == "all" else f"--select {args.select}"
    rules += f" --ignore {args.ignore}" if args.ignore else ""
    print(f"\naudit check --format jsonl {rules} --lang {args.lang}  "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(f"{'corpus':<14}{'MB':>7}{'jobs':>5}{'wall s':>8}{'MB/s':>7}{'CPU s':>8}{'MB/CPU-s':>10}"
          f"{'tree RSS MB':>13}{'max proc RSS MB':>17}")
    for name, mb, jobs, m in rows:
        tree_rss = f"{m['tree_rss_mb']:.0f}" if m["tree_rss_mb"] else "n/a"
        print(f"{name:<14}{mb:>7.0f}{jobs:>5}{m['seconds']:>8.1f}{mb / m['seconds']:>7.1f}{m['cpu']:>8.1f}"
              f"{mb / m['cpu']:>10.1f}{tree_rss:>13}{m['max_rss_mb']:>17.0f}")
    print("MB/s is wall-clock throughput; MB/CPU-s divides by the CPU time of the whole process tree "
          "(steadier on a busy machine).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
