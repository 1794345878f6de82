"""URLs and the list of pages: the only place a path is made (``url_for``)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from itertools import groupby, islice
from operator import attrgetter, is_
from typing import Any, Callable, TypeVar

from .config import Config
from .lexicon import BenefitType, Department, Group, Lexicon
from .library import Entry, Library, Policy, RegionNode
from .model import Plan, Section
from .paging import Cut
from .tagging import TAGGED_KINDS

T = TypeVar("T")

HOME = "index.html"
SEARCH = "search/index.html"
PLANS = "plans/index.html"
REGIONS = "regions/index.html"
NOT_FOUND = "404.html"
DEPARTMENTS = "departments/index.html"
POLICIES = "policies/index.html"
AMOUNTS = "amounts/index.html"
COMPARE = "compare/index.html"


PAGE_LIMIT = 150
"""Most measures one list page shows (about 1 KB each), so a page stays phone-sized at national scale."""
LIST_LIMIT = 400
"""Most plans or regions one index page lists (a line each); past it the list goes a level down the
region tree, each region's page carrying the rest."""


@dataclass(frozen=True)
class RegionSlice:
    """The part of a long list page (a group or kind of help, a department, a policy) for one region."""

    parent: Any
    """The page it is part of: a Group, GroupView, Department or Policy."""
    region: RegionNode
    """The region whose measures (and its sub-regions') it holds."""
    number: int = 1
    """Which page of the region's own measures, when they alone are too many for one."""


class Shown(tuple):
    """The entries (or plans) a list page shows under one region. A type of its own so page
    fingerprints digest it from its members' digests, one lookup each, instead of pickling a
    reference per member: group pages hold 2.8 million of them at 3,000 plans."""

    __slots__ = ()


@dataclass(frozen=True)
class PlanPart:
    """Page ``number`` (2, 3 …) of a plan too long for one page."""

    plan: Plan
    """The plan."""
    number: int
    """1-based page number (1 is the plan's own page)."""


@dataclass(frozen=True)
class AmountsView:
    """The amounts index narrowed to one group (a static page, so the filter needs no script)."""

    group: Group
    """The group."""


@dataclass(frozen=True)
class GroupView:
    """A group page narrowed to one kind of help: a static page, so the filter needs no script."""

    group: Group
    """The group."""
    benefit: BenefitType
    """The kind of help shown."""


def url_for(obj: Any) -> str:
    """Site-root-relative path of anything that has a page; every page path ends in index.html."""
    if isinstance(obj, Plan):
        return f"plans/{obj.id}/index.html"
    if isinstance(obj, Entry):
        return url_for(PlanPart(obj.plan, obj.page)) + "#" + obj.item.anchor
    if isinstance(obj, PlanPart):
        return f"plans/{obj.plan.id}/{obj.number}/index.html" if obj.number > 1 else url_for(obj.plan)
    if isinstance(obj, Group):
        return f"groups/{obj.slug}/index.html"
    if isinstance(obj, GroupView):
        return f"groups/{obj.group.slug}/{obj.benefit.slug}/index.html"
    if isinstance(obj, RegionNode):
        return f"regions/{obj.key}/index.html"
    if isinstance(obj, Department):
        return f"departments/{obj.slug}/index.html"
    if isinstance(obj, Policy):
        return f"policies/{obj.key}/index.html"
    if isinstance(obj, RegionSlice):
        more = f"{obj.number}/" if obj.number > 1 else ""
        return posixpath.dirname(url_for(obj.parent)) + f"/r/{obj.region.key}/{more}index.html"
    if isinstance(obj, AmountsPage):
        return posixpath.dirname(url_for(obj.view)) + f"/page/{obj.number}/index.html"
    if isinstance(obj, AmountsView):
        return f"amounts/{obj.group.slug}/index.html"
    if isinstance(obj, str):
        return obj
    raise TypeError(f"no URL for {type(obj).__name__}")


