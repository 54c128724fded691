"""Language identification: lingua vs langdetect, on the same data — accuracy and speed.

Two measurements, both offline and deterministic:

1. **Identification** — every sentence of the clean paragraphs in
   ``tests/fixtures/langid/clean/<lang>.txt`` and every short string in
   ``tests/fixtures/langid/short.toml``, identified among the default configured
   languages (en, ru, tr, de, fr, uk). Accuracy and sentences per second per backend.
2. **The rule** (``untranslated-passage``) with each backend: each clean text of language
   L gets one sentence (or one short string) of another language inserted after its
   second sentence; a hit is a finding that overlaps the inserted text, a false positive
   any other finding. Also: findings on the clean texts as they are.

Run: ``python benchmarks/bench_langid.py`` (add ``--markdown`` for the docs table).
"""

from __future__ import annotations

import argparse
import time
import tomllib
from pathlib import Path

from audit.api import audit_docs
from audit.config import Config
from audit.document import Document
from audit.langid import make_identifier

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "fixtures" / "langid"
LANGS = ["en", "ru", "tr", "de", "fr", "uk"]
BACKENDS = ["lingua", "langdetect"]


def clean_texts() -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in sorted((DATA / "clean").glob("*.txt"))}


def sentences(texts: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for lang, text in texts.items():
        doc = Document(lang, text, lang=lang)
        out += [(lang, text[s.start : s.end]) for s in doc.sentences if len(text[s.start : s.end].split()) >= 4]
    return out


def short_strings() -> list[tuple[str, str]]:
    data = tomllib.loads((DATA / "short.toml").read_text("utf-8"))
    return [(lang, s) for lang, items in data.items() for s in items]


def identification(backend: str, items: list[tuple[str, str]]) -> tuple[float, float, float]:
    """(accuracy, items per second, build seconds)."""
    t0 = time.perf_counter()
    ident = make_identifier(backend, LANGS)
    ident.identify("warm up the models once", among=None)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    right = 0
    for lang, text in items:
        ranked = ident.identify(text)
        right += bool(ranked) and ranked[0][0] == lang
    elapsed = time.perf_counter() - t0
    return right / len(items), len(items) / elapsed, build


def insertion_docs(texts, inserts, own_line: bool = False) -> list[tuple[Document, tuple[int, int]]]:
    """Each text with one insert: after its second sentence, or (``own_line``) as a line of
    its own after the first paragraph, as captions and interface strings appear."""
    docs = []
    for lang, text in texts.items():
        base = Document(lang, text, lang=lang)
        cut = base.paragraphs[0].end if own_line else base.sentences[1].end
        sep = "\n\n" if own_line else " "
        for i, (other, snippet) in enumerate(inserts):
            if other == lang:
                continue
            new = text[:cut] + sep + snippet + text[cut:]
            at = cut + len(sep)
            docs.append((Document(f"{lang}<{other}#{i}", new, lang=lang), (at, at + len(snippet))))
    return docs


def rule_scores(backend: str, docs) -> tuple[int, int, int, float]:
    """(hits, misses, false positives, seconds)."""
    config = Config(langid=backend, select=["untranslated-passage"])
    t0 = time.perf_counter()
    found = audit_docs([d for d, _ in docs], config)
    elapsed = time.perf_counter() - t0
    by_doc: dict[str, list] = {}
    for f in found:
        by_doc.setdefault(f.doc, []).append(f)
    hits = misses = fps = 0
    for doc, (s, e) in docs:
        fs = by_doc.get(doc.id, [])
        hit = [f for f in fs if f.start < e and s < f.end]
        hits += bool(hit)
        misses += not hit
        fps += len(fs) - len(hit)
    return hits, misses, fps, elapsed


def clean_fps(backend: str, texts) -> int:
    config = Config(langid=backend, select=["untranslated-passage"])
    return len(audit_docs([Document(lang, t, lang=lang) for lang, t in texts.items()], config))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table for docs/langid.md")
    args = parser.parse_args()
    texts = clean_texts()
    sents, shorts = sentences(texts), short_strings()
    long_inserts = [(lang, s) for lang, s in sents if len(s.split()) >= 6][::2]
    rows = []
    for backend in BACKENDS:
        acc_s, speed_s, build = identification(backend, sents)
        acc_short, speed_short, _ = identification(backend, shorts)
        h, m, fp, secs = rule_scores(backend, insertion_docs(texts, long_inserts))
        hs, ms, fps_, _ = rule_scores(backend, insertion_docs(texts, shorts, own_line=True))
        rows.append((backend, acc_s, acc_short, speed_s, build, h, h + m, fp, hs, hs + ms, fps_, clean_fps(backend, texts), secs))
    print(f"data: {len(sents)} sentences, {len(shorts)} short strings, {len(texts)} clean texts; "
          f"candidates: {', '.join(LANGS)}")
    head = ("| backend | sentence accuracy | short-string accuracy | sentences/s | build (s) "
            "| rule: inserted sentences found | FPs in those docs | rule: short lines found "
            "| FPs in those docs | FPs on clean texts | rule time (s) |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for b, acc_s, acc_short, speed, build, h, n, fp, hs, ns, fps_, cfp, secs in rows:
        print(f"| {b} | {acc_s:.1%} | {acc_short:.1%} | {speed:,.0f} | {build:.2f} | {h}/{n} | {fp} "
              f"| {hs}/{ns} | {fps_} | {cfp} | {secs:.2f} |")


if __name__ == "__main__":
    main()
