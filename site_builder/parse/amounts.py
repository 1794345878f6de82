"""Money amounts (with their value in yuan and purpose) and non-money figures in item text."""
from __future__ import annotations

import re

from ..model import Amount, Figure

_MULT = {"": 1, "千": 1_000, "万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}

_MONEY = re.compile(
    r"(?P<pre>每(?:人|户|名|家|个|年|月|人每月|户每年|年每户)?(?:企业|村)?)?"
    r"(?P<a>\d+(?:\.\d+)?)\s*(?:(?P<ua>万亿|亿|万|千)元?)?"
    r"(?:\s*[-—–~～至到]\s*(?P<b>\d+(?:\.\d+)?))?"
    r"\s*(?P<u>万亿|亿|万|千)?元"
    r"(?:\s*/\s*(?P<per>人次|人|户|月|年|亩|天|次|个))?"
)
_PURPOSE = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:补贴|补助|奖补资金|奖励|奖补|资金|贷款|津贴|奖金|养老金|低保金|保证金|基金|工资|收入|费)"
)
# Words that end the clause before a purpose: `对首次创业的给予一次性创业补贴` → 一次性创业补贴.
_PURPOSE_CUT = re.compile(r".*(?:给予|发放|提供|享受|落实|按照|按|对|的|给|予)")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*%(?:以上|以下|左右|以内)?")
_COUNT = re.compile(r"\d+(?:\.\d+)?\s*万?(?:人次|人|户|个|家|名|套|所)(?:以上|左右)?")
_DEADLINE = re.compile(r"(?:到|至|力争到|力争)\s*20\d{2}\s*年(?:底|末)?")


def find_amounts(text: str) -> tuple[Amount, ...]:
    """``5000元`` → 5000; ``1万元`` → 10000; ``10-20万元``; ``1000元/人``; ``每户企业50万元``."""
    out = []
    for m in _MONEY.finditer(text):
        unit = m.group("u") or m.group("ua") or ""
        mult = _MULT[unit]
        a = float(m.group("a")) * (_MULT[m.group("ua")] if m.group("ua") and m.group("b") else mult)
        b = float(m.group("b")) * mult if m.group("b") else None
        per = m.group("per") or (m.group("pre")[1:2] if m.group("pre") and len(m.group("pre")) > 1 else None)
        sentence_start = max(text.rfind(c, 0, m.start()) for c in "。；;") + 1
        before = text[sentence_start:m.start()]
        purposes = list(_PURPOSE.finditer(before))
        what = _PURPOSE_CUT.sub("", purposes[-1].group(0)) if purposes else None
        what = what or None
        out.append(Amount(m.group(0).strip(), _num(a), _num(b) if b is not None else None, per, what))
    return tuple(out)


def find_figures(text: str) -> tuple[Figure, ...]:
    """Targets that are not money: ``70%以上``, ``500人以上``, ``到2025年``."""
    money_spans = [m.span() for m in _MONEY.finditer(text)]

    def inside_money(span):
        return any(a <= span[0] < b for a, b in money_spans)

    out = []
    for kind, pat in (("percent", _PERCENT), ("count", _COUNT), ("deadline", _DEADLINE)):
        for m in pat.finditer(text):
            if not inside_money(m.span()):
                out.append((m.start(), Figure(m.group(0).replace(" ", ""), kind)))
    return tuple(f for _, f in sorted(out, key=lambda x: x[0]))


def _num(x: float) -> float:
    return int(x) if float(x).is_integer() else round(x, 2)