def relative(from_page: str, target: str) -> str:
    """A link from one page to another that works under any sub-path and from disk."""
    path, _, frag = target.partition("#")
    if path:
        # posixpath.relpath, without the abspath calls that made it a fifth of all rendering time:
        # both paths are already normalised and relative to the site root.
        base, parts = from_page.split("/")[:-1], path.split("/")
        same = 0
        for a, b in zip(base, parts):
            if a != b:
                break
            same += 1
        rel = "/".join([".."] * (len(base) - same) + parts[same:]) or "."
    else:
        rel = posixpath.basename(from_page)
    return rel + (f"#{frag}" if frag else "")


@dataclass(frozen=True)
class Page:
    """One HTML page to render."""

    path: str
    """Output path relative to the site root."""
    template: str
    """Template file name in ``templates/``."""
    title: str
    """<title> and <h1>."""
    context: dict = field(default_factory=dict)
    """What the template reads besides ``site``, ``page`` and ``url``; documented per template."""


def pages(lib: Library, lex: Lexicon, config: Config, lists: Lists | None = None) -> list[Page]:
    """Every page of the site. ``lists``: the last build's lists by region, kept by serve, so a
    list of the same measures is not cut by region again (``Lists``)."""
    groups = sorted(lex.groups, key=lambda g: (-len(lib.by_group.get(g.slug, ())), lex.groups.index(g)))
    children = _children(lib)
    tree = _region_tree(lib, children)
    lists = (lists or Lists()).start(lib, _places(tree))
    out = [
        Page(HOME, "home.html", config.title, {
            "groups": [(g, len(lib.by_group.get(g.slug, ()))) for g in groups],
            "regions": tree, "plans": lib.plans,
            "item_count": len(lib.entries),
        }),
        Page(SEARCH, "search.html", "搜索", {"groups": groups, "regions": children[None]}),
        Page(PLANS, "plans.html", "全部方案", {
            "plans": lib.plans if len(lib.plans) <= LIST_LIMIT else (),
            "regions": [(r, n) for r, depth, n in tree if depth == 0],
        }),
        Page(REGIONS, "regions.html", "按地区浏览", {
            "tree": tree if len(tree) <= LIST_LIMIT else [row for row in tree if row[1] <= 1],
            "pruned": len(tree) > LIST_LIMIT,
        }),
        Page(NOT_FOUND, "404.html", "页面不存在", {}),
    ]
    out.extend(plan_pages(lib, lex, lib.plans))
    owners: dict[str, dict[str, RegionNode] | None] = {}
    for group in lex.groups:
        group_pages, owners[group.slug] = _group_pages(lib, lex, group, lists)
        out.extend(group_pages)
    out.extend(_department_pages(lib, lex, lists))
    out.extend(_policy_pages(lib, lists))
    out.extend(_amount_pages(lib, lex))
    out.append(_compare_page(lib, lex, tree, owners))
    lists.done()
    for region in lib.regions.values():
        plans = lib.plans_by_region[region.key]
        kids = children.get(region.key, [])
        out.append(Page(url_for(region), "region.html", f"{region.full_name}的居民增收政策", {
            "region": region, "total": len(plans),
            "plans": plans if len(plans) <= LIST_LIMIT or not kids
            else tuple(p for p in plans if lib.region_of_plan[p.id][-1] == region.key),
            "children": [(c, len(lib.plans_by_region.get(c.key, ()))) for c in kids],
            "parent": lib.regions.get(region.parent) if region.parent else None,
        }))
    return out


def plan_pages(lib: Library, lex: Lexicon, plans) -> list[Page]:
    """The pages of ``plans``: every plan's for ``pages``, the edited plans' alone for what serve
    shows first after an edit. The lookup tables are one object on all of them (digested once)."""
    group_of = {g.slug: g for g in lex.groups}
    group_order = [g.slug for g in lex.groups]
    dep_of = {name: lex.department(name) for name in lib.by_department}
    return [page for plan in plans for page in _plan_pages(lib, plan, group_of, group_order, dep_of)]


