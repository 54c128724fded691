"""The encoding/script rules' fast paths find exactly what the patterns they replace find.

Each rule used to scan the whole text with its pattern; now a cheap search (``str.find``,
a literal stdlib ``re`` scan, :attr:`Document.chars`) finds the few places worth trying and
the pattern is tried only there. These tests compare each fast path with the plain
``finditer`` of the pattern on derandomised arbitrary text, and check that the parallel
engine returns the same results, in the same order, as one process.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import chardata
from audit.config import Config
from audit.detectors import mojibake_data as md
from audit.detectors import untranslated
from audit.detectors.homoglyph import DESIGNATION, designations
from audit.detectors.invisible import INVISIBLE, INVISIBLE_CHARS
from audit.detectors.lost_character import _in_text_pattern, _pattern_source
from audit.detectors.mojibake import prescreen_matches
from audit.detectors.script_data import CYRILLIC_GREEK_CHARS, CYRILLIC_GREEK_RUN, ScriptContext, script_counts
from audit.detectors.whitespace import SPACE_BEFORE_PUNCT, _spaces_before_punct
from audit.document import Document
from audit.engine import audit_documents, run_batches

ALPHABET = (
    "abcdeSCBPXyAZ019٣²" "ÃÂÅÄâ€™œÐÑÒýþðÌèí" "еоСРςαΩ" "\u0301"
    " \t\n\r\u00a0" "\x00\x0b\x1b\x7f\x85\x9d\u200b\u200c\u200e\u202e\u2066\ufeff\u00ad\ufffd\u2010\u2011"
    ".,;:!?-‐'’/_@#"
)
FRAGMENTS = ["C-400", "S-400", "xS-40000", "Cу-35", "B-1.5", "Ã‡avuÅŸoÄŸlu", "doesnâ€™t", "РґРѕСЂРѕРіРµ",
             "yýldönümü", "Ìèíèñòð", "\x92", "Ã ", "Erdo\ufffdan", "Erdo?an", "Erdoğan", "  ", " ,", " .",
             "\u00a0 ", "news\u00adpaper", "Blinkеn"]
texts = st.one_of(
    st.text(alphabet=ALPHABET, max_size=120),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ALPHABET, max_size=6)), max_size=20).map("".join),
)
SETTINGS = settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=st.text(max_size=80) | texts)
def test_document_chars_are_the_characters_other_than_plain_ascii(text):
    assert Document("d", text).chars == {c for c in text if not (" " <= c <= "~" or c in "\t\n\r")}


@SETTINGS
@given(text=texts)
def test_char_runs_equal_a_character_class_scan(text):
    doc = Document("d", text)
    assert chardata.char_runs(text, INVISIBLE_CHARS & doc.chars) == [m.span() for m in INVISIBLE.finditer(text)]
    assert (chardata.char_runs(text, CYRILLIC_GREEK_CHARS & doc.chars)
            == [m.span() for m in CYRILLIC_GREEK_RUN.finditer(text)])


def test_the_character_sets_are_the_pattern_classes():
    every = "".join(map(chr, range(0x10000)))
    assert INVISIBLE_CHARS == {c for c in every if INVISIBLE.match(c)}
    assert CYRILLIC_GREEK_CHARS == {c for c in every if CYRILLIC_GREEK_RUN.match(c)}


@SETTINGS
@given(text=texts, spans=st.lists(st.tuples(st.integers(0, 130), st.integers(0, 130)), min_size=1, max_size=40))
def test_script_counts_from_the_run_index_equal_counting_the_slice(text, spans):
    sc = ScriptContext(Document("d", text))
    sc.INDEX_SHARE = 0  # every span from the index
    for a, b in spans:
        assert sc.counts(a, b) == script_counts(text[a:b])


SENTENCE_PIECES = ["a", "B", "ж", "Ж", ".", "!", "?", "…", " ", "  ", "\n", "\r\n", "\n\n", "”", "»", ")", "“",
                   "«", "(", "1", "В.", "x. Y", "\t", "Kalın said. Then"]


@SETTINGS
@given(pieces=st.lists(st.sampled_from(SENTENCE_PIECES), max_size=40), window=st.sampled_from([2, 3, 5, 8, 400]))
def test_sentence_breaks_from_the_document_scan_equal_the_window_scan(pieces, window):
    """ScriptContext.sentence answers from one scan of the whole document where that gives
    what the window's own scan gives, and says so (None) everywhere else."""
    from audit.detectors import script_data as sd

    text = "".join(pieces)
    sc = ScriptContext(Document("d", text))
    sc._breaks = sd._all_breaks(text)
    saved, sd.WINDOW = sd.WINDOW, window
    try:
        for off in range(len(text)):
            lo, hi = max(0, off - window), min(len(text), off + window)
            got = sc._breaks_around(off, lo, hi)
            assert got is None or got == sd._window_breaks(text, off, lo, hi), (text, off, window)
            # and sentence() gives the same spans whichever way it finds the breaks
            windowed = ScriptContext(Document("d", text))
            windowed.INDEX_SHARE = float("inf")
            assert sc.sentence(off) == windowed.sentence(off), (text, off, window)
    finally:
        sd.WINDOW = saved


