"""translation-audit: find what a careful editor would circle in translated news.

The library is the product; the CLI (:mod:`audit.cli`) and the review app (``audit.tui``)
are thin layers over it. Importing :mod:`audit` never imports textual.
"""

from .api import audit_docs, audit_text
from .config import Config, load_config
from .document import Document
from .findings import SCHEMA, Finding, findings_frame

__version__ = "0.1.0"

__all__ = ["Config", "Document", "Finding", "SCHEMA", "audit_docs", "audit_text", "findings_frame", "load_config", "__version__"]
