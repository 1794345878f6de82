"""Properties over generated input (Hypothesis; 2,000 examples each when CI=true, see conftest):
the parser never raises and points inside its file, paths are safe and unique, and no title or
body ever becomes markup."""
from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from site_builder import lexicon, library, render, routes
from site_builder.config import Config
from site_builder.diagnostics import Report
from site_builder.model import Item
from site_builder.parse import parse_source
from site_builder.parse.document import plan_id
from site_builder.read import Source, read_source
from site_builder.write import Files

from .support import ROOT, MarkupAudit

SEGMENT = re.compile(r"^[a-z0-9-]{1,80}$")


@functools.cache
def lex():
    """Loaded once; not a fixture, since Hypothesis prints every argument of a failing example."""
    return lexicon.load(ROOT / "content")


@functools.cache
def env():
    return render.environment(ROOT / "templates")

TODAY = dt.date(2024, 1, 1)

# Pieces plans are made of, damaged ones and hostile ones, so generated text reaches deep into the
# parser's rules instead of staying in its "this is just a paragraph" branch.
MARKERS = ["一、", "二、", "十二、", "（一）", "（二）", "(三)", "一)", "1.", "2．", "12、", "（1）", "(2)", "——", "专栏1",
           "专栏 2：", "①", "⑴", "a.", "# ", "## ", "####### ", "---\n", "1、", " 3 "]
WORDS = ["居民增收实施方案", "工作方案", "某某县", "浙江省", "温州市", "洞头区", "牵头单位：", "配合单位：", "责任单位：",
         "县财政局", "人社局", "、", "，", "。", "；", "：", ":", "“", "”", "《", "》", "〔2023〕12号", "5000元",
         "每人", "1.5万元", "2021-2025年", "十四五", "农民工", "高校毕业生", "关于印发", "的通知", "（", "）", "(", ")",
         "列第一位的为牵头单位", "▲", "已废止", "发布日期：2023-05-06", "2022年6月9日", "人民政府办公室"]
HOSTILE = ["<script>", "</script>", "<img src=x onerror=alert(1)>", '"', "'", "&", "&amp;", "&lt;", "<", ">",
           "javascript:", "onload=", "{{ 7*7 }}", "{%", "<!--", "]]>", "\u202e", "\x00", "\ufeff"]
SPACE = ["\n", "\n", "\n\n", "\r\n", "\r", " ", "\u3000", "\t"]
token = st.one_of(st.sampled_from(MARKERS + WORDS + HOSTILE + SPACE), st.text(max_size=6))
plan_text = st.lists(token, max_size=50).map("".join)
any_text = st.one_of(plan_text, st.text(max_size=200))


def walk(nodes):
    for n in nodes:
        yield n
        yield from walk(n.children)


def spans_inside(plans, report: Report, path: str, text: str) -> list[str]:
    lines = text.count("\n") + 1
    bad = []
    for p in plans:
        spans = [("plan", p.span)] + [(type(n).__name__, n.span) for n in walk(p.body)]
        for what, s in spans:
            if not (s.path == path and 1 <= s.line <= s.end_line <= lines):
                bad.append(f"{what} span {s.line}-{s.end_line} outside 1-{lines}")
    for d in report.items:
        if d.path == path and d.line is not None and not 1 <= d.line <= lines:
            bad.append(f"finding at line {d.line} outside 1-{lines}: {d}")
    return bad


@given(text=any_text)
def test_parser_never_raises_and_points_inside_the_file(text):
    report = Report()
    plans = parse_source(Source("seeds/x.txt", text, "utf-8"), lex(), report)
    assert not spans_inside(plans, report, "seeds/x.txt", text)


def _encode(text: str, how: str) -> bytes:
    if how == "gbk":
        return text.encode("gbk", errors="ignore")
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", errors="ignore")
    return text.encode("utf-8", errors="ignore")


file_bytes = st.one_of(
    st.binary(max_size=300),
    st.builds(_encode, plan_text, st.sampled_from(["utf-8", "gbk", "utf-16", "bom"])),
)


