"""Pages to HTML with Jinja2: autoescape on, StrictUndefined, links made relative per page."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .config import Config
from .diagnostics import Diagnostic, display_path
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
        # Each build makes its own environment, so a template never changes under it: no stat of
        # the template files at every page and every card.
        auto_reload=False,
    )
    env.filters["highlight"] = highlight
    env.filters["paragraphs"] = paragraphs
    env.filters["excerpt"] = excerpt
    return env


def render(env: jinja2.Environment, page: Page, lib: Library, config: Config, live_reload: bool = False,
           cards: Cards | None = None) -> str:
    """``cards``: entry cards already rendered by this process in this build, to reuse."""
    def url(target) -> str:
        return relative(page.path, url_for(target))

    template = env.get_template(page.template)
    card = (cards or Cards(env, lib)).for_page(page.path, url)
    return template.render(site=config, page=page, url=url, lib=lib, live_reload=live_reload, card=card,
                           **page.context)


class Cards:
    """Entry cards (the ``entry_card`` macro), each rendered once and reused by every list page
    showing it: a measure is on its group's page, on a page per kind of help and on department
    pages, and card macros were most of the time spent rendering them.

    A card links only into ``plans/``; from a page outside it that link is the way up to the site
    root and down again, so a card is kept with a mark where the way up goes and another where its
    heading level goes, both replaced per page. Pages inside ``plans/`` render their cards directly.

    A measure's card differs from list to list only in its heading level and in the words that
    show it is for the list's group; what it says of the measure whatever the list (amounts,
    departments, plan: ``entry_facts``) is rendered once per measure. At 300 plans the 12,544
    measures shown in lists made 47,776 cards, each of which rendered those facts again."""

    MARK = "\x00"
    """Where a card's links go up to the site root (``marked`` below spells it out in Markup)."""
    LEVEL = Markup("\x01")
    """A kept card's heading level: inside ``<h…`` and ``</h…``, where escaped text cannot put it."""
    DEEPEST = 6
    """The deepest heading level HTML has: a card deeper in a list is an h6."""
    LIMIT = 100_000
    """Cards, and facts, kept at most. Pages come group by group and a group's cards serve only its
    own pages, so cards are dropped when the group changes (the largest group at 3,000 plans had
    42,570 measures). Facts serve every group, so they are dropped only at this limit."""

    def __init__(self, env: jinja2.Environment, lib: Library):
        self.env = env
        self.lib = lib
        self.kept: dict[tuple[str, str], Markup] = {}
        self.facts: dict[str, Markup] = {}
        self._group: str | None = None
        """The group whose cards ``kept`` holds."""
        self._module = None

    def macro(self, *args) -> Markup:
        return self._macros().entry_card(*args)

    def _facts(self, e) -> Markup:
        return self._kept(self.facts, e.id, lambda: self._macros().entry_facts(e, self.lib, self._marked))

    def _card(self, e, group_slug: str) -> Markup:
        if group_slug != self._group:
            self.kept.clear()
            self._group = group_slug
        return self._kept(self.kept, (e.id, group_slug),
                          lambda: self.macro(e, self.lib, self._marked, group_slug, self.LEVEL, self._facts(e)))

    def _kept(self, store: dict, key, make) -> Markup:
        """``store[key]``, made when missing; the store is emptied when it holds ``LIMIT``."""
        html = store.get(key)
        if html is None:
            if len(store) >= self.LIMIT:
                store.clear()
            html = store[key] = make()
        return html

    def _macros(self):
        # Looked up when first used, inside a page's rendering, so a broken template is reported
        # against that page like any other template error.
        if self._module is None:
            self._module = self.env.get_template("_macros.html").module
        return self._module

    def _marked(self, target) -> str:
        # Only ever written inside href="…", where escaped text cannot put it.
        return self.MARK + url_for(target)

    def for_page(self, path: str, url):
        """``card(entry, group slug, heading level)`` for the page at ``path`` whose links ``url``
        makes; a level past ``DEEPEST`` is ``DEEPEST``."""
        if path.startswith("plans/"):
            return self.direct(url)
        marked, here = Markup('href="\x00'), Markup('href="') + "../" * path.count("/")
        opened, closed = Markup("<h") + self.LEVEL, Markup("</h") + self.LEVEL

        def card(e, group_slug: str, level: int) -> Markup:
            n = min(level, self.DEEPEST)
            return self._card(e, group_slug).replace(marked, here).replace(opened, Markup("<h{}").format(n)) \
                .replace(closed, Markup("</h{}").format(n))
        return card

    def direct(self, url):
        """``card(entry, group slug, heading level)`` rendered for one page alone, none kept."""
        return lambda e, group_slug, level: self.macro(e, self.lib, url, group_slug, min(level, self.DEEPEST))


def template_error(exc: jinja2.TemplateError, templates: Path, page: Page) -> Diagnostic:
    """A broken template as one finding at its file and line, not a traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno
    else:
        # Jinja2 rewrites tracebacks so template frames carry the template's file and line.
        where, line = str(templates / page.template), None
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".html") and Path(name).resolve().is_relative_to(templates.resolve()):
                where, line = name, tb.tb_lineno
            tb = tb.tb_next
    message = f"模板出错：{exc.message or type(exc).__name__}（生成 {page.path} 时）"
    return Diagnostic(display_path(Path(where)), line, "error", message, "修正模板后重新构建；上一次的网站保持不变")


def highlight(text: str, words) -> Markup:
    """Escape text and wrap each evidence word in <mark>.

    Words are found in the raw text, not the escaped one, so a word can never match inside an
    entity (``&amp;``) or inside a <mark> already placed. Longest first, and a word overlapping one
    already marked is skipped; ties in a fixed order so the page does not change with the hash seed.
    """
    taken: list[tuple[int, int]] = []
    for w in sorted({w for w in words if w}, key=lambda w: (-len(w), w)):
        start = text.find(w)
        while start >= 0:
            end = start + len(w)
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
            start = text.find(w, start + 1)
    out, pos = [], 0
    for a, b in sorted(taken):
        out += [escape(text[pos:a]), Markup("<mark>{}</mark>").format(text[a:b])]
        pos = b
    return Markup("").join(out + [escape(text[pos:])])


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
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in parts)



def minify_css(css: str) -> str:
    """Our stylesheets without comments and layout whitespace: every page loads them before a reader
    does anything, and phones on slow networks pay for each byte. Quoted strings are left alone."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # first, so a quote in a comment is no string
    parts = re.split(r'("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')', css)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        part = re.sub(r"\s+", " ", part)
        out.append(re.sub(r"\s*([{};,>])\s*", r"\1", part))
    return "".join(out).strip() + "\n"
