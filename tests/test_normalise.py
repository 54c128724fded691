"""`audit normalise`: layout and formats kept, manifest, byte-exact revert, idempotence, guards, resume."""

from __future__ import annotations

import codecs
import csv
import hashlib
import functools
import io
import json
import random
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from audit import normalise as N
from audit.cli import main
from audit.config import Config
from audit.decisions import Decision, append_decision, read_decisions
from audit.fix import Policy
from audit.normalise import NormaliseError, NormaliseOptions, normalise, normalise_text, read_manifest, revert

from conftest import SAMPLES

CONFIG = Config(lang="en", jobs=1)

GLITCH = ["Associated Press.\u00a0 Despite it", "Erdo\u200bgan", "White House \u00a0\u00a0may", "the deal , he said",
          "two  spaces", "news\u00adpaper", "plain words", "\u201cquoted\u201d", "a \u200b b"]


def glitchy(rng: random.Random, n: int = 12, newline: str = "\n") -> str:
    parts = []
    for _ in range(n):
        parts.append(" ".join(rng.choice(GLITCH) for _ in range(rng.randint(1, 4))) + ".")
        parts.append(newline if rng.random() < 0.7 else newline * 2)
    return "".join(parts)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run(paths, out=None, config=CONFIG, **kw):
    return normalise([str(p) for p in paths], config, NormaliseOptions(out=out, **kw))


def cli(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path):
    """A tree of glitchy text: legacy encodings, CRLF, BOM, UTF-16, unreadable and non-text files."""
    rng = random.Random(5)
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    (root / "a.txt").write_text(glitchy(rng), "utf-8")
    (root / "crlf.txt").write_bytes(glitchy(rng, newline="\r\n").encode("utf-8"))
    (root / "bom.md").write_bytes(codecs.BOM_UTF8 + glitchy(rng).encode("utf-8"))
    (root / "clean.txt").write_text("Nothing to repair here.\n", "utf-8")
    (root / "sub" / "ru.txt").write_bytes(("Привет,  мир. Ердоган  встретился с Блинкеном .\r\n" * 3).encode("cp1251"))
    (root / "sub" / "tr.txt").write_bytes("Yeni Şafak  yıldönümü , şeref.\n".encode("cp1254"))
    (root / "sub" / "deeper" / "u16.txt").write_bytes(codecs.BOM_UTF16_BE + "Two  spaces\u200b here.\n".encode("utf-16-be"))
    (root / "sub" / "mixed.txt").write_bytes("Ça  va déjà ".encode("utf-8") + "très bien , merci".encode("cp1252"))
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (root / "image.png").write_bytes(bytes(range(256)))
    (root / "notes.jsonl").write_text('{"text": "inside a tree: copied  as is"}\n')
    return root


def test_tree_is_repaired_in_place_of_layout_and_reverts_byte_for_byte(corpus, tmp_path):
    out = tmp_path / "out"
    report = run([corpus], out)
    before, after = files_of(corpus), files_of(out)
    expected = {k for k in before if not k.startswith(".git")} | {"manifest.jsonl"}
    assert set(after) == expected
    assert after["image.png"] == before["image.png"] and after["notes.jsonl"] == before["notes.jsonl"]
    assert after["empty.txt"] == b"" and after["binary.txt"] == before["binary.txt"]
    assert after["clean.txt"] == before["clean.txt"]
    a = after["a.txt"].decode("utf-8")
    assert "\u200b" not in a and "  " not in a and "\u00a0 " not in a
    assert after["crlf.txt"].count(b"\r\n") == before["crlf.txt"].count(b"\r\n")
    ru = after["sub/ru.txt"].decode("utf-8")  # legacy input -> UTF-8 output, repaired
    assert ru.startswith("Привет, мир. Ердоган встретился с Блинкеном.\r\n")
    assert after["sub/tr.txt"].decode("utf-8") == "Yeni Şafak yıldönümü, şeref.\n"
    assert after["sub/deeper/u16.txt"].decode("utf-8") == "Two spaces here.\n"
    assert report.transcoded == 4 and len(report.errors) == 2 and report.copied >= 4
    records = list(read_manifest(out / "manifest.jsonl"))
    files = {r["relpath"]: r for r in records if r["kind"] == "file"}
    assert files["sub/ru.txt"]["encoding"] == "cp1251" and files["sub/tr.txt"]["encoding"] == "cp1254"
    assert "original" in files["sub/mixed.txt"]["restore"]  # mixed UTF-8 + cp1252: bytes kept
    edits = [r for r in records if r["kind"] == "edit"]
    assert edits and all(r["before"] != r["after"] for r in edits)
    text_a = before["a.txt"].decode("utf-8")
    for r in (r for r in edits if r["relpath" if "relpath" in r else "output"] == "a.txt"):
        assert text_a[r["start"] : r["end"]] == r["before"]
    back = tmp_path / "back"
    rep = revert(out / "manifest.jsonl", back)
    assert files_of(back) == {k: v for k, v in before.items() if not k.startswith(".git")}
    assert rep.identical == rep.files


def test_samples_round_trip_and_second_run_changes_nothing(tmp_path):
    out, out2, back = tmp_path / "n", tmp_path / "n2", tmp_path / "back"
    report = run([SAMPLES], out)
    assert report.edits > 0 and report.documents == 5
    revert(out / "manifest.jsonl", back)
    assert files_of(back) == files_of(SAMPLES)
    (out / "manifest.jsonl").rename(tmp_path / "m.jsonl")
    again = run([out], out2)
    assert again.edits == 0
    assert files_of(out2) == {**files_of(out), "manifest.jsonl": (out2 / "manifest.jsonl").read_bytes()}


GLITCH_TEXT = st.lists(st.sampled_from(GLITCH + [" ", "  ", "\u00a0", "\u200b", ",", " .", "\n", "\n\n", "word",
                                                 "\u201c", "\"", "\ufeff", "the the", "\r\n",
                                                 "Ã‡avuÅŸoÄŸlu", "donâ€™t", "yýldönümü þeref", "Ð¡ÐµÑ€Ð³ÐµÐ¹",
                                                 "Anthony Blinken", "Ibrahim Kalyn"]), max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GLITCH_TEXT)
def test_normalising_twice_equals_normalising_once(text):
    once, edits = normalise_text(text, CONFIG)
    twice, more = normalise_text(once, CONFIG)
    assert twice == once and more == []
    # and the edits are a plan on the original text that replays to the result
    assert N.apply_plan(text, edits) == once


NAME_PIECES = ["Ibrahim Kalyn", "Ibrahim  Kalyn", "Kal\u200byn said", "Kalyn", "Anthony Blinken", "Antony Blinken",
               "Blinken ,", "Erdo\u200bgan", "Recep Tayyip Erdogan", "Erd\u043egan", "Mevl\u00fct \u00c7avu\u015fo\u011flu",
               "\u00c3\u2021avu\u00c5\u0178o\u00c4\u0178lu", "Hulusi Akar", "Khulusi\u00a0 Akar", "Akar", "S-400s",
               "Yeni \u0442\u0438\u0440\u0443\u0435\u0442afak", "(Kalyn)", "Akar:", "S-400s,", "Blinken;", "[Hulusi"]
NAMES_TEXT = st.lists(st.sampled_from(NAME_PIECES + [" ", "  ", "\u200b", " ,", ".", "\n", "\n\n", "the the", "said",
                                                     "\u201c", "\u201d", "\"", "\r\n", "the the", "and\nand", "\n\nthe",
                                                     "www.x.com/the the", "\u039f\u0394\u039f\u03a3 \u03bf\u03b4\u03bf\u03c2"]),
                      max_size=30).map("".join)


def _repairs(text: str) -> tuple:
    from audit.document import Document

    config = N.repairing_config(CONFIG, Policy())
    fast = N.repair_document(Document("t", text, lang="en"), config, Policy())
    slow = N.repair_document(Document("t", text, lang="en"), config, Policy(), incremental=False)
    return (fast.text, fast.edits, fast.passes), (slow.text, slow.edits, slow.passes)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES_TEXT)
def test_later_passes_reuse_the_names_analysis_with_the_same_result(text):
    fast, slow = _repairs(text)
    assert fast == slow


