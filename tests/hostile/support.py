"""Helpers for the hostile-input tests: an independent markup checker, tree digests, CLI runs."""
from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"

# Elements no content may ever turn into; the site's own templates use none of them except the
# search page's module script, which is allowed only as described in MarkupAudit.
FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg",
                  "math", "style", "template", "portal"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc",
             "manifest", "ping", "xlink:href", "codebase", "archive", "usemap", "icon", "lowsrc", "dynsrc"}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see: it drops leading/trailing spaces and controls and removes
    tabs and newlines anywhere, so ``java\\tscript:`` and `` JAVASCRIPT:`` are both javascript."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00- ").lower()
    m = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return m.group(1) if m else None


class MarkupAudit(HTMLParser):
    """Everything on one page that could run or restyle something, and the page's visible text.

    Allowed: ``<script type="module" src=…>`` with an empty body whose src resolves to a file the
    templates' ``static/`` folder ships (``assets/<name>``)."""

    def __init__(self, page: str, static_files: set[str]):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.static_files = static_files
        self.problems: list[str] = []
        self.text: list[str] = []
        self._script: list[str] | None = None

    def _asset(self, src: str) -> str | None:
        if url_scheme(src) or src.startswith(("/", "//")):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), src.split("#")[0]))
        return target if target in self.static_files else None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            # Only the site's own files: a src into templates/static, nothing inline.
            ok = a.get("src") and self._asset(a["src"]) and set(a) <= {"type", "src", "defer"} \
                and a.get("type") in (None, "module")
            if not ok:
                self.problems.append(f"{self.page}: <script {attrs}>")
            self._script = []
        elif tag == "svg" and a.get("focusable") == "false" and not any(n.startswith("on") for n in a):
            pass  # a chart or legend swatch the templates draw (compare.html); content is never markup
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"{self.page}: <{tag}>")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"{self.page}: <meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{self.page}: <{tag}> has event attribute {name}={value!r}")
            elif name == "srcdoc":
                self.problems.append(f"{self.page}: <{tag}> has srcdoc")
            elif value is not None and (name in URL_ATTRS or name == "srcset"):
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    scheme = url_scheme(url)
                    if scheme and scheme not in ALLOWED_SCHEMES:
                        self.problems.append(f"{self.page}: <{tag} {name}={value!r}> uses {scheme}:")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if "".join(self._script).strip():
                self.problems.append(f"{self.page}: inline script body {''.join(self._script)[:60]!r}")
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)


def audit_markup(site: Path, templates: Path = ROOT / "templates") -> tuple[list[str], dict[str, str]]:
    """(problems, page → visible text) for every HTML page of a built site."""
    static = {"assets/" + p.relative_to(templates / "static").as_posix()
              for p in (templates / "static").rglob("*") if p.is_file()}
    problems: list[str] = []
    texts: dict[str, str] = {}
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        parser = MarkupAudit(rel, static)
        parser.feed(f.read_text(encoding="utf-8"))
        parser.close()
        problems += parser.problems
        texts[rel] = "".join(parser.text)
    return problems, texts


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under root (symlinks as their target text)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            data = os.readlink(p).encode() if p.is_symlink() else p.read_bytes()
            out[rel] = hashlib.sha256(data).hexdigest()
    return out


def run_cli(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m site_builder …`` in cwd with the project's content and templates."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def project_args() -> list[str]:
    return ["--content", str(ROOT / "content"), "--templates", str(ROOT / "templates")]


def cbor(data: bytes, i: int = 0):
    """(value, next offset) of the CBOR item at data[i]: the subset Pagefind's index files use."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise ValueError(f"CBOR item {head:#x} at {i - 1} not supported")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return data[i:i + n], i + n
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major in (4, 5):
        out = []
        for _ in range(n * (2 if major == 5 else 1)):
            value, i = cbor(data, i)
            out.append(value)
        return (out if major == 4 else dict(zip(out[::2], out[1::2]))), i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise ValueError(f"CBOR major type {major} not supported")


def pagefind_file(path: Path):
    """A Pagefind index file decoded: gzip, the ``pagefind_dcd`` signature, then one CBOR item."""
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd"), path
    value, end = cbor(data, len(b"pagefind_dcd"))
    assert end == len(data), path
    return value
