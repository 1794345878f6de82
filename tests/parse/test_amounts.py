"""Money amounts in yuan (single, range, per-unit) and figures that are not money."""
from __future__ import annotations

import pytest

from site_builder.parse.amounts import find_amounts, find_figures


@pytest.mark.parametrize("text, printed, yuan", [
    ("给予一次性奖励5000元", "5000元", 5000),
    ("最高可申请1万元", "1万元", 10_000),
    ("贷款额度提高到50万元", "50万元", 500_000),
    ("安排专项资金2000万元", "2000万元", 20_000_000),
    ("培育形成1亿元的产业链", "1亿元", 100_000_000),
], ids=["5000", "1wan", "50wan", "2000wan", "1yi"])
def test_single_amount_in_yuan(text, printed, yuan):
    [a] = find_amounts(text)
    assert (a.text, a.yuan, a.yuan_max, a.per) == (printed, yuan, None, None)


def test_range_is_lower_bound_with_max():
    [a] = find_amounts("家庭年可支配收入10-20万元的群体比例达到80%")
    assert a.text == "10-20万元"
    assert a.yuan == 100_000
    assert a.yuan_max == 200_000


def test_per_person_after_slash():
    [a] = find_amounts("按1000元/人的标准给予培训补贴")
    assert (a.text, a.yuan, a.per) == ("1000元/人", 1000, "人")


def test_per_household_before_amount():
    [a] = find_amounts("对新建家庭农场每户20万元的奖补")
    assert a.yuan == 200_000
    assert a.per == "户"
    assert "每户" in a.text


def test_several_amounts_in_order():
    got = [a.yuan for a in find_amounts("城镇居民人均可支配收入达22885元，农民达11178元，储蓄余额331亿元")]
    assert got == [22885, 11178, 33_100_000_000]


def test_percent_and_head_count_are_figures_not_amounts():
    text = "培训合格率达到70%，每年培训500人"
    assert find_amounts(text) == ()
    figs = [(f.text, f.kind) for f in find_figures(text)]
    assert ("70%", "percent") in figs
    assert ("500人", "count") in figs


def test_money_is_not_also_a_figure():
    assert find_figures("给予1000元/人的补贴") == ()


def test_purpose_is_the_subsidy_name():
    """Amount.what is what the money is for — the model's own example is 一次性创业补贴."""
    [a] = find_amounts("对首次创业的给予一次性创业补贴5000元")
    assert a.what == "一次性创业补贴"
