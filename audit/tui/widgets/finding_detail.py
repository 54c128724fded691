"""The current finding: rule, message, the repair as before/after, evidence and the rule's documentation."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .scrolling import set_virtual_size
from textual.visual import Visual

from ...detectors import DETECTORS
from ...findings import Finding
from ..data import ReviewSession
from .text_view import visible

#: Characters of context shown either side of the span in before/after.
CONTEXT = 24
#: The marker of a finding that accepting does not make ``audit normalise --decisions`` apply.
REPORT_ONLY = "report only"
STATUS_WORDS = {"open": "undecided", "accept": "accepted", "edit": "edited", "reject": "rejected",
                "ignored": "rule ignored here"}


def explain(rule: str) -> str:
    """The rule's documentation (``audit explain``), reflowed to the width of the pane."""
    cls = DETECTORS.get(rule)
    if cls is None:
        return f"{rule}: no documentation (the rule is not registered here)."
    return reflow(cls.explain())


def reflow(text: str) -> str:
    r"""Join the hard-wrapped lines of each paragraph; keep example lines (``->``) as they are.

    >>> reflow("What it finds:\n    A no-break space\n    next to a space.\n\n    a  b -> a b")
    'What it finds:\nA no-break space next to a space.\n\n    a  b -> a b'
    """
    out = []
    for para in text.split("\n\n"):
        lines = para.splitlines()
        if any("->" in line or "→" in line for line in lines):
            out.append(para)
            continue
        head = []
        while lines and lines[0].rstrip().endswith(":") and len(lines) > 1:
            head.append(lines.pop(0).strip())
        out.append("\n".join(head + [" ".join(line.strip() for line in lines)]) if lines else "\n".join(head))
    return "\n\n".join(out)


def evidence_lines(evidence: Any, prefix: str = "") -> list[str]:
    """Evidence (any JSON) as ``key: value`` lines, nested keys joined with dots.

    >>> evidence_lines({"entity": "ibrahim-kalin", "forms": ["İbrahim Kalın", "Ibrahim Kalin"]})
    ['entity: ibrahim-kalin', 'forms: İbrahim Kalın · Ibrahim Kalin']
    """
    out: list[str] = []
    if isinstance(evidence, dict):
        for key in evidence:
            value = evidence[key]
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                out.extend(evidence_lines(value, name + "."))
            elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
                for i, v in enumerate(value):
                    out.extend(evidence_lines(v, f"{name}[{i}]."))
            elif isinstance(value, list):
                out.append(f"{name}: {' · '.join(str(v) for v in value)}")
            else:
                out.append(f"{name}: {value}")
    elif evidence not in (None, ""):
        out.append(f"{prefix.rstrip('.')}: {evidence}" if prefix else str(evidence))
    return out


class FindingDetail(ScrollView, can_focus=True):
    """Shows one finding; :meth:`show` redraws it.

    A line-API widget: the content is rendered to lines once per finding and width, and a
    new finding only repaints this pane (a Static in a scroll container would re-layout the
    whole screen at every keystroke).
    """

    BINDINGS = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.finding: Finding | None = None
        self.content = Content("")
        self._strips: list[Strip] = []
        self._width = -1

    def show(self, finding: Finding | None, text: str = "") -> None:
        self.finding = finding
        if finding is None:
            self.content = Content("No finding here (check the filter, f).")
        else:
            self.content = self.render_finding(finding, text)
        self._width = -1
        self._layout_lines()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _layout_lines(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        self._strips = Visual.to_strips(self, self.content, width, None, self.visual_style)
        set_virtual_size(self, Size(width, len(self._strips)))

    def on_resize(self) -> None:
        self._width = -1
        self._layout_lines()

    def render_line(self, y: int) -> Strip:
        self._layout_lines()
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self._strips):
            return Strip.blank(width, base)
        return self._strips[index].crop_extend(0, width, base).apply_offsets(0, index)

    def reference_parts(self, f: Finding) -> list[Any]:
        """The segment's chrF and its reference text(s), or why there is none."""
        entry = self.session.entry(f.doc)
        seg = self.session.segment(f)
        if seg is None:
            why = ("no reference lines up with this document" if entry.scores is None
                   else "the segment is blank here and in the reference")
            return ["\n", ("Reference", "bold underline"), "\n", (why, "italic"), "\n"]
        label = "row" if "row" in entry.doc.meta else "line"
        parts: list[Any] = ["\n", ("Reference", "bold underline"), f"  {label} {seg.id} · chrF ",
                            (f"{seg.chrf:.1f}", "bold"), "\n"]
        for i, ref in enumerate(seg.refs):
            prefix = f"{i + 1}. " if len(seg.refs) > 1 else ""
            parts += [prefix, visible(ref) or ("(empty)", "italic"), "\n"]
        return parts

    def render_finding(self, f: Finding, text: str) -> Content:
        s = self.session
        status = s.status(f)
        parts: list[Any] = [
            (f.rule, "bold"), "  ", (f.category, "italic"), f" · {f.severity} · {f.confidence:.0%} · ",
            (STATUS_WORDS[status], "bold reverse" if status != "open" else "bold"), "\n",
            f.message, "\n\n",
        ]
        left_start = max(text.rfind("\n", 0, f.start) + 1, f.start - CONTEXT)
        right_end = text.find("\n", f.end)
        right_end = min(f.end + CONTEXT, len(text) if right_end < 0 else right_end)
        left, right = visible(text[left_start:f.start]), visible(text[f.end:right_end])
        replacement = s.replacement(f)
        parts += [("before ", "dim"), left, (visible(f.text) or "‸", "$text-error strike"), right, "\n"]
        if replacement is None:
            parts += [("after  ", "dim"), ("(no repair proposed: accept marks it as a real problem)", "italic"), "\n"]
        else:
            parts += [("after  ", "dim"), left, (visible(replacement) or "∅", "$text-success bold underline"), right, "\n"]
        if status == "edit":
            parts += [("edited by the reviewer", "italic"), "\n"]
        reason = s.report_only(f, "edit" if status == "edit" else "accept")
        if reason is not None:
            parts += [(REPORT_ONLY, "bold reverse"), f": normalise will not apply this ({reason})", "\n"]
        if s.references is not None:
            parts += self.reference_parts(f)
        lines = evidence_lines(f.evidence)
        if lines:
            parts += ["\n", ("Evidence", "bold underline"), "\n"]
            parts += ["\n".join(lines), "\n"]
        parts += ["\n", ("Rule", "bold underline"), "\n", explain(f.rule)]
        return Content.assemble(*parts)
