"""The library's front door: audit a string, a list of documents, or paths.

>>> [f.rule for f in audit_text("Erdo\\u200bgan met Blinken.", lang="en", select=["invisible-character"])]
['invisible-character']
"""

from __future__ import annotations

from typing import Iterable

from .config import Config
from .detectors import Context
from .document import Document
from .engine import audit_documents, corpus_stage
from .findings import Finding


def audit_docs(docs: Iterable[Document], config: Config | None = None) -> list[Finding]:
    """Both stages over documents held in memory, findings sorted by document and offset."""
    config = config or Config()
    ctx = Context(config=config)
    result = audit_documents(list(docs), config, ctx)
    found = result.findings + corpus_stage(result.observations, config, ctx)
    return sorted(found, key=lambda f: f.sort_key)


def audit_bytes(data: bytes, lang: str | None = None, select: list[str] | None = None,
                config: Config | None = None, doc_id: str = "<bytes>") -> tuple[str, list[Finding]]:
    """Decode bytes as the reader does (legacy encodings detected) and audit the text."""
    from .inputs import decode_bytes

    config = (config or Config()).replace(select=select)
    text, meta = decode_bytes(data)
    return text, audit_docs([Document(doc_id, text, lang=lang or config.lang, meta=meta)], config)


def audit_text(
    text: str,
    lang: str | None = None,
    select: list[str] | None = None,
    config: Config | None = None,
    doc_id: str = "<text>",
    source: str | None = None,
    source_lang: str | None = None,
) -> list[Finding]:
    """Audit one string. ``select`` limits the run to rules or categories."""
    config = (config or Config()).replace(select=select)
    doc = Document(doc_id, text, lang=lang or config.lang, source=source, source_lang=source_lang or config.source_lang)
    return audit_docs([doc], config)
