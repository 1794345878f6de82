"""Output: collect files (refusing two at one path), write them beside ``output/``, swap in atomically."""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .diagnostics import Diagnostic, InputError, display_path


@dataclass(frozen=True)
class Placed:
    """A file put in the staging folder, by the build or by a render worker."""

    record: tuple | None
    """(digest, size, mtime_ns, inode) for the next manifest; None without one."""
    linked: bool
    """The previous build's file, linked in: its bytes were not written again."""
    known: bool
    """The manifest knew the path, so whether the file changed is settled."""


class Files:
    """The site's files, path → bytes; a second file at one path is an error.

    With a ``root`` (``staging(out_dir)``) each file is written there as it is added, so a national
    site never sits in memory whole; without one they are kept for ``write_site`` to write.

    With a ``previous`` site and its ``Manifest``, a file whose bytes are those the previous build
    wrote at that path is not written again: the previous file is hard-linked in, so its
    modification time stays and a sync to the web server sends only what changed. Only digests are
    compared; neither version is read back.

    With a ``spare`` (a folder in the build cache), the site the swap takes out is kept there
    instead of deleted, and the next build, given it by ``staging``, updates it in place: its
    54,000 page folders at 3,000 plans are neither made again nor deleted again (that was most of
    a one-plan rebuild's writing). A file there is never written into, since it may be the same
    file (hard link) as one of the site being served: a file that differs is unlinked and made
    anew, and ``prune`` removes what this build did not put there."""

    def __init__(self, root: Path | None = None, previous: Path | None = None,
                 manifest: Manifest | None = None, spare: Path | None = None) -> None:
        self.root = root
        self.previous = previous
        self.manifest = manifest
        self.spare = spare
        self.updating = root is not None and root.is_dir()
        """The staging folder already holds a site (the spare) that is updated in place."""
        self.written: dict[str, tuple] = {}
        """Path → (digest, size, mtime_ns, inode) of each file written or linked: the next manifest."""
        self.compared: set[str] = set()
        """Paths the manifest knew, so whether they changed is settled."""
        self.kept = 0
        self._put: dict[str, Placed] = {}
        self._files: dict[str, bytes] = {}
        self._origin: dict[str, str] = {}
        self._folders: set[Path] = set()

    def add(self, path: str, data: bytes, origin: str) -> None:
        self._claim(path, origin)
        if self.root is None:
            self._files[path] = data
            return
        self._note(path, self.place(path, data, origin))

    def add_stream(self, path: str, chunks: Iterable[bytes], origin: str) -> None:
        """``add`` for a file made in pieces (open data at national scale): written as they come,
        so it is never whole in memory; when its digest shows the previous build wrote the same
        bytes, the previous file takes its place."""
        self._claim(path, origin)
        if self.root is None:
            self._files[path] = b"".join(chunks)
            return
        target = self._target(path)
        part = target.with_name(target.name + ".new")  # the digest is known only at the end
        h = _hasher()
        with part.open("wb") as fh:
            for chunk in chunks:
                h.update(chunk)
                fh.write(chunk)
        digest = h.hexdigest()
        linked = self._link_previous(path, digest, target)
        if linked:
            part.unlink()
        else:
            part.rename(target)
        self._note(path, self._placed(path, digest, target, linked))

    def place(self, path: str, data: bytes, origin: str) -> Placed:
        """Put ``data`` at ``path`` in the staging folder (the previous build's file when the
        bytes are the same), nothing else: a render worker places its pages itself, so pages
        are written on every core and never cross a pipe, and the build ``note``s them.

        What is already at ``path`` is unlinked, never written into: it may be the served site's
        file (linked in by ``place_previous`` for another page at the same path, which ``note``
        refuses only afterwards, or a spare's file)."""
        _check_path(path, origin)
        target = self._target(path)
        digest = _hasher(data).hexdigest()
        linked = self._link_previous(path, digest, target)
        if not linked:
            _unlink(target)
            target.write_bytes(data)
        return self._placed(path, digest, target, linked)

    def place_previous(self, path: str, origin: str) -> Placed | None:
        """Link in the previous build's file at ``path`` without its bytes (the caller knows they
        would be the same: the page's fingerprint did not change), when the manifest vouches that
        the file is still the one that build wrote; None otherwise. Like ``place``, only that."""
        _check_path(path, origin)
        known = self.manifest.files.get(path) if self.root is not None and self.manifest and self.previous else None
        if not known:
            return None
        if self.updating and self.manifest.intact(path, self.previous) is not None:
            # Most pages of a rebuild: the spare already holds the previous file (a link to it),
            # so neither its folder nor the file is touched (54,000 pages at 3,000 plans).
            st = self._spare_file(path, known)
            if st is not None:
                return Placed((known[0], *file_identity(st)), True, True)
        target = self._target(path)
        if not self._link_previous(path, known[0], target):
            return None
        return self._placed(path, known[0], target, True)

    def _spare_file(self, path: str, known: list) -> os.stat_result | None:
        """The spare's file at ``path`` when it is the one the manifest names (``known``): the
        previous build's file, linked in by the build before; else None."""
        try:
            st = os.lstat(os.path.join(self.root, path))
        except OSError:
            return None
        return st if stat.S_ISREG(st.st_mode) and st.st_ino == known[3] else None

    def note(self, path: str, origin: str, placed: Placed) -> None:
        """Take a file ``place`` or ``place_previous`` put in (here or in a worker) as the site's."""
        self._claim(path, origin)
        self._note(path, placed)

    def sibling(self) -> Files:
        """Another ``Files`` of the same staging folder, updating it as this one does, with
        bookkeeping of its own: for files made in another process, which this one then ``note``s
        (``placed_in``)."""
        other = Files(self.root, self.previous, self.manifest, self.spare)
        other.updating = self.updating  # not looked up again: the folder may exist by then
        return other

    def placed_in(self) -> list[tuple[str, str, Placed]]:
        """(path, origin, what was put there) of every file added to the staging folder so far:
        for another ``Files`` of the same folder (in the build's process) to ``note``."""
        return [(path, self._origin[path], placed) for path, placed in self._put.items()]

    def _note(self, path: str, placed: Placed) -> None:
        self._put[path] = placed
        if placed.known:
            self.compared.add(path)
        if placed.linked:
            self.kept += 1
        if placed.record is not None:
            self.written[path] = placed.record

    def _claim(self, path: str, origin: str) -> None:
        _check_path(path, origin)
        if path in self._origin:
            raise InputError(Diagnostic(origin, None, "error",
                                        f"两个页面要写到同一路径 {path}（另一个来自 {self._origin[path]}）",
                                        "检查重复的方案或分组 slug"))
        self._origin[path] = origin

    def _target(self, path: str) -> Path:
        target = self.root / path
        if target.parent not in self._folders:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                if not self.updating:
                    raise
                # The spare has a file where this site has a folder.
                for above in reversed(target.relative_to(self.root).parents[:-1]):
                    if (self.root / above).is_file() or (self.root / above).is_symlink():
                        _unlink(self.root / above)
                target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def prune(self) -> None:
        """Remove from an updated spare every file this build did not put there, and the folders
        left empty: the staging folder then holds this site and nothing else."""
        if not self.updating:
            return

        def walk(folder: str) -> bool:
            """Prune under ``folder``; True when it is left empty."""
            empty = True
            with os.scandir(os.path.join(self.root, folder)) as entries:
                for entry in list(entries):
                    rel = f"{folder}/{entry.name}" if folder else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if walk(rel):
                            os.rmdir(entry.path)
                        else:
                            empty = False
                    elif rel in self._origin:
                        empty = False
                    else:
                        os.unlink(entry.path)
            return empty

        walk("")

    def _placed(self, path: str, digest: str, target: Path, linked: bool) -> Placed:
        if self.manifest is None:
            return Placed(None, linked, False)
        st = target.stat()
        return Placed((digest, *file_identity(st)), linked,
                      self.previous is not None and path in self.manifest.files)

    def _link_previous(self, path: str, digest: str, target: Path) -> bool:
        if not (self.manifest and self.previous):
            return False
        known = self.manifest.intact(path, self.previous)
        if not known or known[0] != digest:
            return False
        if self.updating:
            if self._spare_file(path, known) is not None:
                return True  # the spare's file is the previous build's file already
            _unlink(target)
        try:
            os.link(self.previous / path, target)
        except OSError:
            return False
        return True

    def items(self):
        return sorted(self._files.items())

    def __len__(self) -> int:
        return len(self._origin)


