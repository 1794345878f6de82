"""A search index split into parts (search.SHARD_RECORDS) answers exactly as one index does."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from site_builder import search
from site_builder.build import Paths, build
from tests.browser.test_search import _wait_for_results
from tests.conftest import ROOT, serve_dir

QUERIES = ["农民工", "高校毕业生 就业", "渔民", "残疾人", "技能培训"]


@pytest.fixture(scope="module")
def parted_url(tmp_path_factory):
    """The seeds built with parts of at most about 150 records: several parts."""
    out = tmp_path_factory.mktemp("parted") / "output"
    before = search.SHARD_RECORDS
    search.SHARD_RECORDS = 150
    try:
        build(Paths(ROOT / "seeds", ROOT / "content", out, ROOT / "templates"), jobs=2)
    finally:
        search.SHARD_RECORDS = before
    shards = json.loads((out / "pagefind" / search.LIST).read_text(encoding="utf-8"))["shards"]
    assert len(shards) >= 4, shards
    server, url = serve_dir(out)
    yield url
    server.shutdown()


def _results(page, base: str, query: str, fetched: list[str]) -> tuple[str, list[str]]:
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{base}search/index.html?q={quote(query)}")
    _wait_for_results(page)
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(a => a.getAttribute('href'))")
    return page.inner_text("#search-status"), [h.replace(base, "") for h in hrefs]


@pytest.mark.parametrize("query", QUERIES)
def test_parts_find_what_one_index_finds_in_the_same_order(query, site_url, parted_url, phone):
    whole = _results(phone, site_url, query, [])
    fetched: list[str] = []
    parted = _results(phone, parted_url, query, fetched)
    assert parted == whole
    parts = {u[len(parted_url):].split("/")[1] for u in fetched if u.startswith(f"{parted_url}pagefind/")
             and u.endswith(".pf_meta")}
    assert len(parts) >= 4, f"the page merged only {sorted(parts)}"
