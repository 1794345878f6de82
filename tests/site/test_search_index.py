"""What Pagefind indexes: single Chinese characters, a gap at line ends, one record per heading and item."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from hypothesis import given
from hypothesis import strategies as st

from site_builder import offline, search
from site_builder.diagnostics import InputError
from tests.conftest import ROOT


def test_chinese_is_split_into_characters_and_other_words_kept_whole():
    assert search.spaced("农民工返乡创业，补贴2020年ＡＢ１２") == "农 民 工 返 乡 创 业 ， 补 贴 2020 年 AB12"


def test_a_line_end_becomes_a_gap_no_phrase_can_cross():
    assert search.spaced("标题\n正文\n\n表格") == f"标 题 {search.BREAK} 正 文 {search.BREAK} 表 格"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="¶"), max_size=40))
def test_spacing_keeps_every_visible_character(text):
    # Only whitespace changes (and full-width letters and digits fold), so what is shown is the text.
    assert "".join(search.spaced(text).replace(search.BREAK, "").split()) == "".join(search.fold(text).split())


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for kind in ("data-pagefind-filter", "data-pagefind-sort", "data-pagefind-meta"):
            if kind in a:
                self.meta[a[kind].removesuffix("[content]")] = a["content"]

    def handle_data(self, data):
        self.text += data


def test_records_key_every_heading_and_item_by_its_page():
    data = {"pages": [["index.html", "首页"], ["plans/a/index.html", "某市\"增收\"方案|2021"]],
            "groups": [],
            "parts": [[1, "s-1", "一、总体要求", ""], [1, "m-1-1", "", "支持农民工返乡创业。\n表格"]]}
    records = search.records(data)
    assert [r.file for r in records] == ["t/index.html", "t/plans%2Fa%2Findex.html",
                                         "p/plans%2Fa%2Findex/s-1.html", "p/plans%2Fa%2Findex/m-1-1.html"]
    head = _Head()
    head.feed(records[3].html())
    key = head.meta["page"]
    # The page key survives Pagefind's filters: no JSON escape, no stray "|".
    assert key == "plans/a/index.html|某市%22增收%22方案%7C2021"
    assert head.meta["order"] == "00002"
    assert "heading" not in head.meta  # no heading: search.js shows the first sentence
    assert head.text.strip() == f"支 持 农 民 工 返 乡 创 业 。 {search.BREAK} 表 格"
    titled = _Head()
    titled.feed(records[1].html())
    assert titled.meta["titled"] == key and titled.meta["order"] == "00000"


def test_pagefind_keeps_each_record_as_search_py_spaced_it(built_site):
    # The text is already split into characters, so Pagefind must not segment it again (it would
    # insert zero-width spaces between the characters it shows and spend a third of its time).
    import gzip
    import json
    fragments = []
    for f in (built_site / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        assert data.startswith(b"pagefind_dcd"), f
        fragments.append(json.loads(data[len(b"pagefind_dcd"):]))
    records = search.records(search.read_offline_index(built_site))
    assert len(fragments) == len(records)
    # Pagefind ends a text with "." when it does not end in punctuation already.
    shown = {fr["content"].removesuffix(".") for fr in fragments}
    assert shown == {r.content.removesuffix(".") for r in records}


def test_record_files_hold_each_record_in_its_own_file(tmp_path):
    data = {"pages": [["index.html", "首页"], ["plans/a/index.html", "方案"]], "groups": [],
            "parts": [[1, "s-1", "一、总体要求", ""], [1, "m-1-1", "", "支持农民工返乡创业。" * 500]]}
    records = search.records(data)
    (tmp_path / "p" / "plans%2Fa%2Findex").mkdir(parents=True)
    (tmp_path / "p" / "plans%2Fa%2Findex" / "s-1.html").write_text("x" * 100_000, encoding="utf-8")  # replaced whole
    search.write_records(tmp_path, records)
    written = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8")
               for p in tmp_path.rglob("*.html")}
    assert written == {r.file: r.html() for r in records}


def _tiny_site(tmp_path):
    site = tmp_path / "site"
    data = {"pages": [["plans/a/index.html", "方案"]], "groups": [], "parts": [[0, "m-1", "", "支持农民工返乡创业。"]]}
    (site / "search").mkdir(parents=True)
    (site / offline.PATH).write_text(f"globalThis.{offline.GLOBAL}={json.dumps(data, ensure_ascii=False)};\n",
                                     encoding="utf-8")
    return site


def _program(tmp_path, body: str) -> str:
    script = tmp_path / "fake-pagefind"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_a_failing_pagefind_is_reported_with_what_it_said(tmp_path, monkeypatch):
    site = _tiny_site(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", _program(tmp_path, 'echo "Error: disk full" >&2; exit 3'))
    with pytest.raises(InputError) as caught:
        search.index_site(site)
    said = caught.value.diagnostic.message
    assert "退出码 3" in said and "disk full" in said


def test_an_index_without_its_essential_files_is_refused(tmp_path, monkeypatch):
    site = _tiny_site(tmp_path)
    # Exits 0 having written only the entry: the wasm and the rest are missing.
    body = 'while [ "$1" != --output-path ]; do shift; done; mkdir -p "$2"; echo "{}" > "$2/pagefind-entry.json"'
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", _program(tmp_path, body))
    with pytest.raises(InputError) as caught:
        search.index_site(site)
    assert "wasm.*.pagefind" in caught.value.diagnostic.message


def test_pagefind_writes_the_whole_index_from_the_records(tmp_path):
    site = _tiny_site(tmp_path)
    assert search.index_site(site) == 1
    assert json.loads((site / "pagefind" / search.LIST).read_text(encoding="utf-8")) == {"pages": 1, "shards": ["0"]}
    out = site / "pagefind" / "0"
    assert all(any(out.glob(name)) for name in search.ESSENTIAL)
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"][search.LANGUAGE]["page_count"] == 2  # the title record and the item's


def test_a_page_added_before_others_changes_only_the_part_that_holds_it(tmp_path, monkeypatch):
    # Records are keyed and named by their page's path, not its place in the offline index, so
    # the pages after a new one keep their records, and their parts stay the previous build's.
    monkeypatch.setattr(search, "SHARD_RECORDS", 10)

    def site(name: str, pages: list) -> search.Layout:
        folder = tmp_path / name
        parts = [[i, "m-1", "", f"支持{title}。"] for i, (_, title) in enumerate(pages)]
        (folder / "search").mkdir(parents=True)
        (folder / offline.PATH).write_text(
            f"globalThis.{offline.GLOBAL}={json.dumps({'pages': pages, 'groups': [], 'parts': parts}, ensure_ascii=False)};",
            encoding="utf-8")
        return search.layout(folder, ROOT / "templates")

    pages = [[f"plans/{n}/index.html", f"方案{n}"] for n in range(12)]
    before = site("before", pages)
    after = site("after", [["plans/new/index.html", "新方案"], *pages])
    assert len(before.shards) == len(after.shards) == 3
    [holder] = [s.name for s in after.shards if 0 in s.pages]
    changed = {a.name for a, b in zip(before.shards, after.shards) if a.digest != b.digest}
    assert changed == {holder}
