"""Mojibake: text decoded with the wrong codec (``Ã‡avuÅŸoÄŸlu``, ``â€™``, ``РґРѕСЂРѕРіРµ``, ``yýldönümü``)."""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from .. import chardata
from . import mojibake_data as md
from .base import Detector

#: Windows wider than this are cut into pieces at white space (ftfy decides per string).
MAX_WINDOW = 2000
#: Candidate tokens at most this far apart on one line share a window.
MERGE_GAP = 80
#: How far to look for the ends of a token around a candidate.
MAX_TOKEN = 300


class Mojibake(Detector):
    """Mojibake: characters garbled by decoding text with the wrong codec, with the repair.

    What it finds:
        UTF-8 read as Windows-1252 or Latin-1 (``Ã‡avuÅŸoÄŸlu``, ``doesnâ€™t``, ``Ã¼lke``), also
        twice over (``Ã¢â‚¬â„¢``) and in pieces inside otherwise clean text (``ÇavuÅŸoğlu``);
        UTF-8 read as Windows-1251 (``РґРѕСЂРѕРіРµ`` = дороге, ``вЂ™`` = ’); Turkish
        Windows-1254 text read as Windows-1252 (``yýldönümü``, ``þeref``, ``Erdoðan``), confirmed
        by a Turkish word list; Russian Windows-1251 text read as Windows-1252 (``Ìèíèñòð`` =
        Министр), confirmed by a Russian word list; stray C1 controls that are Windows-1252
        punctuation read as Latin-1; and, through ftfy, UTF-8 read as Mac Roman, code page 437,
        Windows-1250/1253/1257 or ISO-8859-2. Each finding is the smallest run of damaged
        words, and its suggestion is the decoded text.

    Why it matters:
        Mojibake destroys names (``Ã‡avuÅŸoÄŸlu`` matches no lexicon entry), makes the article
        unreadable in places and shows the reader that the text went through a broken pipeline.
        The repair is mechanical and exact: the bytes are still there, read with the wrong table.

    Example:
        ``Bakan Ã‡avuÅŸoÄŸlu dedi`` -> ``Bakan Çavuşoğlu dedi``;
        ``yýldönümü`` -> ``yıldönümü``; ``РґРѕСЂРѕРіРµ`` -> ``дороге``

    Known false positives:
        A capital letter followed by a closing quote, trade-mark sign or no-break space
        (``NESTLÉ®``, ``ZZAJÉ’s``, ``SELKÄ\\xa0``) has the shape of mojibake; such a lone pair is
        only flagged when a word list confirms the repair. Greek, Cyrillic (``ВІКІ``, ``Рівне``),
        ``R²``, ``4288×…``, ``¿Dónde?`` and ordinary accented text are not flagged. Icelandic,
        Czech, Slovak and Vietnamese documents are not checked for Turkish mojibake (they write
        ``ý þ ð`` natively). A word that really is mojibake of a rare word may be missed when
        it is a lone weak pair.
    """

    name = "mojibake"
    category = "encoding"
    severity = "error"
    fixable = True
    safe_fix = True

    def could_fire(self, doc):
        # every candidate starts with one of the prescreen's first characters
        return not md.PRESCREEN_FIRST.isdisjoint(doc.chars)

    def find(self, doc, ctx):
        text = doc.text
        if text.isascii():
            return
        lang = _base_lang(doc.lang)
        words = ctx.shared("wordlists", Words)
        for ws, we in candidate_windows(text, lang, doc.chars):
            window = text[ws:we]
            fixed = repair(window, lang, words)
            if fixed == window:
                continue
            for s, e, suggestion, fs, fe in changed_spans(window, fixed):
                ts, te = _token_bounds(fixed, fs)
                if _still_garbled(fixed[ts:max(te, fe)]):  # only partly decoded: no safe repair
                    yield self.flag(doc, ws + s, ws + e, "mojibake: text garbled beyond a safe repair",
                                    None, 0.6)
                    continue
                how, encoding, confidence = explain(window[s:e], suggestion)
                yield self.flag(
                    doc, ws + s, ws + e, f"mojibake ({how}); it should read “{suggestion}”",
                    suggestion, confidence, encoding=encoding,
                )


