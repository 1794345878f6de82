"""The pipeline, top to bottom: read → parse → link → routes → render → write → search index."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterator, Mapping

import jinja2

from . import config as config_mod
from . import editorial, feeds, fingerprint, lexicon, library, lock, offline, opendata, render, replay, routes, search, sitemap
from .diagnostics import Diagnostic, InputError, Report, display_path
from .model import Plan
from .parse import parse_source
from . import parallel
from .cache import ParseCache
from .progress import Progress
from .tagging import Tagger
from .read import MAX_BYTES, find_sources, read_source
from .write import (MANIFEST, Files, Manifest, Placed, check_output_folder, discard, file_identity, note_folder,
                    replace_folder, staging, write_site)

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
    timings: tuple[tuple[str, float], ...] = ()
    """Each step of the build and its seconds, in order."""
    kept: int = 0
    """Files whose bytes the previous build already wrote there, so they were not written again."""
    rendered: int = 0
    """Pages rendered; the others' fingerprints were those of the previous build's pages."""
    search_pending: bool = False
    """The previous search index went out with these pages: ``index_later`` makes this site's."""
    inputs: str | None = None
    """What ``replay`` knows the build by, when its search index was left for ``index_later`` and
    its inputs were still the same at its end: the finished site is recorded once the index is made."""


@dataclass
class Kept:
    """What a long-lived process (serve) keeps in memory from one build to the next, so that
    after an edit only what changed is worked out again. Each build leaves in it what it used
    and nothing else, so it does not grow from edit to edit."""

    parses: dict = field(default_factory=dict)
    """The last build's parses, by parse-cache key (``ParseCache``)."""
    entries: dict[tuple[str, int], library.Linked] = field(default_factory=dict)
    """Each plan's entries as the last build linked them (``library.link_apart``)."""
    digests: fingerprint.Memo = field(default_factory=fingerprint.Memo)
    """The digests of the last build's plans and entries (``fingerprint.Fingerprints.warm``), its
    pages with theirs (``fingerprint.Memo.pages``) and the similar measures they showed."""
    records: dict[str, tuple[str, opendata.RecordPlaces]] = field(default_factory=dict)
    """Measures file → (its digest, where the last build put each entry's record in it): the
    next build copies those of the same entries from it (``opendata.files``)."""
    seeds: dict[str, str | None] = field(default_factory=dict)
    """Each seed's digest (``Seed``) as the last finished build found it, made or replayed: those
    that differ now are the edited seeds whose plans a preview shows (``build``)."""
    related: Mapping[str, tuple[tuple[library.Entry, float], ...]] = field(default_factory=dict)
    """The last build's similar measures (``Library.related``), which a preview shows (``build``)."""
    plan_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    """The last build's plan ids by ``_seed_places``: an id follows its plan's title, so the
    preview of a retitled plan finds its similar measures under the id it had."""
    lists: routes.Lists = field(default_factory=routes.Lists)
    """The last build's lists of measures cut by region, for the page list (``routes.Lists``)."""
    by_plan: Mapping[str, tuple[library.Entry, ...]] = field(default_factory=dict)
    """The last build's measures by plan id (``Library.by_plan``): a preview finds each measure's
    similar measures under the measure it was, whose number may have changed."""


@dataclass(frozen=True)
class Seed:
    """A seed file found in the seeds folder, before it is parsed."""

    path: Path
    display: str
    """Its path as diagnostics show it."""
    digest: str | None
    """Of its bytes (``seed_digest``); None when it is too big or cannot be read (``read_source``
    reports which when it parses it)."""
    unread: str = ""
    """Why it was not read (its size, or the error), which the report says: part of the inputs."""


def survey(paths: Paths, report: Report) -> list[Seed]:
    """Every seed file and the digest of its bytes: what the plans are parsed from, and how a build
    knows whether any changed since the previous one."""
    sources = find_sources(paths.seeds, report, display_path)
    if not sources:
        report.add(display_path(paths.seeds), None, "warning", "没有找到方案文件（.txt .md .html）",
                   "把方案放进 seeds/ 文件夹")
    out = []
    for path in sources:
        data = _bytes_of(path)
        out.append(Seed(path, display_path(path), seed_digest(data), "" if data is not None else _why_unread(path)))
    return out


