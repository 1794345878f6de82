"""Hostile input: every bad file gets one ``file:line:`` finding, the rest of the site builds
(or ``--strict`` stops cleanly), nothing becomes markup, and no run ends in a traceback."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .support import CORPUS, audit_markup, project_args, run_cli, tree_digest

# file in seeds/ → (level, line or None for a finding about the whole file, words in the message)
EXPECTED = {
    "empty.txt": ("warning", 1, "文件为空"),
    "binary.txt": ("error", 3, "文件不是文本"),          # the first NUL byte is on line 3
    "bad_utf16.txt": ("error", 1, "文件不是文本"),       # a UTF-16 BOM followed by a lone surrogate
    "gbk_no_marker.txt": ("info", 1, "按 GB18030"),
    "mixed_line_endings.txt": ("warning", 3, "行尾混用"),  # lines 1-2 end in CRLF, line 3 in LF
    "injection.txt": ("warning", 1, "HTML 标记"),
    "injection.md": ("warning", 7, "HTML 标记"),          # lines 1-6 are front matter
    "injection.html": ("warning", 11, "HTML 标记"),       # &lt;img …&gt; as text; real tags are dropped
    "same_title_a.txt": ("warning", 1, "同名"),
    "same_title_b.txt": ("warning", 1, "同名"),
    "no_numbered_items.txt": ("warning", 1, "没有找到编号条目"),
    "deep_headings.txt": ("warning", 8, "更深"),           # ① on line 8
    "deep_headings.md": ("warning", 10, "更深"),           # ####### on line 10
    "big.txt": ("error", None, "超过"),
    "..txt": ("warning", None, "隐藏"),
    "...txt": ("warning", None, "隐藏"),
    "outside.txt": ("warning", None, "之外"),
}
# Odd but valid names: each holds a plan without numbered items, so each gets a finding that must
# name the file exactly as it is (a line break shown as \n, never splitting the finding in two).
ODD_NAMES = ["plan with spaces.txt", "居民增收 方案（草稿）.txt", "-rf.txt", "--strict.txt", "a..b.txt",
             "子 目录/-n.md", "line\nbreak.txt"]
ODD_PLAN = "某某县第{n}号增收工作方案\n\n为促进城乡居民持续增收，结合本县实际，制定本方案。只有段落，没有编号条目。\n"
BIG_BYTES = 20 * 1024 * 1024


def make_seeds(root: Path) -> Path:
    """The committed corpus plus what is generated: a 20 MB plan, hidden files, odd names, a link out."""
    seeds = root / "seeds"
    shutil.copytree(CORPUS, seeds)
    chunk = ("一、支持创业就业\n" + "（一）支持农民工返乡创业。对首次创业的农民工给予一次性创业补贴5000元。\n" * 40)
    big = "某某县超大增收实施方案\n\n为促进城乡居民持续增收，制定本方案。\n" + chunk * (BIG_BYTES // len(chunk.encode()) + 1)
    (seeds / "big.txt").write_text(big, encoding="utf-8")
    for hidden in ("..txt", "...txt"):
        (seeds / hidden).write_text(ODD_PLAN.format(n=0), encoding="utf-8")
    (seeds / ".git").mkdir()
    (seeds / ".git" / "notes.txt").write_text("不是方案，也不报告", encoding="utf-8")
    for n, name in enumerate(ODD_NAMES, 1):
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(ODD_PLAN.format(n=n), encoding="utf-8")
    (root / "secret.txt").write_text("某某县机密增收实施方案\n\n机密正文SECRET-TOKEN，不应出现在网站上。\n", encoding="utf-8")
    (seeds / "outside.txt").symlink_to(root / "secret.txt")
    return seeds


def shown(name: str) -> str:
    return "seeds/" + name.replace("\n", "\\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The corpus built once with the search index: (folder, CompletedProcess)."""
    root = tmp_path_factory.mktemp("hostile")
    make_seeds(root)
    result = run_cli(["build", "-v", *project_args()], root)
    return root, result


def test_build_succeeds_without_traceback(hostile):
    root, result = hostile
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    assert result.returncode == 0, result.stderr[-3000:]
    assert (root / "output" / "index.html").is_file()


def test_every_hostile_file_has_its_finding(hostile):
    _root, result = hostile
    lines = result.stderr.splitlines()
    missing = []
    for name, (level, line, words) in EXPECTED.items():
        where = f"{shown(name)}:{line}" if line else shown(name)
        if not any(l.startswith(f"{where}: {level}: ") and words in l for l in lines):
            missing.append(f"{where}: {level}: …{words}…")
    for name in ODD_NAMES:
        if not any(l.startswith(f"{shown(name)}:") and "没有找到编号条目" in l for l in lines):
            missing.append(f"{shown(name)}: …没有找到编号条目…")
    assert not missing, "missing findings:\n" + "\n".join(missing) + "\n--- got:\n" + result.stderr


def test_every_output_line_is_a_finding_or_the_summary(hostile):
    _root, result = hostile
    finding = re.compile(r"^\S.*?(?::\d+)?: (?:info|warning|error): \S")
    stray = [l for l in result.stderr.splitlines() if not finding.match(l)]
    assert not stray, stray
    errors = sum(1 for level, _line, _words in EXPECTED.values() if level == "error")
    assert re.search(rf"个方案.*；{errors} 个错误", result.stdout), result.stdout


