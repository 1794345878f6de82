"""Atom feeds: one for all plans and one per group, so portals and readers can follow what is new."""
from __future__ import annotations

import uuid

from .config import Config
from .lexicon import Group, Lexicon
from .library import Library
from .model import Plan
from .routes import relative, url_for

ATOM = "http://www.w3.org/2005/Atom"
ALL_PLANS = "feeds/plans.xml"


def group_feed_path(group: Group) -> str:
    # In a folder of their own, so no group slug (``plans``) can take the all-plans feed's path.
    return f"feeds/groups/{group.slug}.xml"


def files(lib: Library, lex: Lexicon, config: Config) -> dict[str, bytes]:
    # What every feed says of a plan, worked out once: a plan is in up to 21 feeds.
    said = {p.id: _said(p, lib, config) for p in lib.plans}
    out = {ALL_PLANS: _feed(ALL_PLANS, f"{config.title}：新收录的方案", lib.plans, said, lib, config, None)}
    for group in lex.groups:
        mine: dict[str, list] = {}  # plan id → its measures for the group, in order
        for e in lib.by_group.get(group.slug, ()):
            mine.setdefault(e.plan.id, []).append(e)
        plans = [p for p in lib.plans if p.id in mine]
        path = group_feed_path(group)
        out[path] = _feed(path, f"{config.title}：面向{group.name}的政策", plans, said, lib, config, (group, mine))
    return out


def _said(plan: Plan, lib: Library, config: Config) -> tuple[str, str, str, str]:
    """A plan's page, entry id, time and summary (before what a group's feed adds to it)."""
    target = url_for(plan)
    summary = f"{plan.region.full_name}" + (f" · {plan.issuer}" if plan.issuer else "") + f" · {lib.status(plan)}"
    return target, _id(target, config), _when(plan, lib), summary


def _when(plan: Plan, lib: Library) -> str:
    """RFC 3339 time from the plan's date (padded to a day), else its first year, else the configured today."""
    date = plan.date or (str(plan.period[0]) if plan.period else lib.today.isoformat())
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def _href(feed_path: str, target: str, config: Config) -> str:
    # Absolute when the site knows where it lives; otherwise relative to the feed file, which
    # Atom resolves against the feed's own address.
    if config.base_url:
        return config.base_url.rstrip("/") + "/" + target
    return relative(feed_path, target)


def _id(target: str, config: Config) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, (config.base_url or "site-builder:") + target))


def _feed(path: str, title: str, plans, said: dict[str, tuple[str, str, str, str]], lib: Library, config: Config,
          focus: tuple[Group, dict[str, list]] | None) -> bytes:
    """``said``: ``_said`` of each plan by id; ``focus``: a group's feed's group, with each
    plan's measures for it. Written out as
    ElementTree writes an indented tree (``ET.indent``, ``ET.tostring``; a test holds it to that),
    but as text: building the trees of 21 feeds took 4 s at 3,000 plans."""
    group, mine_of = focus or (None, {})
    page = url_for(group) if group else "index.html"
    ordered = sorted(plans, key=lambda p: (said[p.id][2], p.id), reverse=True)
    updated = max((said[p.id][2] for p in ordered), default=f"{lib.today.isoformat()}T00:00:00Z")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="{ATOM}">\n',
        _element(1, "title", title),
        _element(1, "id", _id(path, config)),
        f'  <link rel="self" href="{_attr(_href(path, path, config))}" />\n',
        f'  <link rel="alternate" type="text/html" href="{_attr(_href(path, page, config))}" />\n',
        _element(1, "updated", updated),
        f"  <author>\n{_element(2, 'name', config.organizer or config.title)}  </author>\n",
    ]
    for plan in ordered:
        target, entry_id, when, summary = said[plan.id]
        if group:
            mine = mine_of[plan.id]
            heads = "；".join(e.item.label for e in mine[:5])
            summary += f"。面向{group.name}的措施 {len(mine)} 条：{heads}" + ("……" if len(mine) > 5 else "")
        out.append(f"  <entry>\n{_element(2, 'title', plan.title)}{_element(2, 'id', entry_id)}"
                   f'    <link rel="alternate" type="text/html" href="{_attr(_href(path, target, config))}" />\n'
                   f"{_element(2, 'updated', when)}{_element(2, 'summary', summary)}  </entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _element(depth: int, name: str, text: str) -> str:
    """A line holding an element with text (empty: ``<name />``, as ElementTree writes it)."""
    pad = "  " * depth
    return f"{pad}<{name}>{_text(text)}</{name}>\n" if text else f"{pad}<{name} />\n"


def _text(value: str) -> str:
    """Element text escaped as ElementTree escapes it."""
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    value = _text(value).replace('"', "&quot;")
    return value.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


__all__ = ["files", "group_feed_path", "ALL_PLANS"]