MANIFEST = "output.json"
"""The output manifest's file in the build cache."""


class Manifest:
    """What the previous build wrote into an output folder: path → (digest, size, mtime_ns, inode),
    kept in the build cache beside the parse cache, with each page's fingerprint
    (``fingerprint.Fingerprints``). Read back only for the same output folder."""

    def __init__(self, path: Path | None, out_dir: Path):
        self.path = path
        self.out_dir = str(out_dir.resolve())
        self.files: dict[str, list] = {}
        self.pages: dict[str, str] = {}
        """Path → fingerprint of each page the previous build wrote there."""
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("out") == self.out_dir:
                self.files = data["files"]
                self.pages = data.get("pages", {})
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # no manifest or a damaged one: every file is written

    def intact(self, path: str, out_dir: Path) -> list | None:
        """What the manifest knows of ``path`` (digest, size, mtime_ns, inode) when the file there
        is still the one the previous build wrote: nobody replaced or edited it since."""
        known = self.files.get(path)
        if not known:
            return None
        try:
            # Joined as text: a path object per page was a third of this at 54,000 pages.
            st = os.lstat(os.path.join(out_dir, path))
        except OSError:
            return None
        return known if file_identity(st) == tuple(known[1:]) else None

    def save(self, written: dict[str, tuple], pages: dict[str, str] | None = None) -> None:
        """Record what is now in the output folder (after the swap) and the pages' fingerprints."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps({"out": self.out_dir, "files": written, "pages": pages or {}},
                                      separators=(",", ":")), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass


def staging(out_dir: Path, spare: Path | None = None) -> Path:
    """The folder beside ``out_dir`` a build writes into before swapping it in; what killed
    builds left there is cleaned up first. Not yet created, unless a ``spare`` (see ``Files``) was
    there to become it."""
    out_dir = out_dir.resolve()
    check_output_folder(out_dir)
    _clean_up_after_killed_builds(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    if spare is not None and spare.is_dir():
        try:
            spare.rename(tmp)
        except OSError:  # on another file system than the output: of no use
            shutil.rmtree(spare, ignore_errors=True)
    return tmp


def discard(files: Files) -> None:
    """Remove what a failed build staged."""
    if files.root is not None:
        shutil.rmtree(files.root, ignore_errors=True)


def write_site(files: Files, out_dir: Path, finish: Callable[[Path], Iterable[str] | None]) -> None:
    """Write everything into a temporary folder beside ``out_dir`` (or use the one ``files`` was
    staged in), run ``finish`` on it (search indexing), then swap it in; a failed or killed build
    leaves the previous site untouched.

    ``finish`` may name top-level folders of the previous site to carry over as they are (the
    search index when it did not change): moved into the new site just before the swap, one
    rename each, instead of hundreds of thousands of links made and removed again."""
    out_dir = out_dir.resolve()
    check_output_folder(out_dir)
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = files.root or parent / f".{out_dir.name}.tmp-{os.getpid()}"
    old = parent / f".{out_dir.name}.old-{os.getpid()}"
    _clean_up_after_killed_builds(out_dir, keep=tmp)
    moved: list[str] = []
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        files.prune()
        adopt = [name for name in (finish(tmp) or ()) if (out_dir / name).is_dir() and not (tmp / name).exists()]
        previous = out_dir.exists()
        if previous or (files.manifest is not None and files.manifest.path is not None):
            # What ``files`` already compared by digest is left alone; the rest (the search index,
            # or every file when there is no manifest) is compared here. With no previous site,
            # the next manifest still learns the search index's files.
            _keep_unchanged(out_dir, tmp, files.compared if previous else set(files.written),
                            files.manifest, files.written)
        for name in adopt:
            _carry_over(name, files)
            (out_dir / name).rename(tmp / name)
            moved.append(name)
        if out_dir.exists() and _exchange(tmp, out_dir):
            _set_aside(tmp, files.spare)  # tmp now holds the previous site
            return
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        for name in moved:  # back where they were, if the swap did not happen
            if not (out_dir / name).exists() and (tmp / name).exists():
                (tmp / name).rename(out_dir / name)
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _check_path(path: str, origin: str) -> None:
    if ".." in path.split("/") or path.startswith("/"):
        raise InputError(Diagnostic(origin, None, "error", f"输出路径越界：{path}"))


def _set_aside(previous_site: Path, spare: Path | None) -> None:
    """Keep the site a swap took out as the next build's spare (see ``Files``), or delete it.
    Its search index is deleted either way: indexes are made whole, never updated."""
    if spare is not None:
        try:
            shutil.rmtree(previous_site / "pagefind", ignore_errors=True)
            shutil.rmtree(spare, ignore_errors=True)
            spare.parent.mkdir(parents=True, exist_ok=True)
            previous_site.rename(spare)
            return
        except OSError:
            pass
    shutil.rmtree(previous_site, ignore_errors=True)


def _unlink(path: Path) -> None:
    """Remove what is at ``path`` (a file, a link or a folder), if anything."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            raise