def _covers_sentence_by_scan(doc, toks, start, end, labels="FKUNCX"):
    """untranslated.covers_sentence as it was: every token of the paragraph looked at."""
    first, last = untranslated._sentence_at(doc, start), untranslated._sentence_at(doc, max(start, end - 1))
    inside = outside = 0
    for t in toks:
        if t.start < first.start or t.end > last.end or t.label not in labels:
            continue
        if start <= t.start and t.end <= end:
            inside += 1
        elif t.label != "C":
            outside += 1
        else:
            outside += 0.5
    return inside > 0 and outside <= 1 and inside >= 0.75 * (inside + outside)


@SETTINGS
@given(text=texts, labels=st.lists(st.sampled_from("FKUNCXAD"), min_size=200, max_size=200),
       spans=st.lists(st.tuples(st.integers(0, 130), st.integers(1, 40)), min_size=1, max_size=20))
def test_covers_sentence_equals_the_scan_of_every_token(text, labels, spans):
    doc = Document("d", text + " Ends here. Another one.")
    toks = [untranslated.Tok(m.start(), m.end(), m.group(), None, label)
            for m, label in zip(chardata.WORD.finditer(doc.text), labels)]
    for a, n in spans:
        a = min(a, len(doc.text) - 1)
        for lab in ("FKUNCX", "FKUNA"):
            assert (untranslated.covers_sentence(doc, toks, a, a + n, lab)
                    == _covers_sentence_by_scan(doc, toks, a, a + n, lab))


@SETTINGS
@given(text=texts)
def test_designations_equal_the_designation_pattern(text):
    expected = [(m.start(1), m.end(3), m.group(1), m.group(2), m.group(3)) for m in DESIGNATION.finditer(text)]
    assert designations(text, Document("d", text).chars) == expected
    assert designations(text) == expected


@SETTINGS
@given(text=texts)
def test_spaces_before_punctuation_equal_the_pattern(text):
    assert [m.span() for m in _spaces_before_punct(text)] == [m.span() for m in SPACE_BEFORE_PUNCT.finditer(text)]


@SETTINGS
@given(text=texts)
def test_mojibake_prescreen_equals_the_pattern(text):
    expected = [m.span() for m in md.PRESCREEN.finditer(text)]
    assert [m.span() for m in prescreen_matches(text, Document("d", text).chars)] == expected
    if expected:
        assert not md.PRESCREEN_FIRST.isdisjoint(text)


@SETTINGS
@given(word=st.text(alphabet="aAsSſkKİiı?\ufffd", min_size=1, max_size=5), text=texts)
def test_lost_character_in_text_pattern_equals_the_look_behind_first_form(word, text):
    reference = re.compile(r"(?<![\w?\ufffd])" + _pattern_source(word) + r"(?![\w?\ufffd])",
                           re.IGNORECASE)
    text = text + " " + word.replace("?", "a").replace("\ufffd", "s") + " " + word.upper()
    assert [m.span() for m in _in_text_pattern(word).finditer(text)] == [m.span() for m in reference.finditer(text)]


def test_two_jobs_return_the_results_of_one_in_input_order():
    config = Config(select=["encoding", "script"], lang="en")
    docs = [Document(f"d{i:04}", f"Erdo\u200bgan met Blinkеn {'on S-400 ' * (i % 3)}today{' ,' * (i % 2)} {i}",
                     lang="en") for i in range(3000)]  # six batches: pooled and local ones interleave

    def collect(results):
        return [(f.doc, f.rule, f.start, f.end, f.fingerprint) for r in results for f in r.findings]

    one = collect([audit_documents(docs, config)])
    two = collect(run_batches(iter(docs), config, jobs=2))
    assert one == two and len(one) > 6000


def test_a_run_of_batches_tunes_the_collector_and_restores_it(monkeypatch):
    """run_batches raises the collector's first threshold while it runs (restored after, also
    when the caller stops early); a worker keeps it."""
    import gc

    from audit import engine

    config = Config(select=["whitespace"], lang="en")
    docs = [Document(f"d{i}", "a  b " * 50, lang="en") for i in range(1200)]  # three batches
    before = gc.get_threshold()
    seen = []
    for result in run_batches(iter(docs), config, jobs=1):
        seen.append((gc.get_threshold()[0], len(result.findings)))
    assert gc.get_threshold() == before
    assert len(seen) == 3 and all(t == max(engine.GC_THRESHOLD, before[0]) and n > 0 for t, n in seen)
    stream = run_batches(iter(docs), config, jobs=1)
    next(stream)
    stream.close()  # a caller that stops early
    assert gc.get_threshold() == before
    # a worker (its initialiser and batch function, in this process)
    monkeypatch.setattr(engine, "_WORKER_CONFIG", None)
    monkeypatch.setattr(engine, "_WORKER_FN", None)
    try:
        engine._init_worker(config)
        assert engine._work(docs[:10]).findings and gc.get_threshold()[0] == max(engine.GC_THRESHOLD, before[0])
    finally:
        gc.set_threshold(*before)


