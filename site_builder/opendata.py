"""Open data: plans.json, measures.json and measures.csv, consistent with the pages."""
from __future__ import annotations

import csv
import io
import json
import os
from typing import Callable, Iterable, Iterator, Mapping

from .library import Library
from .routes import url_for


def plan_record(lib: Library, plan) -> dict:
    r = plan.region
    return {
        "id": plan.id,
        "title": plan.title,
        "issuer": plan.issuer,
        "region": {"province": r.province, "city": r.city, "county": r.county},
        "date": plan.date,
        "doc_number": plan.doc_number,
        "period": f"{plan.period[0]}-{plan.period[1]}" if plan.period else None,
        "status": lib.status(plan),
        "cites": list(plan.cites),
        "evidence": list(plan.evidence),
        "truncated": plan.truncated,
        "source": plan.source,
        "url": url_for(plan),
    }


def measure_record(entry) -> dict:
    item = entry.item
    return {
        "id": entry.id,
        "plan_id": entry.plan.id,
        "path": list(entry.path),
        "number": item.number,
        "marker": item.marker,
        "kind": item.kind,
        "heading": item.heading,
        "text": item.text,
        "lead_units": [u.name for u in item.lead_units],
        "units": [u.name for u in item.units],
        "departments": sorted({u.canonical for u in item.lead_units + item.units if u.canonical}),
        "amounts": [{"text": a.text, "yuan": a.yuan, "yuan_max": a.yuan_max, "per": a.per, "what": a.what}
                    for a in item.amounts],
        "figures": [{"text": f.text, "kind": f.kind} for f in item.figures],
        "groups": [t.slug for t in entry.tags],
        "group_evidence": {t.slug: list(t.evidence) if t.source == "text" else ["（编辑裁定）"] for t in entry.tags},
        "truncated": item.truncated,
        "source_line": item.span.line,
        "url": url_for(entry),
    }


MEASURES_JSON = "data/measures.json"
MEASURES_CSV = "data/measures.csv"


def files(lib: Library, before: Mapping[str, tuple[int, RecordPlaces]] | None = None,
          placed: dict[str, list[tuple[int, int]]] | None = None) -> dict[str, Iterator[bytes]]:
    """Path → the file's bytes in pieces, made as they are written: at national scale measures.json
    and measures.csv are hundreds of megabytes, and made whole (records, text, bytes) they were the
    build's peak of memory.

    ``before``: for a measures file, an open file descriptor of the one the previous build wrote and
    where each measure's record is in it (``RecordPlaces``): a record of the same entry object is copied
    from there, not made again (serve keeps the entries of unchanged plans from build to build).
    ``placed`` is filled with where each record is in the measures files made now (offset, length,
    in the order of ``lib.entries``), once they are read."""
    before = before or {}
    placed = {} if placed is None else placed
    return {
        "data/plans.json": _json_list(plan_record(lib, p) for p in lib.plans),
        MEASURES_JSON: _spliced(lib.entries, _json_record, b"[", b"\n", b",\n", (b"]\n", b"\n]\n"),
                                before.get(MEASURES_JSON), placed.setdefault(MEASURES_JSON, [])),
        MEASURES_CSV: _spliced(lib.entries, _csv_maker(), _csv_head(), b"", b"", (b"", b""),
                               before.get(MEASURES_CSV), placed.setdefault(MEASURES_CSV, [])),
    }


RecordPlaces = dict[int, tuple[object, int, int]]
"""id of an entry → (the entry, offset, length) of its record in a file (holding the entry keeps
its id from being another's)."""


def _json_record(entry) -> bytes:
    return json.dumps(measure_record(entry), ensure_ascii=False).encode("utf-8")


