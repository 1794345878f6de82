"""Precision and recall of group tagging against the hand labels in tests/seeds/*.expected.json.

Run: .venv/bin/python bench/tagging_accuracy.py [--errors]   (from the project root)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder import lexicon  # noqa: E402
from tests.seeds.labels import labelled_pairs, score  # noqa: E402


def main() -> int:
    lex = lexicon.load(ROOT / "content")
    s = score(lex)
    print(f"{s.items} labelled items (measure and column kinds)")
    print(f"{'group':<18} {'P':>6} {'R':>6} {'F1':>6}  tp  fp  fn")
    for g in lex.groups:
        k = g.slug
        print(f"{k:<18} {s.precision(k):6.2f} {s.recall(k):6.2f} {s.f1(k):6.2f} {s.tp[k]:3d} {s.fp[k]:3d} {s.fn[k]:3d}")
    print(f"micro: P {s.precision():.3f} R {s.recall():.3f} F1 {s.f1():.3f}")
    if "--errors" in sys.argv:
        for pred, gold, where in labelled_pairs(lex):
            if pred != gold:
                print(f"{where}  extra: {' '.join(sorted(pred - gold)) or '-'}  missed: {' '.join(sorted(gold - pred)) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
