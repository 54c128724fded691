"""The document text with every finding highlighted, wrapped and rendered line by line.

A line-API widget: the text is wrapped once per width into visual lines (pairs of character
offsets), and only the lines on screen are rendered, so a long document costs nothing to
scroll. Highlights are character spans straight from the findings — no re-tokenising.
Characters a terminal would not show (zero-width, controls, no-break spaces) are drawn as a
visible glyph so that a finding on them can be seen.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .scrolling import set_virtual_size

from ...findings import CATEGORIES

#: How characters that a terminal shows as nothing (or as a plain space) are drawn.
GLYPHS = {
    "\u00a0": "⍽",  # no-break space
    "\u202f": "⍽",  # narrow no-break space
    "\u2007": "⍽",  # figure space
    "\t": "→",
    "\ufeff": "¤",
    "\u00ad": "¬",  # soft hyphen
}
INVISIBLE = "¤"


def glyph(ch: str) -> str:
    """One cell (or two, for wide characters) that shows ``ch``."""
    if ch in GLYPHS:
        return GLYPHS[ch]
    if ch == "\n":
        return ""
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"):
        return INVISIBLE
    if cat in ("Mn", "Me") or cell_len(ch) == 0:
        return ch  # combining mark: joins the previous cell
    return ch


def visible(text: str) -> str:
    """``text`` with invisible characters drawn (for before/after in the detail pane).

    >>> visible("a\\u00a0\\u200bb")
    'a⍽¤b'
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(glyph(c) if c != "\n" else "⏎" for c in text)


