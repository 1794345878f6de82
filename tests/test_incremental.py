"""Rebuilds: cached parses give the same site, unchanged files keep their inode, serve adds live reload."""
from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from site_builder import fingerprint, replay, search
from site_builder.build import LIVE_RELOAD, Kept, Paths, build, index_later
from site_builder.serve import BuildState, handler_for

ROOT = Path(__file__).resolve().parent.parent


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _seeds(tmp_path) -> Paths:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    return Paths(seeds, ROOT / "content", tmp_path / "out", ROOT / "templates")


def test_a_cached_rebuild_writes_the_same_site_and_keeps_unchanged_files(tmp_path):
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    cold = build(paths, index=False, cache_dir=cache)
    first = _tree(paths.out)
    inodes = {p: (paths.out / p).stat().st_ino for p in first}
    warm = build(paths, index=False, cache_dir=cache)
    assert _tree(paths.out) == first
    assert [str(d) for d in warm.report.sorted()] == [str(d) for d in cold.report.sorted()]
    # Nothing changed, so every file is the previous one (same inode, same mtime), and the build
    # knew it from the digests it kept, without writing them.
    assert all((paths.out / p).stat().st_ino == inodes[p] for p in first)
    assert warm.kept == warm.files
    # A file edited in the output folder is not the one the build wrote: it is written again.
    home = paths.out / "index.html"
    home.write_bytes(home.read_bytes().replace(b"<h1", b"<h1 data-edited", 1))
    again = build(paths, index=False, cache_dir=cache)
    assert _tree(paths.out) == first and again.kept == again.files - 1
    inodes["index.html"] = home.stat().st_ino

    # Edit one plan: it is re-parsed, its page changes, and untouched plans keep their files.
    seed = sorted(paths.seeds.glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8").replace("。", "。", 1) + "\n", encoding="utf-8")
    build(paths, index=False, cache_dir=cache)
    after = _tree(paths.out)
    same = [p for p in first if p in after and after[p] == first[p]]
    assert same and all((paths.out / p).stat().st_ino == inodes[p] for p in same)
    assert len(list((cache / "parse").glob("*.pickle"))) == len(list(paths.seeds.glob("*.txt")))


def _identities(folder: Path) -> dict[str, tuple]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_a_build_whose_inputs_and_output_are_as_the_last_left_them_is_replayed_not_made(tmp_path):
    paths = _seeds(tmp_path)
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    paths = Paths(paths.seeds, tmp_path / "content", paths.out, tmp_path / "templates")
    cache = tmp_path / ".cache"
    first = build(paths, cache_dir=cache)
    site = _tree(paths.out)
    assert any(p.startswith("pagefind/") for p in site)

    made = [first]

    def replayed(**options) -> bool:
        """Build; True when the build only checked its inputs and said what the last build made said."""
        s = build(paths, cache_dir=cache, **options)
        if [name for name, _ in s.timings] != ["核对输入"]:
            made.append(s)
            return False
        last = made[-1]
        assert (s.rendered, s.kept, s.files, s.pages, s.plans, s.items, s.indexed, s.edits, s.notices) == (
            0, last.files, last.files, last.pages, last.plans, last.items, last.indexed, last.edits, last.notices)
        assert [str(d) for d in s.report.sorted()] == [str(d) for d in last.report.sorted()]
        return True

    before = _identities(paths.out)
    assert replayed() and replayed()
    assert _identities(paths.out) == before  # nothing in the output folder was touched

    # The output changed by hand: made again, back to what the build writes.
    home = paths.out / "index.html"
    home.write_bytes(home.read_bytes().replace(b"<h1", b"<h1 data-edited", 1))
    assert not replayed() and _tree(paths.out) == site and replayed()
    (paths.out / "groups" / "stray.html").write_text("x", encoding="utf-8")
    assert not replayed() and _tree(paths.out) == site and replayed()
    (paths.out / "data" / "measures.csv").unlink()
    assert not replayed() and _tree(paths.out) == site and replayed()
    shard = next(p for p in sorted((paths.out / "pagefind").rglob("*")) if p.is_file() and "fragment" in p.parts)
    shard.rename(shard.with_name("moved-" + shard.name))
    assert not replayed()
    shard.with_name("moved-" + shard.name).rename(shard)

    # Any input changed: made again.
    assert not replayed(index=False) and not (paths.out / "pagefind").exists() and replayed(index=False)
    assert not replayed(live_reload=True) and (paths.out / LIVE_RELOAD).exists() and replayed(live_reload=True)
    seed = sorted(paths.seeds.glob("*.txt"))[0]
    text = seed.read_bytes()
    seed.write_bytes(text + b"\n")
    assert not replayed(index=False)
    seed.write_bytes(text)
    (paths.seeds / ".hidden.txt").write_text("x", encoding="utf-8")  # skipped, with a warning the build must give
    s = build(paths, cache_dir=cache, index=False)
    assert len(s.timings) > 1 and any(".hidden.txt" in str(d) for d in s.report.items)
    (paths.seeds / ".hidden.txt").unlink()
    assert not replayed(index=False) and replayed(index=False)
    for changed in (paths.content / "site.toml", paths.templates / "base.html"):
        changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert not replayed(index=False)
    # Without a cache nothing is trusted, and the build after it knows its files are not the ones
    # the cache's last build wrote.
    build(paths, index=False)
    assert not replayed(index=False)


def test_a_seed_saved_while_the_build_reads_it_is_not_replayed_later(tmp_path, monkeypatch):
    # Saved between the survey and the parse, then undone: the site holds the saved bytes, so the
    # next build must not take the undone file for what that site was made from.
    from site_builder import build as build_mod

    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, index=False, cache_dir=cache)
    seed = sorted(paths.seeds.glob("*.txt"))[0]
    before = seed.read_bytes()
    real = build_mod.parse_all

    def saved_meanwhile(*args, **kwargs):
        _edit(seed, "临时加上的一句话。")
        return real(*args, **kwargs)

    _edit(seed, "加强宣传解读。")
    edited = seed.read_bytes()
    monkeypatch.setattr(build_mod, "parse_all", saved_meanwhile)
    build(paths, index=False, cache_dir=cache)
    monkeypatch.undo()
    assert "临时加上的一句话" in (paths.out / "data" / "measures.json").read_text(encoding="utf-8")
    seed.write_bytes(edited)
    s = build(paths, index=False, cache_dir=cache)
    assert len(s.timings) > 1 and "临时加上的一句话" not in (paths.out / "data" / "measures.json").read_text(encoding="utf-8")
    assert before != edited


