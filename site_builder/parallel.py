"""Work spread over the cores: forked workers that inherit the build's state instead of receiving it."""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 8
"""Fewer jobs than this run in this process: starting workers costs more than it saves (and a
``serve`` rebuild of one edited seed stays in the process that has jieba loaded)."""

_shared: Any = None


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _die_with(parent: int, prctl=None) -> None:
    """End this forked process when the build that forked it dies (``kill -9``). Workers of a
    pool wait on a pipe their siblings also hold open, so they would wait for ever, and they
    hold the build's lock (lock.py): the next build would wait for them too. Linux sends the
    signal when the *thread* that forked ends, so a pool or Background is made and used in one
    thread that outlives it (the build's)."""
    prctl = prctl or _prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def ends_with_this_process() -> Callable[[], None]:
    """For ``subprocess.Popen(preexec_fn=…)``: the program started (Pagefind) is killed when the
    build that started it dies, instead of writing on into a staging folder the next build is
    free to remove."""
    parent, prctl = os.getpid(), _prctl()  # looked up before the fork: the child only calls it
    return lambda: _die_with(parent, prctl)


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return None


PR_SET_PDEATHSIG = 1


def _start(shared: Any, parent: int) -> None:
    global _shared
    _die_with(parent)
    _shared = shared
    gc.enable()  # whatever the parent was doing when it forked: a worker makes garbage


def _call(fn: Callable[[T, Any], R], item: T) -> R:
    return fn(item, _shared)


def run(fn: Callable[[T, Any], R], items: Sequence[T], shared: Any, jobs: int, chunk: int = 1) -> Iterator[R]:
    """``fn(item, shared)`` for every item, results in the order of ``items``.

    With ``jobs`` > 1 the items go to that many forked workers; ``shared`` (the vocabularies, the
    Library) reaches them by fork, never pickled, and only items and results cross the pipe. The
    results are the same either way: workers run the same code on the same values, and order is
    kept. ``chunk`` items go to a worker at a time (results come back as whole chunks finish, so
    make items the unit of progress). Where fork is unavailable everything runs here."""
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield fn(item, shared)
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=(shared, os.getpid()))
    try:
        yield from pool.map(_call, [fn] * len(items), items, chunksize=chunk)
    finally:
        # Closed early (the caller failed), work not yet started is dropped; what is running ends
        # before this returns, so no worker outlives the call.
        pool.shutdown(wait=True, cancel_futures=True)


class Background:
    """``fn(shared)`` running in a forked process of its own while the caller goes on (with
    ``jobs`` > 1; with one, or without fork, it runs when ``result`` is asked for). As with
    ``run``, ``shared`` reaches it by fork; only the result (or the exception) comes back."""

    def __init__(self, fn: Callable[[Any], Any], shared: Any, jobs: int):
        self._fn, self._shared, self._process = fn, shared, None
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._answer, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_background, args=(fn, shared, send, os.getpid()), daemon=True)
            self._process.start()
            send.close()
            self._shared = None  # the child has its own copy: the caller's may go

    def result(self) -> Any:
        """Wait for it; its exception is raised here."""
        if self._process is None:
            return self._fn(self._shared)
        try:
            ok, value = self._answer.recv()
        except EOFError:
            raise RuntimeError(f"后台进程意外退出（退出码 {self._process.exitcode}）") from None
        finally:
            self._process.join()
        if not ok:
            try:
                raise value
            finally:
                del value  # else exception → traceback → this frame → exception keeps the caller's frame alive
        return value

    def stop(self) -> None:
        """End it without its result (the build failed elsewhere)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _background(fn: Callable[[Any], Any], shared: Any, send, parent: int) -> None:
    _die_with(parent)
    gc.enable()
    try:
        answer = (True, fn(shared))
    except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
        answer = (False, exc)
    try:
        send.send(answer)
    except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
        send.send((False, RuntimeError(repr(exc))))
