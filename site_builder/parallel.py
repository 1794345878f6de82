"""Work spread over the cores: forked workers that inherit the build's state instead of receiving it."""
from __future__ import annotations

import gc
import multiprocessing
import os
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


def _start(shared: Any) -> None:
    global _shared
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
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=(shared,)) as pool:
        yield from pool.map(_call, [fn] * len(items), items, chunksize=chunk)