def _plan_pages(lib: Library, plan: Plan, group_of, group_order, dep_of) -> list[Page]:
    """A plan's page, and its further pages when it is cut into several."""
    out = []
    entries = lib.entries_of(plan)
    cut = lib.cut_of(plan)
    count = cut.pages
    context = {
        "plan": plan, "tags": lib.tags_of(plan),
        "regions": [lib.regions[k] for k in lib.region_of_plan[plan.id]],
        "groups": sorted({t.slug for e in entries for t in e.tags}, key=group_order.index),
        "group_of": group_of,
        "same_parent": _same_parent(lib, plan),
        "dep_of": dep_of, "policy_of": {c: Policy(c) for c in plan.cites},
        "cut": cut.page_of, "paths": [url_for(PlanPart(plan, n)) for n in range(1, count + 1)],
    }
    for number in range(1, count + 1):
        shown, continued = _on_page(plan.body, cut, number) if count > 1 else (None, frozenset())
        out.append(Page(url_for(PlanPart(plan, number)), "plan.html",
                        plan.title + (f"（第 {number} 页）" if number > 1 else ""), {
                            **context, "number": number, "shown": shown, "continued": continued,
                            "pager": _pager(lambda n: PlanPart(plan, n), number, count)}))
    return out


def _on_page(body, cut: Cut, number: int) -> tuple[frozenset[str], frozenset[str]]:
    """Anchors of the headings and measures page ``number`` of a cut plan shows, and of the headings
    it shows again (marked 续) because part of what is under them is on this page."""
    shown: set[str] = set()
    continued: set[str] = set()

    def walk(nodes, above: list[str]) -> None:
        for n in nodes:
            if isinstance(n, Section):
                anchor = f"s-{n.key}"
                if cut.page(anchor) == number:
                    shown.add(anchor)
                walk(n.children, above + [anchor])
            else:
                if cut.page(n.anchor) == number:  # sub-items are cut with their item, so share its page
                    shown.add(n.anchor)
                    for a in above:
                        if a not in shown:
                            continued.add(a)
                            shown.add(a)
                walk(n.children, above)

    walk(body, [])
    return frozenset(shown), frozenset(continued)


def _children(lib: Library) -> dict[str | None, list[RegionNode]]:
    """Region key (None for the top) → the regions directly below it, by name."""
    kids: dict[str | None, list[RegionNode]] = {None: []}
    for r in sorted(lib.regions.values(), key=lambda r: r.full_name):
        kids.setdefault(r.parent, []).append(r)
    return kids


def _region_tree(lib: Library, children) -> list[tuple[RegionNode, int, int]]:
    """(region, depth, plan count) in tree order, for nested lists."""
    out = []

    def walk(parent, depth):
        for r in children.get(parent, []):
            out.append((r, depth, len(lib.plans_by_region.get(r.key, ()))))
            walk(r.key, depth + 1)

    walk(None, 0)
    return out


def _group_pages(lib: Library, lex: Lexicon, group: Group, lists: Lists) -> tuple[list[Page], dict[str, RegionNode] | None]:
    """A group's page and one static page per kind of help it has (the filters work without script),
    and, when the group's page is split by region, which part holds each region (else None)."""
    entries = lib.by_group.get(group.slug, ())
    of_type: dict[str, list[Entry]] = {}
    for e in entries:
        for slug in e.benefits:  # each kind of help at most once
            of_type.setdefault(slug, []).append(e)
    types = [(t, len(of_type[t.slug]), GroupView(group, t)) for t in lex.benefit_types if t.slug in of_type]
    views: list[tuple[Any, BenefitType | None, tuple[Entry, ...]]] = [(group, None, entries)]
    views += [(view, t, tuple(of_type[t.slug])) for t, _, view in types]
    out = []
    whole: dict[str, RegionNode] | None = None
    for target, benefit, shown in views:
        key = ("group", group.slug, benefit.slug if benefit else "")
        sections = lists.cut(key, shown)
        made, owner = lists.pages(key, sections, (group, benefit, len(entries), types),
                                  lambda: _view_pages(group, benefit, target, sections, len(entries), types))
        out.extend(made)
        if benefit is None:
            whole = owner
    return out, whole


