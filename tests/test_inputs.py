"""The reader: every kind of input becomes documents or a clear error, and the run goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest

from audit.inputs import InputError, InputOptions, Tally, decode_bytes, iter_inputs


def read(paths, **opts):
    tally = Tally()
    items = list(iter_inputs([str(p) for p in paths], InputOptions(**opts), tally))
    docs = [i for i in items if not isinstance(i, InputError)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors, tally


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("Dışişleri Bakanı Çavuşoğlu yıldönümü töreninde şeref konuğuydu.", "cp1254"),
        ("Министр иностранных дел Турции заявил, что вопрос закрыт.", "cp1251"),
        ("Министр иностранных дел Турции заявил, что вопрос закрыт.", "koi8_r"),
        ("Déjà vu: the café’s naïve façade.", "cp1252"),
    ],
)
def test_legacy_encodings_are_detected_and_decoded(text, encoding):
    decoded, meta = decode_bytes(text.encode(encoding))
    assert decoded == text
    assert meta["decoded_as"] == encoding
    assert decoded[meta["decode_offset"]] == next(c for c in text if ord(c) > 127)


def test_utf8_with_a_few_legacy_bytes_keeps_its_utf8():
    data = "İbrahim Kalın said ".encode("utf-8") + "café".encode("cp1252")
    text, meta = decode_bytes(data)
    assert text == "İbrahim Kalın said café"
    assert meta["decode_offset"] == text.index("é")


def test_bom_is_kept_so_offsets_stay_exact():
    text, meta = decode_bytes("\ufeffHello".encode("utf-8"))
    assert text == "\ufeffHello" and meta == {}


def test_directory_walk_is_recursive_sorted_and_counts_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("zed", "utf-8")
    (tmp_path / "a.txt").write_text("a", "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("x", "utf-8")
    docs, errors, tally = read([tmp_path])
    assert [d.id for d in docs] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "z.md")]
    assert tally.skipped == 1 and not errors


def test_bad_inputs_get_one_line_errors_and_the_run_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    good = tmp_path / "good.txt"
    good.write_text("fine", "utf-8")
    docs, errors, _ = read([tmp_path / "empty.txt", tmp_path / "missing.txt", tmp_path / "binary.txt", good])
    assert [d.text for d in docs] == ["fine"]
    messages = [str(e) for e in errors]
    assert any("empty.txt: empty input" in m for m in messages)
    assert any("missing.txt: no such file" in m for m in messages)
    assert any("binary.txt: binary data" in m for m in messages)
    assert all("\n" not in m for m in messages)


def test_jsonl_rows_ids_and_broken_rows(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "text": "first", "lang": "en", "extra": 1}) + "\n"
        + "{broken json\n"
        + json.dumps({"text": "no id", "source": "исходник"}) + "\n"
        + json.dumps([1, 2]) + "\n",
        "utf-8",
    )
    docs, errors, _ = read([path])
    assert [(d.id, d.text, d.lang) for d in docs] == [("a1", "first", "en"), ("3", "no id", None)]
    assert docs[1].source == "исходник"
    assert [e.input for e in errors] == [f"{path}:2", f"{path}:4"]


def test_custom_columns_csv_and_parquet(tmp_path):
    frame = pl.DataFrame({"key": ["x", "y"], "body": ["one, \"quoted\"\nline", "two"]})
    frame.write_csv(tmp_path / "c.csv")
    frame.write_parquet(tmp_path / "c.parquet")
    for name in ("c.csv", "c.parquet"):
        docs, errors, _ = read([tmp_path / name], text_column="body", id_column="key")
        assert [(d.id, d.text) for d in docs] == [("x", "one, \"quoted\"\nline"), ("y", "two")], name
        assert not errors
    docs, errors, _ = read([tmp_path / "c.parquet"])
    assert not docs and "no column 'text'" in str(errors[0])


def test_legacy_encoded_csv_yields_each_row_once(tmp_path):
    rows = "id,text\n" + "".join(f"r{i},plain row {i}\n" for i in range(2000)) + "last,Çavuşoğlu yıldönümü\n"
    (tmp_path / "t.csv").write_bytes(rows.encode("cp1254"))
    docs, errors, tally = read([tmp_path / "t.csv"])
    assert [d.id for d in docs] == [f"r{i}" for i in range(2000)] + ["last"]
    assert docs[-1].text == "Çavuşoğlu yıldönümü" and not errors


@pytest.mark.parametrize("encoding", ["cp1251", "cp1254", "mixed"])
def test_legacy_encoded_csv_is_streamed_and_decoded_as_whole_files_are(tmp_path, monkeypatch, encoding):
    """A CSV that is not UTF-8 is not read whole (memory bounded, whatever its size): its
    rows are those of the file decoded whole by decode_bytes, legacy bytes and all."""
    import audit.inputs as inputs

    words = {"cp1251": "Министр заявил, что вопрос закрыт", "cp1254": "Çavuşoğlu yıldönümü açıklaması",
             "mixed": "Erdoğan"}
    lines = ["id,text\r\n"] + [f'r{i},"row {i}: {words[encoding] if i % 7 == 0 else "plain"}\nsecond line"\r\n'
                                for i in range(3000)]
    if encoding == "mixed":  # UTF-8 with a few cp1252 bytes: the UTF-8 stays UTF-8
        data = "".join(lines).encode("utf-8") + "last,caf\u00e9 cr\u00e8me\r\n".encode("cp1252")
    else:
        data = "".join(lines).encode(encoding)
    (tmp_path / "t.csv").write_bytes(data)
    text, _ = decode_bytes(data)
    import csv
    import io

    expected = [(r["id"], r["text"]) for r in csv.DictReader(io.StringIO(text, newline=""))]
    monkeypatch.setattr(inputs, "LEGACY_SAMPLE", 512)  # the sample taken from the first blocks
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole"))
    docs, errors, _ = read([tmp_path / "t.csv"])
    assert [(d.id, d.text) for d in docs] == expected and not errors
    assert len(docs) == 3000 + (encoding == "mixed")
    if encoding == "mixed":
        assert docs[7].text.endswith("Erdoğan\nsecond line") and docs[-1].text.startswith("café cr")


def test_legacy_sample_is_the_lines_split_as_bytes_splitlines_does_in_any_blocks():
    """legacy_sample over a file cut into blocks anywhere (a \\r\\n cut in two, long lines)
    is the sample detect_legacy takes from the whole bytes."""
    import random

    import audit.inputs as inputs

    rng = random.Random(5)
    for limit in (5, 20, 65536):
        for _ in range(3000):
            data = bytes(rng.choice(b"a\xe9\r\n") for _ in range(rng.randint(0, 40)))
            cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 5))))
            blocks = [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]
            want = b"\n".join(line for line in data.splitlines() if any(b > 127 for b in line))[:limit]
            old = inputs.LEGACY_SAMPLE
            inputs.LEGACY_SAMPLE = limit
            try:
                assert inputs.legacy_sample(blocks) == want, (data, blocks)
            finally:
                inputs.LEGACY_SAMPLE = old


def test_sources_align_by_file_name_and_by_id(tmp_path):
    from audit.cli.common import read_documents
    from audit.config import Config

    (tmp_path / "en" / "sub").mkdir(parents=True)
    (tmp_path / "ru" / "sub").mkdir(parents=True)
    (tmp_path / "en" / "sub" / "a.txt").write_text("The issue is closed.", "utf-8")
    (tmp_path / "en" / "b.txt").write_text("No source for me.", "utf-8")
    (tmp_path / "ru" / "sub" / "a.txt").write_text("Вопрос закрыт.", "utf-8")
    tally = Tally()
    cfg = Config(source_path=str(tmp_path / "ru"), source_lang="ru")
    docs = [d for d in read_documents([str(tmp_path / "en")], cfg, tally) if not isinstance(d, InputError)]
    assert [(Path(d.id).name, d.source, d.source_lang) for d in docs] == [("b.txt", None, None), ("a.txt", "Вопрос закрыт.", "ru")]

    pl.DataFrame({"id": ["x", "y"], "text": ["Вопрос закрыт.", "Да."]}).write_parquet(tmp_path / "src.parquet")
    pl.DataFrame({"id": ["y", "x"], "text": ["Yes.", "The issue is closed."]}).write_ndjson(tmp_path / "tgt.jsonl")
    cfg = Config(source_path=str(tmp_path / "src.parquet"))
    docs = [d for d in read_documents([str(tmp_path / "tgt.jsonl")], cfg, Tally()) if not isinstance(d, InputError)]
    assert [(d.id, d.source) for d in docs] == [("y", "Да."), ("x", "Вопрос закрыт.")]


def test_source_lang_column_and_the_flag_wins(tmp_path):
    from audit.cli.common import read_documents
    from audit.config import Config

    pl.DataFrame({"id": ["a", "b"], "text": ["Yes.", "Evet."], "source": ["Да.", "Yes."],
                  "source_lang": ["ru", "en"]}).write_parquet(tmp_path / "t.parquet")
    docs = [d for d in read_documents([str(tmp_path / "t.parquet")], Config(), Tally())]
    assert [d.source_lang for d in docs] == ["ru", "en"]
    docs = [d for d in read_documents([str(tmp_path / "t.parquet")], Config(source_lang="uk"), Tally())]
    assert [d.source_lang for d in docs] == ["uk", "uk"]


def test_documents_over_the_size_limit_are_skipped_with_an_error_and_the_run_goes_on(tmp_path):
    small, big = tmp_path / "a.txt", tmp_path / "b.txt"
    small.write_text("Short and fine.\n", "utf-8")
    big.write_text("Ж" * 600_000, "utf-8")  # 1.2 MB of UTF-8 (600,000 characters)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in
                              enumerate(["fine", "ü" * 550_000, "also fine"])) + "\n", "utf-8")
    docs, errors, tally = read([small, big, rows], max_document_mb=1)
    assert [d.id for d in docs] == [str(small), "0", "2"]
    assert [(e.input, e.reason) for e in errors] == [(str(big), "too-large"), (f"{rows}:2", "too-large")]
    assert "1.2 MB, over the limit of 1 MB" in errors[0].message and "--max-document-mb" in errors[0].message
    assert tally.documents == 3 and len(tally.errors) == 2
    # 0: no limit
    docs, errors, _ = read([small, big, rows], max_document_mb=0)
    assert len(docs) == 5 and not errors


def test_the_size_limit_comes_from_the_config_file_and_the_flag(tmp_path):
    from click.testing import CliRunner

    from audit.cli import main

    (tmp_path / "big.txt").write_text("The minister said. " * 80_000, "utf-8")  # 1.52 MB
    (tmp_path / "audit.toml").write_text("max_document_mb = 1\n", "utf-8")
    res = CliRunner().invoke(main, ["check", str(tmp_path / "big.txt"), "--config", str(tmp_path / "audit.toml"),
                                    "--lang", "en", "--select", "whitespace"])
    assert res.exit_code == 2 and "over the limit of 1 MB" in res.stderr
    res = CliRunner().invoke(main, ["check", str(tmp_path / "big.txt"), "--config", str(tmp_path / "audit.toml"),
                                    "--lang", "en", "--select", "whitespace", "--max-document-mb", "2"])
    assert res.exit_code == 0 and "over the limit" not in res.stderr


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_csv_is_streamed_and_broken_utf16_is_reported_where(tmp_path, monkeypatch, encoding):
    """A CSV with a UTF-16 byte-order mark is read as a stream (not whole), with the rows of the
    file decoded whole; UTF-16 that does not decode (a lone surrogate) is an error that says
    where, and no rows (as the file read whole would give), as a broken UTF-16 text file is;
    the run goes on to the next input."""
    import codecs
    import csv
    import io

    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    text = "id,text\r\n" + "".join(f'r{i},"Çavuşoğlu \U0001F600 row {i},\nsecond"\r\n' for i in range(3000))
    data = bom + text.encode(encoding)
    (tmp_path / "a.csv").write_bytes(data)
    surrogate = "\ud800".encode(encoding, "surrogatepass")
    cut = data.index("r2000,".encode(encoding))
    (tmp_path / "b.csv").write_bytes(data[:cut] + surrogate + "x".encode(encoding) + data[cut:])
    (tmp_path / "c.txt").write_bytes(bom + "Odd bytes".encode(encoding) + b"\x00")
    (tmp_path / "d.txt").write_text("Fine.", "utf-8")
    expected = [(r["id"], r["text"]) for r in csv.DictReader(io.StringIO(decode_bytes(data)[0], newline=""))]
    read_whole = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole") if self.suffix == ".csv"
                        else read_whole(self))
    docs, errors, _ = read([tmp_path / "a.csv"])
    assert [(d.id, d.text) for d in docs] == expected and len(docs) == 3000 and not errors
    docs, errors, _ = read([tmp_path / "b.csv", tmp_path / "c.txt", tmp_path / "d.txt"])
    order = "little" if encoding == "utf-16-le" else "big"
    assert [d.text for d in docs] == ["Fine."]
    assert [e.message for e in errors] == [
        f"not valid UTF-16 ({order}-endian byte-order mark): illegal UTF-16 surrogate at byte {cut}",
        f"not valid UTF-16 ({order}-endian byte-order mark): truncated data at byte {2 + 18}"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_jsonl_is_read_as_text_and_broken_utf16_jsonl_is_one_error(tmp_path, encoding):
    """JSON lines with a UTF-16 byte-order mark (what Windows PowerShell's ``>`` writes) are
    read as text, row by row: the rows of the file decoded whole, with their line numbers. One
    that does not decode is one error that says where (not an error per line), and the run
    goes on."""
    import codecs
    import json

    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    rows = [{"id": f"r{i}", "text": f"Çavuşoğlu \U0001F600 said\u2028row {i}"} for i in range(5)]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(2, "")  # a blank line: skipped, the numbering goes on
    lines.insert(4, "[1, 2]")  # not an object
    data = bom + ("\r\n".join(lines) + "\r\n").encode(encoding)
    (tmp_path / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl").write_bytes(data[:-1])
    (tmp_path / "c.txt").write_text("Fine.", "utf-8")
    docs, errors, _ = read([tmp_path / "a.jsonl"])
    assert [(d.id, d.text) for d in docs] == [(r["id"], r["text"]) for r in rows]
    assert [d.meta["row"] for d in docs] == [1, 2, 4, 6, 7]
    assert [(e.input, e.message) for e in errors] == [(f"{tmp_path / 'a.jsonl'}:5", "row is not a JSON object")]
    docs, errors, _ = read([tmp_path / "b.jsonl", tmp_path / "c.txt"])
    order = "little" if encoding == "utf-16-le" else "big"
    assert [d.text for d in docs] == ["Fine."]
    assert [e.message for e in errors] == [
        f"not valid UTF-16 ({order}-endian byte-order mark): truncated data at byte {len(data) - 2}"]


def test_a_utf8_byte_order_mark_before_a_json_line_is_ignored(tmp_path):
    """Windows tools write UTF-8 JSON lines with a byte-order mark (PowerShell 5's
    ``Set-Content -Encoding UTF8``; ``cat`` of several such files puts one mid-file): the row
    after it is read, not reported as malformed."""
    first = '\ufeff{"id": "a", "text": "Erdo\u200bgan met Blinken."}\n'
    (tmp_path / "a.jsonl").write_text(first + '{"id": "b", "text": "B."}\n' + first.replace('"a"', '"c"'), "utf-8")
    docs, errors, _ = read([tmp_path / "a.jsonl"])
    assert [(d.id, d.text) for d in docs] == [("a", "Erdo\u200bgan met Blinken."), ("b", "B."),
                                             ("c", "Erdo\u200bgan met Blinken.")]
    assert not errors


def test_a_csv_header_is_read_with_its_separator_and_without_the_text_column_is_one_error(tmp_path):
    """A CSV file whose header lacks the text column is one error for the file (it was one per
    row: a million lines for a million rows), naming its columns; so is a header with the
    column twice. A file separated by semicolons (European Excel) or tabs is read with its
    separator; Excel's "CSV UTF-8" starts with a byte-order mark, which is not part of the
    first column's name."""
    (tmp_path / "semi.csv").write_text("id;text\n1;a  b\n2;c\n", "utf-8")
    (tmp_path / "other.csv").write_text("id,body\n1,a\n2,b\n3,c\n", "utf-8")
    (tmp_path / "bom.csv").write_bytes("\ufefftext,id\n\"a  b\",1\n".encode("utf-8"))
    (tmp_path / "twice.csv").write_text("id,text,text\n1,a,b\n", "utf-8")  # which one? (the last, silently)
    (tmp_path / "tabs.csv").write_text('id\ttext\n7\t"x,  y"\n', "utf-8")
    (tmp_path / "case.csv").write_text('id,Text\n8,z\n', "utf-8")
    docs, errors, _ = read([tmp_path / n for n in ("semi.csv", "other.csv", "bom.csv", "twice.csv", "tabs.csv",
                                                   "case.csv")])
    # the separator: a semicolon or a tab when only it gives the text column
    assert [(d.id, d.text) for d in docs] == [("1", "a  b"), ("2", "c"), ("1", "a  b"), ("7", "x,  y")]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'other.csv'}: no column 'text' in the header ('id', 'body'); use --text-column",
        f"{tmp_path / 'twice.csv'}: the header has 2 columns named 'text'; rename all but one (or use --text-column)",
        f"{tmp_path / 'case.csv'}: no column 'text' in the header ('id', 'Text'); use --text-column 'Text'"]


