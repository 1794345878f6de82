"""Diagnostics that point at the source: ``seeds/x.txt:123: warning: message (hint)``."""
from __future__ import annotations

from dataclasses import dataclass, field

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
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.level}: {self.message}"
        return f"{text}（{self.hint}）" if self.hint else text


@dataclass
class Report:
    """Collects diagnostics for one build; passed explicitly to the stages that find problems."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int | None, level: str, message: str, hint: str = "") -> None:
        assert level in LEVELS, level
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
