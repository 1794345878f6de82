"""How long each step of a build took, and a progress bar for long builds in a terminal (never in CI)."""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")

DELAY = 1.0
"""A step shorter than this never draws a bar: a quick build prints nothing extra."""
REDRAW = 0.2
WIDTH = 24


class Progress:
    """Collects ``(step, seconds)``; draws on ``stream`` only when it is a terminal and ``CI`` is not set,
    so logs and CI output stay free of carriage returns."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream
        self.live = bool(stream is not None and getattr(stream, "isatty", lambda: False)()
                         and not os.environ.get("CI"))
        self.timings: list[tuple[str, float]] = []
        self._drawn = False
        self._inner: list[float] = []
        """Per open step, the seconds of steps run inside it (reported on their own, not twice)."""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step that has no count of its own."""
        started = time.perf_counter()
        self._inner.append(0.0)
        try:
            yield
        finally:
            self._done(name, started, self._inner.pop())

    def over(self, name: str, items: Iterable[T], total: int) -> Iterator[T]:
        """Yield ``items``, timing them as one step and drawing ``name [###…] done/total`` as they go."""
        started = last = time.perf_counter()
        try:
            for done, item in enumerate(items, 1):
                yield item
                now = time.perf_counter()
                if self.live and now - started >= DELAY and (now - last >= REDRAW or done == total):
                    self._draw(name, done, total, now - started)
                    last = now
        finally:
            self._done(name, started)

    def say(self, line: str) -> None:
        """One line for whoever runs the build (also in CI logs): something it waits for."""
        if self.stream is not None:
            self.stream.write(line + "\n")
            self.stream.flush()

    def _draw(self, name: str, done: int, total: int, seconds: float) -> None:
        filled = WIDTH * done // max(total, 1)
        self.stream.write(f"\r{name} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {seconds:.0f} 秒\033[K")
        self.stream.flush()
        self._drawn = True

    def _done(self, name: str, started: float, inner: float = 0.0) -> None:
        took = time.perf_counter() - started
        self.timings.append((name, took - inner))
        if self._inner:
            self._inner[-1] += took
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False


def terminal() -> Progress:
    """The progress of a build run from the command line."""
    return Progress(sys.stderr)