def test_json_lines_without_the_text_column_are_reported_three_then_counted(tmp_path):
    """A wrong --text-column on a JSON lines file gave one error line per row (a million for a
    million rows): the first three rows are reported with the columns they have, the rest in
    one count; rows with the column are still read."""
    rows = [{"id": i, "body": "x"} for i in range(5)] + [{"id": "ok", "text": "a  b"}] + [{"id": 9, "Text": "y"}]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    docs, errors, _ = read([tmp_path / "a.jsonl"])
    assert [d.id for d in docs] == ["ok"]
    name = str(tmp_path / "a.jsonl")
    assert [str(e) for e in errors] == [f"{name}:{i}: no column 'text' ('id', 'body'); use --text-column" for i in (1, 2, 3)] + [
        f"{name}: 3 more rows with no column 'text'"]


def test_json_lines_whose_text_is_not_a_string_are_reported_three_then_counted(tmp_path):
    """A text column holding numbers (``--text-column id`` by mistake, or a dataset's bad rows)
    gave an error line per row: the first three say what the column holds, the rest are one
    count; a null is an empty document, and string rows are still read."""
    rows = [{"id": 1, "text": 5}, {"id": 2, "text": [1]}, {"id": 3, "text": True}, {"id": 4, "text": {"a": 1}},
            {"id": 5, "text": 2.5}, {"id": 6, "text": None}, {"id": 7, "text": "ok"}]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    docs, errors, _ = read([tmp_path / "a.jsonl"])
    assert [(d.id, d.text) for d in docs] == [("6", ""), ("7", "ok")]
    name = str(tmp_path / "a.jsonl")
    assert [str(e) for e in errors] == [f"{name}:1: column 'text' holds a number, not text",
                                        f"{name}:2: column 'text' holds a list, not text",
                                        f"{name}:3: column 'text' holds true, not text",
                                        f"{name}: 2 more rows whose column 'text' is not text"]


