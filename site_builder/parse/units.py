"""Responsible departments after an item: 牵头单位 / 配合单位 / 责任单位 / （…负责）, ▲ marks."""
from __future__ import annotations

import re
from dataclasses import dataclass

# The parenthesis that closes an item and names who answers for it. An unclosed one at the very
# end (a file cut off inside it) counts too.
_TAIL = re.compile(
    r"[（(](?P<body>[^（()）]*?(?:牵头单位|责任单位|配合单位|协办单位|负责)[^（()）]*)(?:[）)]|$)\s*$"
)
_LEAD_FIRST = re.compile(r"[，,]?\s*列第一位的为牵头单位[，,]?\s*(下同)?")
_LABELS = ("牵头单位", "配合单位", "责任单位", "协办单位", "参与单位")
_DROP = re.compile(r"按各自职能分工负责落实|按职责分工负责|分别负责|负责落实|共同负责|负责")


@dataclass(frozen=True)
class UnitList:
    """Departments named for one item, before canonical names are added."""

    lead: tuple[str, ...]
    """Lead units as printed."""
    others: tuple[str, ...]
    """Other responsible units as printed."""
    lead_first_rule: bool
    """True when this parenthesis states 列第一位的为牵头单位 (…下同)."""


def split_units(text: str, lead_first: bool) -> tuple[str, UnitList | None]:
    """The item text without its closing department parenthesis, and the departments it names.

    ``…(牵头单位: 新区农业局;配合单位: 新区商务局)`` → lead 新区农业局, others 新区商务局;
    ``…（市民政局、人力资源社会保障局负责）`` with the plan's 列第一位的为牵头单位 rule → lead 市民政局;
    ``…(责任单位:▲区委办、区府办)`` → lead 区委办 (▲ marks the lead).
    """
    m = _TAIL.search(text)
    if not m:
        return text, None
    body = re.sub(r"\s+", "", m.group("body"))
    rule = bool(_LEAD_FIRST.search(body))
    body = _LEAD_FIRST.sub("", body)
    lead: list[str] = []
    others: list[str] = []
    parts = re.split(r"[；;]|[，,](?=(?:牵头|配合|责任|协办)单位)", body)
    labelled = False
    for part in parts:
        lm = re.match(r"^(牵头单位|配合单位|责任单位|协办单位|参与单位)[:：]?", part)
        names = _names(part[lm.end():] if lm else part)
        if lm:
            labelled = True
        if lm and lm.group(1) == "牵头单位":
            lead += names
        else:
            others += names
    if not labelled and (lead_first or rule) and others:
        lead, others = others[:1], others[1:]
    marked = [n for n in lead + others if n.startswith("▲")]
    if marked:
        lead = [n.lstrip("▲") for n in lead] + [n.lstrip("▲") for n in others if n.startswith("▲")]
        others = [n for n in others if not n.startswith("▲")]
    lead = _dedupe(lead)
    others = [n for n in _dedupe(others) if n not in lead]
    return text[:m.start()].rstrip(), UnitList(tuple(lead), tuple(others), rule)


def _names(s: str) -> list[str]:
    s = _DROP.sub("", s)
    out: list[str] = []
    depth = 0
    cur = ""
    for ch in s:
        if ch in "〔［[〈‹<【":
            depth += 1
        elif ch in "〕］]〉›>】":
            depth = max(0, depth - 1)
        if ch in "、，," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    cleaned = []
    for n in out:
        n = n.strip().strip("：:")
        n = re.sub(r"等$", "", n)
        # `配合单` — a label cut off where the file ends is not a department.
        if n and n not in ("等", "各有关单位") and not any(w.startswith(n) for w in _LABELS):
            cleaned.append(n)
    return cleaned


def _dedupe(names: list[str]) -> list[str]:
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen
