"""A build whose inputs and output folder are as the previous build left them is not made again: its summary is replayed."""
from __future__ import annotations

import gc
import hashlib
import pickle  # noqa: S403 - only our own record, written by this module, is ever loaded
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .cache import owned_by_us
from .write import MANIFEST, Manifest, folder_identities

RECORD = "build.pickle"
"""In the build cache: what the last finished build was made from and what it reported."""


@dataclass(frozen=True)
class Record:
    inputs: str
    """``inputs`` of the build."""
    out: str
    """The output folder it wrote (resolved)."""
    folders: dict[str, tuple]
    """Each folder of the output → its identity then (``write.folder_identities``): a file added,
    removed or renamed in one changes it."""
    summary: object
    """The build's ``Summary``, its report and edits with it."""


def inputs(base: str, seeds: Iterable[tuple[str, str | None]], found: Iterable[object], *options: object) -> str:
    """A digest of everything a build is made from: ``base`` (``fingerprint.base``: the code,
    templates, vocabularies, site settings and date), each seed's display path and the digest of
    its bytes, what finding the seeds reported (``found``: files skipped), and ``options``."""
    h = hashlib.blake2b(base.encode(), digest_size=20)
    for display, digest in seeds:
        h.update(f"\0{display}\0{digest}".encode())
    h.update(repr((tuple(map(str, found)), options)).encode())
    return h.hexdigest()


def forget(cache_dir: Path | None) -> None:
    """Before a build changes the output: the record no longer describes it."""
    if cache_dir is not None:
        try:
            (cache_dir / RECORD).unlink(missing_ok=True)
        except OSError:
            pass  # a read-only cache: the output this build swaps in no longer matches the record


def remember(cache_dir: Path | None, digest: str, out_dir: Path, written: Iterable[str], summary: object) -> None:
    """After a finished build: its inputs, the identities of the folders it wrote, its summary."""
    if cache_dir is None:
        return
    out = out_dir.resolve()
    record = Record(digest, str(out), folder_identities(out, written), summary)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / f".{RECORD}.tmp"
        # What it was made from, then the rest: another build's inputs are told apart without
        # loading its report (at 3,000 plans 6.6 MB, which took up to 4.4 s to load in serve).
        tmp.write_bytes(pickle.dumps((digest, record.out), protocol=pickle.HIGHEST_PROTOCOL)
                        + pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cache_dir / RECORD)
    except OSError:
        pass  # a read-only cache: every build is made


def previous(cache_dir: Path | None, digest: str, out_dir: Path) -> object | None:
    """The summary of the previous build when it was made from ``digest`` into ``out_dir`` and the
    folder holds exactly what it wrote: every file the output manifest lists is the one written
    (size, modification time, inode), and no folder gained, lost or renamed an entry since."""
    if cache_dir is None:
        return None
    path = cache_dir / RECORD
    try:
        if not owned_by_us(path):
            return None
        out = out_dir.resolve()
        with path.open("rb") as fh:
            if pickle.load(fh) != (digest, str(out)):  # noqa: S301 - our own file, see the import
                return None
            # Without the cyclic collector: the load makes a few hundred thousand objects, none
            # in cycles, and each collection it set off would walk all serve holds (millions).
            collecting = gc.isenabled()
            gc.disable()
            try:
                record = pickle.load(fh)  # noqa: S301
            finally:
                if collecting:
                    gc.enable()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(record, Record) or record.inputs != digest or record.out != str(out):
        return None
    manifest = Manifest(cache_dir / MANIFEST, out)
    if not manifest.files or any(manifest.intact(p, out) is None for p in manifest.files):
        return None
    if folder_identities(out, manifest.files) != record.folders:
        return None
    return record.summary

