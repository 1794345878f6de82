"""URLs and the list of pages: the only place a path is made (``url_for``)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .lexicon import Group, Lexicon
from .library import Entry, Library, RegionNode
from .model import Plan

HOME = "index.html"
SEARCH = "search/index.html"
PLANS = "plans/index.html"
REGIONS = "regions/index.html"
NOT_FOUND = "404.html"


def url_for(obj: Any) -> str:
    """Site-root-relative path of anything that has a page; every page path ends in index.html."""
    if isinstance(obj, Plan):
        return f"plans/{obj.id}/index.html"
    if isinstance(obj, Entry):
        return f"plans/{obj.plan.id}/index.html#{obj.item.anchor}"
    if isinstance(obj, Group):
        return f"groups/{obj.slug}/index.html"
    if isinstance(obj, RegionNode):
        return f"regions/{obj.key}/index.html"
    if isinstance(obj, str):
        return obj
    raise TypeError(f"no URL for {type(obj).__name__}")


def relative(from_page: str, target: str) -> str:
    """A link from one page to another that works under any sub-path and from disk."""
    path, _, frag = target.partition("#")
    base = posixpath.dirname(from_page) or "."
    rel = posixpath.relpath(path, base) if path else posixpath.basename(from_page)
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
    search_body: bool = True
    """Whether Pagefind indexes the page."""


def pages(lib: Library, lex: Lexicon, config: Config) -> list[Page]:
    groups = sorted(lex.groups, key=lambda g: (-len(lib.by_group.get(g.slug, ())), lex.groups.index(g)))
    children = _children(lib)
    tree = _region_tree(lib, children)
    order = {r.key: i for i, (r, _d, _n) in enumerate(tree)}
    out = [
        Page(HOME, "home.html", config.title, {
            "groups": [(g, len(lib.by_group.get(g.slug, ()))) for g in groups],
            "regions": tree, "plans": lib.plans,
            "item_count": len(lib.entries),
        }, search_body=False),
        Page(SEARCH, "search.html", "搜索", {"groups": groups, "regions": children[None]}, search_body=False),
        Page(PLANS, "plans.html", "全部方案", {"plans": lib.plans}, search_body=False),
        Page(REGIONS, "regions.html", "按地区浏览", {"tree": tree}, search_body=False),
        Page(NOT_FOUND, "404.html", "页面不存在", {}, search_body=False),
    ]
    for plan in lib.plans:
        entries = lib.entries_of(plan)
        out.append(Page(url_for(plan), "plan.html", plan.title, {
            "plan": plan, "tags": lib.tags_of(plan),
            "regions": [lib.regions[k] for k in lib.region_of_plan[plan.id]],
            "groups": sorted({t.slug for e in entries for t in e.tags}, key=[g.slug for g in lex.groups].index),
            "group_of": {g.slug: g for g in lex.groups},
            "same_parent": _same_parent(lib, plan),
        }))
    for group in lex.groups:
        entries = lib.by_group.get(group.slug, ())
        out.append(Page(url_for(group), "group.html", f"{group.name}可以享受的政策", {
            "group": group, "by_region": _by_region(lib, entries, order), "count": len(entries),
        }))
    for region in lib.regions.values():
        out.append(Page(url_for(region), "region.html", f"{region.full_name}的居民增收政策", {
            "region": region, "plans": lib.plans_by_region[region.key], "children": children.get(region.key, []),
            "parent": lib.regions.get(region.parent) if region.parent else None,
        }))
    return out


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


def _by_region(lib: Library, entries, order: dict[str, int]) -> list[tuple[RegionNode, list]]:
    """Entries grouped by the plan's most specific region, regions in tree order."""
    buckets: dict[str, list] = {}
    for e in entries:
        key = lib.region_of_plan[e.plan.id][-1]
        buckets.setdefault(key, []).append(e)
    return [(lib.regions[k], buckets[k]) for k in sorted(buckets, key=lambda k: order.get(k, 0))]


def _same_parent(lib: Library, plan: Plan) -> list[tuple[str, list[Plan]]]:
    return [(c, [p for p in lib.by_cite.get(c, ()) if p.id != plan.id]) for c in plan.cites
            if any(p.id != plan.id for p in lib.by_cite.get(c, ()))]
