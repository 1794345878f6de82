"""Diagnostics that point at the source: ``seeds/x.txt:123: warning: message (hint)``."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("info", "warning", "error")


@dataclass(frozen=True)
class Diagnostic:
    """One finding about an input file."""

    path: str
    """File the finding is about, relative to the project when possible."""
    line: int | None
    """1-based line, or None when the finding is about the whole file."""
    level: str
    """``info``, ``warning`` or ``error``."""
    message: str
    """What is wrong, in one line."""
    hint: str = ""
    """What to do about it."""

    def __str__(self) -> str:
        where = f"{_visible(self.path)}:{self.line}" if self.line else _visible(self.path)
        text = f"{where}: {self.level}: {_visible(self.message)}"
        return f"{text}（{_visible(self.hint)}）" if self.hint else text


# Line breaks, other controls and bidirectional overrides, which could split one finding over two
# lines or disguise it: file names and quoted input text may hold any of them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """One line whatever the text holds: control characters shown as escapes (\\n, \\x1b)."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


@dataclass
class Report:
    """Collects diagnostics for one build; passed explicitly to the stages that find problems."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int | None, level: str, message: str, hint: str = "") -> None:
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        self.items.append(Diagnostic(path, line, level, message, hint))

    def count(self, level: str) -> int:
        return sum(1 for d in self.items if d.level == level)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line or 0, LEVELS.index(d.level)))


class InputError(Exception):
    """Bad input that stops a stage; carries a Diagnostic so the CLI prints one line, no traceback."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic

    def __reduce__(self):
        # Raised in a build worker, it crosses back to the main process whole.
        return type(self), (self.diagnostic,)


def display_path(path: Path) -> str:
    """Paths in messages and open data are relative to the working folder when inside it."""
    try:
        # abspath, not resolve: a link is named as itself, not as the file it points to.
        return Path(os.path.relpath(os.path.abspath(path), os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


def toml_error_line(exc: Exception) -> int | None:
    """The line a ``tomllib.TOMLDecodeError`` names in its message (it has no attribute for it)."""
    m = re.search(r"line (\d+)", str(exc))
    return int(m.group(1)) if m else None