def _primed_and_fresh(text: str, edits: list | None = None) -> tuple[list, list]:
    """The names analysis of ``text`` repaired by ``edits`` (by default its first pass),
    primed from the analysis of ``text`` and computed afresh."""
    from audit.detectors.names import analyse
    from audit.document import Document
    from audit.engine import _worker_context, audit_documents
    from audit.fix import apply_plan, plan

    config = N.repairing_config(CONFIG, Policy())
    ctx = _worker_context(config)
    old = Document("t", text, lang="en")
    found = audit_documents([old], config, ctx).findings
    edits = plan(text, found, Policy()) if edits is None else edits
    new = Document("t", apply_plan(text, edits), lang="en")
    analyse(old, ctx)  # what detection of the old text leaves in the cache
    assert N.prime_names_analysis(ctx, old, new, edits)
    primed = analyse(new, ctx).mentions
    ctx.cache.pop("names:analysis")
    return primed, analyse(new, ctx).mentions


#: several lines and blocks, so that untouched ones (whose findings move) lie between repaired ones
NAMES_LINES = st.lists(st.tuples(NAMES_TEXT, st.sampled_from(["\n", "\n\n", "\n\n\n", " \n"])),
                       min_size=1, max_size=8).map(lambda parts: "".join(a + b for a, b in parts))


def _random_edits(text: str, data) -> list:
    """Non-overlapping edits anywhere: replacements that add or remove line feeds, names, letters."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    return [N.Edit(a, b, data.draw(st.sampled_from(["", "\n", "\n\n", " ", "Kalyn ", "x", "Ibrahim", "\nAkar",
                                                    ".\n", "the the", "the"])), "test")
            for a, b in zip(cuts[::2], cuts[1::2])]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES_LINES, st.data())
def test_primed_names_analysis_equals_a_fresh_one(text, data):
    primed, fresh = _primed_and_fresh(text, _random_edits(text, data))
    assert primed == fresh


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES_LINES, st.data())
def test_detecting_again_where_the_text_changed_equals_detecting_all_of_it(text, data):
    _detect_again_and_afresh(text, _random_edits(text, data))


def test_detecting_again_in_a_text_that_lower_cases_longer():
    # "\u0130".lower() is two characters: such a text is lowered character by character,
    # which differs from lowering a block without an İ only on a Σ (the first text)
    for text in ["\u0130 the the\n\nx \u039f\u0394\u039f\u03a3 \u03bf\u03b4\u03bf\u03c2\n\nthe the",
                 "\u0130stanbul the the.\n\nAnd and more \u0130.\n\nLast the the one. \u039f\u0394\u039f \u03bf\u03b4\u03bf\u03c2",
                 "He said the the deal.\n\nAnd and more.\n\nLast the the one."]:
        for k in range(len(text) + 1):
            _detect_again_and_afresh(text, [N.Edit(k, k, "x", "test")])
            _detect_again_and_afresh(text, [N.Edit(k, min(k + 3, len(text)), "\n\n", "test")])


def _detect_again_and_afresh(text: str, edits: list) -> None:
    from audit.document import Document
    from audit.engine import _worker_context, audit_documents
    from audit.fix import apply_plan

    config = N.repairing_config(CONFIG, Policy())
    ctx = _worker_context(config)
    previous = Document("t", text, lang="en")
    before = audit_documents([previous], config, ctx).findings
    new = apply_plan(text, edits)
    again = N.detect_again(ctx, config, previous, before, Document("t", new, lang="en"), edits)
    fresh = audit_documents([Document("t", new, lang="en")], config, ctx).findings
    key = lambda f: (f.start, f.end, f.rule)
    assert sorted(again, key=key) == sorted(fresh, key=key)


def test_later_passes_on_samples_and_glitchy_text_equal_full_reanalysis():
    rng = random.Random(11)
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += [glitchy(rng, 20, rng.choice(["\n", "\r\n"])) + " ".join(rng.choice(NAME_PIECES) for _ in range(30))
              for _ in range(20)]
    for text in texts:
        fast, slow = _repairs(text)
        assert fast == slow
        primed, fresh = _primed_and_fresh(text)
        assert primed == fresh


def test_tables_keep_columns_order_and_revert_exactly(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rows = [
        '{"id": "r1", "text": "Erdo\\u200bgan  met Blinken .", "score": 1.50, "tags": ["a", "b"]}\n',
        '{"id":"r2","text":"clean text","score":2}\n',
        "\n",
        '{"broken json\n',
        '{"id": "r4", "text": "Caf\u00e9  \u00e0 Paris", "nested": {"text": "not  this"}}\r\n',
        '{"id": "r5", "score": 3}\n',
    ]
    data = "".join(rows).encode("utf-8") + '{"id": "r6", "text": "Ердоган  сказал"}\n'.encode("cp1251")
    (src / "c.jsonl").write_bytes(data)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerows([["id", "text", "extra"], ["1", "two  spaces, here", "x,y"], ["2", 'say "hi"  now', ""],
                 ["3", "fine", "multi\nline"]])
    (src / "c.csv").write_bytes(buf.getvalue().encode("utf-8"))
    table = pa.table({"id": ["p1", "p2", "p3", "p4"], "text": ["a \u200b b", None, "fine", "x  y"],
                      "n": [1, 2, 3, 4], "f": [0.5, None, 1.5, 2.5]})
    pq.write_table(table, src / "c.parquet", row_group_size=3)
    out = tmp_path / "out"
    report = run([src / "c.jsonl", src / "c.csv", src / "c.parquet"], out)
    assert report.documents == 4 + 3 + 3
    lines = (out / "c.jsonl").read_bytes().split(b"\n")
    assert lines[1] + b"\n" == rows[1].encode() and lines[2] == b"" and lines[3] + b"\n" == rows[3].encode()
    r1 = json.loads(lines[0])
    assert list(r1) == ["id", "text", "score", "tags"] and r1["text"] == "Erdogan met Blinken." and b"1.50" in lines[0]
    assert lines[4].endswith(b"\r") and json.loads(lines[4])["nested"] == {"text": "not  this"}
    assert b"\\u00e9" not in lines[4] and json.loads(lines[4])["text"] == "Caf\u00e9 \u00e0 Paris"
    assert json.loads(lines[6].decode("utf-8"))["text"] == "Ердоган сказал"
    got = list(csv.reader(io.StringIO((out / "c.csv").read_text("utf-8"), newline="")))
    assert got == [["id", "text", "extra"], ["1", "two spaces, here", "x,y"], ["2", 'say "hi" now', ""],
                   ["3", "fine", "multi\nline"]]
    pt = pq.read_table(out / "c.parquet")
    assert pt.column("text").to_pylist() == ["a b", None, "fine", "x y"]
    assert pt.drop_columns(["text"]).equals(table.drop_columns(["text"]))
    assert pq.ParquetFile(out / "c.parquet").metadata.num_row_groups == 2
    back = tmp_path / "back"
    rep = revert(out / "manifest.jsonl", back)
    assert files_of(back) == files_of(src) and rep.identical == 3


def test_a_jsonl_file_with_a_utf8_byte_order_mark_is_repaired_from_its_first_row(tmp_path):
    """The first row of UTF-8 JSON lines with a byte-order mark is repaired like the others
    (it was taken for a malformed line and copied as it was); the mark stays, and the revert
    is byte for byte."""
    data = '\ufeff{"id": "a", "text": "Erdo\u200bgan  met Blinken ."}\r\n{"id": "b", "text": "x  y"}\r\n'.encode()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "b.jsonl").write_bytes(data)
    report = run([tmp_path / "src" / "b.jsonl"], tmp_path / "out", config=Config(lang="en", jobs=1))
    out = (tmp_path / "out" / "b.jsonl").read_bytes()
    assert out.startswith("\ufeff".encode()) and report.changed_documents == 2 and not report.errors
    assert [json.loads(x.removeprefix("\ufeff"))["text"] for x in out.decode().splitlines()] == ["Erdogan met Blinken.", "x y"]
    revert(tmp_path / "out" / "manifest.jsonl", tmp_path / "back")
    assert (tmp_path / "back" / "b.jsonl").read_bytes() == data


def test_a_table_without_the_text_column_is_reported_not_passed_over(tmp_path):
    """normalise said '0 edits' and exit 0 for a CSV file whose header lacks the text column (or
    has it twice) and for JSON lines none of which has it: now each is an error (exit 2) that
    says why, and the file is copied as it is. JSON lines where some rows lack it are normal
    (they are copied); a semicolon-separated file is read with its separator; Excel's "CSV
    UTF-8" byte-order mark is not part of the first column's name."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "semi.csv").write_text("id;text\n1;a  b\n", "utf-8")
    (src / "none.jsonl").write_text('{"id": 1, "body": "a  b"}\n{"id": 2, "body": "c"}\n', "utf-8")
    (src / "some.jsonl").write_text('{"id": 1, "body": "a  b"}\n{"id": 2, "text": "c  d"}\n', "utf-8")
    (src / "bom.csv").write_bytes('\ufefftext,id\r\n"a  b",1\r\n'.encode("utf-8"))
    (src / "twice.csv").write_text("id,text,text\n1,a  b,c  d\n", "utf-8")
    before = files_of(src)
    res = cli("normalise", *(str(src / n) for n in sorted(before)), "--out", str(tmp_path / "out"), "--lang", "en")
    assert res.exit_code == 2
    assert (f"{src / 'none.jsonl'}: no row has a column 'text' (the first has 'id', 'body'); use --text-column; "
            "copied as it is") in res.stderr
    assert f"{src / 'twice.csv'}: the header has 2 columns named 'text'" in res.stderr
    assert "some.jsonl" not in res.stderr and "bom.csv" not in res.stderr and "semi.csv" not in res.stderr
    out = files_of(tmp_path / "out")
    assert out["semi.csv"] == b"id;text\n1;a b\n"  # read with its separator
    assert out["none.jsonl"] == before["none.jsonl"]
    assert out["twice.csv"] == before["twice.csv"]
    assert out["some.jsonl"] == b'{"id": 1, "body": "a  b"}\n{"id": 2, "text": "c d"}\n'
    assert out["bom.csv"] == '\ufefftext,id\r\n"a b",1\r\n'.encode("utf-8")
    assert cli("normalise", "--revert", str(tmp_path / "out" / "manifest.jsonl"), "--out", str(tmp_path / "back")).exit_code == 0
    assert files_of(tmp_path / "back") == before
    pq.write_table(pa.table({"id": [1, 2], "text": [1, 2]}), src / "num.parquet")  # a text column of numbers
    res = cli("normalise", str(src / "num.parquet"), "--out", str(tmp_path / "out2"))
    assert res.exit_code == 2 and "num.parquet: column 'text' holds int64, not text" in res.stderr
    assert (tmp_path / "out2" / "num.parquet").read_bytes() == (src / "num.parquet").read_bytes()