def test_parses_kept_in_memory_between_builds_are_used_instead_of_the_cache_files(tmp_path, monkeypatch):
    from site_builder import build as build_mod, cache as cache_mod

    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    seeds = sorted(paths.seeds.glob("*.txt"))
    parsed = []
    real = build_mod._parse_seed
    monkeypatch.setattr(build_mod, "_parse_seed", lambda job, shared: parsed.append(job[1]) or real(job, shared))
    kept = Kept()
    build(paths, index=False, cache_dir=cache, kept=kept)
    assert len(kept.parses) == len(parsed) == len(seeds)
    # The cache files unreadable from now on: what is not in memory must be parsed again.
    monkeypatch.setattr(cache_mod.pickle, "load", lambda fh: (_ for _ in ()).throw(pickle.UnpicklingError()))
    _edit(seeds[0], "加强宣传解读。")
    seeds[1].unlink()
    parsed.clear()
    made = build(paths, index=False, cache_dir=cache, kept=kept)
    assert [Path(p).name for p in parsed] == [seeds[0].name]
    assert len(kept.parses) == len(seeds) - 1  # the removed seed's parse is dropped
    site = _tree(paths.out)
    # What the build made from memory is what one parsing every seed makes.
    replay.forget(cache)
    parsed.clear()
    again = build(paths, index=False, cache_dir=cache)
    assert len(parsed) == len(seeds) - 1 and _tree(paths.out) == site
    assert [str(d) for d in again.report.sorted()] == [str(d) for d in made.report.sorted()]


def test_live_reload_is_only_in_serve_builds_and_reports_build_state(tmp_path):
    paths = _seeds(tmp_path)
    build(paths, index=False)
    assert not (paths.out / LIVE_RELOAD).exists()
    assert "live-reload.js" not in (paths.out / "index.html").read_text(encoding="utf-8")
    build(paths, index=False, live_reload=True)
    assert (paths.out / LIVE_RELOAD).exists()
    assert "assets/live-reload.js" in (paths.out / "index.html").read_text(encoding="utf-8")

    import http.server
    state = BuildState(id=3, error="seeds/x.txt:12: error: 测试")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(paths.out, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/__build"
        got = json.loads(urllib.request.urlopen(url, timeout=5).read().decode("utf-8"))
        assert got == {"id": 3, "error": "seeds/x.txt:12: error: 测试", "preview": []}
        page = urllib.request.urlopen(url.replace("__build", "index.html"), timeout=5).read()
        assert b"<h1>" in page or b"<h1" in page
        # A preview's pages are served instead of the files, at their path however it is asked for.
        state.show_preview({"index.html": b"<p>preview</p>", "plans/\u65b0/index.html": b"<p>new</p>"})
        assert json.loads(urllib.request.urlopen(url, timeout=5).read())["preview"] == ["index.html", "plans/\u65b0/index.html"]
        assert state.id == 4
        for asked, body in (("", b"<p>preview</p>"), ("index.html?x=1", b"<p>preview</p>"),
                            ("plans/%E6%96%B0/", b"<p>new</p>"), ("plans/%E6%96%B0", b"<p>new</p>"),
                            ("plans/x/../%E6%96%B0/index.html", b"<p>new</p>")):
            assert urllib.request.urlopen(url.replace("__build", asked), timeout=5).read() == body, asked
        for asked, body in (("", b"<p>preview</p>"), ("plans/x/../%E6%96%B0/index.html", b"<p>new</p>")):
            head = urllib.request.urlopen(urllib.request.Request(url.replace("__build", asked), method="HEAD"), timeout=5)
            assert (head.status, head.headers["Content-Length"], head.read()) == (200, str(len(body)), b""), asked
        state.finished("seeds/x.txt:3: error: 坏了")  # failed: back to the files, the open page reloads
        assert state.polled() == {"id": 5, "error": "seeds/x.txt:3: error: 坏了", "preview": []}
        state.finished("seeds/x.txt:3: error: 坏了")  # failed again, no preview: only the error
        assert state.id == 5
        state.finished()
        assert state.polled() == {"id": 6, "error": "", "preview": []}
        assert urllib.request.urlopen(url.replace("__build", "index.html"), timeout=5).read() == page
    finally:
        server.shutdown()


def test_a_serve_build_failing_after_its_preview_goes_back_to_the_last_good_site(tmp_path, monkeypatch):
    from site_builder import serve
    from site_builder.diagnostics import Diagnostic, InputError
    paths = _seeds(tmp_path)
    state = BuildState()

    def failing(paths, **kw):
        kw["preview"]({"index.html": b"<p>preview</p>"})
        assert state.preview and state.id == 1
        raise InputError(Diagnostic("seeds/x.txt", 3, "error", "坏了", "修好"))

    monkeypatch.setattr(serve, "build", failing)
    serve.rebuild(paths, state, tmp_path / ".cache")
    # The open page reloads once more, to the last good site, with the error over it.
    assert state.preview == {} and state.id == 2 and state.error.startswith("seeds/x.txt:3: error: 坏了")


def test_the_search_index_is_reused_when_no_page_changed(tmp_path):
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, cache_dir=cache)
    index = {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()}
    assert index
    build(paths, cache_dir=cache)
    assert {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()} == index
    # Without a cache (--no-cache) nothing is trusted: the index is made again.
    build(paths)
    index = {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()}
    build(paths, cache_dir=cache)
    assert {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()} == index
    seed = sorted(paths.seeds.glob("*.txt"))[1]
    seed.write_text(seed.read_text(encoding="utf-8").replace("就业", "就业创业", 1), encoding="utf-8")
    build(paths, cache_dir=cache)
    fresh = {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()}
    assert fresh and not set(fresh.items()) <= set(index.items())
    # The records of the other plans did not change: Pagefind wrote their fragments again under the
    # same names, and the build put the previous files back in their place.
    again = [p for p in fresh if p in index and p.parent.name == "fragment"]
    assert len(again) > len(fresh) / 2 and all(fresh[p] == index[p] for p in again)


