"""The names lexicon: file validation, variant generation, collisions, matching, the CLI."""

from __future__ import annotations

import iuliia
import pytest
from click.testing import CliRunner

from audit.api import audit_text
from audit.cli import main
from audit.config import Config
from audit.lexicon import Lexicon, LexiconError, get_lexicon, load_lexicon
from audit.lexicon.romanise import RUSSIAN_SCHEMES, match_fold, romanise_word, romanise_words, translit_key

HEADER = "id,type,lang,form,status\n"


def write(tmp_path, name, body, header=HEADER):
    path = tmp_path / name
    path.write_text(header + body, "utf-8")
    return path


def only(tmp_path, body, header=HEADER):
    return Lexicon.check([write(tmp_path, "names-x.csv", body, header)], builtin=False)


# -- validation ---------------------------------------------------------------------------------
def test_errors_name_file_line_and_column(tmp_path):
    lex, issues = only(tmp_path, "ok-one,person,en,Ok One,canonical\n"
                                 "Bad Id,person,en,Someone,canonical\n"
                                 "x-two,persn,en,Other,canonical\n"
                                 "x-three,person,english,Third,canonical\n"
                                 "x-four,person,en,Fourth,canon\n")
    assert lex is None
    got = {(i.line, i.column) for i in issues if i.level == "error"}
    # columns are character columns of the offending cell
    assert got == {(3, 1), (4, 7), (5, 16), (6, 25)}
    text = [str(i) for i in issues]
    assert any(t.startswith(f"{tmp_path / 'names-x.csv'}:3:1: error: invalid id 'Bad Id'") for t in text)
    assert any("unknown type 'persn'" in t for t in text)


def test_header_and_ragged_rows(tmp_path):
    _, issues = only(tmp_path, "a,person,en,A,canonical\n", header="id,type,lang,form,state\n")
    assert [(i.line, i.column) for i in issues] == [(1, 19), (1, 1)]
    assert "unknown column 'state'" in issues[0].message and "missing column(s) status" in issues[1].message
    _, issues = only(tmp_path, "a,person,en,A,canonical\nb,person,en,B\n")
    assert [(i.line, i.message.split(",")[0]) for i in issues] == [(3, "4 fields")]


def test_entity_rules(tmp_path):
    _, issues = only(tmp_path, "# comment lines and blank lines are skipped\n\n"
                               "a,person,en,Alpha,canonical\n"
                               "a,place,en,Alfa,accepted\n"
                               "b,person,en,Beta,accepted\n"
                               "c,person,en,Gamma,canonical\n"
                               "c,person,en,Gama,canonical\n"
                               "c,person,en,gamma,accepted\n")
    msgs = {(i.line, i.message) for i in issues}
    assert (5, "entity 'a' has type 'place' here but 'person' on line 4") in msgs
    assert (6, "entity 'b' has no canonical form") in msgs
    assert (8, "entity 'c' has a second canonical form in 'en'") in msgs
    assert (9, "entity 'c' lists en 'gamma' again (first on line 7)") in msgs


def test_load_raises_with_every_issue(tmp_path):
    path = write(tmp_path, "names-bad.csv", "a,person,en, A,canonical\n")
    with pytest.raises(LexiconError) as err:
        Lexicon.load([path], builtin=False)
    assert f"{path}:2:" in str(err.value) and "leading, trailing or doubled spaces" in str(err.value)


def test_builtin_lexicon_is_valid_and_large():
    lex, issues = Lexicon.check([])
    assert lex is not None, [str(i) for i in issues]
    assert not [i for i in issues if i.level == "error"]
    assert len(lex.entities) >= 150
    types = {e.type for e in lex.entities.values()}
    assert {"person", "media", "company", "ministry", "place", "weapon"} <= types


def test_phrase_lexicons_are_left_to_their_loader(tmp_path):
    phrases = write(tmp_path, "calques.csv", "we will remind,recall that\n", header="pattern,replacement\n")
    lex = Lexicon.load([phrases], builtin=False)
    assert lex.files == []


# -- romanisation and variants -----------------------------------------------------------------
def test_fast_romaniser_equals_iuliia():
    words = ["Сергей", "Ермаков", "Ибрагим", "Калын", "Щукин", "Юрьевич", "Пётр", "Зеленский", "Майя", "ЁЛКИН"]
    for scheme in RUSSIAN_SCHEMES:
        want = [iuliia.schemas.get(scheme).translate(w) for w in words]
        assert [romanise_word(w, scheme) for w in words] == want, scheme
        assert romanise_words(words, scheme) == want, scheme