def test_json_lines_whose_text_is_not_a_string_are_reported_not_passed_over(tmp_path):
    """normalise copied a JSON line whose text column holds a number or a list without a word
    (check reported it): each is now an error that says what the column holds, the first
    three of a file one by one and the rest counted; the rows are copied as they are, the
    others repaired, and revert gives the file back."""
    rows = [{"id": i, "text": "a  b" if i % 2 else [i] if i > 6 else i} for i in range(10)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    (tmp_path / "n.jsonl").write_bytes(data)
    res = cli("normalise", str(tmp_path / "n.jsonl"), "--out", str(tmp_path / "out"), "--lang", "en")
    assert res.exit_code == 2
    name = tmp_path / "n.jsonl"
    assert [x for x in res.stderr.splitlines() if x.startswith("error:")] == [
        f"error: {name}:1: column 'text' holds a number, not text; copied as it is",
        f"error: {name}:3: column 'text' holds a number, not text; copied as it is",
        f"error: {name}:5: column 'text' holds a number, not text; copied as it is",
        f"error: {name}: 2 more rows whose column 'text' is not text; copied as they are"]
    out = [json.loads(x) for x in (tmp_path / "out" / "n.jsonl").read_text("utf-8").splitlines()]
    assert out == [{"id": i, "text": "a b" if i % 2 else [i] if i > 6 else i} for i in range(10)]
    assert cli("normalise", "--revert", str(tmp_path / "out" / "manifest.jsonl"), "--out", str(tmp_path / "back")).exit_code == 0
    assert (tmp_path / "back" / "n.jsonl").read_bytes() == data


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_a_csv_file_separated_otherwise_is_streamed_normalised_and_reverted_byte_for_byte(tmp_path, monkeypatch, sep):
    """European Excel saves CSV with semicolons; tabs and '|' are the other separators in use.
    Such a file (read with its separator when only that gives the text column) streams block by
    block, is repaired with every other field kept and quoted as the csv module quotes for that
    separator, records its separator in the manifest, and reverts byte for byte."""
    rows = [["id", "text", "note"]] + [[str(i), f"Ibrahim Kalyn  said{sep} \"ok\" now , {i}\r\nnext", f"a,b{sep}c"]
                                       for i in range(40)]
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "rows.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    monkeypatch.setattr(N, "CSV_BLOCK", 97)  # many blocks, cut anywhere
    read_whole = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read whole") if self == path else read_whole(self))
    report = run([path], tmp_path / "out", config=Config(lang="en", jobs=1))
    assert report.changed_documents == 40 and not report.errors
    got = list(csv.reader(io.StringIO(read_whole(tmp_path / "out" / "rows.csv").decode(), newline=""), delimiter=sep))
    assert got[0] == rows[0] and [r[2] for r in got[1:]] == [r[2] for r in rows[1:]]
    assert got[1][1] == f"İbrahim Kalın said{sep} \"ok\" now, 0\r\nnext"
    file = next(r for r in read_manifest(tmp_path / "out" / "manifest.jsonl") if r["kind"] == "file")
    assert file["separator"] == sep
    revert(tmp_path / "out" / "manifest.jsonl", tmp_path / "back")
    assert read_whole(tmp_path / "back" / "rows.csv") == read_whole(path)


def test_tab_separated_values_are_normalised_with_quotes_as_text_and_reverted(tmp_path, monkeypatch):
    """A .tsv file is repaired as a table whose quotes are text (none is added or taken away),
    and reverts byte for byte; a repair that would put a tab or a line break in a field (which
    tab-separated values cannot hold) leaves its row as it was, and says so."""
    data = 'id\ttext\tnote\r\n1\t"Hello,"  he said .\t"q"\r\n2\tErdo\u200bgan  met\tx\r\n3\tfine\t\r\n'.encode()
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "par.tsv"
    path.write_bytes(data)
    report = run([path], tmp_path / "out", config=Config(lang="en", jobs=1))
    assert (tmp_path / "out" / "par.tsv").read_bytes() == (
        'id\ttext\tnote\r\n1\t"Hello," he said.\t"q"\r\n2\tErdogan met\tx\r\n3\tfine\t\r\n'.encode())
    assert report.changed_documents == 2 and not report.errors
    file = next(r for r in read_manifest(tmp_path / "out" / "manifest.jsonl") if r["kind"] == "file")
    assert (file["separator"], file["quoting"]) == ("\t", "none")
    revert(tmp_path / "out" / "manifest.jsonl", tmp_path / "back")
    assert (tmp_path / "back" / "par.tsv").read_bytes() == data
    real = N.repair_document

    def with_a_tab(doc, *args, **kwargs):  # a repair no rule makes today
        rep = real(doc, *args, **kwargs)
        return N.DocRepair(doc.text + "\t", [N.Edit(len(doc.text), len(doc.text), "\t", "whitespace")], 1) \
            if doc.text == "fine" else rep

    monkeypatch.setattr(N, "repair_document", with_a_tab)
    report = run([path], tmp_path / "out2", config=Config(lang="en", jobs=1))
    assert report.errors == [f"{path}:3: a repair would put a tab or a line break in a tab-separated field; "
                             "the row is left as it was"]
    assert (tmp_path / "out2" / "par.tsv").read_bytes() == (tmp_path / "out" / "par.tsv").read_bytes()
    revert(tmp_path / "out2" / "manifest.jsonl", tmp_path / "back2")
    assert (tmp_path / "back2" / "par.tsv").read_bytes() == data


def test_a_json_file_of_json_lines_is_normalised_as_json_lines(tmp_path):
    """A .json file holding JSON Lines (Hugging Face datasets' to_json) is repaired row by row,
    its other fields kept, not as one text (where an escaped character is out of reach); a
    pretty-printed object is still repaired as text. Both revert byte for byte."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "hf.json").write_text('{"id": 1, "text": "Erdo\\u200bgan  met", "n": 2}\n', "utf-8")
    (src / "pretty.json").write_text('{\n    "text": "two  spaces"\n}\n', "utf-8")
    before = files_of(src)
    run([src / "hf.json", src / "pretty.json"], tmp_path / "out", config=Config(lang="en", jobs=1))
    out = files_of(tmp_path / "out")
    assert out["hf.json"] == b'{"id": 1, "text": "Erdogan met", "n": 2}\n'
    assert out["pretty.json"] == b'{\n    "text": "two spaces"\n}\n'
    revert(tmp_path / "out" / "manifest.jsonl", tmp_path / "back")
    assert files_of(tmp_path / "back") == before


def test_a_json_array_of_records_is_normalised_record_by_record_and_reverted(tmp_path, monkeypatch):
    """A JSON array of objects (Scrapy's -o items.json, pandas' orient="records", json.dump of
    a list) was repaired as one text: the escaped characters of its texts out of reach, its
    layout at the mercy of whitespace repairs between the elements. Each element is now a row:
    its text value repaired, every other byte of the file as it was (the brackets, the
    indentation, the other fields), streamed (reads of 7 characters here; the file is never
    read whole), and reverted byte for byte; UTF-16 is written as UTF-8 as JSON lines are."""
    monkeypatch.setattr("audit.inputs.JSON_BLOCK", 7)
    read_whole = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole") if self.suffix == ".json"
                        else read_whole(self))
    recs = [{"url": "https://x.test/1", "text": "Erdo\u200bgan  met\nBlinken.", "n": [1, 2.5e3]},
            {"url": "https://x.test/2", "text": "Clean text."}, {"url": "https://x.test/3", "text": "Вот  так"}]
    src = tmp_path / "src"
    src.mkdir()
    layouts = {"scrapy.json": ("[\n" + ",\n".join(json.dumps(r) for r in recs) + "\n]").encode(),
               "pandas.json": json.dumps(recs, separators=(",", ":"), ensure_ascii=False).encode(),
               "dump.json": json.dumps(recs, indent=2).replace("\n", "\r\n").encode() + b"\r\n",
               "bom.json": b"\xef\xbb\xbf" + json.dumps(recs, indent="\t", ensure_ascii=False).encode(),
               "utf16.json": json.dumps(recs, indent=1, ensure_ascii=False).encode("utf-16")}
    for name, data in layouts.items():
        (src / name).write_bytes(data)
    report = run([src / n for n in layouts], tmp_path / "out", config=Config(lang="en", jobs=1))
    assert not report.errors and report.changed_documents == 10
    out = {n: (tmp_path / "out" / n).open("rb").read() for n in layouts}
    fixed = [dict(recs[0], text="Erdogan met\nBlinken."), recs[1], dict(recs[2], text="Вот так")]
    for name, data in layouts.items():
        assert json.loads(out[name].decode("utf-8-sig")) == fixed, name
    assert out["scrapy.json"] == ("[\n" + ",\n".join(json.dumps(r) for r in fixed) + "\n]").encode()
    assert out["pandas.json"] == json.dumps(fixed, separators=(",", ":"), ensure_ascii=False).encode()
    assert out["dump.json"] == json.dumps(fixed, indent=2).replace("\n", "\r\n").encode() + b"\r\n"
    assert out["bom.json"] == b"\xef\xbb\xbf" + json.dumps(fixed, indent="\t", ensure_ascii=False).encode()
    assert out["utf16.json"] == json.dumps(fixed, indent=1, ensure_ascii=False).encode("utf-8")
    edits = [r for r in read_manifest(tmp_path / "out" / "manifest.jsonl") if r["kind"] == "edit"]
    assert {(Path(r["path"]).name, r["row"]) for r in edits} == {(n, row) for n in layouts for row in (1, 3)}
    revert(tmp_path / "out" / "manifest.jsonl", tmp_path / "back")
    assert {n: (tmp_path / "back" / n).open("rb").read() for n in layouts} == layouts


def test_a_broken_json_array_is_reported_where_and_copied_as_it_is(tmp_path):
    """A JSON array that breaks off (a crawl killed mid-write) or a .json file that is not
    UTF-8 is one error that says where; the file is copied as it is, exit 2, and the other
    inputs are normalised."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "cut.json").write_bytes(b'[\n{"text": "a  b"},\n{"text": "c  d"},\n{"text": "e  ')
    (src / "latin1.json").write_bytes('[{"text": "caf\u00e9  au lait"}]'.encode("latin-1"))
    (src / "ok.json").write_bytes(b'[{"text": "a  b"}]')
    before = files_of(src)
    res = cli("normalise", *(str(src / n) for n in sorted(before)), "--out", str(tmp_path / "out"), "--lang", "en")
    assert res.exit_code == 2
    assert (f"error: {src / 'cut.json'}: malformed JSON array: Unterminated string starting at (line 4, column 10)"
            in res.stderr)
    assert f"error: {src / 'latin1.json'}: not UTF-8 (invalid continuation byte at byte 14)" in res.stderr
    out = files_of(tmp_path / "out")
    assert out.pop("manifest.jsonl") and out == dict(before, **{"ok.json": b'[{"text": "a b"}]'})
    assert "1 edit in 1 of 1 document (3 files)" in res.stderr  # (the broken file's rows are not counted)
    assert cli("normalise", "--revert", str(tmp_path / "out" / "manifest.jsonl"), "--out", str(tmp_path / "back")).exit_code == 0
    assert files_of(tmp_path / "back") == before


def test_a_large_parquet_row_group_is_read_and_written_in_slices(tmp_path, monkeypatch):
    """A row group larger than PARQUET_GROUP_BYTES (pandas writes up to a million rows in one)
    is never read whole: it is repaired in slices, each an output row group of its own, with
    the texts, manifest records and revert of a whole read; smaller row groups keep their
    layout."""
    rows = 40
    table = pa.table({"id": [f"p{i}" for i in range(rows)],
                      "text": [f"Row {i}:  Erdo\u200bgan met Blinken ." if i % 3 else f"clean row {i}" for i in range(rows)],
                      "n": list(range(rows))})
    src = tmp_path / "src"
    src.mkdir()
    pq.write_table(table, src / "big.parquet", row_group_size=rows)  # one row group
    pq.write_table(table.slice(0, 5), src / "small.parquet", row_group_size=5)
    whole = run([src / "big.parquet"], tmp_path / "whole", config=Config(lang="en", jobs=1))
    group_bytes = pq.ParquetFile(src / "big.parquet").metadata.row_group(0).total_byte_size
    monkeypatch.setattr(N, "PARQUET_GROUP_BYTES", group_bytes // 4)  # about four slices
    real = pq.ParquetFile.read_row_group

    def whole_group(self, i, *args, **kwargs):
        assert self.metadata.row_group(i).total_byte_size <= N.PARQUET_GROUP_BYTES, "a large row group read whole"
        return real(self, i, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", whole_group)
    sliced = run([src / "big.parquet", src / "small.parquet"], tmp_path / "sliced", config=Config(lang="en", jobs=1))
    out = pq.ParquetFile(tmp_path / "sliced" / "big.parquet")
    assert 3 <= out.metadata.num_row_groups <= 6
    assert out.read().equals(pq.read_table(tmp_path / "whole" / "big.parquet"))
    assert "Row 1: Erdogan met Blinken." in out.read().column("text").to_pylist()
    assert pq.ParquetFile(tmp_path / "sliced" / "small.parquet").metadata.num_row_groups == 1
    records = lambda d: [r for r in read_manifest(d / "manifest.jsonl") if r["kind"] in ("edit", "row")]  # noqa: E731
    assert [r for r in records(tmp_path / "sliced") if r["path"].endswith("big.parquet")] == records(tmp_path / "whole")
    assert sliced.edits == whole.edits + 3 * 3  # small.parquet: rows 1, 2 and 4, three edits each
    back = revert(tmp_path / "sliced" / "manifest.jsonl", tmp_path / "back")
    assert pq.read_table(tmp_path / "back" / "big.parquet").equals(table)
    assert (tmp_path / "back" / "small.parquet").read_bytes() == (src / "small.parquet").read_bytes()
    assert back.content_only == [str(src / "big.parquet")] and back.identical == 1


def test_parquet_manifest_and_stdin_to_stdout(tmp_path):
    out = tmp_path / "out"
    run([SAMPLES], out, manifest_format="parquet")
    frame = pl.read_parquet(out / "manifest.parquet")
    assert {"kind", "doc", "start", "end", "before", "after", "rule", "confidence"} <= set(frame.columns)
    assert frame.filter(pl.col("kind") == "edit").height > 0
    res = cli("normalise", "--revert", str(out / "manifest.parquet"), "--out", str(tmp_path / "back"))
    assert res.exit_code == 0 and "5 byte-identical" in res.stderr
    assert files_of(tmp_path / "back") == files_of(SAMPLES)
    assert cli("normalise", "--revert", str(out / "manifest.parquet"), "--out", str(tmp_path / "back")).exit_code == 2
    res = cli("normalise", "-", "--lang", "en", "-j", "1", input="Erdo\u200bgan  said .\n".encode())
    assert res.exit_code == 0 and res.stdout_bytes == "Erdogan said.\n".encode()


def test_dry_run_writes_nothing_and_prints_a_diff(corpus, tmp_path):
    before = files_of(tmp_path)
    res = cli("normalise", str(corpus), "--out", str(tmp_path / "out"), "--dry-run", "--lang", "en", "-j", "1")
    assert res.exit_code == 2  # the empty and the binary file could not be read
    assert files_of(tmp_path) == before and not (tmp_path / "out").exists()
    assert f"--- a/{corpus / 'a.txt'}" in res.stdout and "+++ b/" in res.stdout
    assert "dry run, nothing written" in res.stderr and "edits in" in res.stderr


def test_guards_never_overwrite_without_being_asked(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("two  spaces\n")
    with pytest.raises(NormaliseError, match="--backup"):
        run([src], in_place=True)
    with pytest.raises(NormaliseError, match="inside the input"):
        run([src], src / "out")
    with pytest.raises(NormaliseError, match="lies inside --out"):
        run([src / "a.txt"], src)
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    with pytest.raises(NormaliseError, match="not empty"):
        run([src], out)
    assert (out / "precious.txt").read_text() == "keep me"
    run([src], out, force=True)
    with pytest.raises(NormaliseError, match="already holds a finished run"):
        run([src], out, force=False)
    res = cli("normalise", str(src), "--in-place", "--lang", "en", "-j", "1")
    assert res.exit_code == 2 and "--no-backup" in res.stderr
    # in place with a backup: the input is repaired, the backup is the original, a second run refuses
    report = run([src], in_place=True, backup=".orig")
    assert (src / "a.txt").read_text() == "two spaces\n" and (src / "a.txt.orig").read_text() == "two  spaces\n"
    assert report.manifest == tmp_path / "src.normalise-manifest.jsonl"
    with pytest.raises(NormaliseError, match="backup"):
        run([src / "a.txt"], in_place=True, backup=".orig")
    revert(report.manifest, tmp_path / "restored")
    assert (tmp_path / "restored" / "a.txt").read_text() == "two  spaces\n"


def run_killed(paths, out, monkeypatch, at: int) -> None:
    """A run killed when the ``at``-th output's records are being recorded (after that output
    was renamed into place)."""
    real = N.Run.record
    calls = {"n": 0}

    def crashing(self, job, file_record, records):
        calls["n"] += 1
        if calls["n"] == at:
            raise KeyboardInterrupt
        return real(self, job, file_record, records)

    with monkeypatch.context() as patch:
        patch.setattr(N.Run, "record", crashing)
        with pytest.raises(KeyboardInterrupt):
            run(paths, out)


def test_interrupted_run_leaves_complete_or_absent_outputs_and_resumes(corpus, tmp_path, monkeypatch):
    clean = tmp_path / "clean"
    run([corpus], clean)
    out = tmp_path / "out"
    run_killed([corpus], out, monkeypatch, at=5)
    partial = files_of(out)
    assert "manifest.jsonl" not in partial and "manifest.jsonl.partial" in partial
    assert not any(k.endswith(N.TMP_SUFFIX) for k in partial)
    want = files_of(clean)
    for name, data in partial.items():
        if name != "manifest.jsonl.partial":
            assert data == want[name], name  # every output present is complete
    # a torn last line in the progress file is ignored
    with open(out / "manifest.jsonl.partial", "ab") as fh:
        fh.write(b'{"file": {"seq": 9')
    report = run([corpus], out)
    assert report.resumed == 4
    got = files_of(out)
    # same outputs; the same manifest but for the run record (which names the output folder)
    tail = lambda m: m.split(b"\n", 1)[1]
    assert tail(got.pop("manifest.jsonl")) == tail(want.pop("manifest.jsonl"))
    assert got == want


@pytest.mark.parametrize("layout", ["jsonl", "tree"])
def test_records_past_the_spill_limit_give_the_same_manifest_and_resume(tmp_path, monkeypatch, layout):
    """An output's manifest records past SPILL_RECORDS go to a spill file beside the partial
    manifest, not memory: the same manifest and revert as records held in memory; a run
    killed after such an output resumes from it, one whose spill file was damaged redoes it,
    and no spill file is left once the manifest is written."""
    rng = random.Random(11)
    src = tmp_path / "src"
    src.mkdir()
    if layout == "jsonl":  # one file of many rows: thousands of records
        for name in ("a", "b"):
            (src / f"{name}.jsonl").write_text("".join(json.dumps({"id": f"{name}{i}", "text": glitchy(rng, 3)}) + "\n"
                                                      for i in range(150)), "utf-8")
    else:
        for name in ("a", "b"):
            (src / f"{name}.txt").write_text(glitchy(rng, 200), "utf-8")
    inputs = sorted(src.iterdir())  # (a directory is walked for text files: tables named)
    held = run(inputs, tmp_path / "held")
    monkeypatch.setattr(N, "SPILL_RECORDS", 7)
    spilled = run(inputs, tmp_path / "spilled")
    a, b = files_of(tmp_path / "held"), files_of(tmp_path / "spilled")
    assert set(a) == set(b)  # (no spill file left behind)
    assert a.pop("manifest.jsonl").split(b"\n")[1:] == b.pop("manifest.jsonl").split(b"\n")[1:] and a == b
    assert held.edits == spilled.edits > 2 * 7
    # killed at the second output: the first one's records are in a spill file the partial
    # manifest names (the second one's, cut off with it, is named by nothing)
    out = tmp_path / "out"
    run_killed(inputs, out, monkeypatch, at=2)
    assert {"manifest.jsonl.partial", "manifest.jsonl.partial.0"} <= {p.name for p in out.iterdir()}
    first = (out / "manifest.jsonl.partial.0").read_bytes()
    assert run(inputs, out).resumed == 1
    assert files_of(out)["manifest.jsonl"].split(b"\n")[1:] == files_of(tmp_path / "held")["manifest.jsonl"].split(b"\n")[1:]
    assert not any(p.name.startswith("manifest.jsonl.partial") for p in out.iterdir())
    # the same, but the spill file damaged before the rerun: that output is done again
    out2 = tmp_path / "out2"
    run_killed(inputs, out2, monkeypatch, at=2)
    (out2 / "manifest.jsonl.partial.0").write_bytes(first[: len(first) // 2])
    assert run(inputs, out2).resumed == 0
    assert files_of(out2)["manifest.jsonl"].split(b"\n")[1:] == files_of(tmp_path / "held")["manifest.jsonl"].split(b"\n")[1:]
    revert(out2 / "manifest.jsonl", tmp_path / "back")
    assert files_of(tmp_path / "back") == files_of(src)


def test_revert_reads_a_tables_records_as_it_reaches_their_rows(tmp_path):
    """A table's manifest records are read row by row as the revert reaches them (one record of
    lookahead), never all at once; records out of row order are refused, nothing written."""
    read = []

    def stream(recs):
        for r in recs:
            read.append(r.get("row"))
            yield r

    recs = [{"kind": "edit", "row": 2, "start": 0, "end": 1, "after": "x"}, {"kind": "row", "row": 2, "restore": {}},
            {"kind": "row", "row": 5, "restore": {"quoted": True}},
            {"kind": "edit", "row": 9, "start": 1, "end": 2, "after": "y"}, {"kind": "row", "row": 9}]
    rows = N._RowRecords(stream(recs), "t.jsonl")
    assert rows.restore(1) is None and rows.edits(1) == [] and read == [2]
    assert rows.restore(2) == {} and rows.edits(2) == recs[:1] and read == [2, 2, 5]
    assert rows.restore(5) == {"quoted": True} and rows.edits(5) == [] and read == [2, 2, 5, 9]
    assert rows.restore(8) is None and rows.edits(9) == recs[3:4] and rows.restore(9) == {}
    assert read == [2, 2, 5, 9, 9]
    with pytest.raises(NormaliseError, match="out of row order"):
        bad = N._RowRecords(iter([recs[2], recs[0]]), "t.jsonl")
        [bad.edits(i) for i in range(1, 7)]
    # through revert: a manifest whose rows were reordered by hand is refused
    src = tmp_path / "t.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": f"row {i}  with  spaces"}) + "\n" for i in range(3)))
    run([src], tmp_path / "out")
    lines = (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    edits = [k for k, line in enumerate(lines) if json.loads(line)["kind"] == "edit"]
    lines[edits[0]], lines[edits[-1]] = lines[edits[-1]], lines[edits[0]]
    (tmp_path / "out" / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(NormaliseError, match="out of row order"):
        revert(tmp_path / "out" / "manifest.jsonl", tmp_path / "back")
    assert not (tmp_path / "back" / "t.jsonl").exists()


def test_resume_redoes_outputs_whose_input_changed(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for name in "abc":
        (src / f"{name}.txt").write_text(f"{name}  one\n")
    out = tmp_path / "out"
    monkeypatch.setattr(N.Run, "finish", lambda self: None)  # killed before the final manifest
    run([src], out)
    monkeypatch.undo()
    (src / "b.txt").write_text("b  changed  meanwhile\n")
    report = run([src], out)
    assert report.resumed == 2 and (out / "b.txt").read_text() == "b changed meanwhile\n"


def test_resume_keeps_a_last_progress_line_that_lost_only_its_line_feed(tmp_path, monkeypatch):
    """The progress file is cut after its last good line: one complete but for its line feed
    counts (and gets it back, so the next append starts a line); a torn one does not."""
    src = tmp_path / "src"
    src.mkdir()
    for name in "abc":
        (src / f"{name}.txt").write_text(f"{name}  one\n")
    for torn, resumed in ((False, 3), (True, 2)):
        out = tmp_path / f"out{int(torn)}"
        with monkeypatch.context() as patch:
            patch.setattr(N.Run, "finish", lambda self: None)  # killed before the final manifest
            run([src], out)
        partial = out / "manifest.jsonl.partial"
        data = partial.read_bytes()
        partial.write_bytes(data[:-1] if not torn else data[: data.rindex(b"\n", 0, len(data) - 1) + 10])
        report = run([src], out)
        assert report.resumed == resumed and files_of(out)["manifest.jsonl"].count(b'"kind": "file"') == 3


def test_resume_refuses_another_command(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(N.Run, "finish", lambda self: None)
    run([corpus], out)
    monkeypatch.undo()
    with pytest.raises(NormaliseError, match="interrupted run with other"):
        run([corpus], out, policy=Policy(unsafe=True))


def test_decisions_apply_exactly_what_was_decided(tmp_path):
    from audit.api import audit_docs
    from audit.document import Document

    src = tmp_path / "src"
    src.mkdir()
    text = "Erdo\u200bgan  met Blinken . Two  spaces here.\n"
    (src / "a.txt").write_text(text, "utf-8")
    doc_id = str(src / "a.txt")
    findings = [f for f in audit_docs([Document(doc_id, text, lang="en")], CONFIG) if f.suggestion is not None]
    assert len(findings) >= 4
    by_text = {f.text: f for f in findings}
    path = tmp_path / "decisions.jsonl"

    def decide(f, what, repl=None):
        append_decision(path, Decision(doc_id, f.fingerprint, f.rule, f.start, f.end, f.text, what, repl))

    decide(by_text["\u200b"], "accept")
    decide(by_text[" "], "reject")  # the space before the full stop
    spaces = [f for f in findings if f.text == "  "]
    decide(spaces[1], "edit", " \u2014 ")
    decide(spaces[0], "accept")
    decide(spaces[0], "undo")  # undone: undecided
    res = cli("normalise", str(src), "--out", str(tmp_path / "out"), "--decisions", str(path), "--lang", "en", "-j", "1")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "a.txt").read_text("utf-8") == "Erdogan  met Blinken . Two \u2014 spaces here.\n"
    edits = [r for r in read_manifest(tmp_path / "out" / "manifest.jsonl") if r["kind"] == "edit"]
    assert sorted(r["fingerprint"] for r in edits) == sorted([by_text["\u200b"].fingerprint, spaces[1].fingerprint])
    assert len(read_decisions(path)) == 3


def test_decisions_on_cross_document_findings_are_counted_and_warned_about_not_applied(tmp_path):
    from audit.api import audit_docs
    from audit.document import Document

    src = tmp_path / "src"
    src.mkdir()
    texts = {"a.txt": "Sergei Ermakov said the talks failed. Ermakov  added more.\n",
             "b.txt": "Sergei Yermakov said the talks failed. Yermakov added more.\n",
             "c.txt": "Sergei Yermakov spoke again.\n"}
    for name, text in texts.items():
        (src / name).write_text(text, "utf-8")
    docs = [Document(str(src / name), text, lang="en") for name, text in texts.items()]
    findings = audit_docs(docs, CONFIG)
    corpus = [f for f in findings if f.rule == "name-corpus-inconsistent"]
    local = [f for f in findings if f.rule == "whitespace"]
    assert corpus and corpus[0].suggestion and local
    path = tmp_path / "decisions.jsonl"
    for f, what in ((corpus[0], "accept"), (local[0], "accept")):
        append_decision(path, Decision(f.doc, f.fingerprint, f.rule, f.start, f.end, f.text, what))
    from audit.decisions import cross_document

    assert cross_document(read_decisions(path)) == {(corpus[0].doc, corpus[0].fingerprint)}
    res = cli("normalise", str(src), "--out", str(tmp_path / "out"), "--decisions", str(path), "--lang", "en", "-j", "1")
    assert res.exit_code == 0, res.output
    assert "warning: 1 accepted decisions are about cross-document findings" in res.stderr
    assert "1 accepted decision on cross-document findings NOT applied" in res.stderr
    assert "matched no finding" not in res.stderr  # not mistaken for a stale decision
    # the document-stage decision is applied, the cross-document one is not
    assert (tmp_path / "out" / "a.txt").read_text("utf-8") == texts["a.txt"].replace("  ", " ")


def test_parallel_run_matches_serial(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    rng = random.Random(7)
    with open(src / "big.jsonl", "w", encoding="utf-8") as fh:
        for i in range(1100):
            fh.write(json.dumps({"id": i, "text": glitchy(rng, 2), "k": i * 2}) + "\n")
    # two cheap rules: what is tested is the pool's ordering, not the detectors
    rules = ["whitespace", "invisible-character"]
    run([src / "big.jsonl"], tmp_path / "serial", config=Config(lang="en", jobs=1, select=rules))
    run([src / "big.jsonl"], tmp_path / "parallel", config=Config(lang="en", jobs=2, select=rules))
    serial, parallel = files_of(tmp_path / "serial"), files_of(tmp_path / "parallel")
    assert serial["big.jsonl"] == parallel["big.jsonl"]
    tail = lambda m: m.split(b"\n", 1)[1]
    assert tail(serial["manifest.jsonl"]) == tail(parallel["manifest.jsonl"])


# -- ftfy yardstick ---------------------------------------------------------------------------
FTFY_CASES = Path(__file__).parent / "fixtures" / "ftfy"
NOT_REAL_WORLD = ("synthetic", "negative")


@functools.lru_cache(maxsize=None)
def ftfy_yardstick(select: tuple[str, ...] = ("encoding",)) -> tuple[int, int, int]:
    """(cases, repaired by ftfy.fix_encoding, repaired by ``normalise --select …``) on ftfy's real-world cases.

    A case counts as repaired when the result equals ftfy's expected ``fixed-encoding``
    (else ``fixed``) text exactly. Real world: every case not labelled synthetic.
    """
    import ftfy

    cases = []
    for path in sorted(FTFY_CASES.glob("*.json")):
        if any(word in path.stem for word in NOT_REAL_WORLD):
            continue
        cases += [c for c in json.loads(path.read_text("utf-8")) if "synthetic" not in c.get("label", "").lower()]
    policy = Policy(select=select)
    config = Config(jobs=1)
    theirs = ours = 0
    for case in cases:
        want = case.get("fixed-encoding", case["fixed"])
        theirs += ftfy.fix_encoding(case["original"]) == want
        ours += normalise_text(case["original"], config, policy)[0] == want
    return len(cases), theirs, ours


def _need_ftfy_yardstick():
    from audit.detectors import DETECTORS

    if not any(FTFY_CASES.glob("*.json")):
        pytest.skip("ftfy test cases not vendored")
    if "mojibake" not in DETECTORS:
        pytest.skip("the mojibake rule is not registered")


def test_mojibake_repairs_at_least_as_many_ftfy_cases_as_ftfy():
    _need_ftfy_yardstick()
    cases, theirs, ours = ftfy_yardstick(("mojibake",))
    assert cases > 100
    assert ours >= theirs, f"normalise --select mojibake repaired {ours} of {cases}, ftfy {theirs}"


def test_encoding_repairs_match_ftfy_on_its_real_world_cases():
    _need_ftfy_yardstick()
    cases, theirs, ours = ftfy_yardstick(("encoding",))
    assert ours >= theirs, f"normalise --select encoding repaired {ours} of {cases}, ftfy {theirs}"


if __name__ == "__main__":  # python tests/test_normalise.py: print the yardstick counts
    for sel in (("encoding",), ("mojibake",)):
        print("cases %d, ftfy.fix_encoding %d, normalise --select %s %d" % (*ftfy_yardstick(sel)[:2], sel[0],
                                                                            ftfy_yardstick(sel)[2]))


def test_documents_over_the_size_limit_are_left_as_they_are_and_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("two  spaces\n", "utf-8")
    (src / "big.txt").write_text("two  spaces. " * 90_000, "utf-8")  # 1.17 MB
    lines = [json.dumps({"id": 1, "text": "Erdo\u200bgan said"}), json.dumps({"id": 2, "text": "two  spaces. " * 90_000}),
             json.dumps({"id": 3, "text": "a  b"})]
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(lines) + "\n", "utf-8")
    before = files_of(src)
    config = Config(lang="en", jobs=1, max_document_mb=1)
    report = run([src], tmp_path / "out", config=config)
    got = files_of(tmp_path / "out")
    assert got["big.txt"] == before["big.txt"] and got["a.txt"] == b"two spaces\n"
    assert [e for e in report.errors if "over the limit of 1 MB" in e] == [report.errors[0]]
    report = run([rows], tmp_path / "out-rows", config=config)
    assert (tmp_path / "out-rows" / "rows.jsonl").read_text("utf-8").splitlines() == [
        json.dumps({"id": 1, "text": "Erdogan said"}), lines[1], json.dumps({"id": 3, "text": "a b"})]
    assert len(report.errors) == 1 and f"{rows}:2: 1.2 MB, over the limit of 1 MB" in report.errors[0]
    assert files_of(src) == before
    # stdin to stdout: written out as it is
    data = ("two  spaces. " * 90_000).encode()
    res = cli("normalise", "-", "--lang", "en", "-j", "1", "--max-document-mb", "1", input=data)
    assert res.stdout_bytes == data and "over the limit of 1 MB" in res.stderr


def _scan_csv_by_hand(text: str, sep: str = ",", quoting: bool = True):
    """The CSV scanner ``csv_records`` replaced (a loop over characters): the definition."""
    i, n = 0, len(text)
    while i < n:
        start, fields = i, []
        while True:
            fs = i
            if quoting and i < n and text[i] == '"':
                i += 1
                while i < n:
                    if text[i] == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            i += 2
                            continue
                        break
                    i += 1
                i += 1
                while i < n and text[i] not in (sep, "\r", "\n"):
                    i += 1
                fields.append((fs, min(i, n), True))
            else:
                while i < n and text[i] not in (sep, "\r", "\n"):
                    i += 1
                fields.append((fs, i, False))
            if i < n and text[i] == sep:
                i += 1
                continue
            break
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        yield start, min(i, n), fields


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet='ab",;\t|\r\n é', max_size=40), st.sampled_from([",", ";", "\t", "|"]), st.booleans())
def test_csv_records_equal_the_scan_by_hand(text, sep, quoting):
    assert ([(r.start, r.end, r.fields) for r in N.csv_records(text, sep, quoting)]
            == list(_scan_csv_by_hand(text, sep, quoting)))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet='ab"\t\r\n é,', max_size=40))
def test_tab_separated_records_are_what_the_csv_module_reads_without_quoting(text):
    """Tab-separated values: quotes are text; the scanner's fields are the csv module's with
    QUOTE_NONE (a blank line is one empty field to the scanner, nothing to the csv module)."""
    ours = [vals for vals in N.csv_values(text, list(N.csv_records(text, "\t", False))) if vals != [""]]
    theirs = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
              if row != []]
    assert ours == theirs


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.text(alphabet='ab",\r\n é\u00a0  ', max_size=12), min_size=2, max_size=2), max_size=12),
       block=st.sampled_from([1, 2, 3, 7, 64]), newline=st.sampled_from(["\n", "\r\n"]),
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_a_csv_file_read_block_by_block_is_the_file_read_whole(tmp_path_factory, monkeypatch, rows, block, newline,
                                                               encoding):
    """Blocks of a few bytes (quoted fields, multi-byte characters and \\r\\n cut anywhere),
    UTF-8, legacy bytes or UTF-16: the same records, the same normalised file and manifest as
    a file read whole."""
    from audit.inputs import decode_bytes

    tmp = tmp_path_factory.mktemp("csv")
    path = tmp / "rows.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, lineterminator=newline).writerows([["id", "text"]] + [[str(i), t] for i, (_, t) in enumerate(rows)])
    text = decode_bytes(path.read_bytes())[0]
    with monkeypatch.context() as patch:
        patch.setattr(N, "CSV_BLOCK", block)
        _block_by_block_is_whole(tmp, path, text)