def _base_lang(lang: str | None) -> str | None:
    return lang.split("-")[0].split("_")[0].lower() if lang else None


# -- word lists --------------------------------------------------------------------------------------

class Words:
    """Word-frequency look-ups (wordfreq's *small* lists: a few MB per language, loaded on first
    use and cached; the large lists would cost ~100 MB each per worker)."""

    def __init__(self):
        import wordfreq

        self._wordfreq = wordfreq
        self._available = set(wordfreq.available_languages())
        self.zipf = lru_cache(maxsize=65536)(self._zipf)
        self._tables: dict[str, dict[str, float]] = {}

    def _zipf(self, word: str, lang: str) -> float:
        if lang not in self._available or not word:
            return 0.0
        return self._wordfreq.zipf_frequency(word, lang, wordlist="small")

    def lookup(self, word: str, lang: str) -> float:
        """Zipf frequency of one lower-cased word by a plain dictionary look-up (no tokenising:
        fast enough to try every letter in a gap)."""
        table = self._tables.get(lang)
        if table is None:
            table = self._wordfreq.get_frequency_dict(lang, "small") if lang in self._available else {}
            self._tables[lang] = table
        if lang in ("tr", "az"):
            word = word.replace("I", "ı").replace("İ", "i")
        f = table.get(word.lower().replace("’", "'"), 0.0)
        return math.log10(f) + 9 if f > 0 else 0.0

    def known(self, word: str, langs, floor: float = 1.0) -> bool:
        """True if ``word`` has a frequency of at least ``floor`` (Zipf) in one of ``langs``."""
        return any(self.zipf(word, lang) >= floor for lang in dict.fromkeys(l for l in langs if l))


PUNCT = "\"'“”‘’«»()[]{}.,;:!?…—–-"
WORD_CORE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def core_word(token: str) -> str:
    """The longest letters-only part of a token (``"Çavuşoğlu'nun,`` -> ``Çavuşoğlu'nun``)."""
    return max(WORD_CORE.findall(token), key=len, default="")


def confirm_langs(word: str, lang: str | None) -> tuple[str, ...]:
    scripts = {md.script_of(c) for c in word if c.isalpha()}
    langs = [lang] if lang else []
    for s in sorted(scripts):
        langs.extend(md.CONFIRM_LANGS.get(s, ()))
    return tuple(dict.fromkeys(langs))


def confirmed(original: str, repaired: str, lang: str | None, words: Words) -> bool:
    """A weak repair stands if every repaired word is known and the original word is not."""
    before, after = original.split(), repaired.split()
    if len(before) != len(after):
        return False
    changed = [(o.strip(PUNCT), r.strip(PUNCT)) for o, r in zip(before, after) if o != r]
    if not changed:
        return False
    for orig, rep in changed:
        if not rep or core_word(rep) != rep:
            return False
        if core_word(orig) == orig and words.known(orig, confirm_langs(orig, lang) + ("en",)):
            return False
        if not words.known(rep, confirm_langs(rep, lang), 1.5):
            return False
    return True


# -- candidate windows -------------------------------------------------------------------------------

def _token_bounds(text: str, pos: int) -> tuple[int, int]:
    lo = max(0, pos - MAX_TOKEN)
    start = max(text.rfind(c, lo, pos) for c in md.SPACE) + 1
    start = max(start, lo)
    hi = min(len(text), pos + MAX_TOKEN)
    end = hi
    for c in md.SPACE:
        i = text.find(c, pos, hi)
        if i != -1 and i < end:
            end = i
    return start, end


def _next_token(text: str, end: int) -> tuple[int, int] | None:
    """The token after position ``end`` on the same line."""
    i = end
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i >= n or text[i] in "\r\n\f\v" or i == end:
        return None
    return _token_bounds(text, i)