def test_batch_romaniser_equals_iuliia_on_random_words():
    """Context letters at word starts and ends, mapped endings, short words, non-letters."""
    import random

    rng = random.Random(5)
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАЕЁИЙОУЪЬЭЮЯЦ1_"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 7))) for _ in range(400)]
    words += [w + e for w in words[:100] for e in ("ий", "ый", "ИЙ")]
    for scheme in RUSSIAN_SCHEMES:
        want = [iuliia.schemas.get(scheme).translate(w) for w in words]
        assert romanise_words(words, scheme) == want, scheme


def test_every_scheme_for_a_russian_name():
    lex = load_lexicon()
    forms = {f.form for f in lex.forms("sergey-lavrov")}
    assert {"Sergei Lavrov", "Sergey Lavrov", "Sergej Lavrov"} <= forms
    assert all(f.status != "variant" for f in lex.forms("sergey-lavrov"))


def test_back_transliterations_of_a_turkish_name_are_variants_with_reasons():
    lex = load_lexicon()
    by_form = {f.form: f for f in lex.forms("ibrahim-kalin")}
    assert by_form["Ibragim Kalyn"].status == "variant" and "wikipedia" in by_form["Ibragim Kalyn"].reason
    assert by_form["Ibrahim Kalyn"].generated and "press-h" in by_form["Ibrahim Kalyn"].reason
    assert not by_form["İbrahim Kalın"].generated and by_form["İbrahim Kalın"].status == "canonical"


def test_folding_is_accepted():
    lex = load_lexicon()
    for form in ("Mevlut Cavusoglu", "Yeni Safak", "Ilham Aliyev", "Incirlik"):
        assert lex.is_attested(form), form
    assert lex.entity_of("Ilham Aliyev") == "ilham-aliyev"


def test_english_and_russian_forms_are_enough(tmp_path):
    """The issue's Done-when: entities known only by English and Russian forms."""
    path = write(tmp_path, "names-test.csv",
                 "jh,person,en,John Harrison,canonical\n"
                 "jh,person,ru,Джон Харрисон,canonical\n"
                 "hc,person,en,Helen Chambers,canonical\n"
                 "hc,person,ru,Хелен Чемберс,canonical\n")
    config = Config(lexicons=[str(path)], builtin_lexicons=False, select=["name-variant"])
    text = "Dzhon Kharrison met Khelen Chembers. Later Kharrison said John Harrison was right."
    found = audit_text(text, lang="en", config=config)
    assert [(f.text, f.suggestion) for f in found] == [
        ("Dzhon Kharrison", "John Harrison"), ("Khelen Chembers", "Helen Chambers"), ("Kharrison", "Harrison")]


def test_collisions_are_reported_not_merged(tmp_path):
    path = write(tmp_path, "names-c.csv",
                 "ivan,person,ru,Иван Петров,canonical\n"
                 "ivan,person,en,Ivan Petrov,canonical\n"
                 "other,person,en,Ivan Petrov Jr,canonical\n"
                 "john,person,en,Ivan Petroff,canonical\n"
                 "john,person,ru,Иван Петров,accepted\n")
    lex, issues = Lexicon.check([path], builtin=False)
    assert lex is not None
    warn = [i for i in issues if i.level == "warning"]
    assert warn and all("collides" in i.message or "ambiguous" in i.message for i in warn)
    # the listed Cyrillic form belongs to two entities: matched as neither
    assert lex.entity_of("Иван Петров") is None
    assert lex.entity_of("Ivan Petrov") == "ivan"  # the listed form wins over john's generated one
    assert any("Ivan Petrov" in i.message and "'john'" in i.message for i in warn)


def test_translit_key():
    assert translit_key("Yermakov") == translit_key("Ermakov")
    assert translit_key("Zelenskyy") == translit_key("Zelensky") == translit_key("Zelenskiy")
    assert translit_key("Yeşilada") == translit_key("Yesilada")
    assert translit_key("Blinken") != translit_key("Biden")


def test_match_fold_keeps_length():
    for s in ("İSTANBUL İbrahim", "S\u2011400", "Kalyn’s", "ЁЛКИН"):
        assert len(match_fold(s)) == len(s)