def _edits(seeds: Path, out: Path):
    """Edits an author makes: a sentence added to a measure, a plan's title changed (as the
    built site's open data names the plan and its file), a new group word in a measure, a plan
    file removed."""
    first, second, third = sorted(seeds.glob("*.txt"))[:3]

    def sentence():
        text = first.read_text(encoding="utf-8")
        at = text.index("。", len(text) // 2) + 1
        first.write_text(text[:at] + "支持农民工参加职业技能培训并给予补贴。" + text[at:], encoding="utf-8")

    def title():
        plans = json.loads((out / "data" / "plans.json").read_text(encoding="utf-8"))
        name = next(p["title"] for p in plans if p["source"].endswith("/" + second.name))
        text = second.read_text(encoding="utf-8")
        assert name in text
        second.write_text(text.replace(name, name[:-2] + "（修订）" + name[-2:]), encoding="utf-8")

    def group_word():
        text = third.read_text(encoding="utf-8")
        at = text.index("。", len(text) // 3) + 1
        third.write_text(text[:at] + "对退役军人和残疾人创业给予一次性补贴。" + text[at:], encoding="utf-8")

    def removal():
        first.unlink()

    return [("sentence", sentence), ("title", title), ("group word", group_word), ("removal", removal)]


@pytest.mark.parametrize("serve", [False, True], ids=["new process", "serve"])
def test_a_rebuild_renders_only_changed_pages_and_writes_what_a_cold_build_writes(tmp_path, serve):
    # serve keeps its parses, their entries and their digests from one build to the next (Kept):
    # what it makes from them after each edit must be what a cold build makes.
    kept = Kept() if serve else None
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    cold = build(paths, index=False, cache_dir=cache, kept=kept)
    assert cold.rendered == cold.pages
    # The plans now come from the parse cache, as other objects: their pages are still known.
    replay.forget(cache)
    warm = build(paths, index=False, cache_dir=cache, kept=kept)
    assert warm.rendered == 0 and len(warm.timings) > 1
    fresh = Paths(paths.seeds, paths.content, tmp_path / "fresh", paths.templates)
    for what, edit in _edits(paths.seeds, paths.out):
        before = _tree(paths.out)
        edit()
        again = build(paths, index=False, cache_dir=cache, kept=kept)
        build(fresh, index=False)  # no cache: every page rendered
        after = _tree(paths.out)
        assert after == _tree(fresh.out), what
        if what == "sentence":
            # Next to nothing rendered for nothing. (A plan page showing the edited measure as a
            # similar one shows only its label, which did not change: rendered, came out the same.)
            changed = sum(1 for p in after if p.endswith(".html") and before.get(p) != after[p])
            assert changed <= again.rendered <= changed * 1.1 + 1
        # A plan's title is on every card of its measures, so on most of this small site's pages;
        # so is a removed plan.
        assert 0 < again.rendered < again.pages * (0.9 if what in ("title", "removal") else 0.5), (what, again.rendered)


def test_serve_shows_the_edited_plans_pages_first_then_makes_the_same_site(tmp_path):
    # The pages of the plans whose seed changed are handed out before the rest of the site is
    # made: as the finished build then writes them, their similar measures being the last build's.
    kept = Kept()
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    shown: list[tuple[dict[str, bytes], dict[str, bytes]]] = []

    def serve_build():
        shown.clear()
        return build(paths, index=False, cache_dir=cache, live_reload=True, kept=kept,
                     preview=lambda pages: shown.append((pages, _tree(paths.out))))

    serve_build()
    assert not shown  # nothing to compare with: no preview
    edits = dict(_edits(paths.seeds, paths.out))
    for what, seed in (("sentence", 0), ("title", 1), ("group word", 2)):
        before = _tree(paths.out)
        name = sorted(paths.seeds.glob("*.txt"))[seed].name
        edits[what]()
        serve_build()
        after = _tree(paths.out)
        (pages, served), = shown
        assert served == before, what  # handed out before the site was
        plans = json.loads(after["data/plans.json"])
        ids = {p["id"] for p in plans if p["source"].endswith("/" + name)}
        assert ids and {path.split("/")[1] for path in pages} == ids, what
        assert set(pages) == {path for path in after if path.startswith("plans/") and path.endswith(".html")
                              and path.split("/")[1] in ids}, what
        assert {path: after[path] for path in pages} == pages, what
        assert any(before.get(path) != after[path] for path in pages), what
    serve_build()  # nothing changed
    assert not shown
    edits["removal"]()
    serve_build()  # no plan changed, one is gone
    assert not shown


def test_serve_started_again_on_its_site_shows_the_first_edit_first_and_a_vocabulary_edit_not(tmp_path):
    # serve started on the site it made before replays it (nothing is kept in memory then); the
    # first edit is still shown first, without similar measures (none known yet). A change of
    # vocabularies parses every plan again, but no plan was edited: nothing is shown first.
    paths = _seeds(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    paths = Paths(paths.seeds, tmp_path / "content", paths.out, paths.templates)
    cache = tmp_path / ".cache"
    shown: list[dict[str, bytes]] = []

    def serve_build(kept):
        shown.clear()
        return build(paths, index=False, cache_dir=cache, live_reload=True, kept=kept, preview=shown.append)

    serve_build(Kept())
    kept = Kept()  # serve started again
    assert [name for name, _ in serve_build(kept).timings] == ["核对输入"] and not shown
    edits = dict(_edits(paths.seeds, paths.out))
    edits["sentence"]()
    serve_build(kept)
    (pages,) = shown
    after = _tree(paths.out)
    ids = {p["id"] for p in json.loads(after["data/plans.json"]) if p["source"].endswith("/" + sorted(
        paths.seeds.glob("*.txt"))[0].name)}
    assert pages and {path.split("/")[1] for path in pages} == ids
    related = re.compile(rb'<div class="related">.*?</div>', re.S)
    assert {path: related.sub(b"", after[path]) for path in pages} == pages
    words = paths.content / "words.txt"
    words.write_text(words.read_text(encoding="utf-8") + "增收致富\n", encoding="utf-8")
    serve_build(kept)
    assert not shown


def _plan_text(region: str, measures: list[str]) -> str:
    return "\n".join([f"{region}促进居民增收实施方案", "为促进城乡居民收入持续较快增长，结合本地实际，制定本方案。",
                      "一、主要任务", "（一）促进工资性收入增长", *(f"{i}.{m}" for i, m in enumerate(measures, 1))]) + "\n"


_RETURN = "支持返乡创业。落实创业担保贷款政策，为返乡农民工提供创业指导和一次性创业补贴。"
_FARMS = "壮大农村集体经济。盘活集体资产资源，增加集体经营收入和成员分红。"
_WAGES = "完善工资正常增长机制。落实最低工资标准调整制度，合理提高职工工资水平。"
_SKILLS = "加强技能培训。对退役军人开展免费职业技能培训并给予培训补贴。"
_JOBS = "扩大就业岗位供给。支持企业吸纳高校毕业生就业，统筹开发公益性岗位。"


def _similar(page: bytes) -> dict[str, list[str]]:
    """Each measure of a plan page by its label → the labels of its similar measures elsewhere."""
    html = page.decode("utf-8")
    out = {}
    for m in re.finditer(r'<h\d id="m-[^"]+"><span class="marker">[^<]*</span>([^<]*)</h\d>(.*?)<p class="permalink">',
                         html, re.S):
        shown = re.search(r'<div class="related">(.*?)</div>', m.group(2), re.S)
        out[m.group(1)] = re.findall(r'<li><a [^>]*>([^<]*)</a>', shown.group(1)) if shown else []
    return out


def test_a_preview_shows_each_measure_the_similar_measures_the_last_build_found_for_it(tmp_path):
    # The last build's similar measures are found again for the plan the edited one was, and
    # for each of its measures, the measure it was: not by place in the file alone, nor by
    # number, which shift when a plan or measure above is added or removed.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "two.txt").write_text(_plan_text("浙江省温州市洞头区", [_RETURN.replace("返乡创业", "返乡入乡创业", 1), _WAGES])
                                   + "\n" + _plan_text("辽宁省大连市金普新区", [_FARMS, _JOBS, _SKILLS]), encoding="utf-8")
    (seeds / "one.txt").write_text(_plan_text("江苏省南京市玄武区", [_RETURN, _FARMS, _WAGES, _SKILLS]), encoding="utf-8")
    paths = Paths(seeds, ROOT / "content", tmp_path / "out", ROOT / "templates")
    kept, shown = Kept(), []

    def serve_build():
        shown.clear()
        build(paths, index=False, cache_dir=tmp_path / ".cache", live_reload=True, kept=kept, preview=shown.append)
        return {p["source"].rsplit("/", 1)[-1] + ":" + p["title"][:5]: f"plans/{p['id']}/index.html"
                for p in json.loads((paths.out / "data/plans.json").read_text(encoding="utf-8"))}

    at = serve_build()
    before = {name: _similar((paths.out / path).read_bytes()) for name, path in at.items()}
    assert before["two.txt:辽宁省大连"] == {"壮大农村集体经济": [_FARMS.split("。")[0]], "扩大就业岗位供给": [],
                                        "加强技能培训": [_SKILLS.split("。")[0]]}
    # The first plan of two.txt removed: the other one is now first in its file.
    (seeds / "two.txt").write_text(_plan_text("辽宁省大连市金普新区", [_FARMS, _JOBS, _SKILLS]), encoding="utf-8")
    at = serve_build()
    (pages,) = shown
    assert set(pages) == {at["two.txt:辽宁省大连"]}
    assert _similar(pages[at["two.txt:辽宁省大连"]]) == before["two.txt:辽宁省大连"]
    before = {name: _similar((paths.out / path).read_bytes()) for name, path in at.items()}
    # A measure added above the others of one.txt: each of them is numbered one more.
    (seeds / "one.txt").write_text(_plan_text("江苏省南京市玄武区", [_JOBS, _RETURN, _FARMS, _WAGES, _SKILLS]),
                                   encoding="utf-8")
    at = serve_build()
    (pages,) = shown
    got = _similar(pages[at["one.txt:江苏省南京"]])
    assert got == {label: before["one.txt:江苏省南京"].get(label, []) for label in got}
    assert got["壮大农村集体经济"] and got["加强技能培训"]  # still found: each is the measure it was


def test_a_template_change_renders_every_page_again(tmp_path):
    paths = _seeds(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(paths.templates, templates)
    paths = Paths(paths.seeds, paths.content, paths.out, templates)
    cache = tmp_path / ".cache"
    build(paths, index=False, cache_dir=cache)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>新页脚</p></footer>", 1), encoding="utf-8")
    again = build(paths, index=False, cache_dir=cache)
    assert again.rendered == again.pages
    assert "新页脚" in (paths.out / "index.html").read_text(encoding="utf-8")


def test_templates_read_from_lib_only_what_page_fingerprints_cover():
    # A page is rendered again only when its fingerprint changes, and the fingerprint covers the
    # page's context and, of ``lib``, what fingerprint.LIB_USES names. A template reading more of
    # ``lib`` could leave a page stale: cover it in fingerprint.py first, then add it there.
    used = set()
    for template in (ROOT / "templates").glob("*.html"):
        used |= set(re.findall(r"\blib\.(\w+)", template.read_text(encoding="utf-8")))
    assert used <= fingerprint.LIB_USES
    related = {t.name for t in (ROOT / "templates").glob("*.html") if "lib.related" in t.read_text(encoding="utf-8")}
    assert related <= {"plan.html"}  # digested only for pages with a plan, and rendered once found
    # Other pages digest the plans they show by their heads (fingerprint.PLAN_HEAD): no body.
    bodies = {t.name for t in (ROOT / "templates").glob("*.html")
              if re.search(r"\.body\b|\.items\(\)", t.read_text(encoding="utf-8"))}
    assert bodies <= {"plan.html"}


def test_every_page_of_a_template_showing_similar_measures_is_rendered_after_they_are_found(tmp_path):
    # The build renders pages for which fingerprint.shows_related is true only once the similar
    # measures are found; any other page is rendered while they are still missing from lib.
    from site_builder import routes
    from site_builder.build import load
    from site_builder.diagnostics import Report
    config, lex, lib, _similar, _edits = load(_seeds(tmp_path), Report())
    pages = routes.pages(lib, lex, config)
    readers = {t.name for t in (ROOT / "templates").glob("*.html") if "lib.related" in t.read_text(encoding="utf-8")}
    late = [p for p in pages if fingerprint.shows_related(p)]
    assert late and all(p.template in readers for p in late)
    assert all(fingerprint.shows_related(p) for p in pages if p.template in readers)


def test_serve_sends_pages_out_first_and_the_search_index_after(tmp_path):
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, cache_dir=cache, search_later=True)  # no index yet: made at once
    old = _tree(paths.out / "pagefind")
    seed = sorted(paths.seeds.glob("*.txt"))[1]
    seed.write_text(seed.read_text(encoding="utf-8").replace("就业", "就业创业", 1), encoding="utf-8")
    s = build(paths, cache_dir=cache, search_later=True)
    # The new pages went out with the previous index, as it was.
    assert s.search_pending and _tree(paths.out / "pagefind") == old
    # Stopped before it finished (newer input waiting): the stale index stays, and is known stale.
    stop = threading.Event()
    stop.set()
    assert index_later(paths, stop) is None
    assert _tree(paths.out / "pagefind") == old
    assert build(paths, cache_dir=cache, search_later=True).search_pending
    # Made: the index is this site's, as a build that indexes at once makes it.
    indexed = index_later(paths, cache_dir=cache)
    later = _tree(paths.out / "pagefind")
    fresh = Paths(paths.seeds, paths.content, tmp_path / "fresh", paths.templates)
    assert indexed == build(fresh).indexed > 0
    now = _tree(fresh.out / "pagefind")
    fragments = {p: d for p, d in now.items() if "/fragment/" in p}
    assert fragments and {p: d for p, d in later.items() if "/fragment/" in p} == fragments
    assert later != old
    # And the next build knows it is current: nothing pending, the index carried over as it is.
    again = build(paths, cache_dir=cache, search_later=True)
    assert not again.search_pending and again.indexed == indexed
    assert _tree(paths.out / "pagefind") == later
    # The manifest learnt the new index's files, so the next build that makes an index finds the
    # unchanged ones by digest instead of reading the previous ones back.
    known = json.loads((cache / "output.json").read_text(encoding="utf-8"))["files"]
    now = {p.relative_to(paths.out).as_posix(): p.stat() for p in (paths.out / "pagefind").rglob("*") if p.is_file()}
    assert {p: (st.st_size, st.st_mtime_ns, st.st_ino) for p, st in now.items()} == {
        p: tuple(v[1:]) for p, v in known.items() if p.startswith("pagefind/")}


def test_an_index_made_for_other_pages_is_never_taken_for_this_sites(tmp_path):
    # A with the cache, B (other plans) without it into the same folder, then A again: the index
    # in output/ is B's, and its stamp says so.
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    other = tmp_path / "other-seeds"
    shutil.copytree(paths.seeds, other)
    sorted(other.glob("*.txt"))[0].unlink()
    first = build(paths, cache_dir=cache)
    build(Paths(other, paths.content, paths.out, paths.templates))
    again = build(paths, cache_dir=cache)
    assert again.indexed == first.indexed
    fresh = Paths(paths.seeds, paths.content, tmp_path / "fresh", paths.templates)
    build(fresh)
    def fragments(out: Path) -> set[str]:
        return {p for p in _tree(out / "pagefind") if "/fragment/" in p}

    assert fragments(paths.out) == fragments(fresh.out)


def test_a_search_index_file_is_kept_only_when_its_bytes_are_the_same_not_its_name(tmp_path):
    import hashlib

    from site_builder.write import Manifest, _keep_unchanged

    old, new = tmp_path / "old", tmp_path / "new"
    names = ["pagefind/fragment/cmn_0a1b2c3.pf_fragment", "pagefind/fragment/cmn_4d5e6f7.pf_fragment",
             "pagefind/index/cmn_89abcde.pf_index"]
    for root, texts in ((old, [b"AAAA", b"CCCC", b"EEEE"]), (new, [b"AAAA", b"DDDD", b"EEEE"])):
        for name, data in zip(names, texts):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
    # The previous build's manifest knows the first two files; the third is compared byte for byte.
    manifest = Manifest(None, old)
    for name in names[:2]:
        st = (old / name).stat()
        digest = hashlib.blake2b((old / name).read_bytes(), digest_size=16).hexdigest()
        manifest.files[name] = [digest, st.st_size, st.st_mtime_ns, st.st_ino]
    record: dict[str, tuple] = {}
    kept = _keep_unchanged(old, new, set(), manifest, record)
    same_inode = {n: (old / n).stat().st_ino == (new / n).stat().st_ino for n in names}
    # Same name and size, other bytes (a 28-bit name can collide): the new file stays.
    assert (new / names[1]).read_bytes() == b"DDDD" and not same_inode[names[1]]
    assert same_inode[names[0]] and same_inode[names[2]] and kept == 2
    # The next manifest knows all three, each with the digest of what is now there.
    assert {n: r[0] for n, r in record.items()} == {
        n: hashlib.blake2b((new / n).read_bytes(), digest_size=16).hexdigest() for n in names}


def test_a_carried_over_search_index_goes_back_when_the_swap_fails(tmp_path, monkeypatch):
    from site_builder import write

    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, cache_dir=cache)
    index = {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()}

    def broken(a, b):
        raise OSError("disk went away")

    monkeypatch.setattr(write, "_exchange", broken)
    replay.forget(cache)  # made, not replayed
    with pytest.raises(OSError):
        build(paths, cache_dir=cache)  # nothing changed: the index is carried over, then the swap fails
    assert {p: p.stat().st_ino for p in (paths.out / "pagefind").rglob("*") if p.is_file()} == index
    assert (paths.out / "index.html").is_file()


def test_an_edit_makes_again_only_the_parts_of_the_index_that_hold_the_edited_pages(tmp_path, monkeypatch):
    # The seeds' index in parts of about 150 records (several parts); two edits, one as serve makes
    # it (pages first, index_later after), one as a build makes it. Each time the parts holding
    # the edited plan's pages are made again, the others carried over as they are (same inodes),
    # and the index is what a cold build of the edited plans makes.
    monkeypatch.setattr(search, "SHARD_RECORDS", 150)
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, cache_dir=cache)
    parts = json.loads((paths.out / "pagefind" / search.LIST).read_text(encoding="utf-8"))["shards"]
    assert len(parts) >= 4

    def stamps() -> dict[str, int]:
        return {n: (paths.out / "pagefind" / n / search.STAMP).stat().st_ino for n in parts}

    def fragments(out: Path) -> dict[str, dict[str, bytes]]:
        return {n: {p: d for p, d in _tree(out / "pagefind" / n).items() if p.startswith("fragment/")} for n in parts}

    for n, later in enumerate((True, False)):
        before = stamps()
        seed = sorted(paths.seeds.glob("*.txt"))[n + 1]
        text = seed.read_text(encoding="utf-8")
        cut = text.rfind("。", 0, len(text) // 2) + 1
        seed.write_text(text[:cut] + "加强宣传解读。" + text[cut:], encoding="utf-8")
        s = build(paths, cache_dir=cache, search_later=later)
        assert s.search_pending == later
        if later:
            index_later(paths, cache_dir=cache)
        after = stamps()
        remade = [p for p in parts if after[p] != before[p]]
        assert 1 <= len(remade) < len(parts), remade
        fresh = Paths(paths.seeds, paths.content, tmp_path / f"fresh{n}", paths.templates)
        build(fresh)
        assert json.loads((fresh.out / "pagefind" / search.LIST).read_text(encoding="utf-8"))["shards"] == parts
        assert fragments(paths.out) == fragments(fresh.out)
        assert all(search.made_from(paths.out / "pagefind" / p) == search.made_from(fresh.out / "pagefind" / p)
                   for p in parts)


def _edit(seed: Path, words: str) -> None:
    text = seed.read_text(encoding="utf-8")
    cut = text.rfind("。", 0, len(text) // 2)
    seed.write_text(text[:cut + 1] + words + text[cut + 1:], encoding="utf-8")


def test_the_spare_site_is_updated_in_place_into_what_a_cold_build_writes(tmp_path):
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    seeds = sorted(paths.seeds.glob("*.txt"))
    build(paths, index=False, cache_dir=cache)
    folder = next(p.parent for p in sorted((paths.out / "plans").glob("*/index.html")))
    first_folder = folder.stat().st_ino
    _edit(seeds[0], "加强宣传解读，及时回应群众关切。")
    build(paths, index=False, cache_dir=cache)  # the first site becomes the spare
    assert (cache / "spare" / "index.html").is_file() and not (cache / "spare" / "pagefind").exists()
    _edit(seeds[1], "鼓励群众积极参与。")
    seeds[2].unlink()  # its pages must go from the spare too
    build(paths, index=False, cache_dir=cache)
    cold = Paths(paths.seeds, paths.content, tmp_path / "cold", paths.templates)
    build(cold, index=False)
    assert _tree(paths.out) == _tree(cold.out)
    assert sorted(p.relative_to(paths.out) for p in paths.out.rglob("*")) == \
        sorted(p.relative_to(cold.out) for p in cold.out.rglob("*"))  # no folder left behind either
    # The page folder is the first site's own folder: updated, not made again.
    assert (paths.out / folder.relative_to(paths.out)).stat().st_ino == first_folder


def test_a_build_failing_while_it_updates_the_spare_leaves_the_served_site_as_it_was(tmp_path):
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    seeds = sorted(paths.seeds.glob("*.txt"))
    build(paths, index=False, cache_dir=cache)
    _edit(seeds[0], "加强宣传解读，及时回应群众关切。")
    build(paths, index=False, cache_dir=cache)
    served = _tree(paths.out)
    # Pages unchanged between the first two sites are one file in the spare and in output/: this
    # edit changes some of them, which must be made anew, not written into.
    _edit(seeds[1], "鼓励群众积极参与。")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    region = templates / "region.html"  # region pages come last: the others are written first
    region.write_text(region.read_text(encoding="utf-8").replace("{{ region.full_name }}", "{{ region.no_such }}", 1),
                      encoding="utf-8")
    broken = Paths(paths.seeds, paths.content, paths.out, templates)
    with pytest.raises(Exception):
        build(broken, index=False, cache_dir=cache, jobs=1)
    assert _tree(paths.out) == served


def test_two_pages_at_one_path_never_touch_the_served_site(tmp_path, monkeypatch):
    """Render workers place pages before the build claims their paths: the second page at a path
    the first linked in from the served site must not be written into that file."""
    from site_builder import build as build_mod, routes

    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, index=False, cache_dir=cache)
    served = _tree(paths.out)
    real = routes.pages

    def doubled(lib, lex, config, lists=None):
        pages = real(lib, lex, config, lists)
        first = next(p for p in pages if p.path == "plans/index.html")
        return pages + [routes.Page(first.path, first.template, first.title + "（另一个）", first.context)]

    monkeypatch.setattr(routes, "pages", doubled)
    monkeypatch.setattr(build_mod, "RENDER_BATCH", 4)  # many batches in flight when it fails
    replay.forget(cache)  # the code changed, which the cache cannot see: made, not replayed
    with pytest.raises(build_mod.InputError, match="两个页面要写到同一路径"):
        build(paths, index=False, cache_dir=cache, jobs=2)
    assert _tree(paths.out) == served
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.name != ".out.lock"] == []