def _bytes_of(path: Path) -> bytes | None:
    try:
        # Too big to read is read_source's to report; it is not read here either.
        return path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    except OSError:
        return None


def _why_unread(path: Path) -> str:
    try:
        return f"size {path.stat().st_size}, readable {os.access(path, os.R_OK)}"
    except OSError as exc:
        return f"error {exc.errno}"


def seed_digest(data: bytes | None) -> str | None:
    return hashlib.blake2b(data, digest_size=20).hexdigest() if data is not None else None


def parse_all(seeds: list[Seed], lex: lexicon.Lexicon, report: Report, cache: ParseCache,
              progress: Progress, jobs: int = 1) -> tuple[list[Plan], dict]:
    """Every plan of every seed, and the facts of its items by ``library.facts_key``. A seed whose
    parse is cached is not read again (its diagnostics are replayed, so a cached build reports
    exactly what a cold one does); the others are parsed ``jobs`` at a time."""
    done: list[tuple | None] = []
    todo: list[tuple[int, Path, str, bytes | None, str | None]] = []
    with progress.step("查找缓存"):
        for seed in seeds:
            cached = cache.get(cache.key(seed.digest, seed.display)) if seed.digest else None
            done.append(cached)
            if cached is None:
                # Read again, and keyed by what is parsed: the file may have changed since the survey.
                data = _bytes_of(seed.path)
                digest = seed_digest(data)
                todo.append((len(done) - 1, seed.path, seed.display, data,
                             cache.key(digest, seed.display) if digest else None))
    for (i, _, _, _, key), result in zip(todo, progress.over(
            "读取解析", parallel.run(_parse_seed, [(p, d, b) for _, p, d, b, _ in todo], (lex, Tagger(lex)), jobs, 4),
            len(todo))):
        done[i] = result
        if key:
            cache.put(key, *result)
    cache.prune()
    plans: list[Plan] = []
    facts: dict = {}
    for found, diagnostics, analysed in done:
        plans.extend(found)
        report.items.extend(diagnostics)
        facts.update((library.facts_key(p), f) for p, f in zip(found, analysed))
    return plans, facts


def _parse_seed(job: tuple[Path, str, bytes | None], shared: tuple[lexicon.Lexicon, Tagger]
                ) -> tuple[list[Plan], list, list]:
    """One seed read, parsed and its items analysed: the unit of work a parse worker does (each
    worker has its own copy of the build's tagger, which remembers the words of texts it cut)."""
    path, display, data = job
    lex, tagger = shared
    mine = Report()
    source = read_source(path, display, mine, data)
    found = parse_source(source, lex, mine) if source is not None else []
    return found, mine.items, [library.analyse(p, tagger, lex) for p in found]


def load(paths: Paths, report: Report, cache_dir: Path | None = None,
         progress: Progress | None = None, jobs: int = 1, seeds: list[Seed] | None = None,
         today: dt.date | None = None, kept: Kept | None = None) -> tuple[config_mod.Config, lexicon.Lexicon, library.Library,
                                               library.Similar, tuple[editorial.Edit, ...]]:
    """Settings, vocabularies and every plan linked into a Library without its similar measures
    (and what finding them reads): what build and check share. ``seeds`` and ``today`` are the
    build's when it already has them (``survey``, ``Config.today_date``); ``kept`` is what a
    long-lived process keeps in memory between builds (``Kept``).

    Editors' corrections and overrides win over what was parsed; the edits that took effect are
    returned for the summary."""
    progress = progress or Progress()
    config = config_mod.load(paths.content / "site.toml")
    lex = lexicon.load(paths.content)
    cache = ParseCache(cache_dir, lex, kept.parses if kept else None)
    if seeds is None:
        seeds = survey(paths, report)
    with frozen_after():
        plans, facts = parse_all(seeds, lex, report, cache, progress, jobs)
    content = display_path(paths.content)
    corrections = editorial.load_corrections(paths.content, content, lex, report)
    plans, corrected = editorial.correct(plans, corrections, report)
    overrides = editorial.load_overrides(paths.content, content, lex, report)
    with progress.step("关联"), frozen_after():
        lib, similar = library.link_apart(plans, lex, today or config.today_date(), report, overrides, facts,
                                          kept.entries if kept else None)
    return config, lex, lib, similar, tuple(corrected) + lib.edits


