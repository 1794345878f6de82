"""Recall and precision of the served Pagefind search for the terms readers type, per term, in Chromium.

Builds the bundled seeds into a temporary folder (or takes a built site with --site), serves it on
127.0.0.1, runs the real search page in Debian's Chromium through Playwright and prints one row per
term. How terms are counted is documented in tests/browser/search_quality.py, which the browser
test tests/browser/test_search_recall.py shares.

Run: .venv/bin/python bench/search_quality.py [--site DIR] [TERM ...]   (from the project root)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.search_quality import TERMS, load_measures, measure, table  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_dir  # noqa: E402


def _build(out: Path) -> None:
    from site_builder.build import Paths, build
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        build(Paths(ROOT / "seeds", ROOT / "content", out, ROOT / "templates"))
    finally:
        os.chdir(old)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build the bundled seeds afresh)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and wrong measures")
    ap.add_argument("terms", nargs="*", default=list(TERMS))
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "output"
            _build(site)
        server, base = serve_dir(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                measures = load_measures(site)
                scores = [measure(page, base, t, measures) for t in args.terms]
                browser.close()
        finally:
            server.shutdown()
    print(table(scores))
    if args.verbose:
        for s in scores:
            if s.missed or s.wrong:
                print(f"{s.term}: missed {list(s.missed)}; wrong {list(s.wrong)}")
    return 0 if all(s.passes for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
