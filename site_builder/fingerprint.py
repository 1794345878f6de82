"""Page fingerprints: a digest of everything a page is made from, so an unchanged page is not rendered again."""
from __future__ import annotations

import hashlib
import pickle  # noqa: S403 - only dumps, to digest values; nothing is ever loaded
import sys
from dataclasses import fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

from . import parallel
from .cache import code_digest
from .lexicon import BenefitType, Department, Group
from .library import Entry, Library, Policy, RegionNode
from .model import Plan
from .routes import Page, RegionSlice, Shown, same_objects

PLAN_HEAD = tuple(f.name for f in fields(Plan) if f.name != "body")
"""What pages other than a plan's own read of it (its title, region, dates, status); so editing a
measure renders again the plan's pages and the pages showing that measure, not every page that
lists the plan or shows another of its measures. tests/test_incremental.py checks that only
plan.html reads a plan's body."""

LIB_USES = frozenset({"status", "year", "related"})
"""What templates may read from ``lib``; ``Fingerprints.of`` covers each: ``status`` and ``year``
depend on the plan and the date (in the base), ``related`` is digested for plan pages (the
measures; plan.html does not show their cosines). A template
reading anything else must be covered here first (tests/test_incremental.py checks the templates)."""


PROTOCOL = 5
"""Pickle protocol of the digests (any fixed one: digests are compared, never loaded)."""

SHARED_LIST = 4
"""A list or dict in a page's context longer than this is digested once per object: most are
one object on many pages (every department; a group's kinds of help, ten rows on each of its
pages, which made 365,160 rows to pickle on the group pages of 3,000 plans)."""

SHARED = frozenset({Plan, Entry, Group, Department, RegionNode, Policy, BenefitType, RegionSlice})
"""Frozen dataclasses seen on many pages: each is digested once, then stands for itself by digest.
(Digesting every small one apart, each item and source span, took longer than pickling them.)
A kind of help carries every word that finds it: pickled whole, the list of kinds on each of
36,000 group pages was three quarters of those pages' bytes to digest at 3,000 plans."""


def base(folders: tuple[Path, ...], *settings: object) -> str:
    """What every page depends on: this package's code (``cache.code_digest``, as the parse cache
    keys it), every file of ``folders`` (templates, vocabularies and site settings), the template
    engine's version and ``settings`` (the date validity is judged against, live reload)."""
    h = hashlib.blake2b(code_digest().encode(), digest_size=16)
    for folder in folders:
        for f in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    for package in ("jinja2", "markupsafe"):
        try:
            h.update(version(package).encode())
        except PackageNotFoundError:
            h.update(b"-")
    h.update(sys.version.encode() + repr(settings).encode())
    return h.hexdigest()


def shows_related(page: Page) -> bool:
    """Whether a page shows similar measures (``lib.related``): a plan's own page does. Its digest
    covers them (and ``before`` compares them), so the build makes it once they are found."""
    return isinstance(page.context.get("plan"), Plan)


