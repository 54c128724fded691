"""Language identification behind one small interface.

Document language comes from ``--lang``, the config, a language column — or, failing all
three, from :func:`detect_document_language`, which asks lingua (restricted to the
configured languages, low-accuracy mode: fast, no download, deterministic) about the
first few thousand characters.
"""

from __future__ import annotations

from typing import Any

#: ISO 639-1 codes this module can name; lingua's enum names for them.
LINGUA_NAMES = {
    "en": "ENGLISH", "ru": "RUSSIAN", "tr": "TURKISH", "de": "GERMAN", "fr": "FRENCH",
    "uk": "UKRAINIAN", "es": "SPANISH", "it": "ITALIAN", "pt": "PORTUGUESE", "pl": "POLISH",
    "bg": "BULGARIAN", "ar": "ARABIC", "fa": "PERSIAN", "az": "AZERBAIJANI", "kk": "KAZAKH",
    "nl": "DUTCH", "el": "GREEK", "ro": "ROMANIAN", "sr": "SERBIAN", "hy": "ARMENIAN",
    "ka": "GEORGIAN", "he": "HEBREW", "zh": "CHINESE", "ja": "JAPANESE", "ko": "KOREAN",
}
SAMPLE_CHARS = 3000


def lingua_detector(languages: list[str]):
    """A lingua detector restricted to ``languages`` (ISO 639-1 codes)."""
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, LINGUA_NAMES[c]) for c in languages if c in LINGUA_NAMES]
    if len(langs) < 2:
        langs = [Language.ENGLISH, Language.RUSSIAN] if not langs else langs + [Language.ENGLISH]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def iso_code(language: Any) -> str:
    """lingua ``Language`` -> ISO 639-1 code."""
    return language.iso_code_639_1.name.lower()


def detect_document_language(text: str, ctx) -> str | None:
    """The most likely language of a document, among the configured ones."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    languages = list(getattr(ctx.config, "languages", None) or ["en", "ru"])
    detector = ctx.shared(("lingua", tuple(languages)), lambda: lingua_detector(languages))
    found = detector.detect_language_of(sample)
    return iso_code(found) if found is not None else None
