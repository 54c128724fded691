"""Names lexicon at scale: load + variant generation of a 50,000-entity lexicon, and matching speed.

    python benchmarks/bench_names.py [--entities 50000] [--mb 20] [--jobs 2] [--phases]

Generates a deterministic lexicon (seeded): 40% Russian people (Russian + English forms),
30% Turkish people (Turkish + English + Russian), 20% Western people (English + Russian),
10% organisations and designations. Reports the cold load time in a fresh process with the
on-disk cache bypassed (reading, validation, variant generation, index; the import of
``audit`` is timed apart), the matcher build time, the load of the same lexicon from the
on-disk cache in a fresh process (``$AUDIT_CACHE_DIR``, here a temporary directory), and
matching throughput of the lexicon matcher and of the full names analysis (full, surname and
glitch mentions, name words and runs) over generated news-like text in 1 MB documents, on
``--jobs`` processes.
Targets (issue 4): load < 5 s; matching ≥ 20 MB/s on 2 cores. Wall and CPU times are both
printed: the machine is shared, and CPU seconds are the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

RU_FIRST = "Сергей Александр Дмитрий Алексей Андрей Михаил Николай Владимир Юрий Евгений Константин Павел Игорь Олег Пётр Фёдор Илья Максим Виктор Григорий".split()
RU_SYL = "ка ло ми ре ша то ви ну го ле за бо ры пе со да ха же чу ще ля ю ёр ти".split()
RU_END = "ов ев ин ский цкий енко ян ук".split()
TR_FIRST = "Mehmet Ahmet Mustafa Ali Hüseyin Hasan İbrahim Murat Ömer Yaşar Selçuk Şükrü Güler Çağrı Ümit".split()
TR_SYL = "ka lı ço şa ğu de mi rü ba tü ke sö yı ha la ce gü".split()
TR_END = "oğlu er han can taş ay"
EN_FIRST = "John Michael David James Robert William Richard Thomas Mark Paul Steven Andrew Kenneth Joshua".split()
EN_SYL = "har ri son wil ki mer ton ford ley ham ing by ster wood".split()
FILLER = ("The minister said on Wednesday that talks would continue despite the differences. "
          "Officials in the capital declined to comment on the report, which cited two sources. ")


def _unique(i, syl, rng):
    """Syllables spelling the number ``i`` (so every surname is distinct), plus one at random."""
    out = [rng.choice(syl)]
    while True:
        i, r = divmod(i, len(syl))
        out.append(syl[r])
        if not i:
            return "".join(out)


def _ru_name(rng, i):
    return f"{rng.choice(RU_FIRST)} {(_unique(i, RU_SYL, rng) + rng.choice(RU_END)).capitalize()}"


def _tr_name(rng, i):
    return f"{rng.choice(TR_FIRST)} {(_unique(i, TR_SYL, rng) + rng.choice(TR_END.split())).capitalize()}"


def _en_name(rng, i):
    return f"{rng.choice(EN_FIRST)} {_unique(i, EN_SYL, rng).capitalize()}"


def write_lexicon(path: Path, n: int, seed: int = 7) -> list[str]:
    """A generated lexicon; returns a sample of Latin forms to sprinkle into the text."""
    from anyascii import anyascii

    from audit.lexicon.romanise import romanise

    rng = random.Random(seed)
    rows, latin = ["id,type,lang,form,status"], []
    for i in range(n):
        eid = f"e{i}"
        r = rng.random()
        if r < 0.4:
            ru = _ru_name(rng, i)
            en = romanise(ru, "wikipedia")
            rows += [f"{eid},person,ru,{ru},canonical", f"{eid},person,en,{en},canonical"]
            latin.append(en)
        elif r < 0.7:
            tr = _tr_name(rng, i)
            en = anyascii(tr)
            rows += [f"{eid},person,tr,{tr},canonical", f"{eid},person,en,{en},canonical",
                     f"{eid},person,ru,{romanise_tr(tr)},canonical"]
            latin.append(en)
        elif r < 0.9:
            en = _en_name(rng, i)
            rows += [f"{eid},person,en,{en},canonical", f"{eid},person,ru,{en_to_ru(en)},canonical"]
            latin.append(en)
        else:
            en = f"{rng.choice('SFTKM')}{rng.choice(['', 'u', 'a'])}-{i}"
            rows += [f"{eid},weapon,en,{en},canonical"]
            latin.append(en)
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return latin


_TR2RU = str.maketrans({"ş": "ш", "ç": "ч", "ğ": "", "ı": "ы", "ö": "ё", "ü": "ю", "c": "дж", "a": "а", "b": "б",
                        "d": "д", "e": "е", "g": "г", "h": "х", "i": "и", "k": "к", "l": "л", "m": "м", "n": "н",
                        "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "y": "й", "z": "з",
                        "f": "ф", "İ": "И", "Ö": "Ё", "Ü": "Ю", "Ç": "Ч", "Ş": "Ш"})
_EN2RU = str.maketrans({"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
                        "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
                        "t": "т", "u": "у", "v": "в", "w": "у", "y": "й", "z": "з", "x": "кс", "q": "к"})


def romanise_tr(tr: str) -> str:
    return " ".join(w[0].translate(_TR2RU).upper() + w[1:].lower().translate(_TR2RU)
                    if w[0] not in "İÖÜÇŞ" else w[0].translate(_TR2RU) + w[1:].lower().translate(_TR2RU)
                    for w in tr.split())


def en_to_ru(en: str) -> str:
    return " ".join(w.lower().translate(_EN2RU).capitalize() for w in en.split())


def make_text(latin: list[str], mb: float, seed: int = 11) -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    target = int(mb * 1_000_000)
    while size < target:
        chunk = FILLER + f"{rng.choice(latin)} told reporters. " + FILLER
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


_LEX = None


def _init(path: str) -> None:
    global _LEX
    from audit.lexicon import load_lexicon

    _LEX = load_lexicon((path,), False)
    _LEX.matcher  # noqa: B018 - build the matcher before timing


def _match(text: str) -> tuple[int, float]:
    t = time.process_time()
    n = len(_LEX.matcher.full(text))
    return n, time.process_time() - t


def _analyse(text: str) -> int:
    from audit.config import Config
    from audit.detectors import Context
    from audit.detectors.names import analyse
    from audit.document import Document

    ctx = Context(config=Config(lexicons=[str(_LEX.files[0])], builtin_lexicons=False))
    ctx.cache[f"lexicon:names:{(str(_LEX.files[0]),)}:False"] = _LEX
    t = time.process_time()
    a = analyse(Document("d", text, lang="en"), ctx)
    a.words  # noqa: B018 - the name words and runs too (name-inconsistent, name-suspect)
    return len(a.mentions), time.process_time() - t


#: Run in a fresh interpreter: import, then time the load of the lexicon at argv[1] (argv[2]:
#: "cold" bypasses the on-disk cache, "cache" goes through it) and the matcher's build.
_LOAD = """
import sys, time
c0 = time.process_time()
from audit import lexicon as lexmod
c1, t = time.process_time(), time.perf_counter()
lex = lexmod.Lexicon.load([sys.argv[1]], builtin=False) if sys.argv[2] == "cold" else \\
    lexmod.load_lexicon((sys.argv[1],), False)
