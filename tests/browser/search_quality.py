"""Recall and precision of the served search for Chinese terms, measured in a browser (tests and bench share it).

How a term is counted:
- Ground truth: the measures of output/data/measures.json whose heading + text contains the term
  as typed (exact substring). A table's cells are shown in their measure on the page but are not
  in measures.json: a measure with the term only in a cell counts as wrong when returned.
- Returned: every measure anchor (``plans/<id>/[<n>/]index.html#<anchor>``) the search page links to,
  after a reader has followed every "more" link it offers (marked ``data-more``), one at a time
  until none is left. Only links a reader can see count; headings of sections are not measures.
- A group's page put first (``li.group-hit``) is navigation, not a measure: its measures are not
  counted when some measure contains the term — recall and precision then measure the search itself.
- When no measure contains the term (the seeds never say 渔民, they say 渔农民), recall over
  measures containing it is vacuous (reported as None and passing). The term is then a group's
  everyday name: the measures of the group pages the search puts first count as returned, and a
  returned measure is relevant when it belongs to such a group (measures.json ``groups``);
  precision is measured over that.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

TERMS = ("农民工", "渔民", "高校毕业生", "退役军人", "创业担保贷款",
         "易地扶贫搬迁", "建档立卡", "一次性创业补贴", "外出务工", "公益性岗位")
RECALL_BAR = 0.95
PRECISION_BAR = 0.90
SETTLE_TIMEOUT_MS = 15_000
MORE_ROUNDS = 200
MORE = "#search-results [data-more], #search-more [data-more]"
"""The "more" links of the search page (a plan's other matches, more pages)."""

# Settled: results shown (or a final status line) and nothing still loading.
SETTLED_JS = """() => {
  const list = document.getElementById('search-results');
  const t = document.getElementById('search-status').textContent.trim();
  if (list.getAttribute('aria-busy') === 'true') return false;
  return list.querySelector('li') !== null || (t !== '' && !t.includes('正在搜索'));
}"""

# Every link in the results a reader can see: [href, is it inside a group hit].
VISIBLE_LINKS_JS = """() => [...document.querySelectorAll('#search-results a')]
  .filter(a => a.checkVisibility())
  .map(a => [a.href, a.closest('li.group-hit') !== null])"""


@dataclass(frozen=True)
class Measure:
    id: str
    url: str
    text: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    term: str
    truth: int
    """Measures whose heading + text contains the term."""
    returned: int
    """Distinct measures the results link to (plus group-page measures when truth is 0)."""
    relevant_returned: int
    recall: float | None
    """None when no measure contains the term (vacuous)."""
    precision: float | None
    """None when nothing is returned."""
    engine: str | None
    via_groups: tuple[str, ...]
    """Group pages whose measures were counted (only when truth is 0)."""
    missed: tuple[str, ...]
    wrong: tuple[str, ...]

    @property
    def passes(self) -> bool:
        """Both bars met; for a term no measure contains, a group page must be offered and what is
        returned must belong to its group (nothing returned fails: the reader reached nothing)."""
        if self.truth == 0:
            return bool(self.via_groups) and self.precision is not None and self.precision >= PRECISION_BAR
        return (self.recall is not None and self.recall >= RECALL_BAR
                and self.precision is not None and self.precision >= PRECISION_BAR)


def load_measures(site: Path) -> list[Measure]:
    data = json.loads((site / "data" / "measures.json").read_text(encoding="utf-8"))
    return [Measure(m["id"], m["url"], (m["heading"] or "") + "\n" + (m["text"] or ""), tuple(m["groups"]))
            for m in data]


def _site_path(href: str, base: str) -> str:
    """The link's path and fragment relative to the site root ('' when outside the site)."""
    if not href.startswith(base):
        return ""
    rest = href[len(base):]
    path, _, frag = rest.partition("#")
    path = path.split("?", 1)[0]
    if path.endswith("/") or path == "":
        path += "index.html"
    return f"{path}#{frag}" if frag else path


def search_links(page, base: str, term: str) -> tuple[str | None, list[tuple[str, bool]]]:
    """Run the search page for ``term``, follow every "more", return (engine, visible links)."""
    page.goto(f"{base}search/index.html?q={quote(term)}")
    page.wait_for_function(SETTLED_JS, timeout=SETTLE_TIMEOUT_MS)
    for _ in range(MORE_ROUNDS):
        # One at a time: a "more" link may re-render the list it sits in.
        more = page.locator(MORE)
        visible = next((more.nth(i) for i in range(more.count()) if more.nth(i).is_visible()), None)
        if visible is None:
            break
        visible.click()
        page.wait_for_function(SETTLED_JS, timeout=SETTLE_TIMEOUT_MS)
    else:
        raise AssertionError(f"{term}: still more to open after {MORE_ROUNDS} rounds")
    return page.get_attribute("#search-results", "data-engine"), page.evaluate(VISIBLE_LINKS_JS)


def group_page_measures(page, base: str, group_url: str) -> list[str]:
    """Site paths of the measures a group page lists."""
    page.goto(group_url)
    hrefs = page.eval_on_selector_all(".entry-title a", "els => els.map(a => a.href)")
    return [_site_path(h, base) for h in hrefs]


def measure(page, base: str, term: str, measures: list[Measure]) -> Score:
    by_url = {m.url: m for m in measures}
    truth = {m.id for m in measures if term in m.text}
    engine, links = search_links(page, base, term)
    returned: set[str] = set()
    group_urls: list[str] = []
    for href, in_group_hit in links:
        path = _site_path(href, base)
        if in_group_hit and "#" not in path and path.startswith("groups/"):
            group_urls.append(href)
        elif path in by_url:
            returned.add(by_url[path].id)
    via: list[str] = []
    if truth:
        relevant = truth
    else:
        slugs = set()
        for g in dict.fromkeys(group_urls):
            slugs.add(urlsplit(g).path.rstrip("/").removesuffix("/index.html").rsplit("/", 1)[-1])
            via.append(_site_path(g, base))
            returned.update(by_url[p].id for p in group_page_measures(page, base, g) if p in by_url)
        relevant = {m.id for m in measures if slugs & set(m.groups)}
    hit = returned & relevant
    return Score(
        term=term, truth=len(truth), returned=len(returned), relevant_returned=len(hit),
        recall=len(hit) / len(truth) if truth else None,
        precision=len(hit) / len(returned) if returned else None,
        engine=engine, via_groups=tuple(via),
        missed=tuple(sorted(truth - returned)), wrong=tuple(sorted(returned - relevant)))


def table(scores: list[Score]) -> str:
    def pct(x):
        return "—" if x is None else f"{x:.0%}"
    rows = ["| term | containing | returned | relevant returned | recall | precision | pass |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for s in scores:
        note = f" (via {', '.join(s.via_groups)})" if s.via_groups else ""
        rows.append(f"| {s.term}{note} | {s.truth} | {s.returned} | {s.relevant_returned} | "
                    f"{pct(s.recall)} | {pct(s.precision)} | {'yes' if s.passes else 'NO'} |")
    return "\n".join(rows)
