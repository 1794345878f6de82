"""Pagefind's cost for other record layouts of the same text: per item (as built), per section, per page.

Run from the project root, after ``site-builder build --no-search --out SITE``:
    .venv/bin/python bench/pagefind_layouts.py SITE [item section page] [--language zh-cn]

Writes each layout's HTML into a temporary folder and runs the Pagefind binary over it (the same
work as ``add_directory``), under bench/measure.py: wall, CPU and peak RSS of Pagefind alone.
"section" and "page" keep every item as a paragraph with its anchor as id, so the text indexed is
the same; search.js could not use them as they are (it counts and lists matches per record), they
only show what fewer, larger records would save.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from site_builder import search


def page(body: str, head: str, lang: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f'<body><main data-pagefind-body>{body}</main></body></html>\n')


def grouped(data: dict, by_section: bool, lang: str) -> list[tuple[str, str]]:
    """The page titles as built, then the parts of each page in runs (a section, or the page)."""
    out = [(r.file, r.html()) for r in search.records(data) if r.file.startswith("t/")]
    runs: list[list] = []
    for part in data["parts"]:
        if not runs or runs[-1][0][0] != part[0] or (by_section and part[1].startswith("s-")):
            runs.append([])
        runs[-1].append(part)
    for n, run in enumerate(runs):
        body = "".join(f'<p id="{escape(anchor)}">{escape(search.spaced(chr(10).join(filter(None, (title, text)))))}</p>'
                       for _page, anchor, title, text in run)
        head = (f'<meta data-pagefind-filter="page[content]" content="{run[0][0]}">'
                f'<meta data-pagefind-sort="order[content]" content="{n:07d}">')
        out.append((f"g/{run[0][0]}/{n}.html", page(body, head, lang)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("layouts", nargs="*", default=["item", "section", "page"])
    ap.add_argument("--language", default=search.LANGUAGE)
    args = ap.parse_args(argv)
    from pagefind.service import get_executable
    binary = str(get_executable())
    data = search.read_offline_index(args.site)
    search.LANGUAGE = args.language
    for layout in args.layouts:
        with tempfile.TemporaryDirectory(prefix="pagefind-layout-") as tmp:
            folder, out, figures = Path(tmp, "in"), Path(tmp, "out"), Path(tmp, "figures.jsonl")
            if layout == "item":
                files = [(r.file, r.html()) for r in search.records(data)]
            else:
                files = grouped(data, layout == "section", args.language)
            for name, html in files:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_text(html, encoding="utf-8")
            load = os.getloadavg()[0]
            subprocess.run([sys.executable, str(BENCH / "measure.py"), str(figures), "--", binary,
                            "--site", str(folder), "--output-path", str(out), "--force-language",
                            args.language, "--silent"], check=True)
            r = json.loads(figures.read_text().splitlines()[-1])
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            print(json.dumps({"layout": layout, "language": args.language, "records": len(files),
                              "load": round(load, 2), "wall": round(r["wall"], 1), "cpu": round(r["cpu"], 1),
                              "rss_mb": round(r["rss_kb"] / 1024), "index_mb": round(size / 1e6, 1),
                              "index_files": sum(1 for p in out.rglob("*") if p.is_file())}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