class Fingerprints:
    """Digests of pages for one build. Plans, entries and the other ``SHARED`` values are
    digested once and then stand for themselves by digest, so a list page showing 400 measures
    costs 400 references, not 400 pickled plans; the big lists and dicts many pages share (all
    departments, all groups) likewise.

    Two builds give a page the same digest only when its template, path, title, context and the
    plans (its own whole, the others' heads), entries and similar measures it shows are the same
    and ``base`` is the same. Sets are
    pickled in hash order, which differs between processes: a page holding one may then be
    rendered again for nothing, never left stale."""

    def __init__(self, lib: Library, base_digest: str, memo: Memo | None = None):
        self.lib = lib
        self.base = base_digest
        self.memo = memo
        """A previous build's digests of plans and entries, its pages and the similar measures
        they showed (``Memo``), for the objects this one still has."""
        self._known: dict[int, bytes] = {}
        """id → digest of each ``SHARED`` object digested so far (all live as long as the pages)."""
        self._whole: dict[int, bytes] = {}
        """id → digest of each plan digested whole (for its own pages)."""
        self._shared: dict[int, bytes] = {}
        self._pairs: dict[tuple[int, int], tuple[object, object, bool]] = {}
        """(id, id) → the two dataclasses or long lists or dicts, and whether they are the ``same``."""
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, page: Page, compare: bool = True) -> str | None:
        """The page's digest, or None when part of its context cannot be digested (it is rendered).
        ``compare``: the last build's digest when the page shows the same (``before``); False when
        it was found not to."""
        try:
            plan = page.context.get("plan")
            own = shows_related(page)
            before = self.before(page) if compare else None
            if before is not None:
                return before
            # The page's own plan whole; any other plan (in a list, behind a measure) by its head.
            context = sorted((k, ("plan", self.whole(v)) if own and k == "plan" else self._value(v))
                             for k, v in page.context.items())
            related = ()
            if own:
                # The measures, not their cosines: the page does not show those, and one edit moves
                # every cosine a little (the words' weights are corpus-wide).
                related = tuple(self._related(plan, self.lib.related))
            return self._digest((self.base, page.path, page.template, page.title, context, related)).hex()
        except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
            return None

    def forget_pairs(self) -> None:
        """Let go of the pairs ``same`` compared (and the values they hold)."""
        self._pairs = {}

    def compares(self) -> bool:
        """Whether pages are compared with the last build's (``before``): a long-lived process
        after its first build, with the same code, templates and vocabularies."""
        return self.memo is not None and self.memo.base == self.base and bool(self.memo.pages)

    def before(self, page: Page) -> str | None:
        """The digest the previous build gave this page, when that build's page at this path
        showed the same (``same``) and, on a plan's page, the same similar measures: comparing
        is a third of the work of digesting."""
        memo = self.memo
        if memo is None or memo.base != self.base:
            return None
        old = memo.pages.get(page.path)
        if old is None or old[0].template != page.template or old[0].title != page.title:
            return None
        try:
            if not self.same(page.context, old[0].context):
                return None
            # A plan's page: its plan is the same object (``same``), so are its measures.
            if shows_related(page) and not self._same_related(page.context["plan"], memo.related):
                return None
            return old[1]
        except (TypeError, ValueError, AttributeError, RecursionError):
            return None  # digested instead

    def _same_related(self, plan: Plan, before: Mapping[str, tuple]) -> bool:
        """Whether each measure of ``plan`` has the same similar measures (the same objects, in
        order) in ``before`` (the last build's) as now: what its page shows of them."""
        return all(map(same_objects, self._related(plan, before), self._related(plan, self.lib.related)))

    def _related(self, plan: Plan, related: Mapping[str, tuple]) -> Iterator[tuple]:
        """Each measure of ``plan``'s similar measures in ``related``, without their cosines."""
        for entry in self.lib.entries_of(plan):
            yield tuple(other for other, _cos in related.get(entry.id, ()))

    def same(self, a, b) -> bool:
        """Whether two page contexts show the same: plans and entries are the same objects (the
        memo holds the previous build's, so an id is never another's), a ``Shown`` holds the
        same ones, everything else is equal and in the same order (a float that could print
        otherwise is not taken as the same, nor a set of anything but strings). Pairs of
        dataclasses and of long lists and dicts are compared once: every group page holds the
        same kinds of help, every page its regions."""
        if a is b:
            return True
        kind = type(a)
        if kind is not type(b) or kind in BY_IDENTITY:
            return False
        if kind is set or kind is frozenset:
            # Of strings only (a plan page's anchors), and in the same order, should a template
            # ever print one: two equal sets may be iterated in another order.
            return list(a) == list(b) and all(type(x) is str for x in a)
        if kind is Shown:
            return same_objects(a, b)
        if kind is str or kind is int:
            return a == b
        if kind is float:
            return repr(a) == repr(b)  # 0.0 and -0.0 are equal, and print otherwise
        names = self._fields.get(kind)
        if names is None and kind not in (list, tuple, dict, MappingProxyType) and hasattr(kind, "__dataclass_fields__"):
            names = self._fields[kind] = tuple(f.name for f in fields(kind))
        # Tuples are not remembered: most are a page's own rows, never compared again.
        remember = names is not None or (kind in (list, dict, MappingProxyType) and len(a) > SHARED_LIST)
        if remember:
            known = self._pairs.get((id(a), id(b)))
            if known is not None and known[0] is a and known[1] is b:
                return known[2]
        if kind is list or kind is tuple:
            found = len(a) == len(b) and all(map(self.same, a, b))
        elif kind is dict or kind is MappingProxyType:
            found = list(a) == list(b) and all(self.same(v, b[k]) for k, v in a.items())
        elif names is not None:
            found = all(self.same(getattr(a, n), getattr(b, n)) for n in names)
        else:
            return a == b  # None, a bool, a date
        if remember:
            # Both held with the answer: an id is never taken for another object's.
            self._pairs[(id(a), id(b))] = (a, b, found)
        return found

    def _value(self, value) -> bytes | object:
        # A list or dict shown on many pages (every department, every group) is digested once.
        if isinstance(value, (dict, list, tuple, MappingProxyType)) and len(value) > SHARED_LIST:
            known = self._shared.get(id(value))
            if known is None:
                known = self._shared[id(value)] = self._digest(value)
            return known
        if isinstance(value, (set, frozenset)):
            return sorted(value)
        return value

    def known(self, obj) -> bytes:
        """The digest of a ``SHARED`` object (an entry, a group…), made once per object; of a
        plan, its head: every field but the body."""
        digest = self._known.get(id(obj))
        if digest is None:
            digest = self._kept(self.memo.known if self.memo else None, obj)
            if digest is None:
                digest = self._digest(tuple(getattr(obj, f) for f in PLAN_HEAD) if type(obj) is Plan else obj)
            self._known[id(obj)] = digest
        return digest

    def whole(self, plan: Plan) -> bytes:
        """The digest of a plan with its body: what its own pages show."""
        digest = self._whole.get(id(plan))
        if digest is None:
            digest = self._kept(self.memo.whole if self.memo else None, plan)
            if digest is None:
                digest = self._digest(plan)
            self._whole[id(plan)] = digest
        return digest

    @staticmethod
    def _kept(kept: dict[int, tuple[object, bytes]] | None, obj) -> bytes | None:
        hit = kept.get(id(obj)) if kept is not None else None
        # The memo holds each object it names, so an id there is never another object's.
        return hit[1] if hit is not None and hit[0] is obj else None

    def warm(self, jobs: int = 1) -> Memo:
        """Digest every plan (head and whole) and every entry now, before render workers are
        forked, so each worker finds them made: not made again in every worker that shows them,
        and not lost when it ends. What the memo does not hold is digested ``jobs`` at a time
        (6.3–6.9 s in one process at 3,000 plans). Returns them as the memo for the next build
        of the same process, which holds the same objects for every plan whose seed did not
        change (``library.link_apart`` reuses their entries)."""
        heads = self.memo.known if self.memo else {}
        wholes = self.memo.whole if self.memo else {}
        for plan in self.lib.plans:  # first: each entry's digest refers to its plan's head
            self.known(plan)
        work = [(self._whole, p) for p in self.lib.plans if self._kept(wholes, p) is None]
        work += [(self._known, e) for e in self.lib.entries if self._kept(heads, e) is None]
        chunks = [range(i, min(i + WARM_CHUNK, len(work))) for i in range(0, len(work), WARM_CHUNK)]
        for part, digests in zip(chunks, parallel.run(_warm_part, chunks, (self, work), jobs)):
            for i, digest in zip(part, digests):
                table, obj = work[i]
                table[id(obj)] = digest
        memo = Memo()
        for plan in self.lib.plans:
            memo.known[id(plan)] = (plan, self.known(plan))
            memo.whole[id(plan)] = (plan, self.whole(plan))
        known, made = memo.known, self._known
        for entry in self.lib.entries:
            key = id(entry)
            digest = made.get(key)
            if digest is None:  # kept from the last build
                digest = made[key] = heads[key][1]
            known[key] = (entry, digest)
        return memo

    def _digest(self, value) -> bytes:
        sink = _Sink()
        _pickler(sink, self, value).dump(value)
        return sink.hash.digest()