def _prev_token(text: str, start: int) -> tuple[int, int] | None:
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i <= 0 or text[i - 1] in "\r\n\f\v" or i == start:
        return None
    return _token_bounds(text, i - 1)


#: Up to this many occurrences of the prescreen's first characters, :func:`prescreen_matches`
#: tries :data:`~mojibake_data.PRESCREEN` only where they are rather than scanning the text.
FEW_LEADS = 200


def prescreen_matches(text: str, chars=None) -> list[re.Match]:
    """The matches of :data:`~mojibake_data.PRESCREEN` in ``text``, in order.

    Equivalent to ``list(PRESCREEN.finditer(text))``. Given ``chars`` (the document's
    non-ASCII characters, :attr:`Document.chars`), a text whose few candidate first
    characters are found by ``str.find`` is matched only at those positions.
    """
    if chars is None:
        return list(md.PRESCREEN.finditer(text))
    leads = md.PRESCREEN_FIRST & chars
    if not leads:
        return []
    if not chardata.occurs_at_most(text, leads, FEW_LEADS):
        return list(md.PRESCREEN.finditer(text))
    out = []
    end = 0
    match = md.PRESCREEN.match
    for s, e in chardata.char_runs(text, leads):
        for i in range(max(s, end), e):
            if i < end:
                continue
            m = match(text, i)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def candidate_windows(text: str, lang: str | None = None, chars=None) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of the text worth a closer look: candidate tokens, merged with
    their candidate neighbours, plus one token of context either side. ``chars``, the
    document's non-ASCII characters, lets the prescreen skip a scan (:func:`prescreen_matches`)."""
    hits = [m.start() for m in prescreen_matches(text, chars)
            if not (m.end() - m.start() == 1 and lang in md.YTHORN_LANGS and m.group() in md.TURKISH_CHARS)]
    if not hits:
        return []
    tokens: list[list[int]] = []
    for pos in hits:
        if tokens and pos < tokens[-1][1]:
            continue
        s, e = _token_bounds(text, pos)
        if e <= pos:  # the hit is a lead before a space: take the space's own token
            e = pos + 1
        if tokens and (s <= tokens[-1][1] or _same_line_near(text, tokens[-1][1], s)):
            tokens[-1][1] = max(tokens[-1][1], e)
        else:
            tokens.append([s, e])
    windows = []
    for s, e in tokens:
        prev = _prev_token(text, s)
        nxt = _next_token(text, e)
        s = prev[0] if prev else s
        e = nxt[1] if nxt else e
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], e))
        else:
            windows.append((s, e))
    out = []
    for s, e in windows:  # cut very long windows at whitespace
        while e - s > MAX_WINDOW:
            cut = max(text.rfind(" ", s, s + MAX_WINDOW), text.rfind("\n", s, s + MAX_WINDOW))
            cut = cut if cut > s else s + MAX_WINDOW
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def _same_line_near(text: str, a: int, b: int) -> bool:
    """Candidates close together on one line share a window, so ftfy sees them together."""
    return 0 < b - a <= MERGE_GAP and "\n" not in text[a:b] and "\r" not in text[a:b]


# -- repair ------------------------------------------------------------------------------------------

def repair(window: str, lang: str | None, words: Words) -> str:
    """The window with every confident repair applied (ftfy first, then our own stages)."""
    s = window
    if md.UTF8_CLUE.search(s):
        s = _c1_macroman(s)
        s = _ftfy_stage(s, lang, words)
        s = _utf8_stage(s, lang, words)
        s = md.A_GRAVE_SPACE.sub(_a_grave, s)
        s = _c1_stage(s)
    if lang not in md.YTHORN_LANGS:
        s = _turkish_stage(s, lang, words)
    s = _cyrillic_1252_stage(s, lang, words)
    return s


