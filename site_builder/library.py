"""Links parsed plans into a Library: items by id and the reverse indexes every page reads."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Mapping

from .diagnostics import Report
from .lexicon import Lexicon
from .model import Item, Plan, Section
from .tagging import Tag, Tagger


@dataclass(frozen=True)
class Entry:
    """One item in its plan, with what linking adds to it."""

    plan: Plan
    """The plan it belongs to."""
    item: Item
    """The item itself."""
    path: tuple[str, ...]
    """Titles of the headings above it (and its parent item's heading for a sub-item)."""
    tags: tuple[Tag, ...]
    """Groups it is for."""

    @property
    def id(self) -> str:
        return f"{self.plan.id}#{self.item.anchor}"


@dataclass(frozen=True)
class RegionNode:
    """A province, city or county that has plans (directly or below it)."""

    key: str
    """Stable ASCII key: the administrative code, or ``x`` + a hash of the name."""
    name: str
    """Short name (洞头区)."""
    full_name: str
    """Name with its parents (浙江省温州市洞头区)."""
    level: int
    """1 province, 2 city, 3 county."""
    parent: str | None
    """Key of the region above it."""


@dataclass(frozen=True)
class Library:
    """All plans and every cross-link between them; the only place cross-links are made."""

    plans: tuple[Plan, ...]
    """Plans sorted by region then title."""
    entries: tuple[Entry, ...]
    """Every item of every plan, in plan order then document order."""
    by_group: Mapping[str, tuple[Entry, ...]]
    """Group slug → tagged entries."""
    regions: Mapping[str, RegionNode]
    """Region key → region."""
    plans_by_region: Mapping[str, tuple[Plan, ...]]
    """Region key → plans in that region or below it."""
    region_of_plan: Mapping[str, tuple[str, ...]]
    """Plan id → region keys from province down to the plan's own level."""
    by_department: Mapping[str, tuple[Entry, ...]]
    """Canonical department → entries it leads or shares."""
    by_cite: Mapping[str, tuple[Plan, ...]]
    """Cited document number → plans citing it."""
    by_plan: Mapping[str, tuple[Entry, ...]]
    """Plan id → its entries in document order."""
    today: dt.date
    """The date validity is judged against."""

    def entries_of(self, plan: Plan) -> tuple[Entry, ...]:
        return self.by_plan.get(plan.id, ())

    def tags_of(self, plan: Plan) -> Mapping[str, tuple[Tag, ...]]:
        return MappingProxyType({e.item.anchor: e.tags for e in self.entries_of(plan)})

    def status(self, plan: Plan) -> str:
        """实施中 / 已到期 / 已废止 against the configured date; 未注明期限 when the plan gives none."""
        if plan.status_note:
            return "已废止" if "废止" in plan.status_note else plan.status_note
        if plan.period is None:
            return "未注明期限"
        return "已到期" if plan.period[1] < self.today.year else "实施中"

    def year(self, plan: Plan) -> str:
        if plan.date:
            return plan.date[:4]
        if plan.period:
            return str(plan.period[0])
        return ""


def link(plans: list[Plan], lex: Lexicon, today: dt.date, report: Report) -> Library:
    plans = _unique_ids(plans, report)
    plans.sort(key=lambda p: (p.region.full_name, p.title, p.id))
    tagger = Tagger(lex)
    by_plan: dict[str, tuple[Entry, ...]] = {
        plan.id: tuple(Entry(plan, item, path, tagger.tag(item)) for item, path in _walk(plan.body, ()))
        for plan in plans
    }
    entries = [e for plan in plans for e in by_plan[plan.id]]
    by_group: dict[str, list[Entry]] = {g.slug: [] for g in lex.groups}
    by_dep: dict[str, list[Entry]] = {}
    for e in entries:
        for t in e.tags:
            by_group.setdefault(t.slug, []).append(e)
        for unit in e.item.lead_units + e.item.units:
            if unit.canonical:
                lst = by_dep.setdefault(unit.canonical, [])
                if not lst or lst[-1] is not e:
                    lst.append(e)
    regions, plans_by_region, region_of_plan = _regions(plans, lex)
    by_cite: dict[str, list[Plan]] = {}
    for p in plans:
        for c in p.cites:
            by_cite.setdefault(c, []).append(p)
    return Library(
        plans=tuple(plans), entries=tuple(entries),
        by_group=MappingProxyType({k: tuple(v) for k, v in by_group.items()}),
        regions=MappingProxyType(regions),
        plans_by_region=MappingProxyType({k: tuple(v) for k, v in plans_by_region.items()}),
        region_of_plan=MappingProxyType(region_of_plan),
        by_department=MappingProxyType({k: tuple(v) for k, v in sorted(by_dep.items())}),
        by_cite=MappingProxyType({k: tuple(v) for k, v in sorted(by_cite.items())}),
        by_plan=MappingProxyType(by_plan),
        today=today,
    )


def _walk(nodes, path):
    for n in nodes:
        if isinstance(n, Section):
            yield from _walk(n.children, path + (n.title,))
        else:
            yield n, path
            if n.children:
                yield from _walk(n.children, path + ((n.heading or n.label),))


def _unique_ids(plans: list[Plan], report: Report) -> list[Plan]:
    """Two plans with one id (same region and title) get ids that also hash their source."""
    seen: dict[str, int] = {}
    for p in plans:
        seen[p.id] = seen.get(p.id, 0) + 1
    out = []
    for p in plans:
        if seen[p.id] > 1:
            seed = f"{p.title}\n{p.source}\n{p.span.line}".encode()
            digest = hashlib.sha1(seed, usedforsecurity=False).hexdigest()[:8]
            new_id = f"{p.id.rsplit('-', 1)[0]}-{digest}"
            report.add(p.source, p.span.line, "warning", f"另有方案与“{p.title}”同名同地区，本方案地址改为 {new_id}",
                       "如为重复文件请删除其一")
            p = replace(p, id=new_id)
        out.append(p)
    return out


def _regions(plans: list[Plan], lex: Lexicon):
    codes = {}
    for pl in lex.places:
        level = 3 if pl.county else 2 if pl.city else 1
        codes.setdefault((level, pl.province, pl.city if level >= 2 else "", pl.county if level == 3 else ""), pl.code)
    regions: dict[str, RegionNode] = {}
    plans_by_region: dict[str, list[Plan]] = {}
    region_of_plan: dict[str, tuple[str, ...]] = {}
    for p in plans:
        r = p.region
        chain = []
        parent = None
        levels = [(1, r.province), (2, r.city), (3, r.county)]
        for level, name in levels:
            if not name or (level == 2 and name == r.province):
                continue
            key_tuple = (level, r.province or "", (r.city or "") if level >= 2 else "", name if level == 3 else "")
            code = codes.get(key_tuple)
            full = "".join(dict.fromkeys(x for x in (r.province, r.city if level >= 2 else None,
                                                      name if level == 3 else None) if x))
            key = code or "x" + hashlib.sha1(full.encode(), usedforsecurity=False).hexdigest()[:8]
            regions.setdefault(key, RegionNode(key, name, full, level, parent))
            chain.append(key)
            parent = key
        if not chain:
            key = "unknown"
            regions.setdefault(key, RegionNode(key, "未知地区", "未知地区", 1, None))
            chain.append(key)
        region_of_plan[p.id] = tuple(chain)
        for key in chain:
            plans_by_region.setdefault(key, []).append(p)
    return regions, plans_by_region, region_of_plan
