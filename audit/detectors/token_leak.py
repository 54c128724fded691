"""MT token leaks: subword joiners, special tokens, escaped entities and mangled placeholders."""

from __future__ import annotations

import html
import regex

from .. import chardata
from .base import Detector

#: Special tokens of NMT vocabularies (plain or HTML-escaped) and SentencePiece's unknown mark.
UNKNOWN = regex.compile(r"(?i)<unk>|&lt;unk&gt;|\[UNK\]|(?<=\s|^) ?⁇ ?(?=\s|$)")
SENTENCE_TAG = regex.compile(r"(?i)<(/?)(s|pad|eos|bos|mask|sep|cls)>|\[(?:SEP|CLS|PAD|MASK)\]")
#: An HTML tag other than the special tokens: its presence means ``<s>`` may be strikethrough.
HTML_TAG = regex.compile(r"(?i)</?(?:p|b|i|u|em|strong|div|span|a|br|li|ul|ol|h[1-6]|table|tr|td|del|strike)\b[^>]*>")
#: BPE continuation marks (``com@@ pany``) and Moses' escaped joiners (``long @-@ term``).
BPE = regex.compile(r"(?<=[\p{L}\p{N}])@@(?: |$)(?=[\p{L}\p{N}]|$)")
MOSES_JOINER = regex.compile(r"(?<=[\p{L}\p{N}]) @([-,.:/])@ (?=[\p{L}\p{N}])")
#: SentencePiece's word-boundary mark, not in a run of block elements (bar charts).
SENTENCEPIECE = regex.compile(r"(?<![\u2580-\u259f])\u2581+(?![\u2580-\u259f])")
#: Character references: named (only real HTML ones count) and numeric, possibly escaped again.
ENTITY = regex.compile(r"&(?:amp;)+(?:[A-Za-z][A-Za-z0-9]{1,31};|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)"
                       r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
#: Placeholders that MT pipelines put in place of names, numbers and addresses, when the
#: system mangled them: space inside the hashes, quotes for hashes, a translated name.
PLACEHOLDER_NAMES = ("PRS_ORG", "PRS_PER", "PRS_LOC", "NUMBER", "DATE", "DATEV", "TIME", "ADDRESS",
                     "EMAIL", "URL", "PHONE", "NAME", "ORG", "PER", "LOC", "MONEY", "PERCENT",
                     "CREDIT_CARD", "IP_ADDRESS", "USERNAME")
_NAME_ALT = "|".join(sorted((n.replace("_", r"[_'’ ]?") for n in PLACEHOLDER_NAMES), key=len, reverse=True))
PLACEHOLDER_KNOWN = regex.compile(
    rf"(?<![\w#])(?:#\s*({_NAME_ALT})\s*#|«\s*({_NAME_ALT})\s*»|[\"“'‘](PRS[_'’ ]?(?:ORG|PER|LOC))[\"”'’])(?!\w)"
)
#: ``#NUMBER#`` translated (``#НОМЕР#``, ``# ИМЯ #``): capitals of any script between hashes.
PLACEHOLDER_ANY = regex.compile(r"(?<![\w#&])#( ?)(\p{Lu}[\p{Lu}_']{1,30})( ?)#(?![\w#])")
#: Markdown emphasis the system broke: ``* *Enterprise-D**``, ``** bold **``.
BROKEN_BOLD = regex.compile(
    r"(?<![*\w])(?:\* \*([^\s*][^*\n]{0,80}?)(?:\*\*|\* \*)|\*\*([^\s*][^*\n]{0,80}?)\* \*"
    r"|\*\* ([^*\n]{0,80}?[^\s*]) ?\*\*|\*\*([^\s*][^*\n]{0,80}?) \*\*)(?![*\w])"
)


def unescape_fully(entity: str) -> str:
    """``&amp;amp;quot;`` -> ``"``: unescape until nothing changes."""
    prev = None
    while prev != entity:
        prev, entity = entity, html.unescape(entity)
    return entity


#: Characters one of which every leak pattern contains (the cheap prescreen).
TRIGGERS = "<[@▁&#*⁇«\"“'"


class MtTokenLeak(Detector):
    """Machine-translation tokens left in the text: <unk>, BPE joiners, SentencePiece marks, escaped entities, mangled placeholders.

    What it finds:
        ``<unk>`` and other vocabulary tokens (``<s>``, ``</s>``, ``[SEP]``), BPE
        continuation marks (``com@@ pany``) and Moses joiners (``long @-@ term``),
        SentencePiece's ``▁`` word mark, HTML entities left escaped (``&quot;``, ``&#39;``)
        or escaped twice (``&amp;quot;``), placeholders the system mangled (``#PRS_ORG #``,
        ``«PRS'ORG»``) or translated (``#НОМЕР#``, ``# ИМЯ #``), and Markdown emphasis it
        broke (``* *Enterprise-D**``).

    Why it matters:
        These never belong in published text: they show that the output skipped
        post-processing (detokenisation, unescaping, placeholder restoration), and an
        ``<unk>`` or a placeholder stands where a word, a name or a quote mark was lost.

    Example:
        ``the com@@ pany said &amp;quot;no&amp;quot;`` -> ``the company said "no"``;
        ``* *Enterprise-D**`` -> ``**Enterprise-D**``

    Known false positives:
        ``<s>`` is HTML strikethrough in documents with other HTML tags: not flagged there.
        Hashtags (``#Turkey``), e-mail addresses, diff hunk headers (``@@ -1,4 +1,5 @@``),
        SQL variables (``@@ROWCOUNT``), well-formed ``**bold**`` and block-element bar charts
        (``▁▂▃▅``) are left alone. An entity in a text *about* HTML (``write &amp;lt; for <``)
        is flagged; ignore it there.
    """

    name = "mt-token-leak"
    category = "structure"
    severity = "error"
    fixable = True

    def could_fire(self, doc):
        return any(ch in doc.text for ch in TRIGGERS)

    def find(self, doc, ctx):
        text = doc.text
        if not any(ch in text for ch in TRIGGERS):
            return
        spans: list = []

        def nonprose() -> list[tuple[int, int]]:  # URLs, e-mails, hashtags: costly, so only on demand
            if not spans:
                spans.append(chardata.non_prose_spans(text))
            return spans[0]

        for m in UNKNOWN.finditer(text) if ("unk" in text or "UNK" in text or "⁇" in text) else ():
            yield self.flag(doc, m.start(), m.end(),
                            "unknown-word token left by the MT system: a word or a punctuation mark is lost here",
                            confidence=0.95, token="<unk>")
        if "<" in text or "[" in text:
            has_html = HTML_TAG.search(text) is not None
            for m in SENTENCE_TAG.finditer(text):
                if has_html and m.group(2) and m.group(2).lower() == "s":
                    continue
                s, e = m.span()
                if m.group(1):  # closing tag: take the space before it
                    while s > 0 and text[s - 1] in " \t":
                        s -= 1
                else:
                    while e < len(text) and text[e] in " \t":
                        e += 1
                yield self.flag(doc, s, e, f"MT special token {m.group().strip()!r} left in the text",
                                suggestion="", confidence=0.9)
        if "@" in text:
            for m in BPE.finditer(text):
                if chardata.inside(nonprose(), m.start() - 1, m.end()):
                    continue
                yield self.flag(doc, m.start(), m.end(), "BPE continuation mark '@@' left in the text: the word is split",
                                suggestion="", confidence=0.95)
            for m in MOSES_JOINER.finditer(text):
                yield self.flag(doc, m.start(), m.end(), f"Moses joiner {m.group().strip()!r} left in the text",
                                suggestion=m.group(1), confidence=0.95)
        if "\u2581" in text:
            for m in SENTENCEPIECE.finditer(text):
                s, e = m.span()
                before = text[s - 1] if s else " "
                after = text[e] if e < len(text) else " "
                joins = not before.isspace() and not after.isspace()
                yield self.flag(doc, s, e, "SentencePiece word mark '▁' left in the text",
                                suggestion=" " if joins else "", confidence=0.9)
        if "&" in text:
            html_source = "<" in text and HTML_TAG.search(text) is not None
            for m in ENTITY.finditer(text):
                if chardata.inside(nonprose(), m.start(), m.end()) or _in_code(text, m.start()):
                    continue
                name = m.group()
                if html_source and not name.startswith("&amp;"):
                    continue  # HTML source: single entities are ordinary markup
                fixed = unescape_fully(name)
                core = regex.sub(r"^&(?:amp;)+", "&", name) if name != "&amp;" else name
                if fixed == name or html.unescape(core) == core:  # ``&foo;`` is not a reference
                    continue
                twice = name.startswith("&amp;") and name != "&amp;"
                what = "escaped twice" if twice else "left escaped"
                yield self.flag(doc, m.start(), m.end(), f"HTML entity {what}: {name!r} should read {fixed!r}",
                                suggestion=fixed, confidence=0.9 if twice or name != "&amp;" else 0.8)
        if any(ch in text for ch in "#«\"“'‘"):
            seen: set[int] = set()
            for m in PLACEHOLDER_KNOWN.finditer(text) if ("#" in text or "«" in text or "PRS" in text) else ():
                found = next(g for g in m.groups() if g)
                canon = regex.sub(r"[_'’ ]", "_", found)
                canon = canon if canon in PLACEHOLDER_NAMES else found
                well_formed = m.group() == f"#{canon}#"
                seen.add(m.start())
                yield self.flag(
                    doc, m.start(), m.end(),
                    "MT placeholder left in the text" + ("" if well_formed else ", mangled")
                    + f": the {canon.lower().replace('_', ' ')} it stood for was never restored",
                    suggestion=None if well_formed else f"#{canon}#", confidence=0.9, placeholder=canon)
            for m in PLACEHOLDER_ANY.finditer(text):
                if m.start() in seen:
                    continue
                word = m.group(2)
                translated = not word.isascii()
                broken = bool(m.group(1) or m.group(3))
                yield self.flag(
                    doc, m.start(), m.end(),
                    "MT placeholder left in the text" + (", translated" if translated else ", mangled" if broken else "")
                    + ": the name or number it stood for was never restored",
                    confidence=0.85 if translated or broken else 0.7, placeholder=word)
        if "*" in text:
            for m in BROKEN_BOLD.finditer(text):
                inner = next(g for g in m.groups() if g is not None).strip()
                yield self.flag(doc, m.start(), m.end(), "Markdown emphasis broken by a space: it will print as asterisks",
                                suggestion=f"**{inner}**", confidence=0.8)


def _in_code(text: str, offset: int) -> bool:
    """True if ``offset`` is in code: `inline code`, a doctest line, a fenced block."""
    line_start = text.rfind("\n", 0, offset) + 1
    if text.count("`", line_start, offset) % 2 == 1:
        return True
    if text.startswith((">>> ", "... "), line_start) or text[line_start:offset].lstrip().startswith((">>> ", "... ")):
        return True
    return text.count("```", 0, offset) % 2 == 1
