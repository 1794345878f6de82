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
    return env


def render(env: jinja2.Environment, page: Page, lib: Library, config: Config) -> str:
    def url(target) -> str:
        return relative(page.path, url_for(target))

    template = env.get_template(page.template)
    return template.render(site=config, page=page, url=url, lib=lib, **page.context)


def highlight(text: str, words) -> Markup:
    """Escape text, then wrap each evidence word in <mark>."""
    safe = str(escape(text))
    # Longest first so a word inside a longer one is not marked twice; ties in a fixed order so
    # the page does not change with Python's hash seed.
    for w in sorted({str(escape(w)) for w in words if w}, key=lambda w: (-len(w), w)):
        safe = re.sub(re.escape(w), lambda m: f"<mark>{m.group(0)}</mark>", safe)
    return Markup(safe)


def paragraphs(text: str) -> Markup:
    parts = [p for p in text.split("\n") if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))

