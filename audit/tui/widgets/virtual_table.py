"""A virtual table: a header and rows rendered only when on screen.

Textual's ``DataTable`` measures and stores every cell (adding 10,000 rows takes ~1.5 s
and re-adding them after a sort ~3 s here), which is too slow for a corpus of 10,000
documents re-sorted at a keystroke. This one keeps a Python sequence and a function that
formats a row; sorting or filtering is replacing the sequence. Column widths are fixed
(one column may stretch), so nothing is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .scrolling import set_virtual_size


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0  # 0: takes the width that is left
    align: str = "left"  # left | right
    #: where a value too long for the column is cut: "end" (…) or "start" (…keeps the end:
    #: paths of documents differ in their last part)
    cut: str = "end"


Cell = "str | Text"


class VirtualTable(ScrollView, can_focus=True):
    """Rows from a sequence, a cursor, a fixed header; emits Highlighted / Selected / HeaderClicked."""

    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--sorted",
    }

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, table: "VirtualTable", index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> "VirtualTable":
            return self.table

    class Selected(Highlighted):
        pass

    class HeaderClicked(Message):
        def __init__(self, table: "VirtualTable", key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> "VirtualTable":
            return self.table

    def __init__(self, columns: Sequence[Column], format_row: Callable[[Any], Sequence[Any]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.format_row = format_row
        self.rows: Sequence[Any] = []
        self.sorted_key: str | None = None
        self.sorted_reverse = False

    # -- data -----------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any], cursor: int | None = None) -> None:
        """Replace the rows; keeps the cursor on the same position unless ``cursor`` is given."""
        self.rows = rows
        set_virtual_size(self, Size(self._total_width(), len(rows) + 1))
        target = self.cursor if cursor is None else cursor
        self.cursor = min(max(target, 0), max(len(rows) - 1, 0))
        self.refresh()

    def refresh_rows(self) -> None:
        """Re-render after the rows changed in place (a decision)."""
        self.refresh()

    @property
    def current(self) -> Any:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _total_width(self) -> int:
        fixed = sum(c.width + 1 for c in self.columns if c.width)
        return fixed + (12 if any(not c.width for c in self.columns) else 0)

    def _widths(self, width: int) -> list[int]:
        fixed = sum(c.width + 1 for c in self.columns if c.width)
        stretch = [c for c in self.columns if not c.width]
        left = max(width - fixed, 13 * len(stretch)) if stretch else 0
        return [c.width or max(left // len(stretch) - 1, 8) for c in self.columns]

    # -- cursor -----------------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return min(max(value, 0), max(len(self.rows) - 1, 0))

    def watch_cursor(self, value: int) -> None:
        self._scroll_cursor()
        self.refresh()
        if self.rows:
            self.post_message(self.Highlighted(self, value))

    def _scroll_cursor(self) -> None:
        # +1: the header is line 0 of the virtual canvas, but it stays fixed on screen
        height = self.scrollable_content_region.height - 1
        if height <= 0:
            return
        top = self.scroll_y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_cursor()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 2, 1)

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 2, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + int(self.scroll_x)
            for col, w in zip(self.columns, self._widths(self.scrollable_content_region.width)):
                if x < w + 1:
                    self.post_message(self.HeaderClicked(self, col.key))
                    return
                x -= w + 1
            return
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.post_message(self.Selected(self, index))
            self.cursor = index

    # -- rendering ----------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        scroll_x = int(self.scroll_x)
        widths = self._widths(width)
        if y == 0:
            style = base + self.get_component_rich_style("virtual-table--header", partial=True)
            cells = []
            for col in self.columns:
                label = col.label
                if col.key == self.sorted_key:
                    label += "▼" if not self.sorted_reverse else "▲"
                cells.append(label)
            return self._strip(cells, widths, style, scroll_x, width, 0)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("virtual-table--cursor", partial=True)
        return self._strip(self.format_row(self.rows[index]), widths, style, scroll_x, width, y)

    def _strip(self, cells, widths, style: Style, scroll_x: int, width: int, y: int) -> Strip:
        segments: list[Segment] = []
        for cell, col, w in zip(cells, self.columns, widths):
            text = cell if isinstance(cell, Text) else Text(str(cell))
            text = text.copy()
            if col.cut == "start" and text.cell_len > w:
                text = Text("…") + text[len(text.plain) - w + 1 :]
            text.truncate(w, overflow="ellipsis")
            if col.align == "right":
                text.pad_left(w - text.cell_len)
            else:
                text.pad_right(w - text.cell_len)
            text.append(" ")
            segments.extend(seg for seg in text.render(self.app.console) if seg.text != "\n")
        line = Strip(segments).apply_style(style) if segments else Strip([])
        return line.crop_extend(scroll_x, scroll_x + width, style)

    def region_of(self, index: int) -> Region:
        return Region(0, index + 1, self.size.width, 1)
