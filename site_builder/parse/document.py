"""One source file to its plans: find titles, read metadata, build and freeze each outline."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from ..diagnostics import Report
from ..lexicon import Lexicon
from ..model import Item, Node, Plan, Section, SourceSpan, Unit
from ..read import Source
from . import metadata as meta
from .amounts import find_amounts, find_figures
from .blocks import Block, classify, report_deeper_numbering
from .lines import logical_lines
from .outline import _Node, build
from .text import clean_text, is_heading_style, split_heading, split_title
from .units import split_units


def parse_source(source: Source, lex: Lexicon, report: Report) -> list[Plan]:
    """Every plan in one file (a file may hold several); never raises on bad text."""
    path = source.path
    lines = logical_lines(source.text, path, report)
    blocks = [classify(l) for l in lines]
    report_deeper_numbering(blocks, path, report)
    blocks = _split_flowed_title(blocks)
    titles = _find_titles(blocks)
    fm = dict(source.front_matter)
    if not titles:
        fallback = fm.get("title") or fm.get("html_title") or _notice_title(blocks)
        if not blocks:
            report.add(path, None, "warning", "文件中没有正文", "放入方案正文后重新构建")
            return []
        report.add(path, blocks[0].line.line, "warning", "没有找到方案标题，已用通知标题或文件名代替",
                   "在正文前单独一行写出方案标题")
        title = fallback or path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        titles = [(-1, title, blocks[0].line.line)]
    first = titles[0][0]
    preamble = blocks[: max(first, 0)]
    shared = _preamble_meta(preamble, source, report)
    # Counted once per file: a file holding many plans must not rescan its whole text per plan.
    places = meta.place_mentions(source.text, lex)
    plans = []
    for n, (idx, title, title_line) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(blocks)
        body_blocks = [b for b in blocks[idx + 1: stop] if not _is_title_continuation(b)]
        plans.append(_plan(source, title, title_line, body_blocks, shared, places, lex, report))
    return plans


# ------------------------------------------------------------------ titles

def _split_flowed_title(blocks: list[Block]) -> list[Block]:
    """``金普新区…工作方案 为贯彻落实…`` at the start of flowed text: title and paragraph apart."""
    if not blocks or blocks[0].kind != "paragraph":
        return blocks
    b = blocks[0]
    m = meta.TITLE_PREFIX.match(b.text)
    if not m:
        return blocks
    title = Block("paragraph", None, "", m.group(1), replace(b.line, text=m.group(1)))
    rest_text = b.text[m.end():]
    rest = Block("paragraph", None, "", rest_text, replace(b.line, text=rest_text))
    return [title, rest] + blocks[1:]


def _find_titles(blocks: list[Block]) -> list[tuple[int, str, int]]:
    """(block index, title, line) of each plan title; wrapped titles and period lines joined."""
    found = []
    for i, b in enumerate(blocks):
        if b.kind != "paragraph":
            continue
        text = re.sub(r"\s+", "", b.text)
        start_line = b.line.line
        if not meta.TITLE.match(text):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is None or not (nxt.kind in ("chapter", "paragraph") and
                               (nxt.kind == "chapter" or len(nxt.text) >= 20 or meta.PERIOD_LINE.match(nxt.text))):
            continue
        # A title centred over two lines: a short line with no punctuation just before it.
        prev = blocks[i - 1] if i > 0 else None
        if (prev is not None and prev.kind == "paragraph" and len(prev.text) <= 30
                and not re.search(r"[，。、；：:,\d]", prev.text) and not meta.ISSUER_LINE.match(prev.text)
                and prev.line.line >= b.line.line - 3 and (not found or found[-1][0] < i - 1)):
            text = re.sub(r"\s+", "", prev.text) + text
            start_line = prev.line.line
        if nxt is not None and nxt.kind == "paragraph":
            pm = meta.PERIOD_LINE.match(nxt.text.strip())
            if pm:
                text += f"（{pm.group(1)}-{pm.group(2)}年）"
        found.append((i, text, start_line))
    return found


def _is_title_continuation(b: Block) -> bool:
    return b.kind == "paragraph" and bool(meta.PERIOD_LINE.match(b.text.strip()))


def _notice_title(blocks: list[Block]) -> str | None:
    for b in blocks[:10]:
        m = re.search(r"关于印发(.+?)的通知", b.text)
        if m:
            return m.group(1).strip("《》")
    return None


# ------------------------------------------------------------------ metadata

def _preamble_meta(preamble: list[Block], source: Source, report: Report) -> dict:
    """Issuer, date and 文号 from the covering notice; publication date from page metadata."""
    out: dict = {"issuer": None, "date": None, "doc_number": None, "published": None, "evidence": [],
                 "status_note": None}
    fm = dict(source.front_matter)
    raw_head = source.text[:3000]
    m = meta.PUBLISHED.search(raw_head)
    if m:
        out["published"] = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        out["evidence"].append(f"发布日期：{m.group(0)}")
    rm = meta.REPEALED.search(source.text)
    if rm:
        out["status_note"] = "已废止" if "废止" in rm.group(1) else "已失效"
        out["evidence"].append(f"文件状态：{rm.group(0)}")
    for i, b in enumerate(preamble):
        text = b.line.text.strip()
        if out["doc_number"] is None:
            d = meta.damaged_doc_number(text)
            if d:
                out["doc_number"] = d
                out["evidence"].append(f"文号：{text}")
                report.add(source.path, b.line.line, "info", f"文号“{text}”缺少括号和“号”，按 {d} 读取")
            elif len(text) <= 30 or re.search(r"(?:文号|发文字号)\s*[:：]", text):
                labelled = re.search(r"(?:文号|发文字号)\s*[:：]\s*(.*)", text)
                nums = meta.find_doc_numbers(labelled.group(1) if labelled else text)
                if nums:
                    out["doc_number"] = nums[0][0]
                    out["evidence"].append(f"文号：{text}")
        if out["date"] is None and len(text) <= 20:
            d = meta.find_date(text)
            if d:
                out["date"] = d
                out["evidence"].append(f"成文日期：{text}")
                if not meta.DATE.search(text):
                    report.add(source.path, b.line.line, "info", f"日期“{text}”缺少“月/日”，按 {d} 读取")
                prev = preamble[i - 1].line.text.strip() if i else ""
                if out["issuer"] is None and meta.ISSUER_LINE.match(prev):
                    out["issuer"] = prev
                    out["evidence"].append(f"发文机关（落款）：{prev}")
        if out["issuer"] is None:
            m = re.match(r"^([\u4e00-\u9fff]{4,40}?)(?:关于印发|关于)", text)
            if m and "的通知" in text:
                out["issuer"] = m.group(1)
                out["evidence"].append(f"发文机关（通知标题）：{m.group(1)}")
            elif text.endswith("文件") and meta.ISSUER_LINE.match(text):
                out["issuer"] = text[:-2]
                out["evidence"].append(f"发文机关（版头）：{text}")
    for key in ("issuer", "doc_number"):
        if fm.get(key) and not out[key]:
            out[key] = fm[key]
    if fm.get("date") and not out["date"]:
        out["date"] = fm["date"]
    if out["date"] is None and out["published"]:
        out["date"] = out["published"]
    return out


def _plan(source: Source, title: str, title_line: int, blocks: list[Block], shared: dict,
          places: meta.PlaceMentions, lex: Lexicon, report: Report) -> Plan:
    path = source.path
    body_text = "\n".join(b.line.text for b in blocks)
    cites: list[str] = []
    for num, _ in meta.find_doc_numbers(re.sub(r"\s+", " ", body_text)):
        if num not in cites and num != shared["doc_number"]:
            cites.append(num)
    region = meta.infer_region(title, places, lex)
    if region.county is None and region.city is None and region.province is None:
        report.add(path, title_line, "warning", "无法判断方案所属地区", "在 content/ 的更正文件中写明 region")
    period = meta.find_period(title)
    outline = build(blocks, path, report) if blocks else None
    body: tuple[Node, ...] = ()
    truncated = False
    end_line = title_line
    if outline is not None:
        state = _Freeze(path, lex, report)
        state.run_on = is_heading_style(_numbered_texts(outline.root))
        body = tuple(state.freeze_children(outline.root, "", None))
        truncated = outline.truncated
        end_line = outline.last_line
        if truncated:
            body = _mark_truncated(body)
            report.add(path, outline.last_line, "warning", "文件在条目中间截断，已保留现有内容并标为不完整",
                       "找到完整的原文后替换此文件")
        if not any(True for _ in _iter_items(body)):
            report.add(path, title_line, "warning", "方案中没有找到编号条目", "检查编号格式（一、（一）1.）")
    evidence = list(shared["evidence"]) + [f"地区：{e}" for e in region.evidence]
    pid = plan_id(region.code, title)
    return Plan(
        id=pid, title=title, issuer=shared["issuer"], region=region, date=shared["date"],
        published=shared["published"], doc_number=shared["doc_number"], period=period,
        cites=tuple(cites), status_note=shared["status_note"], body=body,
        span=SourceSpan(path, title_line, max(end_line, title_line)), truncated=truncated,
        evidence=tuple(evidence),
    )


def _numbered_texts(root: _Node) -> list[str]:
    out = []

    def walk(n: _Node):
        for c in n.children:
            if c.kind in ("number", "paren"):
                out.append(clean_text(c.title))
            walk(c)

    walk(root)
    return out


def plan_id(code: str | None, title: str) -> str:
    """Stable ASCII id: region code and a hash of the title (``330305-1a2b3c4d``)."""
    digest = hashlib.sha1(title.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{code or 'cn'}-{digest}"


def _iter_items(nodes):
    for n in nodes:
        if isinstance(n, Item):
            yield n
            yield from _iter_items(n.children)
        else:
            yield from _iter_items(n.children)


def _mark_truncated(body: tuple[Node, ...]) -> tuple[Node, ...]:
    if not body:
        return body
    last = body[-1]
    if isinstance(last, Item):
        if last.children:
            return body[:-1] + (replace(last, children=_mark_truncated(last.children)),)
        return body[:-1] + (replace(last, truncated=True),)
    return body[:-1] + (replace(last, children=_mark_truncated(last.children)),)


class _Freeze:
    """Turns builder nodes into model values: keys, kinds, headings, units, amounts."""

    def __init__(self, path: str, lex: Lexicon, report: Report):
        self.path = path
        self.lex = lex
        self.report = report
        self.lead_first = False
        self.keys: set[str] = set()
        self.next_copy: dict[str, int] = {}
        self.run_on = False

    def key(self, parent_key: str, part: str, line: int) -> str:
        key = f"{parent_key}-{part}" if parent_key else part
        if key in self.keys:
            # Remember where counting stopped: a number repeated thousands of times stays linear.
            n = self.next_copy.get(key, 2)
            while f"{key}-{n}" in self.keys:
                n += 1
            self.next_copy[key] = n + 1
            self.report.add(self.path, line, "warning", f"编号 {key} 重复，第二处记为 {key}-{n}",
                            "检查是否重复编号")
            key = f"{key}-{n}"
        self.keys.add(key)
        return key

    def span(self, n: _Node) -> SourceSpan:
        return SourceSpan(self.path, n.line, max(n.end, n.line))

    def freeze_children(self, parent: _Node, parent_key: str, kind: str | None) -> list[Node]:
        out: list[Node] = []
        bullets = 0
        for child in parent.children:
            if child.kind == "bullet":
                bullets += 1
                part = str(bullets)
            elif child.kind == "column":
                part = f"zl{child.number or len(out) + 1}"
            else:
                part = str(child.number if child.number is not None else len(out) + 1)
            out.append(self.freeze(child, self.key(parent_key, part, child.line), kind))
        return out

    def freeze(self, n: _Node, key: str, inherited: str | None) -> Node:
        if n.kind == "column":
            return self.freeze_column(n, key)
        if n.kind in ("chapter", "section"):
            title, rest = split_title(n.title) if n.title else ("", "")
            title, rest = clean_text(title), clean_text(rest)
            own_kind = self.lex.kind_for_heading(title)
            kind = own_kind or inherited
            intro = "\n".join(x for x in [rest] + [clean_text(p) for p in n.paragraphs] if x)
            if n.children:
                return Section(key, n.marker, _num(n), title, intro,
                               tuple(self.freeze_children(n, key, kind)), self.span(n), kind)
            text, units = self.units(intro)
            return self.item(n, key, kind or "measure", title or None, text, units, ())
        full = "\n".join(clean_text(x) for x in [n.title] + n.paragraphs if x)
        text, units = self.units(full)
        heading, body = split_heading(text, self.run_on, bool(n.children))
        children = tuple(self.freeze_children(n, key, inherited or "measure"))
        return self.item(n, key, inherited or "measure", heading, body, units, children)

    def units(self, text: str):
        text2, units = split_units(text, self.lead_first)
        if units and units.lead_first_rule:
            self.lead_first = True
        return text2, units

    def item(self, n: _Node, key: str, kind: str, heading, text: str, units, children) -> Item:
        lead = tuple(Unit(x, self.lex.canonical_department(x), True) for x in (units.lead if units else ()))
        others = tuple(Unit(x, self.lex.canonical_department(x), False) for x in (units.others if units else ()))
        scan = (heading or "") + "。" + text
        return Item(key=key, marker=n.marker or "——", number=_num(n), kind=kind, heading=heading,
                    text=text, lead_units=lead, units=others, amounts=find_amounts(scan),
                    figures=find_figures(scan), children=children, span=self.span(n))

    def freeze_column(self, n: _Node, key: str) -> Node:
        title = clean_text(n.title)
        marker = f"专栏{n.number}" if n.number is not None else "专栏"
        numbered = [c for c in n.children if c.kind == "number"]
        if numbered:
            children = tuple(self.freeze_children(n, key, "column"))
            children = tuple(replace(c, kind="column") if isinstance(c, Item) else c for c in children)
            intro = "\n".join(clean_text(p) for p in n.paragraphs)
            return Section(key, marker, str(n.number or ""), title, intro, children, self.span(n), "column")
        text = "\n".join(clean_text(p) for p in n.paragraphs)
        cells = tuple(clean_text(c) for c in n.cells)
        scan = title + "。" + text
        return Item(key=key, marker=marker, number=str(n.number or ""), kind="column", heading=title or None,
                    text=text, lead_units=(), units=(), amounts=find_amounts(scan),
                    figures=find_figures(scan), children=(), span=self.span(n), table=cells)


def _num(n: _Node) -> str:
    if n.kind == "bullet":
        return "——"
    if n.number is None:
        return ""
    if n.kind in ("chapter", "section"):
        from .blocks import int_to_cn
        return int_to_cn(n.number)
    return str(n.number)
