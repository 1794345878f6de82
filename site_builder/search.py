"""Search index: one Pagefind record per heading and item, its Chinese split into single characters."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from . import offline, parallel
from .diagnostics import Diagnostic, InputError

# Why records of single characters: Pagefind 1.5.2 segments the index with jieba (charabia) and the
# query with the browser's Intl.Segmenter, which disagree (易地扶贫搬迁 found nothing); and its
# phrase search ("…") keeps only the first match on a page, so page-sized records hide most matching
# measures. With every Chinese character a word of its own on both sides, a quoted query is an exact
# substring match inside one heading or item, whatever either segmenter would have done.
# bench/search_quality.py measures it; search.js spaces the query by the same rule (spaced()).

LANGUAGE = "cmn"
"""The index's language: Chinese, named by its ISO 639-3 code (Mandarin) because Pagefind 1.5.2 runs
its word segmenter (jieba) only for zh, ja and th, and the text here comes already split into
characters: segmenting it again changed no indexed word, but cost Pagefind 15–30 % more CPU time
(1,000 plans: 95 s instead of 81, bench/pagefind_index.py) and put a zero-width space after every
character of the text it stores. The browser loads this index whatever the search page's lang:
it is the site's only one."""
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
TOKEN = re.compile(rf"[{CJK}]|[^\W_{CJK}]+|\S")
"""One Chinese character, a run of other letters and digits, or any other visible character."""
BREAK = "¶"
"""Between a heading and its text and at line ends: punctuation, so Pagefind leaves a gap in word
positions and a phrase never runs across it; search.js shows it as a space."""
ORDER_WIDTH = 5
FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")


def fold(text: str) -> str:
    """Full-width letters, digits and space to half-width, as search.js folds the query (which
    folds punctuation too, but Pagefind drops punctuation from queries; the text keeps its own)."""
    return FULL_WIDTH.sub(lambda m: " " if m.group() == "\u3000" else chr(ord(m.group()) - 0xFEE0), text)


def spaced(text: str) -> str:
    """``text`` as Pagefind should index it: tokens joined by spaces, each line end a ``BREAK``."""
    lines = [" ".join(TOKEN.findall(fold(line))) for line in text.split("\n")]
    return f" {BREAK} ".join(line for line in lines if line)


@dataclass(frozen=True)
class Record:
    """One thing Pagefind can find: a page's title, or a heading or item with its text."""

    file: str
    """Where the record's HTML goes in the folder Pagefind reads; search.js reads the anchor back
    from its name (``<anchor>.html``), and never links to it."""
    content: str
    """Spaced text: what is searched and shown."""
    filters: tuple[tuple[str, str], ...]
    """``titled`` or ``page`` → the page key."""
    order: int
    """0 for a page's title, then the place of the heading or item on its page."""
    heading: str = ""
    """Spaced heading, shown as the link text (an item without one shows its first sentence)."""

    def html(self) -> str:
        head = [f'<meta data-pagefind-filter="{k}[content]" content="{escape(v)}">' for k, v in self.filters]
        head.append(f'<meta data-pagefind-sort="order[content]" content="{self.order:0{ORDER_WIDTH}d}">')
        if self.heading:
            head.append(f'<meta data-pagefind-meta="heading[content]" content="{escape(self.heading)}">')
        return (f'<!DOCTYPE html>\n<html lang="{LANGUAGE}"><head><meta charset="utf-8">{"".join(head)}</head>'
                f'<body><main data-pagefind-body><p>{escape(self.content)}</p></main></body></html>\n')


def records(data: dict) -> list[Record]:
    """What Pagefind indexes, from the offline index's data: each page's title (filter ``titled``)
    and each heading and item (filter ``page``), both keyed by the page as ``path|title`` (see
    ``_escape_key``), so search.js counts, groups and labels results by page before it loads any.
    Neither keys nor file names hold the page's place in the offline index: a page added before
    it would change every record after it, and with them every part of the index (``layout``).
    Filters are not searched; meta is, hence spaced like the content."""
    return [r for _, r in iter_records(data)]


