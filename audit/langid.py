"""Language identification behind one small interface, plus word-frequency evidence.

Document language comes from ``--lang``, the config, a language column — or, failing all
three, from :func:`detect_document_language`, which asks lingua (restricted to the
configured languages, low-accuracy mode: fast, no download, deterministic) about the
first few thousand characters.

Passage-level identification (the ``untranslated-passage`` rule) goes through an
:class:`Identifier`: two backends answer the same question — "which of these languages is
this text in, and how sure are you?" — so they can be swapped by ``config.langid`` and
measured against each other (``benchmarks/bench_langid.py``, ``docs/langid.md``):

- :class:`LinguaIdentifier` (default): lingua restricted to the configured languages;
  deterministic; can also split mixed-language text into spans with offsets.
- :class:`LangdetectIdentifier`: langdetect, always seeded (``DetectorFactory.seed = 0``)
  so that results repeat, its priors restricted to the configured languages.

Identification is unreliable on short strings, so the rule weighs it against
:class:`WordFrequencies` — Zipf frequencies from the ``wordfreq`` lists that ship with the
package (no download).

>>> ident = make_identifier("langdetect", ["en", "de"])
>>> ident.identify("Das ist nicht das, was wir vereinbart haben.")[0][0]
'de'
>>> wf = WordFrequencies(["en", "de"], top_n=20000)
>>> wf.zipf("und", "de") > wf.zipf("und", "en")
True
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

#: ISO 639-1 codes this module can name; lingua's enum names for them.
LINGUA_NAMES = {
    "en": "ENGLISH", "ru": "RUSSIAN", "tr": "TURKISH", "de": "GERMAN", "fr": "FRENCH",
    "uk": "UKRAINIAN", "es": "SPANISH", "it": "ITALIAN", "pt": "PORTUGUESE", "pl": "POLISH",
    "bg": "BULGARIAN", "ar": "ARABIC", "fa": "PERSIAN", "az": "AZERBAIJANI", "kk": "KAZAKH",
    "nl": "DUTCH", "el": "GREEK", "ro": "ROMANIAN", "sr": "SERBIAN", "hy": "ARMENIAN",
    "ka": "GEORGIAN", "he": "HEBREW", "zh": "CHINESE", "ja": "JAPANESE", "ko": "KOREAN",
}
#: langdetect's profile names where they differ from ISO 639-1.
LANGDETECT_NAMES = {"zh": "zh-cn"}
#: The writing system of each language this module knows (for script analysis).
SCRIPT_OF = {
    "en": "Latin", "de": "Latin", "fr": "Latin", "tr": "Latin", "es": "Latin", "it": "Latin",
    "pt": "Latin", "pl": "Latin", "az": "Latin", "nl": "Latin", "ro": "Latin",
    "ru": "Cyrillic", "uk": "Cyrillic", "bg": "Cyrillic", "kk": "Cyrillic", "sr": "Cyrillic",
    "el": "Greek", "ar": "Arabic", "fa": "Arabic", "he": "Hebrew", "hy": "Armenian",
    "ka": "Georgian", "zh": "Han", "ja": "Han", "ko": "Hangul",
}
BACKENDS = ("lingua", "langdetect")
SAMPLE_CHARS = 3000


def lingua_detector(languages: Iterable[str]):
    """A lingua detector restricted to ``languages`` (ISO 639-1 codes)."""
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, LINGUA_NAMES[c]) for c in languages if c in LINGUA_NAMES]
    if len(langs) < 2:
        langs = [Language.ENGLISH, Language.RUSSIAN] if not langs else langs + [
            Language.ENGLISH if langs[0] != Language.ENGLISH else Language.RUSSIAN]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def iso_code(language: Any) -> str:
    """lingua ``Language`` -> ISO 639-1 code."""
    return language.iso_code_639_1.name.lower()


def detect_document_language(text: str, ctx) -> str | None:
    """The most likely language of a document, among the configured ones.

    A whole article is easy: when the function words of one configured language clearly
    outnumber every other's (:func:`function_word_vote`), that answer costs a dictionary
    lookup per word. Otherwise lingua decides, on the first ``SAMPLE_CHARS`` characters.
    """
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    languages = list(getattr(ctx.config, "languages", None) or ["en", "ru"])
    quick = function_word_vote(sample, languages)
    if quick is not None:
        return quick
    detector = ctx.shared(("lingua", tuple(languages)), lambda: lingua_detector(languages))
    found = detector.detect_language_of(sample)
    return iso_code(found) if found is not None else None


def _distinct_function_words() -> dict[str, frozenset]:
    from .langdata import FUNCTION_WORDS

    return {
        code: words - frozenset().union(*(w for c, w in FUNCTION_WORDS.items() if c != code))
        for code, words in FUNCTION_WORDS.items()
    }


_DISTINCT: dict[str, frozenset] | None = None


def function_word_vote(sample: str, languages: Iterable[str], min_hits: int = 8, ratio: float = 4.0) -> str | None:
    """The configured language whose own function words dominate ``sample``, or None.

    Only languages with a function-word list (``langdata.FUNCTION_WORDS``) take part; if
    another configured language has none, the vote abstains and identification decides.

    >>> function_word_vote("The minister said that the issue of the S-400 is closed and that the talks in Brussels were useful for the alliance.", ["en", "de", "fr"])
    'en'
    """
    global _DISTINCT
    if _DISTINCT is None:
        _DISTINCT = _distinct_function_words()
    languages = list(languages)
    if any(code not in _DISTINCT for code in languages):
        return None
    from collections import Counter

    counts = Counter(sample.lower().split())
    hits = sorted(((sum(counts[w] for w in _DISTINCT[c]), c) for c in languages), reverse=True)
    if not hits or hits[0][0] < min_hits:
        return None
    second = hits[1][0] if len(hits) > 1 else 0
    return hits[0][1] if hits[0][0] >= ratio * max(second, 1) else None


# -- passage identification ------------------------------------------------------------------
class Identifier(Protocol):
    """Which of the configured languages a passage is in."""

    name: str
    languages: tuple[str, ...]

    def identify(self, text: str, among: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """(language, confidence) pairs, best first, confidences summing to about 1.

        ``among`` narrows the candidates to a subset of the configured languages (e.g. the
        ones written in the passage's script). An empty list means "no idea".
        """
        ...


class LinguaIdentifier:
    """lingua-language-detector restricted to the configured languages (low-accuracy mode)."""

    name = "lingua"

    def __init__(self, languages: Iterable[str]):
        self.languages = tuple(dict.fromkeys(c for c in languages if c in LINGUA_NAMES))
        self._detectors: dict[tuple[str, ...], Any] = {}

    def _detector(self, among: tuple[str, ...]):
        if among not in self._detectors:
            self._detectors[among] = lingua_detector(among)
        return self._detectors[among]

    def _among(self, among: Iterable[str] | None) -> tuple[str, ...]:
        if among is None:
            return self.languages
        return tuple(c for c in self.languages if c in set(among))

    def identify(self, text, among=None):
        langs = self._among(among)
        if not langs:
            return []
        if len(langs) == 1:
            return [(langs[0], 1.0)]
        values = self._detector(langs).compute_language_confidence_values(text)
        out = [(iso_code(v.language), float(v.value)) for v in values if v.value > 0]
        return [(c, v) for c, v in out if c in langs]

    def spans(self, text: str, among: Iterable[str] | None = None) -> list[tuple[int, int, str]]:
        """Mixed-language text split into (start, end, language) spans (character offsets)."""
        langs = self._among(among)
        if len(langs) < 2:
            return [(0, len(text), langs[0])] if langs and text else []
        return [(r.start_index, r.end_index, iso_code(r.language))
                for r in self._detector(langs).detect_multiple_languages_of(text)]


class LangdetectIdentifier:
    """langdetect, seeded so that results repeat, with priors only on the configured languages."""

    name = "langdetect"

    def __init__(self, languages: Iterable[str]):
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        DetectorFactory.seed = 0  # langdetect is randomised: without a seed answers vary run to run
        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.seed = 0
        known = set(self._factory.get_lang_list())
        self.languages = tuple(dict.fromkeys(
            c for c in languages if LANGDETECT_NAMES.get(c, c) in known))

    def identify(self, text, among=None):
        from langdetect.lang_detect_exception import LangDetectException

        langs = self.languages if among is None else tuple(c for c in self.languages if c in set(among))
        if not langs:
            return []
        if len(langs) == 1:
            return [(langs[0], 1.0)]
        back = {LANGDETECT_NAMES.get(c, c): c for c in langs}
        detector = self._factory.create()
        detector.set_prior_map({name: 1.0 for name in back})
        detector.append(text)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:  # no letters, only digits/punctuation
            return []
        return [(back[p.lang], float(p.prob)) for p in probs if p.lang in back]


def make_identifier(backend: str, languages: Iterable[str]) -> Identifier:
    """The identifier ``config.langid`` names, restricted to ``languages``."""
    if backend == "lingua":
        return LinguaIdentifier(languages)
    if backend == "langdetect":
        return LangdetectIdentifier(languages)
    raise ValueError(f"unknown language identifier {backend!r} (choose from {', '.join(BACKENDS)})")


def identifier_for(ctx) -> Identifier:
    """The configured identifier, built once per worker process."""
    config = getattr(ctx, "config", None)
    backend = getattr(config, "langid", None) or "lingua"
    languages = tuple(getattr(config, "languages", None) or ("en", "ru"))
    return ctx.shared(("identifier", backend, languages), lambda: make_identifier(backend, languages))


# -- word-frequency evidence -----------------------------------------------------------------
#: Zipf value given to a word absent from a language's list.
ABSENT = 0.0


def fold(word: str, lang: str) -> str:
    """Case-fold ``word`` as the wordfreq lists are keyed (``ß`` -> ``ss``; Turkish dotted/dotless i)."""
    if lang in ("tr", "az"):
        word = word.replace("I", "ı").replace("İ", "i")
    return word.casefold().replace("’", "'")


class WordFrequencies:
    """Zipf frequencies (log10 per billion words) of the words of each language.

    Built lazily per language from the wordfreq lists that ship with the package. Two
    depths: the ``small`` list (words with Zipf >= 3, loads in milliseconds) is enough to
    say a word is *common* somewhere; the full list, cut at ``top_n`` words, says whether a
    rarer word still belongs to the document's language. One float object is shared per
    frequency bucket, so the tables cost a few megabytes each.
    """

    def __init__(self, languages: Iterable[str], top_n: int = 80000):
        self.languages = tuple(dict.fromkeys(languages))
        self.top_n = top_n
        self._tables: dict[tuple[str, bool], dict[str, float]] = {}

    def table(self, lang: str, full: bool = False) -> dict[str, float]:
        """word -> Zipf, most frequent first; ``full`` for the long list."""
        key = (lang, full)
        if key not in self._tables:
            self._tables[key] = self._load(lang, full)
        return self._tables[key]

    def _load(self, lang: str, full: bool) -> dict[str, float]:
        import wordfreq

        try:
            buckets = wordfreq.get_frequency_list(lang, wordlist="best" if full else "small")
        except (LookupError, ValueError):
            return {}
        table: dict[str, float] = {}
        for i, bucket in enumerate(buckets):
            if not bucket:
                continue
            zipf = 9.0 - i / 100.0
            for word in bucket:
                table.setdefault(word, zipf)
            if len(table) >= self.top_n:
                break
        return table

    def zipf(self, word: str, lang: str, full: bool = False) -> float:
        """Zipf frequency of ``word`` in ``lang`` (ABSENT if not listed).

        Words joined by hyphens or apostrophes that are not listed whole are scored by
        their weakest part (``long-standing``), ignoring French elided articles (``l'``).
        """
        table = self.table(lang, full)
        key = fold(word, lang)
        z = table.get(key)
        if z is not None:
            return z
        parts = [p for p in key.replace("-", "'").split("'") if p]
        if len(parts) < 2:
            return ABSENT
        if lang in ("fr", "it") and len(parts[0]) <= 2:
            parts = parts[1:]
        return min(table.get(p, ABSENT) for p in parts)


def word_frequencies(ctx) -> WordFrequencies:
    """The shared word-frequency tables for the configured languages."""
    config = getattr(ctx, "config", None)
    languages = tuple(getattr(config, "languages", None) or ("en", "ru"))
    return ctx.shared(("wordfreq", languages), lambda: WordFrequencies(languages))
