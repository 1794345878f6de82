"""Bytes to text: encodings, BOM, line endings, and the article body of saved web pages."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from .diagnostics import Report

SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class Source:
    """One input file as text."""

    path: str
    """Path relative to the project (or as given), used in diagnostics and open data."""
    text: str
    """Decoded text with LF line endings and no BOM."""
    encoding: str
    """The encoding it was decoded with."""
    front_matter: tuple[tuple[str, str], ...] = ()
    """``key: value`` pairs from Markdown front matter or a web page's metadata block."""


MAX_BYTES = 2 * 1024 * 1024
"""Largest input file read (2 MiB, ~25 times the longest bundled plan): a bigger file is refused
with an error instead of holding up every build for minutes and producing a page nobody can load."""

# Characters dropped from input text: C0/C1 controls (but tab and newline) and the bidirectional
# overrides and isolates that can make a title display differently from what it says.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def find_sources(seeds_dir: Path, report: Report | None = None,
                 display: Callable[[Path], str] = Path.as_posix) -> list[Path]:
    """Every input file under the seeds folder, in a stable order. Skips hidden files and folders
    (a leading dot) and links that lead outside the folder, reporting the files it skips."""
    if not seeds_dir.is_dir():
        return []
    root = seeds_dir.resolve()
    out = []
    for p in sorted(seeds_dir.rglob("*")):
        if p.suffix.lower() not in SUFFIXES or not p.is_file():
            continue
        parts = p.relative_to(seeds_dir).parts
        if any(part.startswith(".") for part in parts[:-1]):
            continue  # inside a hidden folder such as .git: not meant as input
        if parts[-1].startswith("."):
            _skip(report, display(p), "文件名以点开头，视为隐藏文件，已跳过", "如需收录，请去掉文件名开头的点")
            continue
        if not p.resolve().is_relative_to(root):
            _skip(report, display(p), "链接指向 seeds 文件夹之外，已跳过", "把文件本身复制到 seeds/ 中")
            continue
        out.append(p)
    return out


def _skip(report: Report | None, path: str, message: str, hint: str) -> None:
    if report is not None:
        report.add(path, None, "warning", message, hint)


def _line_of(text: str, offset: int | None = None) -> int:
    """1-based line of a character offset (default: the end), counting \\r\\n, \\n and \\r as
    one break each."""
    head = text if offset is None else text[:offset]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


@dataclass(frozen=True)
class NotText:
    """Where bytes stop being text."""

    line: int
    """1-based line of the first NUL or undecodable byte."""


def decode(data: bytes) -> tuple[str, str] | NotText:
    """Text and encoding name, or where the bytes stop being text."""

    def not_text(offset: int, encoding: str) -> NotText:
        return NotText(_line_of(data[:offset].decode(encoding, errors="replace")))

    # A marker only says what the bytes should be: bytes that break it are not text.
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            return not_text(exc.start + 3, "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            return not_text(exc.start, "utf-16")
    if b"\x00" in data:
        return not_text(data.index(b"\x00"), "latin-1")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        return not_text(exc.start, "latin-1")


def _line_endings(text: str, display: str, report: Report) -> None:
    """A note when a file mixes line endings, since editors disagree on where its lines are."""
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    if sum(1 for n in (crlf, lone_cr, lone_lf) if n) < 2:
        return
    # Point at the first line that ends differently from the first line.
    ends = list(re.finditer(r"\r\n|\r|\n", text))
    other = next(m for m in ends if m.group(0) != ends[0].group(0))
    level = "warning" if lone_cr else "info"
    report.add(display, _line_of(text, other.start()), level,
               f"行尾混用（CRLF {crlf} 处，LF {lone_lf} 处，单独的 CR {lone_cr} 处）；行号把每种都算作换行",
               "用编辑器统一为 LF 或 CRLF 后保存")


def read_source(path: Path, display: str, report: Report, data: bytes | None = None) -> Source | None:
    """Read one file; report and return None when it cannot be used. ``data``: its bytes when the
    caller has already read them (at most MAX_BYTES)."""
    try:
        size = len(data) if data is not None else path.stat().st_size
        if size > MAX_BYTES:
            report.add(display, None, "error",
                       f"文件有 {size / 1024 / 1024:.1f} MB，超过单个文件 {MAX_BYTES // 1024 // 1024} MB 的上限，已跳过",
                       "检查是否放错了文件；一个方案的纯文本通常不到 200 KB")
            return None
        if data is None:
            data = path.read_bytes()
    except OSError as exc:
        report.add(display, None, "error", f"无法读取文件：{exc.strerror}", "检查文件权限")
        return None
    decoded = decode(data)
    if isinstance(decoded, NotText):
        report.add(display, decoded.line, "error", "文件不是文本（含二进制内容或未知编码）",
                   "PDF、Word 等文件请先另存为 UTF-8 或 GB18030 编码的纯文本")
        return None
    text, encoding = decoded
    if encoding == "gb18030":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data[:exc.start].decode("latin-1"))
            report.add(display, line, "info", "文件不是 UTF-8，按 GB18030（GBK）读取")
    _line_endings(text, display, report)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _INVISIBLE.sub("", text)
    meta: tuple[tuple[str, str], ...] = ()
    suffix = path.suffix.lower()
    if suffix == ".md":
        text, meta = split_front_matter(text)
    elif suffix in (".html", ".htm"):
        text, meta = html_article(text)
    _markup_note(text, display, report)
    if not text.strip():
        report.add(display, 1, "warning", "文件为空（没有可读的文字），已跳过", "放入方案正文后重新构建")
        return None
    return Source(display, text, encoding, meta)


