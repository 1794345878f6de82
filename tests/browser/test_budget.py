"""Before a search starts no page loads more than 30 KB of CSS and JavaScript, nor Pagefind, a web font
or anything from another host."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.pages import PAGES, resolve

BUDGET_BYTES = 30 * 1024


@pytest.mark.parametrize("path", PAGES)
def test_code_budget_before_search(path, built_site, site_url, small_phone):
    path = resolve(built_site, path)
    requests = []
    small_phone.on("requestfinished", lambda r: requests.append(r))
    small_phone.goto(site_url + path)
    small_phone.wait_for_load_state("networkidle")
    # Bodies as the browser received them (the test server does not compress).
    loaded = [(r.url, r.resource_type, len(r.response().body())) for r in requests]
    code = [(u, n) for u, kind, n in loaded if kind in ("script", "stylesheet")]
    total = sum(n for _, n in code)
    assert total <= BUDGET_BYTES, f"{path}: {total} bytes of CSS+JS > {BUDGET_BYTES}: {code}"
    host = urlsplit(site_url).netloc
    assert not [u for u, _, _ in loaded if urlsplit(u).netloc != host], f"{path}: requests to other hosts"
    assert not [u for u, kind, _ in loaded if kind == "font"], f"{path}: web fonts"
    assert not [u for u, _, _ in loaded if "/pagefind/" in u], f"{path}: Pagefind loaded before a search"
