"""The pages the accessibility and elder-friendly tests visit: one of each kind, the largest where size varies."""
from __future__ import annotations

from pathlib import Path

VIEWPORT = {"width": 360, "height": 740}
QUERY = "农民工"
RESULTS_TIMEOUT_MS = 10_000
PAGES = ["index.html", "groups/migrant-workers/index.html", "<largest plans>", "<largest regions>",
         "departments/hrss/index.html", "search/index.html", "compare/index.html", "amounts/index.html"]


def resolve(site: Path, path: str) -> str:
    """A PAGES entry as a path: "<largest F>" is the biggest page one level under F/, the most
    content to get wrong."""
    if not path.startswith("<largest "):
        return path
    folder = path.removeprefix("<largest ").removesuffix(">")
    pages = list((site / folder).glob("*/index.html"))
    assert pages, f"no pages under {folder}/"
    return max(pages, key=lambda p: p.stat().st_size).relative_to(site).as_posix()
