"""Benchmark: build N plans with site_builder, MkDocs (plain and Material) and Hugo + Pagefind; time, memory, output.

Run from the project root (after ./dev test or ./dev serve has made .venv):
    .venv/bin/python bench/run.py                 # N = 5 (the seeds) and 300
    .venv/bin/python bench/run.py --n 3000        # the national-scale run (25–45 min on 2 cores)
    .venv/bin/python bench/run.py --n 5 300 3000 --no-mkdocs --no-material --no-hugo
    .venv/bin/python bench/run.py --n 3000 --no-site --no-hugo --material-prune   # the others only

How it measures (Linux):
- Every build runs as a child of bench/measure.py, which waits for it with os.wait4: wall time
  around the child, CPU time (user + system) and peak RSS from the kernel's rusage for the child
  and everything it waited for. (A small wrapper, because a child's ru_maxrss starts from the
  peak of the process that spawned it; see measure.py.)
- site_builder runs ``site-builder build --seeds … --out … --content content`` through a small
  harness that calls the same ``cli.main``. Its own peak is VmHWM of its process (read from
  /proc/self/status at the end). Pagefind, which the build runs as a command, is
  started through bench/measure.py too (PAGEFIND_BINARY_PATH points at a two-line script that
  does so), which gives Pagefind's own wall time, CPU time and peak RSS apart.
- Builds run in the work folder and start from an empty output folder and no build cache
  ("cold": no output or .cache/ to reuse; Python's bytecode and jieba's dictionary cache are
  warm, as on any machine that has built once). "Edit one plan"
  inserts a sentence in the middle of the first plan file and builds again into the existing
  output with the cache the first build left.
- MkDocs (plain: default theme and its English search) runs from its own venv in
  bench/.venv-mkdocs, created on first use; Hugo is Debian's package (installed with apt-get when
  running as root, else skipped with a notice), followed by the same Pagefind (extended) binary
  the project uses, over Hugo's output.
- MkDocs + Material runs from bench/.venv-material (pip install mkdocs-material jieba, created on
  first use): theme material with language zh, and Material's own search plugin with ``lang: zh``
  and a separator that splits on U+200B, which is what the plugin puts between the words jieba
  cuts (Material segments Chinese with jieba at build time whenever jieba is installed).
  ``--material-prune`` also builds it with the ``navigation.prune`` feature, which leaves out the
  closed branches of the navigation on every page.
- ``--no-site`` measures only the other generators; the ratios are then those of MkDocs +
  Material to the others.
- Both get the same plans as Markdown: the generator writes them from the recombined outline it
  also lays out as text; for the seeds, the plans site_builder parses are exported.

Outputs go to bench/out/ (git-ignored). Results are also written to bench/out/results-<N>.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

MKDOCS_VENV = BENCH / ".venv-mkdocs"
MATERIAL_VENV = BENCH / ".venv-material"

HARNESS = r"""
import json, resource, sys
from site_builder.cli import main

code = main(sys.argv[2:])
me = resource.getrusage(resource.RUSAGE_SELF)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
with open(sys.argv[1], "w") as fh:
    json.dump({"self_cpu": me.ru_utime + me.ru_stime, "self_rss_kb": hwm}, fh)