def test_serve_on_a_taken_port_says_so_in_one_line_before_building(tmp_path, capsys):
    import socket

    from site_builder.serve import serve

    paths = _seeds(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(paths, "127.0.0.1", port) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"无法在 127.0.0.1:{port} 提供网站：") and "--port" in err[0], err
    assert not paths.out.exists()  # nothing was built


@pytest.mark.parametrize("fmt", [(b"[", b"\n", b",\n", (b"]\n", b"\n]\n")), (b"head\n", b"", b"", (b"", b""))],
                         ids=["json", "csv"])
def test_open_data_records_copied_from_the_previous_file_make_what_making_them_all_makes(tmp_path, fmt):
    from site_builder import opendata

    class E:  # an entry: only its identity and its record matter here
        def __init__(self, text):
            self.text = text

    def make(e):
        return e.text.encode("utf-8")

    def spliced(entries, before=None):
        placed: list = []
        data = b"".join(opendata._spliced(entries, make, *fmt, before, placed))
        return data, placed

    old = [E(f"记录{i}" * (i % 3 + 1)) for i in range(40)]
    first, places = spliced(old)
    path = tmp_path / "previous"
    path.write_bytes(first)
    fd = os.open(path, os.O_RDONLY)
    try:
        before = (fd, {id(e): (e, *at) for e, at in zip(old, places)})
        changed = E("改过的记录")
        cases = {
            "same": old,
            "one changed": old[:7] + [changed] + old[8:],
            "first changed": [changed] + old[1:],
            "moved and dropped": old[20:] + old[:3] + old[10:12],
            "none": [],
            "only new": [changed, E("新")],
        }
        for what, entries in cases.items():
            data, placed = spliced(entries, before)
            assert data == spliced(entries)[0], what
            assert [data[o:o + n] for o, n in placed] == [make(e) for e in entries], what
        made = []
        b"".join(opendata._spliced(cases["one changed"], lambda e: made.append(e) or make(e), *fmt, before, []))
        assert made == [changed]  # the others were copied, not made
    finally:
        os.close(fd)


