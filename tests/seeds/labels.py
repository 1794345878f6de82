"""Group tagging scored against the hand labels in tests/seeds/*.expected.json (bench and tests share it)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from site_builder.diagnostics import Report
from site_builder.library import link
from site_builder.parse import parse_source
from site_builder.read import read_source

from .compare import _paths, expected

ROOT = Path(__file__).resolve().parents[2]


def labelled_pairs(lex):
    """(predicted slugs, labelled slugs, where) for every measure/column item the annotators labelled.

    Tags come from the real linking step (headings above an item count), without editors' overrides."""
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        report = Report()
        plans = parse_source(read_source(path, f"seeds/{path.name}", report), lex, report)
        tags = {id(e.item): e.tags for e in link(list(plans), lex, date(2026, 1, 1), report).entries}
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
                if item is not None:
                    yield {t.slug for t in tags[id(item)]}, set(n.get("groups", [])), f"{path.stem}:{'/'.join(p)}"


@dataclass(frozen=True)
class Score:
    """Counts over all labelled items."""

    items: int
    tp: Counter
    fp: Counter
    fn: Counter

    def precision(self, slug: str | None = None) -> float:
        t, f = (self.tp[slug], self.fp[slug]) if slug else (sum(self.tp.values()), sum(self.fp.values()))
        return t / (t + f) if t + f else 0.0

    def recall(self, slug: str | None = None) -> float:
        t, f = (self.tp[slug], self.fn[slug]) if slug else (sum(self.tp.values()), sum(self.fn.values()))
        return t / (t + f) if t + f else 0.0

    def f1(self, slug: str | None = None) -> float:
        p, r = self.precision(slug), self.recall(slug)
        return 2 * p * r / (p + r) if p + r else 0.0


def score(lex) -> Score:
    tp, fp, fn = Counter(), Counter(), Counter()
    n = 0
    for pred, gold, _where in labelled_pairs(lex):
        n += 1
        tp.update(pred & gold)
        fp.update(pred - gold)
        fn.update(gold - pred)
    return Score(n, tp, fp, fn)