def iter_records(data: dict, keep: Callable[[int], bool] | None = None) -> Iterator[tuple[int, Record]]:
    """``records`` one at a time with the index of the page each is on, only for the pages
    ``keep`` takes: at national scale their spaced texts are hundreds of megabytes."""
    pages = data["pages"]
    keys = [f"{_escape_key(path)}|{_escape_key(title)}" for path, title in pages]
    # Named by the page's path without its ".html": a folder named *.html would look like a page.
    folders = [quote(path.removesuffix(".html"), safe="") for path, _ in pages]
    for i, (_, title) in enumerate(pages):
        if keep is None or keep(i):
            yield i, Record(f"t/{folders[i]}.html", spaced(title), (("titled", keys[i]),), 0)
    place: dict[int, int] = {}
    for page, anchor, title, text in data["parts"]:
        place[page] = place.get(page, 0) + 1
        if keep is None or keep(page):
            content = spaced(f"{title}\n{text}" if title else text)
            yield page, Record(f"p/{folders[page]}/{quote(anchor, safe='')}.html", content, (("page", keys[page]),),
                               place[page], spaced(title))


def _escape_key(text: str) -> str:
    """Percent-escape what would break a page key: the ``|`` between its parts, and what JSON
    escapes — Pagefind 1.5.2 finds no result for a filter value with a JSON escape in it."""
    return re.sub(r'[%|"\\\x00-\x1f]', lambda m: f"%{ord(m.group()):02X}", text)


def read_offline_index(site_dir: Path) -> dict:
    """The data search.js falls back to, written by the build beside the pages."""
    path = site_dir / offline.PATH
    prefix = f"globalThis.{offline.GLOBAL}="
    try:
        raw = path.read_text(encoding="utf-8").strip()
        if not raw.startswith(prefix):
            raise ValueError(f"does not start with {prefix}")
        return json.loads(raw[len(prefix):].rstrip(";"))
    except (OSError, ValueError) as exc:
        raise InputError(Diagnostic(offline.PATH, None, "error", f"无法读取搜索数据：{exc}",
                                    "重新运行 site-builder build"))


SHARD_RECORDS = 25_000
"""About how many records one Pagefind index holds before the site's are split into several,
which the browser merges (search.js, Pagefind's ``mergeIndex``). A text edit makes Pagefind index
again only the part that holds the edited page, several parts are made at once on several cores,
and each needs a fraction of the memory: one index of 3,000 plans (291,621 records) took 165 s
and 15.6 GiB. A search fetches a few small files per part, so parts are not made smaller than
this; a site of a few hundred plans has one or two."""
LIST = "shards.json"
"""In ``pagefind/``: ``{"pages": N, "shards": [name, …]}``, the parts' folders, the first the one
search.js imports Pagefind from and merges the others into."""
STAMP = ".made-from"
"""In each part's folder: the digest of what it was made from (``Shard.digest``)."""


@dataclass(frozen=True)
class Shard:
    """One part of the search index: a Pagefind index of the records of some pages."""

    name: str
    """Its folder under ``pagefind/``."""
    digest: str
    """Of the search code and the offline index's data its records are made from: a part with
    the previous build's digest is that build's part, carried over as it is."""
    pages: frozenset[int]
    """The offline index's pages whose records it holds."""


@dataclass(frozen=True)
class Layout:
    """How a site's search index is split, read from its offline index."""

    data: dict
    """The offline index's data (``read_offline_index``)."""
    pages: int
    """Pages in the offline index: what the index holds the titles of."""
    shards: tuple[Shard, ...]
    """The parts, none empty; one for a small site."""
    size: int
    """Bytes of the offline index, to estimate the room its records need."""