def note_folder(known: dict[str, list], root: Path, names: Iterable[str]) -> dict[str, tuple]:
    """``known`` (a manifest's files) with what is at each of ``names`` (a file, a folder, or
    nothing any more) replaced by what is there now in ``root``: each file's digest, size, mtime
    and inode."""
    names = tuple(names)
    prefixes = tuple(name + "/" for name in names)
    files: dict[str, tuple] = {k: tuple(v) for k, v in known.items() if k not in names and not k.startswith(prefixes)}
    for name in names:
        if os.path.isfile(root / name) and not os.path.islink(root / name):
            files[name] = (digest_file(root / name), *file_identity(os.lstat(root / name)))
            continue
        for folder, _dirs, found in os.walk(root / name):
            rel = Path(folder).relative_to(root).as_posix()
            for n in found:
                path = os.path.join(folder, n)
                st = os.lstat(path)
                files[f"{rel}/{n}"] = (digest_file(path), *file_identity(st))
    return files


def _carry_over(name: str, files: Files) -> None:
    """The next manifest knows a carried-over folder's files as the previous one did."""
    if files.manifest is not None:
        prefix = name + "/"
        files.written.update((k, tuple(v)) for k, v in files.manifest.files.items() if k.startswith(prefix))


def _keep_unchanged(old_dir: Path, new_dir: Path, decided: set[str] = frozenset(),
                    manifest: Manifest | None = None, record: dict[str, tuple] | None = None) -> int:
    """Files not yet settled (the search index; every file when there is no manifest) whose
    bytes did not change become hard links to the previous site's files, so their modification
    times stay and a sync to the web server sends only what changed; ``record`` gets each one's
    (digest, size, mtime_ns, inode) for the next manifest.

    Same bytes means: the new file's digest (read back while the system still caches it) is the
    manifest's digest of the previous file, still intact; for a file the manifest does not know,
    both files read and compared. Never the name alone: Pagefind names its files by a 28-bit hash,
    and at 3,000 plans a reindex in which every file changed would give about 0.7 new files the
    name and size of a different previous one (from the sizes of 291,621 index files)."""
    kept = 0
    old_root, new_root = str(old_dir), str(new_dir)
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(new_root, folder)))
        except OSError:
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.append(rel)
                continue
            if rel in decided or not entry.is_file(follow_symlinks=False):
                continue
            try:
                kept += _keep_one(os.path.join(old_root, rel), entry, rel, old_dir, manifest, record)
            except OSError:
                continue  # another file system or no hard links: keep the new copy
    return kept


