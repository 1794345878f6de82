"""Open data: plans.json, measures.json and measures.csv, consistent with the pages."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Iterator

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


def files(lib: Library) -> dict[str, Iterator[bytes]]:
    """Path → the file's bytes in pieces, made as they are written: at national scale measures.json
    and measures.csv are hundreds of megabytes, and made whole (records, text, bytes) they were the
    build's peak of memory."""
    return {
        "data/plans.json": _json_list(plan_record(lib, p) for p in lib.plans),
        "data/measures.json": _json_list(measure_record(e) for e in lib.entries),
        "data/measures.csv": _csv(lib.entries),
    }


CSV_COLUMNS = ["id", "plan_id", "path", "number", "kind", "heading", "text", "lead_units", "units",
               "amounts", "groups", "url"]
CHUNK = 1 << 20
"""About how many characters are gathered before they are handed on as bytes."""


def _csv(entries: Iterable) -> Iterator[bytes]:
    buf = io.StringIO()
    # A BOM so spreadsheet programs on Chinese Windows open the CSV as UTF-8.
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        w.writerow(_csv_row(e))
        if buf.tell() > CHUNK:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


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