def test_open_data_copied_from_a_file_changed_during_the_build_is_an_error_not_a_site(tmp_path, monkeypatch):
    from site_builder import build as build_mod, opendata
    from site_builder.diagnostics import InputError

    kept = Kept()
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    build(paths, index=False, cache_dir=cache, kept=kept)
    _edit(sorted(paths.seeds.glob("*.txt"))[0], "加强宣传解读。")
    served = paths.out / opendata.MEASURES_JSON
    real = opendata.files

    def files_then_edit(lib, before=None, placed=None):
        made = real(lib, before, placed)
        with served.open("r+b") as fh:  # in place: same inode, other bytes
            fh.write(b"[{}")
        return made
    monkeypatch.setattr(build_mod.opendata, "files", files_then_edit)
    with pytest.raises(InputError, match="被改动"):
        build(paths, index=False, cache_dir=cache, kept=kept)
    monkeypatch.setattr(build_mod.opendata, "files", real)
    build(paths, index=False, cache_dir=cache, kept=kept)
    fresh = Paths(paths.seeds, paths.content, tmp_path / "fresh", paths.templates)
    build(fresh, index=False)
    assert _tree(paths.out) == _tree(fresh.out)


def test_a_serve_build_is_replayed_once_its_search_index_was_made_after_it(tmp_path, monkeypatch):
    from site_builder import build as build_mod

    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    serve = {"cache_dir": cache, "search_later": True, "live_reload": True}
    build(paths, **serve)
    seeds = sorted(paths.seeds.glob("*.txt"))
    _edit(seeds[1], "加强宣传解读。")
    s = build(paths, **serve)
    assert s.search_pending and s.inputs
    indexed = index_later(paths, cache_dir=cache, made=s)
    site = _tree(paths.out)
    again = build(paths, **serve)  # serve restarted, nothing changed: the finished site, replayed
    assert len(again.timings) == 1 and not again.search_pending and again.indexed == indexed > 0
    assert again.pages == s.pages and _tree(paths.out) == site
    # A seed saved while the build parsed it, then undone: the site holds the saved text, so it is
    # not recorded for the undone file once its index is made either.
    _edit(seeds[2], "加强宣传解读。")
    edited = seeds[2].read_bytes()
    real = build_mod.parse_all
    monkeypatch.setattr(build_mod, "parse_all", lambda *a, **k: _edit(seeds[2], "临时加上的一句话。") or real(*a, **k))
    s = build(paths, **serve)
    monkeypatch.undo()
    assert s.search_pending and s.inputs is None
    seeds[2].write_bytes(edited)
    index_later(paths, cache_dir=cache, made=s)
    assert len(build(paths, **serve).timings) > 1