def test_match_fold_of_long_text_equals_translate():
    from audit.lexicon import data

    text = "İSTANBUL İbrahim S\u2011400 Kalyn’s ЁЛКИН ёж ʼa\u00a0b\u2013c " * 20
    assert len(text) >= 256  # the str.replace path
    assert match_fold(text) == text.translate(data.MATCH_FOLD).lower()


def test_lower_keeps_isalnum():
    """The matcher takes a word's end in the text for its end in the folded text."""
    import sys

    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        if len(low) == 1:
            assert c.isalnum() == low.isalnum(), hex(cp)


# -- matching -------------------------------------------------------------------------------
def test_matcher_boundaries_case_and_plurals():
    lex = load_lexicon()
    text = "The S-400s and NATO's F-35 program; not in S-4000 or nato-ish, turkey, or Ankaraa."
    got = [(m.entity, text[m.start:m.end]) for m in lex.matcher.find(text)]
    assert got == [("s-400", "S-400"), ("nato", "NATO"), ("f-35", "F-35")]


def test_get_lexicon_is_cached_per_context():
    class Ctx:
        config = Config()
        cache: dict = {}

        def shared(self, key, factory):
            if key not in self.cache:
                self.cache[key] = factory()
            return self.cache[key]

    ctx = Ctx()
    assert get_lexicon(ctx) is get_lexicon(ctx)
    assert get_lexicon(ctx).is_attested("s-400")


def test_name_style_press():
    config = Config(name_style="press", select=["name-variant"])
    found = audit_text("Turkish presidential spokesman Ibrahim Kalyn said so.", lang="en", config=config)
    assert [f.suggestion for f in found] == ["Ibrahim Kalin"]


def test_corpus_observations_and_evidence():
    from audit import Document
    from audit.api import audit_docs

    docs = [Document(f"d{i}", t, lang="en") for i, t in enumerate(
        ["Antony Blinken spoke.", "Antony Blinken left.", "Anthony Blinken came. Anthony Blinken went."])]
    found = audit_docs(docs, Config(select=["name-corpus-inconsistent"]))
    assert len(found) == 1
    f = found[0]
    assert (f.doc, f.text, f.suggestion) == ("d2", "Anthony Blinken", "Antony Blinken")
    assert f.evidence["renderings"] == {"Anthony Blinken": {"count": 2, "docs": ["d2"]},
                                         "Antony Blinken": {"count": 2, "docs": ["d0", "d1"]}}