WARM_CHUNK = 4096
"""Plans or entries a worker digests at a time in ``Fingerprints.warm``."""


def _warm_part(part: range, shared: tuple[Fingerprints, list]) -> list[bytes]:
    """The digests of ``part`` of ``warm``'s work: (table, object) pairs, a plan whole or an entry."""
    prints, work = shared
    out = []
    for i in part:
        table, obj = work[i]
        out.append(prints.whole(obj) if table is prints._whole else prints.known(obj))
    return out


BY_IDENTITY = frozenset({Plan, Entry})
"""What two pages show the ``same`` only as the same object: one equal by value may be another
parse, and comparing two plans by value walks all they hold."""


class Memo:
    """Digests of plans and entries kept by a long-lived process (serve) from one build to the
    next: an object it still has need not be digested again. Frozen dataclasses, digested from
    their fields alone (never the build's base), so an object's digest stays its own. Holding
    each object keeps its id from being reused by another. And the last build's pages with
    their digests, by path: a page showing the ``same`` gets that digest without digesting it."""

    def __init__(self) -> None:
        self.base = ""
        """The base (``base``) the pages were digested with: with another, none is taken."""
        self.pages: dict[str, tuple[Page, str]] = {}
        """Path → (the page, its digest)."""
        self.related: Mapping[str, tuple] = {}
        """The similar measures the pages showing them were digested with (``Library.related``)."""
        self.known: dict[int, tuple[object, bytes]] = {}
        """id → (plan or entry, ``Fingerprints.known`` of it)."""
        self.whole: dict[int, tuple[object, bytes]] = {}
        """id → (plan, ``Fingerprints.whole`` of it)."""

    def late(self) -> Memo:
        """This memo with only what comparing the pages showing similar measures reads."""
        out = Memo()
        out.base, out.related = self.base, self.related
        out.pages = {path: kept for path, kept in self.pages.items() if shows_related(kept[0])}
        return out


