"""Local preview: build, serve on 127.0.0.1, rebuild when seeds, content or templates change."""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

from .build import Paths, StrictFailure, build
from .diagnostics import InputError

DEBOUNCE = 0.3


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):  # quiet: one line per rebuild is enough
        pass


def _rebuild(paths: Paths) -> None:
    try:
        s = build(paths)
        print(f"已重新生成：{s.plans} 个方案，{s.pages} 个页面，{s.report.count('warning')} 个警告，{s.seconds:.1f} 秒",
              flush=True)
    except InputError as exc:
        print(f"生成失败，继续提供上一次的网站：{exc.diagnostic}", flush=True)
    except StrictFailure as exc:
        print(f"生成失败：{exc}", flush=True)


def serve(paths: Paths, host: str, port: int) -> int:
    _rebuild(paths)
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
            _rebuild(paths)

    threading.Thread(target=loop, daemon=True).start()
    handler = functools.partial(_Handler, directory=str(Path(paths.out).resolve()))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    print(f"网站已在 http://{host}:{port}/ 提供（按 Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        observer.stop()
    return 0
