"""Audit a built site before publishing: links and anchors, lang, page size, inline code, other hosts."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic

PAGE_BUDGET = 300 * 1024
"""Largest HTML page in bytes (300 KiB): a phone on a slow connection should still open it."""

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
# Attributes holding a URL, and the (tag, attribute) pairs a browser fetches without a click.
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "cite", "background", "srcset")
LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
         ("frame", "src"), ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"),
         ("audio", "src"), ("track", "src"), ("embed", "src"), ("object", "data"), ("input", "src"),
         ("form", "action"), ("button", "formaction"), ("input", "formaction")}
# url(//host/…) or @import "https://…" in a stylesheet.
_CSS_REMOTE = re.compile(r"url\(\s*['\"]?\s*((?:https?:)?//[^'\")\s]+)|@import\s+['\"]((?:https?:)?//[^'\"]+)")
# <link rel> values that name a page rather than fetch it.
NOT_FETCHED_RELS = {"canonical", "alternate", "author", "license", "help", "next", "prev", "search"}


@dataclass(frozen=True)
class _Ref:
    line: int
    tag: str
    attr: str
    url: str
    rel: str


class _Page(HTMLParser):
    """What the audit reads from one page, with source lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[_Ref] = []
        self.langs: list[tuple[int, str | None]] = []
        self.inline: list[tuple[int, str]] = []
        self._script_line: int | None = None

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "html":
            self.langs.append((line, a.get("lang")))
        if tag == "script":
            # A JSON data block (structured data) is not code; any other script without src is.
            if "src" not in a and a.get("type", "").lower() not in ("application/json", "application/ld+json"):
                self._script_line = line
        elif tag == "style":
            self.inline.append((line, "内联样式 <style>"))
        for name, value in a.items():
            if name.startswith("on"):
                self.inline.append((line, f"内联脚本：<{tag} {name}=…>"))
            elif name == "style":
                self.inline.append((line, f"内联样式：<{tag} style=…>"))
            elif name in URL_ATTRS:
                urls = [p.strip().split(" ")[0] for p in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    self.refs.append(_Ref(line, tag, name, url, a.get("rel", "").lower()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_line is not None:
            self.inline.append((self._script_line, "内联脚本 <script>"))
            self._script_line = None


def _scheme(url: str) -> str | None:
    # Browsers drop tabs and newlines anywhere and spaces and controls around a URL.
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00- ").lower()
    m = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return m.group(1) if m else None


def audit_site(site: Path, budget: int = PAGE_BUDGET) -> list[Diagnostic]:
    """Every problem in a built site, as findings at ``page:line`` (paths relative to the site)."""
    found: list[Diagnostic] = []

    def add(path: str, line: int | None, message: str) -> None:
        found.append(Diagnostic(path, line, "error", message))

    if not (site / "index.html").is_file():
        return [Diagnostic(site.as_posix(), None, "error", "不是生成好的网站：没有 index.html")]
    pages: dict[str, _Page] = {}
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        data = f.read_bytes()
        if len(data) > budget:
            add(rel, None, f"页面 {len(data) / 1024:.0f} KB，超过 {budget // 1024} KB 的上限")
        page = _Page()
        page.feed(data.decode("utf-8", errors="replace"))
        page.close()
        pages[rel] = page
    for rel, page in pages.items():
        if not page.langs:
            add(rel, None, "没有 <html> 元素，无法标明页面语言")
        for line, lang in page.langs:
            if not (lang or "").strip():
                add(rel, line, "<html> 缺少 lang 属性（读屏软件据此选择语言和读音）")
        for line, what in page.inline:
            add(rel, line, what)
        for ref in page.refs:
            problem = _check_ref(site, rel, ref, pages)
            if problem:
                add(rel, ref.line, problem)
    for f in sorted(site.rglob("*.css")):
        rel = f.relative_to(site).as_posix()
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in _CSS_REMOTE.finditer(text):
            add(rel, text.count("\n", 0, m.start()) + 1, f"从其他网站加载资源：{m.group(1) or m.group(2)}")
    return sorted(found, key=lambda d: (d.path, d.line or 0, d.message))


def _check_ref(site: Path, page: str, ref: _Ref, pages: dict[str, _Page]) -> str | None:
    url = ref.url.strip()
    scheme = _scheme(url)
    fetched = (ref.tag, ref.attr) in LOADS and not (ref.tag == "link" and set(ref.rel.split()) <= NOT_FETCHED_RELS
                                                    and ref.rel)
    if scheme == "javascript":
        return f"内联脚本：<{ref.tag} {ref.attr}=\"javascript:…\">"
    if scheme and scheme not in ALLOWED_SCHEMES:
        return f"不允许的链接协议 {scheme}:（只用 http、https、mailto、tel 或相对链接）"
    if scheme or url.startswith("//"):
        if fetched and scheme not in ("mailto", "tel"):
            return f"从其他网站加载资源：<{ref.tag} {ref.attr}=\"{url}\">"
        return None  # a link to another site: followed only when clicked
    if ref.tag == "form" and url == "":
        return None  # a form that submits to its own page
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if path.startswith("/"):
        return f"以 / 开头的链接 {url}：网站放在子路径下时会失效，请用相对链接"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    if target == ".." or target.startswith("../"):
        return f"链接 {url} 指向网站文件夹之外"
    file = site / target
    if path and (path.endswith("/") or file.is_dir()):
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
        file = site / target
    if not file.is_file():
        return f"链接指向不存在的文件：{url}"
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"链接的锚点不存在：{url}（{target} 中没有 id=\"{fragment}\"）"
    return None


__all__ = ["PAGE_BUDGET", "audit_site"]
