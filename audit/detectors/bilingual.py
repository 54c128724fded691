"""The bilingual rules, checked when a document's source text is known (see docs/bilingual.md).

One module per rule beside this one (``bilingual_numbers``, ``bilingual_markup``,
``bilingual_copy``, ``bilingual_length``, ``bilingual_names``), their data in
``bilingual_data`` and the shared source segmentation and sentence alignment in
``bilingual_align``. Without a source (``Document.source is None``) every one is silent.
"""

from .bilingual_copy import UntranslatedCopy
from .bilingual_length import LengthRatio, Omission
from .bilingual_markup import MarkupMismatch
from .bilingual_names import SourceNameMismatch
from .bilingual_numbers import NumberMismatch

__all__ = ["LengthRatio", "MarkupMismatch", "NumberMismatch", "Omission", "SourceNameMismatch", "UntranslatedCopy"]