@given(data=file_bytes, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_file_is_read_and_parsed_without_raising(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"plan{suffix}"
        path.write_bytes(data)
        report = Report()
        source = read_source(path, "seeds/plan" + suffix, report)
    if source is None:
        assert any(d.level in ("warning", "error") for d in report.items), "refused without a finding"
        return
    assert "\r" not in source.text and "\x00" not in source.text
    plans = parse_source(source, lex(), report)
    assert not spans_inside(plans, report, source.path, source.text)


codes = st.one_of(st.none(), st.from_regex(r"\A[0-9]{6}\Z"))


@given(code=codes, title=st.text(max_size=60))
def test_plan_ids_are_safe(code, title):
    pid = plan_id(code, title)
    assert SEGMENT.match(pid), pid


def _library(texts, titles):
    report = Report()
    plans = []
    for n, (title, body) in enumerate(zip(titles, texts)):
        source = Source(f"seeds/{n}.txt", f"{title}\n\n{body}", "utf-8")
        plans += parse_source(source, lex(), report)
    return library.link(plans, lex(), TODAY, report)


# Titles from a small set so that plans often share one (and so collide on the id), with hostile
# pieces inside; each must still read as a title (no ，：。 and ends in 方案).
title = st.one_of(
    st.sampled_from(["某某县居民增收实施方案", "温州市洞头区居民增收实施方案"]),
    st.lists(st.sampled_from(HOSTILE[:-3] + ["某某县", "浙江省", "增收", "<b>", "x"]), min_size=1, max_size=6)
    .map(lambda parts: "".join(parts) + "实施方案"),
)
body_text = st.lists(st.one_of(st.sampled_from(MARKERS[:12] + WORDS + HOSTILE[:-3] + ["\n"] * 6), st.text(max_size=4)),
                     max_size=30).map("".join)
plans_input = st.integers(1, 3).flatmap(lambda n: st.tuples(st.lists(body_text, min_size=n, max_size=n),
                                                             st.lists(title, min_size=n, max_size=n)))
STATIC = {"assets/" + p.relative_to(ROOT / "templates/static").as_posix()
          for p in (ROOT / "templates/static").rglob("*") if p.is_file()}


@given(args=plans_input)
def test_pages_are_safe_paths_and_content_never_becomes_markup(args):
    """Two properties on one generated library (building it is the costly part): every page path
    is made of ``^[a-z0-9-]{1,80}$`` segments, unique, inside the output and reachable by the
    relative links; and on the pages that show titles and bodies, none became markup and each
    is there as text, exactly."""
    texts, titles = args
    lib = _library(texts, titles)
    config = Config()
    pages = routes.pages(lib, lex(), config)
    files = Files()
    for page in pages:
        *dirs, name = page.path.split("/")
        assert all(SEGMENT.match(d) for d in dirs), page.path
        assert name.endswith(".html") and posixpath.normpath(page.path) == page.path, page.path
        files.add(page.path, b"", page.template)  # raises on two pages at one path
    some = pages[:4] + [p for p in pages if p.template == "plan.html"]
    for a in some:
        for b in some:
            link = routes.relative(a.path, b.path)
            assert posixpath.normpath(posixpath.join(posixpath.dirname(a.path), link)) == b.path
    # Every plan page, and the first two group pages that list measures (their cards show excerpts).
    shown = [p for p in pages if p.template == "plan.html"]
    shown += [p for p in pages if p.template == "group.html" and p.context["count"]][:2]
    for page in shown:
        audit = MarkupAudit(page.path, STATIC)
        audit.feed(render.render(env(), page, lib, config))
        audit.close()
        assert not audit.problems, audit.problems
        if page.template == "plan.html":
            visible = "".join(audit.text)  # character references already decoded by the parser
            plan = page.context["plan"]
            assert plan.title in visible
            for item in (n for n in walk(plan.body) if isinstance(n, Item)):
                for line in item.text.split("\n"):
                    assert line.strip() in visible, line


@given(text=st.text(), words=st.lists(st.one_of(st.text(max_size=4), st.sampled_from(["amp", "lt", "mark", "<", "&"]))))
def test_highlight_keeps_the_text_and_adds_only_marks(text, words):
    out = str(render.highlight(text, words))
    assert unescape(out.replace("<mark>", "").replace("</mark>", "")) == text
    assert "<" not in out.replace("<mark>", "").replace("</mark>", "")


@given(text=st.text())
def test_paragraphs_keep_the_text_and_add_only_paragraphs(text):
    out = str(render.paragraphs(text))
    inner = out.replace("<p>", "\n").replace("</p>", "")
    assert "<" not in inner
    assert [l for l in unescape(inner).split("\n") if l.strip()] == [l for l in text.split("\n") if l.strip()]


def unescape(markup: str) -> str:
    """The text an HTML parser reads from markup that holds no tags."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(markup)
    parser.close()
    return "".join(parts)