def _c1_macroman(s: str) -> str:
    """A C1 control between an ASCII letter and a lower-case letter: a Mac Roman letter read as
    Latin-1 (``Coatl\\x87n`` -> ``Coatlán``). ftfy would make it Windows-1252 punctuation."""
    if not md.C1.search(s):
        return s

    def sub(m: re.Match) -> str:
        i = m.start()
        prev = s[i - 1] if i else ""
        nxt = s[i + 1] if i + 1 < len(s) else ""
        mac = md.C1_AS_MACROMAN[m.group()]
        if prev.isascii() and prev.isalpha() and nxt.isalpha() and nxt.islower() and mac.isalpha():
            return mac
        return m.group()

    return md.C1.sub(sub, s)


def _ftfy_stage(s: str, lang: str | None, words: Words) -> str:
    """ftfy's encoding fixer over the window, then over each token that still shows another code
    page's mojibake (one line may mix them, and ftfy decides per string), keeping only changes
    with real evidence."""
    s = _ftfy_vetted(s, lang, words)
    pieces, last = [], 0
    for m in md.OTHER_PAIR.finditer(s):
        if m.start() < last:
            continue
        ts, te = _token_bounds(s, m.start())
        prev, nxt = _prev_token(s, ts), _next_token(s, te)
        ts, te = (prev[0] if prev else ts), (nxt[1] if nxt else te)
        if ts < last:
            continue
        pieces.append(s[last:ts])
        pieces.append(_ftfy_vetted(s[ts:te], lang, words))
        last = te
    if not pieces:
        return s
    pieces.append(s[last:])
    return "".join(pieces)


def _ftfy_vetted(s: str, lang: str | None, words: Words) -> str:
    import ftfy

    fixed = ftfy.fix_encoding(s)
    if fixed == s:
        return s
    out = []
    last = 0
    for a, b, sugg, _fa, _fb in changed_spans(s, fixed):
        region = s[a:b]
        if _weak_only(s, a, b) and not confirmed(region, sugg, lang, words):
            continue
        out.append(s[last:a])
        out.append(sugg)
        last = b
    out.append(s[last:])
    return "".join(out)


def _weak_only(s: str, a: int, b: int) -> bool:
    """True if the only mojibake-like thing in ``s[a:b]`` is lone weak pairs (``MISUTÂ\xa0AJIKKO``)."""
    a, b = max(0, a - 1), min(len(s), b + 1)
    region = s[a:b]
    if md.C1.search(region):
        return False
    runs = [(view, m.start() + a, m.group()) for view in md.VIEWS for m in view.run.finditer(region)]
    covered = {i for _v, start, run in runs for i in range(start, start + len(run))}
    if any(m.start() + a not in covered for m in md.OTHER_PAIR.finditer(region)):
        return False  # Mac Roman, code page 437 …: ftfy's call
    if not runs:
        # ``Ã``/``Â`` + space read as a lost byte A0 is weak evidence; lossy or CESU-8
        # sequences that ftfy recognised are not
        return bool(re.search("[ÂÃÅÎÐÙ] ", region))
    return not any(_run_strong(s, start, run, view) for view, start, run in runs)


def _run_strong(s: str, a: int, run: str, view: md.View) -> bool:
    """Whether a run of UTF-8 units at ``s[a:]`` is mojibake on its own evidence.

    Several units, or a three- or four-byte unit, always are. A single two-byte unit is weak
    when real text could have it: a capital followed by a closing quote, dash or trade mark
    at the end of a word (``NESTLÉ®``, ``VOCÊ…``), an apostrophe (``ZZAJÉ’s``), a no-break space
    between capitals (``SELKÄ\xa0EDELLÄ``), or, read as Windows-1251, a capital followed by a
    Cyrillic letter (``Рівне``, ``Её``).
    """
    if len(run) > 2:
        return True
    lead, cont = run
    prev = s[a - 1] if a else ""
    nxt = s[a + 2] if a + 2 < len(s) else ""
    if view is md.VIEW_1251 and md.script_of(cont) == "Cyrillic" and cont.isalpha():
        return False
    if cont == "\xa0":  # ``GÃ\xa0idhlig``, ``namedÂ\xa0``, ``Ã\xa0 l'office``
        return prev.islower() or nxt.islower() or (lead == "Ã" and not nxt.isupper())
    if cont == "’":
        return False
    if lead in "ÃÂ" or prev.islower():
        return True
    if cont in md.WEAK_CONT:
        return nxt.isalpha() and nxt.islower()
    return True


