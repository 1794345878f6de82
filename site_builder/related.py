"""Similar measures in other regions, by TF-IDF cosine over jieba words, for the "类似措施" links.

Method: each measure becomes a bag of jieba words (two characters or more, minus words common to
nearly every plan such as 加强 and 完善, which carry no topic). Words are weighted TF-IDF across all
measures, and vectors are L2-normalised. A measure's candidates are the measures sharing one of its
eight heaviest words (an inverted index, so the work grows with the corpus, not its square); a text
copied word for word into many plans is compared once. A
candidate from the same region is skipped: the point is to show what other places offer. Up to three
candidates with cosine ≥ THRESHOLD are kept, best first; below it nothing is shown rather than
something weakly related.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import islice

THRESHOLD = 0.22
"""Cosine below which two measures are not called related (chosen by reading the pairs; see bench)."""
TOP_WORDS = 8
"""Heaviest words of a measure used to find candidates."""
MAX_RELATED = 3
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def vectors(bags: list[tuple[str, ...]], copies: list[int] | None = None) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors of texts cut into words (``words``); ``copies[k]``: how many
    measures have text k (a text many plans copy weighs in the IDF as often)."""
    copies = copies or [1] * len(bags)
    counted = [Counter(w for w in bag if _WORD.match(w)) for bag in bags]
    df: Counter[str] = Counter()
    for bag, c in zip(counted, copies):
        for w in bag:
            df[w] += c
    n = sum(copies)
    out = []
    for bag in counted:
        # Words in more than a fifth of all measures (and more than ten) are policy boilerplate.
        vec = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in bag.items() if df[w] <= max(10, n / 5)}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def words(text: str, cut) -> tuple[str, ...]:
    """The words of a measure's text that can make it similar to another (``cut``: jieba)."""
    return tuple(w for w in cut(text) if _WORD.match(w))


def similar(bags: list[tuple[str, ...]], region: list[str]) -> list[list[tuple[int, float]]]:
    """For each measure (its ``words``), up to MAX_RELATED (index, cosine) of measures from another region.

    Plans copy measures from each other word for word, so each distinct text is compared once and
    its matches are handed to every measure that has it."""
    distinct = list(dict.fromkeys(bags))
    number = {b: k for k, b in enumerate(distinct)}
    of = [number[b] for b in bags]
    copies = Counter(of)
    return related(vectors(distinct, [copies[k] for k in range(len(distinct))]), region, of)


def related(vecs: list[dict[str, float]], region: list[str], of: list[int] | None = None) -> list[list[tuple[int, float]]]:
    """For each measure, up to MAX_RELATED (index, cosine) of measures from another region, best
    first, ties by index. ``of[i]`` is measure i's vector (default: vector i)."""
    of = of if of is not None else list(range(len(vecs)))
    holders: list[list[int]] = [[] for _ in vecs]
    for i, k in enumerate(of):
        holders[k].append(i)
    index: dict[str, list[int]] = defaultdict(list)
    tops = []
    for k, v in enumerate(vecs):
        top = sorted(v, key=lambda w: (-v[w], w))[:TOP_WORDS] if holders[k] else []
        tops.append(top)
        for w in top:
            index[w].append(k)
    ranked: dict[int, list[tuple[float, int]]] = {}
    out = []
    for i, k in enumerate(of):
        if k not in ranked:
            ranked[k] = _ranked(k, vecs, tops, index, holders)
        mine = region[i]
        hits: list[tuple[int, float]] = []
        for cos, m in ranked[k]:
            if len(hits) >= MAX_RELATED and cos < hits[-1][1]:
                break  # ties with the last kept one may still win on index
            # The first few of a text's holders are all that can make the cut (ties go by index).
            hits.extend(islice(((j, cos) for j in holders[m] if region[j] != mine), MAX_RELATED))
        hits.sort(key=lambda s: (-s[1], s[0]))
        out.append(hits[:MAX_RELATED])
    return out


def _ranked(k, vecs, tops, index, holders) -> list[tuple[float, int]]:
    """Vectors sharing a heavy word with vector k whose cosine reaches THRESHOLD, best first."""
    v = vecs[k]
    scored = []
    for m in {m for w in tops[k] for m in index[w]}:
        other = vecs[m]
        # fsum: exactly rounded whatever order the set of shared words comes in.
        cos = math.fsum(v[w] * other[w] for w in v.keys() & other.keys())
        if cos >= THRESHOLD:
            scored.append((cos, m))
    scored.sort(key=lambda s: (-s[0], holders[s[1]][0]))
    return scored