@SETTINGS
@given(text=st.text(alphabet="ab \r\n\u00a0", max_size=30))
def test_line_span_and_line_col_follow_every_kind_of_line_break(text):
    breaks = list(re.finditer(r"\r\n|\n|\r", text))
    doc = Document("d", text)
    for offset in range(len(text) + 1):
        before = [m for m in breaks if m.end() <= offset]
        start = before[-1].end() if before else 0
        after = next((m for m in breaks if m.start() >= start), None)
        assert tuple(doc.line_span(offset)) == (start, after.start() if after else len(text))
        assert doc.line_col(offset) == (len(before) + 1, offset - start + 1)


def test_batches_a_worker_has_not_started_are_taken_back_when_the_input_ends(monkeypatch):
    """At the end of the input the main process audits the batches still queued for a worker
    (cancelled futures) instead of waiting: here the pool never starts any, so all of them
    must be taken back, and the results still come in input order."""
    import threading
    from concurrent.futures import Future

    import audit.engine as engine

    class IdlePool:  # a pool whose worker never gets to its queue (a slow start, a busy core)
        instances: list = []

        def __init__(self, *args, **kwargs):
            self.ran = 0
            self.timers = []
            IdlePool.instances.append(self)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            for timer in self.timers:
                timer.cancel()
            return False

        def submit(self, fn, batch):
            future = Future()

            def late():  # a safety net, so that a regression fails instead of hanging
                if future.set_running_or_notify_cancel():
                    self.ran += 1
                    future.set_result(engine.audit_documents(batch, config))
            timer = threading.Timer(30, late)
            timer.daemon = True
            timer.start()
            self.timers.append(timer)
            return future

    monkeypatch.setattr(engine, "ProcessPoolExecutor", IdlePool)
    config = Config(select=["encoding", "script"], lang="en")
    docs = [Document(f"d{i:04}", f"Erdo\u200bgan met Blinkеn {'on S-400 ' * (i % 3)}today {i}", lang="en")
            for i in range(3000)]
    one = [(f.doc, f.rule, f.start) for f in audit_documents(docs, config).findings]
    two = [(f.doc, f.rule, f.start) for r in run_batches(iter(docs), config, jobs=2) for f in r.findings]
    assert two == one
    (pool,) = IdlePool.instances
    assert pool.ran == 0, "every batch queued for the idle worker was taken back"


@SETTINGS
@given(text=st.text(alphabet="İIiıΣσςAaΟΔ \u0307'", max_size=40) | texts)
def test_lower_same_length_equals_lowering_each_character_when_lower_changes_the_length(text):
    want = text.lower()
    if len(want) != len(text):
        want = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    assert chardata.lower_same_length(text) == want



MIXED_PIECES = ["Tо есть", "Blinkеn", "WНO", "Москва", "в", "и", "a", "I", "с", "Aβ", "α-helix", "ΔT", "Ελλάδα",
                "S-400", "C-400", "Cу-35", ". ", ", ", " ", "\n\n", "Yeni тируетafak", "ЕС", "EU", "мир", "peace", "о",
                "The minister said that the talks would go on. "]


@SETTINGS
@given(pieces=st.lists(st.sampled_from(MIXED_PIECES) | st.text(alphabet="aoeсоеαοx .", max_size=4), max_size=60))
def test_mixed_script_findings_of_a_latin_document_do_not_depend_on_how_many_cyrillic_runs_it_has(pieces):
    """Past :data:`RUN_LIMIT` Cyrillic or Greek runs, a Latin document's findings are those
    it would have with few (the limit never reached); a Cyrillic one's are what they were."""
    from audit.detectors import mixed_script as ms
    from audit.detectors.script_data import RARE_RUNS

    text = "".join(pieces)
    det, ctx = ms.MixedScript(), _mixed_ctx()
    limit = ms.RUN_LIMIT
    found = []
    try:
        for ms.RUN_LIMIT in (2, 10_000):
            found.append([(f.start, f.end, f.message, f.suggestion) for f in det.find(Document("d", text, lang="en"), ctx)])
    finally:
        ms.RUN_LIMIT = limit
    runs = [m.span() for m in CYRILLIC_GREEK_RUN.finditer(text)]
    if len(runs) <= 2:
        assert found[0] == found[1]
        return
    counts = script_counts(text[runs[0][0]:min(runs[2][1], runs[0][0] + ms.RARE_SAMPLE)])
    if counts["Latin"] > counts["Cyrillic"] + counts["Greek"]:
        assert found[0] == found[1]
    else:  # the runs of the other scripts than the document's
        whole = script_counts(text[runs[0][0]:runs[2][1]])
        rare = RARE_RUNS["Greek" if whole["Greek"] > whole["Cyrillic"] else "Cyrillic"]
        assert ms._rare_runs(text, runs[:3]) == [m.span() for m in rare.finditer(text)]


