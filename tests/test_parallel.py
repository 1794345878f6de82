"""Parallel builds: the same bytes whatever the number of workers; progress drawn only in a terminal."""
from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import pytest

from site_builder import parallel, progress
from site_builder.build import Paths, build
from site_builder.diagnostics import Diagnostic, InputError

ROOT = Path(__file__).resolve().parent.parent


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_workers_write_the_same_site_as_one(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # five seeds would otherwise parse in-process
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    one = build(Paths(seeds, ROOT / "content", tmp_path / "one", ROOT / "templates"), index=False, jobs=1)
    two = build(Paths(seeds, ROOT / "content", tmp_path / "two", ROOT / "templates"), index=False, jobs=2)
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert [str(d) for d in one.report.sorted()] == [str(d) for d in two.report.sorted()]
    assert one.pages == two.pages > 100


def test_page_digests_made_by_two_workers_are_those_one_makes(tmp_path, monkeypatch):
    # Plans and measures are digested before rendering, spread over the workers in parts.
    import json

    from site_builder import fingerprint
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(fingerprint, "WARM_CHUNK", 16)
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    digests = []
    for jobs in (1, 2):
        cache = tmp_path / f"cache{jobs}"
        build(Paths(seeds, ROOT / "content", tmp_path / f"out{jobs}", ROOT / "templates"), index=False, jobs=jobs,
              cache_dir=cache)
        digests.append(json.loads((cache / "output.json").read_text(encoding="utf-8"))["pages"])
    assert digests[0] == digests[1] and len(digests[0]) > 100
    assert _tree(tmp_path / "out1") == _tree(tmp_path / "out2")


def _fail(item, shared):
    if item == 5:
        raise InputError(Diagnostic("seeds/x.txt", 12, "error", "坏了", "修好它"))
    return item * shared


def test_workers_keep_order_and_hand_back_input_errors_whole(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    assert list(parallel.run(_fail, list(range(5)), 3, 2)) == [0, 3, 6, 9, 12]
    try:
        list(parallel.run(_fail, list(range(10)), 3, 2))
    except InputError as exc:
        assert str(exc.diagnostic) == str(Diagnostic("seeds/x.txt", 12, "error", "坏了", "修好它"))
    else:
        raise AssertionError("the worker's InputError was lost")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _pid_times(shared):
    if shared == "fail":
        raise InputError(Diagnostic("templates/x.html", 3, "error", "坏了", "修好它"))
    if shared == "sleep":
        time.sleep(60)
    return os.getpid(), shared * 2


def test_a_background_job_runs_in_its_own_process_and_hands_back_input_errors_whole():
    pid, value = parallel.Background(_pid_times, 21, 2).result()
    assert value == 42 and pid != os.getpid()
    assert parallel.Background(_pid_times, 21, 1).result() == (os.getpid(), 42)  # one job: here
    try:
        parallel.Background(_pid_times, "fail", 2).result()
    except InputError as exc:
        assert str(exc.diagnostic) == "templates/x.html:3: error: 坏了（修好它）"
    else:
        raise AssertionError("the job's InputError was lost")


def test_a_background_job_is_stopped_when_the_build_fails_elsewhere():
    job = parallel.Background(_pid_times, "sleep", 2)
    started = time.monotonic()
    job.stop()
    assert time.monotonic() - started < 10
    assert not job._process.is_alive() and job._process.exitcode is not None


def test_a_progress_bar_is_drawn_in_a_terminal_and_never_in_ci(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "REDRAW", 0.0)
    monkeypatch.delenv("CI", raising=False)
    shown = _Terminal()
    p = progress.Progress(shown)
    assert list(p.over("生成页面", range(4), 4)) == [0, 1, 2, 3]
    assert "生成页面 [" in shown.getvalue() and "4/4" in shown.getvalue()
    assert shown.getvalue().endswith("\r\033[K")  # the bar is wiped when the step ends
    assert [name for name, _ in p.timings] == ["生成页面"]

    monkeypatch.setenv("CI", "true")
    quiet = _Terminal()
    p = progress.Progress(quiet)
    list(p.over("生成页面", range(4), 4))
    with p.step("写出"):
        pass
    assert quiet.getvalue() == ""
    assert [name for name, _ in p.timings] == ["生成页面", "写出"]

    nested = progress.Progress()
    with nested.step("写出"):
        with nested.step("搜索索引"):
            time.sleep(0.05)
    (inner, t_inner), (outer, t_outer) = nested.timings
    assert (inner, outer) == ("搜索索引", "写出") and t_inner >= 0.05 > t_outer  # not counted twice

    monkeypatch.delenv("CI")
    piped = io.StringIO()  # a log file, not a terminal
    list(progress.Progress(piped).over("生成页面", range(4), 4))
    assert piped.getvalue() == ""


def test_a_build_failing_in_the_background_leaves_no_worker_behind(tmp_path, monkeypatch):
    import multiprocessing

    from site_builder import feeds

    def broken(*args):
        raise InputError(Diagnostic("content/site.toml", 1, "error", "坏了", "修好它"))

    monkeypatch.setattr(feeds, "files", broken)
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    try:
        build(Paths(seeds, ROOT / "content", tmp_path / "out", ROOT / "templates"), index=False, jobs=2)
    except InputError as exc:
        assert str(exc.diagnostic) == "content/site.toml:1: error: 坏了（修好它）"
    else:
        raise AssertionError("the background job's error was lost")
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir() if p.name != ".out.lock"] == ["seeds"]


def test_a_page_list_failing_stops_the_search_for_similar_measures(tmp_path, monkeypatch):
    import multiprocessing

    from site_builder import library, routes

    def slow(self, jobs=1):
        time.sleep(30)
        return []

    def broken(*args):
        raise InputError(Diagnostic("content/site.toml", 1, "error", "坏了", "修好它"))

    monkeypatch.setattr(library.Similar, "find", slow)
    monkeypatch.setattr(routes, "pages", broken)
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    started = time.monotonic()
    with pytest.raises(InputError):
        build(Paths(seeds, ROOT / "content", tmp_path / "out", ROOT / "templates"), index=False, jobs=2)
    assert multiprocessing.active_children() == [] and time.monotonic() - started < 20


def _gone(pid: int) -> bool:
    """Ended (a zombie nobody reaps has ended too: it holds no file, and so no lock)."""
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def test_workers_end_with_a_build_killed_mid_way():
    """Killed with SIGKILL, a build's workers waited for ever on a pipe their siblings held open,
    holding the build's lock: the next build waited for them too."""
    import signal
    import subprocess
    import sys

    # One write per line (a pipe write this small is never split): print writes the number and
    # the line end apart when Python runs unbuffered, and two workers' lines then interleave.
    script = ("import os, time\n"
              "from site_builder import parallel\n"
              "def slow(item, shared):\n"
              "    os.write(1, b'%d\\n' % os.getpid())\n"
              "    time.sleep(0.5 if item else 60)\n"
              "done = parallel.Background(lambda shared: time.sleep(60), None, 2)\n"
              "os.write(1, b'%d\\n' % done._process.pid)\n"
              "for _ in parallel.run(slow, list(range(8)), None, 2):\n"
              "    pass\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        children: set[int] = set()
        while len(children) < 3:  # the background process and both workers
            children.add(int(proc.stdout.readline()))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    while not all(map(_gone, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(map(_gone, children)), [pid for pid in children if not _gone(pid)]


def test_pagefind_ends_with_a_build_killed_mid_way(tmp_path):
    """Pagefind is a program of its own (no fork of the build): killed, the build left it writing
    into a staging folder the next build, no longer locked out, was free to remove."""
    import signal
    import subprocess
    import sys

    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")
    fake.chmod(0o755)
    script = ("import sys\n"
              "from pathlib import Path\n"
              "from site_builder import search\n"
              "run, _said = search._start(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[2]) / 'out')\n"
              "print(run.pid, flush=True)\n"
              "run.wait()\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(fake), str(tmp_path)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        program = int(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    while not _gone(program) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(program)