@contextmanager
def frozen_after() -> Iterator[None]:
    """Python's cyclic garbage collector off while a step piles up long-lived objects (plans, then
    the library, then the page list: millions of objects, almost none in cycles, which each full
    collection walked again), and what the step made frozen (``gc.freeze``) when it ends, so later
    collections skip it; ``build`` and ``check`` unfreeze at the end. At 3,000 plans (one
    process): loading the cached parses 10.2 s with the collector, 2.9 s without; linking
    2.4-3.2 s, 1.8-2.0 s; the page list 8.8-9.6 s, 5.4 s. Cyclic garbage a step leaves (a 300-plan
    parse left 5,430 objects) is frozen with the rest and freed when the build unfreezes."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
    gc.freeze()


def _unfreezing(step):
    """``step`` with the objects ``load`` froze handed back to the collector when it ends, so a
    long ``serve`` frees one build's garbage before the next."""
    @functools.wraps(step)
    def run(*args, **kwargs):
        try:
            return step(*args, **kwargs)
        finally:
            gc.unfreeze()
    return run


@_unfreezing
def build(paths: Paths, *, strict: bool = False, index: bool = True, cache_dir: Path | None = None,
          live_reload: bool = False, progress: Progress | None = None, jobs: int = 1,
          search_later: bool = False, kept: Kept | None = None,
          preview: Callable[[dict[str, bytes]], None] | None = None) -> Summary:
    """``cache_dir`` keeps parses of unchanged seeds between builds; ``live_reload`` (serve only)
    adds the script that reloads the open page after a rebuild; ``jobs`` processes parse and
    render (the site is byte-identical whatever the number); ``search_later`` (serve only) sends
    the pages out with the previous search index when the index has to be made again, for
    ``index_later`` to replace: an author sees the page at once, its search a little later;
    ``kept`` (serve) is what the process keeps from one build for the next (``Kept``);
    ``preview`` (serve, with ``kept``) is handed the pages of the plans whose seeds changed as soon
    as they are linked, before the rest of the site is made (``preview_pages``).
    Another build into the same output folder or with the same cache is waited for."""
    check_output_folder(paths.out)  # before the work, not after it
    progress = progress or Progress()
    with lock.exclusive(paths.out, cache_dir, progress.say):
        return _build(paths, strict, index, cache_dir, live_reload, progress, jobs, search_later, kept, preview)


