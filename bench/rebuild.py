"""Cold build, unchanged rebuild and rebuild after editing one plan, for the bundled seeds.

Run: .venv/bin/python bench/rebuild.py [--no-search]   (from the project root)
Prints wall seconds for each build, all made in this one process as ``site-builder serve`` makes
them (site_builder.build.build): jieba's dictionary, once loaded, stays loaded. A separate
``site-builder build`` after an edit loads it again (about a second more; bench/run.py --n 5
--rebuild measures that case). The edit adds a sentence to the middle of the first plan, so its
measures, their search records and the pages listing them change.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.build import Paths, build  # noqa: E402


def timed(paths: Paths, cache: Path, index: bool) -> float:
    start = time.perf_counter()
    summary = build(paths, index=index, cache_dir=cache)
    took = time.perf_counter() - start
    print("  steps: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in summary.timings), file=sys.stderr)
    return took


def main() -> int:
    index = "--no-search" not in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "seeds", work / "seeds")
        paths = Paths(work / "seeds", ROOT / "content", work / "output", ROOT / "templates")
        cache = work / ".cache"
        cold = timed(paths, cache, index)
        same = timed(paths, cache, index)
        seed = sorted((work / "seeds").glob("*.txt"))[0]
        text = seed.read_text(encoding="utf-8")
        cut = text.rfind("。", 0, len(text) // 2)
        seed.write_text(text[:cut + 1] + "加强宣传解读，及时回应群众关切。" + text[cut + 1:], encoding="utf-8")
        edited = timed(paths, cache, index)
    print(f"search index: {'yes' if index else 'no'}")
    print(f"cold build (empty cache):        {cold:6.2f} s")
    print(f"rebuild, nothing changed:        {same:6.2f} s")
    print(f"rebuild after editing one plan:  {edited:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