t_load, c_load = time.perf_counter() - t, time.process_time() - c1
t, c = time.perf_counter(), time.process_time()
lex.matcher
t_auto, c_auto = time.perf_counter() - t, time.process_time() - c
generated = sum(f.generated for f in lex.all_forms)
print(len(lex.entities), len(lex.all_forms) - generated, generated, len(lex.issues), c1 - c0,
      t_load, c_load, t_auto, c_auto)
"""


#: Run in a fresh interpreter: the cold load of the lexicon at argv[1] with each phase timed
#: (CPU seconds) by wrapping the functions that do it, and the forms counted by kind.
_PHASES = """
import sys, time
from collections import Counter
from audit import lexicon as lexmod
from audit.lexicon import matcher, variants

spent = Counter()

def timed(owner, name, label):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        t = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - t
    setattr(owner, name, wrapper)

timed(lexmod, "read_file", "read and validate the files")
timed(lexmod, "build_entities", "entities")
timed(variants._Romaniser, "want", "Cyrillic words collected")
timed(variants._Romaniser, "run", "romanisation (every scheme)")
timed(variants._Romaniser, "texts", "  of which romanised forms (texts)")
timed(variants, "_entity_forms", "forms of each entity")
timed(variants, "_resolve", "collisions")
timed(lexmod.Lexicon, "__init__", "indexes (Lexicon.__init__)")
timed(matcher.Matcher, "__init__", "matcher")
t = time.process_time()
lex = lexmod.Lexicon.load([sys.argv[1]], builtin=False)
lex.matcher
total = time.process_time() - t
kinds = Counter("listed" if not f.generated else "mixed" if "mixed with" in f.reason else
                "romanised" if " via " in f.reason else "other" for f in lex.all_forms)
