"""Parsing time grows with the file, not with its square: many plans in one file, one number repeated."""
from __future__ import annotations

import time

from site_builder.diagnostics import Report
from site_builder.parse import parse_source
from site_builder.read import Source

# Measured on the development machine before the fix, at 1,500 plans and 8,000 repeats: 498 s and
# 25 s (every plan rescanned the whole file for ~3,000 place names; every repeat of a number
# rescanned all earlier copies). After it: 1.7 s and 2.7 s. The sizes below keep the old code far
# above the limit (it grows with the square) and the new one far below.
LIMIT_SECONDS = 15


def timed_parse(text: str, lex) -> tuple[float, list, Report]:
    report = Report()
    started = time.perf_counter()
    plans = parse_source(Source("seeds/x.txt", text, "utf-8"), lex, report)
    return time.perf_counter() - started, plans, report


def test_a_file_of_many_small_plans(lex):
    plan = "某某县居民增收实施方案\n\n为促进城乡居民持续增收，结合本县实际，制定本方案。这是一个足够长的段落。\n"
    seconds, plans, _ = timed_parse(plan * 600, lex)
    assert len(plans) == 600
    assert seconds < LIMIT_SECONDS, f"{seconds:.1f} s"


def test_one_number_repeated_thousands_of_times(lex):
    text = "某某县居民增收实施方案\n\n为促进城乡居民持续增收，结合本县实际，制定本方案。\n" + "一、重复的标题\n" * 10000
    seconds, plans, report = timed_parse(text, lex)
    assert len(plans) == 1
    assert sum("重复" in d.message for d in report.items) == 9999
    assert seconds < LIMIT_SECONDS, f"{seconds:.1f} s"
