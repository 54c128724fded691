"""Data for the language rules: script patterns, function words, instruction verbs.

Kept apart from the detectors (as ftfy keeps ``chardata``) so that the tables can be read,
tested and extended in one place. Everything is compiled once at import.
"""

from __future__ import annotations

import regex

#: Scripts the untranslated-passage rule tells apart, each a letter class.
SCRIPTS = {
    "Latin": r"\p{Script=Latin}",
    "Cyrillic": r"\p{Script=Cyrillic}",
    "Greek": r"\p{Script=Greek}",
    "Arabic": r"\p{Script=Arabic}",
    "Hebrew": r"\p{Script=Hebrew}",
    "Armenian": r"\p{Script=Armenian}",
    "Georgian": r"\p{Script=Georgian}",
    "Han": r"[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]",
    "Hangul": r"\p{Script=Hangul}",
}
SCRIPT_LETTER = {name: regex.compile(pat) for name, pat in SCRIPTS.items()}

#: A letter written in another script than the key (the cheap prescreen of a paragraph).
OTHER_SCRIPT = {
    name: regex.compile(r"(?V1)[\p{L}--[" + (pat if pat.startswith("\\") else pat[1:-1]) + r"]]")
    for name, pat in SCRIPTS.items()
}

#: Lower-case-initial words: the prescreen looks these up in the word lists (names are
#: capitalised and say nothing about the language of a passage).
LOWER_WORD = regex.compile(r"(?<![\p{L}\p{M}\p{N}'’-])\p{Ll}[\p{L}\p{M}]*(?:['’][\p{L}\p{M}]+)?")

#: Scripts written without spaces between words: a run is counted in characters.
UNSPACED = frozenset({"Han"})

#: Quote marks and brackets that set off a cited phrase (a quoted slogan is not a leak).
OPENING_QUOTES = "\"'“‘«‹„‚(["
CLOSING_QUOTES = "\"'”’»›“‘)]"

#: Characters that do not separate words of prose: a run of words stops at them.
CODE_PUNCTUATION = frozenset("[]{}<>=|\\`")

#: Function words: a foreign one joined into a hyphenated word (``состояние-the-art``)
#: marks a half-translated phrase, not a loan compound (``IT-отдел``, ``e-mail``).
FUNCTION_WORDS = {
    "en": frozenset("the of and to in for on with by at from a an is are was were".split()),
    "de": frozenset("der die das und zu im mit von den dem des ein eine ist für auf".split()),
    "fr": frozenset("le la les de du des et à au aux un une est pour sur dans".split()),
    "tr": frozenset("ve bir bu ile için da de ki çok gibi".split()),
    "ru": frozenset("и в на с по для от из не что это как".split()),
    "uk": frozenset("і й в у на з до для від що це як не".split()),
}
ALL_FUNCTION_WORDS = frozenset().union(*FUNCTION_WORDS.values())

#: Imperative verbs that open interface strings (``Tap Accounts.``): a short title-case
#: run in another script is a leaked UI string when it starts with one of these, a name
#: or a brand otherwise.
INSTRUCTION_VERBS = {
    "en": frozenset("""tap click press select choose open close go enter type add remove delete save
        cancel edit share download upload install update sign log turn swipe scroll drag drop
        view see read learn subscribe follow try start stop continue confirm allow deny""".split()),
    "de": frozenset("""tippen tippe klicken klicke wählen wähle öffnen öffne schließen gehe geben
        speichern abbrechen löschen teilen herunterladen anmelden abmelden""".split()),
    "fr": frozenset("""appuyez cliquez sélectionnez choisissez ouvrez fermez allez entrez saisissez
        ajoutez supprimez enregistrez annulez partagez téléchargez connectez""".split()),
    "tr": frozenset("""dokunun tıklayın tıkla seçin açın kapatın girin kaydedin iptal silin paylaşın
        indirin""".split()),
}


def indefinite(noun: str) -> str:
    """``noun`` after its English indefinite article, for messages: ``an English``,
    ``a Turkish``, ``an org``, ``a Ukrainian`` (a vowel letter that sounds like a *y* takes
    ``a``)."""
    vowel = noun[:1].lower() in "aeiou" and not noun.lower().startswith(("uk", "uy", "eu", "uni", "use"))
    return f"{'an' if vowel else 'a'} {noun}"
