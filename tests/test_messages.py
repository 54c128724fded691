"""Finding and lexicon messages read as English: the article agrees with the word after it."""

from audit import Config, Document
from audit.engine import audit_documents
from audit.langdata import indefinite


def test_indefinite_article():
    assert [indefinite(w) for w in ("English", "Turkish", "Italian", "Ukrainian", "org", "event", "person", "Uzbek")] == [
        "an English", "a Turkish", "an Italian", "a Ukrainian", "an org", "an event", "a person", "an Uzbek"]


def _messages(text: str, lang: str, rule: str) -> list[str]:
    return [f.message for f in audit_documents([Document("d", text, lang=lang)], Config(select=[rule])).findings]


def test_untranslated_passage_names_an_english_document():
    got = _messages("The minister spoke. Министр иностранных дел заявил, что переговоры продолжатся завтра утром. "
                    "Talks go on.", "en", "untranslated-passage")
    assert got and all("text in an English document" in m for m in got), got


def test_foreign_quote_marks_name_the_language():
    assert _messages("He said «yes» to it.", "en", "foreign-quote-marks")[0].startswith(
        "'«' is not an English quotation mark here; English uses")
    assert _messages('Он сказал "да" вчера.', "ru", "foreign-quote-marks")[0].startswith(
        "'\"' is not a Russian quotation mark here; Russian uses")


def test_lexicon_type_conflict_message(tmp_path):
    from audit.lexicon import Lexicon

    path = tmp_path / "names-x.csv"
    path.write_text("id,type,lang,form,status\nx,org,en,Acme,canonical\nx,event,en,Acme Summit,accepted\n", "utf-8")
    _, issues = Lexicon.check([path], builtin=False)
    assert any("entity 'x' is an org elsewhere, event here" in i.message for i in issues), issues
