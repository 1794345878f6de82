"""Blocks to a heading/item tree, with numbering checks, 专栏 boxes and lost-heading repair."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Report
from .blocks import RANK, Block, int_to_cn
from .text import clean_text, split_heading, split_title

TERMINAL = "。；;！？!?）)”」』"


@dataclass
class _Node:
    """Mutable builder for a Section or Item; frozen into the model by ``document.py``."""

    kind: str                 # chapter/section/number/paren/bullet/column/root
    number: int | None
    marker: str
    title: str
    line: int
    end: int
    paragraphs: list[str] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    last: dict[str, int] = field(default_factory=dict)   # last number seen per child kind
    cells: list[str] = field(default_factory=list)       # 专栏 table cells
    key: str = ""
    weak: bool = False
    inferred: bool = False

    @property
    def rank(self) -> float:
        if self.kind == "root":
            return 0
        if self.kind == "column":
            return 2.5
        return RANK[self.kind]


@dataclass
class Outline:
    """What the builder returns: the tree under a root node and whether the text ends mid-item."""

    root: _Node
    truncated: bool
    last_line: int


def _expected(container: _Node, kind: str, counters: dict[str, int]) -> set[int]:
    last = container.last.get(kind)
    exp = {last + 1} if last is not None else {1}
    if kind in ("number",) and counters.get(kind):
        # Many plans number items straight through the sections (1 … 45).
        exp.add(counters[kind] + 1)
    return exp


def build(blocks: list[Block], path: str, report: Report) -> Outline:
    root = _Node("root", None, "", "", blocks[0].line.line if blocks else 1, 0)
    stack: list[_Node] = [root]
    counters: dict[str, int] = {}
    box: _Node | None = None
    last_paragraph: tuple[_Node, Block] | None = None

    def top() -> _Node:
        return stack[-1]

    def attach(node: _Node, kind_for_seq: str | None) -> None:
        while top().rank >= node.rank:
            stack.pop()
        parent = top()
        parent.children.append(node)
        if kind_for_seq and node.number is not None:
            parent.last[kind_for_seq] = node.number
        stack.append(node)

    def close_box() -> None:
        nonlocal box
        if box is not None:
            while stack and stack[-1] is not box:
                stack.pop()
            if stack:
                stack.pop()
            box = None

    for idx, b in enumerate(blocks):
        ln = b.line
        following = blocks[idx + 1] if idx + 1 < len(blocks) else None
        if b.kind == "trailer":
            break
        if b.kind == "column":
            close_box()
            while top().rank >= 2.5 or top().kind in ("number", "paren", "bullet"):
                stack.pop()
            node = _Node("column", b.number, b.printed, b.text, ln.line, ln.end)
            top().children.append(node)
            stack.append(node)
            box = node
            last_paragraph = None
            continue

        if b.kind in ("chapter", "section", "number", "paren") and box is not None:
            inner_last = box.last.get(b.kind)
            outer = _outer_container(stack, box, b.kind)
            outer_fits = b.number is not None and b.number in _expected(outer, b.kind, counters)
            if inner_last is not None and b.number == inner_last + 1 and not (
                    outer_fits and b.kind != "number" and _opens_body(following)):
                pass  # continues the box's own list (a table's next row label)
            elif outer_fits:
                close_box()
            elif b.number == 1 and inner_last is None:
                pass
            else:
                close_box()
            if box is not None:
                if b.kind == "number" and not box.cells:
                    node = _Node("number", b.number, f"{b.number}.", b.text, ln.line, ln.end)
                    box.children.append(node)
                    box.last["number"] = b.number
                    while top() is not box:
                        stack.pop()
                    stack.append(node)
                else:
                    # Table row labels such as `一、劳动就业` inside a box are cells, not chapters.
                    box.last[b.kind] = b.number or 0
                    box.cells.append(ln.text)
                continue

        if b.kind == "paragraph":
            if box is not None:
                cur = top()
                if cur is box:
                    if _looks_like_cell(b.text):
                        box.cells.append(b.text)
                    else:
                        box.paragraphs.append(b.text)
                else:
                    cur.paragraphs.append(b.text)
                cur.end = ln.end
                continue
            cur = top()
            cur.paragraphs.append(b.text)
            cur.end = ln.end
            last_paragraph = (cur, b)
            continue

        if b.kind == "bullet":
            parent = top()
            while parent.rank >= RANK["bullet"]:
                stack.pop()
                parent = top()
            node = _Node("bullet", None, "——", b.text, ln.line, ln.end)
            parent.children.append(node)
            stack.append(node)
            last_paragraph = None
            continue

        # chapter / section / number / paren
        kind = b.kind
        number = b.number
        # Container the block would join, for the numbering check.
        probe = len(stack) - 1
        while stack[probe].rank >= RANK[kind]:
            probe -= 1
        container = stack[probe]
        expected = _expected(container, kind, counters)

        if b.line.weak and number not in expected:
            # A bare number that fits no list is a page number the line rules could not place.
            top().paragraphs.append(b.text)
            report.add(path, ln.line, "info", f"把正文中的“{number}”当作页码去掉",
                       "若这是条目编号，请检查前后编号是否连续")
            continue

        if number is None and kind == "section":
            sib = container.last.get("section", 0)
            number = sib + 1
            report.add(path, ln.line, "warning",
                       f"标题编号丢失，按前后顺序补为（{int_to_cn(number)}）", "请在源文件中补上编号")
        elif (kind == "number" and number == 1 and container.last.get("number")
              and last_paragraph is not None and last_paragraph[0] is top()
              and container.kind in ("section", "chapter", "number")
              and _is_heading_like(last_paragraph[1].text)):
            # `…2.发展劳务经济` then a plain paragraph then `1.` again: the paragraph was a section
            # heading whose marker was lost.
            owner, para = last_paragraph
            if owner.paragraphs and owner.paragraphs[-1] == para.text:
                owner.paragraphs.pop()
            sec_parent_idx = len(stack) - 1
            while stack[sec_parent_idx].rank >= RANK["section"]:
                sec_parent_idx -= 1
            del stack[sec_parent_idx + 1:]
            sec_parent = stack[-1]
            sec_no = sec_parent.last.get("section", 0) + 1
            title, rest = split_title(clean_text(para.text))
            sec = _Node("section", sec_no, f"（{int_to_cn(sec_no)}）", title, para.line.line, para.line.end)
            sec.inferred = True
            if rest:
                sec.paragraphs.append(rest)
            sec_parent.children.append(sec)
            sec_parent.last["section"] = sec_no
            stack.append(sec)
            container = sec
            report.add(path, para.line.line, "warning",
                       f"这一段后编号从 1 重新开始，判断为丢失编号的标题（{int_to_cn(sec_no)}）",
                       "请在源文件中补上标题编号")
        elif number is not None and number not in expected:
            prev = container.last.get(kind) if container.last.get(kind) is not None else counters.get(kind)
            shown = {"chapter": "章节", "section": "小节", "number": "条目", "paren": "条目"}[kind]
            if prev is not None:
                report.add(path, ln.line, "warning", f"{shown}编号从 {prev} 跳到 {number}",
                           "检查是否漏了或重复了一条")
            else:
                report.add(path, ln.line, "warning", f"{shown}编号从 {number} 开始，而不是 1",
                           "检查前面是否缺了内容")
        marker = _marker(kind, number)
        node = _Node(kind, number, marker, b.text, ln.line, ln.end)
        node.weak = b.line.weak
        if b.damaged:
            report.add(path, ln.line, "info", f"编号“{b.printed}”{b.damaged}，已按 {marker} 处理")
        attach(node, kind)
        if number is not None:
            counters[kind] = number
        last_paragraph = None

    last_text = blocks[-1].text if blocks else ""
    trailer_seen = any(b.kind == "trailer" for b in blocks)
    truncated = bool(last_text) and not trailer_seen and last_text[-1] not in TERMINAL + "：:" \
        and blocks[-1].kind in ("paragraph", "number", "paren", "bullet", "section", "chapter") \
        and len(last_text) > 30
    return Outline(root, truncated, blocks[-1].line.end if blocks else 1)


def _opens_body(block: Block | None) -> bool:
    """After a chapter marker that could be a table row label: real chapters go on with headings,
    items or prose, table rows with short cells."""
    if block is None:
        return True
    if block.kind in ("section", "number", "paren", "bullet", "column"):
        return True
    return block.kind == "paragraph" and not _looks_like_cell(block.text)


def _outer_container(stack: list[_Node], box: _Node, kind: str) -> _Node:
    i = stack.index(box) - 1
    while i > 0 and stack[i].rank >= RANK[kind]:
        i -= 1
    return stack[i]


def _marker(kind: str, number: int | None) -> str:
    n = number if number is not None else 0
    # Only the kind asked for: item 100 and beyond has no Chinese-numeral chapter form.
    if kind == "chapter":
        return f"{int_to_cn(n)}、"
    if kind == "section":
        return f"（{int_to_cn(n)}）"
    return f"{n}." if kind == "number" else f"（{n}）"


def _looks_like_cell(text: str) -> bool:
    """A flattened table cell: short, no sentence punctuation."""
    return len(text) <= 16 and not re.search(r"[。；，,]", text)


def _is_heading_like(text: str) -> bool:
    """A paragraph that could be a heading whose marker was lost: it opens with a short phrase."""
    t = clean_text(text)
    head, _rest = split_heading(t)
    return bool(head) or len(t) <= 40 or bool(re.match(r"^[\u4e00-\u9fff]{6,30}", t))