def _still_garbled(s: str) -> bool:
    """True if ``s`` still holds a strong, decodable run of UTF-8 units, or still looks like
    mojibake to ftfy's heuristic."""
    from ftfy.badness import is_bad

    if is_bad(s.replace("\ufffd", "")):  # lost bytes are expected in a lossy repair
        return True
    for view in md.VIEWS:
        for m in view.run.finditer(s):
            if _decode_units(m.group(), view) and _run_strong(s, m.start(), m.group(), view):
                return True
    return False


def _decode_units(run: str, view: md.View) -> str | None:
    """Decode a run of UTF-8 units shown in ``view``; CESU-8 surrogate pairs are joined."""
    data = view.encode(run)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeError:
        return None


def _utf8_stage(s: str, lang: str | None, words: Words) -> str:
    """Decode runs of UTF-8 units that ftfy left (mixed text), validated one by one; repeat for
    text garbled twice."""
    for _ in range(3):
        before = s
        for view in md.VIEWS:
            s = view.run.sub(lambda m, v=view: _decide(m, v, lang, words), s)
        if s == before:
            break
    return s


def _decide(m: re.Match, view: md.View, lang: str | None, words: Words) -> str:
    run = m.group()
    decoded = _decode_units(run, view)
    if not decoded:
        return run
    s = m.string
    a, b = m.span()
    if not all(md.plausible_char(c) for c in decoded):
        return run
    if unicodedata.combining(decoded[0]) and (a == 0 or s[a - 1].isspace()):
        return run
    ts, te = _token_bounds(s, a)
    te = max(te, b)
    other_letters = [c for c in s[ts:a] + s[b:te] if c.isalpha()]
    others = {md.script_of(c) for c in other_letters}
    letters = [c for c in decoded if c.isalpha()]
    for sc in {md.script_of(c) for c in letters}:
        if sc == "Latin" and others and "Latin" not in others:
            return run  # a Latin letter inside a Cyrillic word: ``Гідність`` is Ukrainian
        if sc not in ("Latin", "Greek") and "Latin" in others:
            return run  # ``SÓ…`` would become Cyrillic inside a Latin word
        if sc not in ("Latin", "Greek", "Cyrillic") and sum(md.script_of(c) == sc for c in letters) < 2:
            return run  # one Hebrew or Armenian letter out of ``5×£35`` or ``HUHLL Õ…``
    if (len(other_letters) >= 2 and all(c.isupper() for c in other_letters)
            and any(c.islower() for c in letters)):
        return run  # a lower-case letter inside a word in capitals: ``MÄ£ÄM`` is leetspeak
    token = s[ts:te]
    strong = any(_run_strong(s, ts + r.start(), r.group(), view) for r in view.run.finditer(token))
    if not strong and not confirmed(token, s[ts:a] + decoded + s[b:te], lang, words):
        return run
    return decoded


def _a_grave(m: re.Match) -> str:
    # the first space was the lost byte A0 when there are two; before Portuguese ``quele``,
    # ``quilo``, ``s`` the only space was (``Ã quele`` = àquele, ``Ã s`` = às)
    if not m.group(2) and md.A_GRAVE_JOINED.match(m.string, m.end()):
        return "à"
    return "à "


def _c1_stage(s: str) -> str:
    """Lone C1 controls: Windows-1252 characters read as Latin-1 (``parlé\\x85`` -> ``parlé…``)."""
    if not md.C1.search(s):
        return s
    return md.C1.sub(lambda m: md.C1_AS_1252[m.group()], s)


