"""Feed Pagefind the search records over its service protocol instead of as files; time it.

Run from the project root, after ``site-builder build --no-search --out SITE``:
    .venv/bin/python bench/pagefind_records.py SITE [--no-sort] [--no-filters]

The issue asked whether handing Pagefind its records through its Python API beats writing them as
small HTML files for it to read (what ``search.index_site`` does). The API's ``add_custom_record``
cannot be used as it is: its reader sleeps 0.1 s before reading each answer, so 250,000 records
would take seven hours. This script speaks the same protocol (base64 JSON messages ending in ``,``,
on the binary's stdin and stdout, as ``pagefind/service/__init__.py`` does) and sends every
``AddRecord`` at once before waiting for the answers, then ``WriteFiles`` — the fastest the API's
protocol allows. It prints wall time and Pagefind's CPU time and peak RSS (``os.wait4``), to
compare with ``bench/pagefind_index.py`` over the same site. ``--no-sort`` and ``--no-filters``
leave out the record's sort key or filters, to see what each costs. The index goes to a temporary
folder and is removed.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Service:
    """Pagefind's ``--service`` mode: requests go out as written, answers are collected by a thread."""

    def __init__(self, binary: Path):
        self.proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.answers: dict[int, dict] = {}
        self.arrived = threading.Condition()
        self.last = 0
        self.ended = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        rest = b""
        while chunk := self.proc.stdout.read1(1 << 20):
            *messages, rest = (rest + chunk).split(b",")
            with self.arrived:
                for m in messages:
                    answer = json.loads(base64.b64decode(m))
                    payload = answer["payload"]
                    key = answer.get("message_id")
                    if key is None and payload.get("original_message"):  # a message it could not parse
                        key = json.loads(payload["original_message"]).get("message_id")
                    self.answers[key] = payload
                self.arrived.notify_all()
        with self.arrived:  # Pagefind exited: nothing more will come
            self.ended = True
            self.arrived.notify_all()

    def send(self, payload: dict) -> int:
        self.last += 1
        message = {"message_id": self.last, "payload": payload}
        self.proc.stdin.write(base64.b64encode(json.dumps(message, ensure_ascii=False).encode()) + b",")
        return self.last

    def wait(self, message_id: int) -> dict:
        self.proc.stdin.flush()
        with self.arrived:
            self.arrived.wait_for(lambda: message_id in self.answers or self.ended, timeout=3600)
        if message_id not in self.answers:
            raise SystemExit(f"Pagefind exited or stopped answering before message {message_id}")
        answer = self.answers[message_id]
        if answer.get("type") == "Error":
            raise SystemExit(f"Pagefind: {answer.get('message')}")
        return answer

    def close(self):
        self.proc.stdin.close()
        _pid, _status, usage = os.wait4(self.proc.pid, 0)
        return usage


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--no-sort", action="store_true")
    ap.add_argument("--no-filters", action="store_true")
    args = ap.parse_args(argv)
    from pagefind.service import get_executable

    from site_builder import search

    load = os.getloadavg()[0]
    started = time.perf_counter()
    records = search.records(search.read_offline_index(args.site))
    binary = get_executable()
    if binary is None:
        raise SystemExit("no Pagefind binary: pip install 'pagefind[extended]'")
    service = Service(binary)
    index = service.wait(service.send({"type": "NewIndex", "config": {"force_language": search.LANGUAGE}}))["index_id"]
    last = 0
    for r in records:
        last = service.send({
            "type": "AddRecord", "index_id": index, "url": "/" + r.file, "content": r.content,
            "language": search.LANGUAGE, "meta": {"heading": r.heading} if r.heading else {},
            "filters": {} if args.no_filters else {k: [v] for k, v in r.filters},
            "sort": {} if args.no_sort else {"order": f"{r.order:0{search.ORDER_WIDTH}d}"}})
    for message_id in range(last, 1, -1):  # every answer, so no record is still being added
        service.wait(message_id)
    added = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pagefind-records-bench-") as folder:
        service.wait(service.send({"type": "WriteFiles", "index_id": index, "output_path": folder}))
        files = sum(len(f) for _d, _s, f in os.walk(folder))
    usage = service.close()
    wall = time.perf_counter() - started
    print(json.dumps({
        "records": len(records), "sort": not args.no_sort, "filters": not args.no_filters, "load": round(load, 2),
        "total_wall": round(wall, 1), "adding_wall": round(added - started, 1),
        "pagefind_cpu": round(usage.ru_utime + usage.ru_stime, 1), "pagefind_rss_mb": usage.ru_maxrss // 1024,
        "index_files": files}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