def test_pages_showing_the_same_objects_take_the_last_builds_digest_and_others_are_digested(tmp_path, monkeypatch):
    # serve keeps the last build's pages: one whose context shows the same plans and entries (the
    # same objects) and otherwise equal values takes that page's digest without digesting it.
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    kept = Kept()
    build(paths, index=False, cache_dir=cache, kept=kept)
    missed: set[str] = set()
    taken: set[str] = set()
    asked: list[str] = []
    real = fingerprint.Fingerprints.before

    def spy(self, page):
        found = real(self, page)
        (taken if found is not None else missed).add(page.path)
        asked.append(page.path)
        return found

    monkeypatch.setattr(fingerprint.Fingerprints, "before", spy)
    _edits(paths.seeds, paths.out)[0][1]()  # a sentence added to one plan
    build(paths, index=False, cache_dir=cache, kept=kept)
    assert not missed & taken and len(missed) < len(taken)  # one edit shows on a third of these five plans' pages
    assert len(asked) == len(set(asked))  # a page found to differ is digested, not compared again
    # No page that took the last digest was left stale: the site is what a cold build makes.
    fresh = Paths(paths.seeds, paths.content, tmp_path / "fresh", paths.templates)
    build(fresh, index=False)
    assert _tree(paths.out) == _tree(fresh.out)


