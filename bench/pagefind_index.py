"""Time search.index_site alone over a site built with --no-search: wall, CPU and Pagefind's peak RSS.

Run from the project root, after ``site-builder build --no-search --out SITE``:
    .venv/bin/python bench/pagefind_index.py SITE [--runs 1]

The index goes to SITE/pagefind (replaced). Pagefind is started through bench/measure.py
(PAGEFIND_BINARY_PATH, as bench/run.py does), so its own wall time, CPU time and peak RSS are
kept apart from this process's (which writes the record files). The 1-minute load average before
each run is printed with it: the machine may be shared.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--label", default="")
    ap.add_argument("--language", help="index under this language code instead of search.LANGUAGE "
                    "(zh-cn: as before, with Pagefind's segmenter)")
    args = ap.parse_args(argv)
    from run import pagefind_wrapper

    from site_builder import search

    if args.language:
        search.LANGUAGE = args.language
    work = args.site.parent / "pagefind-bench"
    work.mkdir(exist_ok=True)
    figures = work / "pagefind.jsonl"
    os.environ["PAGEFIND_BINARY_PATH"] = str(pagefind_wrapper(work, figures))
    for _ in range(args.runs):
        figures.unlink(missing_ok=True)
        shutil.rmtree(args.site / "pagefind", ignore_errors=True)
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        search.index_site(args.site)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        pf = [json.loads(line) for line in figures.read_text().splitlines()]
        files, size = folder_size(args.site / "pagefind")
        row = {"label": args.label, "language": search.LANGUAGE, "load": round(load, 2), "total_wall": round(wall, 1),
               "python_cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
               "pagefind_wall": round(sum(r["wall"] for r in pf), 1),
               "pagefind_cpu": round(sum(r["cpu"] for r in pf), 1),
               "pagefind_rss_mb": round(max(r["rss_kb"] for r in pf) / 1024),
               "index_files": files, "index_mb": round(size / 1e6, 1)}
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
