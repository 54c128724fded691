"""The detector registry: rule name -> detector class.

Adding a detector is one module here, one fixture file in ``tests/fixtures/detectors/``
and one line in :data:`DETECTORS`. The same name is the config key, the ``--select``
value and what ``audit explain`` takes.
"""

from __future__ import annotations

from .base import Context, CorpusDetector, Detector, Observation
from .bilingual import LengthRatio, MarkupMismatch, NumberMismatch, Omission, SourceNameMismatch, UntranslatedCopy
from .calque import Calque
from .homoglyph import HomoglyphDesignation
from .input_encoding import InputEncoding
from .invisible import InvisibleCharacter
from .lost_character import LostCharacter
from .mixed_script import MixedScript
from .mojibake import Mojibake
from .near_duplicate import NearDuplicate
from .quote_consistency import RetranslatedQuote
from .names import NameCorpusInconsistent, NameInconsistent, NameSuspect, NameVariant
from .quotes import ForeignQuoteMarks, MixedQuoteStyle, QuotePlacement, UnbalancedQuotes
from .repetition import RepeatedSentence, RepeatedWord
from .token_leak import MtTokenLeak
from .truncation import Truncation
from .untranslated import UntranslatedPassage
from .whitespace import Whitespace

_ALL: tuple[type[Detector], ...] = (
    LengthRatio, MarkupMismatch, NumberMismatch, Omission, SourceNameMismatch, UntranslatedCopy,
    Calque,
    ForeignQuoteMarks, MixedQuoteStyle, QuotePlacement, UnbalancedQuotes,
    RepeatedSentence, RepeatedWord,
    Truncation,
    HomoglyphDesignation,
    InputEncoding,
    InvisibleCharacter,
    LostCharacter,
    MixedScript,
    Mojibake,
    MtTokenLeak,
    NameCorpusInconsistent, NameInconsistent, NameSuspect, NameVariant,
    NearDuplicate,
    RetranslatedQuote,
    UntranslatedPassage,
    Whitespace,
)

DETECTORS: dict[str, type[Detector]] = {cls.name: cls for cls in sorted(_ALL, key=lambda c: c.name)}

__all__ = ["DETECTORS", "Context", "CorpusDetector", "Detector", "Observation"]
