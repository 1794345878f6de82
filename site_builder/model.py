"""The document model: frozen, I/O-free values that every later stage reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

KINDS = ("measure", "goal", "background", "safeguard", "column")


@dataclass(frozen=True)
class SourceSpan:
    """Where a parsed object came from in its seed file."""

    path: str
    """The seed file's path relative to the project (``seeds/x.txt``)."""
    line: int
    """First physical line (1-based)."""
    end_line: int
    """Last physical line (1-based, inclusive)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Amount:
    """A money amount as printed, with its value in yuan."""

    text: str
    """The amount exactly as printed, e.g. ``每户企业50万元`` or ``1000元/人``."""
    yuan: float
    """Value in yuan; for a range, its lower bound."""
    yuan_max: float | None
    """Upper bound of a range in yuan, else None."""
    per: str | None
    """Unit the amount is per (``人``, ``户``, ``月`` …) when printed, else None."""
    what: str | None
    """What the money is for (``一次性创业补贴``), when the sentence says it."""


@dataclass(frozen=True)
class Figure:
    """A target or statistic that is not money: a percentage, a head-count, a deadline."""

    text: str
    """As printed, e.g. ``70%以上`` or ``500人``."""
    kind: str
    """``percent``, ``count`` or ``deadline``."""


@dataclass(frozen=True)
class Unit:
    """A responsible department as printed in the plan."""

    name: str
    """The name as printed (PDF spaces and page numbers removed)."""
    canonical: str | None
    """The department across regions (``人力资源和社会保障部门``), from ``content/departments.toml``."""
    lead: bool
    """True for a lead unit (牵头单位)."""


@dataclass(frozen=True)
class Item:
    """An enumerated unit of a plan: a measure, goal, principle, safeguard or 专栏 entry."""

    key: str
    """Numbering path inside the plan, e.g. ``2-1-3`` or ``2-zl3-1``; the anchor is ``m-`` + key."""
    marker: str
    """Normalised marker: ``一、``, ``（一）``, ``1.``, ``（1）``, ``——`` or ``专栏N``."""
    number: str
    """The bare number as printed (``1``, ``一``) or ``——`` for a bullet."""
    kind: str
    """One of KINDS."""
    heading: str | None
    """The opening heading sentence without its final 。, when the item opens with one."""
    text: str
    """The body after the heading (the whole item when it has no heading)."""
    lead_units: tuple[Unit, ...]
    """Lead departments."""
    units: tuple[Unit, ...]
    """Other responsible departments."""
    amounts: tuple[Amount, ...]
    """Money amounts in the item."""
    figures: tuple[Figure, ...]
    """Targets and statistics in the item."""
    children: tuple["Item", ...]
    """Sub-items (``——`` bullets under a numbered item)."""
    span: SourceSpan
    """Where the item stands in its seed."""
    truncated: bool = False
    """True when the file is cut off inside this item."""
    table: tuple[str, ...] = ()
    """Cells of a flattened table (专栏 tables), in source order."""

    @property
    def anchor(self) -> str:
        return "m-" + self.key

    @property
    def label(self) -> str:
        """The heading, or the first sentence when there is none."""
        if self.heading:
            return self.heading
        first = self.text.split("。", 1)[0].split("\n", 1)[0]
        return first if len(first) <= 60 else first[:58] + "…"


@dataclass(frozen=True)
class Section:
    """A numbered heading (一、 / （一） / 专栏) that holds items or further headings."""

    key: str
    """Numbering path inside the plan, e.g. ``2-1``."""
    marker: str
    """Normalised marker (``一、``, ``（一）``, ``专栏1``)."""
    number: str
    """The bare number (``一``, ``1``)."""
    title: str
    """Heading text."""
    intro: str
    """Unnumbered text between the heading and its first child."""
    children: tuple[Union["Section", Item], ...]
    """Sub-headings and items, in order."""
    span: SourceSpan
    """Where the heading stands in its seed."""
    kind: str | None = None
    """The kind its items take when the heading says (``goal`` for 目标 …)."""


Node = Union[Section, Item]


@dataclass(frozen=True)
class Region:
    """Where a plan applies, with the words that showed it."""

    province: str | None
    """省 / 自治区 / 直辖市."""
    city: str | None
    """地级市 / 州 / 盟 (the municipality itself for 直辖市)."""
    county: str | None
    """区 / 县 / 县级市 / 新区."""
    code: str | None
    """Administrative code of the most specific level from ``content/regions.csv``, if known."""
    evidence: tuple[str, ...] = ()
    """Why we think so, e.g. ``title: 洞头区``."""

    @property
    def name(self) -> str:
        return self.county or self.city or self.province or "未知地区"

    @property
    def full_name(self) -> str:
        parts = [p for p in (self.province, self.city, self.county) if p]
        deduped = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
        return "".join(deduped) or "未知地区"


@dataclass(frozen=True)
class Plan:
    """One plan document: metadata plus its outline."""

    id: str
    """Stable ASCII id from region and title (``^[a-z0-9-]+$``)."""
    title: str
    """Title as printed (wrapped lines joined, lost brackets restored)."""
    issuer: str | None
    """Issuing body, when printed."""
    region: Region
    """Where it applies."""
    date: str | None
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: signing date if printed, else publication date."""
    published: str | None
    """Publication date from a web page's metadata, when present."""
    doc_number: str | None
    """The plan's own 文号 (or its covering notice's), normalised to 〔〕."""
    period: tuple[int, int] | None
    """Plan period as (first year, last year)."""
    cites: tuple[str, ...]
    """Document numbers the plan cites, normalised to 〔〕…号, first mention first."""
    status_note: str | None
    """``已废止`` / ``已失效`` when the source says so, else None."""
    body: tuple[Node, ...]
    """Top-level headings and items."""
    span: SourceSpan
    """The plan's extent in its seed."""
    truncated: bool
    """True when the file is cut off inside this plan."""
    evidence: tuple[str, ...] = field(default=())
    """How metadata was found (``date: 2022年6月9日``), for editors and the check command."""

    @property
    def source(self) -> str:
        return self.span.path

    def items(self) -> list[Item]:
        """Every item in document order, sub-items after their parent."""
        out: list[Item] = []

        def walk(nodes):
            for n in nodes:
                if isinstance(n, Item):
                    out.append(n)
                    walk(n.children)
                else:
                    walk(n.children)

        walk(self.body)
        return out
