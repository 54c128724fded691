"""Check boxes that show their state as text: ``[x]`` ticked, ``[ ]`` not.

Textual's ``Checkbox`` and ``SelectionList`` draw the same ``▐X▌`` button whether ticked or
not and tell the two apart by colour only, so under ``NO_COLOR`` (Textual then renders in
monochrome) every box looks ticked. These two draw a different glyph for each state (and
keep the theme's colours on top of it).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.style import Style as ContentStyle
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

#: The box of a ticked and of an unticked item (same width: the list's gutter depends on it).
TICKED, UNTICKED = "[x]", "[ ]"


def box(ticked: bool) -> str:
    return TICKED if ticked else UNTICKED


class TickBox(Checkbox):
    """A ``Checkbox`` drawn as ``[x] label`` / ``[ ] label``."""

    @property
    def _button(self) -> Content:
        if not self.value:
            return Content(UNTICKED)
        # ticked: the theme's "on" colour of the button, on the widget's own background
        return Content.styled(TICKED, ContentStyle(foreground=self.get_visual_style("toggle--button").foreground,
                                                   bold=True))


class TickList(SelectionList):
    """A ``SelectionList`` whose items start with ``[x]`` when selected and ``[ ]`` when not."""

    def _get_left_gutter_width(self) -> int:
        return len(TICKED) + 1

    def is_ticked(self, index: int) -> bool:
        return self.get_option_at_index(index).value in self._selected

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt, without SelectionList's button
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self._selected
        underlying = next(iter(line)).style or self.rich_style
        # ticked: the theme's colour of a selected button; unticked: the prompt's own colour (the
        # default button colour is meant for a glyph on the button's block, and is dark on the list)
        colour = None
        if ticked:
            component = "selection-list--button-selected" + ("-highlighted" if self.highlighted == index else "")
            colour = self.get_component_rich_style(component).color
        # the option index in the meta: a click on the box toggles that option
        style = underlying + Style(color=colour, bold=ticked, meta={"option": index})
        return Strip([Segment(box(ticked), style), Segment(" ", underlying), *line])
