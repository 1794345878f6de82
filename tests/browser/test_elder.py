"""适老化 in Chromium at 360 px: 18 px body text, no visible text under 14 px, line height 1.5, 44 × 44 px
tap targets, and no sideways scrolling at 320 px."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.pages import PAGES, QUERY, RESULTS_TIMEOUT_MS, VIEWPORT, resolve

MIN_BODY_PX = 18
MIN_TEXT_PX = 14
MIN_LINE_HEIGHT = 1.5
MIN_TARGET_PX = 44
NARROW = 320

# Text is measured where it is drawn: an SVG's font size is scaled by its viewBox. Headings and
# one-line form controls are exempt from the line-height rule, which WCAG 1.4.8 sets for running
# text. A link that flows inline in a paragraph (in a sentence) is exempt from the target size, as
# WCAG 2.5.8's "inline" exception allows; links and buttons in navigation, lists, tables and forms,
# the departments under a measure, and chips or buttons set as blocks inside a paragraph, are not.
MEASURE = """([minText, minLine, minTarget]) => {
  const shown = el => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\\s+/).join('.') : '')
    + ' "' + (el.textContent || el.value || '').trim().slice(0, 20) + '"';
  const small = [], tight = [], targets = [];
  const seen = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!walk.currentNode.data.trim() || !el || seen.has(el) || !shown(el)) continue;
    seen.add(el);
    const s = getComputedStyle(el);
    let px = parseFloat(s.fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      px *= m ? Math.hypot(m.a, m.b) : 1;
    } else if (!el.closest('h1, h2, h3, h4, h5, h6, button, input, select, textarea')) {
      const lh = s.lineHeight === 'normal' ? 1.2 * px : parseFloat(s.lineHeight);
      if (lh / px < minLine - 1e-6) tight.push(`${name(el)} ${(lh / px).toFixed(2)}`);
    }
    if (px < minText - 0.05) small.push(`${name(el)} ${px.toFixed(1)}px`);
  }
  for (const el of document.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select, [tabindex="0"]')) {
    // The departments under a measure are a list set in a paragraph, not a sentence: never exempt.
    const inline = el.matches('a') && el.closest('p') && !el.closest('.units') && getComputedStyle(el).display === 'inline';
    if (!shown(el) || inline) continue;
    const r = el.getBoundingClientRect();
    if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5)
      targets.push(`${name(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return {body: parseFloat(getComputedStyle(document.body).fontSize), small, tight, targets};
}"""


def _overflow(page, width: int) -> str | None:
    page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll <= width:
        return None
    wide = page.evaluate(f"""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > {width} + 0.5 && !e.closest('.table-wrap *'))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right))""")
    return f"scrollWidth {scroll} > {width}: {wide}"


def _check(page, what: str) -> None:
    m = page.evaluate(MEASURE, [MIN_TEXT_PX, MIN_LINE_HEIGHT, MIN_TARGET_PX])
    problems = []
    if m["body"] < MIN_BODY_PX:
        problems.append(f"body text {m['body']}px < {MIN_BODY_PX}px")
    for key, rule in [("small", f"text under {MIN_TEXT_PX}px"), ("tight", f"line height under {MIN_LINE_HEIGHT}"),
                      ("targets", f"tap targets under {MIN_TARGET_PX}×{MIN_TARGET_PX}px")]:
        if m[key]:
            problems.append(f"{len(m[key])} {rule}: " + "; ".join(m[key][:6]))
    if (wide := _overflow(page, NARROW)):
        problems.append(f"at {NARROW}px {wide}")
    assert not problems, f"{what}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", PAGES)
def test_elder_friendly(path, built_site, site_url, small_phone):
    path = resolve(built_site, path)
    small_phone.goto(site_url + path)
    _check(small_phone, path)


def test_elder_friendly_search_results(site_url, small_phone):
    small_phone.goto(f"{site_url}search/index.html?q={quote(QUERY)}")
    small_phone.wait_for_selector("#search-results li", timeout=RESULTS_TIMEOUT_MS)
    _check(small_phone, "search results")


def test_elder_friendly_in_care_mode(built_site, site_url, small_phone):
    # 关怀模式 makes everything larger: it must still fit 320 px and keep its line heights.
    path = resolve(built_site, "<largest plans>")
    small_phone.goto(site_url + path)
    small_phone.get_by_role("button", name="关怀模式").click()
    _check(small_phone, f"{path} in care mode")


def test_the_measure_catches_small_text_tight_lines_and_small_targets(site_url, small_phone):
    small_phone.goto(site_url + "index.html")
    small_phone.evaluate("""document.querySelector('main').insertAdjacentHTML('beforeend',
      '<ul><li><a href="#" style="font-size:12px;line-height:1.2">小</a></li></ul>'
      + '<p class="units">责任单位 <a href="#" style="display:inline">市某局</a></p>'
      + '<div style="width:400px">宽</div>')""")
    with pytest.raises(AssertionError) as failed:
        _check(small_phone, "tampered home")
    text = str(failed.value)
    assert "text under 14px" in text and "line height under" in text and "tap targets" in text
    assert "at 320px scrollWidth" in text
    assert 'a "市某局"' in text  # a department under a measure is a target, even set inline
