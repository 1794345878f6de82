"""Parse cache: a seed whose bytes, the parser's code and the vocabularies are unchanged is not re-parsed."""
from __future__ import annotations

import functools
import hashlib
import os
import pickle  # noqa: S403 - only our own cache files, written by this module, are ever loaded
from pathlib import Path

from .diagnostics import Diagnostic
from .lexicon import Lexicon
from .model import Plan

_CODE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """A digest of every file of the package (its modules and what they read, such as the
    live-reload script): what the program is. Taken once per process, so a long ``serve`` keeps
    the digest of the code it runs when the files on disk change under it."""
    code = hashlib.sha256()
    for f in sorted(_CODE.rglob("*")):
        if f.is_file() and "__pycache__" not in f.relative_to(_CODE).parts:
            code.update(f.relative_to(_CODE).as_posix().encode() + b"\0" + f.read_bytes())
    return code.hexdigest()


def owned_by_us(path: Path) -> bool:
    """Only files this user wrote and nobody else can change are unpickled."""
    st = path.stat()
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


class ParseCache:
    """One pickle per seed under ``folder``, keyed by a hash of the file's bytes, its display path,
    every source file of the package and the loaded vocabularies, so any change that could change
    a parse misses the cache. Entries not used by a build are removed at its end.

    With ``memory`` (a dict a long-lived process such as ``serve`` keeps between builds), the
    parses of a build are also kept there, by the same keys, and the next build takes them from it
    instead of loading the files again (3,000 plans: 3-4 s of each rebuild). Only with a folder:
    a build without one trusts nothing from before."""

    def __init__(self, folder: Path | None, lex: Lexicon, memory: dict | None = None):
        self.folder = folder / "parse" if folder else None
        self.fingerprint = hashlib.sha256(code_digest().encode() + repr(lex).encode("utf-8")).hexdigest()
        self.used: set[str] = set()
        self.hits = 0
        self.memory = memory if self.folder is not None else None

    def key(self, digest: str, display: str) -> str:
        """Of a seed whose bytes have the digest ``digest`` (``build.seed_digest``), shown as ``display``."""
        return hashlib.sha256(f"{self.fingerprint}\0{display}\0{digest}".encode()).hexdigest()

    def get(self, key: str) -> tuple[list[Plan], list[Diagnostic], list] | None:
        """The seed's plans, diagnostics and item facts (``library.analyse``), as ``put`` stored them."""
        if self.folder is None:
            return None
        self.used.add(key)
        if self.memory is not None and key in self.memory:
            self.hits += 1
            return self.memory[key]
        try:
            path = self.folder / f"{key}.pickle"
            if not owned_by_us(path):
                return None
            with path.open("rb") as fh:
                found = pickle.load(fh)  # noqa: S301 - our own file, see the import
            _plans, _diagnostics, _facts = found  # a file of an older layout misses
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        self.hits += 1
        if self.memory is not None:
            self.memory[key] = found
        return found

    def put(self, key: str, plans: list[Plan], diagnostics: list[Diagnostic], facts: list) -> None:
        if self.folder is None:
            return
        self.used.add(key)
        if self.memory is not None:
            self.memory[key] = (plans, diagnostics, facts)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.tmp"
            tmp.write_bytes(pickle.dumps((plans, diagnostics, facts), protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.folder / f"{key}.pickle")
        except OSError:
            pass  # a read-only checkout builds without a cache

    def prune(self) -> None:
        if self.memory is not None:
            for key in self.memory.keys() - self.used:
                del self.memory[key]
        if self.folder is None or not self.folder.is_dir():
            return
        for f in self.folder.glob("*.pickle"):
            if f.stem not in self.used:
                f.unlink(missing_ok=True)
