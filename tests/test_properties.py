"""Property test: arbitrary Unicode through every registered detector.

No detector may raise, every finding's ``text`` is exactly ``doc[start:end]`` with
``0 <= start <= end <= len(doc)``, and line/column agree with the offset. Derandomised, so
the same examples run every time.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import Document
from audit.config import Config
from audit.detectors import DETECTORS, Context
from audit.engine import audit_documents, corpus_stage

CONFIG = Config(select=sorted(DETECTORS))
#: One context for all examples, as one worker process keeps one: lexicons and language
#: models load once.
CTX = Context(config=CONFIG)
LINE_BREAK = re.compile(r"\r\n|\n|\r")

#: Characters that make detectors work: scripts, look-alikes, controls, spaces, quotes.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАВСЕНКМОРТХУ" "ΑΒΕΗΙΚΜΝΟΡΤΥΧαβγδμοπΔΩ" "іїєґІ"
    "ĞğİıŞşÇçÖöÜüÉéÆæ" "ÃÂÅÄâ€™œžŸ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßýþ"
    " \t\n\r\u00a0\u2009\u202f\u3000" "\x00\x01\x08\x0b\x0c\x1b\x7f\x80\x85\x9d\u200b\u200c\u200d\u200e\u202e\u2066\ufeff\u00ad\ufffd"
    ".,;:!?-‐‑–—…'\"“”„«»‘’‚‹›()[]/\\#@_*&%$+=<>|~`^{}" "•©®™×÷"
)
FRAGMENTS = [
    "Yeni тируетafak", "Blinkеn", "WНO", "Tо есть", "титанP", "105х195", "В. K. Arsenyev", "C-400", "S-400",
    "Cу-35", "Ã‡avuÅŸoÄŸlu", "â€™", "yýldönümü þeref", "РґРѕСЂРѕРіРµ", "https://example.com/статья", "ivаn@mail.ru",
    "#Москваcity", "α-helix", "μm", "NF-κB", "\u00a0 ", "  ", " ,", "Erdo\u200bgan", "news\u00adpaper", "\r\n", "\n\n",
    "“We will remind,” he said.", "S-400s", "С-400", "USB-порты", "Mr. ", "U.S. ", "<unk>", "@@ ", "&nbsp;",
]
texts = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=ALPHABET, max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ALPHABET, max_size=12)), max_size=30).map("".join),
)
langs = st.sampled_from([None, "en", "ru", "tr", "el", "uk", "fr", "de"])


def expected_line_col(text: str, offset: int) -> tuple[int, int]:
    line, start = 1, 0
    for m in LINE_BREAK.finditer(text):
        if m.end() > offset:
            break
        line, start = line + 1, m.end()
    return line, offset - start + 1


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=langs, other=texts)
def test_every_detector_on_arbitrary_text(text, lang, other):
    docs = [Document("a", text, lang=lang or "en"), Document("b", other, lang=lang)]
    result = audit_documents(docs, CONFIG, CTX)
    assert result.failures == []
    found = result.findings + corpus_stage(result.observations, CONFIG, CTX)
    by_id = {d.id: d.text for d in docs}
    for f in found:
        doc = by_id[f.doc]
        assert 0 <= f.start <= f.end <= len(doc), f
        assert f.text == doc[f.start : f.end], f
        assert (f.line, f.column) == expected_line_col(doc, f.start), f
        assert f.rule in DETECTORS and f.category == DETECTORS[f.rule].category
        assert f.severity in ("error", "warning", "info") and 0.0 <= f.confidence <= 1.0
        assert f.suggestion is None or isinstance(f.suggestion, str)
