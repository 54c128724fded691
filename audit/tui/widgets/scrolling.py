"""Resize a line-API widget's canvas without a screen-wide layout."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


def set_virtual_size(widget: Widget, size: Size) -> None:
    """Set ``widget.virtual_size`` and update its scrollbars, without a layout pass.

    ``virtual_size`` is a layout reactive: assigning it re-lays out and repaints the whole
    screen (~60 ms at 120x36 here), at every keystroke that shows another finding. The
    widget's own region does not depend on its canvas, so only the scrollbars need to follow
    (textual still lays out when a scrollbar has to appear or disappear).
    """
    if widget.virtual_size == size:
        return
    if not widget.is_mounted:
        widget.virtual_size = size
        return
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    widget.refresh()