def _build(paths: Paths, strict: bool, index: bool, cache_dir: Path | None, live_reload: bool,
           progress: Progress, jobs: int, search_later: bool, kept: Kept | None,
           preview: Callable[[dict[str, bytes]], None] | None) -> Summary:
    started = time.perf_counter()  # once the lock is held: waiting for another build is not this one's time
    report = Report()
    today = config_mod.load(paths.content / "site.toml").today_date()
    base = inputs = before = None
    with progress.step("核对输入"):
        if cache_dir is None:
            seeds = survey(paths, report)
        else:
            seeds, base, inputs = _inputs(paths, report, today, live_reload, index)
            before = replay.previous(cache_dir, inputs, paths.out)
    if before is not None:
        if strict and before.report.count("error"):
            raise StrictFailure(before.report)
        if kept is not None:
            kept.seeds = {s.display: s.digest for s in seeds}
        return dataclasses.replace(before, seconds=time.perf_counter() - started, kept=before.files, rendered=0,
                                   search_pending=False, timings=tuple(progress.timings))
    replay.forget(cache_dir)
    config, lex, lib, similar, edits = load(paths, report, cache_dir, progress, jobs, seeds, today, kept)
    if strict and report.count("error"):
        raise StrictFailure(report)
    env = render.environment(paths.templates)
    # The page list reads no similar measures: they are found beside it, on the other core.
    finding = parallel.Background(library.Similar.find, similar, jobs)
    # Forked, the search has its own copy of the words: at 3,000 plans, hundreds of megabytes of
    # them would otherwise stay through the page list, the build's peak of memory.
    measures = similar.measures
    del similar
    try:
        if preview is not None and kept is not None and kept.seeds:
            with progress.step("预览"):
                # Seeds, not parses: every plan is parsed again after a vocabulary change, and a
                # process whose first build was replayed has no parses to compare with.
                sources = {s.display for s in seeds if kept.seeds.get(s.display) != s.digest}
                shown = preview_pages(env, lib, lex, config, sources, kept, live_reload)
                if shown:
                    preview(shown)
        with progress.step("页面列表"), frozen_after():
            pages = routes.pages(lib, lex, config, kept.lists if kept else None)
        manifest = Manifest(cache_dir / MANIFEST if cache_dir else None, paths.out)
        spare = cache_dir / "spare" if cache_dir else None
        files = Files(staging(paths.out, spare), paths.out, manifest, spare)
    except BaseException:
        finding.stop()
        raise
    others = None
    try:
        # Without a cache nothing is kept for the next build, so pages are not digested either.
        prints = fingerprint.Fingerprints(lib, base, kept.digests if kept else None) if base is not None else None
        if prints is not None:
            with progress.step("摘要"):
                digests = prints.warm(jobs)
            if kept is not None:
                kept.digests = digests
        state = _RenderState(env, paths.templates, pages, lib, config, live_reload, render.Cards(env, lib),
                             prints, files)
        # Open data, feeds and the other files need no page rendered: made alongside the pages.
        others = parallel.Background(_other_files, _Others(files.sibling(), paths, lib, lex, config, pages, live_reload,
                                                           kept.records if kept else {}), jobs)
        # The pages showing similar measures (plans' own) go last: the search for those runs
        # beside the others (at 3,000 plans it outlasted the page list by 3-4 s).
        late = [fingerprint.shows_related(page) for page in pages]
        outcome: list = [None] * len(pages)
        _render_pages([i for i, x in enumerate(late) if not x], state, jobs, progress, "生成页面", outcome)
        with progress.step("类似措施"):
            found = finding.result()  # with one job the search runs here, the collector on: its garbage is short-lived
            with frozen_after():
                lib = library.with_related(lib, measures, found)
        if kept is not None:
            kept.related = lib.related
            kept.plan_ids = {place: p.id for place, p in _seed_places(lib.plans).items()}
            kept.by_plan = lib.by_plan
        if prints is not None:
            prints.lib = lib
            # Of the last build's pages only the plans' are still to be compared: let the others
            # go, and the pairs compared (which hold both pages' values), before the plan pages'
            # workers are forked.
            prints.memo = prints.memo and prints.memo.late()
            prints.forget_pairs()
        state = dataclasses.replace(state, lib=lib, cards=render.Cards(env, lib))
        _render_pages([i for i, x in enumerate(late) if x], state, jobs, progress, "生成方案页面", outcome)
        page_prints: dict[str, str] = {}
        rendered = 0
        for page, (digest, placed, fresh) in zip(pages, outcome):
            files.note(page.path, page.template, placed)
            rendered += fresh
            if digest:
                page_prints[page.path] = digest
        if kept is not None and prints is not None:
            kept.digests.base = base
            kept.digests.pages = {page.path: (page, page_prints[page.path]) for page in pages
                                  if page.path in page_prints}
            kept.digests.related = lib.related
        with progress.step("其他文件"):
            made, site_map, records = others.result()
            for path, origin, put in made:
                files.note(path, origin, put)
            if kept is not None:
                kept.records = {path: (files.written[path][0], {id(e): (e, *at) for e, at in zip(lib.entries, places)})
                                for path, places in records.items() if path in files.written}
    except BaseException:
        finding.stop()
        if others is not None:
            others.stop()
        discard(files)
        raise
    indexed = 0
    search_pending = False

    def finish(site_dir: Path) -> tuple[str, ...]:
        """Make the parts of the search index that changed; name the previous build's parts to
        carry over as they are."""
        nonlocal indexed, search_pending
        if not index:
            return ()
        with progress.step("搜索索引"):
            plan = search.layout(site_dir, paths.templates)
            kept = _kept_shards(plan, paths.out / "pagefind", cache_dir)
            if len(kept) < len(plan.shards) and search_later and (paths.out / "pagefind").is_dir():
                # The previous index goes out with the new pages, for index_later to replace.
                search_pending = True
                return ("pagefind",)
            search.make(plan, (s for s in plan.shards if s.name not in kept), site_dir / "pagefind", jobs=jobs)
            search.write_list(plan, site_dir / "pagefind")
            indexed = plan.pages
            return tuple(f"pagefind/{name}" for name in sorted(kept))

    with progress.step("写出"):
        write_site(files, paths.out, finish)
    manifest.save(files.written, page_prints)
    if kept is not None:  # only now: after a failed build, the next one shows the same edit first
        kept.seeds = {s.display: s.digest for s in seeds}
    # Recorded (here, or once index_later made the index) only when the inputs are still what the
    # build started from: a seed saved while it was parsed (then undone) would otherwise leave the
    # site of bytes no longer there, replayed.
    settled = inputs is not None and _inputs(paths, Report(), today, live_reload, index)[2] == inputs
    summary = Summary(len(lib.plans), len(lib.entries), len(pages), len(files), indexed, report,
                      time.perf_counter() - started, edits, () if site_map else (sitemap.NOTICE,),
                      tuple(progress.timings), files.kept, rendered, search_pending,
                      inputs if search_pending and settled else None)
    if settled and not search_pending:
        replay.remember(cache_dir, inputs, paths.out, files.written, summary)
    return summary


