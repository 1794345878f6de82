"""Every built page: valid HTML (Nu HTML Checker), lang zh-CN, a unique title, one h1, no skipped
heading levels, a skip link to the main content, zoom allowed."""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


@dataclass
class Outline:
    langs: list[str] = field(default_factory=list)
    title: str = ""
    headings: list[int] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    main_id: str | None = None
    first_focusable: dict[str, str] | None = None
    viewport: str | None = None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Outline()
        self._in_title = False
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.out.ids.add(a["id"])
        if tag == "html" and "lang" in a:
            self.out.langs.append(a["lang"])
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self._in_body = True
        elif tag == "meta" and a.get("name") == "viewport":
            self.out.viewport = a.get("content", "")
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.headings.append(int(tag[1]))
        if tag == "main":
            self.out.main_id = a.get("id")
        if self._in_body and tag in FOCUSABLE and (tag != "a" or "href" in a) and self.out.first_focusable is None:
            self.out.first_focusable = {"tag": tag, **a}

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.out.title += data


def outline(path: Path) -> Outline:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.out


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, Outline]:
    found = {p.relative_to(built_site).as_posix(): outline(p) for p in sorted(built_site.rglob("*.html"))}
    assert len(found) > 50, f"only {len(found)} pages"
    return found


def test_every_page_is_valid_html(built_site, vnu_jar):
    # One checker run over the whole folder. -Xss: the checker's schema needs a deep stack;
    # TieredStopAtLevel=1: the quick compiler, about three times faster for a run this short.
    run = subprocess.run(["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(vnu_jar), "--skip-non-html",
                          "--errors-only", "--format", "gnu", str(built_site)],
                         capture_output=True, text=True, timeout=120)
    prefix = re.compile(r'"?file:(?://)?' + re.escape(built_site.as_posix()) + '/')
    errors = [prefix.sub("", line) for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert run.returncode == 0 and not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors[:30])


def heading_problem(levels: list[int]) -> str | None:
    if levels.count(1) != 1 or levels[:1] != [1]:
        return f"headings start {levels[:5]}, {levels.count(1)} h1"
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    return f"skips from h{jumps[0][0]} to h{jumps[0][1]}" if jumps else None


def skip_link_problem(o: Outline) -> str | None:
    first = o.first_focusable or {}
    if first.get("tag") == "a" and o.main_id and first.get("href") == "#" + o.main_id:
        return None
    return f"first focusable {first or None}, <main id={o.main_id!r}>"


def zoom_problem(o: Outline) -> str | None:
    if o.viewport is None:
        return "no viewport meta"
    if re.search(r"user-scalable\s*=\s*(no|0)|maximum-scale", o.viewport, re.I):
        return f"viewport limits zoom: {o.viewport}"
    return None


BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><title>x</title>
<meta name="viewport" content="width=device-width, maximum-scale=1, user-scalable=no"></head>
<body><a href="index.html">home</a><main id="main"><h2>a</h2><h1>b</h1><h1>c</h1><h4>d</h4></main></body></html>"""


def test_the_checks_catch_a_bad_page(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    o = outline(page)
    assert o.langs == ["en"]
    assert heading_problem(o.headings) and heading_problem([1, 2, 4])
    assert heading_problem([1, 2, 3, 2, 3]) is None
    assert skip_link_problem(o)
    assert zoom_problem(o)


def test_one_lang_zh_cn_per_page(pages):
    bad = {p: o.langs for p, o in pages.items() if o.langs != ["zh-CN"]}
    assert not bad, bad


def test_titles_are_unique_and_not_empty(pages):
    counts = Counter(" ".join(o.title.split()) for o in pages.values())
    empty = [p for p, o in pages.items() if not o.title.strip()]
    shared = {t: [p for p, o in pages.items() if " ".join(o.title.split()) == t] for t, n in counts.items() if n > 1}
    assert not empty, f"pages without a title: {empty}"
    assert not shared, f"titles used by more than one page: {shared}"


@pytest.mark.parametrize("check", [lambda o: heading_problem(o.headings), skip_link_problem, zoom_problem],
                         ids=["one h1, no skipped heading level", "skip link to main first", "zoom allowed"])
def test_every_page(pages, check):
    bad = {p: why for p, o in pages.items() if (why := check(o))}
    assert not bad, f"{len(bad)} pages: " + "; ".join(f"{p}: {why}" for p, why in list(bad.items())[:10])