def test_the_rest_of_the_site_builds(hostile):
    root, _ = hostile
    plans = json.loads((root / "output/data/plans.json").read_text(encoding="utf-8"))
    sources = {p["source"] for p in plans}
    usable = {f"seeds/{n}" for n in ("gbk_no_marker.txt", "mixed_line_endings.txt", "injection.txt",
                                     "injection.md", "injection.html", "same_title_a.txt", "same_title_b.txt",
                                     "no_numbered_items.txt", "deep_headings.txt", "deep_headings.md")}
    usable |= {f"seeds/{n}" for n in ODD_NAMES}
    assert usable <= sources, sorted(usable - sources)
    refused = {f"seeds/{n}" for n in ("empty.txt", "binary.txt", "bad_utf16.txt", "big.txt", "..txt",
                                      "...txt", "outside.txt", ".git/notes.txt")}
    assert not refused & sources
    for p in plans:
        assert (root / "output" / p["url"]).is_file(), p["url"]
    assert (root / "output/pagefind/0/pagefind.js").is_file()


def test_nothing_from_the_input_becomes_markup(hostile):
    root, _ = hostile
    problems, texts = audit_markup(root / "output")
    assert not problems, "\n".join(problems[:40])
    # The payloads did reach the pages, as text: otherwise the check above would prove nothing.
    plan_text = "".join(t for page, t in texts.items() if page.startswith("plans/"))
    for payload in ('<script>alert(0)</script>', "onerror=alert(2)", 'href="javascript:alert(3)"',
                    "{{ 7*7 }}", "<svg onload=alert(7)>", "](javascript:alert(6))", "<img src=x onerror=alert(2)>",
                    "&lt;script&gt;alert(14)"):
        assert payload in plan_text, payload


def test_a_link_out_of_the_seeds_folder_is_not_published(hostile):
    root, _ = hostile
    for f in (root / "output").rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json", ".csv"):
            assert "SECRET-TOKEN" not in f.read_text(encoding="utf-8-sig"), f


def test_two_plans_with_one_title_get_two_pages(hostile):
    root, _ = hostile
    plans = json.loads((root / "output/data/plans.json").read_text(encoding="utf-8"))
    twins = [p for p in plans if p["source"] in ("seeds/same_title_a.txt", "seeds/same_title_b.txt")]
    assert len(twins) == 2 and twins[0]["title"] == twins[1]["title"]
    assert twins[0]["id"] != twins[1]["id"]
    bodies = {p["source"]: (root / "output" / p["url"]).read_text(encoding="utf-8") for p in twins}
    assert "一次性创业补贴5000元" in bodies["seeds/same_title_a.txt"]
    assert "公益性岗位200个" in bodies["seeds/same_title_b.txt"]
    assert "公益性岗位200个" not in bodies["seeds/same_title_a.txt"]


def test_plan_ids_are_safe_path_segments(hostile):
    root, _ = hostile
    ids = [d.name for d in (root / "output/plans").iterdir() if d.is_dir()]
    assert ids
    assert all(re.fullmatch(r"[a-z0-9-]{1,80}", i) for i in ids), ids


def test_strict_stops_cleanly_and_keeps_the_previous_site(hostile, tmp_path):
    root, _ = hostile
    shutil.copytree(root / "seeds", tmp_path / "seeds", symlinks=True)
    shutil.copytree(root / "output", tmp_path / "output")
    before = tree_digest(tmp_path / "output")
    result = run_cli(["build", "--strict", "--no-search", *project_args()], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{shown('binary.txt')}:3: error: " in result.stderr
    assert "--strict" in result.stderr.splitlines()[-1]
    assert tree_digest(tmp_path / "output") == before
    # No half-written site beside it; .cache/ (parses of unchanged seeds) and the lock file stay.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in (".cache", ".output.lock")) == ["output", "seeds"]


def test_check_reports_the_same_findings_and_writes_nothing(hostile, tmp_path):
    root, _ = hostile
    shutil.copytree(root / "seeds", tmp_path / "seeds", symlinks=True)
    result = run_cli(["check", "--strict", *project_args()], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{shown('bad_utf16.txt')}:1: error: " in result.stdout
    assert not (tmp_path / "output").exists()


def test_the_hostile_site_passes_the_publishing_audit(hostile):
    from site_builder.audit import audit_site
    root, _ = hostile
    assert [str(d) for d in audit_site(root / "output")] == []


def test_a_region_code_that_is_not_a_safe_path_is_refused(tmp_path):
    from site_builder import lexicon
    from site_builder.diagnostics import InputError
    from .support import ROOT
    shutil.copytree(ROOT / "content", tmp_path / "content")
    csv_file = tmp_path / "content" / "regions.csv"
    rows = csv_file.read_text(encoding="utf-8").count("\n")
    with csv_file.open("a", encoding="utf-8") as f:
        f.write("../../x,某省,,\n")
    with pytest.raises(InputError) as exc:
        lexicon.load(tmp_path / "content")
    assert exc.value.diagnostic.line == rows + 1
    assert "行政区划代码无效" in exc.value.diagnostic.message