# -- the CLI --------------------------------------------------------------------------------
def test_cli_check(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["lexicon", "check"])
    assert ok.exit_code == 0 and ok.output.startswith("ok: ")
    bad = write(tmp_path, "names-bad.csv", "a,person,xx1,A,canonical\n")
    res = runner.invoke(main, ["lexicon", "check", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:2:10: error: invalid lang 'xx1'" in res.output


def test_cli_show_and_variants():
    runner = CliRunner()
    res = runner.invoke(main, ["lexicon", "show", "ibrahim-kalin"])
    assert res.exit_code == 0
    assert "suggested in English (press): Ibrahim Kalin" in res.output and "Ibragim Kalyn" in res.output
    res = runner.invoke(main, ["lexicon", "variants", "Ibrahim Kalyn"])
    assert res.exit_code == 0 and "ibrahim-kalin (en, variant)" in res.output and "press-h" in res.output
    res = runner.invoke(main, ["lexicon", "variants", "Сергей Ермаков"])
    assert "Sergey Yermakov  <- bgn_pcgn" in res.output and "Sergej Ermakov  <- gost_16876" in res.output
    assert runner.invoke(main, ["lexicon", "show", "nobody-at-all"]).exit_code == 2


def test_cli_learn(tmp_path):
    (tmp_path / "a.txt").write_text("Sergei Ermakov said so. Ermakov added more.", "utf-8")
    (tmp_path / "b.txt").write_text("Yermakov disagreed with Blokhin.", "utf-8")
    out = tmp_path / "proposals.csv"
    res = CliRunner().invoke(main, ["lexicon", "learn", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = out.read_text("utf-8").splitlines()
    assert rows[0] == "id,type,lang,form,status,note,count,documents,example"
    assert rows[1].startswith("ermakov,person,en,Ermakov,canonical,also written Yermakov,2,")
    assert rows[2].startswith("ermakov,person,en,Yermakov,accepted,also written Ermakov,1,")
    assert len(rows) == 3


def test_installed_lexicon_dir_is_found(tmp_path, monkeypatch):
    from audit.lexicon.loader import builtin_files, lexicon_dir

    share = tmp_path / "share" / "translation-audit" / "lexicons"
    share.mkdir(parents=True)
    (share / "names-mini.csv").write_text(HEADER + "a,person,en,Alpha Beta,canonical\n", "utf-8")
    monkeypatch.setenv("AUDIT_LEXICON_DIR", str(share))
    assert lexicon_dir() == share and builtin_files() == [share / "names-mini.csv"]


def _reference_full(lex, text):
    """The matcher's contract, by brute force: every form at word boundaries (designations
    with a plural s), the capitals agreeing, leftmost-longest without overlap."""
    from audit.lexicon.matcher import _boundary, _case_ok

    import ahocorasick

    auto = ahocorasick.Automaton()
    for key, idx in lex.by_fold.items():
        if len(key) >= 2:
            auto.add_word(key, (len(key), idx))
    auto.make_automaton()
    cands = []
    for last, (n, idx) in auto.iter(match_fold(text)):
        start, end = last - n + 1, last + 1
        forms = [lex.all_forms[i] for i in idx]
        if not _boundary(text, start, end, lex.entities[forms[0].entity].type == "weapon"):
            continue
        span = text[start:end]
        chosen = next((f for f in forms if f.form == span), None) or next(
            (f for f in forms if _case_ok(span, f.form)), None)
        if chosen is not None and len({f.entity for f in forms}) == 1:
            cands.append((start, -n, end, chosen.form))
    out, last_end = [], -1
    for start, _, end, form in sorted(cands):
        if start >= last_end:
            out.append((start, end, form))
            last_end = end
    return out


@pytest.mark.parametrize("follow_up", ["automaton", "mixed", "walk", "startswith"])
def test_matcher_equals_brute_force_on_random_text(follow_up, monkeypatch):
    """The automaton over the keys (the default for a lexicon as small as the built-in one)
    and both follow-ups of a first word of the walk that larger lexicons use (a lookup at each
    next word boundary; a test of each of a few forms), alone and mixed, find the same
    mentions as brute force."""
    import random

    from audit.lexicon import matcher as matcher_mod

    lex = load_lexicon()
    if follow_up != "automaton":
        monkeypatch.setattr(matcher_mod, "AUTOMATON_KEYS", 0)
    if follow_up == "startswith":  # every first word followed up by testing its forms
        monkeypatch.setattr(matcher_mod, "FEW_KEYS", 10**9)
    m = matcher_mod.Matcher(lex)
    assert (m._automaton is not None) == (follow_up == "automaton")
    if follow_up == "walk":
        m.few = {}
    elif follow_up == "startswith":
        assert None not in m.few.values()
    else:
        assert None in m.few.values() and any(m.few.values())
    rng = random.Random(4)
    forms = [f.form for f in lex.all_forms]
    glue = [" ", ", ", "'s ", "s ", "-", "_", "\u00a0", " the ", "", "ʼ", ". ", "\n", "x", "S "]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 8)):
            f = rng.choice(forms)
            r = rng.random()
            if r < 0.2:
                f = f.lower()
            elif r < 0.35:
                f = f.upper()
            elif r < 0.45:
                f = f[: rng.randint(1, len(f))]
            parts.append(f + rng.choice(glue))
        text = "".join(parts)
        got = [(x.start, x.end, x.form.form) for x in m.full(text)]
        assert got == _reference_full(lex, text), text


def _reference_surnames(lex, text, mentions):
    """Surname-only mentions by brute force: every span of the text that folds to the last
    word of a form of one person fully mentioned before it, on a capital, at word boundaries,
    outside the full mentions."""
    import regex

    from audit.lexicon import data

    seen = {}
    for m in mentions:
        if lex.entities[m.entity].type == "person":
            seen.setdefault(m.entity, m.end)
    owners = {}
    for eid in seen:
        for f in lex.forms(eid):
            words = data.NAME_WORD.findall(f.form)
            if len(words) >= 2 and len(words[-1]) >= 3:
                owners.setdefault(match_fold(words[-1]), set()).add(eid)
    folded, out = match_fold(text), []
    word = regex.compile(r"\w")
    for key, eids in owners.items():
        for m in regex.finditer(regex.escape(key), folded, overlapped=True):
            s, e = m.span()
            if len(eids) > 1 or not text[s].isupper() or s < seen[next(iter(eids))]:
                continue
            if (s and word.match(text[s - 1])) or (e < len(text) and word.match(text[e])):
                continue
            if any(a < e and s < b for a, b in ((x.start, x.end) for x in mentions)):
                continue
            out.append((s, e, next(iter(eids))))
    return sorted(out)


def test_surnames_equal_brute_force_on_random_text():
    import random

    lex = load_lexicon()
    rng = random.Random(6)
    people = [f.form for f in lex.all_forms if lex.entities[f.entity].type == "person" and " " in f.form]
    glue = [" ", ", ", "'s ", "-", "_", "ʼ", ". ", " said ", "", "Al-", "O'", "x"]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 6)):
            form = rng.choice(people)
            parts.append(form + rng.choice(glue))
            parts.append(rng.choice([form.split()[-1], form.split()[-1].upper(), form.split()[-1].lower()])
                         + rng.choice(glue))
        text = "".join(parts)
        full = lex.matcher.full(text)
        got = sorted((m.start, m.end, m.entity) for m in lex.matcher.surnames(text, full))
        assert got == _reference_surnames(lex, text, full), text


