"""Quoted speech and who said it.

:func:`extract_quotations` finds the quotations of a document — curly, straight and
guillemet quotes, quotes that run over several paragraphs, and the misplaced closing
mark of Russian dash-quote layout that machine translation leaves behind
(``… is closed, ”the Turkish minister told reporters``) — and attributes each to a
speaker where the text names one:

- ``“…,” Cavusoglu said`` / ``said Cavusoglu`` / ``Cavusoglu said, “…”`` /
  ``according to Cavusoglu``;
- a role noun (``the Turkish minister``, ``the expert``) or a pronoun (``he said``),
  resolved to a person named earlier when that is clear;
- no attribution at all: a quote that opens a paragraph carries the speaker of the
  statement that ends the previous one.

Speakers are compared with :func:`speaker_key`, a transliteration- and diacritic-folding
key of the surname, so ``Mevlüt Çavuşoğlu``, ``Mevlut Cavusoglu`` and ``Cavusoglu`` are one
speaker, and so are ``Yermakov`` and ``Ermakov``.

>>> from audit.document import Document
>>> d = Document("x", "Turkish Foreign Minister Mevlut Cavusoglu met Blinken.\\n\\n"
...                   "“The issue is closed,” the Turkish minister told reporters.")
>>> [(q.text, q.speaker, q.speaker_name) for q in extract_quotations(d)]
[('The issue is closed,', 'the Turkish minister', 'Mevlut Cavusoglu')]
"""

from __future__ import annotations

import bisect
from itertools import chain
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from anyascii import anyascii

from . import chardata
from .document import Document, Span

# -- data ----------------------------------------------------------------------------------
OPENERS = frozenset("“„«")
CLOSERS = frozenset("”»")
STRAIGHT = '"'
QUOTE_MARK = regex.compile(r'[“”„«»"]')
#: A quote runs over at most this many paragraphs (longer: an unclosed quote, dropped).
MAX_QUOTE_PARAGRAPHS = 6
#: Text after a closing mark or before an opening one searched for an attribution.
ATTRIBUTION_REACH = 160
#: A quote's speaker is looked for among at most this many people named before it (since the
#: floor three prose paragraphs back: a page without paragraphs names thousands).
MAX_SPEAKER_WINDOW = 200
#: The title words gathered for one person across their mentions stop growing past this many
#: characters (the titles come with the first mentions; a page naming someone thousands of
#: times gave every mention a copy of all the earlier ones).
MAX_TITLE_CONTEXT = 4000
#: How far before an opening quotation mark its lead-in (``Cavusoglu said in televised
#: comments that``) is looked for.
LEAD_IN_REACH = 400

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stressed|stresses|explained|explains|"
    "emphasized|emphasised|emphasizes|emphasises|continued|continues|insisted|insists|warned|warns|"
    "wrote|writes|believes|believed|concluded|recalled|recalls|declared|declares|stated|states|"
    "remarked|argued|argues|claimed|claims|asked|asks|replied|replies|answered|admitted|announced|"
    "announces|commented|comments|observed|pointed\\s+out|summed\\s+up|spoke|added\\s+that|"
    "underlined|underscored|reiterated|reiterates|tweeted|posted|confirmed|acknowledged|"
    "assured|urged|quipped|went\\s+on|was\\s+quoted(?:\\s+as\\s+saying)?"
)
_NAME_WORD = r"(?:\p{Lu}\.|\p{Lu}[\p{L}\p{M}]+(?:['’\-]\p{L}[\p{L}\p{M}]*)*)"
_GAP = r"[ \t\u00a0]+"
_PARTICLE = r"(?:de|da|del|der|van|von|bin|ibn|al|el|le|la|di|du|dos)"
#: A capitalised name: words, possibly with particles (``Ursula von der Leyen``).
NAME = rf"{_NAME_WORD}(?:{_GAP}(?:{_PARTICLE}{_GAP})*{_NAME_WORD}){{0,5}}"
ROLE_NOUNS = (
    "minister|expert|experts|diplomat|official|officials|spokesman|spokeswoman|spokesperson|"
    "secretary|president|ambassador|analyst|researcher|source|sources|leader|senator|"
    "chancellor|premier|envoy|general|commander|director|professor|economist|politician|"
    "lawmaker|representative|chief|head|governor|mayor|adviser|advisor|negotiator|"
    "ministry|department|statement|agency|prosecutor|judge|lawyer|author|scientist|"
    "counterpart|colleague|interlocutor|speaker|chairman|chairwoman|deputy|emissary|"
    "politician|activist|witness|resident|observer|specialist"
)
#: Role phrases stand for a person named earlier: ``the (Turkish) minister``.
ROLE = rf"(?i:the|a|an|this|that){_GAP}(?:[\p{{L}}.\-]+{_GAP}){{0,4}}?(?i:{ROLE_NOUNS})\b(?:{_GAP}of{_GAP}(?:the{_GAP})?{_NAME_WORD}(?:{_GAP}{_NAME_WORD})*)?"
PRONOUN = r"(?:he|she|they|He|She|They)"
SUBJECT = rf"(?P<spk>{ROLE}|{PRONOUN}|(?:the\s+|The\s+)?{NAME}|it|It)"