def _keep_one(old: str, entry: os.DirEntry, rel: str, old_dir: Path, manifest: Manifest | None,
              record: dict[str, tuple] | None) -> int:
    """1 when the new file became the previous one, else 0."""
    now = entry.stat(follow_symlinks=False)
    try:
        before = os.lstat(old)
    except OSError:
        before = None
    known = manifest.intact(rel, old_dir) if manifest is not None else None
    digest = digest_file(entry.path) if known is not None or record is not None else None
    if known is not None:
        same = known[0] == digest
    else:
        same = before is not None and stat.S_ISREG(before.st_mode) and before.st_size == now.st_size \
            and _same_bytes(old, entry.path)
    final = now
    if same:
        link = entry.path + ".link-tmp"
        os.link(old, link)
        os.replace(link, entry.path)
        final = before
    if record is not None:
        record[rel] = (digest, *file_identity(final))
    return 1 if same else 0


def folder_identities(root: Path, files: Iterable[str]) -> dict[str, tuple | None]:
    """``root`` and each folder under it holding one of ``files`` (paths relative to it) → its
    modification time, inode and link count, or None when it is gone: what changes when an entry
    is added to it, removed or renamed."""
    folders = {""}
    for path in files:
        folder = path.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    out = {}
    for folder in sorted(folders):
        try:
            st = os.lstat(root / folder) if folder else os.lstat(root)
            out[folder] = (st.st_mtime_ns, st.st_ino, st.st_nlink)
        except OSError:
            out[folder] = None
    return out