def test_tab_separated_values_are_a_table_whose_quotes_are_text(tmp_path):
    """A .tsv file is a table (a parallel corpus: a source column and a target column), its
    quotes part of the text, not CSV quoting; a header without the text column is one error."""
    (tmp_path / "par.tsv").write_text('id\tsource\ttext\n1\t"Привет"\t"Hello," he said.\n2\tx\ty\n', "utf-8")
    (tmp_path / "bare.tsv").write_text("Hello\tПривет\n", "utf-8")
    docs, errors, _ = read([tmp_path / "par.tsv", tmp_path / "bare.tsv"])
    assert [(d.id, d.source, d.text) for d in docs] == [("1", '"Привет"', '"Hello," he said.'), ("2", "x", "y")]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'bare.tsv'}: no column 'text' in the header ('Hello', 'Привет'); use --text-column"]


def test_a_json_file_of_json_lines_is_read_as_json_lines(tmp_path):
    """Hugging Face datasets' to_json writes JSON Lines into a .json file by default: such a
    file (its first line a JSON object on its own) is read row by row; a pretty-printed
    object, or an array of anything but objects, is still one text document."""
    (tmp_path / "hf.json").write_text('{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n', "utf-8")
    (tmp_path / "pretty.json").write_text('{\n  "id": "c",\n  "text": "Three."\n}\n', "utf-8")
    (tmp_path / "words.json").write_text('["Four.", "Five."]', "utf-8")
    docs, errors, _ = read([tmp_path / "hf.json", tmp_path / "pretty.json", tmp_path / "words.json"])
    assert [(d.id, d.text) for d in docs[:2]] == [("a", "One."), ("b", "Two.")] and not errors
    assert [d.text for d in docs[2:]] == [(tmp_path / n).read_text("utf-8") for n in ("pretty.json", "words.json")]