ROLE_FULL = regex.compile(ROLE, regex.V1)
THE_NAME = regex.compile(rf"(?i:the){_GAP}{NAME}", regex.V1)
NAME_WORDS = regex.compile(_NAME_WORD, regex.V1)

#: ``…,” Cavusoglu said`` — attribution after the closing mark.
AFTER_SUBJECT_VERB = regex.compile(
    rf"^[\s,.;:!?…—–-]*{SUBJECT}\s+(?:has\s+|had\s+|have\s+|then\s+|also\s+|later\s+|further\s+)*(?:{SPEECH_VERBS})\b",
    regex.V1,
)
#: ``…,” said Cavusoglu`` — inverted attribution.
AFTER_VERB_SUBJECT = regex.compile(
    rf"^[\s,.;:!?…—–-]*(?:{SPEECH_VERBS})\s+{SUBJECT}", regex.V1,
)
#: ``…,” according to Cavusoglu``.
ACCORDING = regex.compile(rf"according\s+to\s+{SUBJECT}", regex.V1)
#: ``Cavusoglu said (in televised comments that) “…`` — attribution before the opening mark:
#: the subject right before the last speech verb of the lead-in.
BEFORE = regex.compile(
    rf"{SUBJECT}\s+(?:has\s+|had\s+|also\s+|then\s+|later\s+|further\s+)*(?:{SPEECH_VERBS})\b(?P<rest>[^“”„«»\"]*)$",
    regex.V1,
)

