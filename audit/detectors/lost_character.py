"""Lost characters: U+FFFD replacement characters and ``?`` standing for a lost letter."""

from __future__ import annotations

import itertools
from functools import lru_cache
import re
import string

from .. import chardata
from . import mojibake_data as md
from .base import Detector
from .mojibake import Words, _base_lang

#: Candidate repairs are tried only for words with at most this many lost characters.
MAX_LOST = 2
LETTER = re.compile(r"[^\W\d_]")


class LostCharacter(Detector):
    """Lost characters: U+FFFD replacement characters, and ``?`` standing for a lost letter.

    What it finds:
        The replacement character ``�`` (U+FFFD) that a decoder writes for bytes it could not
        read, and question marks inside or at the start of a word where a letter used to be:
        ``Erdo?an``, ``?stanbul``, ``Ba?bakan``, ``KAL?N`` — what is left when text is saved in
        an encoding that lacks the letter. The whole word is flagged. A repair is suggested
        only when it is unambiguous: the document spells the word in full exactly one way, or
        the word list of the document's language knows exactly one filling.

    Why it matters:
        The letter is gone from the text: names no longer match (``Erdo?an``), search and
        spell-checking fail, and readers see a broken article. Unlike mojibake it cannot be
        decoded back; it has to be restored from elsewhere.

    Example:
        ``Cumhurba?kan? Erdo?an`` -> ``Cumhurbaşkanı Erdoğan`` (when the document or the word
        list gives one candidate); ``Erdo\\ufffdan`` -> ``Erdoğan``

    Known false positives:
        Real question marks are not flagged: at the end of a word (``what?``), before a
        capital (``today?The`` is a missing space), ``?!``, ``(?)``, ``¿Dónde?``, URLs and query
        strings (``?q=``), short code-like tokens (``a?b:c``), and a question mark between two
        common words when nothing fills it. A ``?`` at the start of a lower-case word may be a
        typing slip rather than a lost letter.
    """

    name = "lost-character"
    category = "encoding"
    severity = "warning"
    fixable = True
    safe_fix = False

    def could_fire(self, doc):
        return "\ufffd" in doc.chars or "?" in doc.text

    def find(self, doc, ctx):
        text = doc.text
        if "\ufffd" not in text and "?" not in text:
            return
        lang = _base_lang(doc.lang)
        last_end = -1
        for a, b in _clues(text):
            if a < last_end:
                continue
            span = lost_word(text, a, b)
            if span is None:
                continue
            s, e = span
            if _non_prose(text, s, e):
                continue
            word = text[s:e]
            words = ctx.shared("wordlists", Words)
            if "\ufffd" not in word and not plausible_gap(word, lang, words):
                continue
            if sum(c.isalpha() for c in word) >= 2:
                suggestion, source, candidates = repair(word, lang, text, words)
            else:
                suggestion, source, candidates = None, None, []
            if suggestion is None and text[e:e + 1] == "?" and not LETTER.match(text[e + 1:e + 2] or "?"):
                # ``Cumhurba?kan?``: the last ``?`` may be a lost letter too, not a question
                alt = repair(text[s:e + 1], lang, text, words)
                if alt[0] is not None:
                    e, word = e + 1, text[s:e + 1]
                    suggestion, source, candidates = alt
            last_end = e
            what = "replacement character U+FFFD" if "\ufffd" in word else "“?” in place of a letter"
            if suggestion is not None:
                msg = f"lost character ({what}); the {source} suggests “{suggestion}”"
                conf = 0.9 if source == "document" else 0.75
            else:
                msg = f"lost character ({what}): a letter was lost in a wrong encoding"
                conf = 0.8 if "\ufffd" in word else 0.7
            yield self.flag(doc, s, e, msg, suggestion, conf, candidates=candidates[:5] or None,
                            source=source)


def _clues(text: str):
    """Runs of U+FFFD, and runs of ``?`` followed by a letter, in order (``str.find`` is many
    times faster than a regex scan here)."""
    hits = []
    for ch in ("\ufffd", "?"):
        i = text.find(ch)
        while i != -1:
            j = i + 1
            while j < len(text) and text[j] == ch:
                j += 1
            if ch == "\ufffd" or LETTER.match(text, j):
                hits.append((i, j))
            i = text.find(ch, j)
    hits.sort()
    return hits