class _Sink:
    def __init__(self):
        self.hash = hashlib.blake2b(digest_size=16)

    def write(self, data) -> int:
        self.hash.update(data)
        return len(data)


def _ref(kind: str, digest: bytes) -> None:
    """Stands for a frozen dataclass (by its digest) in a pickle that is only digested (never called)."""


def _members(digests: bytes) -> None:
    """Stands for a ``Shown`` (by its members' digests, in order) in a pickle that is only digested."""


def _pickler(sink: _Sink, prints: Fingerprints, root) -> pickle.Pickler:
    """A pickler whose bytes are a function of the values alone: ``SHARED`` objects inside ``root``
    go as references to their digests (looked up by type in C, so the other objects cost nothing
    extra), and without a memo, since with one the bytes depend on which equal values are one
    object (a plan parsed now shares strings with other plans, one from the parse cache does not)."""
    # Looked up in C first: a list page's hundreds of measures were each a Python call here. An id
    # found is a live SHARED object's (all live as long as the pages), so it is that object's.
    made = prints._known.get

    def shared(obj):
        if obj is root:
            return obj.__reduce_ex__(PROTOCOL)
        digest = made(id(obj))
        return _ref, (type(obj).__name__, digest if digest is not None else prints.known(obj))

    def shown(obj):
        digests = list(map(made, map(id, obj)))
        if None not in digests:
            return _members, (b"".join(digests),)
        if all(type(x) in SHARED for x in obj):
            return _members, (b"".join(map(prints.known, obj)),)
        return tuple, (tuple(obj),)

    pickler = pickle.Pickler(sink, protocol=PROTOCOL)
    pickler.fast = True
    pickler.dispatch_table = {**dict.fromkeys(SHARED, shared), Shown: shown,
                              MappingProxyType: lambda m: (dict, (list(m.items()),))}
    return pickler

