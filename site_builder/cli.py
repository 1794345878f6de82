"""Command line: build, serve, check, archive. Exit codes: 0 ok, 1 check failed, 2 bad input."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import lock, parallel, progress
from .audit import PAGE_BUDGET, audit_site
from .build import Paths, StrictFailure, build, check
from .diagnostics import InputError, Report


def _paths(args) -> Paths:
    return Paths(Path(args.seeds), Path(args.content), Path(args.out), Path(args.templates))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", default="seeds", help="folder of plan files (default: seeds/)")
    p.add_argument("--content", default="content", help="folder of vocabularies (default: content/)")
    p.add_argument("--out", default="output", help="output folder (default: output/)")
    p.add_argument("--templates", default="templates", help="templates folder (default: templates/)")


def _print_report(report: Report, verbose: bool, stream=sys.stderr) -> None:
    for d in report.sorted():
        if verbose or d.level != "info":
            print(d, file=stream)


def _print_edits(edits, stream=sys.stdout) -> None:
    """Editors' corrections are listed on every build, so nobody forgets one is in force."""
    if edits:
        print(f"编辑更正 {len(edits)} 处：", file=stream)
        for e in edits:
            print(f"  {e}", file=stream)


def _audit(site: Path, budget: int) -> int:
    with lock.reading(site, progress.terminal().say):
        findings = audit_site(site, budget)
        pages = sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0
    for d in findings:
        print(d)
    print(f"检查了 {pages} 个页面：{len(findings)} 个问题" if findings else f"检查了 {pages} 个页面：没有发现问题")
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="site-builder", description="把居民增收方案生成静态网站")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site")
    _common(b)
    b.add_argument("--strict", action="store_true", help="stop without writing when any input has an error")
    b.add_argument("--no-search", action="store_true", help="skip the Pagefind index")
    b.add_argument("--no-cache", action="store_true", help="re-parse every seed and re-index (ignore .cache/)")
    b.add_argument("-v", "--verbose", action="store_true", help="also print info diagnostics")
    b.add_argument("-j", "--jobs", type=int, default=parallel.cores(), metavar="N",
                   help="processes that parse and render (default: one per core; the output is the same)")
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on changes")
    _common(s)
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    c = sub.add_parser("check", help="print every diagnostic without writing the site, or audit a built site")
    _common(c)
    c.add_argument("--strict", action="store_true", help="exit non-zero when there are errors")
    c.add_argument("-v", "--verbose", action="store_true", help="also print info diagnostics")
    a = sub.add_parser("archive", help="zip the built site to open from disk (reproducible)")
    a.add_argument("zipfile", help="the zip file to write")
    a.add_argument("--site", default="output", help="the built site (default: output/)")
    c.add_argument("--site", metavar="DIR", help="audit the built site in DIR instead: links, anchors, lang, "
                   "page size, inline scripts and styles, resources from other hosts; exit 1 on any problem")
    c.add_argument("--max-page-kb", type=int, default=PAGE_BUDGET // 1024, help="page size budget for --site "
                   f"(default: {PAGE_BUDGET // 1024})")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            # In the working folder (the project), never beside an output that may sit in /tmp where
            # another user could plant a cache file.
            cache = None if args.no_cache else Path(".cache").resolve()
            summary = build(_paths(args), strict=args.strict, index=not args.no_search, cache_dir=cache,
                            progress=progress.terminal(), jobs=args.jobs)
            _print_report(summary.report, args.verbose)
            _print_edits(summary.edits)
            for notice in summary.notices:
                print(notice)
            r = summary.report
            unchanged = summary.pages - summary.rendered
            print(f"{summary.plans} 个方案，{summary.items} 个条目，{summary.pages} 个页面"
                  f"{f'（{unchanged} 个未变，未重新生成）' if unchanged else ''}，"
                  f"{summary.files} 个文件{f'（{summary.kept} 个与上次相同，未重写）' if summary.kept else ''}，搜索索引 {summary.indexed} 页；"
                  f"{r.count('error')} 个错误，{r.count('warning')} 个警告；用时 {summary.seconds:.1f} 秒")
            print("各步用时：" + "，".join(f"{name} {seconds:.1f} 秒" for name, seconds in summary.timings))
            return 0
        if args.command == "check" and args.site:
            return _audit(Path(args.site), args.max_page_kb * 1024)
        if args.command == "check":
            report, edits = check(_paths(args))
            _print_report(report, args.verbose, sys.stdout)
            _print_edits(edits, sys.stdout)
            print(f"{report.count('error')} 个错误，{report.count('warning')} 个警告，{report.count('info')} 条提示")
            return 1 if args.strict and report.count("error") else 0
        if args.command == "archive":
            from .archive import write
            with lock.reading(Path(args.site), progress.terminal().say):
                done = write(Path(args.site), Path(args.zipfile), args.site)
            print(f"已写出 {args.zipfile}：{done.files} 个文件，{done.size / 1024:.0f} KB；"
                  "解压后用浏览器打开其中的 index.html 即可离线浏览和搜索")
            return 0
        if args.command == "serve":
            from .serve import serve
            return serve(_paths(args), args.host, args.port)
    except InputError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return 2
    except StrictFailure as exc:
        _print_report(exc.report, False)
        print(f"--strict：有 {exc.report.count('error')} 个错误，未写出网站", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
