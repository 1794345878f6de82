"""The served search finds what Chinese readers type: per term, ≥ 95 % of the measures containing it
and ≥ 90 % of what it returns containing it (counting rules in tests/browser/search_quality.py)."""
from __future__ import annotations

import pytest

from tests.browser.search_quality import PRECISION_BAR, RECALL_BAR, TERMS, load_measures, measure


@pytest.fixture(scope="module")
def measures(built_site):
    return load_measures(built_site)


@pytest.mark.parametrize("term", TERMS)
def test_search_finds_the_measures_that_contain_the_term(term, site_url, phone, measures):
    score = measure(phone, site_url, term, measures)
    assert score.engine == "pagefind", f"{term}: results came from {score.engine!r}, not Pagefind"
    if score.truth == 0:
        assert score.via_groups, f"{term}: no measure contains it and no group page was offered"
    else:
        assert score.recall is not None and score.recall >= RECALL_BAR, (
            f"{term}: recall {score.recall:.0%} < {RECALL_BAR:.0%}; missed {list(score.missed)}")
    assert score.precision is not None and score.precision >= PRECISION_BAR, (
        f"{term}: precision {score.precision} < {PRECISION_BAR:.0%}; wrong {list(score.wrong)}")
    assert score.passes
