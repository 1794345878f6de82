"""One build at a time per output folder and per cache: a second one waits for the first to end."""
from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .diagnostics import display_path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, as before
    fcntl = None


def lock_file(out_dir: Path) -> Path:
    """Beside the output, not in it: the output folder itself is swapped out by every build."""
    out_dir = out_dir.resolve()
    return out_dir.parent / f".{out_dir.name}.lock"


@contextmanager
def exclusive(out_dir: Path, cache_dir: Path | None = None,
              on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock (and the cache's, when there is one) while the block runs.

    Without it, a second build into the same folder took the first one's staging folder for one
    a killed build left and deleted it under the first's workers, and two builds sharing a cache
    raced on its spare site. A lock held by a process that dies is released by the system, so a
    killed build never blocks the next one (its workers and Pagefind die with it:
    ``parallel.ends_with_this_process``). ``on_wait`` is told once, in one line, when another
    build holds a lock."""
    with ExitStack() as stack:
        out_dir.resolve().parent.mkdir(parents=True, exist_ok=True)
        stack.enter_context(_held(lock_file(out_dir), display_path(out_dir), on_wait))
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            stack.enter_context(_held(cache_dir / "lock", display_path(cache_dir), on_wait))
        yield


@contextmanager
def reading(site: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock shared while a built site is read whole (``archive``,
    ``check --site``): never while a build swaps it or serve replaces its index part by part;
    readers do not wait for each other. Where no lock file can be made (a site on read-only
    media), the site is read without one: no build can be writing there."""
    with ExitStack() as stack:
        try:
            stack.enter_context(_held(lock_file(site), display_path(site), on_wait, shared=True))
        except OSError:
            pass
        yield


@contextmanager
def _held(path: Path, what: str, on_wait: Callable[[str], None] | None, shared: bool = False) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"另一个构建正在使用 {what}，等它结束后继续……")
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # closing the last descriptor of it releases the lock
