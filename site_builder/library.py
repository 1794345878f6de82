"""Links parsed plans into a Library: items by id and the reverse indexes every page reads."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping

from .diagnostics import Report
from .editorial import Edit, Override
from .lexicon import Lexicon
from .model import Item, Plan, Section
from . import paging
from . import related as related_mod
from .paging import Cut
from .tagging import TAGGED_KINDS, Tag, Tagger, text_of


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
    benefits: tuple[str, ...] = ()
    """Slugs of the kinds of help it gives (``content/benefit_types.toml``), in file order."""
    page: int = 1
    """Which page of its plan holds it (``paging.cut``): more than 1 only in a plan too long for one."""

    @property
    def id(self) -> str:
        return f"{self.plan.id}#{self.item.anchor}"


@dataclass(frozen=True)
class Facts:
    """What linking learns from one item alone: worked out when its seed is parsed (in parallel, and
    kept in the parse cache), so an unchanged seed costs nothing to link again."""

    tags: tuple[Tag, ...]
    """Groups it is for (before editors' overrides)."""
    benefits: tuple[str, ...]
    """Slugs of the kinds of help it gives."""
    words: tuple[str, ...]
    """Its heading and text cut into words for finding similar measures (empty: not a measure)."""


def analyse(plan: Plan, tagger: Tagger, lex: Lexicon) -> tuple[Facts, ...]:
    """Facts of every item of the plan, in document order (the order of its entries)."""
    out = []
    for item, path in _walk(plan.body, ()):
        similar_words = related_mod.words(text_of(item), tagger.tokens) \
            if item.kind in TAGGED_KINDS and item.text else ()
        out.append(Facts(tagger.tag(item, path), _benefits(item, lex), similar_words))
    return tuple(out)


def facts_key(plan: Plan) -> tuple[str, int]:
    """Which plan a tuple of Facts belongs to, stable across editors' corrections and id changes."""
    return plan.span.path, plan.span.line


@dataclass(frozen=True)
class Linked:
    """A plan's entries as one build linked them, for the next build of the same process."""

    parsed: Plan
    """The plan as parsed (and corrected)."""
    plan: Plan
    """The plan object they were made from: ``parsed``, or a copy with an id of its own."""
    facts: tuple[Facts, ...]
    """The facts object they were made from."""
    cut: Cut
    """How the plan is cut into pages (``paging.cut``)."""
    entries: tuple[Entry, ...]
    """Its entries before editors' overrides."""


@dataclass(frozen=True)
class Policy:
    """A document number that plans cite (国发〔2016〕56号): a parent policy with its own page."""

    number: str
    """The number as normalised by the parser."""

    @property
    def key(self) -> str:
        """Stable ASCII key for its URL."""
        return "p" + hashlib.sha1(self.number.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


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


NO_CUT = Cut()


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
    edits: tuple[Edit, ...] = ()
    """Editors' overrides of measure groups that took effect, for the build summary."""
    related: Mapping[str, tuple[tuple[Entry, float], ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Entry id → up to three similar measures from other regions with their cosine (see related.py)."""
    cuts: Mapping[str, Cut] = field(default_factory=lambda: MappingProxyType({}))
    """Plan id → how it is cut into pages (``paging.cut``), for plans too long for one page."""

    def cut_of(self, plan: Plan) -> Cut:
        return self.cuts.get(plan.id, NO_CUT)

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


@dataclass(frozen=True)
class Similar:
    """What finding similar measures reads (``related.similar``): made by ``link_apart``, so the
    search can run beside other work (the page list reads no similar measures)."""

    measures: tuple[int, ...]
    """Index in ``Library.entries`` of each measure with words."""
    bags: tuple[tuple[str, ...], ...]
    """Its words."""
    regions: tuple[str, ...]
    """Key of its plan's own region."""

    def find(self, jobs: int = 1) -> list[list[tuple[int, float]]]:
        """For each measure, up to three (index into ``measures``, cosine): ``related.similar``."""
        return related_mod.similar(list(self.bags), list(self.regions), jobs)


def link(plans: list[Plan], lex: Lexicon, today: dt.date, report: Report,
         overrides: tuple[Override, ...] = (),
         facts: Mapping[tuple[str, int], tuple[Facts, ...]] | None = None, jobs: int = 1) -> Library:
    """``facts``: each plan's item facts by ``facts_key`` as the parse worked them out; a plan
    without them is analysed here. ``jobs``: processes finding similar measures."""
    lib, similar = link_apart(plans, lex, today, report, overrides, facts)
    return with_related(lib, similar.measures, similar.find(jobs))


def with_related(lib: Library, measures: tuple[int, ...], found: list[list[tuple[int, float]]]) -> Library:
    """``lib`` with the similar measures ``Similar.find`` found (``measures``: ``Similar.measures``)."""
    measures = [lib.entries[i] for i in measures]
    return replace(lib, related=MappingProxyType(
        {e.id: tuple((measures[j], cos) for j, cos in hits) for e, hits in zip(measures, found) if hits}))


def link_apart(plans: list[Plan], lex: Lexicon, today: dt.date, report: Report,
               overrides: tuple[Override, ...] = (),
               facts: Mapping[tuple[str, int], tuple[Facts, ...]] | None = None,
               reuse: dict[tuple[str, int], Linked] | None = None) -> tuple[Library, Similar]:
    """The Library without similar measures, and what finding them reads: ``link`` in two parts.
    ``reuse`` (a long-lived process's, kept between builds) holds each plan's entries as the
    previous build made them: a plan that is the same object with the same facts gets the same
    entry objects again, whose page digests are then known (``fingerprint.Memo``). It is left
    holding this build's."""
    uniques = _unique_ids(plans, report)
    if reuse is not None:
        # A plan given an id of its own is a new object each build: the last build's is taken again.
        uniques = [_again(reuse.get(facts_key(o)), o, u) for o, u in zip(plans, uniques)]
    parsed = {id(u): o for o, u in zip(plans, uniques)}
    plans = sorted(uniques, key=lambda p: (p.region.full_name, p.title, p.id))
    facts = dict(facts or {})
    tagger = Tagger(lex)
    by_plan: dict[str, tuple[Entry, ...]] = {}
    words: dict[str, tuple[str, ...]] = {}
    cuts: dict[str, Cut] = {}
    linked: dict[tuple[str, int], Linked] = {}
    for plan in plans:
        known = facts.get(facts_key(plan))
        if known is None:
            known = analyse(plan, tagger, lex)
        before = reuse.get(facts_key(plan)) if reuse is not None else None
        if before is not None and before.plan is plan and before.facts is known:
            cut, entries = before.cut, before.entries
        else:
            cut = paging.cut(plan)
            entries = tuple(Entry(plan, item, path, f.tags, f.benefits, cut.page(item.anchor))
                            for (item, path), f in zip(_walk(plan.body, ()), known, strict=True))
        linked[facts_key(plan)] = Linked(parsed[id(plan)], plan, known, cut, entries)
        if cut.pages > 1:
            cuts[plan.id] = cut
        for e, f in zip(entries, known):
            if f.words:
                words[e.id] = f.words
        by_plan[plan.id] = entries
    if reuse is not None:
        reuse.clear()
        reuse.update(linked)
    by_plan, edits = _override(by_plan, overrides, lex, report)
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
    measures = [i for i, e in enumerate(entries) if e.id in words]
    similar = Similar(tuple(measures), tuple(words[entries[i].id] for i in measures),
                      tuple(region_of_plan[entries[i].plan.id][-1] for i in measures))
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
        edits=tuple(edits),
        cuts=MappingProxyType(cuts),
    ), similar


def _benefits(item: Item, lex: Lexicon) -> tuple[str, ...]:
    text = "".join((item.heading or "", item.text, *item.table))
    return tuple(t.slug for t in lex.benefit_types if any(w in text for w in t.words))


def _override(by_plan: dict[str, tuple[Entry, ...]], overrides: tuple[Override, ...], lex: Lexicon,
              report: Report) -> tuple[dict[str, tuple[Entry, ...]], list[Edit]]:
    """Editors' group decisions win over the tagger; one naming no measure is reported, not dropped silently."""
    if not overrides:
        return by_plan, []
    index = {e.id: e for entries in by_plan.values() for e in entries}
    order = {g.slug: i for i, g in enumerate(lex.groups)}
    changed: dict[str, Entry] = {}
    edits = []
    for o in overrides:
        e = changed.get(o.measure) or index.get(o.measure)
        if e is None:
            report.add(o.file, o.line, "warning", f"找不到条目 {o.measure}，本条未采用",
                       "条目编号见 data/measures.json 的 id；方案改名或改地区后编号会变")
            continue
        before = [t.slug for t in e.tags]
        tags = [t for t in e.tags if t.slug not in o.remove and t.slug not in o.add]
        tags += [Tag(s, (), "override") for s in dict.fromkeys(o.add)]  # each group once
        tags.sort(key=lambda t: order.get(t.slug, len(order)))
        changed[o.measure] = e = replace(e, tags=tuple(tags))
        after = [t.slug for t in e.tags]
        change = "人群 " + ("、".join(before) or "（无）") + " → " + ("、".join(after) or "（无）")
        edits.append(Edit(o.where, o.measure, change + (f"（{o.note}）" if o.note else "")))
    return {pid: tuple(changed.get(e.id, e) for e in entries) for pid, entries in by_plan.items()}, edits


def _walk(nodes, path):
    for n in nodes:
        if isinstance(n, Section):
            yield from _walk(n.children, path + (n.title,))
        else:
            yield n, path
            if n.children:
                yield from _walk(n.children, path + ((n.heading or n.label),))


def _again(before: Linked | None, parsed: Plan, plan: Plan) -> Plan:
    """``plan`` (``parsed`` with its id made unique), or the same plan as the last build made."""
    return before.plan if before is not None and before.parsed is parsed and before.plan.id == plan.id else plan


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