def test_a_plan_page_takes_the_last_digest_only_while_its_similar_measures_are_the_same(tmp_path, monkeypatch):
    # A plan's page shows each measure's similar measures: kept by serve, it is compared with the
    # last build's like any page, and its similar measures must be the same objects in order.
    import dataclasses
    from types import MappingProxyType
    from site_builder import library
    paths = _seeds(tmp_path)
    cache = tmp_path / ".cache"
    kept = Kept()
    build(paths, index=False, cache_dir=cache, kept=kept)
    taken: dict[str, bool] = {}
    real_before = fingerprint.Fingerprints.before

    def spy(self, page):
        found = real_before(self, page)
        if fingerprint.shows_related(page):
            taken[page.path] = found is not None
        return found

    monkeypatch.setattr(fingerprint.Fingerprints, "before", spy)
    replay.forget(cache)  # made again, from the same objects
    again = build(paths, index=False, cache_dir=cache, kept=kept)
    assert again.rendered == 0 and taken and all(taken.values())

    real_related = library.with_related
    used: list[str] = []
    for change in (lambda shown: shown[1:], lambda shown: shown[::-1]):  # one fewer; the same, reordered
        altered: list[str] = []

        def alter(lib, measures, found, change=change, altered=altered):
            out = real_related(lib, measures, found)
            if not altered:  # a measure of a plan not altered before, then the same one in every build
                before = {k.partition("#")[0] for k in used}
                altered.append(next(k for k, v in sorted(out.related.items())
                                    if len(v) > 1 and k.partition("#")[0] not in before))
                used.append(altered[0])
            key = altered[0]
            return dataclasses.replace(out, related=MappingProxyType({**out.related, key: change(out.related[key])}))

        monkeypatch.setattr(library, "with_related", alter)
        taken.clear()
        replay.forget(cache)
        changed = build(paths, index=False, cache_dir=cache, kept=kept)
        missed = {path for path, hit in taken.items() if not hit}
        # The altered measure's plan; in the second round also the first's, whose measure is back.
        plans = tuple(f"plans/{key.partition('#')[0]}/" for key in used)
        assert any(path.startswith(plans[-1]) for path in missed), missed
        assert all(path.startswith(plans) for path in missed), missed
        assert changed.rendered >= 1 and len(missed) < len(taken)
        # The pages made are those a build finding the same similar measures makes afresh.
        fresh = Paths(paths.seeds, paths.content, tmp_path / "fresh", paths.templates)
        build(fresh, index=False)
        assert _tree(paths.out) == _tree(fresh.out)


