"""Hostile input shapes built from the seed articles: what scraped and machine-translated text
looks like at its worst. Shared by tests/test_hostile.py (findings, offsets, no rule failing)
and benchmarks/bench_adversarial.py (how each rule's cost grows with the text)."""

from __future__ import annotations

import base64
import random
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RU_NAMES = ["Ибрагим Калын", "Сергей Лавров", "Мевлют Чавушоглу", "Энтони Блинкен", "С-400"]


def _prose() -> str:
    return "\n\n".join(p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt")))


def _fill(unit, size: int) -> str:
    parts, n = [], 0
    while n < size:
        piece = unit()
        parts.append(piece)
        n += len(piece)
    return "".join(parts)[:size]


def hostile_text(shape: str, size: int, rng: random.Random) -> str:
    """About ``size`` characters of text of the given shape (see :data:`HOSTILE_SHAPES`)."""
    prose = _prose()
    words = prose.split()
    if shape == "one-line":  # a scraped page whose line breaks were lost
        flat = " ".join(words) + " "
        return _fill(lambda: flat, size)
    if shape == "cyrillic-names":  # a half-translated page: a Cyrillic name every few words
        return _fill(lambda: f"{rng.choice(RU_NAMES)} said {' '.join(rng.sample(words, 3))} ", size)
    if shape == "russian-paragraph":  # a long untranslated passage on one line
        return "The minister said: " + _fill(lambda: f"{rng.choice(RU_NAMES)} заявил, что переговоры продолжатся. ", size)
    if shape == "blob":  # base64 and markup residue, no spaces
        return base64.b64encode(rng.randbytes(size * 3 // 4)).decode("ascii")[:size]
    if shape == "long-word":  # a hex digest or a key pasted without a break, then prose
        return _fill(lambda: "".join(rng.choice("0123456789abcdefABCDEF") for _ in range(size // 2)) + ".tar.gz " + " ".join(words[:50]) + " ", size)
    if shape == "word-per-line":  # a table or a list flattened to one word per line
        return "\n".join(words[i % len(words)] for i in range(size // 6))
    if shape == "repeated-sentence":  # one sentence a thousand times (a scraper loop)
        return _fill(lambda: "Turkey's acquisition of the S-400 is a closed issue, Cavusoglu told Blinken. ", size)
    if shape == "repeated-line":  # the same caption on every line
        return _fill(lambda: "Former US leader Donald Trump imposed sanctions over the S-400 acquisition [File: Reuters]\n", size)
    if shape == "quotes":  # a quotation mark every few words, never balanced
        return _fill(lambda: " ".join(rng.sample(words, 4)) + rng.choice(['"', "“", "”", "«", "„", "'"]) + " ", size)
    if shape == "capitals":  # Title Case From End To End
        return _fill(lambda: " ".join(w.capitalize() for w in rng.sample(words, 8)) + " ", size)
    if shape == "mojibake":  # UTF-8 read as cp1252 from end to end
        src = _fill(lambda: "Mevlüt Çavuşoğlu ve İbrahim Kalın “açıkladı” — Yeni Şafak. ", size // 2)
        return src.encode("utf-8").decode("cp1252", errors="replace")[:size]
    if shape == "invisible":  # a zero-width character between letters
        flat = " ".join(words[:400])
        return _fill(lambda: "\u200b".join(flat) + " ", size)
    if shape == "homoglyphs":  # a Cyrillic look-alike in every word
        swap = str.maketrans("aeoc", "аеос")
        return _fill(lambda: " ".join(w.translate(swap) if rng.random() < 0.8 else w for w in rng.sample(words, 10)) + " ", size)
    if shape == "numbers":  # tables of figures and designations
        return _fill(lambda: f"S-{rng.randint(1, 999)} {rng.randint(0, 10**6):,} {rng.random():.3f} 70x{rng.randint(1, 300)} ", size)
    if shape == "whitespace":  # runs of spaces, tabs and no-break spaces
        return _fill(lambda: rng.choice(words) + rng.choice(["  ", "\t", "\u00a0\u00a0", " \u00a0 ", "   \n"]), size)
    if shape == "book":  # a book-length document: thousands of paragraphs on one story
        paras = [p for p in prose.split("\n\n") if p.strip()]

        def para():
            ws = rng.choice(paras).split(" ")
            for _ in range(max(1, len(ws) // 10)):  # reworded a little: not exact repeats
                ws[rng.randrange(len(ws))] = rng.choice(words)
            return " ".join(ws) + "\n\n"
        return _fill(para, size)
    raise ValueError(f"unknown shape {shape!r}")


#: Every shape :func:`hostile_text` builds.
HOSTILE_SHAPES = ("one-line", "cyrillic-names", "russian-paragraph", "blob", "long-word", "word-per-line", "repeated-sentence",
                  "repeated-line", "quotes", "capitals", "mojibake", "invisible", "homoglyphs", "numbers", "whitespace",
                  "book")


def hostile_pair(shape: str, size: int, rng: random.Random) -> tuple[str, str]:
    """(target, Russian source) of about ``size`` characters each (see :data:`HOSTILE_PAIRS`)."""
    if shape == "pasted-source":  # a one-line page against a source of many short sentences
        return hostile_text("one-line", size, rng), hostile_text("russian-paragraph", size, rng)
    if shape == "numbers-page":  # tables of figures on both sides, no sentence end
        return hostile_text("numbers", size, rng), hostile_text("numbers", size, random.Random(rng.random()))
    if shape == "markup-page":  # tags, links, hashtags and placeholders, the source's lost
        flat = " ".join(_prose().split())
        words = flat.split()[: size // 30]
        tags = "".join(f"<b>{w}</b> http://x.com/{i} #{w} {{{i}}} " for i, w in enumerate(words))[:size]
        return flat[:size], tags
    if shape == "copy":  # the source left as the translation
        one = hostile_text("one-line", size, rng)
        return one, one
    raise ValueError(f"unknown pair shape {shape!r}")


#: Every (target, source) shape :func:`hostile_pair` builds.
HOSTILE_PAIRS = ("pasted-source", "numbers-page", "markup-page", "copy")