def _view_pages(group: Group, benefit: BenefitType | None, target, sections, total: int,
                types) -> tuple[list[Page], dict[str, RegionNode] | None]:
    """The pages of one view of a group (``target``: the group, or a GroupView of one kind of
    help) showing the measures cut by region in ``sections`` of the ``total`` the group has,
    and which part holds each region when the view is split (else None)."""
    title = f"{group.name}可以享受的政策" + (f"：{benefit.name}" if benefit else "")
    count = sum(len(sec[3]) for sec in sections)
    context = {"group": group, "benefit": benefit, "count": count, "total": total,
               "types": types, "part_of": None, "pager": [], "region_count": sum(1 for sec in sections if sec[3]),
               "overview": False}
    if count <= PAGE_LIMIT:
        return [Page(url_for(target), "group.html", title,
                     {**context, "sections": [(*sec, None) for sec in sections]})], None
    # Too long for one page: the page lists regions with counts, each region's part its own page.
    parts, owner = _split(sections, PAGE_LIMIT)
    slices = _slices(target, owner)
    overview = [(r, d, n, [], slices.get(r.key)) for r, d, n, _es in sections]
    out = [Page(url_for(target), "group.html", title, {**context, "sections": overview, "overview": True})]
    for root, secs, number, of in parts:
        base = secs[0][1]
        here = RegionSlice(target, root, number)
        out.append(Page(url_for(here), "group.html", f"{title}（{root.full_name}{_nth(number, of)}）", {
            **context, "part_of": target, "count": sum(len(es) for *_x, es in secs),
            "pager": _pager(lambda n: RegionSlice(target, root, n), number, of),
            "sections": [(r, d - base, n, es, None) for r, d, n, es in secs]}))
    return out, owner


def _split(sections, limit: int):
    """Cut region sections (tree order) into the largest subtrees that fit ``limit``; a region
    too big to fit keeps only its own plans' measures on its page and its sub-regions split on.
    A region whose own plans alone have more than ``limit`` measures gets pages of ``limit``.
    Returns ([(root region, its sections, page number, pages)], {region key: root region of the
    (first) page holding it})."""
    parts: list[tuple[RegionNode, list, int, int]] = []
    owner: dict[str, RegionNode] = {}
    i = 0
    while i < len(sections):
        r, d, n, es = sections[i]
        j = i + 1
        while j < len(sections) and sections[j][1] > d:
            j += 1
        if n <= limit:
            parts.append((r, sections[i:j], 1, 1))
            owner.update({s[0].key: r for s in sections[i:j]})
            i = j
        else:
            if es:  # its own plans' measures; with none, it gets no page (its sub-regions do)
                chunks = [Shown(es[k:k + limit]) for k in range(0, len(es), limit)]
                parts += [(r, [(r, d, len(c), c)], number, len(chunks)) for number, c in enumerate(chunks, 1)]
                owner[r.key] = r
            i += 1
    return parts, owner


def _slices(parent, owner: dict[str, RegionNode]) -> dict[str, RegionSlice]:
    """Region key → the part of ``parent``'s list that holds it (``_split``'s owners): one
    RegionSlice per part, whichever of its regions links to it. (One per overview row made
    700,000 of them at 3,000 plans, each digested again on every overview page.)"""
    made: dict[str, RegionSlice] = {}
    out = {}
    for key, root in owner.items():
        part = made.get(root.key)
        if part is None:
            part = made[root.key] = RegionSlice(parent, root)
        out[key] = part
    return out


def _nth(number: int, of: int) -> str:
    return f"，第 {number} 页" if of > 1 else ""


def _pager(page, number: int, of: int) -> list[tuple[int, Any, bool]]:
    """(page number, ``page(number)``, whether it is this one) for something that takes ``of`` pages
    (a plan, or a region's own measures or plans on a list); empty when it takes one."""
    return [(n, page(n), n == number) for n in range(1, of + 1)] if of > 1 else []


