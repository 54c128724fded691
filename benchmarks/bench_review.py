"""How the review app behaves on a large corpus: 10,000 documents, ~100,000 findings.

    python benchmarks/bench_review.py                 # generate (once) and time it headless
    python benchmarks/bench_review.py --docs 2000 --jobs 2
    python benchmarks/bench_review.py --generate-only # then: audit review benchmarks/.data-review/corpus

The corpus is built deterministically from the seed articles in ``samples/``: each document
is a few consecutive paragraphs of one article with scraping residue injected (NBSP runs,
zero-width characters, doubled spaces, a space before a comma), into
``benchmarks/.data-review/corpus/`` (git-ignored by the ``.gitignore`` written there).

Reported (wall seconds, headless ``App.run_test`` at 120x36): time to the first rows in the
corpus view, time until the whole check has streamed in, a re-sort of the corpus view, opening
a document, each of the first three ``j`` after opening it, and the mean time of a key (j, a, n)
as the pilot sees it. Keys also report this process's CPU time (the check's workers are other
processes): the pilot waits for the app to go idle, so even an unbound key costs ~50 ms of wall
time here (waiting, not work; the CPU time is the work). Timings belong here, never in the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data-review"
GLITCHES = ["\u00a0 ", "\u200b", "  ", " ,", "\u00ad"]


def generate(n_docs: int, glitches_per_doc: int = 11, seed: int = 7) -> Path:
    corpus = DATA / f"corpus-{n_docs}"
    if corpus.exists() and len(list(corpus.glob("*/*.txt"))) == n_docs:
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    rng = random.Random(seed)
    articles = [p.read_text("utf-8").split("\n\n") for p in sorted((ROOT / "samples").glob("*.txt"))]
    for i in range(n_docs):
        paras = rng.choice(articles)
        start = rng.randrange(max(len(paras) - 4, 1))
        text = "\n\n".join(paras[start : start + rng.randint(2, 4)])
        words = text.split(" ")
        for _ in range(glitches_per_doc):
            j = rng.randrange(1, len(words))
            g = rng.choice(GLITCHES)
            words[j] = (words[j] + g) if g in ("\u00a0 ", "  ", " ,") else words[j][:2] + g + words[j][2:]
        folder = corpus / f"{i // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{i:05d}.txt").write_text(" ".join(words), "utf-8")
    (DATA / ".gitignore").write_text("*\n")
    return corpus


async def measure(corpus: Path, jobs: int) -> None:
    from audit.config import Config
    from audit.tui.app import ReviewApp
    from audit.tui.data import ReviewSession, stream_check
    from audit.tui.screens.document import DocumentScreen
    from audit.tui.widgets.tables import DocumentsTable

    config = Config(lang="en", jobs=jobs)
    session = ReviewSession(Path(tempfile.mkdtemp()) / "decisions.jsonl")
    app = ReviewApp(session, lambda b, e, c: stream_check([str(corpus)], config, b, e, c), corpus.name)
    t0 = time.perf_counter()
    first = None
    async with app.run_test(size=(120, 36)) as pilot:
        while not session.finished:
            await pilot.pause(0.05)
            if first is None and len(session):
                first = time.perf_counter() - t0
        loaded = time.perf_counter() - t0
        if not len(session):
            raise SystemExit(f"nothing loaded: {[n.message for n in app._notifications]} {session.errors[:3]}")
        findings = sum(len(e.findings) for e in session.entries)
        print(f"{len(session):,} documents, {findings:,} findings")
        print(f"first rows after {first:.2f}s; all loaded after {loaded:.2f}s (check with -j {jobs})")
        t = time.perf_counter()
        await pilot.press("s")  # sort by open findings
        await pilot.pause()
        print(f"re-sort of {len(app.screen.query_one(DocumentsTable).rows):,} rows: {time.perf_counter() - t:.3f}s")
        t, c = time.perf_counter(), time.process_time()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        print(f"open a document: {time.perf_counter() - t:.3f}s (CPU {time.process_time() - c:.3f}s)")
        firsts = []
        for _ in range(3):  # the first moves after opening, each on its own
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("j")
            await pilot.pause()
            firsts.append(f"{(time.perf_counter() - t) * 1000:.0f} ms (CPU {(time.process_time() - c) * 1000:.0f})")
        print(f"first j presses after opening: {', '.join(firsts)}")
        for key in ("j", "a", "n"):
            t, c = time.perf_counter(), time.process_time()
            for _ in range(20):
                await pilot.press(key)
            print(f"key {key}: {(time.perf_counter() - t) / 20 * 1000:.0f} ms per press "
                  f"(CPU {(time.process_time() - c) / 20 * 1000:.0f} ms; pilot)")
        t = time.perf_counter()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("escape")
        print(f"filter dialog open/close: {time.perf_counter() - t:.3f}s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--generate-only", action="store_true")
    args = ap.parse_args()
    t = time.perf_counter()
    corpus = generate(args.docs)
    print(f"corpus {corpus} ready in {time.perf_counter() - t:.1f}s")
    if not args.generate_only:
        asyncio.run(measure(corpus, args.jobs))


if __name__ == "__main__":
    sys.exit(main())
