"""serve's live reload in a phone browser: a preview reloads only the pages it holds and says the
rest of the site is still being made; the finished build reloads every open page."""
from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path

import pytest

from site_builder.build import Paths, build
from site_builder.serve import BuildState, handler_for

ROOT = Path(__file__).resolve().parent.parent.parent
MARK = "预览里改过的标题"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The seeds built as serve builds them, served by serve's handler with a state to drive."""
    out = tmp_path_factory.mktemp("serve") / "output"
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        build(Paths(ROOT / "seeds", ROOT / "content", out, ROOT / "templates"), index=False, live_reload=True)
    finally:
        os.chdir(old)
    state = BuildState()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(out, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, state, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _reloaded(page) -> bool:
    return page.evaluate("() => window.__before === undefined")


def test_a_preview_reloads_only_its_pages_then_the_build_reloads_all(served, browser):
    out, state, url = served
    plan = sorted(p.relative_to(out).as_posix() for p in out.glob("plans/*/index.html"))[0]
    original = (out / plan).read_bytes()
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        edited, other = ctx.new_page(), ctx.new_page()
        edited.goto(url + plan)
        other.goto(url)
        for page in (edited, other):
            # Polled once (it knows the build it shows), and marked, to tell a reload.
            page.wait_for_timeout(1500)
            page.evaluate("() => { window.__before = 1; }")
        h1 = edited.locator("h1").inner_text()
        state.show_preview({plan: original.replace(h1.encode(), MARK.encode())})
        edited.wait_for_function("() => window.__before === undefined", timeout=5000)
        edited.wait_for_selector(".build-note", timeout=5000)
        assert edited.locator("h1").inner_text() == MARK
        note = edited.locator(".build-note")
        assert note.get_attribute("role") == "status" and "还在生成" in note.inner_text()
        assert edited.evaluate("() => document.documentElement.scrollWidth") <= 390
        edited.screenshot(path=str(out.parent / "preview.png"))
        other.wait_for_timeout(2500)
        assert not _reloaded(other) and other.locator(".build-note").count() == 0
        # The build is done: every open page reloads, and shows the files.
        edited.evaluate("() => { window.__before = 1; }")
        state.finished()
        for page in (edited, other):
            page.wait_for_function("() => window.__before === undefined", timeout=5000)
        edited.wait_for_load_state()
        assert edited.locator("h1").inner_text() == h1 and edited.locator(".build-note").count() == 0
    finally:
        ctx.close()


def test_a_page_loaded_from_a_preview_the_build_ended_before_it_polled_reloads_again(served, browser):
    # The reload a preview asks for fetches the preview; if the build ends (here: fails) before the
    # reloaded page first polls, the state it reads no longer names the preview. The page must
    # not stay on the preview's bytes, shown as if they were the finished site.
    out, state, url = served
    plan = sorted(p.relative_to(out).as_posix() for p in out.glob("plans/*/index.html"))[-1]
    original = (out / plan).read_bytes()
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(url + plan)
        page.wait_for_timeout(1500)  # polled once: it knows the build it shows
        h1 = page.locator("h1").inner_text()
        ended = []

        def build_ends_while_it_loads(route):
            response = route.fetch()
            if state.preview and not ended:  # the preview's bytes are on their way: the build fails
                state.finished("seeds/x.txt:3: error: 坏了")
                ended.append(True)
            route.fulfill(response=response)

        page.route(lambda u: u.endswith(plan), build_ends_while_it_loads)
        page.evaluate("() => { window.__before = 1; }")
        state.show_preview({plan: original.replace(h1.encode(), MARK.encode())})
        page.wait_for_function("() => window.__before === undefined", timeout=5000)
        assert ended
        # Back to the last good site, with the error over it.
        page.wait_for_function(f"() => document.querySelector('h1').innerText === {h1!r}", timeout=5000)
        page.wait_for_selector(".build-error", timeout=5000)
    finally:
        ctx.close()
        state.error = ""


def test_a_page_showing_a_preview_reloads_when_the_next_preview_leaves_it_out(served, browser):
    # Two builds close together: the first's preview shows this page, the first ends and the
    # second's preview (of another plan) is out before the page polls again. The page shows a
    # preview's bytes, so it must reload to the files, not wait for the second build as if
    # it showed them.
    out, state, url = served
    plans = sorted(p.relative_to(out).as_posix() for p in out.glob("plans/*/index.html"))
    plan, other = plans[0], plans[1]
    original = (out / plan).read_bytes()
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(url + plan)
        page.wait_for_timeout(1500)
        h1 = page.locator("h1").inner_text()
        page.evaluate("() => { window.__before = 1; }")
        state.show_preview({plan: original.replace(h1.encode(), MARK.encode())})
        page.wait_for_function("() => window.__before === undefined", timeout=5000)
        page.wait_for_selector(".build-note", timeout=5000)
        assert page.locator("h1").inner_text() == MARK
        page.evaluate("() => { window.__before = 1; }")
        state.finished()  # the first build ends …
        state.show_preview({other: (out / other).read_bytes()})  # … and the next one's preview is out
        page.wait_for_function("() => window.__before === undefined", timeout=5000)
        page.wait_for_function(f"() => document.querySelector('h1').innerText === {h1!r}", timeout=5000)
        assert page.locator(".build-note").count() == 0
    finally:
        ctx.close()
        state.finished()