PREVIEW_PLANS = 10
"""Most changed plans a serve build shows first: more is not one author's edit but a new folder
of seeds, or many seeds replaced at once."""


def preview_pages(env: jinja2.Environment, lib: library.Library, lex: lexicon.Lexicon, config: config_mod.Config,
                  sources: set[str], kept: Kept, live_reload: bool) -> dict[str, bytes]:
    """Path → bytes of the pages of the plans from ``sources`` (seeds changed since the last
    finished build) as this build makes them, but with the similar measures the last build found
    (``Kept.related``), of plans that are still the same: finding them again is a search over
    every measure, which the preview does not wait for. Empty when there are none or more than
    PREVIEW_PLANS, or when a page cannot be rendered (the build then says why)."""
    places = {place: p for place, p in _seed_places(lib.plans).items() if p.source in sources}
    if not places or len(places) > PREVIEW_PLANS:
        return {}
    live = {id(p) for p in lib.plans}
    ids = {p.id for p in lib.plans}
    related = {}
    for place, plan in places.items():
        # The plan it was: the one of its id; else, retitled, the one at its place in its seed,
        # unless another plan still has that one's id (a plan above it was added or removed).
        was = plan.id if plan.id in kept.by_plan else kept.plan_ids.get(place)
        if was != plan.id and was in ids:
            was = None
        # Each measure it was by heading and label: numbers shift when one above is added or removed.
        then: dict[tuple, list[str]] = {}
        for o in kept.by_plan.get(was, ()):
            then.setdefault((o.path, o.item.label), []).append(o.id)
        for e in lib.entries_of(plan):
            same = then.get((e.path, e.item.label), ())
            if len(same) != 1:
                continue
            # Only measures of plans still in this build: another's may have moved or gone.
            found = tuple((o, c) for o, c in kept.related.get(same[0], ()) if id(o.plan) in live)
            if found:
                related[e.id] = found
    lib = dataclasses.replace(lib, related=MappingProxyType(related))
    cards = render.Cards(env, lib)
    try:
        return {page.path: render.render(env, page, lib, config, live_reload, cards).encode("utf-8")
                for page in routes.plan_pages(lib, lex, list(places.values()))}
    except jinja2.TemplateError:
        return {}


def _seed_places(plans: list[Plan]) -> dict[tuple[str, int], Plan]:
    """Each plan by its seed and its place among that seed's plans (0 for the first)."""
    count: dict[str, int] = {}
    out = {}
    for p in sorted(plans, key=lambda p: (p.source, p.span.line)):
        out[(p.source, count.get(p.source, 0))] = p
        count[p.source] = count.get(p.source, 0) + 1
    return out


