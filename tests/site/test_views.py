"""The cross-linked views a reader relies on: group filters, departments, parent policies, amounts, comparison."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest


class Cards(HTMLParser):
    """Entry cards (li.entry) with their first link and text, and every h2-h6 text."""

    def __init__(self):
        super().__init__()
        self.cards: list[dict] = []
        self.headings: list[str] = []
        self._card = None
        self._head = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and self._card is not None:
            self._depth += 1
        if tag == "li" and "entry" in (a.get("class") or "").split():
            self._card = {"href": None, "text": ""}
            self.cards.append(self._card)
            self._depth = 0
        if tag == "a" and self._card is not None and self._card["href"] is None:
            self._card["href"] = a.get("href")
        if re.fullmatch(r"h[2-6]", tag):
            self._head = ""

    def handle_endtag(self, tag):
        if tag == "li" and self._card is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._card = None
        if re.fullmatch(r"h[2-6]", tag) and self._head is not None:
            self.headings.append(self._head)
            self._head = None

    def handle_data(self, data):
        if self._card is not None:
            self._card["text"] += data
        if self._head is not None:
            self._head += data


def cards(site, path):
    p = Cards()
    p.feed((site / path).read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def measures(built_site):
    return {m["id"]: m for m in json.loads((built_site / "data/measures.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def plans(built_site):
    return {p["id"]: p for p in json.loads((built_site / "data/plans.json").read_text(encoding="utf-8"))}


def _measure_of(href, page_dir, measures):
    m = re.search(r"plans/([^/]+)/index\.html#(.+)$", href)
    return measures[f"{m.group(1)}#{m.group(2)}"]


def test_group_page_lists_every_tagged_measure_once_by_region(built_site, measures):
    page = cards(built_site, "groups/fishermen/index.html")
    tagged = {i for i, m in measures.items() if "fishermen" in m["groups"]}
    shown = [_measure_of(c["href"], "groups/fishermen", measures)["id"] for c in page.cards]
    assert sorted(shown) == sorted(tagged) and len(shown) == len(set(shown))
    # Province, then city, then county headings, each with a count.
    assert any(h.startswith("浙江省") and "条" in h for h in page.headings)


def test_benefit_filter_pages_hold_only_that_kind_of_help(built_site, measures):
    page = cards(built_site, "groups/migrant-workers/subsidy/index.html")
    everything = cards(built_site, "groups/migrant-workers/index.html")
    assert 0 < len(page.cards) < len(everything.cards)
    for c in page.cards:
        m = _measure_of(c["href"], "", measures)
        assert re.search("补贴|补助|奖补|奖励|资助|津贴|资金|一次性|慰问金|生活费", (m["heading"] or "") + m["text"]), m["id"]


def test_expired_plans_say_so_on_group_pages(built_site, plans, measures):
    page = cards(built_site, "groups/migrant-workers/index.html")
    for c in page.cards:
        plan = plans[_measure_of(c["href"], "", measures)["plan_id"]]
        assert plan["status"] in c["text"], (plan["id"], plan["status"])
    assert any("已到期" in c["text"] for c in page.cards)


def test_department_page_lists_lead_roles_first(built_site, measures):
    html = (built_site / "departments/hrss/index.html").read_text(encoding="utf-8")
    lead_at, shared_at = html.index("牵头负责"), html.index("参与负责")
    assert lead_at < shared_at
    page = cards(built_site, "departments/hrss/index.html")
    for c in page.cards:
        assert "人力资源和社会保障部门" in _measure_of(c["href"], "", measures)["departments"]


def test_parent_policy_page_gathers_the_plans_citing_it(built_site, plans):
    citing = [p for p in plans.values() if "国发〔2016〕56号" in p["cites"]]
    assert len(citing) >= 2
    index = (built_site / "policies/index.html").read_text(encoding="utf-8")
    href = re.search(r'href="([^"]+)">国发〔2016〕56号<', index).group(1)
    page = (built_site / "policies" / href).read_text(encoding="utf-8")
    for p in citing:
        assert p["title"] in page


def test_amounts_index_is_sorted_largest_first_and_links_to_measures(built_site, measures):
    html = (built_site / "amounts/index.html").read_text(encoding="utf-8")
    yuan = []
    for m in measures.values():
        if m["kind"] in ("measure", "column"):
            yuan += [a["yuan"] for a in m["amounts"] if a["yuan"] is not None]
    assert html.count('<span class="badge">') == len(yuan)
    shown = re.findall(r'<span class="badge">([^<]+)</span>', html)
    by_text = {}
    for m in measures.values():
        for a in m["amounts"]:
            by_text.setdefault(a["text"], a["yuan"])
    values = [by_text[t] for t in shown]
    assert values == sorted(values, reverse=True)


def test_comparison_cells_link_to_the_region_on_the_group_page(built_site):
    html = (built_site / "compare/index.html").read_text(encoding="utf-8")
    links = re.findall(r'<td><a href="\.\./groups/([a-z-]+)/index\.html#(r-[a-z0-9]+)">(\d+)</a></td>', html)
    assert links
    for slug, anchor, n in links[:20]:
        group = (built_site / "groups" / slug / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in group
        heading = re.search(rf'id="{anchor}"[^>]*>[^<]*（(\d+) 条）', group)
        assert heading and int(heading.group(1)) >= int(n)
    assert "<svg" in html and 'role="img"' in html


def test_atom_feeds_list_plans_and_link_to_real_pages(built_site, plans, measures):
    import posixpath
    import xml.etree.ElementTree as ET
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(built_site / "feeds/plans.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(plans)
    for e in entries:
        href = e.find("a:link", ns).get("href")
        assert (built_site / posixpath.normpath(posixpath.join("feeds", href))).is_file(), href
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", e.find("a:updated", ns).text)
    group = ET.parse(built_site / "feeds/groups/fishermen.xml").getroot()
    want = {m["plan_id"] for m in measures.values() if "fishermen" in m["groups"]}
    got = {re.search(r"plans/([^/]+)/", e.find("a:link", ns).get("href")).group(1)
           for e in group.findall("a:entry", ns)}
    assert got == want
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home


def test_long_group_lists_split_by_region_and_every_measure_stays_reachable(tmp_path, monkeypatch, measures):
    """At national scale a group page lists regions; each region's measures are on its own page."""
    from pathlib import Path

    from site_builder import routes
    from site_builder.build import Paths, build
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setattr(routes, "PAGE_LIMIT", 10)
    monkeypatch.setattr(routes, "COMPARE_COLUMNS", 2)  # and the comparison goes by province
    out = tmp_path / "out"
    build(Paths(root / "seeds", root / "content", out, root / "templates"), index=False)
    main = cards(out, "groups/migrant-workers/index.html")
    assert main.cards == []
    reached = []
    numbered = 0
    for part in sorted((out / "groups/migrant-workers/r").rglob("index.html")):
        page = cards(out, part.relative_to(out).as_posix())
        # A region whose own plans alone hold more goes on numbered pages (r/<region>/2/ …).
        numbered += part.parent.name.isdigit() and len(part.relative_to(out / "groups/migrant-workers/r").parts) == 3
        assert len(page.cards) <= 10, (part, len(page.cards))
        assert page.cards, f"{part}: a part page with nothing on it"
        reached += [c["href"].split("plans/", 1)[1] for c in page.cards]
    want = sorted(m["url"].split("plans/", 1)[1] for m in measures.values() if "migrant-workers" in m["groups"])
    assert sorted(reached) == want
    assert numbered, "no region had more measures of its own than a page holds: the paging went untested"
    compare = (out / "compare/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<th scope="col">([^<]+)</th>', compare)[1:-1] == ["广东省", "浙江省", "甘肃省", "贵州省", "辽宁省"]
    # Every link and anchor still resolves, the comparison table's included.
    from site_builder.audit import audit_site
    assert [str(f) for f in audit_site(out, 300 * 1024)] == []


def test_long_amount_lists_are_paged_and_keep_their_order(tmp_path, monkeypatch):
    from pathlib import Path

    from site_builder import routes
    from site_builder.build import Paths, build
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setattr(routes, "AMOUNTS_PER_PAGE", 7)
    out = tmp_path / "out"
    build(Paths(root / "seeds", root / "content", out, root / "templates"), index=False)
    whole = re.findall(r'<span class="badge">([^<]+)</span>', (built := out / "amounts/index.html").read_text(encoding="utf-8"))
    assert len(whole) == 7
    n = 2
    while (out / f"amounts/page/{n}/index.html").exists():
        whole += re.findall(r'<span class="badge">([^<]+)</span>', (out / f"amounts/page/{n}/index.html").read_text(encoding="utf-8"))
        n += 1
    assert n > 2 and 'href="page/2/index.html"' in built.read_text(encoding="utf-8")
    monkeypatch.setattr(routes, "AMOUNTS_PER_PAGE", 10_000)
    build(Paths(root / "seeds", root / "content", out, root / "templates"), index=False)
    assert whole == re.findall(r'<span class="badge">([^<]+)</span>', (out / "amounts/index.html").read_text(encoding="utf-8"))


def test_long_department_lists_split_by_region_and_every_measure_stays_reachable(tmp_path, monkeypatch, measures):
    from pathlib import Path

    from site_builder import routes
    from site_builder.build import Paths, build
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setattr(routes, "PAGE_LIMIT", 20)
    out = tmp_path / "out"
    build(Paths(root / "seeds", root / "content", out, root / "templates"), index=False)
    assert cards(out, "departments/hrss/index.html").cards == []
    reached = []
    for part in sorted((out / "departments/hrss/r").rglob("index.html")):  # numbered pages too
        found = [c["href"].split("plans/", 1)[1] for c in cards(out, part.relative_to(out).as_posix()).cards]
        assert found, f"{part}: a part page with nothing on it"
        reached += found
    want = sorted(m["url"].split("plans/", 1)[1] for m in measures.values() if "人力资源和社会保障部门" in m["departments"])
    assert sorted(reached) == want


def test_long_plan_and_region_indexes_go_down_the_region_tree_and_reach_every_plan(tmp_path, monkeypatch):
    """Past LIST_LIMIT the plan index lists provinces and a region page its own plans and its
    sub-regions with counts; following those links still reaches every plan."""
    import posixpath
    from pathlib import Path

    from site_builder import routes
    from site_builder.build import Paths, build
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setattr(routes, "LIST_LIMIT", 2)
    out = tmp_path / "out"
    build(Paths(root / "seeds", root / "content", out, root / "templates"), index=False)
    plans = {p.parent.name for p in (out / "plans").glob("*/index.html")}
    assert len(plans) > 2

    def links(page: str) -> list[str]:
        html = (out / page).read_text(encoding="utf-8")
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        return [posixpath.normpath(posixpath.join(posixpath.dirname(page), h))
                for h in re.findall(r'href="([^"#]+)"', main)]

    index = links("plans/index.html")
    assert index and all(h.startswith("regions/") for h in index)  # provinces, not plans
    regions_page = (out / "regions/index.html").read_text(encoding="utf-8")
    assert "depth-2" not in regions_page and "县级地区见各市的页面" in regions_page
    seen: list[str] = []
    todo, visited = list(index), set()
    while todo:
        page = todo.pop()
        if page in visited:
            continue
        visited.add(page)
        for h in links(page):
            if h.startswith("plans/"):
                seen.append(h.split("/")[1])
            elif h.startswith("regions/") and h != "regions/index.html":
                todo.append(h)
    assert sorted(set(seen)) == sorted(plans)


def test_a_policy_cited_by_more_plans_than_a_page_lists_splits_by_region(tmp_path, monkeypatch):
    """Past LIST_LIMIT a policy page lists regions with counts; each region's plans are on a page of
    its own, numbered when one region alone has too many, and every citing plan stays reachable."""
    import posixpath
    import shutil
    from pathlib import Path

    from site_builder import routes
    from site_builder.build import Paths, build
    root = Path(__file__).resolve().parents[2]
    seeds = tmp_path / "seeds"
    shutil.copytree(root / "seeds", seeds)
    # A second plan of the same city citing the same document, so that city alone exceeds the limit.
    source = next(p for p in sorted(seeds.iterdir()) if "国发〔2016〕56号" in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    (seeds / f"copy-{source.name}").write_text(text.replace("实施方案", "实施方案（修订）", 1), encoding="utf-8")
    monkeypatch.setattr(routes, "LIST_LIMIT", 1)
    out = tmp_path / "out"
    build(Paths(seeds, root / "content", out, root / "templates"), index=False)
    plans = json.loads((out / "data/plans.json").read_text(encoding="utf-8"))
    citing = sorted(p["id"] for p in plans if "国发〔2016〕56号" in p["cites"])
    assert len(citing) == 3

    def links(page: str) -> list[str]:
        main = (out / page).read_text(encoding="utf-8").split("<main", 1)[1].split("</main>", 1)[0]
        return [posixpath.normpath(posixpath.join(posixpath.dirname(page), h)) for h in re.findall(r'href="([^"#]+)"', main)]

    index = links("policies/index.html")
    first = next(h for h in index if h.startswith("policies/p") and "国发〔2016〕56号" in (out / h).read_text(encoding="utf-8"))
    assert not [h for h in links(first) if h.startswith("plans/")]  # regions, not plans
    parts = [h for h in links(first) if h.startswith(posixpath.dirname(first) + "/r/")]
    seen, numbered = [], set()
    for part in sorted(set(parts)):
        found = [h.split("/")[1] for h in links(part) if h.startswith("plans/")]
        assert len(found) <= 1, part
        seen += found
        for h in links(part):  # the pager of a region whose own plans take several pages
            if h.startswith(posixpath.dirname(part) + "/") and h != part:
                numbered.add(h)
                seen += [x.split("/")[1] for x in links(h) if x.startswith("plans/")]
    assert numbered, "no region had more citing plans than a page lists: the paging went untested"
    assert sorted(seen) == citing  # each once
    _well_formed(out, [first, *sorted(set(parts)), *sorted(numbered)])


def _well_formed(out, pages) -> None:
    """One h1, no skipped heading level and a title of its own on each of these pages."""
    from tests.site.test_html_quality import heading_problem
    titles = []
    for page in pages:
        html = (out / page).read_text(encoding="utf-8")
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        problem = heading_problem([int(h) for h in re.findall(r"<h([1-6])[\s>]", main)])
        assert problem is None, (page, problem)
        titles.append(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert len(set(titles)) == len(titles), titles


def test_a_plan_too_long_for_one_page_is_cut_between_measures_and_every_link_finds_its_measure(tmp_path, monkeypatch):
    """Past PLAN_PAGE_BYTES a plan takes numbered pages: each measure is on exactly one of them, in
    document order, with its sub-items; the headings above a measure are on its page (marked 续 when
    they began on an earlier one); links to a measure (cards, similar measures, contents, open data,
    search) name its page."""
    from pathlib import Path

    from site_builder import paging, search
    from site_builder.audit import audit_site
    from site_builder.build import Paths, build
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setattr(paging, "PLAN_PAGE_BYTES", 40_000)
    out = tmp_path / "out"
    build(Paths(root / "seeds", root / "content", out, root / "templates"), index=False)
    assert [str(f) for f in audit_site(out, 300 * 1024)] == []  # every link and anchor resolves
    got = json.loads((out / "data/measures.json").read_text(encoding="utf-8"))
    cut, continued = 0, 0
    for plan in {m["id"].split("#")[0] for m in got}:
        pages = [f"plans/{plan}/index.html"]
        while (out / f"plans/{plan}/{len(pages) + 1}/index.html").exists():
            pages.append(f"plans/{plan}/{len(pages) + 1}/index.html")
        cut += len(pages) > 1
        _well_formed(out, pages)
        ids, started = [], set()
        for page in pages:
            body = (out / page).read_text(encoding="utf-8").split('class="plan-body"', 1)[1]
            here = re.findall(r'<article class="item[^"]*">\s*<h\d id="(m-[^"]+)"', body)
            assert here, f"{page}: a page without a measure"
            ids += here
            # Headings in order: each either starts here (its id) or began on an earlier page (续).
            for head_id, title in re.findall(r'<h\d(?: id="(s-[^"]+)")?>([^<]*)</h\d>', body):
                if head_id:
                    started.add(title)
                else:
                    assert title.endswith("（续）") and title[:-3] in started, (page, title)
                    continued += 1
        want = [m["id"].split("#")[1] for m in got if m["id"].startswith(plan + "#")]
        assert ids == want  # each measure once, in document order, sub-items with their item
    assert cut >= 3, "the limit cut too few plans to test"
    assert continued, "no heading ran on to a next page: the 续 headings went untested"
    for m in got:  # open data names the page that holds the measure
        page, anchor = m["url"].split("#")
        assert f'id="{anchor}"' in (out / page).read_text(encoding="utf-8"), m["url"]
    data = search.read_offline_index(out)  # search results link to the page that holds the part
    for page, anchor, _title, _text in data["parts"]:
        assert f'id="{anchor}"' in (out / data["pages"][page][0]).read_text(encoding="utf-8")


def test_atom_feeds_are_written_as_elementtree_writes_them(built_site):
    """Feeds are written as text: each must be what ElementTree writes for the tree it holds."""
    import xml.etree.ElementTree as ET

    from site_builder import feeds
    ET.register_namespace("", feeds.ATOM)
    paths = sorted((built_site / "feeds").rglob("*.xml"))
    assert len(paths) > 2
    for path in paths:
        data = path.read_text(encoding="utf-8")
        root = ET.fromstring(data)
        ET.indent(root)
        assert data == '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n", path
    # Text and attributes the seeds do not have.
    for text in ['a&b<c>d"e\nf\tg\rh', "", "&amp;"]:
        root = ET.Element("r")
        ET.SubElement(root, "x").text = text
        ET.SubElement(root, "y", href=text)
        ET.indent(root)
        assert ET.tostring(root, encoding="unicode") == \
            f'<r>\n{feeds._element(1, "x", text)}  <y href="{feeds._attr(text)}" />\n</r>'
