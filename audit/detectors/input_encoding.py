"""The input was not valid UTF-8 and was decoded with a detected legacy encoding."""

from __future__ import annotations

from .base import Detector


class InputEncoding(Detector):
    """The input's bytes were not valid UTF-8 and were decoded with a detected legacy encoding.

    What it finds:
        Files and rows whose bytes are not UTF-8 (cp1251, cp1252, cp1254, KOI8-R, latin-1…).
        The reader decodes the offending bytes with the most plausible legacy encoding and
        this rule flags the first character that came from them.

    Why it matters:
        A pipeline that assumes UTF-8 will garble this text (or drop it). The guess can be
        wrong — cp1252 and cp1254 differ in six letters — so a person should confirm it and
        re-export the source as UTF-8.

    Example:
        bytes ``yıldönümü`` saved as cp1254 -> decoded as cp1254, flagged at ``ı``;
        the fix is to re-save the source as UTF-8.

    Known false positives:
        None from the text itself; the encoding guess on very short inputs may be wrong,
        which the message states.
    """

    name = "input-encoding"
    category = "encoding"
    severity = "warning"

    def find(self, doc, ctx):
        enc = doc.meta.get("decoded_as")
        if not enc or enc == "utf_16":
            return
        at = min(doc.meta.get("decode_offset", 0), max(len(doc.text) - 1, 0))
        end = at + 1 if doc.text else at
        yield self.flag(doc, at, end, f"input is not valid UTF-8; decoded as {enc} (guessed: check and re-save as UTF-8)",
                        confidence=0.9, encoding=enc)
