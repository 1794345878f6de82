"""Run a command as a child; append its wall time, CPU time and peak RSS (from wait4) to a JSON-lines file.

    python bench/measure.py OUT.jsonl -- command args…

Why a separate small process: on Linux a child's peak RSS (ru_maxrss) starts from the high-water
mark of the process that spawned it (fork/vfork copies it into the child before exec), so a tool
started straight from a large Python process reports at least that process's peak. Started from
this small wrapper, the floor is this wrapper's few megabytes. Signals are passed on, so a caller
that terminates the wrapper (search.py does when serve stops an index no longer wanted) terminates the tool.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time


def main() -> int:
    out, sep, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    if sep != "--" or not cmd:
        print(__doc__, file=sys.stderr)
        return 2
    child: list[subprocess.Popen] = []

    def forward(signum, _frame):
        if child:
            child[0].send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    began = time.time()
    started = time.perf_counter()
    child.append(subprocess.Popen(cmd))
    _pid, status, usage = os.wait4(child[0].pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    child[0].returncode = code
    with open(out, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"cmd": os.path.basename(cmd[0]), "code": code, "wall": wall, "began": began,
                             "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss}) + "\n")
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
