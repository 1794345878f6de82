"""Search without a server: a compact index in a plain script that search.js loads when Pagefind can't."""
from __future__ import annotations

import json

from .lexicon import Lexicon
from .library import Library
from .model import Item, Section
from .routes import NOT_FOUND, SEARCH, Page, PlanPart, url_for

PATH = "search/offline-index.js"
"""Where the index is written, relative to the site root."""
GLOBAL = "SITE_OFFLINE_INDEX"
"""The global the script assigns; search.js reads it after the <script> element loads."""


def index_script(pages: list[Page], lib: Library, lex: Lexicon) -> bytes:
    """``globalThis.SITE_OFFLINE_INDEX = {...}``: a plain script, because ``fetch`` and module
    scripts are refused from ``file://`` while a classic ``<script src>`` still runs.

    Shape (arrays, not objects, and each plan's URL and title once, to keep it small):
    ``pages``: ``[url, title]`` of every page but search and 404 (a plan's title ends with its
    status, e.g. ``（已到期）``);
    ``groups``: ``[page, [name, synonym…], [exclude…]]``;
    ``parts``: ``[page, anchor, title, text]`` for every heading and item in document order; an
    item without a heading has title ``""`` (search.js shows its first sentence, as the page does).
    """
    listed = [p for p in pages if p.path not in (SEARCH, NOT_FOUND)]
    index_of = {p.path: i for i, p in enumerate(listed)}
    groups = [[index_of[url_for(g)], [g.name, *[s for s in g.synonyms if s != g.name]], list(g.exclude)]
              for g in lex.groups if url_for(g) in index_of]
    parts: list[list] = []
    for plan in lib.plans:
        if url_for(plan) in index_of:
            cut = lib.cut_of(plan)
            if cut.pages == 1:  # most plans: every anchor on the one page, looked up once
                _walk(plan.body, lambda _anchor, at=index_of[url_for(plan)]: at, parts)
            else:
                _walk(plan.body, lambda anchor, plan=plan, cut=cut: index_of[url_for(PlanPart(plan, cut.page(anchor)))],
                      parts)
    # A plan's title carries its validity, so a search result never presents an expired plan as current.
    status = {url_for(PlanPart(plan, n)): lib.status(plan) for plan in lib.plans for n in range(1, lib.cut_of(plan).pages + 1)}
    data = {"pages": [[p.path, f"{p.title}（{status[p.path]}）" if p.path in status else p.title] for p in listed],
            "groups": groups, "parts": parts}
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"globalThis.{GLOBAL}={body};\n".encode("utf-8")


def _walk(nodes, page_of, out: list[list]) -> None:
    """``page_of(anchor)``: the index of the page (of a plan cut into several) that holds it."""
    for n in nodes:
        if isinstance(n, Section):
            out.append([page_of(f"s-{n.key}"), f"s-{n.key}", f"{n.marker}{n.title}", n.intro])
        elif isinstance(n, Item):
            text = "\n".join(x for x in (n.text, *n.table) if x)
            out.append([page_of(n.anchor), n.anchor, n.heading or "", text])
        _walk(n.children, page_of, out)