def layout(site_dir: Path, templates: Path) -> Layout:
    """The parts the search index of the built site at ``site_dir`` is made of. Each page's records
    go to the part a hash of its path picks, so a page stays in its part from build to build
    while the number of parts stays the same (it changes as the site grows past a multiple of
    ``SHARD_RECORDS``, and then every part is made again)."""
    data = read_offline_index(site_dir)
    pages, parts = data["pages"], data["parts"]
    count = max(1, -(-(len(pages) + len(parts)) // SHARD_RECORDS))
    where = [zlib.crc32(path.encode("utf-8")) % count for path, _ in pages]
    mark = fingerprint(templates).encode()
    hashers = [hashlib.sha256(mark + f" {count} {k}\n".encode()) for k in range(count)]
    members: list[set[int]] = [set() for _ in range(count)]
    for i, page in enumerate(pages):
        hashers[where[i]].update(json.dumps(page, ensure_ascii=False).encode("utf-8") + b"\n")
        members[where[i]].add(i)
    for page, *rest in parts:  # by its page's path, not its place: see iter_records
        hashers[where[page]].update(json.dumps([pages[page][0], *rest], ensure_ascii=False).encode("utf-8") + b"\n")
    shards = tuple(Shard(str(k), h.hexdigest(), frozenset(m)) for k, (h, m) in enumerate(zip(hashers, members)) if m)
    return Layout(data, len(pages), shards, (site_dir / offline.PATH).stat().st_size)


def made_from(folder: Path) -> str | None:
    """The digest a part's folder was made from, or None when it is not a finished part."""
    try:
        return (folder / STAMP).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def current(plan: Layout, folder: Path) -> set[str]:
    """The names of ``plan``'s parts whose folder under ``folder`` was made from what they would
    be made from now: those need not be made again."""
    return {s.name for s in plan.shards if made_from(folder / s.name) == s.digest}


def write_list(plan: Layout, folder: Path) -> None:
    """``pagefind/shards.json`` for ``plan``, written whole under a temporary name first: serve
    replaces it in a site being browsed."""
    folder.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"pages": plan.pages, "shards": [s.name for s in plan.shards]}, separators=(",", ":"))
    tmp = folder / f".{LIST}.{os.getpid()}"
    tmp.write_text(body + "\n", encoding="utf-8")
    os.replace(tmp, folder / LIST)


def fingerprint(templates: Path) -> str:
    """What an index depends on besides the pages: this module, the offline index it reads, the
    search script that must query it the same way, and the Pagefind version and program."""
    from importlib.metadata import PackageNotFoundError, version
    h = hashlib.sha256()
    for f in (Path(__file__), Path(__file__).with_name("offline.py"), templates / "static" / "search.js"):
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"-")
    try:
        h.update(version("pagefind").encode())
    except PackageNotFoundError:
        pass
    try:  # the program itself: PAGEFIND_BINARY_PATH may name another
        from pagefind.service import get_executable
        program = get_executable()
        st = program.stat() if program else None
        h.update(f"{program} {st.st_size if st else '-'}".encode())
    except (ImportError, OSError):
        pass
    return h.hexdigest()


def write_records(folder: Path, recs: Iterable[Record]) -> None:
    """Each record's HTML to its file under ``folder``. With a record per heading and item these
    are about 100 small files a plan, so each costs the fewest system calls: its folder made once,
    then open, write, close — 3 a file, where ``mkdir`` and ``Path.write_text`` made 9 (strace)."""
    made: set[str] = set()
    root = str(folder)
    for r in recs:
        path = os.path.join(root, r.file)
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            data = memoryview(r.html().encode("utf-8"))
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)


def index_site(site_dir: Path, into: Path | None = None, cancel: threading.Event | None = None,
               templates: Path | None = None, jobs: int = 1) -> int:
    """Write the whole search index of the built site at ``site_dir`` into ``into`` (default: its
    ``pagefind/``), every part and the list of them; returns the number of pages it holds."""
    plan = layout(site_dir, templates or Path(__file__).resolve().parent.parent / "templates")
    out = into or site_dir / "pagefind"
    make(plan, plan.shards, out, cancel, jobs)
    write_list(plan, out)
    return plan.pages


def make(plan: Layout, shards: Iterable[Shard], into: Path, cancel: threading.Event | None = None,
         jobs: int = 1) -> None:
    """Make each of ``shards`` in its folder under ``into``, up to ``jobs`` Pagefind programs at a
    time, each stamped with its digest once whole. When ``cancel`` is set, Pagefind is stopped and
    ``Cancelled`` raised (what it wrote is left half done, unstamped)."""
    shards = list(shards)
    if not shards:
        return
    program = _program()
    part_of = {page: s.name for s in shards for page in s.pages}
    with tempfile.TemporaryDirectory(prefix="pagefind-records-", dir=_memory_folder(plan.size)) as folder:
        write_records(Path(folder), (replace(r, file=f"{part_of[page]}/{r.file}")
                                     for page, r in iter_records(plan.data, part_of.__contains__)))
        waiting = [(s, Path(folder) / s.name) for s in shards]
        running: list[tuple[Shard, subprocess.Popen, object]] = []
        try:
            while waiting or running:
                while waiting and len(running) < max(1, jobs):
                    shard, records_dir = waiting.pop(0)
                    running.append((shard, *_start(program, records_dir, into / shard.name)))
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                for entry in [e for e in running if e[1].poll() is not None]:
                    running.remove(entry)
                    _finished(*entry, into / entry[0].name)
                if running:
                    time.sleep(0.02)
        finally:
            for _, run, said in running:
                _stop(run)
                said.close()


