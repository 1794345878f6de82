"""Shared fixtures: the project paths, the lexicon, a site built once per run, a server, a browser."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

# Property tests: 2,000 examples each in CI (CI=true), a quick 50 locally. No deadline, since one
# slow example on a busy machine is not a failure; the CI budget is kept by the example count.
settings.register_profile("ci", max_examples=2000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
CHROMIUM = "/usr/bin/chromium"
NODE_MODULES = ROOT / "node_modules"  # npm test tools pinned in package.json; ./dev installs them
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def lex():
    from site_builder import lexicon
    return lexicon.load(ROOT / "content")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled seeds built once, search index included."""
    from site_builder.build import Paths, build
    out = tmp_path_factory.mktemp("site") / "output"
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        summary = build(Paths(ROOT / "seeds", ROOT / "content", out, ROOT / "templates"))
    finally:
        os.chdir(old)
    assert summary.plans > 0
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(directory: Path, headers: dict | None = None):
    """Serve a folder on 127.0.0.1 on a free port; returns (server, base URL)."""
    class Handler(_Quiet):
        def end_headers(self):
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve_dir(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; under CI=true a missing browser fails, never skips."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def phone(browser):
    """A page at phone width (390 × 844)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture()
def small_phone(browser):
    """A page at small-phone size (360 × 740), where the accessibility checks run."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    yield page
    ctx.close()


def _tool(path: Path, what: str) -> Path:
    """A tool the tests need from npm or apt; under CI=true a missing one fails, never skips."""
    if path.exists():
        return path
    hint = f"{what} is missing ({path.relative_to(ROOT) if path.is_relative_to(ROOT) else path})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{hint}: .ci/run must install it (./dev runs npm ci)")
    pytest.skip(f"{hint}; run ./dev test, which installs it")


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's browser bundle, injected into pages by the accessibility tests."""
    return _tool(NODE_MODULES / "axe-core" / "axe.min.js", "axe-core (npm)")


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu HTML Checker (npm vnu-jar) and a Java to run it."""
    java = shutil.which("java")
    _tool(Path(java) if java else Path("/usr/bin/java"), "java (apt-get install default-jre-headless)")
    return _tool(NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar", "vnu-jar (npm)")
