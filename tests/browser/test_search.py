"""Search in a phone-sized browser: results lead to the measures that match, and a missing index is explained."""
from __future__ import annotations

import re
import shutil
from urllib.parse import quote

from tests.conftest import serve_dir

QUERY = "农民工"
RESULTS_TIMEOUT_MS = 10_000
SAMPLE = 5

# Text of the measure headed by the element with this id: the nearest <article class="item"> around it.
MEASURE_TEXT_JS = """id => {
  const el = document.getElementById(id);
  if (!el) return {found: false, text: null};
  const item = el.closest('article.item');
  return {found: true, text: item ? item.innerText : null};
}"""


def _search(page, base: str, query: str) -> None:
    page.goto(f"{base}search/index.html?q={quote(query)}")


def _wait_for_results(page) -> None:
    """Wait for result items from Pagefind (not the offline fallback); on timeout, fail with what
    the page said instead."""
    try:
        page.wait_for_selector("#search-results li", timeout=RESULTS_TIMEOUT_MS)
        # The list is aria-busy while each plan's matching measures are still being filled in.
        page.wait_for_selector("#search-results:not([aria-busy])", timeout=RESULTS_TIMEOUT_MS)
    except Exception:
        raise AssertionError(f"no results within {RESULTS_TIMEOUT_MS} ms; "
                             f"status: {page.inner_text('#search-status')!r}") from None
    engine = page.get_attribute("#search-results", "data-engine")
    assert engine == "pagefind", f"results came from {engine!r}, not Pagefind: {page.inner_text('#search-status')!r}"


def test_search_results_link_to_matching_measures(site_url, phone):
    _search(phone, site_url, QUERY)
    _wait_for_results(phone)
    results = phone.locator("#search-results > li")
    assert results.count() >= 3, f"only {results.count()} results for {QUERY}: {phone.inner_text('#search-status')!r}"

    links = phone.eval_on_selector_all(
        "#search-results a", "els => els.map(a => ({href: a.href, text: a.textContent}))")
    measure_links = []
    for link in links:
        if "#m-" in link["href"] and link["href"] not in [m["href"] for m in measure_links]:
            measure_links.append(link)
    assert measure_links, f"no result links to a measure (#m-…): {[l['href'] for l in links]}"

    wrong = []
    for link in measure_links[:SAMPLE]:
        frag = link["href"].split("#", 1)[1]
        phone.goto(link["href"])
        got = phone.evaluate(MEASURE_TEXT_JS, frag)
        if not got["found"]:
            wrong.append(f"{link['href']}: no element with id={frag!r}")
        elif got["text"] is None:
            wrong.append(f"{link['href']}: #{frag} is not inside an <article class=\"item\">")
        elif QUERY not in got["text"]:
            wrong.append(f"{link['href']} (shown as {link['text']!r}): the measure does not mention {QUERY}: "
                         f"{got['text'][:80]!r}…")
    assert not wrong, (f"{len(wrong)} of the first {min(SAMPLE, len(measure_links))} measure links for "
                       f"{QUERY} lead to measures without it:\n" + "\n".join(wrong))


def test_search_explains_when_no_index_can_load(built_site, tmp_path, browser):
    """Neither Pagefind nor the offline index: the page says so instead of spinning."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    shutil.rmtree(copy / "pagefind")
    (copy / "search" / "offline-index.js").unlink()
    server, base = serve_dir(copy)
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        _search(page, base, QUERY)
        try:
            page.wait_for_function(
                """() => { const t = document.getElementById('search-status').textContent.trim();
                           return t !== '' && !t.includes('正在搜索'); }""", timeout=5_000)
        except Exception:  # noqa: BLE001 - the assertions below say what was wrong
            pass
        status = page.inner_text("#search-status").strip()
        assert status, "#search-status is empty when no search index can load"
        assert "正在搜索" not in status, f"#search-status still says {status!r} (a spinner) when no index can load"
        assert page.locator("#search-results li").count() == 0
    finally:
        ctx.close()
        server.shutdown()


def test_a_new_search_replaces_one_still_loading(site_url, phone):
    """Submitting while the ?q= search still loads shows only the new results, once each."""
    _search(phone, site_url, "渔民")
    phone.fill("#q", QUERY)
    phone.click("#search-form button[type=submit]")
    _wait_for_results(phone)
    phone.wait_for_timeout(1500)  # let a stale first search finish, if it would still append
    titles = phone.eval_on_selector_all("#search-results > li:not(.group-hit) > h2", "els => els.map(e => e.textContent)")
    groups = phone.eval_on_selector_all("#search-results > li.group-hit", "els => els.length")
    status = phone.inner_text("#search-status")
    found = int(re.search(r"找到 (\d+) 个页面", status).group(1))
    assert len(titles) == min(found, 20), (status, titles)
    assert groups == 1, "the 农民工 group page once, not once per search"
    assert len(set(titles)) == len(titles), titles


def test_a_group_name_or_synonym_puts_the_group_page_first(site_url, phone):
    # The seeds never say 渔民 (they say 渔农民); 外出务工人员 is a synonym of 农民工.
    for query, slug in (("渔民", "fishermen"), ("外出务工人员", "migrant-workers"), ("农民工", "migrant-workers")):
        _search(phone, site_url, query)
        _wait_for_results(phone)
        first = phone.locator("#search-results > li").first
        assert "group-hit" in (first.get_attribute("class") or ""), query
        assert f"groups/{slug}/index.html" in first.locator("a").first.get_attribute("href"), query


def test_a_word_inside_an_excluded_word_does_not_route_to_the_group(site_url, phone):
    # The seeds never say 农民工作: Pagefind answers with nothing, which is also an answer.
    _search(phone, site_url, "农民工作")
    phone.wait_for_function("""() => { const t = document.getElementById('search-status').textContent;
                                       return t.trim() !== '' && !t.includes('正在搜索'); }""",
                            timeout=RESULTS_TIMEOUT_MS)
    assert phone.get_attribute("#search-results", "data-engine") == "pagefind"
    hrefs = phone.eval_on_selector_all("#search-results > li.group-hit a", "els => els.map(e => e.href)")
    assert not any("groups/migrant-workers/" in h for h in hrefs), hrefs


def test_plan_results_say_whether_the_plan_is_still_in_force(site_url, phone, built_site):
    import json
    plans = json.loads((built_site / "data/plans.json").read_text(encoding="utf-8"))
    _search(phone, site_url, QUERY)
    _wait_for_results(phone)
    titles = phone.eval_on_selector_all("#search-results > li:not(.group-hit) > h2", "els => els.map(e => e.textContent)")
    assert titles
    for t in titles:
        plan = next((p for p in plans if t.startswith(p["title"])), None)
        if plan:
            assert t.endswith(f"（{plan['status']}）"), t
    assert any("（已到期）" in t for t in titles), titles