def _csv_maker() -> Callable[[object], bytes]:
    """A function making an entry's CSV row, one writer for all rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def row(entry) -> bytes:
        buf.seek(0)
        buf.truncate()
        writer.writerow(_csv_row(entry))
        return buf.getvalue().encode("utf-8")
    return row


def _csv_head() -> bytes:
    buf = io.StringIO()
    # A BOM so spreadsheet programs on Chinese Windows open the CSV as UTF-8.
    buf.write("\ufeff")
    csv.writer(buf, lineterminator="\n").writerow(CSV_COLUMNS)
    return buf.getvalue().encode("utf-8")


def _spliced(entries, make: Callable[[object], bytes], head: bytes, first: bytes, between: bytes,
             tails: tuple[bytes, bytes], before: tuple[int, RecordPlaces] | None,
             placed: list[tuple[int, int]]) -> Iterator[bytes]:
    """``head``, each entry's record after ``first`` or ``between``, and ``tails`` (without, with
    records), a megabyte or so at a time; a record ``before`` places is read from its file, runs of
    them one read each (an edit leaves almost all of the file where it was)."""
    fd, old = before if before is not None else (-1, {})
    out = bytearray(head)
    pos = len(head)
    run_from = run_to = -1  # old bytes not yet copied

    def flush() -> Iterator[bytes]:
        """What is gathered, then the old bytes of the pending run."""
        yield bytes(out)
        out.clear()
        at = run_from
        while at < run_to:
            data = os.pread(fd, min(CHUNK, run_to - at), at)
            if not data:
                raise OSError(f"the previous file ended at {at}")
            yield data
            at += len(data)

    for i, e in enumerate(entries):
        sep = first if i == 0 else between
        hit = old.get(id(e))
        if hit is not None and hit[0] is e:
            _e, off, n = hit
            if run_to >= 0 and off == run_to + len(between):
                run_to = off + n  # the separator between them is in the old file too
            else:
                if run_to >= 0:
                    yield from flush()
                out += sep
                run_from, run_to = off, off + n
            pos += len(sep)
            placed.append((pos, n))
            pos += n
            continue
        if run_to >= 0:
            yield from flush()
            run_from = run_to = -1
        data = make(e)
        out += sep
        pos += len(sep)
        placed.append((pos, len(data)))
        out += data
        pos += len(data)
        if len(out) > CHUNK:
            yield bytes(out)
            out.clear()
    if run_to >= 0:
        yield from flush()
    out += tails[1] if entries else tails[0]
    yield bytes(out)


CSV_COLUMNS = ["id", "plan_id", "path", "number", "kind", "heading", "text", "lead_units", "units",
               "amounts", "groups", "url"]
CHUNK = 1 << 20
"""About how many characters (bytes, for the measures files) are gathered before they are handed on."""


def _csv_row(entry) -> list:
    """``CSV_COLUMNS`` of ``measure_record(entry)``, lists joined with 、, None empty. Made from the
    entry, not the record: at 3,000 plans making the records took 4.3 s, and the CSV needs few of
    their fields (tests/site checks that both files say the same)."""
    item = entry.item
    row = (entry.id, entry.plan.id, "、".join(entry.path), item.number, item.kind, item.heading, item.text,
           "、".join(u.name for u in item.lead_units), "、".join(u.name for u in item.units),
           "、".join(a.text for a in item.amounts), "、".join(t.slug for t in entry.tags), url_for(entry))
    return ["" if v is None else v for v in row]


def _json_list(records: Iterable[dict]) -> Iterator[bytes]:
    """A JSON array with one record per line, a record at a time. One line per record keeps a
    file of hundreds of megabytes usable with line tools, and lets ``json`` use its C encoder
    (with ``indent`` it falls back to Python: 17 of the 25 seconds of open data at 3,000 plans)."""
    parts, size, first = ["["], 0, True
    for r in records:
        text = json.dumps(r, ensure_ascii=False)
        parts.append(("\n" if first else ",\n") + text)
        first = False
        size += len(text)
        if size > CHUNK:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("]\n" if first else "\n]\n")
    yield "".join(parts).encode("utf-8")
