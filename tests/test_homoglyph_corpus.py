"""homoglyph-designation across documents: the repaired form attested elsewhere in the corpus."""

from __future__ import annotations

import json
import subprocess
import sys

from audit import Document
from audit.api import audit_docs
from audit.config import Config

CONFIG = Config(select=["homoglyph-designation"])


def test_attested_in_another_document():
    docs = [
        Document("a.txt", "Turkey bought the S-400 from Russia last year.", lang="en"),
        Document("b.txt", "The row over the C-400 is not over, officials said.", lang="en"),
    ]
    found = audit_docs(docs, CONFIG)
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("b.txt", "C-400", "S-400")]
    f = found[0]
    assert f.evidence["attested"] == "corpus" and f.evidence["example"] == "a.txt"
    assert (f.line, f.column) == (1, 18)


def test_not_attested_anywhere():
    docs = [
        Document("a.txt", "The C-130 Hercules landed in Ankara.", lang="en"),
        Document("b.txt", "A second C-130 followed an hour later.", lang="en"),
    ]
    assert audit_docs(docs, CONFIG) == []


def test_suspect_in_as_many_documents_as_the_attested_form():
    # two documents with C-130, one with S-130: C-130 is the real name here
    docs = [
        Document("a.txt", "The C-130 Hercules landed.", lang="en"),
        Document("b.txt", "Another C-130 took off.", lang="en"),
        Document("c.txt", "An S-130 was mentioned.", lang="en"),
    ]
    assert audit_docs(docs, CONFIG) == []


def test_check_command_runs_the_corpus_stage(tmp_path):
    (tmp_path / "a.txt").write_text("Turkey bought the S-400 from Russia last year.\n", "utf-8")
    (tmp_path / "b.txt").write_text("The row over the C-400 is not over.\n", "utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "audit", "check", str(tmp_path), "--select", "homoglyph-designation",
         "--format", "jsonl", "--lang", "en", "-j1"],
        capture_output=True, text=True, check=False,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert [(r["text"], r["suggestion"], r["line"], r["column"]) for r in rows] == [("C-400", "S-400", 1, 18)]
    assert rows[0]["doc"].endswith("b.txt")