#: Words that open a capitalised run but are titles, ranks or nationalities, not names.
TITLE_WORDS = frozenset(
    """mr mrs ms dr prof sir lady lord president vice prime minister foreign defence defense
    interior finance secretary state general lieutenant colonel major captain admiral
    ambassador envoy spokesman spokeswoman spokesperson senator congressman congresswoman
    chancellor premier king queen prince princess pope former deputy acting chief head
    leader director governor mayor judge justice chairman chairwoman ceo us u.s. uk u.k.
    eu un nato turkish russian american french german british ukrainian chinese iranian
    israeli syrian european turkey russia france germany britain ukraine china iran of the
    top senior new then current late charge d'affaires affairs ministry department
    white house kremlin officials official expert analyst researcher professor sheikh
    archbishop patriarch rabbi imam citizen comrade""".split()
)
#: Last words that make a capitalised run a place, organisation or thing, not a person.
NON_PERSON_HEADS = frozenset(
    """house sea ocean east west north south alliance department ministry convention day
    agency news square center centre academy sciences studies act partners analytics channel
    economy lira party council union nations states kingdom republic federation bank
    program programme institute university committee organization organisation office
    parliament assembly court forces army navy air police service services company group
    times post journal tribune herald review gazette telegraph guardian press network tv
    radio summit conference treaty agreement accord deal war crisis street avenue road
    bridge airport station river lake mountain mountains island islands gulf strait
    region province city county district valley coast basin media newspaper magazine
    foundation fund association corporation inc ltd llc plc government administration
    cabinet senate congress embassy consulate headquarters triumph growler""".split()
)
PRONOUNS = frozenset({"he", "she", "they"})
#: Role words that are too generic to match against a person's title (``the expert``):
#: they resolve to the most recent person named instead.
GENERIC_ROLES = frozenset(
    """expert experts diplomat official officials source sources analyst specialist observer
    politician interlocutor speaker colleague counterpart author scientist""".split()
)
ROLE_SKIP = frozenset("the a an this that of u.s us uk u.k".split())
#: Transliteration digraphs folded before the consonant skeleton of a name.
DIGRAPHS = (("sch", "s"), ("shch", "s"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("kh", "h"),
            ("ts", "c"), ("tz", "c"), ("ph", "f"), ("th", "t"), ("w", "v"), ("q", "k"), ("x", "ks"))
NOT_LETTER = regex.compile(r"[^a-z]")
VOWELS = regex.compile(r"[aeiouy]")
DOUBLED = regex.compile(r"(.)\1+")
SENTENCE_START = regex.compile(r"[.!?…]['\"”’»)\]]*\s+(?=\S)")
WORDS = chardata.WORD


# -- records -------------------------------------------------------------------------------
@dataclass(slots=True)
class Quotation:
    """One quotation: ``text`` is ``doc.text[start:end]``, the words inside the marks."""

    start: int
    end: int
    text: str
    #: the attribution as written (``Cavusoglu``, ``the Turkish minister``, ``he``), or None
    speaker: str | None = None
    #: the person it resolves to, as written in the document (``Mevlut Cavusoglu``), or None
    speaker_name: str | None = None
    #: :func:`speaker_key` of ``speaker_name`` ('' when unknown)
    key: str = ""
    #: how the speaker was found: after, before, according, role, pronoun, carried
    how: str = ""
    #: sentence-sized pieces of the quote, for comparing renderings piece by piece
    units: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    name: str  # the name without titles
    title: str  # words around it: titles, appositive (lower-cased)
    subject: bool = False  # followed by a speech verb (``Ned Price said``)
    paragraph: int = 0  # index of its paragraph


# -- speaker keys ----------------------------------------------------------------------------
def fold_name(name: str) -> str:
    """Lower-case ASCII folding of a name: ``Çavuşoğlu`` -> ``cavusoglu``.

    >>> fold_name("Mevlüt Çavuşoğlu"), fold_name("İbrahim Kalın")
    ('mevlut cavusoglu', 'ibrahim kalin')
    """
    return " ".join(anyascii(name).lower().replace(".", "").split())


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-tolerant key of one name word: its folded consonant skeleton.

    Russian and Turkish names reach English through several romanisations (``Yermakov`` /
    ``Ermakov``, ``Kalın`` / ``Kalyn``, ``Çavuşoğlu`` / ``Chavushoglu``); they differ in
    vowels, ``y`` and digraphs (``sh``, ``ch``, ``kh``), which this key drops or folds.

    >>> skeleton("Yermakov") == skeleton("Ermakov"), skeleton("Kalyn") == skeleton("Kalın")
    (True, True)
    >>> skeleton("Chavushoglu") == skeleton("Çavuşoğlu") == skeleton("Cavusoglu")
    True
    """
    w = fold_name(word)
    for a, b in DIGRAPHS:
        w = w.replace(a, b)
    w = NOT_LETTER.sub("", w)
    w = DOUBLED.sub(r"\1", VOWELS.sub("", w))
    return w or fold_name(word)


def speaker_key(name: str | None) -> str:
    """The grouping key of a speaker: the skeleton of the surname ('' for None).

    >>> speaker_key("Mevlut Cavusoglu") == speaker_key("Mevlüt Çavuşoğlu") == speaker_key("Cavusoglu")
    True
    """
    if not name:
        return ""
    words = [w for w in WORDS.findall(name) if w.lower() not in ("jr", "sr", "ii", "iii")]
    return skeleton(words[-1]) if words else ""


@lru_cache(maxsize=4096)
def given_name(name: str | None) -> str:
    """The folded first word of a multi-word name ('' when only a surname is known)."""
    words = WORDS.findall(name or "")
    return fold_name(words[0]) if len(words) > 1 else ""


# -- quote spans -----------------------------------------------------------------------------
def _flank(text: str, p: int) -> tuple[bool, bool, bool]:
    """(left-flanking, right-flanking, misplaced-close) for a straight quote at ``p``."""
    prev = text[p - 1] if p > 0 else " "
    nxt = text[p + 1] if p + 1 < len(text) else " "
    left = (prev.isspace() or prev in "([{—–-/") and not nxt.isspace()
    right = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}…")
    return left, right, _misplaced(text, p)


def _misplaced(text: str, p: int) -> bool:
    """A closing mark after sentence punctuation and a space: ``closed, ”the minister``."""
    i = p - 1
    if i < 0 or not text[i].isspace():
        return False
    while i > 0 and text[i].isspace() and text[i] not in "\n\r":
        i -= 1
    return text[i] in ",.!?…"


def quote_spans(text: str, paragraphs: list[Span]) -> list[tuple[int, int]]:
    """(start, end) of every top-level quotation's inner text, in order.

    Nested quotes stay inside their outer quote. A quote left open at the end of a
    paragraph continues into the next ones (English marks each continued paragraph with an
    opening mark; Russian layout closes only at the end, sometimes misplaced after the
    comma) for at most :data:`MAX_QUOTE_PARAGRAPHS`; an unclosed quote is dropped.
    """
    starts = [p.start for p in paragraphs]
    out: list[tuple[int, int]] = []
    open_at = -1  # position of the outer opening mark
    open_para = last_para = -1
    nested: list[str] = []
    for m in QUOTE_MARK.finditer(text):
        p, ch = m.start(), m.group()
        pi = bisect.bisect_right(starts, p) - 1
        if open_at >= 0 and pi != last_para:
            nested.clear()
            if pi - open_para >= MAX_QUOTE_PARAGRAPHS:
                open_at = -1
            elif pi > last_para:
                at_start = pi >= 0 and p == paragraphs[pi].start
                if ch in OPENERS or (ch == STRAIGHT and _flank(text, p)[0] and not _misplaced(text, p)):
                    if at_start:  # English continuation: the paragraph reopens the quote
                        last_para = pi
                        continue
                    if ch in OPENERS:  # a new quote mid-paragraph: the old one was never closed
                        open_at = -1
                last_para = pi
        if open_at < 0:
            if ch in OPENERS or (ch == STRAIGHT and _flank(text, p)[0]):
                open_at, open_para, last_para = p, pi, pi
                nested.clear()
            continue
        if ch in OPENERS:
            nested.append(ch)
            continue
        if ch in CLOSERS:
            if nested and nested[-1] != STRAIGHT:
                nested.pop()
                continue
            nested.clear()
        else:  # straight
            left, right, misplaced = _flank(text, p)
            if nested and nested[-1] == STRAIGHT and not misplaced:
                nested.pop()
                continue
            if left and not misplaced:
                nested.append(STRAIGHT)
                continue
            nested.clear()
        out.append((open_at + 1, p))
        open_at = -1
    return [(s, e) for s, e in out if e > s]


# -- people named in the document ------------------------------------------------------------
CAP_RUN = regex.compile(rf"{_NAME_WORD}(?:{_GAP}(?:{_PARTICLE}{_GAP})*{_NAME_WORD})*", regex.V1)
APPOSITIVE = regex.compile(r"\s*,\s*((?:a|an|the)\s+[^,.;“”\"]{3,80})")
NEW_SENTENCE = regex.compile(r"\s*[.!?]")
#: A speech verb right after a mention makes it the subject of a statement.
SPEECH_AFTER = regex.compile(
    rf"[ \t\u00a0]*,?[ \t\u00a0]*(?:has\s+|had\s+|also\s+|then\s+|later\s+|further\s+)*(?:{SPEECH_VERBS})\b", regex.V1)
#: Capitalised words that begin sentences but are not names (a subject ``As`` in ``As stated``).
FUNCTION_WORDS = frozenset(
    """as in on at for but and or if when while this that these those it its we i you there here
    what so then also according however meanwhile moreover recall we'll earlier later now today
    yesterday still yet thus therefore besides instead after before since until unless though
    although because despite during with without by from to of a an the his her their our my
    your one some many most all both each every no not""".split()
)


def _strip_titles(words: list[str], standalone: set[str]) -> list[str]:
    i = 0
    while i < len(words) - 1 and (words[i].lower().rstrip(".") in TITLE_WORDS or words[i].lower() in TITLE_WORDS
                                  or words[i] in standalone):
        i += 1
    return words[i:]


def person_mentions(text: str, quotes: list[tuple[int, int]]) -> list[_Mention]:
    """People named outside quotations, with the title words around each mention.

    A person is a run of two or more capitalised words once titles and nationalities are
    stripped (``Turkish Foreign Minister Mevlut Cavusoglu`` -> ``Mevlut Cavusoglu``) and
    whose last word is not a place or organisation head (``White House``); later a surname
    alone (``Cavusoglu``, or ``Yermakov`` after ``Ermakov``) refers back to it.
    """
    runs = []
    single_counts: dict[str, int] = {}
    # The text between quotations, scanned piece by piece: a run cannot cross the quotation
    # mark just outside each quote span, so these are the runs a whole-text scan finds
    # outside the quotations.
    gaps = [(0, len(text))] if not quotes else [
        (a, b) for a, b in zip([0] + [e for _, e in quotes], [s for s, _ in quotes] + [len(text)]) if b > a]
    for m in chain.from_iterable(CAP_RUN.finditer(text, a, b) for a, b in gaps):
        start = m.start()
        run = m.group()
        # the run's words are separated by spaces, tabs and no-break spaces only
        words = run.split()
        if "'s" in run or "’s" in run:
            for k, w in enumerate(words):
                # a possessive ends the name: Russia's S-400 (a name word cannot end in a bare
                # apostrophe, so ``'s`` is the only possessive form a run holds)
                if w.endswith(("'s", "’s")):
                    del words[k + 1:]
                    words[k] = w[:-2]
                    break
        if len(words) == 1:
            single_counts[words[0]] = single_counts.get(words[0], 0) + 1
            runs.append((start, start + len(words[0]), words))
        else:
            runs.append((start, start + _end_of(run, words), words))
    # capitalised words that also stand alone (Ankara, Washington) are not given names
    standalone = {w for w, n in single_counts.items() if n >= 2}
    people: dict[str, str] = {}  # skeleton of the surname -> full name
    titles: dict[str, str] = {}
    out: list[_Mention] = []
    for start, end, words in runs:
        names = _strip_titles(words, standalone) if len(words) > 1 else words
        if len(names) >= 2:
            if names[-1].lower().rstrip(".") in NON_PERSON_HEADS or any(len(w) > 1 and w.isupper() for w in names) \
                    or any(w.lower().rstrip(".") in TITLE_WORDS for w in names[1:]) \
                    or names[0].lower() in FUNCTION_WORDS:
                continue
            name = " ".join(names)
            key = skeleton(names[-1])
            people[key] = name
        elif people and len(names[0]) > 1 and skeleton(names[0]) in people:  # a surname alone
            name = names[0]
            key = skeleton(name)
        else:
            continue
        # the title words around a mention, only for the runs that are mentions
        title = " ".join(words[: len(words) - len(names)]).lower() + " " + text[max(0, start - 40) : start].lower()
        app = APPOSITIVE.match(text, end)
        if app:
            title += " " + app.group(1).lower()
        have = titles.get(key, "")
        if len(have) < MAX_TITLE_CONTEXT:  # (each mention keeps the text so far: bounded, not quadratic)
            titles[key] = have + " " + title
        out.append(_Mention(end - len(name), end, people[key], titles[key], bool(SPEECH_AFTER.match(text, end))))
    return out


def _end_of(run: str, words: list[str]) -> int:
    """Offset in ``run`` just after ``words`` (the run cut after a possessive)."""
    pos = 0
    for w in words:
        pos = run.index(w, pos) + len(w)
    return pos


# -- attribution -------------------------------------------------------------------------------
def _sentence_start(text: str, floor: int, pos: int) -> int:
    """Start of the sentence holding ``pos`` (not before ``floor``)."""
    last = floor
    for m in SENTENCE_START.finditer(text, floor, pos + 1):
        if m.end() <= pos:
            last = m.end()
    return last


ORG_ROLES = frozenset("ministry department statement agency office government administration".split())


def _resolve(spk: str, before: int, floor: int, mentions: list[_Mention], starts: list[int],
             people: dict[str, str]) -> tuple[str | None, str, str]:
    """(person or organisation, how, key) for the subject of an attribution."""
    low = spk.lower()
    # the mentions between floor and before (in text order), the last MAX_SPEAKER_WINDOW of them
    hi = bisect.bisect_left(starts, before)
    window = mentions[max(bisect.bisect_left(starts, floor), hi - MAX_SPEAKER_WINDOW): hi]
    if low in PRONOUNS:
        # the most recent person named, or the subject of a statement in that paragraph
        # (``Blinken said … with Jens Stoltenberg that “…” He continued:`` -> Blinken)
        pick = window[-1] if window else None
        if pick is not None:
            par = [m for m in window if m.paragraph == pick.paragraph and m.subject]
            pick = par[-1] if par else pick
        return (pick.name, "pronoun", speaker_key(pick.name)) if pick else (None, "pronoun", "")
    if low == "it":
        return None, "pronoun", ""
    words = WORDS.findall(low)
    if any(w in ORG_ROLES for w in words):  # ``the Foreign Ministry``: an organisation, not a person
        caps = [w for w in NAME_WORDS.findall(spk)
                if w.lower().rstrip(".") not in ("u.s", "us", "u", "s", "the", "a", "an")]
        return (" ".join(caps) or None), "role", ("org:" + " ".join(skeleton(w) for w in caps) if caps else "")
    if ROLE_FULL.fullmatch(spk) and not THE_NAME.fullmatch(spk):
        head = words[-1] if words else ""
        role = [w[:5] for w in words if w not in ROLE_SKIP]
        best, best_score = None, 0
        for m in window:
            score = sum(1 for w in role if w in m.title)
            if score > 0 and score >= best_score:
                best, best_score = m, score
        if best is None and head in GENERIC_ROLES and window:
            best = window[-1]
        return (best.name, "role", speaker_key(best.name)) if best else (None, "role", "")
    names = _strip_titles(spk.split(), set())
    if names and names[0].lower() in ("the",):
        names = names[1:]
    if not names or (len(names) == 1 and names[0].lower() in FUNCTION_WORDS):
        return None, "", ""
    if len(names) == 1:
        full = people.get(skeleton(names[0]))
        if full:
            return full, "name", speaker_key(full)
    name = " ".join(names)
    return name, "name", speaker_key(name)


def _attribution(text: str, s: int, e: int, sent0: int, par_end: int) -> tuple[str | None, str]:
    """(subject as written, where it was found) for the quote ``text[s:e]``."""
    close = e + 1
    tail = text[close : min(par_end, close + ATTRIBUTION_REACH)]
    # the lead-in: the sentence up to the opening mark, its last LEAD_IN_REACH characters from
    # a word start (a paragraph without sentence ends is not searched whole for each quote)
    lead = max(sent0, s - 1 - LEAD_IN_REACH)
    if lead > sent0:
        lead = text.find(" ", lead, s - 1) + 1 or lead
    head = text[lead : max(lead, s - 1)]
    inner_end = text[s:e].rstrip()
    m = AFTER_SUBJECT_VERB.match(tail) or AFTER_VERB_SUBJECT.match(tail)
    if m and not NEW_SENTENCE.match(tail):
        spk = m.group("spk")
        # ``“… closed.” He added`` starts a new sentence: not an attribution
        if not (inner_end.endswith(".") and spk[:1].isupper() and spk.split()[0].lower() in ("he", "she", "they", "it", "the", "this")):
            return spk, "after"
    m = BEFORE.search(head)
    if m and (len(m.group("rest")) < 90 or m.group("rest").rstrip().endswith((":", ",", "that"))):
        return m.group("spk"), "before"
    m = ACCORDING.search(tail[:80]) or ACCORDING.search(head)
    if m:
        return m.group("spk"), "according"
    return None, ""


def _is_prose(text: str, span: Span) -> bool:
    """A paragraph of running text, not a caption, credit or heading (``• Reuters``)."""
    body = text[span.start : span.end].rstrip()
    return body.endswith((".", "!", "?", "…", "”", '"', "»", ":")) or len(WORDS.findall(body)) >= 12


def extract_quotations(doc: Document) -> list[Quotation]:
    """Every quotation of ``doc`` with its speaker where the text names one."""
    text = doc.text
    paragraphs = doc.paragraphs
    spans = quote_spans(text, paragraphs)
    if not spans:
        return []
    pstarts = [p.start for p in paragraphs]
    prose = [i for i, p in enumerate(paragraphs) if _is_prose(text, p)]
    prose_starts = {paragraphs[i].start for i in prose}
    mentions = []
    for m in person_mentions(text, spans):
        m.paragraph = max(0, bisect.bisect_right(pstarts, m.start) - 1)
        if paragraphs[m.paragraph].start in prose_starts:
            mentions.append(m)
    starts = [m.start for m in mentions]
    people = {skeleton(m.name.split()[-1]): m.name for m in mentions}
    sstarts = [sp.start for sp in doc.sentences]
    out: list[Quotation] = []
    for s, e in spans:
        q = Quotation(s, e, text[s:e])
        pi = max(0, bisect.bisect_right(pstarts, s) - 1)
        pe = max(0, bisect.bisect_right(pstarts, e) - 1)
        back = prose[max(0, bisect.bisect_left(prose, pi) - 3): bisect.bisect_left(prose, pi)]
        floor = paragraphs[back[0]].start if back else paragraphs[pi].start
        si = bisect.bisect_right(sstarts, s - 1) - 1
        sent0 = max(sstarts[si] if si >= 0 else 0, paragraphs[pi].start)
        spk, how = _attribution(text, s, e, sent0, paragraphs[pe].end)
        if spk:
            name, kind, key = _resolve(spk, sent0, floor, mentions, starts, people)
            if kind:
                q.speaker, q.speaker_name, q.key = spk, name, key
                q.how = how if kind == "name" else kind
        if not q.speaker and out and out[-1].key and _continues(text, out[-1], s, paragraphs, pstarts):
            prev = out[-1]
            q.speaker, q.speaker_name, q.key, q.how = prev.speaker, prev.speaker_name, prev.key, "carried"
        q.units = quote_units(text, s, e)
        out.append(q)
    return out


def _continues(text: str, prev: Quotation, s: int, paragraphs: list[Span], pstarts: list[int]) -> bool:
    """Whether an unattributed quote at ``s`` goes on with the statement ``prev``.

    It does when nothing but ``prev``'s own attribution stands between them: the next
    paragraph opens with the quote (``“…,” Blinken said.`` / ``“It’s also …”``), or the
    quote follows in the same paragraph (``“…,” he said. “We need a roadmap.”``).
    """
    if len(WORDS.findall(prev.text)) < 5 and prev.how != "carried":
        return False
    prev_par = max(0, bisect.bisect_right(pstarts, prev.end) - 1)
    pi = max(0, bisect.bisect_right(pstarts, s) - 1)
    if pi == prev_par:
        between = text[prev.end + 1 : s - 1]
    elif pi == prev_par + 1 and s - 1 == paragraphs[pi].start:
        between = text[prev.end + 1 : paragraphs[prev_par].end]
    else:
        return False
    return len(between) < ATTRIBUTION_REACH and len(SENTENCE_START.findall(between.strip() + " x")) <= 1


#: A piece of a quote shorter than this many words joins its neighbour.
MIN_UNIT_WORDS = 4
UNIT_END = regex.compile(r"[.!?…]+['\"”’»)\]]*(?=\s+\S)|\n\s*\n")


def quote_units(text: str, start: int, end: int) -> list[Span]:
    """The quote split into sentences (short ones merged), trimmed of edge punctuation."""
    pieces: list[list[int]] = []
    pos = start
    for m in UNIT_END.finditer(text, start, end):
        pieces.append([pos, m.end()])
        pos = m.end()
    pieces.append([pos, end])
    merged: list[list[int]] = []
    for a, b in pieces:
        if merged and len(WORDS.findall(text, a, b)) < MIN_UNIT_WORDS:
            merged[-1][1] = b
        elif merged and len(WORDS.findall(text, *merged[-1])) < MIN_UNIT_WORDS:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    out = []
    for a, b in merged:
        while a < b and (text[a].isspace() or text[a] in "“”„«»\"'‘’,;:—–-"):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in "“”„«»\"'‘’,;:—–-"):
            b -= 1
        if b > a:
            out.append(Span(a, b))
    return out
