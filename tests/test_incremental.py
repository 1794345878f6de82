"""Rebuilds: cached parses give the same site, unchanged files keep their inode, serve adds live reload."""
from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from pathlib import Path

from site_builder.build import LIVE_RELOAD, Paths, build
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
        assert got == {"id": 3, "error": "seeds/x.txt:12: error: 测试"}
        page = urllib.request.urlopen(url.replace("__build", "index.html"), timeout=5).read()
        assert b"<h1>" in page or b"<h1" in page
    finally:
        server.shutdown()


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