def _mixed_ctx():
    from audit.detectors import Context

    return Context(config=Config(select=["mixed-script"]))


def test_a_latin_document_with_many_cyrillic_runs_judges_those_runs_not_its_latin_words():
    from audit.detectors import mixed_script as ms

    text = "The talks went on, the minister said. Blinkеn arrived in Ankara on Wednesday.\n\n" * 1000
    runs = [m.span() for m in CYRILLIC_GREEK_RUN.finditer(text)]
    assert len(runs) == 1000 > ms.RUN_LIMIT
    assert ms._rare_runs(text, runs[:ms.RUN_LIMIT + 1]) == runs
    found = list(ms.MixedScript().find(Document("d", text, lang="en"), _mixed_ctx()))
    assert [f.text for f in found] == ["Blinkеn"] * 1000
    # a Russian one: its Latin runs
    ru = "Министр заявил, что переговоры продолжатся. Встреча прошла в Анкаре, сообщил Blinkеn.\n\n" * 1000
    runs = [m.span() for m in CYRILLIC_GREEK_RUN.finditer(ru)]
    assert ms._rare_runs(ru, runs[:ms.RUN_LIMIT + 1]) == [m.span() for m in re.finditer("[A-Za-z]+", ru)]


@SETTINGS
@given(text=texts | st.text(alphabet="abc é’'-_\u0301\u0483ⅧⅫ٣²½Ж中ﾃ\U0001d7d8\u1885\u0e31ก", max_size=60))
def test_a_documents_word_pattern_matches_what_the_word_pattern_matches(text):
    doc = Document("d", text)
    assert [m.span() for m in doc.word_pattern.finditer(text)] == [m.span() for m in chardata.WORD.finditer(text)]
    assert [t[:2] for t in doc.tokens] == [m.span() for m in chardata.WORD.finditer(text)]


QUOTE_PIECES = ['"', "“", "”", "„", "«", "»", "‟", "'", " ", "\n", "\n\n", " \n \n", "\r\n\r\n", "\u2028", "\t",
                "word", "Said", ".", ",", "\u00a0"]


@SETTINGS
@given(pieces=st.lists(st.sampled_from(QUOTE_PIECES) | st.text(alphabet=ALPHABET, max_size=4), max_size=40))
def test_quote_marks_by_paragraph_from_one_scan_equal_a_scan_of_each_paragraph(pieces):
    from audit.detectors.quotes import DOUBLE_MARKS, paragraph_marks

    text = "".join(pieces)
    paras = Document("d", text).paragraphs
    expected = [(pi, p, found) for pi, p in enumerate(paras)
                if (found := [m.start() for m in DOUBLE_MARKS.finditer(text, p.start, p.end)])]
    assert list(paragraph_marks(text, paras)) == expected
    # every mark lies in a paragraph: nothing is left out
    assert sum(len(f) for _, _, f in expected) == len(DOUBLE_MARKS.findall(text))


MARKUP_PIECES = ["@", "a.b", "x@y.com", "@z.org", "://", "https://e.org/a?b=1", "WWW.", "www.x.ru", "ftp://h",
                 ".", "-", "+", "_", "a", "Б", "1", " ", "\n", "\u00a0", "\u2028", "\x1c", "«", "»", "(", ")", ",", "<b>"]


@SETTINGS
@given(pieces=st.lists(st.sampled_from(MARKUP_PIECES) | st.text(alphabet=ALPHABET, max_size=3), max_size=30))
def test_url_and_email_tokens_from_their_needles_equal_the_whole_text_scan(pieces):
    """The URL and e-mail patterns run only on the whitespace-delimited tokens that hold a
    needle (``://``, ``www.`` in any case; ``@``): the same matches as a scan of the whole text."""
    from audit.detectors import bilingual_data
    from audit.detectors.bilingual_markup import LOCAL_KINDS, local_matches

    text = "".join(pieces)
    for kind, needle in LOCAL_KINDS.items():
        pattern = bilingual_data.MARKUP[kind]
        assert ([m.span() for m in local_matches(pattern, text, needle)]
                == [m.span() for m in pattern.finditer(text)]), kind