ENTRY_PLAN = attrgetter("plan.id")
"""Whose plan an entry is (``_by_region``)."""
PLAN_ID = attrgetter("id")
"""A plan's own id: plans are listed by region as entries are."""


def _by_region(lib: Library, entries, places, plan_id=ENTRY_PLAN) -> list[tuple[RegionNode, int, int, Shown]]:
    """(region, depth, entries in it and below, entries of its own plans) in region-tree order,
    only regions that have some: province → city → county, as a reader scans them. ``plan_id``
    says whose plan an entry is (plans themselves are listed this way too)."""
    direct: dict[str, list] = {}
    total: dict[str, int] = {}
    # A plan's entries come one after another: its region is looked up once per run, not per entry.
    for pid, run in groupby(entries, plan_id):
        run = list(run)
        chain = lib.region_of_plan[pid]
        direct.setdefault(chain[-1], []).extend(run)
        for key in chain:
            total[key] = total.get(key, 0) + len(run)
    rows = sorted(places[key] for key in total)
    return [(r, depth, total[r.key], Shown(direct.get(r.key, ()))) for _i, r, depth in rows]


def same_objects(a, b) -> bool:
    """Whether two sequences hold the same objects in the same order (not merely equal ones)."""
    return len(a) == len(b) and all(map(is_, a, b))


class Lists:
    """Lists of measures (or plans) cut by region (``_by_region``) for one build's pages, each
    under a key naming the list (a group's, a department's…). Kept by ``serve`` from one build to
    the next: a list holding the same measures, in order, as the last build's under its key gets
    that build's cut, so after an edit only the lists holding the edited plan's measures are cut
    again: at 3,000 plans, 86 of 21,155 (the long ones: 1.8 s under the profiler, against 3.2 s
    for all). Each build keeps only the cuts it used."""

    def __init__(self) -> None:
        self._lib: Library | None = None
        self._places: dict[str, tuple[int, RegionNode, int]] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._cuts: dict[tuple, tuple[object, Any, list]] = {}
        """Key → (what was cut, whose plan an item is, its cut) of this build's lists so far."""
        self._before: dict[tuple, tuple[object, Any, list]] = {}
        """Those of the last build."""
        self._keys: list[tuple] = []
        """Those keys in the order they were cut: what ``pages`` reads from a position on, which
        a dict's keys cannot give without walking all those before."""
        self._made: dict[tuple, tuple[Any, tuple, Any, list[tuple]]] = {}
        """Key → (items, values, what ``pages`` made from them, the keys of the lists it cut) of
        this build so far."""
        self._made_before: dict[tuple, tuple[Any, tuple, Any, list[tuple]]] = {}
        """Those of the last build."""

    def start(self, lib: Library, places: dict[str, tuple[int, RegionNode, int]]) -> Lists:
        """Begin a build's lists. The last build's cuts stay usable only when every region sits
        where it did in the tree (``places``) and every plan is in the same regions (a cut places
        items by their plan's regions; a plan not parsed again may still move when another
        changes the tree)."""
        same = places == self._places and all(self._chains.get(k, chain) == chain
                                              for k, chain in lib.region_of_plan.items())
        self._before = self._cuts if same else {}
        self._made_before = self._made if same else {}
        self._cuts, self._made, self._keys = {}, {}, []
        self._lib, self._places, self._chains = lib, places, dict(lib.region_of_plan)
        return self

    def cut(self, key: tuple, items, plan_id=ENTRY_PLAN) -> list[tuple[RegionNode, int, int, Shown]]:
        """``_by_region`` of ``items``: the last build's cut under ``key`` when it was of the same
        objects in the same order (entries and plans of a plan not parsed again are kept as they
        were, ``library.link_apart``)."""
        old = self._before.get(key)
        if old is not None and old[1] is plan_id and same_objects(old[0], items):
            found = old[2]
        else:
            found = _by_region(self._lib, items, self._places, plan_id)
        self._cut(key, (items, plan_id, found))
        return found

    def _cut(self, key: tuple, cut: tuple[object, Any, list]) -> None:
        self._cuts[key] = cut
        self._keys.append(key)

    def pages(self, key: tuple, items, values: tuple, make: Callable[[], T]) -> T:
        """``make()``, which makes pages from ``items`` (measures, or a cut of them) and
        ``values`` alone (and cuts by region); or what it made in the last build under ``key``,
        when ``items`` were the same objects in the same order and ``values`` were equal. The
        pages are then the last build's objects, whose digests the last build knows."""
        old = self._made_before.get(key)
        if old is not None and same_objects(old[0], items) and old[1] == values:
            made, cuts = old[2], old[3]
            # The cuts it made go on to the next build too: when these items change, the lists
            # of the pages showing none of the change keep theirs.
            for k in cuts:
                if k in self._before:
                    self._cut(k, self._before[k])
        else:
            known = len(self._keys)
            made = make()
            cuts = self._keys[known:]
        self._made[key] = (items, values, made, cuts)
        return made

    def done(self) -> None:
        """End a build's lists: the last build's cuts and pages, and this build's library, are
        let go (only this build's cuts and pages stay for the next)."""
        self._before, self._made_before, self._lib = {}, {}, None


