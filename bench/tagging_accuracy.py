"""Precision and recall of group tagging against the hand labels in tests/seeds/*.expected.json.

Run: .venv/bin/python bench/tagging_accuracy.py   (from the project root)
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder import lexicon  # noqa: E402
from site_builder.diagnostics import Report  # noqa: E402
from site_builder.parse import parse_source  # noqa: E402
from site_builder.read import read_source  # noqa: E402
from site_builder.tagging import Tagger  # noqa: E402
from tests.seeds.compare import _paths, expected  # noqa: E402


def labelled_pairs(lex):
    """(predicted slugs, labelled slugs, where) for every measure/column item the annotators labelled."""
    tagger = Tagger(lex)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        report = Report()
        plans = parse_source(read_source(path, f"seeds/{path.name}", report), lex, report)
        exp = expected(path.stem)
        for plan, ep in zip(plans, exp["plans"]):
            got = {}

            def walk_got(nodes, prefix=()):
                for n, p in zip(nodes, _paths([x.marker for x in nodes], prefix)):
                    if hasattr(n, "kind") and not hasattr(n, "title"):
                        got[p] = n
                    walk_got(n.children, p)

            def walk_exp(nodes, prefix=()):
                for n, p in zip(nodes, _paths([x["marker"] for x in nodes], prefix)):
                    if "kind" in n and n["kind"] in ("measure", "column"):
                        yield p, n
                    yield from walk_exp(n.get("children", []), p)

            walk_got(plan.body)
            for p, n in walk_exp(ep["outline"]):
                item = got.get(p)
                if item is None:
                    continue
                yield {t.slug for t in tagger.tag(item)}, set(n.get("groups", [])), f"{path.stem}:{'/'.join(p)}"


def main() -> int:
    lex = lexicon.load(ROOT / "content")
    tp, fp, fn = Counter(), Counter(), Counter()
    n = 0
    for pred, gold, _where in labelled_pairs(lex):
        n += 1
        for s in pred & gold:
            tp[s] += 1
        for s in pred - gold:
            fp[s] += 1
        for s in gold - pred:
            fn[s] += 1
    print(f"{n} labelled items (measure and column kinds)")
    print(f"{'group':<18} {'P':>6} {'R':>6} {'F1':>6}  tp  fp  fn")
    for g in lex.groups:
        s = g.slug
        p = tp[s] / (tp[s] + fp[s]) if tp[s] + fp[s] else 0.0
        r = tp[s] / (tp[s] + fn[s]) if tp[s] + fn[s] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{s:<18} {p:6.2f} {r:6.2f} {f:6.2f} {tp[s]:3d} {fp[s]:3d} {fn[s]:3d}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, r = T / (T + F), T / (T + N)
    print(f"micro: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