def test_same_compares_plans_and_entries_as_objects_and_the_rest_by_value(tmp_path):
    import dataclasses
    from site_builder import routes
    from site_builder.build import load
    from site_builder.diagnostics import Report
    _config, _lex, lib, _similar, _edits = load(_seeds(tmp_path), Report())
    prints = fingerprint.Fingerprints(lib, "base")
    a, b, c = lib.entries[:3]
    region = next(iter(lib.regions.values()))
    twin = dataclasses.replace(a)
    assert twin == a  # equal by value, yet another object: maybe another parse
    context = {"sections": [(region, 0, 2, routes.Shown((a, b)), None)] * 6, "count": 2, "plan_list": [a.plan]}
    copy = {"sections": [(dataclasses.replace(region), 0, 2, routes.Shown((a, b)), None)] * 6, "count": 2,
            "plan_list": [a.plan]}
    assert prints.same(context, copy)
    assert not prints.same(context, {**copy, "count": 3})
    assert not prints.same(context, {**copy, "sections": [(region, 0, 2, routes.Shown((a, c)), None)] * 6})
    assert not prints.same(context, {**copy, "sections": [(region, 0, 2, routes.Shown((twin, b)), None)] * 6})
    assert not prints.same(context, {**copy, "plan_list": [dataclasses.replace(a.plan)]})
    assert not prints.same(context, {**copy, "sections": [(dataclasses.replace(region, name="别处"), 0, 2,
                                                            routes.Shown((a, b)), None)] * 6})
    assert not prints.same(context, {**copy, "extra": 1})
    # What could print otherwise: keys in another order, the sign of a zero.
    assert not prints.same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    # Sets of strings (a plan page's anchors, asked whether they hold one) holding the same in the
    # same order are the same; a set of anything else never is.
    assert prints.same({"anchors": frozenset(["m-1", "m-2"])}, {"anchors": frozenset(["m-1", "m-2"])})
    assert not prints.same({"anchors": frozenset({"m-1", "m-2"})}, {"anchors": frozenset({"m-1"})})
    assert not prints.same({"anchors": frozenset({"m-1"})}, {"anchors": {"m-1"}})
    assert not prints.same({"ids": {1, 2}}, {"ids": {1, 2}})
    assert not prints.same({"share": 0.0}, {"share": -0.0}) and prints.same({"share": 0.5}, {"share": 0.5})


def test_a_list_of_the_same_measures_keeps_its_cut_by_region_and_its_pages(tmp_path, monkeypatch):
    # serve keeps each list's cut by region and the pages made from it (routes.Lists): after an
    # edit, only the lists holding the edited plan's measures are cut again, group and department
    # pages made from the same measures are the last build's objects, and every page is what a
    # page list made afresh gives.
    import dataclasses
    from site_builder import routes
    from site_builder.build import load
    from site_builder.diagnostics import Report
    from site_builder.model import Plan
    paths = _seeds(tmp_path)
    kept = Kept()
    config, lex, lib, *_rest = load(paths, Report(), tmp_path / ".cache", kept=kept)
    lists = routes.Lists()
    after = routes.pages(lib, lex, config, lists)
    cut: list = []
    real = routes._by_region
    monkeypatch.setattr(routes, "_by_region", lambda lib, items, *rest: cut.append(items) or real(lib, items, *rest))

    def plan(item):
        return item if isinstance(item, Plan) else item.plan

    # Two edits of two plans: the second's lists include some of pages the first did not make again.
    for edited in sorted(paths.seeds.glob("*.txt"))[:2]:
        before = {p.path: p for p in after}
        _edit(edited, "加强宣传解读，及时回应群众关切。")
        config, lex, lib, *_rest = load(paths, Report(), tmp_path / ".cache", kept=kept)
        cut.clear()
        after = routes.pages(lib, lex, config, lists)
        again = list(cut)
        cut.clear()
        afresh = routes.Lists()
        fresh = routes.pages(lib, lex, config, afresh)
        assert len(cut) == len(afresh._cuts) == len(lists._cuts)
        assert 0 < len(again) < len(cut) / 2
        assert all(any(plan(x).source.endswith(edited.name) for x in items) for items in again)
        taken = [p for p in after if before.get(p.path) is p]
        assert len(taken) > len(after) / 3 and {p.template for p in taken} == {"group.html", "department.html"}
        assert [(p.path, p.template, p.title, p.context) for p in after] == \
            [(p.path, p.template, p.title, p.context) for p in fresh]
    # A plan in other regions than before (the tree changed around it): every list is cut again
    # and every page made again.
    first = lib.plans[0]
    other = next(p for p in lib.plans if lib.region_of_plan[p.id] != lib.region_of_plan[first.id])
    chains = dict(lib.region_of_plan)
    chains[first.id], chains[other.id] = chains[other.id], chains[first.id]
    cut.clear()
    moved = routes.pages(dataclasses.replace(lib, region_of_plan=chains), lex, config, lists)
    assert len(cut) == len(lists._cuts)
    assert not any(p is q for p, q in zip(after, moved))
    # What is made is taken only for the same objects in the same order and equal values.
    places = routes._places(routes._region_tree(lib, routes._children(lib)))
    items = lib.entries[:3]
    made = lists.start(lib, places).pages(("k",), items, (1, "a"), lambda: ["made"])
    assert lists.start(lib, places).pages(("k",), list(items), (1, "a"), lambda: ["again"]) is made
    assert lists.start(lib, places).pages(("k",), items, (2, "a"), lambda: ["again"]) == ["again"]
    assert lists.start(lib, places).pages(("k",), items[::-1], (2, "a"), lambda: ["reversed"]) == ["reversed"]
    lists.start(lib, places).pages(("k",), items, (2, "a"), lambda: ["items"])
    twin = (dataclasses.replace(items[0]), *items[1:])
    assert twin == items  # equal by value, yet not the same objects
    assert lists.start(lib, places).pages(("k",), twin, (2, "a"), lambda: ["twin"]) == ["twin"]
    # A region renamed in the tree, every plan in the same regions: nothing is taken.
    lists.start(lib, places).pages(("k",), items, (2, "a"), lambda: ["items"])
    renamed = dict(places)
    key = next(iter(renamed))
    at, region, depth = renamed[key]
    renamed[key] = (at, dataclasses.replace(region, full_name="别处"), depth)
    assert lists.start(lib, renamed).pages(("k",), items, (2, "a"), lambda: ["renamed"]) == ["renamed"]