def _places(tree) -> dict[str, tuple[int, RegionNode, int]]:
    """Region key → (position in the tree, region, depth): made once per build, since thousands
    of lists are cut by region and walking every region of the country for each was most of the time."""
    return {r.key: (i, r, depth) for i, (r, depth, _n) in enumerate(tree)}


SAME_PARENT_SHOWN = 8
"""Other plans citing the same document named on a plan page; the policy page lists them all."""


def _same_parent(lib: Library, plan: Plan) -> list[tuple[str, list[Plan], int]]:
    """Per document the plan cites: the first few other plans citing it and how many there are.
    (Not every list whole: a document cited by 2,000 plans made each plan page's list 2,000 long.)"""
    out = []
    for c in plan.cites:
        citing = lib.by_cite.get(c, ())
        total = len(citing) - plan.cites.count(c)  # by_cite holds a plan once per time it cites c
        if total > 0:
            out.append((c, list(islice((p for p in citing if p.id != plan.id), SAME_PARENT_SHOWN)), total))
    return out


def _department_pages(lib: Library, lex: Lexicon, lists: Lists) -> list[Page]:
    """One page per canonical department that answers for something, its lead roles first."""
    listed = [(lex.department(name), entries) for name, entries in lib.by_department.items()]
    listed.sort(key=lambda d: (-len(d[1]), lex.departments.index(d[0])))
    # Each department's lead measures (its list is cut by role on every part page) and the names
    # printed for it, in one pass over the measures, not one per department naming them: a
    # measure names five departments or more. (Leads by id: entries live as long as the library,
    # and hashing an Entry hashes its whole plan.)
    leads: dict[str, set[int]] = {dep.name: set() for dep, _es in listed}
    names: dict[str, set[str]] = {dep.name: set() for dep, _es in listed}
    for e in lib.entries:
        for u in e.item.lead_units:
            if u.canonical:
                leads[u.canonical].add(id(e))
        for u in e.item.lead_units + e.item.units:
            if u.canonical:
                names[u.canonical].add(u.name)
    index = [(dep, len(es), len(leads[dep.name])) for dep, es in listed]
    out = [Page(DEPARTMENTS, "departments.html", "按部门浏览", {"departments": index})]
    for dep, entries in listed:
        # Which measures it leads and the names it is printed under follow from its measures.
        out.extend(lists.pages(("department", dep.name), entries, (dep,),
                               lambda: _department(lists, dep, entries, leads[dep.name], names[dep.name])))
    return out