order = ["read and validate the files", "entities", "Cyrillic words collected", "romanisation (every scheme)",
         "forms of each entity", "  of which romanised forms (texts)", "collisions", "indexes (Lexicon.__init__)",
         "matcher"]
for label in order:
    print(f"  {label:36s} {spent[label]:6.2f} s")
print(f"  {'total':36s} {total:6.2f} s")
print("  forms: " + ", ".join(f"{k} {v:,}" for k, v in kinds.most_common()))
"""


def _fresh_load(path: Path, mode: str, env: dict) -> list[float]:
    out = subprocess.run([sys.executable, "-c", _LOAD, str(path), mode], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return [float(x) for x in out]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=50_000)
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--phases", action="store_true",
                    help="also time each phase of the cold load (CPU seconds, in a fresh process)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "names-bench.csv"
        latin = write_lexicon(path, args.entities)
        env = {**os.environ, "AUDIT_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("AUDIT_NO_CACHE", None)
        n_ent, listed, generated, issues, c_import, t_load, c_load, t_auto, c_auto = _fresh_load(path, "cold", env)
        print(f"lexicon: {n_ent:.0f} entities, {listed:.0f} listed + {generated:.0f} generated forms, "
              f"{issues:.0f} collision warnings")
        print(f"cold load in a fresh process, no disk cache (read, validate, generate variants, index): "
              f"{t_load:.2f} s ({c_load:.2f} s CPU); matcher: {t_auto:.2f} s ({c_auto:.2f} s CPU); "
              f"total {t_load + t_auto:.2f} s ({c_load + c_auto:.2f} s CPU) (target < 5 s; "
              f"importing audit before it: {c_import:.2f} s CPU)")
        if args.phases:
            print("cold load by phase (CPU seconds, the phases' functions timed in a fresh process):")
            print(subprocess.run([sys.executable, "-c", _PHASES, str(path)], env=env, check=True,
                                 capture_output=True, text=True).stdout, end="")
        _fresh_load(path, "cache", env)  # writes the on-disk cache
        *_, t_load, c_load, t_auto, c_auto = _fresh_load(path, "cache", env)
        print(f"warm load in a fresh process from the on-disk cache (lexicon + matcher): {t_load + t_auto:.2f} s "
              f"({c_load + c_auto:.2f} s CPU)")

        text = make_text(latin, args.mb)
        chunk = 1_000_000
        chunks = [text[i:i + chunk] for i in range(0, len(text), chunk)]
        mb = len(text.encode("utf-8")) / 1e6
        os.environ["AUDIT_CACHE_DIR"] = env["AUDIT_CACHE_DIR"]  # the workers load from the cache
        with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn"), initializer=_init,
                                 initargs=(str(path),)) as pool:
            list(pool.map(_match, chunks[: args.jobs]))  # warm up every worker
            for name, fn in (("matcher (full mentions)", _match), ("names analysis (mentions + name words)", _analyse)):
                t = time.perf_counter()
                got = list(pool.map(fn, chunks))
                dt = time.perf_counter() - t
                found, cpu = sum(n for n, _ in got), sum(c for _, c in got)
                print(f"{name}: {mb:.1f} MB in {dt:.2f} s on {args.jobs} processes = {mb / dt:.1f} MB/s; "
                      f"{cpu:.2f} s CPU in the workers = {mb / cpu:.1f} MB/s per core ({found} mentions)")


if __name__ == "__main__":
    main()