def file_identity(st: os.stat_result) -> tuple[int, int, int]:
    """What tells a file the manifest recorded from any other put at its path since: size,
    modification time and inode (a manifest entry is the digest followed by these)."""
    return st.st_size, st.st_mtime_ns, st.st_ino


def digest_file(path: str | Path) -> str:
    """The digest the manifest records of a file's bytes (as ``Files`` computes it of bytes it writes)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, _hasher).hexdigest()


def _hasher(data: bytes = b""):
    """The manifest's digest: BLAKE2b, 16 bytes."""
    return hashlib.blake2b(data, digest_size=16)


def _same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def replace_folder(new: Path, target: Path) -> None:
    """Put folder ``new`` where ``target`` is, in one step where the system can (the previous
    ``target`` ends up at ``new``'s path, for the caller to remove)."""
    if target.exists() and _exchange(new, target):
        return
    old = new.with_name(new.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)  # the previous one back: never no folder at all
        raise
    if old.exists():
        shutil.rmtree(new, ignore_errors=True)
        old.rename(new)


def check_output_folder(out_dir: Path) -> None:
    """Only a site this program wrote (or an empty folder) is replaced: ``--out .`` or ``--out
    seeds`` must never swap the project away. Raises InputError otherwise."""
    if not out_dir.exists():
        return
    if out_dir.is_dir() and (not any(out_dir.iterdir()) or (out_dir / "index.html").is_file()):
        return
    raise InputError(Diagnostic(display_path(out_dir), None, "error",
                                "输出位置已存在，但不是本程序生成的网站（没有 index.html），不会覆盖它",
                                "用 --out 指定一个新的或空的文件夹"))


def _clean_up_after_killed_builds(out_dir: Path, keep: Path | None = None) -> None:
    """Remove temporary folders a killed build left (not ``keep``, this build's own); put back a
    previous site a build killed between its two renames moved aside (only where the atomic
    exchange is unavailable)."""
    parent = out_dir.parent
    for stale in [*parent.glob(f".{out_dir.name}.tmp-*"), *parent.glob(f".{out_dir.name}.pagefind-*")]:
        if stale != keep:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in sorted(parent.glob(f".{out_dir.name}.old-*")):
        if not out_dir.exists():
            stale.rename(out_dir)
        else:
            shutil.rmtree(stale, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``), so there is no moment
    without a site; False where the system or file system cannot, and the caller renames twice."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
