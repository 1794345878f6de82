"""Similar measures in other regions, by TF-IDF cosine over jieba words, for the "类似措施" links.

Method: each measure becomes a bag of jieba words (two characters or more, minus words common to
nearly every plan such as 加强 and 完善, which carry no topic). Words are weighted TF-IDF across all
measures, and vectors are L2-normalised. A measure's candidates are the measures sharing one of its
eight heaviest words (an inverted index, so the work grows with the corpus, not its square). A
candidate from the same region is skipped: the point is to show what other places offer. Up to three
candidates with cosine ≥ THRESHOLD are kept, best first; below it nothing is shown rather than
something weakly related.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

THRESHOLD = 0.22
"""Cosine below which two measures are not called related (chosen by reading the pairs; see bench)."""
TOP_WORDS = 8
"""Heaviest words of a measure used to find candidates."""
MAX_RELATED = 3
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def vectors(texts: list[str], cut) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors of the texts; ``cut`` splits a text into words (jieba)."""
    bags = [Counter(w for w in cut(t) if _WORD.match(w)) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    n = len(bags)
    out = []
    for bag in bags:
        # Words in more than a fifth of all measures (and more than ten) are policy boilerplate.
        vec = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in bag.items() if df[w] <= max(10, n / 5)}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def related(vecs: list[dict[str, float]], region: list[str]) -> list[list[tuple[int, float]]]:
    """For each vector, up to MAX_RELATED (index, cosine) of vectors from another region."""
    index: dict[str, list[int]] = defaultdict(list)
    tops = []
    for i, v in enumerate(vecs):
        top = sorted(v, key=lambda w: (-v[w], w))[:TOP_WORDS]
        tops.append(top)
        for w in top:
            index[w].append(i)
    out = []
    for i, v in enumerate(vecs):
        candidates = {j for w in tops[i] for j in index[w] if region[j] != region[i]}
        scored = []
        for j in candidates:
            other = vecs[j]
            small, big = (v, other) if len(v) < len(other) else (other, v)
            cos = sum(x * big.get(w, 0.0) for w, x in small.items())
            if cos >= THRESHOLD:
                scored.append((j, cos))
        scored.sort(key=lambda s: (-s[1], s[0]))
        out.append(scored[:MAX_RELATED])
    return out