def _inputs(paths: Paths, report: Report, today: dt.date, live_reload: bool, index: bool) -> tuple[list[Seed], str, str]:
    """The seeds as they are now (``survey``, which reports into ``report``), the base of every
    page's digest (``fingerprint.base``), and what ``replay`` knows a build by: that base, the
    seeds, what finding them reported, whether it indexes (with what) and where its settings and
    templates are."""
    start = len(report.items)
    seeds = survey(paths, report)
    base = fingerprint.base((paths.templates, paths.content), today, live_reload)
    return seeds, base, replay.inputs(base, ((s.display, s.digest or s.unread) for s in seeds),
                                      report.items[start:], index,
                                      search.fingerprint(paths.templates) if index else None,
                                      display_path(paths.content), display_path(paths.templates))


RENDER_BATCH = 32
"""Pages a render worker takes at a time: few enough to keep both cores busy to the end."""


def _render_pages(indexes: list[int], state: _RenderState, jobs: int, progress: Progress, step: str,
                  outcome: list) -> None:
    """The pages at ``indexes`` rendered (or linked in) by ``jobs`` workers in runs of
    RENDER_BATCH, shown as the progress ``step``; each page's ``_render_batch`` result put at its
    index in ``outcome``. In serve after an edit (``Fingerprints.compares``) the pages that
    compare equal to the last build's are linked in by this process first (``_outcomes``)."""
    done = _outcomes(indexes, state, jobs)
    try:
        for i, result in progress.over(step, done, len(indexes)):
            outcome[i] = result
    except BaseException:
        done.close()  # workers still rendering would write into the staging folder after it is discarded
        raise


def _outcomes(indexes: list[int], state: _RenderState, jobs: int) -> Iterator[tuple[int, tuple]]:
    """(index, ``_render_batch`` result) of each page at ``indexes``, in no set order."""
    if state.prints is not None and state.prints.compares():
        # serve after an edit: nearly every page shows what the last build's did, which a
        # comparison here settles; workers are forked for the rest. Compared in two workers,
        # this took longer than in one process (4.4 against 2.6 s at 3,000 plans): the similar-
        # measure search and the other files hold the second core meanwhile.
        left = []
        for i in indexes:
            kept = _previous_page(state, state.pages[i], state.prints.before(state.pages[i]))
            if kept is None:
                left.append(i)
            else:
                yield i, kept
        indexes = left
        state = dataclasses.replace(state, compared=True)
    batches = [indexes[i:i + RENDER_BATCH] for i in range(0, len(indexes), RENDER_BATCH)]
    results = parallel.run(_render_batch, batches, state, jobs)
    try:
        for batch, made in zip(batches, results):
            yield from zip(batch, made)
    finally:
        results.close()


@dataclass(frozen=True)
class _RenderState:
    """What every render worker needs, handed over by fork."""

    env: jinja2.Environment
    templates: Path
    pages: list[routes.Page]
    lib: library.Library
    config: config_mod.Config
    live_reload: bool
    cards: render.Cards
    """Each worker's own (a forked copy): cards it rendered, to reuse."""
    prints: fingerprint.Fingerprints | None
    """Each worker's own too: the plans and entries it digested (None: no cache, no digests)."""
    files: Files
    """Where pages go, with what the previous build wrote and each page's fingerprint then."""
    compared: bool = False
    """The pages were compared with the last build's already (``_outcomes``) and differ: digested
    without comparing them again."""


def _render_batch(batch: list[int], state: _RenderState) -> list[tuple[str | None, Placed, bool]]:
    """Each page's fingerprint, the page put in the staging folder, and whether it was rendered:
    not when its fingerprint is the previous build's and that build's file is still there to be
    linked in. Workers write their pages themselves, so 2.6 GB of HTML at 3,000 plans does not
    cross a pipe to be written by one process."""
    out = []
    for i in batch:
        page = state.pages[i]
        digest = state.prints.of(page, compare=not state.compared) if state.prints else None
        kept = _previous_page(state, page, digest)
        out.append(kept or (digest, state.files.place(page.path, _render_page(state, page), page.template), True))
    return out