def test_a_json_array_of_records_is_read_record_by_record(tmp_path):
    """Scrapy's ``-o items.json`` (an object per line between brackets), pandas'
    ``to_json(orient="records")`` (one line) and ``json.dump(records, indent=2)`` all write a
    JSON array of objects: it was read as one text document (its escapes out of every rule's
    reach, its offsets in the JSON syntax); each element is now a row, numbered from 1, in
    UTF-8 with or without a byte-order mark and in UTF-16. An element that is not an object
    or lacks the text is reported as a JSON line is; a malformed array gives its rows up to
    the fault, then an error with the line and column; a file that is not UTF-8 one error."""
    recs = [{"id": "a", "text": "Erdo\u200bgan", "url": "https://x"}, {"id": "b", "text": "Two."}]
    (tmp_path / "scrapy.json").write_text("[\n" + ",\n".join(json.dumps(r) for r in recs) + "\n]", "utf-8")
    (tmp_path / "pandas.json").write_text(json.dumps(recs, separators=(",", ":")), "utf-8")
    (tmp_path / "dump.json").write_text(json.dumps(recs, indent=2, ensure_ascii=False), "utf-8")
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(recs).encode())
    (tmp_path / "utf16.json").write_bytes(json.dumps(recs, indent=1, ensure_ascii=False).encode("utf-16"))
    names = ["scrapy.json", "pandas.json", "dump.json", "bom.json", "utf16.json"]
    docs, errors, _ = read([tmp_path / n for n in names])
    assert not errors
    assert [(d.id, d.text, d.meta["row"]) for d in docs] == [("a", "Erdo\u200bgan", 1), ("b", "Two.", 2)] * 5
    (tmp_path / "mixed.json").write_text('[{"id": "a", "text": "x"}, 3, {"id": "c"}, {"id": "d", "text": 4}]', "utf-8")
    (tmp_path / "broken.json").write_text(
        '[\n{"id": "a", "text": "x"},\n{"id": "b", "text": tru},\n{"id": "c", "text": "z"}\n]', "utf-8")
    (tmp_path / "latin1.json").write_bytes('[{"id": "a", "text": "café"}]'.encode("latin-1"))
    docs, errors, _ = read([tmp_path / n for n in ("mixed.json", "broken.json", "latin1.json")])
    assert [(Path(d.meta["path"]).name, d.id) for d in docs] == [("mixed.json", "a"), ("broken.json", "a")]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'mixed.json'}:2: row is not a JSON object",
        f"{tmp_path / 'mixed.json'}:3: no column 'text' ('id'); use --text-column",
        f"{tmp_path / 'mixed.json'}:4: column 'text' holds a number, not text",
        f"{tmp_path / 'broken.json'}: malformed JSON array: Expecting value (line 3, column 21)",
        f"{tmp_path / 'latin1.json'}: not UTF-8 (invalid continuation byte at byte 25)"]


