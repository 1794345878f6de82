"""Pages to HTML with Jinja2: autoescape on, StrictUndefined, links made relative per page."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .config import Config
from .library import Library
from .routes import Page, relative, url_for


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["highlight"] = highlight
    env.filters["paragraphs"] = paragraphs
    env.filters["excerpt"] = excerpt
    return env


def render(env: jinja2.Environment, page: Page, lib: Library, config: Config, live_reload: bool = False) -> str:
    def url(target) -> str:
        return relative(page.path, url_for(target))

    template = env.get_template(page.template)
    return template.render(site=config, page=page, url=url, lib=lib, live_reload=live_reload, **page.context)


def highlight(text: str, words) -> Markup:
    """Escape text, then wrap each evidence word in <mark>, in one pass so marks never nest."""
    # Longest first so 农民工 wins over 农民 at the same place; ties in a fixed order so the page
    # does not change with Python's hash seed.
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not ordered:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(w) for w in ordered))
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [str(escape(text[last:m.start()])), f"<mark>{escape(m.group(0))}</mark>"]
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def excerpt(text: str, words, width: int = 120) -> str:
    """About ``width`` characters of text around the first evidence word, with … where cut."""
    if len(text) <= width:
        return text
    hits = [i for i in (text.find(w) for w in words if w) if i >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    # Start at a sentence or clause boundary when one is near, so the excerpt reads as Chinese.
    if start:
        cut = max(text.rfind(p, max(0, start - 20), start + 10) for p in "。；，")
        start = cut + 1 if cut >= 0 else start
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def paragraphs(text: str) -> Markup:
    parts = [p for p in text.split("\n") if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))