def _block_by_block_is_whole(tmp, path, text):
    from audit.inputs import decode_bytes

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    plan = N.csv_streamable(path)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # UTF-16 streams, as a whole read decodes it
        assert plan == (sha, N.byte_recipe(data, *decode_bytes(data)), "strict", "utf-16", ",", True)
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            # legacy bytes stream exactly when a whole read would not keep the original bytes
            _, meta = decode_bytes(data)
            recipe = N.byte_recipe(data, text, meta)
            assert plan == (None if "original" in recipe else (sha, recipe, f"audit-{meta['decoded_as']}", "utf-8", ",", True))
        else:
            assert plan == (sha, {}, "strict", "utf-8", ",", True)
    if plan is not None:
        pieces = list(N.csv_blocks(path, errors=plan.errors, encoding=plan.encoding))
        assert "".join(t for t, _ in pieces) == text
        shifted, offset = [], 0
        for t, records in pieces:
            shifted += [(r.start + offset, r.end + offset, [(a + offset, b + offset, q) for a, b, q in r.fields])
                        for r in records]
            offset += len(t)
        assert shifted == [(r.start, r.end, r.fields) for r in N.csv_records(text)]
    streamed = run([path], tmp / "a", config=Config(lang="en", jobs=1))
    streamable, N.csv_streamable = N.csv_streamable, lambda path, sep=",", quoting=True: None  # the whole-file reading
    try:
        whole = run([path], tmp / "b", config=Config(lang="en", jobs=1))
    finally:
        N.csv_streamable = streamable
    a, b = files_of(tmp / "a"), files_of(tmp / "b")
    assert a["rows.csv"] == b["rows.csv"] and streamed.line() == whole.line()
    # the manifests but for their first line (the run: its --out differs)
    assert a["manifest.jsonl"].split(b"\n")[1:] == b["manifest.jsonl"].split(b"\n")[1:]


