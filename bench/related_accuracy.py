"""Share of shown "其他地区的类似措施" pairs a reader calls related, from hand labels in bench/data.

The labels (bench/data/related_labels.jsonl) are a random sample of 50 of the pairs the seeds
showed when labelled (threshold 0.22); each was read and judged related or not. This script
rebuilds the pairs and reports how many labelled pairs are still shown and the precision on them,
plus how many shown pairs are unlabelled (label more when that grows).

Run: .venv/bin/python bench/related_accuracy.py   (from the project root)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.build import Paths, load  # noqa: E402
from site_builder.library import with_related  # noqa: E402
from site_builder.diagnostics import Report  # noqa: E402


def main() -> int:
    _, _, lib, similar, _ = load(Paths(ROOT / "seeds", ROOT / "content", ROOT / "output", ROOT / "templates"), Report())
    lib = with_related(lib, similar.measures, similar.find())
    shown = {(a, o.id) for a, hits in lib.related.items() for o, _c in hits}
    labels = [json.loads(line) for line in (ROOT / "bench/data/related_labels.jsonl").read_text(encoding="utf-8").splitlines()]
    judged = [lab for lab in labels if (lab["a"], lab["b"]) in shown]
    good = sum(1 for lab in judged if lab["related"])
    print(f"pairs shown: {len(shown)} under {len(lib.related)} measures")
    print(f"labelled pairs still shown: {len(judged)} of {len(labels)}; judged related: {good}"
          f" ({good / len(judged):.0%})" if judged else "no labelled pair is shown")
    print(f"shown pairs without a label: {len(shown - {(lab['a'], lab['b']) for lab in labels})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
