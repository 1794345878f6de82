"""axe-core (WCAG 2.1 A/AA and best practice) finds nothing on each kind of page at 360 × 740."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.pages import PAGES, QUERY, RESULTS_TIMEOUT_MS, resolve

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Each violation as one line: rule, impact, how many nodes, the first few selectors and axe's summary.
RUN_AXE = """async tags => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => `${v.id} (${v.impact}, ${v.nodes.length}×): `
    + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('').trim()).join(' | '));
}"""


def _violations(page, axe_js: Path) -> list[str]:
    page.add_script_tag(path=str(axe_js))
    return page.evaluate(RUN_AXE, TAGS)


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(path, built_site, site_url, small_phone, axe_js):
    path = resolve(built_site, path)
    small_phone.goto(site_url + path)
    found = _violations(small_phone, axe_js)
    assert not found, f"{path}: {len(found)} axe violations:\n" + "\n".join(found)


def test_no_axe_violations_after_a_search(site_url, small_phone, axe_js):
    small_phone.goto(f"{site_url}search/index.html?q={quote(QUERY)}")
    small_phone.wait_for_selector("#search-results li", timeout=RESULTS_TIMEOUT_MS)
    found = _violations(small_phone, axe_js)
    assert not found, f"search results: {len(found)} axe violations:\n" + "\n".join(found)


def test_no_axe_violations_in_care_mode(site_url, small_phone, axe_js):
    # 关怀模式 changes colours and sizes: its contrast must hold too.
    small_phone.goto(site_url + "groups/migrant-workers/index.html")
    small_phone.get_by_role("button", name="关怀模式").click()
    found = _violations(small_phone, axe_js)
    assert not found, f"care mode: {len(found)} axe violations:\n" + "\n".join(found)