TOKEN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _turkish_stage(s: str, lang: str | None, words: Words) -> str:
    if not md.TURKISH_CLUE.search(s):
        return s

    def sub(m: re.Match) -> str:
        word = m.group()
        if not md.TURKISH_CLUE.search(word):
            return word
        mapped = word.translate(md.TURKISH_1254)
        stem_o = re.split("['’]", word)[0]
        stem_m = re.split("['’]", mapped)[0]
        if words.known(stem_o, (lang, "en") + md.YTHORN_LANGS):
            return word
        if words.zipf(stem_m, "tr") >= 1.5 or words.zipf(mapped, "tr") >= 1.5:
            return mapped
        return word

    return TOKEN_WORD.sub(sub, s)


def _cyrillic_1252_stage(s: str, lang: str | None, words: Words) -> str:
    """Words made of Latin-1 letters that are Cyrillic Windows-1251 read as Windows-1252."""
    matches = list(md.CYR_AS_1252_WORD.finditer(s))
    if not matches:
        return s
    langs = ("ru", "uk", "bg")
    decoded, accepted = [], []
    for m in matches:
        w = m.group()
        try:
            d = w.encode("cp1252").decode("cp1251")
        except UnicodeError:
            d = None
        decoded.append(d)
        ok = (
            d is not None and len(w) >= 3 and any(c.islower() for c in w)  # Russian prose is mostly lower case
            and words.known(d, langs, 2.0)
            and not words.known(w, confirm_langs(w, lang) + ("en", "hu", "is"))
        )
        accepted.append(ok)
    confirmed_words = [m.group() for m, ok in zip(matches, accepted) if ok]
    if not confirmed_words or (len(confirmed_words) == 1 and len(confirmed_words[0]) < 5):
        return s
    # short words (``è`` = и, ``íà`` = на) only next to confirmed ones on the same line
    for i, m in enumerate(matches):
        if accepted[i] or decoded[i] is None or len(m.group()) >= 3:
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(matches) and accepted[j]
                and "\n" not in s[min(m.end(), matches[j].end()):max(m.start(), matches[j].start())]]
        if near and words.known(decoded[i], langs, 3.0):
            accepted[i] = True
    out, last = [], 0
    for m, d, ok in zip(matches, decoded, accepted):
        if ok:
            out.append(s[last:m.start()])
            out.append(d)
            last = m.end()
    out.append(s[last:])
    return "".join(out)


# -- spans and explanations --------------------------------------------------------------------------

def _wordish(c: str) -> bool:
    return c.isalnum() or c == "\ufffd" or unicodedata.category(c) in ("Mn", "Mc")


def changed_spans(orig: str, fixed: str) -> Iterator[tuple[int, int, str, int, int]]:
    """(start, end, replacement, start in fixed, end in fixed) for each damaged run of words:
    the changed characters, widened to whole words and merged across short gaps."""
    ops = _opcodes(orig, fixed)
    regions: list[list[int]] = []
    for tag, i1, i2, _j1, _j2 in ops:
        if tag == "equal":
            continue
        while i1 > 0 and _wordish(orig[i1 - 1]):
            i1 -= 1
        while i2 < len(orig) and _wordish(orig[i2]):
            i2 += 1
        if regions and (i1 <= regions[-1][1] or _mergeable(orig[regions[-1][1]:i1])):
            regions[-1][1] = max(regions[-1][1], i2)
        else:
            regions.append([i1, i2])

    starts = [op[1] for op in ops]

    def to_fixed(i: int) -> int:
        # the first op whose [i1, i2] holds i: ops tile ``orig`` in order, so it is the last
        # op starting before i, or the one before it when i is where that one ends
        k = bisect.bisect_left(starts, i)
        k = max(0, k - 1)
        while k > 0 and ops[k - 1][2] >= i:
            k -= 1
        for tag, i1, i2, j1, j2 in ops[k:]:
            if i1 <= i <= i2:
                if tag == "equal":
                    return j1 + (i - i1)
                if i == i1:
                    return j1
                if i == i2:
                    return j2
            elif i1 > i:
                break
        return len(fixed)

    for a, b in regions:
        fa, fb = to_fixed(a), to_fixed(b)
        yield a, b, fixed[fa:fb], fa, fb


