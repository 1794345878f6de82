"""Each seed against its hand-made expected outline (written by reading the raw text)."""
from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.diagnostics import Report
from site_builder.parse import parse_source
from site_builder.read import read_source

from .compare import compare, expected

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def results(lex):
    out = {}
    for path in SEEDS:
        report = Report()
        plans = parse_source(read_source(path, f"seeds/{path.name}", report), lex, report)
        out[path.stem] = (plans, report, compare(plans, expected(path.stem)))
    return out


@pytest.mark.parametrize("seed", [p.stem for p in SEEDS])
def test_every_item_found_once_and_none_invented(results, seed):
    _plans, _report, r = results[seed]
    assert r.structure == []
    assert r.items_found == r.items_expected


@pytest.mark.parametrize("seed", [p.stem for p in SEEDS])
def test_metadata(results, seed):
    assert results[seed][2].metadata == []


@pytest.mark.parametrize("seed", [p.stem for p in SEEDS])
def test_kinds_and_departments(results, seed):
    r = results[seed][2]
    assert r.kinds == []
    assert r.units == []


def test_headings_and_amounts_agree_with_the_reading(results):
    """Headings are judgement calls in places; across all seeds at least 97 % must agree."""
    aligned = sum(r.aligned for _p, _rep, r in results.values())
    heading_misses = sum(len(r.headings) for _p, _rep, r in results.values())
    amount_misses = sum(len(r.amounts) for _p, _rep, r in results.values())
    assert aligned > 400
    assert heading_misses / aligned <= 0.03, [h for _p, _rep, r in results.values() for h in r.headings]
    assert amount_misses / aligned <= 0.02, [a for _p, _rep, r in results.values() for a in r.amounts]


def test_damaged_seeds_report_what_they_repaired(results):
    _plans, report, _r = results["002_440d730fb9ca83c7"]
    lost = [d for d in report.items if d.level == "warning" and "丢失" in d.message]
    assert [d.line for d in lost] == [298, 314]
    _plans, report, _r = results["000_a07863f6e5f64879"]
    assert any(d.line == 18 and "截断" in d.message for d in report.items)


def test_source_spans_point_into_the_file(results):
    for seed, (plans, _rep, _r) in results.items():
        n_lines = (ROOT / "seeds" / f"{seed}.txt").read_text(encoding="utf-8").count("\n") + 1
        for plan in plans:
            for item in plan.items():
                assert 1 <= item.span.line <= item.span.end_line <= n_lines, (seed, item.key)