def _previous_page(state: _RenderState, page: routes.Page, digest: str | None) -> tuple[str, Placed, bool] | None:
    """``_render_batch``'s result for a page whose ``digest`` is the one the previous build wrote
    at its path, when that build's file is still there to be linked in; else None."""
    if digest is None or state.files.manifest is None or state.files.manifest.pages.get(page.path) != digest:
        return None
    placed = state.files.place_previous(page.path, page.template)
    return None if placed is None else (digest, placed, False)


def _render_page(state: _RenderState, page: routes.Page) -> bytes:
    try:
        html = render.render(state.env, page, state.lib, state.config, state.live_reload, state.cards)
    except jinja2.TemplateError as exc:
        raise InputError(render.template_error(exc, state.templates, page)) from None
    return html.encode("utf-8")


@dataclass(frozen=True)
class _Others:
    """What ``_other_files`` reads, handed over by fork."""

    files: Files
    """A sibling of the build's (``Files.sibling``): what it places, the build notes."""
    paths: Paths
    lib: library.Library
    lex: lexicon.Lexicon
    config: config_mod.Config
    pages: list[routes.Page]
    live_reload: bool
    records: dict[str, tuple[str, opendata.RecordPlaces]]
    """``Kept.records``: where the previous build put each measure's record in its open data."""


def _other_files(job: _Others) -> tuple[list[tuple[str, str, Placed]], dict[str, bytes], dict[str, list]]:
    """Assets, open data, feeds, the offline search index and the sitemap, put in the staging
    folder: each file's path, origin and record for the build to ``note``, and the sitemap's files
    (empty without a base_url), and where each measure's record went in the measures files."""
    files, paths, lib, lex, config, pages = job.files, job.paths, job.lib, job.lex, job.config, job.pages
    for asset in sorted((paths.templates / "static").rglob("*")):
        if asset.is_file():
            data = asset.read_bytes()
            if asset.suffix == ".css":
                data = render.minify_css(data.decode("utf-8")).encode("utf-8")
            files.add("assets/" + asset.relative_to(paths.templates / "static").as_posix(), data,
                      display_path(asset))
    if job.live_reload:
        files.add(LIVE_RELOAD, (Path(__file__).parent / "live_reload.js").read_bytes(), "serve")
    places: dict[str, list] = {}
    with contextlib.ExitStack() as stack:
        before = _previous_records(files, job.records, stack)
        for path, chunks in opendata.files(lib, {p: (fd, at) for p, (fd, at, _) in before.items()}, places).items():
            try:
                files.add_stream(path, chunks, "opendata")
                changed = path in before and file_identity(os.fstat(before[path][0])) != before[path][2]
            except OSError:
                if path not in before:
                    raise
                changed = True  # reading the previous file failed: it changed under the build
            if changed:  # someone wrote into output/ while its records were copied from it
                raise InputError(Diagnostic(display_path(paths.out / path), None, "error",
                                            "复制上次生成的开放数据时，该文件被改动或无法读取", "再生成一次"))
    for path, data in feeds.files(lib, lex, config).items():
        files.add(path, data, "feeds")
    files.add(offline.PATH, offline.index_script(pages, lib, lex), "offline search index")
    site_map = sitemap.files(pages, config)
    for path, data in site_map.items():
        files.add(path, data, "sitemap")
    return files.placed_in(), site_map, places


def _previous_records(files: Files, records: dict[str, tuple[str, opendata.RecordPlaces]],
                      stack: contextlib.ExitStack) -> dict[str, tuple[int, opendata.RecordPlaces, tuple]]:
    """For each measures file the previous build of this process wrote and the output folder still
    holds as it was written (the manifest says so): the file, open, where its records are, and its
    identity (size, mtime, inode), which must still be the same when they have been copied."""
    out = {}
    for path, (digest, placed) in records.items():
        known = files.manifest.intact(path, files.previous) if files.manifest and files.previous else None
        if known is None or known[0] != digest:
            continue
        try:
            fd = os.open(files.previous / path, os.O_RDONLY)
        except OSError:
            continue
        stack.callback(os.close, fd)
        if file_identity(os.fstat(fd)) == tuple(known[1:]):  # not replaced since it was looked at
            out[path] = (fd, placed, tuple(known[1:]))
    return out