sys.exit(code)
"""


@dataclass
class Run:
    """One measured build."""

    tool: str
    wall: float
    cpu: float
    rss_mb: float
    pages: int = 0
    files: int = 0
    output_mb: float = 0.0
    largest: str = ""
    largest_kb: float = 0.0
    load: float = 0.0
    """1-minute load average when the run started (other processes on the machine)."""
    largest_by_kind: dict = field(default_factory=dict)
    """Kind of page (``index.html``, ``groups/*`` …) → its largest HTML page and size."""
    note: str = ""


def measure(cmd: list[str], log: Path, cwd: Path | None = None, env: dict | None = None):
    """Run a command under bench/measure.py; (exit code, wall s, CPU s, peak RSS MB)."""
    figures = log.with_suffix(".rusage.jsonl")
    figures.unlink(missing_ok=True)
    with open(log, "wb") as out:
        code = subprocess.run([sys.executable, str(BENCH / "measure.py"), str(figures), "--", *cmd],
                              cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    if not figures.exists():
        return code, 0.0, 0.0, 0.0
    r = json.loads(figures.read_text().splitlines()[-1])
    return r["code"], r["wall"], r["cpu"], r["rss_kb"] / 1024


def site_stats(site: Path) -> dict:
    """HTML pages, files, bytes and the largest HTML page of a built site, overall and per kind of page."""
    pages = files = total = 0
    by_kind: dict[str, tuple[str, int]] = {}
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            path = Path(dirpath, name)
            size = path.stat().st_size
            files += 1
            total += size
            if name.endswith(".html"):
                pages += 1
                rel = path.relative_to(site).as_posix()
                # One key per kind of page: each list page (index.html, plans/index.html …) on
                # its own, the pages under a folder (plans/<id>/index.html …) together.
                folder = rel.split("/", 1)[0] + "/*" if rel.count("/") >= 2 else rel
                if size > by_kind.get(folder, ("", -1))[1]:
                    by_kind[folder] = (rel, size)
    largest, largest_size = max(by_kind.values(), key=lambda v: v[1], default=("", 0))
    return {"pages": pages, "files": files, "output_mb": total / 1e6, "largest": largest,
            "largest_kb": largest_size / 1e3,
            "largest_by_kind": {k: {"page": v[0], "kb": v[1] / 1e3} for k, v in sorted(by_kind.items())}}


def tail(log: Path, lines: int = 5) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


# ------------------------------------------------------------------ corpora

def seeds_markdown(seeds: Path, md_dir: Path, content: Path) -> int:
    """The seeds as site_builder parses them, written as Markdown."""
    from site_builder import lexicon
    from site_builder.diagnostics import Report
    from site_builder.parse import parse_source
    from site_builder.read import find_sources, read_source

    lex = lexicon.load(content)
    shutil.rmtree(md_dir, ignore_errors=True)
    count = 0
    for path in find_sources(seeds):
        report = Report()
        source = read_source(path, path.name, report)
        if source is None:
            continue
        for n, plan in enumerate(parse_source(source, lex, report)):
            r = plan.region
            folder = md_dir / (r.province or "未知地区")
            folder.mkdir(parents=True, exist_ok=True)
            meta = " · ".join(x for x in (plan.issuer, plan.date, plan.doc_number) if x)
            text = make_corpus.plan_markdown(plan.title, r.province or "未知地区", r.city or "", meta, "",
                                             plan.body)
            (folder / f"{path.stem}-{n}.md").write_text(text, encoding="utf-8")
            count += 1
    return count


def corpus(n: int, seed: int, out: Path) -> tuple[Path, Path]:
    """(folder of plan files, folder of Markdown) for N plans; N = 5 is the bundled seeds."""
    md = out / f"corpus-{n}" / "md"
    if n == 5:
        seeds_markdown(ROOT / "seeds", md, ROOT / "content")
        return ROOT / "seeds", md
    txt = out / f"corpus-{n}" / "txt"
    started = time.perf_counter()
    stats = make_corpus.generate(n, seed, txt, md)
    print(f"  corpus: {n} plans, {stats['bytes'] / 1e6:.1f} MB of text, layouts {stats['styles']}, "
          f"regions {stats['modes']} ({time.perf_counter() - started:.0f} s, not timed)", flush=True)
    return txt, md


# ------------------------------------------------------------------ site_builder

def pagefind_wrapper(work: Path, figures: Path) -> Path:
    """An executable that starts the real Pagefind binary under bench/measure.py, appending its
    figures to the file named by $BENCH_PAGEFIND_FIGURES (default ``figures``). The script is
    the same for every run: the build's search fingerprint covers the program it runs, so a
    script that differed between the cold build and the rebuild would make every part of the
    index again (it did, until this was seen)."""
    from pagefind.service import get_executable

    real = get_executable()
    if real is None:
        raise SystemExit("Pagefind binary not found: pip install 'pagefind[extended]' in .venv")
    script = work / "pagefind-measured"
    script.write_text(f"#!/bin/sh\nexec '{sys.executable}' '{BENCH / 'measure.py'}' \"${{BENCH_PAGEFIND_FIGURES:-{figures}}}\" "
                      f"-- '{real}' \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def site_builder_run(seeds: Path, site: Path, work: Path, label: str) -> tuple[Run, Run | None, dict]:
    """Build with site_builder; (whole build, its Pagefind step, raw figures)."""
    figures = work / f"{label}.json"
    pf_figures = work / f"{label}-pagefind.jsonl"
    pf_figures.unlink(missing_ok=True)
    log = work / f"{label}.log"
    env = dict(os.environ, PAGEFIND_BINARY_PATH=str(pagefind_wrapper(work, work / "pagefind.jsonl")),
               BENCH_PAGEFIND_FIGURES=str(pf_figures))
    cmd = [sys.executable, "-c", HARNESS, str(figures), "build", "--seeds", str(seeds), "--out", str(site),
           "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates")]
    # Run in the work folder: a build cache kept in the working folder (.cache/) is then the
    # benchmark's own, never the developer's, and a cold build can start without one.
    code, wall, cpu, _rss = measure(cmd, log, cwd=work, env=env)
    if code != 0 or not figures.exists():
        raise SystemExit(f"site_builder failed ({code}); see {log}:\n{tail(log)}")
    h = json.loads(figures.read_text())
    stats = site_stats(site)
    own = Run("site_builder", wall, cpu, h["self_rss_kb"] / 1024, note=tail(log, 1), **stats)
    pagefind = None
    if pf_figures.exists():
        runs = [json.loads(line) for line in pf_figures.read_text().splitlines()]
        h["pagefind"] = runs
        # Several parts of the index are made at once: the wall time is from the first start to
        # the last end, and the peak is one program's (two running together need up to twice it).
        span = max(r["began"] + r["wall"] for r in runs) - min(r["began"] for r in runs)
        pagefind = Run("  of which Pagefind", span, sum(r["cpu"] for r in runs),
                       max(r["rss_kb"] for r in runs) / 1024,
                       note=f"the Pagefind program the build runs: {len(runs)} run(s), peak of one")
    return own, pagefind, h


def edit_one_plan(corpus: Path, seeds: Path, times: int) -> None:
    """Add a sentence to the first plan of ``seeds`` (the build's copy of ``corpus``), made from the
    corpus's own file, so edit number ``times`` always changes the plan again."""
    first = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")[0]
    text, enc = make_corpus_decode(first.read_bytes())
    cut = text.rfind("。", 0, len(text) // 2)
    text = text[:cut + 1] + "加强宣传解读，及时回应群众关切。" * times + text[cut + 1:]
    (seeds / first.name).write_bytes(text.encode(enc))


def make_corpus_decode(data: bytes) -> tuple[str, str]:
    from site_builder.read import decode

    text, enc = decode(data)
    return text, ("utf-8-sig" if enc == "utf-8-sig" else enc)


# ------------------------------------------------------------------ MkDocs

MKDOCS_YML = """site_name: 居民增收政策（MkDocs 对照）
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: mkdocs
plugins:
  - search
"""
# Material's own search plugin (built into the theme) segments Chinese with jieba when jieba is
# installed, joining the words with U+200B. The zh site language gives a separator that splits on
# U+200B (and on Chinese punctuation); `lang: zh` must be explicit, because the zh translation has
# no search language and the plugin would fall back to English stemming. The separator is spelled
# out (the zh default of Material 9.x) so the index splits on U+200B whatever the site language.
MATERIAL_YML = """site_name: 居民增收政策（MkDocs + Material 对照）
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: zh
  features: [{features}]
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；]+'
"""


@dataclass(frozen=True)
class MkDocsFlavour:
    """One MkDocs set-up to compare: its venv, what pip installs there and its mkdocs.yml."""

    label: str
    venv: Path
    packages: tuple[str, ...]
    yml: str
    note: str
    folder: str


PLAIN_MKDOCS = MkDocsFlavour("MkDocs (plain)", MKDOCS_VENV, ("mkdocs",), MKDOCS_YML,
                             "default theme, English search", "mkdocs")


def material_flavour(prune: bool) -> MkDocsFlavour:
    """MkDocs + Material with jieba; ``prune`` renders only the open branch of the navigation."""
    return MkDocsFlavour("MkDocs+Material" + (" (pruned)" if prune else ""), MATERIAL_VENV,
                         ("mkdocs-material", "jieba"),
                         MATERIAL_YML.format(features="navigation.prune" if prune else ""),
                         "Material theme, Chinese search (jieba)" + (", navigation.prune" if prune else ""),
                         "material-pruned" if prune else "material")


VERSIONS = "import importlib.metadata as m, sys; print(', '.join(f'{p} {m.version(p)}' for p in sys.argv[1:]))"


def installed_versions(flavour: MkDocsFlavour) -> str | None:
    """``name version, …`` of mkdocs and the flavour's packages in its venv; None if one is missing."""
    python = flavour.venv / "bin" / "python"
    if not python.exists():
        return None
    names = dict.fromkeys(("mkdocs", *flavour.packages))
    got = subprocess.run([str(python), "-c", VERSIONS, *names],
                         check=False, capture_output=True, text=True)
    return got.stdout.strip() if got.returncode == 0 else None


def ensure_mkdocs(flavour: MkDocsFlavour = PLAIN_MKDOCS) -> Path | None:
    exe = flavour.venv / "bin" / "mkdocs"
    # Installed if every package is there (a venv left half-made by an interrupted pip is redone).
    if exe.exists() and installed_versions(flavour):
        return exe
    packages = " ".join(flavour.packages)
    print(f"  setting up bench/{flavour.venv.name} (pip install {packages}) …", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(flavour.venv)], check=True)
        subprocess.run([str(flavour.venv / "bin" / "pip"), "install", "-q", *flavour.packages], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  notice: could not install {packages} ({exc}); skipping {flavour.label}")
        return None
    return exe if exe.exists() else None


def index_markdown(md: Path) -> str:
    lines = ["# 居民增收政策", ""]
    for folder in sorted(p for p in md.iterdir() if p.is_dir()):
        lines += [f"## {folder.name}", ""]
        for f in sorted(folder.glob("*.md")):
            title = f.read_text(encoding="utf-8").split("\n", 2)[1].removeprefix("title: ").strip('"')
            lines.append(f"- [{title}](plans/{folder.name}/{f.name})")
        lines.append("")
    return "\n".join(lines)


def mkdocs_run(md: Path, work: Path, flavour: MkDocsFlavour = PLAIN_MKDOCS) -> Run | None:
    """Build the Markdown export with one MkDocs flavour (same docs folder for every flavour)."""
    exe = ensure_mkdocs(flavour)
    if exe is None:
        return None
    project = work / flavour.folder
    shutil.rmtree(project, ignore_errors=True)
    (project / "docs").mkdir(parents=True)
    shutil.copytree(md, project / "docs" / "plans")
    (project / "docs" / "index.md").write_text(index_markdown(md), encoding="utf-8")
    (project / "mkdocs.yml").write_text(flavour.yml, encoding="utf-8")
    log = work / f"{flavour.folder}.log"
    code, wall, cpu, rss = measure([str(exe), "build", "-q", "-f", str(project / "mkdocs.yml")], log, cwd=project)
    if code != 0:
        print(f"  notice: {flavour.label} failed ({code}); see {log}:\n{tail(log)}")
        return None
    return Run(flavour.label, wall, cpu, rss, note=f"{flavour.note}; {installed_versions(flavour)}",
               **site_stats(project / "site"))


# ------------------------------------------------------------------ Hugo + Pagefind

HUGO_CONFIG = """baseURL = "/"
title = "居民增收政策（Hugo 对照）"
languageCode = "zh-cn"
hasCJKLanguage = true
relativeURLs = true
[taxonomies]
  region = "regions"
"""
HUGO_HEAD = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             '<title>{{ .Title }} · {{ site.Title }}</title></head><body>'
             '<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>')
HUGO_LAYOUTS = {
    "_default/single.html": HUGO_HEAD + """
<main data-pagefind-body>{{ .Content }}
<p>地区：{{ range .Params.regions }}<a href="{{ (print "/regions/" (. | urlize) "/") | relURL }}">{{ . }}</a> {{ end }}</p>
</main></body></html>""",
    "_default/list.html": HUGO_HEAD + """
<main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>""",
    "index.html": HUGO_HEAD + """
<main><h1>{{ site.Title }}</h1>
<ul>{{ range site.Taxonomies.regions.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
<ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>""",
}


def ensure_hugo() -> str | None:
    exe = shutil.which("hugo")
    if exe:
        return exe
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        print("  installing Debian's hugo (apt-get) …", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = subprocess.run(["apt-get", "update", "-qq"], env=env).returncode == 0 and subprocess.run(
            ["apt-get", "install", "-y", "-qq", "hugo"], env=env, stdout=subprocess.DEVNULL).returncode == 0
        if ok:
            return shutil.which("hugo")
    print("  notice: hugo is not installed and cannot be installed here (apt-get install hugo as root); "
          "skipping Hugo")
    return None


def hugo_run(md: Path, work: Path) -> tuple[Run, Run, Run] | None:
    exe = ensure_hugo()
    if exe is None:
        return None
    project = work / "hugo"
    shutil.rmtree(project, ignore_errors=True)
    (project / "content").mkdir(parents=True)
    shutil.copytree(md, project / "content" / "plans")
    (project / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        target = project / "layouts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    public = project / "public"
    log = work / "hugo.log"
    env = dict(os.environ, HUGO_CACHEDIR=str(work / "hugo-cache"))
    code, wall, cpu, rss = measure([exe, "--quiet", "--source", str(project), "--destination", str(public)],
                                   log, cwd=project, env=env)
    if code != 0:
        print(f"  notice: Hugo failed ({code}); see {log}:\n{tail(log)}")
        return None
    hugo = Run("Hugo", wall, cpu, rss, note="minimal layouts, region taxonomy, no search", **site_stats(public))
    log = work / "hugo-pagefind.log"
    from pagefind.service import get_executable

    code, pwall, pcpu, prss = measure([str(get_executable()), "--site", str(public)], log, cwd=project)
    if code != 0:
        print(f"  notice: Pagefind on Hugo's output failed ({code}); see {log}:\n{tail(log)}")
        return None
    pagefind = Run("Pagefind on Hugo", pwall, pcpu, prss, note="same extended binary, CLI")
    both = Run("Hugo + Pagefind", wall + pwall, cpu + pcpu, max(rss, prss), **site_stats(public))
    return hugo, pagefind, both


# ------------------------------------------------------------------ report

def print_table(n: int, runs: list[Run]) -> None:
    print(f"\n  {'':<26}{'wall s':>8}{'CPU s':>8}{'peak RSS MiB':>13}{'pages':>8}{'output MB':>11}{'load':>6}"
          "  largest HTML page")
    for r in runs:
        largest = f"{r.largest_kb:,.0f} KB  {r.largest}" if r.largest else ""
        pages = f"{r.pages:>8}" if r.pages else f"{'':>8}"
        out = f"{r.output_mb:>11.1f}" if r.output_mb else f"{'':>11}"
        load = f"{r.load:>6.1f}" if r.load else f"{'':>6}"
        print(f"  {r.tool:<26}{r.wall:>8.1f}{r.cpu:>8.1f}{r.rss_mb:>13.0f}{pages}{out}{load}  {largest}")


def machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {mem}, {platform.python_implementation()} {platform.python_version()}"


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def fastest(repeat: int, run, key=lambda got: got):
    """The fastest of ``repeat`` runs (by ``key(result).wall``): other work on a shared machine
    only ever slows a run down."""
    best = None
    for _ in range(repeat):
        load = load_average()
        got = run()
        if got is None:
            return None
        for r in (got if isinstance(got, tuple) else (got,)):
            if isinstance(r, Run):
                r.load = load
        if best is None or key(got).wall < key(best).wall:
            best = got
    return best


def bench(n: int, args) -> dict:
    out: Path = args.out
    work = out / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"\n== N = {n}{' (the bundled seeds)' if n == 5 else ''}", flush=True)
    original, md = corpus(n, args.seed, out)
    site = work / "site"
    # The build reads a copy that the rebuild then edits in place: the parse cache keys a seed by
    # its path too (diagnostics name it), so an edited copy elsewhere would miss it for every plan.
    seeds = work / "seeds"

    def cold():
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(work / ".cache", ignore_errors=True)
        shutil.rmtree(seeds, ignore_errors=True)
        shutil.copytree(original, seeds)
        return site_builder_run(seeds, site, work, "site_builder")

    result: dict = {"n": n, "machine": machine(), "seed": args.seed, "repeat": args.repeat}
    runs: list[Run] = []
    own = raw = None
    if not args.no_site:
        own, pagefind, raw = fastest(args.repeat, cold, key=lambda got: got[0])
        runs += [own] + ([pagefind] if pagefind else [])
        print(f"  site_builder: {own.note}", flush=True)
    if own and (args.rebuild or (args.rebuild is None and n <= 1000)):
        edits = iter(range(1, args.repeat + 1))

        def rebuild():
            edit_one_plan(original, seeds, next(edits))
            return site_builder_run(seeds, site, work, "site_builder-edit")

        again = fastest(args.repeat, rebuild, key=lambda got: got[0])[0]
        again.tool = "  edit 1 plan, rebuild"
        runs.append(again)
    mk = None if args.no_mkdocs else fastest(args.repeat, lambda: mkdocs_run(md, work))
    if mk:
        runs.append(mk)
    materials = [] if args.no_material else [
        fastest(args.repeat, lambda f=flavour: mkdocs_run(md, work, f))
        for flavour in (material_flavour(prune=False),) + ((material_flavour(prune=True),) if args.material_prune else ())]
    materials = [m for m in materials if m]
    runs += materials
    for m in materials:
        print(f"  {m.tool}: {m.note}", flush=True)
    hg = None if args.no_hugo else fastest(args.repeat, lambda: hugo_run(md, work), key=lambda got: got[2])
    if hg:
        runs += list(hg)
    print_table(n, runs)
    # Wall-time ratios of the first build measured (site_builder, else MkDocs+Material) to the others.
    base = own or (materials[0] if materials else None)
    others = materials + [r for r in (mk, hg[2] if hg else None) if r]
    for other in others:
        if base and other is not base:
            # The goal: site_builder takes at most half the time of MkDocs + Material.
            goal = "  (goal: at most 0.50)" if own and materials and other is materials[0] else ""
            print(f"  ratio {base.tool} / {other.tool}:".ljust(52) + f"{base.wall / other.wall:.2f}{goal}")
    if own:
        print("  site_builder's largest page of each kind: " + "; ".join(
            f"{k} {v['kb']:,.0f} KB" for k, v in own.largest_by_kind.items()))
    for r in runs:
        if r.largest_kb > 300:
            print(f"  note: {r.tool.strip()}: largest page {r.largest_kb:,.0f} KB > 300 KB ({r.largest})")
    busy = [r for r in runs if r.load > (os.cpu_count() or 1)]
    if busy:
        print(f"  note: load average was above the core count before {len(busy)} run(s) "
              "(other processes on this machine): wall times are upper bounds")
    result["runs"] = [asdict(r) for r in runs]
    result["harness"] = raw
    (out / f"results-{n}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.keep:
        for folder in ("site", "mkdocs", "material", "material-pruned", "hugo"):
            shutil.rmtree(work / folder, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, nargs="+", default=[5, 300], help="corpus sizes (5 = the seeds); default 5 300")
    p.add_argument("--seed", type=int, default=1, help="corpus seed")
    p.add_argument("--out", type=Path, default=BENCH / "out", help="work folder (default bench/out)")
    p.add_argument("--no-site", action="store_true",
                   help="skip site_builder (measure only the other generators)")
    p.add_argument("--no-mkdocs", action="store_true", help="skip plain MkDocs")
    p.add_argument("--no-material", action="store_true", help="skip MkDocs + Material (Chinese search with jieba)")
    p.add_argument("--material-prune", action="store_true",
                   help="also build MkDocs + Material with its navigation.prune feature")
    p.add_argument("--no-hugo", action="store_true", help="skip Hugo + Pagefind")
    p.add_argument("--rebuild", action=argparse.BooleanOptionalAction, default=None,
                   help="also time a rebuild after editing one plan (default: for N <= 1000)")
    p.add_argument("--repeat", type=int, default=1, help="run each build this many times, report the fastest")
    p.add_argument("--keep", action="store_true", help="keep the built sites in the work folder")
    args = p.parse_args(argv)
    print(f"machine: {machine()}")
    for n in args.n:
        bench(n, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
