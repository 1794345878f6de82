"""Logical lines to blocks: one ordered registry of marker rules, first match wins."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..diagnostics import Report
from .lines import Line

CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23; None when not a numeral."""
    s = s.strip()
    if not s or any(c not in "零一二三四五六七八九十" for c in s):
        return None
    if "十" not in s:
        return CN_NUM[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = CN_NUM.get(tens, 0) if tens else 1
    o = CN_NUM.get(ones, 0) if ones else 0
    return t * 10 + o


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


RANK = {"chapter": 1, "section": 2, "number": 3, "paren": 4, "bullet": 5}


@dataclass(frozen=True)
class Block:
    """A logical line classified by its leading marker."""

    kind: str
    """``chapter``, ``section``, ``number``, ``paren``, ``bullet``, ``column``, ``trailer`` or ``paragraph``."""
    number: int | None
    """The marker's value (一 → 1); None for bullets, paragraphs and lost numbers."""
    printed: str
    """The marker as printed (``(一)``, ``1.``, ``一)``)."""
    text: str
    """Text after the marker."""
    line: Line
    """The logical line it came from."""
    damaged: str = ""
    """What was wrong with the marker (``lost bracket`` …), for diagnostics."""


BlockRule = Callable[[Line], "Block | None"]
RULES: list[tuple[str, BlockRule]] = []


def rule(fn: BlockRule) -> BlockRule:
    """Register a block rule; rules are tried in definition order and the first match wins."""
    RULES.append((fn.__name__, fn))
    return fn


_CN = "[一二三四五六七八九十]{1,3}"
_TEXT_START = r"(?=[\u4e00-\u9fff“《\"‘（(A-Za-z0-9])"


@rule
def trailer(line: Line) -> Block | None:
    """``公开方式：主动公开`` / ``抄送：市委各部委办局…`` / ``印发：`` — the document's closing block."""
    if re.match(r"^(公开方式|抄送|印发|主送|（此件公开发布）|\(此件公开发布\))\s*[:：]?", line.text):
        return Block("trailer", None, "", line.text, line)
    return None


@rule
def column_box(line: Line) -> Block | None:
    """``专栏1 :主要增收目标`` / ``专栏2:凉州区“双创”产业行动计划`` / ``专栏 3 十大工程``."""
    m = re.match(r"^专栏\s*(\d{1,2}|" + _CN + r")?\s*[:：]?\s*", line.text)
    if not m:
        return None
    raw = m.group(1) or ""
    num = int(raw) if raw.isdigit() else cn_to_int(raw) if raw else None
    return Block("column", num, f"专栏{raw}", line.text[m.end():].strip(), line)


@rule
def chapter(line: Line) -> Block | None:
    """``一、总体要求`` / ``二. 主要任务`` / ``三．保障措施``."""
    m = re.match(r"^(" + _CN + r")\s*[、.．]\s*", line.text)
    if not m:
        return None
    return Block("chapter", cn_to_int(m.group(1)), m.group(0).strip(), line.text[m.end():].strip(), line)


@rule
def section(line: Line) -> Block | None:
    """``（一）指导思想`` / ``(一)夯实产业支撑促增收。`` / ``一)指导思想`` (lost opening bracket)."""
    m = re.match(r"^([（(])?\s*(" + _CN + r")\s*[）)]\s*", line.text)
    if not m:
        return None
    damaged = "" if m.group(1) else "缺少左括号"
    return Block("section", cn_to_int(m.group(2)), m.group(0).strip(), line.text[m.end():].strip(), line, damaged)


@rule
def section_number_lost(line: Line) -> Block | None:
    """``(加强公共服务体系建设提升…`` — a section marker whose number and closing bracket were lost.

    Taken only when no closing bracket follows within the heading, so ``(此件公开发布)`` stays text.
    """
    m = re.match(r"^[（(](?=[\u4e00-\u9fff]{4})", line.text)
    if not m:
        return None
    head = line.text[1:31]
    if re.search(r"[）)]", head):
        return None
    return Block("section", None, "(", line.text[1:].strip(), line, "编号和右括号丢失")


@rule
def numbered(line: Line) -> Block | None:
    """``1.完善…`` / ``2、积极争取…`` / ``3．`` / ``1. 宏观收入…`` / ``1 完善…`` (flowed PDF, weak)."""
    m = re.match(r"^(\d{1,3})\s*[.．、](?!\d)\s*" + _TEXT_START, line.text)
    if m:
        return Block("number", int(m.group(1)), m.group(0).strip(), line.text[m.end():].strip(), line)
    if line.weak:
        m = re.match(r"^(\d{1,3})\s+", line.text)
        if m:
            return Block("number", int(m.group(1)), m.group(1), line.text[m.end():].strip(), line,
                         "无标点的裸编号")
    return None


@rule
def paren_numbered(line: Line) -> Block | None:
    """``（1）加强…`` / ``(2) 推进…``."""
    m = re.match(r"^[（(]\s*(\d{1,2})\s*[）)]\s*", line.text)
    if not m:
        return None
    return Block("paren", int(m.group(1)), m.group(0).strip(), line.text[m.end():].strip(), line)


@rule
def bullet(line: Line) -> Block | None:
    """``——增加就业容量。`` / ``—稳定就业岗位`` / ``－－``."""
    m = re.match(r"^(?:——|—|－－|--)\s*", line.text)
    if not m:
        return None
    return Block("bullet", None, "——", line.text[m.end():].strip(), line)


def classify(line: Line) -> Block:
    """The first rule that takes the line, else a paragraph."""
    for _name, fn in RULES:
        block = fn(line)
        if block is not None:
            return block
    return Block("paragraph", None, "", line.text, line)


# Numbering below the four levels the outline knows (一、 （一） 1. （1）): circled and bracketed
# numbers, `1）`, letters, roman numerals, and # runs Markdown does not take as headings.
_DEEPER_MARKER = re.compile(
    r"^(?:[\u2460-\u2473\u2474-\u2487\u2488-\u249b]|\d{1,2}[）)]|[（(][a-zA-Z][）)]|[a-zA-Z][.．、](?=\S)"
    r"|[ivxIVX]{1,4}[.．、]|#{7,})"
)


def report_deeper_numbering(blocks: list[Block], path: str, report: Report) -> None:
    """One warning per file for lines numbered deeper than the outline nests: they stay text."""
    deep = [b for b in blocks if b.kind == "paragraph" and _DEEPER_MARKER.match(b.text)]
    if deep:
        report.add(path, deep[0].line.line, "warning",
                   f"{len(deep)} 行的编号（如“{deep[0].text[:8]}”）比四级编号（一、（一）1.（1））更深，"
                   "并入上一条目的正文", "把更深的层级改写为正文或并入上一级")
