"""Related measures: similar words across regions, never the same region, nothing when weakly similar."""
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.related import related, similar, vectors, words
from site_builder.tagging import Tagger


def test_similar_measures_in_other_regions_are_found_and_unrelated_ones_are_not(lex):
    cut = Tagger(lex).tokens
    texts = [
        "完善社会救助制度，提高城乡低保标准，做好特困人员供养和临时救助。",       # A
        "健全社会救助体系，提高低保标准，加强特困人员供养和临时救助工作。",       # B (other region)
        "完善社会救助制度，提高城乡低保标准，做好特困人员供养和临时救助。",       # C (same region as A)
        "建设冷链物流园，提高农产品冷藏保鲜能力，降低损腐率。",                   # D
        "发展乡村旅游民宿，打造精品线路和旅游村镇。",                             # E
        "推进渔港经济区建设，培育水产品精深加工。",                               # F
    ] + [f"第{i}项其他工作，推进机关作风建设和档案数字化。" for i in range(8)]
    regions = ["x", "y", "x", "z", "y", "w"] + ["v"] * 8
    bags = [words(t, cut) for t in texts]
    found = related(vectors(bags), regions)
    assert similar(bags, regions) == found
    assert [j for j, _ in found[0]] == [1]          # B, not C from A's own region
    assert found[0][0][1] >= 0.22
    assert found[3] == [] and found[4] == []        # nothing similar enough: nothing shown
    assert all(len(hits) <= 3 for hits in found)


VOCAB = [a + b for a in "农渔工学" for b in "民业人生"]


def _reference(bags, regions):
    """The method as the module docstring states it, scoring every pair that shares a heavy word:
    on a corpus this small, no bound on postings or candidates cuts anything."""
    import math
    from collections import Counter

    from site_builder import related as rel
    n = len(bags)
    df = Counter(w for bag in bags for w in set(bag))
    vecs = []
    for bag in bags:
        vec = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in Counter(bag).items() if df[w] <= max(10, n / 5)}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vecs.append({w: v / norm for w, v in vec.items()})
    tops = [set(sorted(v, key=lambda w: (-v[w], w))[:rel.TOP_WORDS]) for v in vecs]
    out = []
    for i, v in enumerate(vecs):
        hits = []
        for j, o in enumerate(vecs):
            if regions[j] != regions[i] and tops[i] & tops[j]:
                cos = math.fsum(v[w] * o[w] for w in v.keys() & o.keys())
                if cos >= rel.THRESHOLD:
                    hits.append((j, cos))
        hits.sort(key=lambda h: (-h[1], h[0]))
        out.append(hits[:rel.MAX_RELATED])
    return out


@given(st.lists(st.tuples(st.lists(st.sampled_from(VOCAB), max_size=8).map(tuple), st.sampled_from("abc")),
                min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_similar_finds_what_scoring_every_pair_finds_on_a_small_corpus(corpus):
    # Texts copied between plans are scored once; candidates come from an index of heavy words.
    bags = [b for b, _r in corpus]
    regions = [r for _b, r in corpus]
    found = similar(bags, regions)
    expected = _reference(bags, regions)
    assert [[j for j, _c in hits] for hits in found] == [[j for j, _c in hits] for hits in expected]
    assert all(c == d for f, e in zip(found, expected) for (_j, c), (_k, d) in zip(f, e))


def test_the_candidates_scored_are_those_sharing_most_heavy_words_ties_by_index(monkeypatch):
    from site_builder import related as rel
    monkeypatch.setattr(rel, "MAX_CANDIDATES", 3)
    same = {"农民": 0.6, "渔业": 0.8}
    vecs = [same] * 5
    tops = [["农民", "渔业"]] * 5
    index = {"农民": [4, 3, 2, 1, 0], "渔业": [0, 1, 3, 4]}  # 0, 1, 3 and 4 share both; 2 one
    [scored] = rel._score(range(1), (vecs, tops, index))
    assert [m for _cos, m in scored] == [0, 1, 3]