def _kept_shards(plan: search.Layout, previous: Path, cache_dir: Path | None) -> set[str]:
    """The parts of the search index the previous build made from what this one's would be made
    from: carried over as they are. Only with a cache: ``--no-cache`` trusts nothing from before."""
    # Pagefind always indexes everything it is given. A part's records come from the offline
    # index alone (never the pages), so when the data of its pages did not change and neither did
    # the code that makes the index, the previous part is this site's. Each part carries a stamp
    # naming what it was made from, so one left stale on purpose (serve) or made for other pages
    # is never taken for current.
    return set() if cache_dir is None else search.current(plan, previous)


def index_later(paths: Paths, cancel: threading.Event | None = None, cache_dir: Path | None = None,
                jobs: int = 1, on_wait: Callable[[str], None] | None = None, made: Summary | None = None) -> int | None:
    """The search index of the site now in ``paths.out``, made after its pages went out (``serve``
    with ``search_later``): each part that changed is made aside and swapped in whole, then the
    list of parts; the number of pages it holds, or None when ``cancel`` was set first (the stale
    parts stay, and their stamps say they are stale). The output manifest in ``cache_dir``
    learns the new parts' files, so the next build that makes an index finds the unchanged ones
    by digest. ``made``: the summary of the build whose pages these are; the finished site is
    then recorded for ``replay``, as a build that makes its index at once records itself (when
    that build's inputs were settled at its end: ``Summary.inputs``)."""
    with lock.exclusive(paths.out, cache_dir, on_wait):
        pages, written = _index_later(paths, cancel, cache_dir, jobs)
        if pages is not None and made is not None and made.inputs is not None and cache_dir is not None:
            replay.remember(cache_dir, made.inputs, paths.out, written,
                            dataclasses.replace(made, indexed=pages, search_pending=False, inputs=None))
        return pages


def _index_later(paths: Paths, cancel: threading.Event | None, cache_dir: Path | None,
                 jobs: int) -> tuple[int | None, dict[str, tuple]]:
    """The pages the index holds (None when cancelled) and the output manifest's files after it."""
    out = paths.out.resolve()
    live = out / "pagefind"
    plan = search.layout(out, paths.templates)
    current = search.current(plan, live)
    todo = [s for s in plan.shards if s.name not in current]
    tmp = out.parent / f".{out.name}.pagefind-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        search.make(plan, todo, tmp, cancel, jobs)
        for shard in todo:
            replace_folder(tmp / shard.name, live / shard.name)
    except search.Cancelled:
        return None, {}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    search.write_list(plan, live)
    names = {s.name for s in plan.shards} | {search.LIST}
    removed = []
    for entry in live.iterdir():  # parts no longer listed, and an index of the layout before parts
        if entry.name in names:
            continue
        removed.append(f"pagefind/{entry.name}")
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    files: dict[str, tuple] = {}
    if cache_dir is not None:
        manifest = Manifest(cache_dir / MANIFEST, out)
        if manifest.files:
            # The parts made again, the list of parts (written again) and what was removed, so the
            # manifest says what the folder holds: replay checks every file it lists.
            files = note_folder(manifest.files, out, [f"pagefind/{s.name}" for s in todo] + removed
                                + [f"pagefind/{search.LIST}"])
            manifest.save(files, manifest.pages)
    return plan.pages, files


@_unfreezing
def check(paths: Paths) -> tuple[Report, tuple[editorial.Edit, ...]]:
    """Parse and link everything without writing, for ``site-builder check``."""
    report = Report()
    edits = load(paths, report)[-1]  # similar measures are never looked for: they say nothing wrong
    return report, edits


class StrictFailure(Exception):
    """``--strict`` and the inputs had errors: nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{report.count('error')} errors")
        self.report = report


__all__ = ["Paths", "Summary", "build", "check", "StrictFailure", "InputError", "Diagnostic"]
