"""Plans that number their items across chapters reach item 100 and beyond."""
from __future__ import annotations

from site_builder.diagnostics import Report
from site_builder.parse import parse_source
from site_builder.read import Source


def test_items_numbered_past_one_hundred(lex):
    lines = ["青石县促进居民增收实施计划", "为提高居民收入，结合我县实际，制定本计划。", "一、促进农村居民增收"]
    for n in range(1, 106):
        if n == 60:
            lines.append("二、促进城镇居民增收")
        lines.append(f"{n}.落实第{n}项增收措施，做好相关工作。(责任单位:县人力资源社会保障局)")
    report = Report()
    plans = parse_source(Source("long.txt", "\n".join(lines) + "\n", "utf-8"), lex, report)
    items = plans[0].items()
    assert [i.marker for i in items] == [f"{n}." for n in range(1, 106)]
    assert [s.marker for s in plans[0].body] == ["一、", "二、"]
    assert not [d for d in report.sorted() if d.level == "error"]
