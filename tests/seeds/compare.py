"""Compare the parser's outline of a seed with the hand-made expected outline (see FORMAT.md)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.model import Plan, Section

HERE = Path(__file__).parent


def norm(s: str | None) -> str:
    """Compare text regardless of punctuation width and spacing."""
    if s is None:
        return ""
    s = s.replace(",", "，").replace(";", "；").replace(":", "：").replace("(", "（").replace(")", "）")
    return re.sub(r"\s+", "", s)


def expected(seed_stem: str) -> dict:
    return json.loads((HERE / f"{seed_stem}.expected.json").read_text(encoding="utf-8"))


@dataclass
class Flat:
    """A node flattened with its path of markers, for alignment."""

    path: tuple[str, ...]
    is_item: bool
    heading: str | None
    text_start: str
    kind: str | None
    lead: tuple[str, ...]
    units: tuple[str, ...]
    amounts: tuple[float, ...]
    groups: tuple[str, ...] = ()


def _paths(markers: list[str], prefix: tuple) -> list[tuple]:
    """Bullets share the marker ——, so siblings are told apart by their order."""
    seen: dict[str, int] = {}
    out = []
    for m in markers:
        seen[m] = seen.get(m, 0) + 1
        out.append(prefix + (m if m != "——" else f"——{seen[m]}",))
    return out


def flatten_expected(outline: list, prefix=()) -> list[Flat]:
    out = []
    for n, path in zip(outline, _paths([n["marker"] for n in outline], prefix)):
        if "title" in n:
            out.append(Flat(path, False, n["title"], "", None, (), (), ()))
        else:
            out.append(Flat(path, True, n.get("heading"), n.get("text_start", ""), n.get("kind"),
                            tuple(n.get("lead_units", [])), tuple(n.get("units", [])),
                            tuple(a["yuan"] for a in n.get("amounts", [])), tuple(n.get("groups", []))))
        out += flatten_expected(n.get("children", []), path)
    return out


def flatten_plan(nodes, prefix=()) -> list[Flat]:
    out = []
    for n, path in zip(nodes, _paths([n.marker for n in nodes], prefix)):
        if isinstance(n, Section):
            out.append(Flat(path, False, n.title, "", None, (), (), ()))
        else:
            out.append(Flat(path, True, n.heading, n.text, n.kind,
                            tuple(u.name for u in n.lead_units), tuple(u.name for u in n.units),
                            tuple(a.yuan for a in n.amounts)))
        out += flatten_plan(n.children, path)
    return out


@dataclass
class Result:
    structure: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    items_expected: int = 0
    items_found: int = 0
    aligned: int = 0


def compare(plans: list[Plan], exp: dict) -> Result:
    r = Result()
    if len(plans) != len(exp["plans"]):
        r.structure.append(f"plans: found {len(plans)}, expected {len(exp['plans'])}")
    for plan, ep in zip(plans, exp["plans"]):
        for key in ("title", "issuer", "date", "doc_number"):
            got = getattr(plan, key)
            if norm(got) != norm(ep.get(key)):
                r.metadata.append(f"{key}: {got!r} != {ep.get(key)!r}")
        period = f"{plan.period[0]}-{plan.period[1]}" if plan.period and plan.period[0] != plan.period[1] \
            else (str(plan.period[0]) if plan.period else None)
        if period != ep.get("period"):
            r.metadata.append(f"period: {period!r} != {ep.get('period')!r}")
        if list(plan.cites) != ep.get("cites", []):
            r.metadata.append(f"cites: {list(plan.cites)} != {ep.get('cites')}")
        reg = ep.get("region") or {}
        for lvl in ("province", "city", "county"):
            if getattr(plan.region, lvl) != reg.get(lvl):
                r.metadata.append(f"region.{lvl}: {getattr(plan.region, lvl)!r} != {reg.get(lvl)!r}")
        if plan.truncated != ep.get("truncated", False):
            r.metadata.append(f"truncated: {plan.truncated} != {ep.get('truncated')}")
        got = flatten_plan(plan.body)
        want = flatten_expected(ep["outline"])
        r.items_expected += sum(1 for f in want if f.is_item)
        r.items_found += sum(1 for f in got if f.is_item)
        gp = {f.path: f for f in got}
        wp = {f.path: f for f in want}
        for p in [f.path for f in want if f.path not in gp]:
            r.structure.append(f"missing {'/'.join(p)} ({wp[p].heading or wp[p].text_start})")
        for p in [f.path for f in got if f.path not in wp]:
            r.structure.append(f"invented {'/'.join(p)} ({gp[p].heading or gp[p].text_start[:12]})")
        for f in want:
            g = gp.get(f.path)
            if g is None:
                continue
            where = "/".join(f.path)
            if g.is_item != f.is_item:
                r.structure.append(f"{where}: item={g.is_item}, expected item={f.is_item}")
                continue
            r.aligned += 1
            if not f.is_item:
                if norm(g.heading) != norm(f.heading):
                    r.headings.append(f"{where}: title {g.heading!r} != {f.heading!r}")
                continue
            if g.kind != f.kind:
                r.kinds.append(f"{where}: kind {g.kind} != {f.kind}")
            if norm(g.heading) != norm(f.heading):
                r.headings.append(f"{where}: heading {g.heading!r} != {f.heading!r}")
            if tuple(map(norm, g.lead)) != tuple(map(norm, f.lead)) or \
                    tuple(map(norm, g.units)) != tuple(map(norm, f.units)):
                r.units.append(f"{where}: units {g.lead}/{g.units} != {f.lead}/{f.units}")
            if sorted(g.amounts) != sorted(f.amounts):
                r.amounts.append(f"{where}: amounts {g.amounts} != {f.amounts}")
    return r
