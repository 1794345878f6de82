"""The pipeline, top to bottom: read → parse → link → routes → render → write → search index."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import config as config_mod
from . import lexicon, library, opendata, render, routes, search
from .diagnostics import Diagnostic, InputError, Report, display_path
from .model import Plan
from .parse import parse_source
from .read import find_sources, read_source
from .write import Files, check_output_folder, write_site


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


def parse_all(paths: Paths, lex: lexicon.Lexicon, report: Report) -> list[Plan]:
    plans: list[Plan] = []
    sources = find_sources(paths.seeds, report, display_path)
    if not sources:
        report.add(display_path(paths.seeds), None, "warning", "没有找到方案文件（.txt .md .html）",
                   "把方案放进 seeds/ 文件夹")
    for path in sources:
        source = read_source(path, display_path(path), report)
        if source is not None:
            plans.extend(parse_source(source, lex, report))
    return plans


def load(paths: Paths, report: Report) -> tuple[config_mod.Config, lexicon.Lexicon, library.Library]:
    """Settings, vocabularies and every plan linked into a Library: what build and check share."""
    config = config_mod.load(paths.content / "site.toml")
    lex = lexicon.load(paths.content)
    plans = parse_all(paths, lex, report)
    return config, lex, library.link(plans, lex, config.today_date(), report)


def build(paths: Paths, *, strict: bool = False, index: bool = True) -> Summary:
    started = time.perf_counter()
    check_output_folder(paths.out)  # before the work, not after it
    report = Report()
    config, lex, lib = load(paths, report)
    if strict and report.count("error"):
        raise StrictFailure(report)
    pages = routes.pages(lib, lex, config)
    env = render.environment(paths.templates)
    files = Files()
    for page in pages:
        try:
            html = render.render(env, page, lib, config)
        except jinja2.TemplateError as exc:
            raise InputError(render.template_error(exc, paths.templates, page)) from None
        files.add(page.path, html.encode("utf-8"), page.template)
    for asset in sorted((paths.templates / "static").rglob("*")):
        if asset.is_file():
            files.add("assets/" + asset.relative_to(paths.templates / "static").as_posix(),
                      asset.read_bytes(), display_path(asset))
    for path, data in opendata.files(lib).items():
        files.add(path, data, "opendata")
    indexed = 0

    def finish(site_dir: Path) -> None:
        nonlocal indexed
        if index:
            indexed = search.index_site(site_dir)

    write_site(files, paths.out, finish)
    return Summary(len(lib.plans), len(lib.entries), len(pages), len(files), indexed, report,
                   time.perf_counter() - started)


def check(paths: Paths) -> Report:
    """Parse and link everything without writing, for ``site-builder check``."""
    report = Report()
    load(paths, report)
    return report


class StrictFailure(Exception):
    """``--strict`` and the inputs had errors: nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{report.count('error')} errors")
        self.report = report


__all__ = ["Paths", "Summary", "build", "check", "StrictFailure", "InputError", "Diagnostic"]
