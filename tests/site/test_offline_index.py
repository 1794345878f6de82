"""search/offline-index.js: a plain script holding every heading and item, small and pointing at real anchors."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_builder import offline

PREFIX = f"globalThis.{offline.GLOBAL}="
# The index repeats no plan URL or title per item, so it is not much bigger than the text it holds.
MAX_OVERHEAD = 1.25


@pytest.fixture(scope="module")
def index(built_site) -> dict:
    js = (built_site / offline.PATH).read_text(encoding="utf-8")
    assert js.startswith(PREFIX) and js.rstrip().endswith(";"), js[:80]
    return json.loads(js[len(PREFIX):].rstrip().removesuffix(";"))


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_every_page_and_anchor_exists(built_site, index):
    pages = index["pages"]
    assert {p for p, _ in pages} >= {"index.html", "plans/index.html"}
    missing = [p for p, _ in pages if not (built_site / p).is_file()]
    assert not missing, missing
    ids = {i: _ids(built_site / p) for i, (p, _) in enumerate(pages)}
    bad = [f"{pages[page][0]}#{anchor}" for page, anchor, _t, _x in index["parts"] if anchor not in ids[page]]
    assert not bad, f"{len(bad)} anchors missing: {bad[:10]}"


def test_every_measure_is_in_it_with_its_text(built_site, index):
    measures = json.loads((built_site / "data/measures.json").read_text(encoding="utf-8"))
    parts = {f"{index['pages'][page][0]}#{anchor}": (title, text) for page, anchor, title, text in index["parts"]}
    problems = [m["url"] for m in measures
                if m["url"] not in parts or m["text"] not in parts[m["url"]][1]
                or (m["heading"] or "") != parts[m["url"]][0]]
    assert not problems, f"{len(problems)} measures missing or different: {problems[:10]}"


def test_every_group_routes_to_its_page_with_its_synonyms(index, lex):
    pages = index["pages"]
    got = {pages[page][0]: names for page, names, _exclude in index["groups"]}
    for g in lex.groups:
        names = got.get(f"groups/{g.slug}/index.html")
        assert names and names[0] == g.name and set(g.synonyms) <= set(names), (g.slug, names)


def test_it_is_compact(built_site, index):
    text = sum(len(t.encode()) + len(x.encode()) for _p, _a, t, x in index["parts"])
    size = (built_site / offline.PATH).stat().st_size
    assert size <= MAX_OVERHEAD * text, f"{size} bytes for {text} bytes of text"
