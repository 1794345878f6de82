"""Portal hosting: the site under a strict Content-Security-Policy (0 violations) and under a sub-path."""
from __future__ import annotations

import os
import re
from urllib.parse import quote, urlsplit

import pytest

from tests.browser.test_search import _wait_for_results as _wait_for_pagefind_results
from tests.conftest import serve_dir

PORTAL_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
              "img-src 'self' data:")
QUERY = "农民工"

# Installed in every document before its own scripts: reports each CSP violation to the test.
RECORD_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));"""


def _walk_home_group_plan(page, base: str) -> None:
    """Home → the first group tile → its first measure: each lands where its link says."""
    page.goto(base + "index.html")
    page.click(".tile")
    page.wait_for_load_state("load")
    assert page.url.startswith(base + "groups/") and page.url.endswith("/index.html"), page.url
    assert page.locator("h1").count() == 1, f"{page.url} did not open as a page"
    page.locator(".entry-title a").first.click()
    page.wait_for_load_state("load")
    url = page.url
    assert url.startswith(base + "plans/") and "#m-" in url, url
    frag = urlsplit(url).fragment
    assert page.evaluate("id => !!document.getElementById(id)", frag), f"{url}: no element with id={frag!r}"


def test_no_csp_violations_on_home_group_plan_and_search(built_site, browser):
    server, base = serve_dir(built_site, {"Content-Security-Policy": PORTAL_CSP})
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    violations: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    ctx.expose_binding("reportCspViolation", lambda _source, text: violations.append(text))
    ctx.add_init_script(RECORD_VIOLATIONS)
    try:
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        visited: list[str] = []
        page.on("load", lambda p: visited.append(p.url))
        _walk_home_group_plan(page, base)  # home, a group page, a plan page
        page.goto(f"{base}search/index.html?q={quote(QUERY)}")
        _wait_for_pagefind_results(page)
        page.wait_for_timeout(300)  # let late reports arrive
        assert len(visited) >= 4, f"visited only {visited}"
        assert any(u.endswith(".wasm") or re.search(r"/pagefind/[^/]+/wasm", u) for u in requests), \
            f"Pagefind's WebAssembly was never requested: {[u for u in requests if 'pagefind' in u][:10]}"
        assert not violations, f"{len(violations)} CSP violations:\n" + "\n".join(violations)
        assert not errors, f"{len(errors)} console errors:\n" + "\n".join(errors)
    finally:
        ctx.close()
        server.shutdown()


@pytest.fixture(scope="module")
def sub_path_url(built_site, tmp_path_factory):
    """The same output served at http://127.0.0.1:PORT/a/b/c/."""
    root = tmp_path_factory.mktemp("portal")
    (root / "a" / "b").mkdir(parents=True)
    os.symlink(built_site, root / "a" / "b" / "c", target_is_directory=True)
    server, base = serve_dir(root)
    yield base + "a/b/c/"
    server.shutdown()


def test_links_work_under_a_sub_path(sub_path_url, phone):
    _walk_home_group_plan(phone, sub_path_url)


def test_search_works_under_a_sub_path(sub_path_url, phone):
    phone.goto(sub_path_url + "index.html")
    phone.fill("#q", QUERY)
    phone.press("#q", "Enter")
    _wait_for_pagefind_results(phone)
    links = phone.eval_on_selector_all("#search-results a", "els => els.map(a => a.href)")
    outside = [h for h in links if not h.startswith(sub_path_url)]
    assert not outside, f"result links outside {sub_path_url}: {outside[:5]}"
    target = next((h for h in links if "#m-" in h), None)
    assert target, f"no result links to a measure: {links[:10]}"
    phone.goto(target)
    frag = urlsplit(target).fragment
    assert phone.evaluate("id => !!document.getElementById(id)", frag), f"{target}: no element with id={frag!r}"