# An HTML tag or a script URL in the text: shown as text on the site, but worth telling the editor,
# since it usually means page source or a script was pasted in with the plan.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|\bjavascript\s*:", re.I)


def _markup_note(text: str, display: str, report: Report) -> None:
    lines = [n for n, line in enumerate(text.split("\n"), 1) if _MARKUP.search(line)]
    if lines:
        first = _MARKUP.search(text.split("\n")[lines[0] - 1]).group(0)
        report.add(display, lines[0], "warning",
                   f"{len(lines)} 行含有 HTML 标记或脚本链接（如 {first[:40]}），网站上按原样显示为文字",
                   "如是粘贴时带进来的网页代码，请从源文件中删去")


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``---\\ntitle: …\\n---`` at the top of a Markdown file; the body keeps its line numbers."""
    m = _FRONT.match(text)
    if not m:
        return _strip_heading_marks(text), ()
    pairs = []
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            pairs.append((k.strip(), v.strip().strip("'\"")))
    # Blank lines in place of the front matter keep every later line number true to the file.
    body = "\n" * m.group(0).count("\n") + text[m.end():]
    return _strip_heading_marks(body), tuple(pairs)


def _strip_heading_marks(text: str) -> str:
    """``## 一、…`` → ``一、…``: CommonMark headings (one to six #, then a space or the line end)."""
    return re.sub(r"^ {0,3}#{1,6}(?:[ \t]+|$)", "", text, flags=re.M)


class _Article(HTMLParser):
    """Collects text lines outside script/style/nav/header/footer, keeping source line numbers."""

    SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "form"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
             "article", "td", "th", "dt", "dd", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.lines: dict[int, list[str]] = {}
        self.meta: list[tuple[str, str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            a = dict(attrs)
            name = a.get("name") or a.get("property")
            if name and a.get("content"):
                self.meta.append((name, a["content"]))
        if tag in self.BLOCK:
            self._newline()

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self._newline()

    def _newline(self):
        line = self.getpos()[0]
        self.lines.setdefault(line, []).append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self.skip:
            return
        line = self.getpos()[0]
        for offset, part in enumerate(data.split("\n")):
            self.lines.setdefault(line + offset, []).append(part)


def html_article(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The readable text of a saved web page, each text line kept on its source line."""
    parser = _Article()
    parser.feed(text)
    parser.close()
    total = text.count("\n") + 1
    out = []
    for n in range(1, total + 1):
        pieces = "".join(parser.lines.get(n, []))
        # A block boundary inside one source line is folded with spaces; line numbers stay true.
        out.append(" ".join(s.strip() for s in pieces.split("\n") if s.strip()))
    meta = list(parser.meta)
    if parser.title.strip():
        meta.append(("html_title", html.unescape(parser.title.strip())))
    return "\n".join(out), tuple(meta)
