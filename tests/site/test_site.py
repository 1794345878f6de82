"""The built site as files: links, page structure, open data and their agreement with the pages."""
from __future__ import annotations

import csv
import json
import posixpath
import re
from collections import deque
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# Folders whose files are linked (open data) or loaded by scripts (search index) but are not site pages.
NON_PAGE_DIRS = ("pagefind/", "data/")
# The not-found page is served by the web server for missing paths; by design no page links to it.
UNLINKED_BY_DESIGN = {"404.html"}

PLAN_KEYS = {"id", "title", "issuer", "region", "date", "doc_number", "period", "cites", "source", "url"}
REGION_KEYS = {"province", "city", "county"}
MEASURE_KEYS = {"id", "plan_id", "path", "number", "kind", "heading", "text", "lead_units", "units",
                "amounts", "groups", "url"}
AMOUNT_KEYS = {"text", "yuan", "what"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class PageParser(HTMLParser):
    """What the tests need from one page: links, ids, <html lang>, <h1> count, <title> text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: list[str] = []          # <a href>
        self.refs: list[tuple[str, str]] = []  # every (tag, href/src) incl. <a>, <link>, <script>, <img>
        self.ids: list[str] = []
        self.html_langs: list[str | None] = []
        self.h1 = 0
        self.title_parts: list[str] = []
        self.titles = 0
        self._in_title = False
        self._svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a and a["id"] is not None:
            self.ids.append(a["id"])
        if tag == "html":
            self.html_langs.append(a.get("lang"))
        elif tag == "h1":
            self.h1 += 1
        elif tag == "svg":
            self._svg += 1
        elif tag == "title" and not self._svg:
            # An SVG <title> is a tooltip, not the document title.
            self.titles += 1
            self._in_title = True
        if tag == "a" and a.get("href") is not None:
            self.anchors.append(a["href"])
        for attr in ("href", "src"):
            if a.get(attr) is not None and tag in ("a", "link", "script", "img", "source", "iframe", "area"):
                self.refs.append((tag, a[attr]))
        if tag == "form" and a.get("action"):
            self.refs.append((tag, a["action"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "svg":
            self._svg -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)

    @property
    def title(self) -> str:
        return "".join(self.title_parts).strip()


@lru_cache(maxsize=None)
def _parse(path: Path) -> PageParser:
    p = PageParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def parse(site: Path, rel: str) -> PageParser:
    return _parse(site / rel)


def html_pages(site: Path) -> list[str]:
    out = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        if not rel.startswith(NON_PAGE_DIRS):
            out.append(rel)
    return out


def is_external(href: str) -> bool:
    s = urlsplit(href)
    return bool(s.scheme) or href.startswith("//")


def resolve(from_page: str, href: str) -> tuple[str, str]:
    """Site-root-relative target path ('' fragment-only → same page) and fragment of a relative href."""
    s = urlsplit(href)
    path = unquote(s.path)
    if not path:
        return from_page, unquote(s.fragment)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path))
    if path.endswith("/") and not target.endswith("/"):
        target += "/"
    return target, unquote(s.fragment)


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


@pytest.fixture(scope="module")
def pages(site) -> list[str]:
    found = html_pages(site)
    assert "index.html" in found
    return found


@pytest.fixture(scope="module")
def plans(site) -> list[dict]:
    return json.loads((site / "data/plans.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def measures(site) -> list[dict]:
    return json.loads((site / "data/measures.json").read_text(encoding="utf-8"))


# --- links -------------------------------------------------------------------------------------------

def test_every_page_reachable_from_home(site, pages):
    seen = {"index.html"}
    queue = deque(["index.html"])
    missing_linked: list[str] = []
    while queue:
        page = queue.popleft()
        for href in parse(site, page).anchors:
            if is_external(href) or href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            target, _frag = resolve(page, href)
            if target.startswith("..") or target.startswith("/"):
                continue  # reported by test_no_broken_internal_links
            if target.startswith(NON_PAGE_DIRS):
                if not (site / target).is_file():
                    missing_linked.append(f"{page} → {href}")
                continue
            if target.endswith(".html") and target not in seen and (site / target).is_file():
                seen.add(target)
                queue.append(target)
    assert not missing_linked, f"linked data/search files missing: {missing_linked}"
    unreachable = sorted(set(pages) - seen - UNLINKED_BY_DESIGN)
    assert not unreachable, f"{len(unreachable)} pages not reachable from index.html: {unreachable}"


def test_no_broken_internal_links(site, pages):
    problems: list[str] = []
    for page in pages:
        for tag, href in parse(site, page).refs:
            if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            s = urlsplit(href)
            if s.scheme in ("http", "https") or href.startswith("//"):
                if s.hostname in (None, "", "localhost", "127.0.0.1"):
                    problems.append(f"{page}: <{tag}> {href!r} is an absolute URL to an internal page")
                continue  # genuinely external links are out of scope
            if s.scheme:
                continue
            if s.path.startswith("/"):
                problems.append(f"{page}: <{tag}> {href!r} is an absolute path")
                continue
            target, frag = resolve(page, href)
            if target.startswith(".."):
                problems.append(f"{page}: <{tag}> {href!r} leaves the site root")
                continue
            file = site / target
            if target.endswith("/"):
                file = file / "index.html"
                target += "index.html"
            if not file.is_file():
                problems.append(f"{page}: <{tag}> {href!r} → {target} does not exist")
                continue
            if frag and target.endswith(".html"):
                if frag not in parse(site, target).ids:
                    problems.append(f"{page}: <{tag}> {href!r} → no id={frag!r} in {target}")
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:50])


def test_internal_links_do_not_use_http_or_root_paths(site, pages):
    """Belt and braces on the <a> links alone, with a clearer message than the general link test."""
    bad = [f"{page}: {href}" for page in pages for href in parse(site, page).anchors
           if href.startswith("/") or (href.startswith(("http://", "https://"))
                                       and urlsplit(href).hostname in ("localhost", "127.0.0.1"))]
    assert not bad, bad


# --- page structure ----------------------------------------------------------------------------------

def test_page_structure(site, pages):
    problems: list[str] = []
    titles: dict[str, list[str]] = {}
    for page in pages:
        p = parse(site, page)
        if p.html_langs != ["zh-CN"]:
            problems.append(f"{page}: <html lang> = {p.html_langs}, want exactly one 'zh-CN'")
        if p.h1 != 1:
            problems.append(f"{page}: {p.h1} <h1> elements, want 1")
        if p.titles != 1 or not p.title:
            problems.append(f"{page}: {p.titles} <title> elements, text {p.title!r}")
        titles.setdefault(p.title, []).append(page)
    dupes = {t: ps for t, ps in titles.items() if len(ps) > 1}
    assert not problems, "\n".join(problems)
    assert not dupes, f"duplicate <title>s: {dupes}"


# --- open data ---------------------------------------------------------------------------------------

def test_open_data_files_exist(site):
    for name in ("data/plans.json", "data/measures.json", "data/measures.csv"):
        assert (site / name).is_file(), name
        assert (site / name).stat().st_size > 0, name


def test_open_data_json_has_one_record_per_line(site):
    """As the README promises, so line tools work: line k (after the opening bracket) is record k."""
    for name in ("data/plans.json", "data/measures.json"):
        text = (site / name).read_text(encoding="utf-8")
        records = json.loads(text)
        lines = text.split("\n")
        assert lines[0] == "[" and lines[-2:] == ["]", ""], name
        assert len(lines) == len(records) + 3, name
        for i, record in enumerate(records):
            assert json.loads(lines[i + 1].removesuffix(",")) == record, f"{name}: line {i + 2}"


def _page_of(site: Path, url: str) -> tuple[str, str]:
    assert not is_external(url) and not url.startswith("/"), f"url {url!r} is not relative to the site root"
    path, _, frag = url.partition("#")
    assert (site / path).is_file(), f"url {url!r} → {path} does not exist"
    return path, frag


def test_plans_json(site, plans):
    assert plans, "plans.json is empty"
    ids = [p["id"] for p in plans]
    assert len(ids) == len(set(ids)), f"duplicate plan ids: {sorted(i for i in ids if ids.count(i) > 1)}"
    for p in plans:
        missing = PLAN_KEYS - p.keys()
        assert not missing, f"plan {p.get('id')}: missing keys {missing}"
        assert isinstance(p["region"], dict) and REGION_KEYS <= p["region"].keys(), f"plan {p['id']}: region {p['region']}"
        assert p["date"] is None or (isinstance(p["date"], str) and DATE_RE.match(p["date"])), \
            f"plan {p['id']}: date {p['date']!r}"
        assert isinstance(p["cites"], list), f"plan {p['id']}: cites {p['cites']!r}"
        assert isinstance(p["source"], str) and p["source"].startswith("seeds/"), f"plan {p['id']}: source {p['source']!r}"
        assert isinstance(p["title"], str) and p["title"].strip(), f"plan {p['id']}: empty title"
        _page_of(site, p["url"])


def test_measures_json(site, plans, measures):
    assert measures, "measures.json is empty"
    ids = [m["id"] for m in measures]
    assert len(ids) == len(set(ids)), f"duplicate measure ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    plan_url = {p["id"]: p["url"] for p in plans}
    problems = []
    for m in measures:
        missing = MEASURE_KEYS - m.keys()
        if missing:
            problems.append(f"{m.get('id')}: missing keys {missing}")
            continue
        if m["plan_id"] not in plan_url:
            problems.append(f"{m['id']}: plan_id {m['plan_id']!r} not in plans.json")
        for a in m["amounts"]:
            if not AMOUNT_KEYS <= a.keys():
                problems.append(f"{m['id']}: amount {a} lacks {AMOUNT_KEYS - a.keys()}")
        for key in ("path", "lead_units", "units", "amounts", "groups"):
            if not isinstance(m[key], list):
                problems.append(f"{m['id']}: {key} is {type(m[key]).__name__}, want list")
        url = m["url"]
        if is_external(url) or url.startswith("/"):
            problems.append(f"{m['id']}: url {url!r} is not relative to the site root")
            continue
        path, _, frag = url.partition("#")
        if not frag.startswith("m-"):
            problems.append(f"{m['id']}: url {url!r} does not end with #m-…")
            continue
        if plan_url.get(m["plan_id"]) != path:
            problems.append(f"{m['id']}: url {url!r} is not on its plan page {plan_url.get(m['plan_id'])!r}")
        if not (site / path).is_file():
            problems.append(f"{m['id']}: url {url!r} → {path} does not exist")
        elif frag not in parse(site, path).ids:
            problems.append(f"{m['id']}: no id={frag!r} on {path}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:50])


def test_measures_csv_matches_json(site, measures):
    with open(site / "data/measures.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, "measures.csv has no rows"
    assert "id" in rows[0], f"CSV header lacks id: {list(rows[0])}"
    csv_ids = [r["id"] for r in rows]
    assert len(csv_ids) == len(set(csv_ids)), "duplicate ids in measures.csv"
    assert len(rows) == len(measures), f"CSV has {len(rows)} rows, measures.json {len(measures)}"
    assert csv_ids == [m["id"] for m in measures]
    from site_builder.opendata import CSV_COLUMNS
    assert list(rows[0]) == CSV_COLUMNS
    for r, m in zip(rows, measures):
        assert r == {c: _csv_cell(m, c) for c in CSV_COLUMNS}, r["id"]


def _csv_cell(record: dict, column: str) -> str:
    """What the CSV says of a measures.json record: lists joined with 、, amounts by their text."""
    value = record[column]
    if column == "amounts":
        value = [a["text"] for a in value]
    if isinstance(value, list):
        value = "、".join(value)
    return "" if value is None else str(value)


# --- consistency -------------------------------------------------------------------------------------

def test_group_pages_list_exactly_their_measures(site, measures):
    group_dirs = sorted(d.name for d in (site / "groups").iterdir() if (d / "index.html").is_file())
    assert group_dirs, "no group pages"
    in_data: dict[str, set[str]] = {}
    for m in measures:
        for g in m["groups"]:
            in_data.setdefault(g, set()).add(m["url"])
    unknown = set(in_data) - set(group_dirs)
    assert not unknown, f"measures.json names groups without a page: {unknown}"
    problems = []
    for slug in group_dirs:
        page = f"groups/{slug}/index.html"
        on_page = set()
        for href in parse(site, page).anchors:
            if "#m-" in href:
                target, frag = resolve(page, href)
                on_page.add(f"{target}#{frag}")
        want = in_data.get(slug, set())
        if on_page != want:
            problems.append(f"{page}: {len(on_page)} measures linked, measures.json has {len(want)}; "
                            f"only on page {sorted(on_page - want)[:5]}, only in data {sorted(want - on_page)[:5]}")
    assert not problems, "\n".join(problems)


# --- parsing artefacts -------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def number_value(number) -> int | None:
    """An item number as an integer: '12' → 12, '十二' → 12, '——' or None → None."""
    if isinstance(number, int):
        return number
    if not isinstance(number, str):
        return None
    s = number.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS and c not in "十百" for c in s):
        return None
    total, cur = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            cur = _CN_DIGITS[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


def test_number_value_helper():
    assert [number_value(x) for x in ("7", "12", "一", "十", "十二", "二十三", "——", None)] == \
        [7, 12, 1, 10, 12, 23, None, None]


def test_seed_000_has_no_page_numbers_as_items(plans, measures):
    seed_plans = {p["id"] for p in plans if p["source"].split("/")[-1].startswith("000_")}
    assert seed_plans, f"no plan from seed 000 in plans.json: {[p['source'] for p in plans]}"
    items = [m for m in measures if m["plan_id"] in seed_plans]
    assert items, "seed 000 has no measures"
    too_big = [(m["id"], m["number"]) for m in items
               if (n := number_value(m["number"])) is not None and n > 7]
    assert not too_big, f"seed 000 items numbered above 7 (page numbers read as items?): {too_big}"
