"""The pipeline, top to bottom: read → parse → link → routes → render → write → search index."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import config as config_mod
from . import editorial, feeds, lexicon, library, offline, opendata, render, routes, search, sitemap
from .diagnostics import Diagnostic, InputError, Report, display_path
from .model import Plan
from .parse import parse_source
from .cache import ParseCache
from .read import MAX_BYTES, find_sources, read_source
from .write import Files, check_output_folder, link_tree, same_files, write_site

LIVE_RELOAD = "assets/live-reload.js"
"""Written only by ``serve`` builds, so a published site never carries it."""


@dataclass(frozen=True)
class Paths:
    """Where a build reads and writes."""

    seeds: Path
    """Folder of plan files."""
    content: Path
    """Folder of vocabularies and ``site.toml``."""
    out: Path
    """Folder the site is written to."""
    templates: Path
    """Folder of Jinja2 templates (with ``static/`` assets)."""


@dataclass(frozen=True)
class Summary:
    """What a build did, for the command line."""

    plans: int
    items: int
    pages: int
    files: int
    indexed: int
    report: Report
    seconds: float
    edits: tuple[editorial.Edit, ...] = ()
    """Editors' corrections and overrides that took effect."""
    notices: tuple[str, ...] = ()
    """Things left out on purpose, printed with the summary."""


def parse_all(paths: Paths, lex: lexicon.Lexicon, report: Report, cache: ParseCache) -> list[Plan]:
    """Every plan of every seed; a seed whose parse is cached is not read again (its diagnostics
    are replayed, so a cached build reports exactly what a cold one does)."""
    plans: list[Plan] = []
    sources = find_sources(paths.seeds, report, display_path)
    if not sources:
        report.add(display_path(paths.seeds), None, "warning", "没有找到方案文件（.txt .md .html）",
                   "把方案放进 seeds/ 文件夹")
    for path in sources:
        display = display_path(path)
        try:
            # Too big to read is read_source's to report; it is not read here either.
            data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
        except OSError:
            data = None
        key = cache.key(data, display) if data is not None else None
        cached = cache.get(key) if key else None
        if cached is not None:
            plans.extend(cached[0])
            report.items.extend(cached[1])
            continue
        mine = Report()
        source = read_source(path, display, mine, data)
        found = parse_source(source, lex, mine) if source is not None else []
        plans.extend(found)
        report.items.extend(mine.items)
        if key:
            cache.put(key, found, mine.items)
    cache.prune()
    return plans


def load(paths: Paths, report: Report, cache_dir: Path | None = None) -> tuple[config_mod.Config, lexicon.Lexicon, library.Library,
                                               tuple[editorial.Edit, ...]]:
    """Settings, vocabularies and every plan linked into a Library: what build and check share.

    Editors' corrections and overrides win over what was parsed; the edits that took effect are
    returned for the summary."""
    config = config_mod.load(paths.content / "site.toml")
    lex = lexicon.load(paths.content)
    cache = ParseCache(cache_dir, lex)
    plans = parse_all(paths, lex, report, cache)
    content = display_path(paths.content)
    corrections = editorial.load_corrections(paths.content, content, lex, report)
    plans, corrected = editorial.correct(plans, corrections, report)
    overrides = editorial.load_overrides(paths.content, content, lex, report)
    words = cache.words()
    lib = library.link(plans, lex, config.today_date(), report, overrides, words)
    cache.keep_words(words)
    return config, lex, lib, tuple(corrected) + lib.edits


def build(paths: Paths, *, strict: bool = False, index: bool = True, cache_dir: Path | None = None,
          live_reload: bool = False) -> Summary:
    """``cache_dir`` keeps parses of unchanged seeds between builds; ``live_reload`` (serve only)
    adds the script that reloads the open page after a rebuild."""
    started = time.perf_counter()
    check_output_folder(paths.out)  # before the work, not after it
    report = Report()
    config, lex, lib, edits = load(paths, report, cache_dir)
    if strict and report.count("error"):
        raise StrictFailure(report)
    pages = routes.pages(lib, lex, config)
    env = render.environment(paths.templates)
    files = Files()
    for page in pages:
        try:
            html = render.render(env, page, lib, config, live_reload)
        except jinja2.TemplateError as exc:
            raise InputError(render.template_error(exc, paths.templates, page)) from None
        files.add(page.path, html.encode("utf-8"), page.template)
    for asset in sorted((paths.templates / "static").rglob("*")):
        if asset.is_file():
            data = asset.read_bytes()
            if asset.suffix == ".css":
                data = render.minify_css(data.decode("utf-8")).encode("utf-8")
            files.add("assets/" + asset.relative_to(paths.templates / "static").as_posix(), data,
                      display_path(asset))
    if live_reload:
        files.add(LIVE_RELOAD, (Path(__file__).parent / "live_reload.js").read_bytes(), "serve")
    for path, data in opendata.files(lib).items():
        files.add(path, data, "opendata")
    for path, data in feeds.files(lib, lex, config).items():
        files.add(path, data, "feeds")
    files.add(offline.PATH, offline.index_script(pages, lib, lex), "offline search index")
    site_map = sitemap.files(pages, config)
    for path, data in site_map.items():
        files.add(path, data, "sitemap")
    indexed = 0

    def finish(site_dir: Path) -> None:
        nonlocal indexed
        if not index:
            return
        # Pagefind always indexes everything; when no page changed and neither did the code that
        # makes the index, the previous index is this site's index, so it is linked in instead.
        stamp = cache_dir / "search.stamp" if cache_dir else None
        mark = search.fingerprint(paths.templates)
        previous = paths.out / "pagefind"
        try:
            known_mark, known_count = stamp.read_text(encoding="utf-8").split() if stamp else ("", "0")
        except (OSError, ValueError):
            known_mark, known_count = "", "0"
        if known_mark == mark and previous.is_dir() and same_files(site_dir, paths.out, "**/*.html") \
                and same_files(site_dir, paths.out, offline.PATH):
            link_tree(previous, site_dir / "pagefind")
            indexed = int(known_count)
            return
        indexed = search.index_site(site_dir)
        if stamp:
            try:
                stamp.parent.mkdir(parents=True, exist_ok=True)
                stamp.write_text(f"{mark} {indexed}\n", encoding="utf-8")
            except OSError:
                pass

    write_site(files, paths.out, finish)
    return Summary(len(lib.plans), len(lib.entries), len(pages), len(files), indexed, report,
                   time.perf_counter() - started, edits, () if site_map else (sitemap.NOTICE,))


def check(paths: Paths) -> tuple[Report, tuple[editorial.Edit, ...]]:
    """Parse and link everything without writing, for ``site-builder check``."""
    report = Report()
    edits = load(paths, report)[3]
    return report, edits


class StrictFailure(Exception):
    """``--strict`` and the inputs had errors: nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{report.count('error')} errors")
        self.report = report


__all__ = ["Paths", "Summary", "build", "check", "StrictFailure", "InputError", "Diagnostic"]
