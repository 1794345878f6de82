"""Source formats the seeds lack: GBK with CRLF, a saved web page, Markdown with front matter."""
from __future__ import annotations

from pathlib import Path

from site_builder.diagnostics import Report
from site_builder.parse import parse_source
from site_builder.read import read_source

HERE = Path(__file__).parent


def parse(name, lex):
    report = Report()
    source = read_source(HERE / name, f"tests/formats/{name}", report)
    assert source is not None, [str(d) for d in report.items]
    return source, parse_source(source, lex, report), report


def source_line(name: str, item) -> str:
    """The physical line of the file an item's span starts on."""
    return (HERE / name).read_text(encoding="utf-8").split("\n")[item.span.line - 1]


def test_gbk_with_crlf(lex):
    source, plans, _ = parse("gbk_plan.txt", lex)
    assert source.encoding == "gb18030"
    assert "\r" not in source.text
    [plan] = plans
    assert plan.title == "某某县促进居民增收实施方案"
    items = plan.items()
    assert [i.heading for i in items] == ["支持农民工返乡创业", "扩大公益性岗位"]
    assert items[0].amounts[0].yuan == 5000 and items[0].amounts[0].what == "一次性创业补贴"
    assert [u.name for u in items[0].units] == ["县人力资源社会保障局", "县财政局"]


def test_saved_web_page_keeps_the_article_and_its_metadata(lex):
    source, plans, _ = parse("saved_page.html", lex)
    assert "不是标题" not in source.text and "脚本里的条目" not in source.text
    assert "意见箱" not in source.text and "主办单位" not in source.text
    [plan] = plans
    assert plan.title == "某某县促进居民增收实施方案"
    assert plan.doc_number == "某政办发〔2023〕12号"
    assert plan.published == "2023-05-06"
    assert plan.status_note == "已废止"
    items = plan.items()
    assert [i.number for i in items] == ["1", "2"]
    assert [u.name for u in items[0].lead_units] == ["县人力资源社会保障局"]
    assert items[0].amounts[0].per == "人"
    # Line numbers point into the HTML file itself.
    assert "1.支持高校毕业生就业" in source_line("saved_page.html", items[0])


def test_markdown_front_matter(lex):
    source, plans, _ = parse("front_matter.md", lex)
    [plan] = plans
    assert plan.title == "某某市促进居民增收行动方案"
    assert plan.issuer == "某某市人民政府办公室"
    assert plan.date == "2024-03-01"
    items = plan.items()
    assert [i.heading for i in items] == ["支持退役军人就业创业", "发展乡村旅游"]
    assert [u.name for u in items[0].units] == ["市退役军人事务局"]
    assert source_line("front_matter.md", items[1]).startswith("2.发展乡村旅游")
