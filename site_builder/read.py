"""Bytes to text: encodings, BOM, line endings, and the article body of saved web pages."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

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


def find_sources(seeds_dir: Path) -> list[Path]:
    """Every input file under the seeds folder, in a stable order."""
    if not seeds_dir.is_dir():
        return []
    return sorted(
        p for p in seeds_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


def decode(data: bytes) -> tuple[str, str] | None:
    """Text and encoding name, or None when the bytes are not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text, "gb18030"


def read_source(path: Path, display: str, report: Report) -> Source | None:
    """Read one file; report and return None when it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.add(display, None, "error", f"无法读取文件：{exc.strerror}", "检查文件权限")
        return None
    decoded = decode(data)
    if decoded is None:
        report.add(display, None, "error", "文件不是文本（含二进制内容或未知编码）",
                   "请另存为 UTF-8 或 GB18030 编码的 .txt")
        return None
    text, encoding = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    meta: tuple[tuple[str, str], ...] = ()
    suffix = path.suffix.lower()
    if suffix == ".md":
        text, meta = split_front_matter(text)
    elif suffix in (".html", ".htm"):
        text, meta = html_article(text)
    if not text.strip():
        report.add(display, None, "warning", "文件为空，已跳过", "放入方案正文后重新构建")
        return None
    return Source(display, text, encoding, meta)


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``---\\ntitle: …\\n---`` at the top of a Markdown file; the body keeps its line numbers."""
    m = _FRONT.match(text)
    if not m:
        return text, ()
    pairs = []
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            pairs.append((k.strip(), v.strip().strip("'\"")))
    # Blank lines in place of the front matter keep every later line number true to the file.
    body = "\n" * m.group(0).count("\n") + text[m.end():]
    body = re.sub(r"^#{1,6}\s*", "", body, flags=re.M)
    return body, tuple(pairs)


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
