"""Cold build, unchanged rebuild and rebuild after editing one plan, in one process as serve makes them.

Run: .venv/bin/python bench/rebuild.py [--no-search] [--seeds DIR] [-j N]   (from the project root)
Prints wall seconds for each build, all made in this one process as ``site-builder serve`` makes
them (site_builder.build.build): jieba's dictionary, once loaded, stays loaded, and so do the
parses and what was linked and digested from them (``build.Kept``). The unchanged rebuild is replayed (site_builder/replay.py). A separate
``site-builder build`` after an edit loads it again (about a second more; bench/run.py --n 5
--rebuild measures that case). The edit adds a sentence to the middle of the first plan, so its
measures, their search records and the pages listing them change. After it, the same edit is
made again the way serve makes it: the pages go out with the previous search index, then the
index is made (``search_later``, ``index_later``); both times are printed, and when serve's
preview of the edited plan's pages was handed out.

``--seeds DIR`` builds another folder of plans (bench/run.py's corpus, say bench/out/corpus-3000/txt)
instead of the bundled seeds; ``-j`` sets the worker processes (default: one per core).
"""
from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder import parallel  # noqa: E402
from site_builder.build import Kept, Paths, build, index_later  # noqa: E402


def timed(paths: Paths, cache: Path, index: bool, jobs: int, kept: Kept, **kw) -> float:
    start = time.perf_counter()
    summary = build(paths, index=index, cache_dir=cache, jobs=jobs, kept=kept, **kw)
    took = time.perf_counter() - start
    # As serve does once a build is out, while it waits for the next edit; not part of the build.
    # Left out, the full collection falls inside the next build (about 4 s at 3,000 plans).
    start = time.perf_counter()
    gc.collect()
    print(f"  steps: {', '.join(f'{name} {seconds:.2f}' for name, seconds in summary.timings)}; "
          f"pages rendered {summary.rendered} of {summary.pages}; then serve's collection while "
          f"idle {time.perf_counter() - start:.2f}", file=sys.stderr)
    return took


def edit(seeds: Path, times: int) -> None:
    seed = sorted(seeds.glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    cut = text.rfind("。", 0, len(text) // 2)
    seed.write_text(text[:cut + 1] + "加强宣传解读，及时回应群众关切。" * times + text[cut + 1:], encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("-j", type=int, default=parallel.cores())
    args = ap.parse_args()
    index = not args.no_search
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(args.seeds, work / "seeds")
        paths = Paths(work / "seeds", ROOT / "content", work / "output", ROOT / "templates")
        cache = work / ".cache"
        kept = Kept()  # from one build to the next, as serve keeps it
        cold = timed(paths, cache, index, args.j, kept)
        same = timed(paths, cache, index, args.j, kept)
        original = sorted((work / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
        edit(work / "seeds", 1)
        edited = timed(paths, cache, index, args.j, kept)
        pages_out = search_after = None
        shown: list[float] = []
        if index:
            sorted((work / "seeds").glob("*.txt"))[0].write_text(original, encoding="utf-8")
            edit(work / "seeds", 2)
            start = time.perf_counter()
            pages_out = timed(paths, cache, index, args.j, kept, search_later=True,
                              preview=lambda pages: shown.append(time.perf_counter() - start))
            start = time.perf_counter()
            index_later(paths, cache_dir=cache)
            search_after = time.perf_counter() - start
    print(f"plans: {args.seeds}; search index: {'yes' if index else 'no'}; jobs: {args.j}")
    print(f"cold build (empty cache):        {cold:7.2f} s")
    print(f"rebuild, nothing changed:        {same:7.2f} s")
    print(f"rebuild after editing one plan:  {edited:7.2f} s")
    if pages_out is not None:
        print(f"  as serve makes it: pages out   {pages_out:7.2f} s, then the search index {search_after:7.2f} s")
        print(f"  … the edited plan's pages out  {shown[0]:7.2f} s (serve's preview)" if shown
              else "  … no preview of the edited plan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
