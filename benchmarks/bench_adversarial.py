"""Scaling on hostile input shapes: does any rule grow faster than the text?

    python benchmarks/bench_adversarial.py [--kb 25] [--factor 4] [--shapes one-line,...] [--rules ...]

Scraped and machine-translated text comes in shapes that ordinary news never has: a whole
page on one line, a Cyrillic name every few words, a blob without spaces, every word on its
own line, a sentence repeated a thousand times, a quotation mark every few words, text that
is mojibake from end to end. A rule whose cost grows with the square of a paragraph or of a
line is invisible on the benchmark corpus and hangs a CI job on the first such page.

Each shape is built from the seed articles in ``samples/`` at ``--kb`` KB and at ``--factor``
times that, as one document (``lang="en"``), and every rule runs on both in process (after a
warm-up, so word lists and the lexicon are loaded): CPU seconds per rule at both sizes and
their ratio (the garbage collector off while a rule runs, so that its collections are not
charged to another rule). A ratio well above the size factor (``superlinear`` is printed
above twice the factor) means the rule grows faster than linearly on that shape. Timings
belong here, never in the tests; the tests keep the shapes (tests/hostile_shapes.py) and
check the findings (tests/test_hostile.py).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile_shapes import HOSTILE_PAIRS, HOSTILE_SHAPES, hostile_pair, hostile_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kb", type=float, default=25.0, help="Size of the smaller document [25 KB].")
    ap.add_argument("--factor", type=int, default=4, help="The larger document is this many times the smaller [4].")
    ap.add_argument("--shapes", default=",".join(HOSTILE_SHAPES + HOSTILE_PAIRS),
                    help="Comma-separated shapes; the pair shapes (" + ", ".join(HOSTILE_PAIRS) + ") are a target "
                    "with a Russian source [all].")
    ap.add_argument("--rules", default="", help="Comma-separated rules [every rule].")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)

    from audit.config import Config
    from audit.detectors import Context
    from audit.document import Document
    from audit.engine import enabled_detectors

    config = Config(select=[r for r in args.rules.split(",") if r])
    ctx = Context(config=config)
    detectors = enabled_detectors(config)
    warm = Document("warm", hostile_text("one-line", 20_000, random.Random(0)), lang="en")
    for det in detectors:
        list(det.find(warm, ctx))

    def cost(text: str, source: str | None = None) -> dict[str, float]:
        doc = Document("d", text, lang="en", source=source, source_lang="ru" if source else None)
        out = {}
        t = time.process_time()
        doc.paragraphs, doc.sentences, doc.chars  # noqa: B018 (shared by several rules)
        out["(segmentation)"] = time.process_time() - t
        for det in detectors:
            # the cyclic collector off while a rule runs: a collection that a large document's
            # objects trigger would be charged to whichever rule happens to allocate then
            gc.collect()
            gc.disable()
            t = time.process_time()
            if det.could_fire(doc):
                list(det.find(doc, ctx))
            out[det.name] = time.process_time() - t
            gc.enable()
        return out

    small_n = int(args.kb * 1000)
    print(f"{'shape':<22}{'rule':<26}{'small s':>9}{'large s':>9}{'ratio':>7}")
    worst = []
    for shape in args.shapes.split(","):
        make = hostile_pair if shape in HOSTILE_PAIRS else (lambda *a: (hostile_text(*a), None))
        small = cost(*make(shape, small_n, random.Random(args.seed)))
        large = cost(*make(shape, small_n * args.factor, random.Random(args.seed)))
        total_s, total_l = sum(small.values()), sum(large.values())
        for rule in sorted(large, key=lambda r: -large[r]):
            s, l = small[rule], large[rule]
            ratio = l / s if s > 1e-4 else float("nan")
            flag = "  superlinear" if l > 0.05 and ratio > 2 * args.factor else ""
            if flag or rule == max(large, key=large.get):
                print(f"{shape:<22}{rule:<26}{s:>9.3f}{l:>9.3f}{ratio:>7.1f}{flag}")
            if flag:
                worst.append((shape, rule, ratio))
        print(f"{shape:<22}{'(all rules)':<26}{total_s:>9.3f}{total_l:>9.3f}{total_l / max(total_s, 1e-9):>7.1f}"
              f"   {small_n * args.factor / 1e6 / max(total_l, 1e-9):.2f} MB/CPU-s at the larger size")
    print(f"\n{len(worst)} superlinear (shape, rule) pairs" + (": " + ", ".join(f"{s}/{r} ×{x:.0f}" for s, r, x in worst) if worst else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