def _department(lists: Lists, dep: Department, entries: tuple[Entry, ...], lead_ids: set[int],
                names: set[str]) -> list[Page]:
    """A department's pages: ``entries`` are the measures naming it, those in ``lead_ids`` (by
    ``id``) with it as lead; ``names``: how they print it."""
    context = {"department": dep, "printed": sorted(names), "part_of": None, "overview": [], "pager": []}
    if len(entries) <= PAGE_LIMIT:
        return [Page(url_for(dep), "department.html", f"{dep.name}负责的政策措施",
                     {**context, **_roles(lists, (dep.name,), lead_ids, entries, None)})]
    # Too long for one page: regions with counts here, each region's measures on its own page.
    sections = lists.cut(("department", dep.name), entries)
    parts, owner = _split(sections, PAGE_LIMIT)
    slices = _slices(dep, owner)
    overview = [(r, d, n, slices.get(r.key)) for r, d, n, _es in sections]
    out = [Page(url_for(dep), "department.html", f"{dep.name}负责的政策措施", {
        **context, **_roles(lists, (dep.name,), lead_ids, (), None), "overview": overview,
        "lead_count": len(lead_ids), "shared_count": len(entries) - len(lead_ids)})]
    for root, secs, number, of in parts:
        mine = tuple(e for *_x, es in secs for e in es)
        out.append(Page(url_for(RegionSlice(dep, root, number)), "department.html",
                        f"{dep.name}负责的政策措施（{root.full_name}{_nth(number, of)}）",
                        {**context, **_roles(lists, (dep.name, root.key, number), lead_ids, mine,
                                             secs[0][1]), "part_of": dep,
                         "pager": _pager(lambda n: RegionSlice(dep, root, n), number, of)}))
    return out


def _roles(lists: Lists, page: tuple, lead_ids: set[int], entries, base: int | None) -> dict:
    """Lead (``id`` in ``lead_ids``) and shared measures by region on the department ``page``
    (its name, and the part's region and number on a part page); ``base`` re-roots depths on a
    regional part page."""
    lead = tuple(e for e in entries if id(e) in lead_ids)
    shared = tuple(e for e in entries if id(e) not in lead_ids)

    def sections(es, role):
        secs = lists.cut(("roles", role, *page), es)
        low = min((d for _r, d, _n, _e in secs), default=0) if base is not None else 0
        return [(r, d - low, n, x) for r, d, n, x in secs]

    return {"lead": sections(lead, "lead"), "shared": sections(shared, "shared"),
            "lead_count": len(lead), "shared_count": len(shared)}


def _policy_pages(lib: Library, lists: Lists) -> list[Page]:
    """One page per cited document number, with the plans that cite it (by region past LIST_LIMIT)."""
    policies = [(Policy(number), plans) for number, plans in lib.by_cite.items()]
    policies.sort(key=lambda p: (-len(p[1]), p[0].number))
    out = [Page(POLICIES, "policies.html", "上位政策", {"policies": policies})]
    for policy, plans in policies:
        title = f"引用{policy.number}的方案"
        context = {"policy": policy, "total": len(plans), "count": len(plans), "part_of": None, "pager": [],
                   "overview": [], "sections": []}
        if len(plans) <= LIST_LIMIT:
            out.append(Page(url_for(policy), "policy.html", title, {**context, "plans": plans}))
            continue
        # A national document cited by thousands of plans: regions with counts here, each region's
        # plans on a page of its own, as group and department pages are cut.
        sections = lists.cut(("policy", policy.number), plans, PLAN_ID)
        parts, owner = _split(sections, LIST_LIMIT)
        slices = _slices(policy, owner)
        out.append(Page(url_for(policy), "policy.html", title, {**context, "plans": (), "overview": [
            (r, d, n, slices.get(r.key)) for r, d, n, _ps in sections]}))
        for root, secs, number, of in parts:
            out.append(Page(url_for(RegionSlice(policy, root, number)), "policy.html",
                            f"{title}（{root.full_name}{_nth(number, of)}）", {
                                **context, "plans": (), "part_of": policy, "pager": _pager(lambda n: RegionSlice(policy, root, n), number, of),
                                "count": sum(len(ps) for *_x, ps in secs),
                                "sections": [(r, d - secs[0][1], n, ps) for r, d, n, ps in secs]}))
    return out


AMOUNTS_PER_PAGE = 300
"""Rows per amounts page (about 0.6 KB each)."""


