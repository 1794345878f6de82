"""Similar measures in other regions, by TF-IDF cosine over jieba words, for the "类似措施" links.

Method: each measure becomes a bag of the jieba words of its heading, text and table cells (the
cut the tagger made; two characters or more, minus words common to nearly every plan such as 加强
and 完善, which carry no topic). Words are weighted TF-IDF across all measures, and vectors are
L2-normalised. A text copied word for word into many plans is one vector. A vector's candidates
are found through its eight heaviest words (an inverted index keeping, for a word heavy in very
many texts, the MAX_POSTINGS where it weighs most); the MAX_CANDIDATES sharing the most of those
words are scored exactly, so the work per measure stays bounded at national scale. A candidate
from the same region is skipped: the point is to show what other places offer. Up to three
candidates with cosine ≥ THRESHOLD are kept, best first; below it nothing is shown rather than
something weakly related. At 3,000 synthetic plans the bounds left 98 % of the lists exactly as
scoring every candidate gave them, in under a third of the time (README, Performance).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import chain, islice, repeat
from operator import add, mul

from . import parallel

THRESHOLD = 0.22
"""Cosine below which two measures are not called related (chosen by reading the pairs; see bench)."""
TOP_WORDS = 8
"""Heaviest words of a measure used to find candidates."""
MAX_RELATED = 3
MAX_POSTINGS = 200
"""Texts kept per heavy word for finding candidates."""
MAX_CANDIDATES = 40
"""Candidates scored per distinct text: those sharing the most heavy words with it."""
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def vectors(bags: list[tuple[str, ...]], copies: list[int] | None = None) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors of texts as ``words`` gives them; ``copies[k]``: how many
    measures have text k (a text many plans copy weighs in the IDF as often)."""
    copies = copies or [1] * len(bags)
    counted = [Counter(bag) for bag in bags]
    df: Counter[str] = Counter()
    for bag, c in zip(counted, copies):
        for w in bag:
            df[w] += c
    n = sum(copies)
    # Words in more than a fifth of all measures (and more than ten) are policy boilerplate. Each
    # word's IDF is worked out once, not once per text holding it: the same floats.
    idf = {w: math.log(n / d) for w, d in df.items() if d <= max(10, n / 5)}
    out = []
    for bag in counted:
        vec = {w: (1 + math.log(c)) * idf[w] for w, c in bag.items() if w in idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def words(text: str, cut) -> tuple[str, ...]:
    """The words of a measure's text that can make it similar to another (``cut``: jieba)."""
    return tuple(w for w in cut(text) if _WORD.match(w))


def similar(bags: list[tuple[str, ...]], region: list[str], jobs: int = 1) -> list[list[tuple[int, float]]]:
    """For each measure (its ``words``), up to MAX_RELATED (index, cosine) of measures from another region.

    Plans copy measures from each other word for word, so each distinct text is compared once and
    its matches are handed to every measure that has it."""
    distinct = list(dict.fromkeys(bags))
    number = {b: k for k, b in enumerate(distinct)}
    of = [number[b] for b in bags]
    copies = Counter(of)
    return related(vectors(distinct, [copies[k] for k in range(len(distinct))]), region, of, jobs)


def related(vecs: list[dict[str, float]], region: list[str], of: list[int] | None = None,
            jobs: int = 1) -> list[list[tuple[int, float]]]:
    """For each measure, up to MAX_RELATED (index, cosine) of measures from another region, best
    first, ties by index. ``of[i]`` is measure i's vector (default: vector i); ``jobs``: processes
    scoring pairs (the result is the same)."""
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
    for w, postings in index.items():
        # A heavy word of very many texts: those where it weighs most stand for it.
        if len(postings) > MAX_POSTINGS:
            index[w] = sorted(postings, key=lambda k: (-vecs[k][w], k))[:MAX_POSTINGS]
    ranked = _ranked(vecs, tops, index, holders, jobs)
    out = []
    for i, k in enumerate(of):
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


def _ranked(vecs, tops, index, holders, jobs: int) -> list[list[tuple[float, int]]]:
    """For each vector, the vectors scored against it whose cosine reaches THRESHOLD, best first."""
    chunks = [range(k, min(k + CHUNK, len(vecs))) for k in range(0, len(vecs), CHUNK)]
    ranked: list[list[tuple[float, int]]] = []
    for scored in parallel.run(_score, chunks, (vecs, tops, index), jobs):
        ranked.extend(scored)
    for scored in ranked:
        scored.sort(key=lambda s: (-s[0], holders[s[1]][0]))
    return ranked


CHUNK = 128
"""Vectors a worker scores at a time."""


def _score(ks: range, shared) -> list[list[tuple[float, int]]]:
    """For each k in ``ks``: (cosine, m) of its candidates m that reach THRESHOLD.

    The candidates are the MAX_CANDIDATES vectors sharing the most heavy words with k (ties by
    index), so the work per measure is bounded however large the corpus and however many plans
    copy one text."""
    vecs, tops, index = shared
    size = len(vecs)
    zeros = repeat(0.0)
    out = []
    for k in ks:
        v = vecs[k]
        common = Counter(chain.from_iterable(index[w] for w in tops[k]))
        # Most words shared first, ties by index, as one int each (index - count × size) sorted
        # in C: sorting the (index, count) pairs twice took longer than scoring.
        best = sorted(map(add, common, map(mul, common.values(), repeat(-size))))[:MAX_CANDIDATES]
        scored = []
        for m in best:
            m %= size
            other = vecs[m]
            # Every word of the shorter looked up in the longer (an absent one weighs 0.0): in C,
            # where making the set of shared words was two thirds of the time. fsum: exactly
            # rounded, so the zeros and the side looked up from change nothing.
            a, b = (v, other) if len(v) <= len(other) else (other, v)
            cos = math.fsum(map(mul, a.values(), map(b.get, a, zeros)))
            if cos >= THRESHOLD:
                scored.append((cos, m))
        out.append(scored)
    return out