def _opcodes(orig: str, fixed: str) -> list[tuple[str, int, int, int, int]]:
    """The alignment of ``orig`` and its repair: the equal blocks of their longest common
    subsequence (rapidfuzz, in C), each stretch between two of them one ``replace`` (or
    ``insert``/``delete``), as ``difflib``'s ``get_opcodes`` lists them. difflib itself grows
    with the square of a window (seconds for a line of mojibake from end to end), and on long
    windows that repeat themselves its longest-block heuristic pairs a word with a later copy
    of it, turning hundreds of good characters into one bogus change."""
    from rapidfuzz.distance import Indel

    out: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in Indel.opcodes(orig, fixed):
        if tag != "equal" and out and out[-1][0] != "equal":
            _, a1, _, b1, _ = out.pop()
            i1, j1 = a1, b1
            tag = "replace" if (i2 > i1 and j2 > j1) else tag
        out.append((tag, i1, i2, j1, j2))
    return out


def _mergeable(gap: str) -> bool:
    """Damaged words separated by up to three spaces, or by one or two marks without a space
    (``â€œbb+â€?``), form one run."""
    if gap.strip(" \t") == "":
        return len(gap) <= 3
    return len(gap) <= 2 and not any(c.isspace() or _wordish(c) for c in gap)


def _pretty(encoding: str) -> str:
    name = encoding.replace("sloppy-", "")
    return {"macroman": "Mac Roman", "cp437": "code page 437", "latin-1": "Latin-1",
            "iso-8859-2": "ISO-8859-2"}.get(name, name.replace("windows", "Windows"))


@lru_cache(maxsize=4096)
def explain(text: str, suggestion: str) -> tuple[str, str | None, float]:
    """How ``text`` became garbled: (description, encoding name, confidence)."""
    lossy = "\ufffd" in suggestion and "\ufffd" not in text
    conf = 0.7 if lossy else 0.95
    if text.translate(md.TURKISH_1254) == suggestion:
        return "Turkish Windows-1254 text read as Windows-1252", "windows-1254", 0.9
    try:
        if text.encode("cp1252").decode("cp1251") == suggestion:
            return "Cyrillic Windows-1251 text read as Windows-1252", "windows-1251", 0.9
    except UnicodeError:
        pass
    for view in md.VIEWS:
        cur, rounds = text, 0
        while rounds < 3:
            nxt = view.run.sub(lambda m, v=view: _decode_units(m.group(), v) or m.group(), cur)
            if nxt == cur:
                break
            cur, rounds = nxt, rounds + 1
        if rounds and cur == suggestion:
            times = " twice" if rounds == 2 else " three times" if rounds == 3 else ""
            return f"UTF-8 read as {view.label}{times}", view.name, conf
    import ftfy
    from ftfy.chardata import CHARMAP_ENCODINGS

    for enc in CHARMAP_ENCODINGS:  # one code page, the whole span (ftfy's repair in the window)
        try:
            data = text.encode(enc)
        except UnicodeError:
            continue
        for decoder in ("utf-8", "utf-8-variants"):
            try:
                if data.decode(decoder) == suggestion:
                    return f"UTF-8 read as {_pretty(enc)}", enc.replace("sloppy-", ""), conf
            except UnicodeError:
                continue
    steps = ftfy.fix_encoding_and_explain(text).explanation
    encs = [arg for op, arg in steps if op == "encode"]
    if encs:
        names = ", then ".join(dict.fromkeys(_pretty(e) for e in encs))
        return f"UTF-8 read as {names}", encs[0].replace("sloppy-", ""), conf
    if md.C1.search(text):
        # the mapping of C1 controls to Windows-1252 is exact (it is what browsers do)
        return "Windows-1252 characters read as Latin-1 control characters", "windows-1252", conf
    if "à" in suggestion and ("Ã" in text or "Г" in text):
        return "UTF-8 “à” read as Windows-1252, its byte A0 turned into a space", "windows-1252", 0.85
    return "characters garbled by a wrong decoding", None, min(conf, 0.85)
