"""Editors' corrections (plan metadata) and overrides (measure groups) win and are listed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder import cli
from site_builder.build import Paths, load
from site_builder.diagnostics import Report

ROOT = Path(__file__).resolve().parents[2]
PLAN = """某某县促进居民增收实施方案

一、重点任务

1.支持农民工返乡创业。对首次创业的给予5000元一次性创业补贴。（县人力资源社会保障局负责）

2.发展乡村旅游。带动农民增收。（县文化和旅游局负责）
"""


@pytest.fixture()
def site(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "county.txt").write_text(PLAN, encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("corrections", "overrides.toml"))
    (content / "corrections").mkdir()
    return Paths(seeds, content, tmp_path / "out", ROOT / "templates")


def _load(paths):
    report = Report()
    _, _, lib, _, edits = load(paths, report)
    return lib, edits, report


def test_without_corrections_the_parse_stands(site):
    lib, edits, report = _load(site)
    [plan] = lib.plans
    assert plan.date is None and plan.issuer is None and plan.period is None
    assert edits == ()


def test_corrections_win_and_are_listed(site):
    (site.content / "corrections" / "county.toml").write_text(
        '# 更正\n[plan1]\nissuer = "某某县人民政府办公室"\ndate = "2023-05-06"\nperiod = "2023-2025"\n'
        'doc_number = "某政办发 2023 12 号"\nregion = "330305"\nstatus = "已废止"\ncites = ["国发[2016]56号"]\n',
        encoding="utf-8")
    lib, edits, report = _load(site)
    [plan] = lib.plans
    assert plan.issuer == "某某县人民政府办公室"
    assert plan.date == "2023-05-06"
    assert plan.period == (2023, 2025)
    assert plan.doc_number == "某政办发〔2023〕12号"
    assert plan.region.full_name == "浙江省温州市洞头区" and plan.region.code == "330305"
    assert plan.cites == ("国发〔2016〕56号",)
    assert lib.status(plan) == "已废止"
    assert any("编辑更正" in e for e in plan.evidence)
    # Every correction is listed with its file and line, before and after.
    lines = [str(e) for e in edits]
    assert len(lines) == 7
    assert lines[1].startswith("content/corrections/county.toml:4: ") or "county.toml:4:" in lines[1]
    assert "date: （空） → 2023-05-06" in lines[1]
    assert report.count("error") == 0


def test_bad_corrections_point_at_their_line_and_the_rest_still_apply(site):
    (site.content / "corrections" / "county.toml").write_text(
        '[plan1]\ndate = "2023年5月"\nperiod = "2025-2023"\nregion = "火星"\nissuer = "某某县政府"\ncolour = "红"\n'
        '[plan2]\ntitle = "不存在"\n', encoding="utf-8")
    lib, edits, report = _load(site)
    errors = [str(d) for d in report.items if d.level == "error"]
    assert any(":2: error: date" in e for e in errors), errors
    assert any(":3: error: period" in e for e in errors), errors
    assert any(":4: error: region" in e for e in errors), errors
    assert any(":6: error: colour" in e for e in errors), errors
    assert any(":8: error: 没有对应的方案" in e for e in errors), errors
    assert lib.plans[0].issuer == "某某县政府"
    assert len(edits) == 1


def test_overrides_add_and_remove_groups_and_are_listed(site):
    lib, _, _ = _load(site)
    first, second = lib.entries
    assert "migrant-workers" in {t.slug for t in first.tags}
    (site.content / "overrides.toml").write_text(
        f'[[override]]\nmeasure = "{first.id}"\nremove = ["migrant-workers"]\nadd = ["farmers"]\nnote = "测试"\n\n'
        f'[[override]]\nmeasure = "nowhere#m-9"\nadd = ["farmers"]\n\n'
        f'[[override]]\nmeasure = "{second.id}"\nadd = ["martians"]\n', encoding="utf-8")
    lib, edits, report = _load(site)
    first = lib.entries[0]
    assert "migrant-workers" not in {t.slug for t in first.tags}
    assert [t for t in first.tags if t.slug == "farmers"][0].source == "override"
    assert first in lib.by_group["farmers"] and first not in lib.by_group["migrant-workers"]
    [edit] = edits
    assert str(edit).startswith("content/overrides.toml:1: ") or "overrides.toml:1:" in str(edit)
    assert "→" in edit.change and "测试" in edit.change
    problems = [str(d) for d in report.items if d.level in ("error", "warning")]
    assert any("overrides.toml:7: warning: 找不到条目" in p for p in problems), problems
    assert any("overrides.toml:11: error:" in p and "martians" in p for p in problems), problems


def test_cli_check_lists_edits(site, capsys):
    (site.content / "corrections" / "county.toml").write_text('[plan1]\ndate = "2023-05-06"\n', encoding="utf-8")
    code = cli.main(["check", "--seeds", str(site.seeds), "--content", str(site.content)])
    out = capsys.readouterr().out
    assert code == 0
    assert "编辑更正 1 处" in out and "date: （空） → 2023-05-06" in out


def test_an_empty_title_or_impossible_date_is_refused(site):
    (site.content / "corrections" / "county.toml").write_text('[plan1]\ntitle = ""\ndate = "2022-13-45"\n',
                                                             encoding="utf-8")
    lib, edits, report = _load(site)
    errors = [str(d) for d in report.items if d.level == "error"]
    assert any(":2: error: title" in e for e in errors) and any(":3: error: date" in e for e in errors), errors
    assert lib.plans[0].title == "某某县促进居民增收实施方案" and edits == ()


def test_overrides_in_the_wrong_shape_are_reported_not_dropped(site):
    (site.content / "overrides.toml").write_text('[override]\nmeasure = "x#m-1"\nadd = ["farmers"]\n', encoding="utf-8")
    _lib, edits, report = _load(site)
    assert edits == ()
    assert any("overrides.toml:1: error:" in str(d) and "[[override]]" in str(d) for d in report.items)


def test_a_correction_for_an_ambiguous_seed_name_is_refused(site):
    sub = site.seeds / "sub"
    sub.mkdir()
    (sub / "county.txt").write_text(PLAN.replace("某某县", "另一县"), encoding="utf-8")
    (site.content / "corrections" / "county.toml").write_text('[plan1]\nissuer = "某某县政府"\n', encoding="utf-8")
    lib, edits, report = _load(site)
    assert edits == () and all(p.issuer is None for p in lib.plans)
    assert any("多个源文件都叫 county" in str(d) for d in report.items)


@pytest.mark.parametrize("bad", ['weak = "渔村"', "weak = [1]", 'weak = [""]', "slug = 5"])
def test_malformed_vocabularies_are_one_line_errors(site, bad):
    from site_builder import lexicon
    from site_builder.diagnostics import InputError
    groups = site.content / "groups.toml"
    text = groups.read_text(encoding="utf-8")
    key = bad.split(" =")[0]
    marker = 'slug = "fishermen"'
    if key == "slug":
        text = text.replace(marker, bad, 1)
    else:
        text = text.replace(marker, marker + "\n" + bad, 1).replace('weak = ["渔农村", "渔村"]\n', "", 1)
    groups.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        lexicon.load(site.content)
    line = str(err.value.diagnostic)
    assert "\n" not in line and "groups.toml:" in line and "error" in line


def test_an_override_naming_a_group_twice_adds_it_once(site):
    lib, _, _ = _load(site)
    second = lib.entries[1]
    (site.content / "overrides.toml").write_text(
        f'[[override]]\nmeasure = "{second.id}"\nadd = ["veterans", "veterans"]\n', encoding="utf-8")
    lib, _, _ = _load(site)
    assert [t.slug for t in lib.entries[1].tags].count("veterans") == 1
    assert list(lib.by_group["veterans"]).count(lib.entries[1]) == 1
