"""Physical lines to logical lines: PDF line counters, page numbers, soft wraps, flowed headings."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from ..diagnostics import Report


@dataclass(frozen=True)
class Line:
    """A logical line of text and the physical line it starts on."""

    text: str
    """The text, stripped of surrounding whitespace."""
    line: int
    """1-based physical line where it starts."""
    end: int
    """1-based physical line where it ends (after joins)."""
    weak: bool = False
    """True when it starts with a bare number split out of flowed text, which the outline
    builder may still judge to be a page number rather than an item number."""
    starts: tuple[tuple[int, int], ...] = ()
    """(character offset, physical line) where each joined physical line begins in ``text``."""

    def line_at(self, offset: int) -> int:
        """The physical line of a character offset in ``text``."""
        line = self.line
        for off, ln in self.starts:
            if off <= offset:
                line = ln
        return line

    def cut(self, start: int, end: int, **changes) -> "Line":
        """The part ``text[start:end]`` as a Line with its own start line and offsets."""
        part = self.text[start:end]
        lead = len(part) - len(part.lstrip())
        part = part.strip()
        begin = start + lead
        starts = tuple((off - begin, ln) for off, ln in self.starts if begin < off < begin + len(part))
        first = self.line_at(begin)
        last = starts[-1][1] if starts else first
        return replace(self, text=part, line=first, end=last, starts=starts, **changes)


CN_DIGITS = "一二三四五六七八九十"
TERMINAL = "。；;！？!?）)”」』"
# Any marker a line can start with; used to avoid joining a line onto a heading.
MARKER_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|[一二三四五六七八九十]{1,3}\s*[）)]|\d{1,3}\s*[.．、]|[（(]\s*\d{1,3}\s*[）)]|——|专栏\s*\d)"
)

LineRule = Callable[[list[Line], str, Report], list[Line]]
RULES: list[tuple[str, LineRule]] = []


def rule(fn: LineRule) -> LineRule:
    """Register a cleanup rule; rules run in the order they are defined."""
    RULES.append((fn.__name__, fn))
    return fn


_CHROME = [
    re.compile(r"^首页(?:\s|»|>|$).*(?:公开|指南|目录|意见箱|导航)"),
    re.compile(r"(?:您现在的位置|当前位置)\s*[:：]"),
    re.compile(r"(?:发布日期|发布时间|来源|作者)\s*[:：].*(?:阅读次数|浏览次数|字体|来源)"),
    re.compile(r"^字体\s*[:：]?\s*[\[【]"),
    re.compile(r"^(?:【\s*)?(?:打印本页|关闭窗口|打印|关闭|返回顶部|分享到)(?:\s*】)?$"),
]


@rule
def drop_web_chrome(lines: list[Line], path: str, report: Report) -> list[Line]:
    """``首页 公开指南 公开目录 …`` / ``您现在的位置是: 首页» …`` / ``发布日期:… | 阅读次数:`` —
    navigation and page furniture of a saved web page (metadata reads the raw text separately)."""
    return [l for l in lines if not any(p.search(l.text) for p in _CHROME)]


@rule
def strip_pdf_line_counters(lines: list[Line], path: str, report: Report) -> list[Line]:
    """``1、 金普新区…`` / ``2、彻落实…`` — a counter the PDF extractor put before every line.

    Taken only when most lines carry it and it counts up by one, so a real list is left alone.
    """
    pat = re.compile(r"^(\d{1,4})、\s*")
    nums = [(i, pat.match(l.text)) for i, l in enumerate(lines)]
    hits = [(i, int(m.group(1))) for i, m in nums if m]
    if len(hits) < 3 or len(hits) < 0.8 * len(lines):
        return lines
    consecutive = sum(1 for (_, a), (_, b) in zip(hits, hits[1:]) if b == a + 1)
    if consecutive < 0.8 * (len(hits) - 1):
        return lines
    out = list(lines)
    for i, m in nums:
        if m:
            out[i] = replace(out[i], text=out[i].text[m.end():])
    report.add(path, lines[hits[0][0]].line, "info",
               f"去掉了 PDF 提取留下的 {len(hits)} 个行号（1、2、3…）")
    return out


@rule
def join_soft_wraps(lines: list[Line], path: str, report: Report) -> list[Line]:
    """``…牢固树立和贯`` + ``彻落实…`` — a long line broken mid-sentence by the extractor.

    Joined when the first line is long, does not end a sentence, and the next line follows it
    directly (no blank line) and does not start with a marker.
    """
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (prev is not None and ln.line == prev.end + 1 and len(prev.text) >= 40
                and prev.text[-1] not in TERMINAL + "：:" and not MARKER_START.match(ln.text)
                and not ln.text.startswith(("专栏",))):
            # PDF wraps break words: no space is added between CJK characters.
            sep = "" if _cjk(prev.text[-1]) or _cjk(ln.text[0]) else " "
            starts = prev.starts + ((len(prev.text) + len(sep), ln.line),)
            out[-1] = replace(prev, text=prev.text + sep + ln.text, end=ln.end, starts=starts)
        else:
            out.append(ln)
    return out


# A bare number standing between spaces, e.g. `… 改革 4 试点 …` or `…振兴。 2 (二)…`.
_BARE = re.compile(r"(?:(?<=\s)|^)(\d{1,3})\s+(?=\S)")


@rule
def drop_page_numbers(lines: list[Line], path: str, report: Report) -> list[Line]:
    """``推进农业共营制改革 4 试点工作`` / ``(牵头 3 单位:`` — page numbers left inside sentences.

    A bare number between spaces is a page number when it continues the page count (1, 2, 3 …)
    and stands where no item can start: inside a sentence (after a character that does not end
    one), before another marker, or at the very start of the file.
    """
    page = 0
    out: list[Line] = []
    dropped = 0
    first = True
    for ln in lines:
        text = ln.text
        pieces = []
        pos = 0
        for m in _BARE.finditer(text):
            n = int(m.group(1))
            if not (page < n <= page + 2):
                continue
            before = text[:m.start()].rstrip()
            after = text[m.end():]
            mid_sentence = bool(before) and before[-1] not in TERMINAL + "：:"
            before_marker = bool(MARKER_START.match(after)) or bool(re.match(r"\d{1,3}\s", after))
            at_start = first and not before
            if mid_sentence or before_marker or at_start:
                # Blanked, not removed, so offsets into the text keep pointing at their lines.
                pieces.append(text[pos:m.start()] + " " * (m.end() - m.start()))
                pos = m.end()
                page = n
                dropped += 1
        pieces.append(text[pos:])
        new = "".join(pieces) if len(pieces) > 1 else text
        out.append(replace(ln, text=new))
        first = False
    if dropped:
        report.add(path, lines[0].line if lines else None, "info",
                   f"去掉了正文中的 {dropped} 个页码")
    return [l for l in out if l.text.strip()]


# Inline markers in flowed text: chapter `一、`, section `(一)`, or a bare item number after a
# sentence end. Each must follow whitespace, as extractors leave it.
_INLINE = re.compile(
    r"\s+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]))"
    r"|(?<=[。；;）)”])\s+(?=\d{1,2}\s+[\u4e00-\u9fff“《])"
)
# A heading in flowed text ends at the first gap: `(一)技能人才激励 1 完善…`.
_FLOWED_HEADING = re.compile(
    r"^((?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])\s*[^\s。；;]{2,30})\s+(?=\S)"
)
_WEAK_START = re.compile(r"^\d{1,2}\s+(?=[\u4e00-\u9fff“《])")


@rule
def split_flowed_text(lines: list[Line], path: str, report: Report) -> list[Line]:
    """``…精神。 一、总体要求 (一)指导思想 全面贯彻… 1 完善技术工人…`` — a PDF page run together.

    Splits before inline chapter/section markers and before bare item numbers that follow a
    sentence end; a flowed heading ends at its first space. Bare numbers stay ``weak``.
    """
    out: list[Line] = []
    for ln in lines:
        ln = ln.cut(0, len(ln.text))
        bounds = [0] + [m.end() for m in _INLINE.finditer(ln.text)] + [len(ln.text)]
        parts = [ln.cut(a, b) for a, b in zip(bounds, bounds[1:]) if ln.text[a:b].strip()]
        if len(parts) == 1 and not _FLOWED_HEADING.match(ln.text) and not _WEAK_START.match(ln.text):
            out.append(ln)
            continue
        for part in parts:
            m = _FLOWED_HEADING.match(part.text)
            segs = [part.cut(0, m.end(1)), part.cut(m.end(1), len(part.text))] if m and len(parts) > 1 else [part]
            for seg in segs:
                if seg.text:
                    out.append(replace(seg, weak=bool(_WEAK_START.match(seg.text))))
    return out


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch in "，。、；：“”（）《》"


def logical_lines(text: str, path: str, report: Report) -> list[Line]:
    """Run every cleanup rule over the non-blank physical lines of a file."""
    lines = [Line(t.strip(), i, i) for i, t in enumerate(text.split("\n"), 1) if t.strip()]
    lines = [replace(l, text=l.text.replace("\u3000", " ").replace("\xa0", " ")) for l in lines]
    for _name, fn in RULES:
        lines = fn(lines, path, report)
    return lines
