"""Calques and translationese, driven by the phrase lexicons of ``lexicons/phrases/``."""

from __future__ import annotations

from ..phrases import PhraseMatcher, load_phrase_rules
from .base import Detector

LANGUAGE_NAMES = {
    "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "de": "German", "fr": "French",
    "en": "English", "es": "Spanish", "it": "Italian", "ar": "Arabic",
}
#: Confidence by the kind of evidence behind a hit.
CONFIDENCE = {"declared": 0.9, "strong": 0.85, "weak": 0.6}


def _base(lang: str | None) -> str | None:
    return lang.split("-")[0].split("_")[0].lower() if lang else None


class Calque(Detector):
    """A phrase that copies a habit of the source language (a calque or translationese).

    What it finds:
        Phrases listed in the phrase lexicons of ``lexicons/phrases/SRC-TGT.csv``: Russian
        ``Напомним`` rendered as ``We will remind,`` or ``Recall that``, ``the complexes`` for
        air-defence systems, Turkish ``... öğrenildi`` as ``It was learned that``, German
        ``seit drei Jahren`` as ``since three years``, French ``informations``. Each lexicon
        row is a rule: a literal phrase or a regex, its case and position rules, an
        explanation and suggested alternatives.

        Which pairs apply: with a source language (``source_lang`` in the config, a
        ``--source-lang`` flag or a column) only that pair's rows into the document's
        language. Without one, rows marked ``strong`` always apply, and the ``weak`` rows of
        a pair apply only in a document where at least one strong row of the same pair
        matched — so ``In turn,`` is flagged in a translation from Russian that also says
        ``We will remind,``, and left alone in native English.

    Why it matters:
        Calques are the surest sign of an unedited machine or hurried translation; readers
        notice them, and they often shift meaning (``since three years``, ``assisted to``).

    Example:
        ``We will remind, earlier the ambassador said`` -> ``As a reminder, earlier the ambassador said``
        ``Turkey's acquisition of the S-400 complexes`` -> ``Turkey's acquisition of the S-400 systems``

    Known false positives:
        Weak rows are common phrases that are also native (``within the framework of``,
        ``In turn,``); they are reported as info and only next to a strong marker or with a
        declared source language. Quoted speech that is itself translated keeps its
        calques on purpose. Literal uses of idioms (``am Ende des Tages`` meaning the
        evening) match the idiom's row.
    """

    name = "calque"
    category = "phrasing"
    severity = "warning"
    fixable = True
    safe_fix = False

    def find(self, doc, ctx):
        config = ctx.config
        target = _base(doc.lang)
        source = _base(doc.source_lang or (config.source_lang if config else None))
        extra = tuple(config.lexicons) if config else ()
        builtin = config.builtin_lexicons if config else True
        matcher = ctx.shared(("calque-matcher", target, source, extra, builtin),
                             lambda: self._matcher(target, source, extra, builtin))
        if matcher is None:
            return
        hits = list(matcher.find(doc.text))
        if source:
            active = {(source, target)}
        else:
            active = {h.rule.pair for h in hits if h.rule.strong}
        for h in hits:
            r = h.rule
            if not (r.strong or r.pair in active):
                continue
            evidence_kind = "declared" if source else ("strong" if r.strong else "weak")
            lang = LANGUAGE_NAMES.get(r.pair[0], r.pair[0])
            alternatives = h.suggestions()
            origin = f" ('{r.source}')" if r.source else ""
            yield self.flag(
                doc, h.start, h.end,
                f"{lang} calque{origin}: {r.explanation}",
                suggestion=alternatives[0] if alternatives else None,
                confidence=CONFIDENCE[evidence_kind],
                severity=r.severity,
                entry=r.key, source_lang=r.pair[0], marker=r.marker,
                alternatives=alternatives or None,
            )

    @staticmethod
    def _matcher(target, source, extra, builtin):
        rules = [
            r for r in load_phrase_rules(extra, builtin)
            if (target is None or r.pair[1] == target) and (source is None or r.pair[0] == source)
        ]
        return PhraseMatcher(rules) if rules else None
