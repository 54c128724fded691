"""homoglyph-designation across documents: the repaired form attested elsewhere in the corpus."""

from __future__ import annotations

import json
import subprocess
import sys

from audit import Document
from audit.api import audit_docs
from audit.config import Config

#: No built-in lexicon, so that attestation comes from the corpus alone.
CONFIG = Config(select=["homoglyph-designation"], builtin_lexicons=False)


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


def _lexicon(tmp_path, *forms):
    path = tmp_path / "extra-names.csv"
    rows = [f"{f.lower()},weapon,en,{f},canonical," for f in forms]
    path.write_text("id,type,lang,form,status,note\n" + "\n".join(rows) + "\n", "utf-8")
    return str(path)


def test_attested_in_the_lexicon(tmp_path):
    config = Config(select=["homoglyph-designation"], builtin_lexicons=False, lexicons=[_lexicon(tmp_path, "RS-24")])
    found = audit_docs([Document("a.txt", "The PC-24 can carry several warheads.", lang="en")], config)
    assert [(f.text, f.suggestion, f.evidence["attested"]) for f in found] == [("PC-24", "RS-24", "lexicon")]


def test_a_designation_the_lexicon_knows_is_left_alone(tmp_path):
    config = Config(select=["homoglyph-designation"], builtin_lexicons=False, lexicons=[_lexicon(tmp_path, "C-130")])
    doc = Document("a.txt", "An S-130 was mentioned twice: S-130. The C-130 landed.", lang="en")
    assert audit_docs([doc], config) == []
    assert [f.text for f in audit_docs([doc], CONFIG)] == ["C-130"]


def test_check_command_runs_the_corpus_stage(tmp_path):
    (tmp_path / "a.txt").write_text("Turkey bought the S-400 from Russia last year.\n", "utf-8")
    (tmp_path / "b.txt").write_text("The row over the C-400 is not over.\n", "utf-8")
    config = tmp_path.parent / f"{tmp_path.name}-audit.toml"
    config.write_text("builtin_lexicons = false\n", "utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "audit", "check", str(tmp_path), "--select", "homoglyph-designation",
         "--format", "jsonl", "--lang", "en", "-j1", "--config", str(config)],
        capture_output=True, text=True, check=False,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert [(r["text"], r["suggestion"], r["line"], r["column"]) for r in rows] == [("C-400", "S-400", 1, 18)]
    assert rows[0]["doc"].endswith("b.txt")
