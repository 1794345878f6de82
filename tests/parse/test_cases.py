"""Fixture-driven parser tests: one tiny invented plan per kind of extraction damage.

Each case is ``cases/<name>.txt`` (the raw text, as an extractor would leave it) with
``cases/<name>.outline``: the outline a careful reader expects, one node per line, indented two
spaces per level::

    marker | kind | heading        an Item (kind: measure/goal/background/safeguard/column;
                                   heading ``-`` when the item has none)
    marker | section | title      a Section (a heading with numbered children)

When a file holds several plans, each plan's nodes follow a line ``=== <plan title>``.

An optional ``cases/<name>.warnings`` lists the warnings the parse must report, one per line as
``<line> | <fragment of the message>``; without it the parse must report no warning at all.
(The "no region" warning is ignored everywhere: the cases use invented place names on purpose.)

The expected files are written from reading the text, never from the parser's output.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from site_builder.diagnostics import Report
from site_builder.model import Item, Plan, Section
from site_builder.parse import parse_source
from site_builder.read import Source

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.stem for p in CASES.glob("*.txt"))
IGNORED_WARNINGS = ("无法判断方案所属地区",)


def parse_case(name: str, lex) -> tuple[list[Plan], Report]:
    path = CASES / f"{name}.txt"
    report = Report()
    text = path.read_text(encoding="utf-8")
    plans = parse_source(Source(f"tests/parse/cases/{name}.txt", text, "utf-8"), lex, report)
    return plans, report


def render_nodes(nodes, depth: int = 0) -> list[str]:
    out = []
    pad = "  " * depth
    for n in nodes:
        if isinstance(n, Section):
            out.append(f"{pad}{n.marker} | section | {n.title}")
        else:
            out.append(f"{pad}{n.marker} | {n.kind} | {n.heading or '-'}")
        out += render_nodes(n.children, depth + 1)
    return out


def render(plans: list[Plan]) -> list[str]:
    if len(plans) == 1:
        return render_nodes(plans[0].body)
    out = []
    for p in plans:
        out.append(f"=== {p.title}")
        out += render_nodes(p.body)
    return out


def read_lines(path: Path) -> list[str]:
    return [l.rstrip() for l in path.read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.lstrip().startswith("#")]


def warnings(report: Report) -> list[tuple[int | None, str]]:
    return [(d.line, d.message) for d in report.items
            if d.level in ("warning", "error") and not any(w in d.message for w in IGNORED_WARNINGS)]


def test_every_case_has_an_outline():
    assert NAMES, "no cases found"
    missing = [n for n in NAMES if not (CASES / f"{n}.outline").exists()]
    assert not missing, f"cases without .outline: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_outline(name, lex):
    plans, _ = parse_case(name, lex)
    got = render(plans)
    want = read_lines(CASES / f"{name}.outline")
    if got != want:
        diff = "\n".join(difflib.unified_diff(want, got, "expected", "parsed", lineterm="", n=2))
        pytest.fail(f"outline of {name}.txt differs:\n{diff}", pytrace=False)


@pytest.mark.parametrize("name", NAMES)
def test_warnings(name, lex):
    _, report = parse_case(name, lex)
    got = warnings(report)
    spec = CASES / f"{name}.warnings"
    want = []
    if spec.exists():
        for l in read_lines(spec):
            line, frag = (x.strip() for x in l.split("|", 1))
            want.append((int(line), frag))
    unmatched = list(got)
    missing = []
    for line, frag in want:
        hit = next((g for g in unmatched if g[0] == line and frag in g[1]), None)
        if hit is None:
            missing.append(f"line {line}: …{frag}…")
        else:
            unmatched.remove(hit)
    problems = [f"missing warning {m}" for m in missing]
    problems += [f"unexpected warning line {l}: {m}" for l, m in unmatched]
    if problems:
        pytest.fail(f"{name}.txt:\n  " + "\n  ".join(problems) +
                    "\n  all warnings: " + repr(got), pytrace=False)


# ------------------------------------------------------------ case-specific checks

def one_plan(name, lex) -> Plan:
    plans, _ = parse_case(name, lex)
    assert len(plans) == 1, [p.title for p in plans]
    return plans[0]


def find_item(plan: Plan, heading: str) -> Item:
    for it in plan.items():
        if it.heading == heading:
            return it
    raise AssertionError(f"no item with heading {heading!r}: {[i.heading for i in plan.items()]}")
