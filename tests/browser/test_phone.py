"""Phone-width layout (390 px): no sideways scrolling, 18 px text, big enough tap targets; screenshots kept."""
from __future__ import annotations

from pathlib import Path

import pytest

WIDTH = 390
ARTIFACTS = Path(__file__).resolve().parent.parent / ".artifacts"
PLAIN = ["index.html", "groups/migrant-workers/index.html", "compare/index.html", "amounts/index.html",
         "departments/hrss/index.html"]


def _largest_plan(site: Path) -> str:
    pages = list((site / "plans").glob("*/index.html"))
    assert pages, "no plan pages"
    return max(pages, key=lambda p: p.stat().st_size).relative_to(site).as_posix()


def _check(page, url: str, shot: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > WIDTH:
        # Name what sticks out, to make the failure actionable.
        wide = page.evaluate(f"""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > {WIDTH} + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                   + ' right=' + Math.round(e.getBoundingClientRect().right))""")
        pytest.fail(f"{url}: horizontal scroll, scrollWidth {scroll_width} > {WIDTH}; too wide: {wide}")
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 18, f"{url}: body font-size {font}px < 18px"


@pytest.mark.parametrize("path", PLAIN + ["<largest plan>"])
def test_phone_layout(path, built_site, site_url, phone):
    if path == "<largest plan>":
        path = _largest_plan(built_site)
    name = path.removesuffix("index.html").strip("/").replace("/", "-") or "home"
    _check(phone, site_url + path, f"phone-{name}.png")


def test_home_tiles_are_big_enough_to_tap(site_url, phone):
    phone.goto(site_url + "index.html")
    boxes = phone.eval_on_selector_all(
        ".tile", "els => els.map(e => { const r = e.getBoundingClientRect();"
                 " return {text: e.textContent.trim(), w: r.width, h: r.height}; })")
    assert boxes, "no .tile on the home page"
    small = [b for b in boxes if b["w"] < 44 or b["h"] < 44]
    assert not small, f"tiles smaller than 44×44 px: {small}"


def test_care_mode_enlarges_text_and_persists_without_cookies(site_url, phone):
    phone.goto(site_url + "groups/migrant-workers/index.html")
    toggle = phone.get_by_role("button", name="关怀模式")
    assert toggle.get_attribute("aria-pressed") == "false"
    before = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    toggle.click()
    after = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after >= before * 1.2 and after >= 22, (before, after)
    # Still on after moving to another page, and stored without a cookie.
    phone.goto(site_url + "index.html")
    assert phone.evaluate("document.documentElement.classList.contains('care')")
    assert phone.get_by_role("button", name="标准模式").get_attribute("aria-pressed") == "true"
    assert phone.context.cookies() == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    phone.get_by_role("button", name="标准模式").click()
    assert not phone.evaluate("document.documentElement.classList.contains('care')")


def test_a_group_page_prints_as_a_clean_list(site_url, phone):
    phone.goto(site_url + "groups/migrant-workers/index.html")
    phone.emulate_media(media="print")
    hidden = phone.evaluate("""() => ['header.top', 'nav.filters', 'nav.jump', 'footer.bottom']
        .map(s => [s, [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none')])""")
    assert all(ok for _s, ok in hidden), hidden
    assert phone.evaluate("document.querySelectorAll('.entry').length") > 0
    assert phone.evaluate("getComputedStyle(document.querySelector('.entry')).display") != "none"
    phone.emulate_media(media="screen")
