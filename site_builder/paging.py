"""Where a plan too long for one page is cut: an estimate made before anything is rendered."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .model import Item, Plan, Section

PLAN_PAGE_BYTES = 240_000
"""About how many bytes one plan page may hold; the limit for any page is 300 KB. A longer plan is
cut between measures into pages of about equal size. It is an estimate made before rendering,
because every link to a measure must name its page."""
ITEM_BYTES = 1_600
"""What a measure adds to its page besides its text: departments, group chips, similar measures
elsewhere (up to three links), its permalink. Measured on the 300-plan benchmark corpus (292 plan
pages): page bytes less the measures' text, per measure, is 1.4 KB at the median and 1.6 KB on the
three largest pages, where the rendered size was 0.92–1.02 times this estimate (sections and
contents left out)."""
CONTENTS_LINE_BYTES = 150
"""One line of the contents list (a link and its label), which every page of a cut plan repeats."""


@dataclass(frozen=True)
class Cut:
    """How many pages a plan takes and which page holds each heading and measure."""

    pages: int = 1
    """1 for a plan that fits one page."""
    page_of: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Anchor (``s-…`` of a heading, ``m-…`` of a measure) → its page, for those not on page 1."""

    def page(self, anchor: str) -> int:
        return self.page_of.get(anchor, 1)


def cut(plan: Plan) -> Cut:
    """Cuts fall between units in document order — a heading with its intro, or a measure with its
    sub-items — so that pages are about equally big; a heading goes with what follows it. The
    contents list is on every page, so it counts against each page's share."""
    units: list[tuple[list[str], int, bool]] = []  # (anchors, estimated bytes, is a heading)
    contents = 0

    def walk(nodes, depth: int) -> None:
        nonlocal contents
        for n in nodes:
            if isinstance(n, Section):
                contents += CONTENTS_LINE_BYTES if depth < 2 else 0
                units.append(([f"s-{n.key}"], len(f"{n.marker}{n.title}{n.intro}".encode()), True))
                walk(n.children, depth + 1)
            else:
                contents += CONTENTS_LINE_BYTES if depth == 0 else 0
                anchors, size = [], 0
                todo: list[Item] = [n]
                while todo:
                    item = todo.pop()
                    anchors.append(item.anchor)
                    size += ITEM_BYTES + len(f"{item.heading or ''}{item.text}{''.join(item.table)}".encode())
                    todo.extend(item.children)
                units.append((anchors, size, False))

    walk(plan.body, 0)
    total = sum(size for _a, size, _h in units)
    room = max(PLAN_PAGE_BYTES - contents, PLAN_PAGE_BYTES // 4)
    count = -(-(total + contents) // PLAN_PAGE_BYTES)
    if count <= 1:
        return Cut()
    count = -(-total // room)
    share, before, numbers = total / count, 0, []
    for _anchors, size, _heading in units:
        numbers.append(min(count, 1 + int((before + size / 2) // share)))
        before += size
    for i in range(len(units) - 2, -1, -1):  # a heading never ends a page
        if units[i][2]:
            numbers[i] = numbers[i + 1]
    # A measure bigger than a page's share leaves a number unused: number the pages 1, 2 … again.
    renumber = {n: i for i, n in enumerate(sorted(set(numbers)), 1)}
    return Cut(len(renumber), MappingProxyType(
        {a: renumber[n] for (anchors, _s, _h), n in zip(units, numbers) if renumber[n] > 1 for a in anchors}))
