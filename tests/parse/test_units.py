"""Responsible departments at the end of an item: labels, lead rules, ▲ marks, canonical names."""
from __future__ import annotations

import pytest

from site_builder.diagnostics import Report
from site_builder.parse import parse_source
from site_builder.parse.units import split_units
from site_builder.read import Source

HR = "人力资源和社会保障部门"


def test_lead_and_partner_labels_with_pdf_spaces():
    text, units = split_units(
        "推进农业产业化经营。(牵头单位: 新区农业局 ;配合单位: 新区商务局、财政金融局)", False)
    assert text == "推进农业产业化经营。"
    assert units.lead == ("新区农业局",)
    assert units.others == ("新区商务局", "财政金融局")
    assert not units.lead_first_rule


def test_lead_and_responsible_labels_split_by_comma():
    text, units = split_units("完善工资指导线制度。（牵头单位：县人力资源社会保障局，责任单位：县财政局）", False)
    assert text == "完善工资指导线制度。"
    assert units.lead == ("县人力资源社会保障局",)
    assert units.others == ("县财政局",)


def test_responsible_only_keeps_bracketed_township_and_drops_deng():
    _, units = split_units(
        "畅通维权渠道。（责任单位：区人力资源社会保障局、区农业农村局，各乡〔镇、街道〕等）", False)
    assert units.lead == ()
    assert units.others == ("区人力资源社会保障局", "区农业农村局", "各乡〔镇、街道〕")


def test_lead_first_rule_stated_then_inherited():
    _, first = split_units(
        "提高技能人才待遇。（市人力资源社会保障局、教育局，市委宣传部负责，列第一位的为牵头单位，下同）", False)
    assert first.lead_first_rule
    assert first.lead == ("市人力资源社会保障局",)
    assert first.others == ("教育局", "市委宣传部")
    # A later parenthesis without the rule: the plan's 下同 makes its first unit the lead.
    _, later = split_units("拓宽农民增收渠道。（市农业局、民政局负责）", True)
    assert later.lead == ("市农业局",)
    assert later.others == ("民政局",)
    # Without the rule in force, unlabelled units are not leads.
    _, plain = split_units("拓宽农民增收渠道。（市农业局、民政局负责）", False)
    assert plain.lead == ()
    assert plain.others == ("市农业局", "民政局")


def test_triangle_marks_the_lead():
    text, units = split_units("完善工作机制。(责任单位:▲区委办、区府办 )", False)
    assert text == "完善工作机制。"
    assert units.lead == ("区委办",)
    assert units.others == ("区府办",)


@pytest.mark.parametrize("name", ["区人力资源社会保障局", "新区人力资源和社会保障局", "区人力社保局",
                                  "市人力资源社会保障局"],
                         ids=["district", "new-area-he", "short-form", "city"])
def test_canonical_department(lex, name):
    assert lex.canonical_department(name) == HR


PLAN = """某某市激发重点群体活力带动城乡居民增收实施方案
为激发重点群体活力，带动城乡居民增收，结合我市实际，制定本实施方案。
一、主要任务
1. 完善技术工人薪酬激励机制。鼓励企业采取协议薪酬等方式提高技能人才待遇。（市人力资源社会保障局、教育局，市委宣传部负责，列第一位的为牵头单位，下同）
2. 拓宽新型职业农民增收渠道。深入推进农村集体产权制度改革。（市农业局、人力资源社会保障局负责）
"""


def test_lead_first_rule_carries_to_later_items_in_a_plan(lex):
    """The rule stated in item 1 (下同) makes the first unit of item 2 its lead, with canonical names."""
    report = Report()
    [plan] = parse_source(Source("t.txt", PLAN, "utf-8"), lex, report)
    one, two = plan.items()
    assert [(u.name, u.canonical, u.lead) for u in one.lead_units] == [("市人力资源社会保障局", HR, True)]
    assert [(u.name, u.lead) for u in one.units] == [("教育局", False), ("市委宣传部", False)]
    assert [(u.name, u.lead) for u in two.lead_units] == [("市农业局", True)]
    assert [(u.name, u.canonical) for u in two.units] == [("人力资源社会保障局", HR)]
    # The parenthesis is not part of the item's text.
    assert "负责" not in one.text and "负责" not in two.text
