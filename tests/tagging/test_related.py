"""Related measures: similar words across regions, never the same region, nothing when weakly similar."""
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