def _json_arrays():
    from hypothesis import strategies as st

    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
    number = st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    scalar = st.none() | st.booleans() | number | text
    value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                         max_leaves=6)
    return st.tuples(st.lists(st.dictionaries(text, value, max_size=4) | value, max_size=6),
                     st.sampled_from([None, 0, 1, 2, "\t"]), st.booleans(), st.booleans(), st.booleans(),
                     st.sampled_from([1, 2, 3, 7, 64, 1 << 20]))


def test_json_array_pieces_give_back_the_text_and_its_elements_in_any_blocks():
    """However the array is laid out and however the file's reads cut it, the pieces put
    together are the text, character for character, each element's piece is its JSON text,
    and the elements are the array's; a fault is reported where json.loads reports it."""
    from hypothesis import given, settings

    from audit.inputs import JsonArrayError, json_array_pieces

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(_json_arrays())
    def prop(case):
        items, indent, ascii_, bom, crlf, block = case
        text = json.dumps(items, indent=indent, ensure_ascii=ascii_)
        text = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text) + "\n"
        pieces = list(json_array_pieces(io.StringIO(text), block))
        assert "".join(p for _, p, _ in pieces) == text
        assert [n for n, _, _ in pieces if n is not None] == list(range(1, len(items) + 1))
        assert [v for n, _, v in pieces if n is not None] == json.loads(text.lstrip("\ufeff"))
        assert all(json.loads(p) == v for n, p, v in pieces if n is not None)
        if items:  # an element broken at its end: where json.loads says
            bad = text[: text.rindex("]")].rstrip() + " tru]"
            try:
                json.loads(bad.lstrip("\ufeff"))
            except json.JSONDecodeError as exc:
                column = exc.colno + bool(bom and exc.lineno == 1)  # (the mark is a character of the file)
                with pytest.raises(JsonArrayError, match=fr"\(line {exc.lineno}, column {column}\)$"):
                    list(json_array_pieces(io.StringIO(bad), block))

    prop()


def test_a_parquet_text_column_that_holds_no_text_is_one_error(tmp_path):
    """A Parquet text column of numbers gave an error per row in check and, in normalise, a
    silent '0 edits': it is one error for the file, the column's type named. Large and
    dictionary-encoded strings are text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1, 2], "text": [1, 2]}), tmp_path / "num.parquet")
    pq.write_table(pa.table({"text": pa.array(["a"], type=pa.large_string())}), tmp_path / "large.parquet")
    pq.write_table(pa.table({"text": pa.array(["b"]).dictionary_encode()}), tmp_path / "dict.parquet")
    docs, errors, _ = read([tmp_path / n for n in ("num.parquet", "large.parquet", "dict.parquet")])
    assert [d.text for d in docs] == ["a", "b"]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'num.parquet'}: column 'text' holds int64, not text (use --text-column)"]