@dataclass(frozen=True)
class AmountsPage:
    """Page ``number`` (2, 3 …) of an amounts list that is too long for one page."""

    view: Any
    """The first page's target: the AMOUNTS path or an AmountsView."""
    number: int
    """1-based page number, at least 2."""


def _amount_pages(lib: Library, lex: Lexicon) -> list[Page]:
    """Every money amount a measure offers, largest first; one static page per group as the filter.

    Amounts in background and goal items are achievements and targets, not help on offer."""
    rows = [(a, e) for e in lib.entries if e.item.kind in TAGGED_KINDS for a in e.item.amounts if a.yuan is not None]
    rows.sort(key=lambda r: (-r[0].yuan, r[1].plan.region.full_name, r[1].id))
    of_group: dict[str, list] = {g.slug: [] for g in lex.groups}
    for a, e in rows:
        for t in e.tags:
            of_group.setdefault(t.slug, []).append((a, e))
    groups = [(g, AmountsView(g), len(of_group[g.slug])) for g in lex.groups if of_group[g.slug]]
    group_of = {g.slug: g for g in lex.groups}
    views: list[tuple[Any, Group | None, list]] = [(AMOUNTS, None, rows)]
    views += [(view, g, of_group[g.slug]) for g, view, _n in groups]
    out = []
    for target, group, shown in views:
        title = "补贴和资金金额一览" + (f"：{group.name}" if group else "")
        chunks = [shown[i:i + AMOUNTS_PER_PAGE] for i in range(0, len(shown), AMOUNTS_PER_PAGE)] or [[]]
        targets = [target] + [AmountsPage(target, n) for n in range(2, len(chunks) + 1)]
        for n, (chunk, here) in enumerate(zip(chunks, targets), 1):
            out.append(Page(url_for(here), "amounts.html", title + (f"（第 {n} 页）" if n > 1 else ""), {
                "rows": chunk, "groups": groups, "group": group, "total": len(rows), "group_of": group_of,
                "shown": len(shown), "start": (n - 1) * AMOUNTS_PER_PAGE + 1,
                "pager": _pager(lambda k: targets[k - 1], n, len(targets)),
            }))
    return out


COMPARE_COLUMNS = 40
"""More regions than this and the comparison is by province: a table a reader can still scan."""


def _compare_page(lib: Library, lex: Lexicon, tree, owners: dict[str, dict[str, RegionNode] | None]) -> Page:
    """Groups × regions (the regions plans belong to, or provinces when there are many): how many
    measures each region has for each group. ``owners``: per group, the part of its split page
    holding each region (None when the page is whole), as _group_pages cut it."""
    own = {chain[-1] for chain in lib.region_of_plan.values()}
    columns = [r for r, _d, _n in tree if r.key in own]
    level = -1
    if len(columns) > COMPARE_COLUMNS:
        columns = [r for r, d, _n in tree if d == 0]
        level = 0
    rows = []
    for g in lex.groups:
        counts = {r.key: 0 for r in columns}
        for e in lib.by_group.get(g.slug, ()):
            counts[lib.region_of_plan[e.plan.id][level]] += 1
        rows.append((g, [counts[r.key] for r in columns], sum(counts.values())))
    rows.sort(key=lambda r: (-r[2], lex.groups.index(r[0])))
    # Each cell links to the region on the group page, or on the regional part holding it when the
    # group page is split; a region with no part of its own (too big, no plans of its own) links to
    # the group page's region list.
    links = []
    for g, counts, _total in rows:
        owner = owners.get(g.slug)
        slices = _slices(g, owner or {})
        links.append([(slices[r.key], f"r-{r.key}") if r.key in slices
                      else (g, "" if owner is not None else f"r-{r.key}") for r in columns])
    rows = [(g, [(n, *t) for n, t in zip(counts, targets)], total) for (g, counts, total), targets in zip(rows, links)]
    return Page(COMPARE, "compare.html", "各地面向不同人群的措施对比", {
        "columns": columns, "rows": rows, "max": max((n for _g, _c, n in rows), default=0),
    })
