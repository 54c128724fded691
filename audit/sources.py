"""Attaching known source texts to documents (``--source PATH``), for bilingual checks.

A table input may carry its source in a column (``--source-column``, default ``source``);
the reader puts it in ``Document.source``. ``--source PATH`` supplies sources from
elsewhere, aligned to the documents:

- a directory: by file path relative to the input directory, else by file name
  (``target/a/x.txt`` <- ``source/a/x.txt`` or ``source/x.txt``);
- a JSONL/CSV/TSV/Parquet table: by id (its id and text columns are the corpus's);
- a text file: the source of a single text document.

A document with no counterpart keeps ``source = None`` and is checked monolingually.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from .document import Document
from .inputs import InputError, InputOptions, Tally, iter_inputs, table_kind


class SourceIndex:
    def __init__(self, path: str, options: InputOptions, tally: Tally):
        self.path = Path(path)
        self.by_key: dict[str, str] = {}
        self.single: str | None = None
        self.errors: list[InputError] = []
        table = not self.path.is_dir() and table_kind(self.path) is not None
        for item in iter_inputs([path], options, Tally()):
            if isinstance(item, InputError):
                self.errors.append(InputError(f"source {item.input}", item.message))
                tally.errors.append(self.errors[-1])
                continue
            if self.path.is_dir():
                rel = Path(item.id).relative_to(self.path)
                self.by_key[str(rel)] = item.text
                self.by_key.setdefault(rel.name, item.text)
            elif table:
                self.by_key[item.id] = item.text
            else:
                self.single = item.text

    def lookup(self, doc: Document, roots: list[Path]) -> str | None:
        if self.single is not None:
            return self.single
        if self.path.is_dir():
            for root in roots:
                try:
                    rel = str(Path(doc.id).relative_to(root))
                except ValueError:
                    continue
                if rel in self.by_key:
                    return self.by_key[rel]
            return self.by_key.get(Path(doc.id).name)
        return self.by_key.get(doc.id)


def attach_sources(items: Iterable[Document | InputError], source_path: str | None, options: InputOptions,
                   tally: Tally, roots: list[str], source_lang: str | None = None) -> Iterator[Document | InputError]:
    """Fill ``Document.source`` (and ``source_lang``) from ``--source`` where the documents lack one."""
    index = SourceIndex(source_path, options, tally) if source_path else None
    if index is not None:
        yield from index.errors
    root_paths = [Path(r) for r in roots if Path(r).is_dir()]
    for item in items:
        if isinstance(item, Document):
            if item.source is None and index is not None:
                item.source = index.lookup(item, root_paths)
            if item.source is not None and source_lang:  # --source-lang / config win over a column
                item.source_lang = source_lang
        yield item