def _non_prose(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` lies in a URL, e-mail address, hashtag or handle."""
    return chardata.in_non_prose(text, s, e, reach=300)


def lost_word(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The word around the lost-character run ``text[a:b]``, or None if it is a real ``?``."""
    n = len(text)
    s = a
    while s > 0 and (text[s - 1].isalpha() or text[s - 1] in "?\ufffd"):
        s -= 1
    e = b
    while e < n and (text[e].isalpha() or text[e] in "?\ufffd"):
        e += 1
    word = text[s:e]
    before = text[s - 1] if s else ""
    after = text[e] if e < n else ""
    if "\ufffd" in word:
        return (s, e) if any(c.isalpha() for c in word) or len(word) <= 3 else (a, b)
    # only question marks from here on; a trailing one is punctuation (``Erdo?an?``)
    while e > b and text[e - 1] == "?":
        e -= 1
    word = text[s:e]
    after = text[e] if e < n else ""
    if a >= e or word.count("?") > 3 or (before and (before.isdigit() or before in "/=&%¿_")) or after in ("=", "&", "_"):
        return None
    if sum(c.isalpha() for c in word) < 3:
        return None
    for i, c in enumerate(word):
        if c != "?":
            continue
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if prev.isalpha() and prev.islower() and nxt.isalpha() and nxt.isupper():
            return None  # ``today?The``: a missing space after a question
        if not prev and not (nxt.isalpha() and (nxt.islower() or word.isupper())):
            return None
        if not prev and before and before.isalnum():
            return None
    return s, e


def plausible_gap(word: str, lang: str | None, words: Words) -> bool:
    """``what?that`` joins two words; ``Erdo?an`` does not. A ``?`` between two common words
    (each at least two letters) is taken for punctuation."""
    parts = [p for p in word.split("?") if p]
    if len(parts) != 2 or word.startswith("?"):
        return True
    langs = (lang,) if lang else md.LOST_DEFAULT_LANGS
    if all(len(p) >= 2 and words.known(p, langs, 3.5) for p in parts):
        return bool(_candidates(word, lang, words))
    return True


def _pattern_source(word: str) -> str:
    """The word as a pattern (for ``re.IGNORECASE``): each lost character a letter wildcard."""
    parts = []
    for ch, group in itertools.groupby(word):
        n = len(list(group))
        if ch == "?":
            parts.append(r"\w" * n)  # letters only, checked by the caller (\w compiles fast)
        elif ch == "\ufffd":
            parts.append(r"\w" + ("{1,%d}" % n if n > 1 else ""))
        else:
            parts.append(re.escape(ch * n))
    return "".join(parts)


def _alphabet(word: str, lang: str | None) -> str:
    if any(c in md.CYRILLIC_LETTERS for c in word):
        return md.CYRILLIC_LETTERS
    langs = (lang,) if lang in md.LOST_ALPHABET or lang == "en" else md.LOST_DEFAULT_LANGS
    extra = "".join(md.LOST_ALPHABET.get(l, "") for l in langs)
    return "".join(dict.fromkeys(string.ascii_letters + extra))


def _candidates(word: str, lang: str | None, words: Words) -> list[str]:
    """Fillings of the lost characters that the word list knows (Zipf >= 2), best first, keeping
    only those within a factor of ten of the best (``İstanbul`` 5.9 beats ``Istanbul`` 4.3)."""
    holes = [i for i, c in enumerate(word) if c in "?\ufffd"]
    if not holes or len(holes) > MAX_LOST:
        return []
    langs = (lang,) if lang else md.LOST_DEFAULT_LANGS
    alphabet = _alphabet(word, lang)
    upper = word.replace("?", "").replace("\ufffd", "").isupper()
    found: dict[str, tuple[float, str]] = {}
    for fill in itertools.product(alphabet + "'", repeat=len(holes)):
        ok = True
        for i, c in zip(holes, fill):
            if c == "'" and (i == 0 or i == len(word) - 1):
                ok = False
            elif c.lower() != c.upper() and c.isupper() != upper and not (i == 0 and c.isupper()):
                ok = False  # fill upper case only in a word in capitals, or at its start
        if not ok:
            continue
        chars = list(word)
        for i, c in zip(holes, fill):
            chars[i] = c
        cand = "".join(chars)
        score = max(words.lookup(cand, l) for l in langs)
        if score >= 2.0:
            key = cand.lower()
            if key not in found or score > found[key][0]:
                found[key] = (score, cand)
    ranked = sorted(found.values(), key=lambda x: -x[0])
    return [cand for score, cand in ranked if score >= ranked[0][0] - 1.0]


def _letters(token: str) -> bool:
    return all(c.isalpha() or c in "'’-" for c in token)


@lru_cache(maxsize=4096)
def _in_text_pattern(word: str) -> re.Pattern[str]:
    r"""The word, its lost characters as wildcards, standing alone in a text (no letter,
    ``?`` or U+FFFD either side).

    When the word starts with a letter, that letter comes first and the look-behind
    after it (``(?<![\w?\ufffd].)``, the character before the word): a scan then rejects
    most positions on one literal comparison instead of a look-behind at each — twice as fast.
    """
    body = _pattern_source(word)  # one compile per word: the body is only ever used in here
    first = re.escape(word[:1])
    if word[:1] not in ("", "?", "\ufffd") and body.startswith(first):
        head = first + r"(?<![\w?\ufffd](?s:.))" + body[len(first):]
    else:
        head = r"(?<![\w?\ufffd])" + body
    return re.compile(head + r"(?![\w?\ufffd])", re.IGNORECASE)


def repair(word: str, lang: str | None, text: str, words: Words) -> tuple[str | None, str | None, list[str]]:
    """(suggestion, where it came from, candidates): a suggestion only if it is unambiguous —
    the document ``text`` spells the word in full one way, or the word list knows one filling."""
    pat = _in_text_pattern(word)
    in_doc = sorted({m.group() for m in pat.finditer(text) if _letters(m.group())} - {word})
    if len({t.lower() for t in in_doc}) == 1:
        return in_doc[0], "document", in_doc
    if in_doc:
        return None, None, in_doc
    cands = _candidates(word, lang, words)
    if len(cands) == 1:
        cand = cands[0]
        if "'" in cand and text.count("’") >= text.count("'"):
            cand = cand.replace("'", "’")  # the document's apostrophe
        return cand, "word list", cands
    return None, None, cands