@pytest.mark.parametrize("encoding", ["cp1251", "cp1254"])
def test_a_legacy_encoded_csv_streamed_is_normalised_and_reverted_as_one_read_whole(tmp_path, monkeypatch, encoding):
    """A CSV file of one legacy encoding is read block by block like a UTF-8 one: the same
    output (in its encoding), manifest and byte-for-byte revert as the file read whole."""
    body = {"cp1251": "Министр  иностранных дел\u00a0заявил , что вопрос закрыт",
            "cp1254": "Dışişleri  Bakanı Çavuşoğlu , açıklama yaptı"}[encoding]
    rows = [["id", "text"]] + [[str(i), f"{body} {i}\r\nи \"ещё\"" if encoding == "cp1251" else f"{body} {i}"]
                               for i in range(60)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    src = tmp_path / "src"
    src.mkdir()
    path = src / "rows.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    monkeypatch.setattr(N, "CSV_BLOCK", 100)
    assert N.csv_streamable(path).errors == f"audit-{encoding}"
    streamed = run([path], tmp_path / "a", config=Config(lang="en", jobs=1))
    with monkeypatch.context() as patch:
        patch.setattr(N, "csv_streamable", lambda path, sep=",", quoting=True: None)  # the whole-file reading
        whole = run([path], tmp_path / "b", config=Config(lang="en", jobs=1))
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert a["rows.csv"] == b["rows.csv"] != path.read_bytes() and streamed.line() == whole.line()
    assert a["rows.csv"].decode(encoding).count("  ") < buf.getvalue().count("  ")  # repaired, in its encoding
    assert a["manifest.jsonl"].split(b"\n")[1:] == b["manifest.jsonl"].split(b"\n")[1:]
    N.revert(tmp_path / "a" / "manifest.jsonl", tmp_path / "back")
    assert (tmp_path / "back" / "rows.csv").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_a_utf16_csv_is_streamed_normalised_and_reverted_as_one_read_whole(tmp_path, monkeypatch, bom, codec):
    """A CSV file with a UTF-16 byte-order mark is read block by block (blocks that cut a
    character, a surrogate pair or a record in two) with the output, manifest and revert of
    the file read whole; one that does not decode is reported, with where, and copied as it is."""
    rows = [["id", "text"]] + [[str(i), f"Ibrahim Kalyn  said , \U0001F600 \"ok\" {i}\r\nnext"] for i in range(50)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    src = tmp_path / "src"
    src.mkdir()
    path = src / "rows.csv"
    path.write_bytes(bom + buf.getvalue().encode(codec))
    (src / "broken.csv").write_bytes(path.read_bytes()[:-1])  # the last character cut in two
    monkeypatch.setattr(N, "CSV_BLOCK", 101)  # odd: blocks end inside a character
    plan = N.csv_streamable(path)
    assert plan == (hashlib.sha256(path.read_bytes()).hexdigest(), {"encoding": codec, "prefix": bom.hex()},
                    "strict", "utf-16", ",", True)
    assert N.csv_streamable(src / "broken.csv") is None
    read_whole = Path.read_bytes
    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole") if self == path
                      else read_whole(self))
        streamed = run([path], tmp_path / "a", config=Config(lang="en", jobs=1))
    with monkeypatch.context() as patch:
        patch.setattr(N, "csv_streamable", lambda path, sep=",", quoting=True: None)  # the whole-file reading
        whole = run([path], tmp_path / "b", config=Config(lang="en", jobs=1))
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert a["rows.csv"] == b["rows.csv"] and "İbrahim Kalın said," in a["rows.csv"].decode()
    assert streamed.line() == whole.line()
    assert a["manifest.jsonl"].split(b"\n")[1:] == b["manifest.jsonl"].split(b"\n")[1:]
    N.revert(tmp_path / "a" / "manifest.jsonl", tmp_path / "back")
    assert (tmp_path / "back" / "rows.csv").read_bytes() == path.read_bytes()
    broken = run([src / "broken.csv"], tmp_path / "c", config=Config(lang="en", jobs=1))
    order = "little" if bom == codecs.BOM_UTF16_LE else "big"
    assert broken.errors == [f"{src / 'broken.csv'}: not valid UTF-16 ({order}-endian byte-order mark): "
                             f"truncated data at byte {len(read_whole(path)) - 2}"]
    assert (tmp_path / "c" / "broken.csv").read_bytes() == read_whole(src / "broken.csv")


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_jsonl_is_normalised_to_utf8_and_reverted_byte_for_byte(tmp_path, bom, codec):
    """JSON lines with a UTF-16 byte-order mark (Windows PowerShell's ``>``) are read as text:
    the output is UTF-8 JSON lines, repaired, every other field and line kept; the file's
    recipe in the manifest re-encodes the whole on revert, byte for byte. One that does not
    decode is one error that says where, and is copied as it is."""
    rows = [{"id": f"r{i}", "text": f"Ibrahim Kalyn  said , \U0001F600 \u2028row {i}", "n": i} for i in range(6)]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines[2] = json.dumps({"id": "r2", "text": "Clean text."})
    lines.insert(3, "")  # a blank line and a line that is not JSON: kept as they are
    lines.insert(4, "not json")
    data = bom + ("\r\n".join(lines) + "\r\n").encode(codec)
    src = tmp_path / "src"
    src.mkdir()
    (src / "rows.jsonl").write_bytes(data)
    (src / "broken.jsonl").write_bytes(data[:-1])
    report = run([src / "rows.jsonl"], tmp_path / "a", config=Config(lang="en", jobs=1))
    out = (tmp_path / "a" / "rows.jsonl").read_bytes().decode("utf-8")  # UTF-8 now
    got = out.split("\r\n")
    assert got[3:5] == ["", "not json"] and got[-1] == ""
    parsed = [json.loads(x) for x in got if x.startswith("{")]
    assert [p["n"] for p in parsed if "n" in p] == [0, 1, 3, 4, 5]
    assert parsed[0]["text"] == "İbrahim Kalın said, \U0001F600 \u2028row 0" and parsed[2]["text"] == "Clean text."
    assert report.edits == 5 * 3 and report.transcoded == 6 and not report.errors
    file = next(r for r in read_manifest(tmp_path / "a" / "manifest.jsonl") if r["kind"] == "file")
    assert file["restore"] == {"encoding": codec, "prefix": bom.hex()} and file["sha256"] == hashlib.sha256(data).hexdigest()
    N.revert(tmp_path / "a" / "manifest.jsonl", tmp_path / "back")
    assert (tmp_path / "back" / "rows.jsonl").read_bytes() == data
    broken = run([src / "broken.jsonl"], tmp_path / "c", config=Config(lang="en", jobs=1))
    order = "little" if bom == codecs.BOM_UTF16_LE else "big"
    assert broken.errors == [f"{src / 'broken.jsonl'}: not valid UTF-16 ({order}-endian byte-order mark): "
                             f"truncated data at byte {len(data) - 2}"]
    assert (tmp_path / "c" / "broken.jsonl").read_bytes() == data[:-1]
    N.revert(tmp_path / "c" / "manifest.jsonl", tmp_path / "back2")
    assert (tmp_path / "back2" / "broken.jsonl").read_bytes() == data[:-1]


def test_only_a_csv_file_of_one_encoding_and_laid_out_as_csv_reads_it_streams(tmp_path):
    from audit.inputs import decode_bytes

    legacy = "id,text\n1,Dışişleri Bakanı Çavuşoğlu açıkladı\n".encode("cp1254")
    cases = {"good.csv": 'id,text\n1,"a ""b"" c"\n2,plain\r\n'.encode(), "legacy.csv": legacy,
             "empty.csv": b"", "binary.csv": b"id,text\n\x00\x01\x02", "utf16.csv": "id,text\n1,a\n".encode("utf-16"),
             "odd.csv": b'id,text\n1,"b"c"d\n',  # the csv module reads bc"d, the scanner b"cd: not reproducible
             "mixed.csv": "id,text\n1,Erdoğan\n".encode() + "2,café\n".encode("cp1252")}  # UTF-8 and legacy bytes
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    assert N.csv_streamable(tmp_path / "good.csv") == (hashlib.sha256(cases["good.csv"]).hexdigest(), {}, "strict",
                                                       "utf-8", ",", True)
    # a legacy file streams with the recipe a whole read gives it; a mixed one keeps its bytes when read whole
    text, meta = decode_bytes(legacy)
    assert N.csv_streamable(tmp_path / "legacy.csv") == (hashlib.sha256(legacy).hexdigest(),
                                                         N.byte_recipe(legacy, text, meta), "audit-cp1254", "utf-8", ",", True)
    assert "original" in N.byte_recipe(cases["mixed.csv"], *decode_bytes(cases["mixed.csv"]))
    # a UTF-16 one (a byte-order mark) with the recipe a whole read gives it
    utf16 = cases["utf16.csv"]
    assert N.csv_streamable(tmp_path / "utf16.csv") == (hashlib.sha256(utf16).hexdigest(),
                                                        N.byte_recipe(utf16, *decode_bytes(utf16)), "strict", "utf-16", ",", True)
    assert [name for name in cases if N.csv_streamable(tmp_path / name) is None] == \
        ["empty.csv", "binary.csv", "odd.csv", "mixed.csv"]
    report = run([tmp_path / "odd.csv"], tmp_path / "out", config=Config(lang="en", jobs=1))
    assert any("not reproducible" in e for e in report.errors) and (tmp_path / "out" / "odd.csv").read_bytes() == cases["odd.csv"]


def test_revert_streams_large_outputs_and_refuses_a_changed_one(tmp_path, monkeypatch):
    """CSV read back in blocks of a few bytes, a legacy-encoded CSV re-encoded piece by piece:
    byte for byte. An output edited since the run is refused, and nothing is left behind."""
    src = tmp_path / "src"
    src.mkdir()
    rows = [["id", "text"]] + [[str(i), f"Ердоган  встретился , {i}\u200b раз\r\nи \"ещё\""] for i in range(40)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (src / "ru.csv").write_bytes(buf.getvalue().replace("\u200b", "").encode("cp1251"))
    (src / "utf8.csv").write_text(buf.getvalue().replace("Ердоган", "Erdoğan"), "utf-8", newline="")
    out = tmp_path / "out"
    for name in ("ru.csv", "utf8.csv"):
        run([src / name], out / name.split(".")[0], config=Config(lang="en", jobs=1))
    monkeypatch.setattr(N, "CSV_BLOCK", 5)
    for name in ("ru.csv", "utf8.csv"):
        stem = name.split(".")[0]
        assert (out / stem / name).read_bytes() != (src / name).read_bytes()
        back = tmp_path / "back" / stem
        assert revert(out / stem / "manifest.jsonl", back).identical == 1
        assert (back / name).read_bytes() == (src / name).read_bytes()
    # an output changed after the run: refused, no file and no temporary file written
    edited = (out / "utf8" / "utf8.csv").read_text("utf-8").replace("Erdoğan встретился", "Erdoğan  встретился", 1)
    (out / "utf8" / "utf8.csv").write_text(edited, "utf-8", newline="")
    with pytest.raises(NormaliseError):
        revert(out / "utf8" / "manifest.jsonl", tmp_path / "refused")
    assert not any(p.is_file() for p in (tmp_path / "refused").rglob("*"))
