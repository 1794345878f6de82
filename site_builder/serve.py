"""Local preview: build, serve on 127.0.0.1, rebuild when seeds, content or templates change, and
reload the open page; a failed build keeps the last good site and shows its error in the page."""
from __future__ import annotations

import functools
import gc
import http.server
import json
import posixpath
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from . import parallel, progress
from .build import Kept, Paths, StrictFailure, Summary, build, index_later
from .diagnostics import InputError

DEBOUNCE = 0.3


@dataclass
class BuildState:
    """What the page's live-reload script polls: a build counter and the last error, if any; and
    the pages shown ahead of a build still running (``build``'s ``preview``). Changed and read
    under ``lock``, so a poll never sees one build's counter with another's preview."""

    id: int = 0
    error: str = ""
    preview: dict[str, bytes] = field(default_factory=dict)
    """Site path → bytes served instead of the file there until the build ends: the edited
    plans' pages, made as soon as they are linked."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def show_preview(self, pages: dict[str, bytes]) -> None:
        with self.lock:
            self.preview = pages
            self.id += 1
        print(f"已预览修改的方案：{len(pages)} 个页面；其余页面生成中……", flush=True)

    def finished(self, error: str = "") -> None:
        """A build ended: the files are served again and open pages reload, to the new site or,
        after a failure (``error``), to the last good one if a preview had reloaded them."""
        with self.lock:
            if not error or self.preview:
                self.id += 1
            self.preview = {}
            self.error = error

    def polled(self) -> dict:
        """What ``/__build`` answers."""
        with self.lock:
            return {"id": self.id, "error": self.error, "preview": sorted(self.preview)}


def rebuild(paths: Paths, state: BuildState, cache_dir: Path | None, pending: threading.Event | None = None,
            kept: Kept | None = None) -> None:
    """Build; once the pages are out, reload the open page; then make the search index if the
    text changed (stopped when newer input is ``pending``: the next build makes it). ``kept``
    is what the process keeps in memory from one build to the next (``build.Kept``)."""
    try:
        s = build(paths, cache_dir=cache_dir, live_reload=True, progress=progress.terminal(), jobs=parallel.cores(),
                  search_later=True, kept=kept, preview=state.show_preview)
    except Exception as exc:
        state.finished(_failed(exc))
        return
    except BaseException:  # interrupted: serve no preview of a build that will not end
        state.finished(state.error)
        raise
    state.finished()
    # Each build freezes what it made, which resets the collector's counts, so its older
    # generations would seldom be collected in a long serve: once per build, while idle.
    gc.collect()
    print(f"已重新生成：{s.plans} 个方案，{s.pages} 个页面（重新生成 {s.rendered} 个），"
          f"{s.report.count('warning')} 个警告，{s.seconds:.1f} 秒"
          + ("；正在更新搜索索引……" if s.search_pending else ""), flush=True)
    if s.search_pending:
        _index_later(paths, pending, cache_dir, s)


def _failed(exc: Exception) -> str:
    """The error a failed build shows in the page, said in the terminal too."""
    if isinstance(exc, InputError):
        print(f"生成失败，继续提供上一次的网站：{exc.diagnostic}", flush=True)
        return str(exc.diagnostic)
    if isinstance(exc, StrictFailure):
        print(f"生成失败：{exc}", flush=True)
        return str(exc)
    error = f"{type(exc).__name__}: {exc}"  # a template bug must not stop the preview server
    print(f"生成失败，继续提供上一次的网站：{error}", flush=True)
    return error


def _index_later(paths: Paths, pending: threading.Event | None, cache_dir: Path | None, made: Summary) -> None:
    """The search index after the pages; a failure leaves the previous index (and the new pages)
    in place and is said in the terminal, never stopping the rebuild loop."""
    started = time.perf_counter()
    try:
        indexed = index_later(paths, pending, cache_dir, parallel.cores(), progress.terminal().say, made)
    except Exception as exc:  # a full disk must not stop the preview server either
        said = exc.diagnostic if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        print(f"搜索索引更新失败，搜索结果可能是旧的：{said}", flush=True)
        return
    if indexed is None:
        print("文件又有改动，搜索索引留到下一次生成时更新。", flush=True)
    else:
        print(f"搜索索引已更新：{indexed} 页，{time.perf_counter() - started:.1f} 秒", flush=True)


def handler_for(directory: Path, state: BuildState):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, fmt, *args):  # quiet: one line per rebuild is enough
            pass

        def do_GET(self):
            if self.path.split("?")[0].endswith("/__build"):
                body = json.dumps(state.polled(), ensure_ascii=False).encode("utf-8")
                self._send(body, "application/json; charset=utf-8")
                return
            if not self._previewed(True):
                super().do_GET()

        def do_HEAD(self):
            if not self._previewed(False):
                super().do_HEAD()

        def _previewed(self, body: bool) -> bool:
            """Answer from the preview when it holds the page asked for, the path read as the files
            are (``translate_path``): '..' resolved, a folder's index.html, a folder asked for
            without its slash sent to it."""
            parts = urllib.parse.urlsplit(self.path)
            asked = urllib.parse.unquote(parts.path)
            path = posixpath.normpath("/" + asked).lstrip("/")
            folder = path + "/" if path else ""
            pages = state.preview  # once: the build thread replaces it
            if asked.endswith("/") or not path:
                shown = pages.get(folder + "index.html")
            elif path in pages:
                shown = pages[path]
            elif folder + "index.html" in pages:  # a new plan's folder is not on disk yet
                self.send_response(301)
                self.send_header("Location", urllib.parse.urlunsplit(parts._replace(path=parts.path + "/")))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return True
            else:
                shown = None
            if shown is None:
                return False
            self._send(shown, "text/html; charset=utf-8", body)
            return True

        def _send(self, data: bytes, kind: str, body: bool = True) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return functools.partial(Handler, directory=str(directory))


def serve(paths: Paths, host: str, port: int) -> int:
    state = BuildState()
    # The address first: a port already taken is one line at once, not a traceback after a build.
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler_for(Path(paths.out).resolve(), state))
    except OSError as exc:
        print(f"无法在 {host}:{port} 提供网站：{exc.strerror or exc}（端口被占用时用 --port 换一个）",
              file=sys.stderr, flush=True)
        return 2
    cache_dir = Path(".cache").resolve()
    kept = Kept()
    rebuild(paths, state, cache_dir, kept=kept)
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    pending = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event):
            # Editors save by writing a temp file and renaming it: created/moved count as changes.
            if event.event_type in ("modified", "created", "moved", "deleted") and not event.is_directory:
                pending.set()

    observer = Observer()
    for folder in (paths.seeds, paths.content, paths.templates):
        if folder.exists():
            observer.schedule(OnChange(), str(folder), recursive=True)
    observer.start()

    def loop():
        while True:
            pending.wait()
            time.sleep(DEBOUNCE)
            while pending.is_set():
                pending.clear()
                time.sleep(DEBOUNCE)
            rebuild(paths, state, cache_dir, pending, kept)

    threading.Thread(target=loop, daemon=True).start()
    print(f"网站已在 http://{host}:{port}/ 提供（按 Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        observer.stop()
    return 0