def _program() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as exc:  # pragma: no cover - installation problem
        raise InputError(Diagnostic("pagefind", None, "error", f"无法导入 Pagefind：{exc}",
                                    "运行 pip install 'pagefind[extended]'"))
    program = get_executable()
    if program is None:
        raise InputError(Diagnostic("pagefind", None, "error", "找不到 Pagefind 程序",
                                    "运行 pip install 'pagefind[extended]'"))
    return program


def _start(program: Path, records_dir: Path, out: Path) -> tuple[subprocess.Popen, object]:
    """Pagefind over one part's records; what it says goes to a temporary file (a pipe nobody
    reads while several run would fill and stop it)."""
    said = tempfile.TemporaryFile()
    # The command line, not the Python API's service: the service waits 0.1 s before reading
    # each of its answers, and answers WriteFiles before its last writes are done (files went
    # missing when it was closed). The command has written everything when it exits.
    try:
        # In the records' folder and without PAGEFIND_* settings: the command would read a
        # pagefind.toml from its working folder and its options from the environment.
        run = subprocess.Popen(  # noqa: S603 - the installed Pagefind program, arguments as a list
            [str(program), "--site", ".", "--output-path", str(out.resolve()), "--force-language", LANGUAGE,
             "--silent"], cwd=records_dir, env={k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")},
            stdin=subprocess.DEVNULL, stdout=said, stderr=subprocess.STDOUT,
            preexec_fn=parallel.ends_with_this_process())
    except OSError as exc:
        said.close()
        raise InputError(Diagnostic("pagefind", None, "error", f"无法运行 Pagefind：{exc}",
                                    "运行 pip install 'pagefind[extended]'"))
    return run, said


def _finished(shard: Shard, run: subprocess.Popen, said, out: Path) -> None:
    """Check what one Pagefind program left, and stamp it."""
    said.seek(0)
    text = said.read().decode("utf-8", "replace")
    said.close()
    if run.returncode != 0:
        text = " ".join(text.split())[-300:]
        raise InputError(Diagnostic("pagefind", None, "error", f"Pagefind 出错（退出码 {run.returncode}）：{text}",
                                    "重新构建；上一次的网站保持不变"))
    missing = [name for name in ESSENTIAL if not any(out.glob(name))]
    if missing:
        raise InputError(Diagnostic("pagefind", None, "error", f"Pagefind 没有写完搜索索引，缺少 {'、'.join(missing)}",
                                    "重新构建；上一次的网站保持不变"))
    (out / STAMP).write_text(shard.digest + "\n", encoding="utf-8")


class Cancelled(Exception):
    """Indexing was stopped because newer input is waiting (``serve``)."""


def _stop(run: subprocess.Popen) -> None:
    if run.poll() is not None:
        return
    run.terminate()  # not kill: a wrapper (bench/measure.py) can pass this one on
    try:
        run.wait(timeout=5)
    except subprocess.TimeoutExpired:
        run.kill()
        run.wait()


MEMORY_FOLDER = Path("/dev/shm")  # noqa: S108 - only the parent of a TemporaryDirectory (mode 700, random name)
"""Where the record files go when it is there and roomy: a file system in memory, since they are
written, read once and deleted. Making the seeds' 752 took 0.35 s on the benchmark machine's disk while it
was busy writing a large site back (0.036 s when idle), 0.013 s in memory; a seeds rebuild after
an edit took 1.98 and 2.35 s with them on disk, 1.80 and 1.82 s in memory (bench/rebuild.py,
alternating)."""


def _memory_folder(offline_size: int) -> str | None:
    """MEMORY_FOLDER when it is a writable folder with room for the records (a few times the
    offline index they are made from), else None: the system's temporary folder."""
    try:
        need = 4 * offline_size + (64 << 20)
        st = os.statvfs(MEMORY_FOLDER)
        if os.access(MEMORY_FOLDER, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= need:
            return str(MEMORY_FOLDER)
    except (OSError, AttributeError):
        pass
    return None


ESSENTIAL = ("pagefind.js", "pagefind-entry.json", "pagefind.*.pf_meta", "wasm.*.pagefind")
"""Files of the index search.js cannot work without."""
