"""The site unzipped from ``site-builder archive`` and opened from disk (file://) at phone width:
links work and search falls back to the offline index; over HTTP the same fallback covers a
missing Pagefind or blocked WebAssembly, and when nothing can run the page says so."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from site_builder import archive
from tests.conftest import serve_dir

QUERY = "农民工"
RESULTS_TIMEOUT_MS = 10_000

# For each id: the innerText of the nearest <article class="item"> around it (null when none).
ARTICLE_TEXTS_JS = """ids => Object.fromEntries(ids.map(id => {
  const el = document.getElementById(id);
  const item = el && el.closest('article.item');
  return [id, el ? (item ? item.innerText : '') : null];
}))"""


@pytest.fixture(scope="module")
def unzipped(built_site, tmp_path_factory) -> Path:
    """The built site zipped by ``archive`` and unzipped again, as a reader would get it."""
    work = tmp_path_factory.mktemp("archive")
    archive.write(built_site, work / "site.zip", "site.zip")
    with zipfile.ZipFile(work / "site.zip") as zf:
        zf.extractall(work / "site")
    return work / "site"


def _wait_until_settled(page) -> str:
    """Wait until search has results or says something other than 'searching'; the status."""
    try:
        page.wait_for_function(
            """() => { const t = document.getElementById('search-status').textContent.trim();
                       return document.querySelector('#search-results li') || (t && !t.includes('正在搜索')); }""",
            timeout=RESULTS_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - the caller's assertions say what was wrong
        pass
    return page.inner_text("#search-status").strip()


def test_links_from_home_to_a_group_to_a_plan_anchor_work_from_disk(unzipped, phone):
    home = (unzipped / "index.html").as_uri()
    phone.goto(home)
    phone.click(".tile")
    # The click returns once navigation starts: on a busy machine the group page was not loaded yet.
    phone.wait_for_url("**/groups/**")
    phone.wait_for_load_state("load")
    group_url = phone.url
    assert group_url.startswith("file://") and "/groups/" in group_url and group_url.endswith("/index.html"), group_url
    assert phone.locator("h1").count() == 1, f"{group_url} did not open as a page"
    first = phone.locator(".entry-title a").first
    href = first.get_attribute("href")
    first.click()
    phone.wait_for_url("**/plans/**")
    phone.wait_for_load_state("load")
    url = phone.url
    assert url.startswith("file://") and "/plans/" in url and "#m-" in url, f"clicked {href!r}, landed on {url}"
    frag = urlsplit(url).fragment
    assert phone.evaluate("id => !!document.getElementById(id)", frag), f"{url}: no element with id={frag!r}"
    assert phone.evaluate("decodeURIComponent(location.hash.slice(1))") == frag


def test_search_from_disk_finds_measures_containing_the_query(unzipped, built_site, lex, phone):
    measures = json.loads((built_site / "data/measures.json").read_text(encoding="utf-8"))
    phone.goto((unzipped / "index.html").as_uri())
    phone.fill("#q", QUERY)
    phone.press("#q", "Enter")
    phone.wait_for_url("**/search/index.html?q=*")
    status = _wait_until_settled(phone)
    assert phone.locator("#search-results li").count(), f"no results from disk for {QUERY}; status: {status!r}"
    assert "正在搜索" not in status, status
    assert phone.get_attribute("#search-results", "data-engine") == "offline", status

    links = phone.eval_on_selector_all("#search-results a", "els => els.map(a => a.href)")
    more = set(phone.eval_on_selector_all("#search-results li.more a", "els => els.map(a => a.href)"))
    site_root = (unzipped / "index.html").as_uri().removesuffix("index.html")
    assert all(h.startswith(site_root) for h in links), [h for h in links if not h.startswith(site_root)][:5]
    group = next(g for g in lex.groups if QUERY in (g.name, *g.synonyms))
    assert links[0] == site_root + f"groups/{group.slug}/index.html", f"first result is {links[0]}, not the group page"

    by_page: dict[str, list[str]] = {}
    for h in links:
        path, _, frag = h[len(site_root):].partition("#")
        if frag.startswith("m-"):
            by_page.setdefault(path, []).append(frag)
    assert by_page, f"no result links to a measure (#m-…): {links[:10]}"
    wrong = []
    for path, frags in by_page.items():
        phone.goto(site_root + path)
        texts = phone.evaluate(ARTICLE_TEXTS_JS, frags)
        wrong += [f"{path}#{f}: {'missing' if t is None else repr(t[:60])}"
                  for f, t in texts.items() if t is None or QUERY not in t]
    assert not wrong, f"measure links for {QUERY} that miss it:\n" + "\n".join(wrong)

    # Every measure whose own text holds the query is linked, or sits on a plan shown with "more".
    linked = {h[len(site_root):] for h in links}
    missing = [m["url"] for m in measures if QUERY in (m["heading"] or "") + m["text"]
               and m["url"] not in linked and site_root + m["url"].split("#")[0] not in more]
    assert not missing, f"{len(missing)} measures containing {QUERY} are not among the results: {missing[:10]}"


def _assert_offline_results(page) -> None:
    """Once the search has settled: links to measures, found by the offline index."""
    status = _wait_until_settled(page)
    assert page.locator("#search-results a[href*='#m-']").count(), f"no measure links; status: {status!r}"
    assert page.get_attribute("#search-results", "data-engine") == "offline", status


def test_search_over_http_without_pagefind_uses_the_offline_index(built_site, tmp_path, phone):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    shutil.rmtree(copy / "pagefind")
    server, base = serve_dir(copy)
    try:
        phone.goto(f"{base}search/index.html?q={quote(QUERY)}")
        _assert_offline_results(phone)
    finally:
        server.shutdown()


def test_search_with_webassembly_blocked_uses_the_offline_index(built_site, browser):
    # script-src without 'wasm-unsafe-eval': Pagefind's WebAssembly cannot compile.
    csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
    server, base = serve_dir(built_site, {"Content-Security-Policy": csp})
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(f"{base}search/index.html?q={quote(QUERY)}")
        _assert_offline_results(page)
    finally:
        ctx.close()
        server.shutdown()


def test_search_from_disk_without_any_index_says_so_and_offers_browse_links(unzipped, tmp_path, phone):
    copy = tmp_path / "site"
    shutil.copytree(unzipped, copy)
    (copy / "search" / "offline-index.js").unlink()
    phone.goto((copy / "search" / "index.html").as_uri() + f"?q={quote(QUERY)}")
    status = _wait_until_settled(phone)
    assert status and "正在搜索" not in status, f"status {status!r} when no search can run"
    assert phone.locator("#search-results li").count() == 0
    assert phone.locator("#search-status a[href='#browse-title']").count() == 1, status
    assert phone.locator("#browse a[href$='index.html']").count() > 0, "no browse links on the search page"


# A made-up index: the matching rules on cases the seeds may not happen to contain.
SYNTHETIC = {
    "pages": [["groups/fishermen/index.html", "渔民可以享受的政策"], ["plans/p1/index.html", "某方案"],
              ["regions/r1/index.html", "某地区的居民增收政策"], ["groups/migrant-workers/index.html", "农民工可以享受的政策"]],
    "groups": [[0, ["渔民", "渔农民"], ["渔业"]], [3, ["农民工", "外出务工"], ["农民工作"]]],
    "parts": [[1, "m-1", "", "支持渔农民转产就业。"],
              [1, "m-2", "加强农民工作", "做好农民工作。"],
              [1, "m-3", "", "保障农民工工资支付，补贴 ABC 培训。"],
              [1, "m-4", "", "发展渔业。"]],
}


@pytest.fixture(scope="module")
def synthetic_search(unzipped, tmp_path_factory) -> str:
    site = tmp_path_factory.mktemp("synthetic") / "site"
    shutil.copytree(unzipped, site)
    (site / "search" / "offline-index.js").write_text(
        "globalThis.SITE_OFFLINE_INDEX=" + json.dumps(SYNTHETIC, ensure_ascii=False) + ";", encoding="utf-8")
    return (site / "search" / "index.html").as_uri()


@pytest.mark.parametrize("query, first, anchors, status_has", [
    ("农民工", "groups/migrant-workers/index.html", ["m-3"], None),  # 农民工作 is an exclude word
    ("渔民", "groups/fishermen/index.html", ["m-1"], "渔农民"),       # no 渔民 anywhere: the group's words
    ("农民工 ａｂｃ", "groups/migrant-workers/index.html", ["m-3"], None),  # every word; full width folded
    ("地区", "regions/r1/index.html", [], None),                      # page titles
    ("火星", None, [], "没有找到"),
])
def test_offline_matching_rules(synthetic_search, phone, query, first, anchors, status_has):
    phone.goto(f"{synthetic_search}?q={quote(query)}")
    status = _wait_until_settled(phone)
    assert "正在搜索" not in status, status
    links = phone.eval_on_selector_all("#search-results a", "els => els.map(a => a.getAttribute('href'))")
    site_root = synthetic_search.removesuffix("search/index.html")
    rel = [h.removeprefix(site_root) for h in links]
    if first is None:
        assert rel == [], rel
    else:
        assert rel and rel[0] == first, rel
    assert [h.split("#", 1)[1] for h in rel if "#" in h] == anchors, rel
    if status_has:
        assert status_has in status, status