def test_names_whitespace_class_is_regex_whitespace():
    """names._WS spells out the ``regex`` module's ``\\s`` for the ``re`` patterns."""
    import sys

    import regex

    from audit.detectors.names import _WS

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert _WS == "".join(regex.findall(r"\s", every))


def test_names_special_tokens_and_non_prose_words():
    import random

    import regex

    from audit import chardata
    from audit.detectors.names import _special_tokens, _words

    rng = random.Random(3)
    parts = ["Visit", "www.Example.com", "Ankara.", "#Turkey", "Joe@Mail.com", "http://Foo.org/Bar", "U.S.",
             "Ermakov", "Foo/Bar", "@Erdogan", ".Moscow", "Kalin.”", "Www.", "Foo@", "#", "Ermakov.Com", "Lavrov"]
    for _ in range(300):
        text = "".join(rng.choice(parts) + rng.choice([" ", "\u00a0", "\u3000", ".", "/", "", "\n"])
                       for _ in range(rng.randint(1, 20)))
        tokens = [m.span() for m in regex.finditer(r"\S+", text) if regex.search(r"[./@#]\S", m.group())]
        assert _special_tokens(text) == tokens, text
        spans = chardata.non_prose_spans(text)
        for w in _words(text, [])[0]:
            assert not chardata.inside(spans, w.start, w.end), (text, w)


def test_translit_keys_equal_translit_key_on_random_words():
    """The batch keys are the one-word keys, whatever the words (Cyrillic, marks, words that
    fold to nothing, doubled letters across words, rules at a word's start)."""
    import random

    from audit.lexicon.romanise import translit_key, translit_keys

    rng = random.Random(5)
    alphabet = ("abcdeijosuxyzABCIOSYZçşğıöüÇŞĞİÖÜéäßаеёжийоущыьяАЕЖЩЯʼ'’-09ə\u0301")
    names = ["Yermakov", "Ermakov", "Kalın", "Kalyn", "Ie", "Ou", "Shch", "Çavuşoğlu", "Андреев", "ʼ", "Ьь", "Aa"]
    batched = 0
    for _ in range(2000):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(rng.randint(1, 8))]
        words += rng.sample(names, 2)
        rng.shuffle(words)
        assert translit_keys(words) == [translit_key(w) for w in words], words
        batched += all(translit_key(w) for w in words)
    assert batched > 100  # many lists take the joined path (no word keys to nothing)
    assert translit_keys([]) == []


def test_long_name_words_are_name_words():
    """The names analysis scans for NAME_WORD matches of 4+ characters with a look-ahead: it
    finds every such match, and only NAME_WORD matches."""
    import random

    from audit.detectors.names import _LONG_NAME_WORD, MIN_WORD
    from audit.lexicon import data

    rng = random.Random(6)
    alphabet = "AbCdÉé'’- x-Ü\u0301."
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        full = [m.span() for m in data.NAME_WORD.finditer(text)]
        got = [m.span() for m in _LONG_NAME_WORD.finditer(text)]
        assert set(got) <= set(full), text
        assert [s for s in full if s[1] - s[0] >= MIN_WORD] == [s for s in got if s[1] - s[0] >= MIN_WORD], text