def _covers(start: int, end: int, i: int) -> bool:
    """Whether a span covers character ``i``; an empty span (an insertion point) covers one."""
    return start <= i < max(end, start + 1)


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    category: str
    decided: bool = False


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Visual lines of ``text`` at ``width`` cells: (start, end) offsets, line breaks excluded.

    Breaks after the last space that fits, else mid-word. Every character of the text
    belongs to exactly one visual line (or is a line break).

    >>> t = "one two three\\nfour"
    >>> [t[s:e] for s, e in wrap(t, 8)]
    ['one two ', 'three', 'four']
    """
    width = max(width, 4)
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        start = pos
        if start == line_end:
            out.append((start, start))
        while start < line_end:
            if line_end - start <= width and text.isascii():
                out.append((start, line_end))
                break
            # walk cells until the width is reached
            cells = 0
            i = start
            last_space = -1
            while i < line_end:
                c = text[i]
                w = cell_len(glyph(c)) if not c.isascii() else 1
                if cells + w > width and i > start:
                    break
                cells += w
                if c == " ":
                    last_space = i
                i += 1
            if i >= line_end:
                out.append((start, line_end))
                break
            cut = last_space + 1 if last_space >= start and last_space + 1 > start else i
            out.append((start, cut))
            start = cut
        if nl < 0:
            break
        pos = nl + 1
    return out


class TextView(ScrollView, can_focus=True):
    """Read-only text with category-coloured finding spans, a current span and search hits."""

    COMPONENT_CLASSES = {
        *(f"text-view--{c}" for c in CATEGORIES),
        "text-view--decided",
        "text-view--current",
        "text-view--search",
        "text-view--glyph",
    }

    BINDINGS = [
        ("pageup", "page_up", "Page up"),
        ("pagedown", "page_down", "Page down"),
        ("home", "scroll_home", "Top"),
        ("end", "scroll_end", "Bottom"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self._highlights: list[Highlight] = []
        self._starts: list[int] = []
        self._max_len = 0
        self.current: tuple[int, int] | None = None
        self.search_hits: list[tuple[int, int]] = []
        self.search_current: tuple[int, int] | None = None
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrapped_at = -1

    # -- content ---------------------------------------------------------------------------------
    def load(self, text: str, highlights: list[Highlight]) -> None:
        self.text = text
        self.set_highlights(highlights)
        self.current = None
        self.search_hits = []
        self.search_current = None
        self._wrapped_at = -1
        self._rewrap()
        self.scroll_to(0, 0, animate=False)

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._starts = [h.start for h in self._highlights]
        self._max_len = max((h.end - h.start for h in self._highlights), default=0)
        self.refresh()

    def set_current(self, span: tuple[int, int] | None, scroll: bool = True) -> None:
        self.current = span
        if span is not None and scroll:
            self.scroll_to_offset(span[0], span[1])
        self.refresh()

    def set_search(self, hits: list[tuple[int, int]], current: tuple[int, int] | None) -> None:
        self.search_hits = hits
        self.search_current = current
        if current is not None:
            self.scroll_to_offset(*current)
        self.refresh()

    def line_of(self, offset: int) -> int:
        """The visual line holding a character offset."""
        self._rewrap()
        return max(bisect.bisect_right(self._line_starts, offset) - 1, 0)

    def scroll_to_offset(self, start: int, end: int | None = None) -> None:
        first = self.line_of(start)
        last = self.line_of(max(start, (end or start) - 1))
        height = last - first + 1
        region = Region(0, first, 1, min(height, max(self.scrollable_content_region.height, 1)))
        self.scroll_to_region(region, animate=False, center=True, immediate=True, x_axis=False)

    # -- layout ------------------------------------------------------------------------------------
    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 80
        if width == self._wrapped_at:
            return
        self._wrapped_at = width
        self._lines = wrap(self.text, width)
        self._line_starts = [s for s, _ in self._lines]
        set_virtual_size(self, Size(width, len(self._lines)))

    def on_resize(self) -> None:
        self._rewrap()
        if self.current:
            self.scroll_to_offset(*self.current)

    # -- rendering ---------------------------------------------------------------------------------
    def _spans_in(self, start: int, end: int) -> list[Highlight]:
        lo = bisect.bisect_left(self._starts, start - self._max_len)
        hi = bisect.bisect_left(self._starts, end)
        return [h for h in self._highlights[lo:hi] if max(h.end, h.start + 1) > start and h.start < end]

    def _style_at(self, i: int, spans: list[Highlight], hits: list[tuple[int, int]], base: Style) -> Style:
        style = base
        for h in spans:
            if _covers(h.start, h.end, i):
                style = style + self.get_component_rich_style(f"text-view--{h.category}", partial=True)
                if h.decided:
                    style = style + self.get_component_rich_style("text-view--decided", partial=True)
        if any(s <= i < e for s, e in hits):
            style = style + self.get_component_rich_style("text-view--search", partial=True)
        if self.current and _covers(self.current[0], self.current[1], i):
            style = style + self.get_component_rich_style("text-view--current", partial=True)
        return style

    def render_line(self, y: int) -> Strip:
        self._rewrap()
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        start, end = self._lines[index]
        text = self.text
        spans = self._spans_in(start, end + 1)
        hits = [h for h in self.search_hits if h[1] > start and h[0] <= end]
        # the style is constant between these points
        points = {start, end}
        for a, b in [(h.start, max(h.end, h.start + 1)) for h in spans] + hits + ([
                (self.current[0], max(self.current[1], self.current[0] + 1))] if self.current else []):
            points.update(p for p in (a, b) if start < p < end)
        glyph_style = self.get_component_rich_style("text-view--glyph", partial=True)
        segments: list[Segment] = []
        cuts = sorted(points)
        for a, b in zip(cuts, cuts[1:]):
            style = self._style_at(a, spans, hits, base)
            chunk = text[a:b]
            if chunk.isprintable():
                segments.append(Segment(chunk, style))
                continue
            run: list[str] = []
            for ch in chunk:  # draw invisible characters as glyphs, in their own style
                shown = glyph(ch)
                if shown == ch:
                    run.append(ch)
                    continue
                if run:
                    segments.append(Segment("".join(run), style))
                    run = []
                segments.append(Segment(shown, style + glyph_style))
            if run:
                segments.append(Segment("".join(run), style))
        # a finding on the line break itself (or an empty span at the end) shows as one cell
        if end == len(text) or text[end] == "\n":
            if any(_covers(h.start, h.end, end) for h in spans) or (
                    self.current and _covers(self.current[0], self.current[1], end)):
                style = self._style_at(end, spans, hits, base) + glyph_style
                segments.append(Segment("⏎" if end < len(text) else "␃", style))
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, base)
        return strip.apply_offsets(scroll_x, index)
