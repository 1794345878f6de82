"""Lighthouse mobile scores and the CSS+JS each page loads before a search, for home, a group page,
the largest plan page and the search page.

Lighthouse comes from npm (pinned in bench/package.json) and drives Debian's Chromium; the site is
the bundled seeds built into a temporary folder (or --site DIR) and served by Python's
http.server on 127.0.0.1, uncompressed, as the tests serve it. Targets (issue 6): performance ≥ 95,
accessibility 100, best practices 100, SEO ≥ 95, CSS+JS ≤ 30 KB. With --runs N each page is run
N times and the median score is printed (Lighthouse's own advice for noisy performance scores).

Setup: npm ci --prefix bench --ignore-scripts
Run:   .venv/bin/python bench/lighthouse.py [--site DIR] [--runs N]   (from the project root)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, serve_dir  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}
BUDGET_BYTES = 30 * 1024
METRICS = [("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"), ("TBT", "total-blocking-time"),
           ("CLS", "cumulative-layout-shift"), ("SI", "speed-index")]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync"


def machine() -> str:
    """What the scores were measured on: Lighthouse's simulated throttling scales the CPU time it
    observes, so a busy machine lowers the performance score."""
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal:"))
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs, {mem / 1024 / 1024:.0f} GB RAM, load average {load}; "
            f"Lighthouse {version}, {chromium}")


def pages(site: Path) -> dict[str, str]:
    plans = list((site / "plans").glob("*/index.html"))
    largest = max(plans, key=lambda p: p.stat().st_size).relative_to(site).as_posix()
    return {"home": "index.html", "group": "groups/migrant-workers/index.html",
            "largest plan": largest, "search": "search/index.html"}


def lighthouse(url: str) -> dict:
    run = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    if run.returncode != 0:
        raise SystemExit(f"lighthouse failed for {url}:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout)


def code_bytes(report: dict) -> tuple[int, list[str]]:
    """Bytes of every script and stylesheet the page loaded (uncompressed: the server sends them so)."""
    items = report["audits"]["network-requests"]["details"]["items"]
    code = [i for i in items if i.get("resourceType") in ("Script", "Stylesheet")]
    return sum(i.get("resourceSize", 0) for i in code), [f"{i['url'].rsplit('/', 1)[-1]} {i.get('resourceSize', 0)}" for i in code]


def failed(report: dict) -> list[str]:
    """The audits that cost points outside performance, to say what to fix."""
    out = []
    for cat in CATEGORIES[1:]:
        for ref in report["categories"][cat]["auditRefs"]:
            a = report["audits"][ref["id"]]
            if ref["weight"] and a.get("score") is not None and a["score"] < 1:
                out.append(f"{cat}: {ref['id']} ({a['title']})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="an already built site (default: build the bundled seeds)")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: npm ci --prefix bench --ignore-scripts", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            from site_builder.build import Paths, build
            site = Path(tmp) / "output"
            build(Paths(ROOT / "seeds", ROOT / "content", site, ROOT / "templates"))
        server, base = serve_dir(site)
        try:
            print(machine())
            print(f"{'page':<13} {'perf':>5} {'a11y':>5} {'BP':>5} {'SEO':>5} {'CSS+JS':>8}  files")
            ok = True
            for name, path in pages(site).items():
                reports = [lighthouse(base + path) for _ in range(args.runs)]
                scores = {c: statistics.median(round(r["categories"][c]["score"] * 100) for r in reports)
                          for c in CATEGORIES}
                # The run whose performance score is the median one, for the timings.
                typical = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
                size, files = code_bytes(typical)
                print(f"{name:<13} " + " ".join(f"{scores[c]:>5g}" for c in CATEGORIES)
                      + f" {size / 1024:>6.1f}KB  {', '.join(files)}")
                a = typical["audits"]
                print(" " * 14 + ", ".join(f"{label} {a[k]['displayValue']}" for label, k in METRICS))
                missed = [c for c in CATEGORIES if scores[c] < TARGETS[c]] + (["bytes"] if size > BUDGET_BYTES else [])
                if missed:
                    ok = False
                    print(" " * 14 + f"below target: {', '.join(missed)}; " + "; ".join(failed(typical)))
        finally:
            server.shutdown()
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
