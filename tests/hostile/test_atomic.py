"""Atomic output: a build that fails or is killed leaves the previous output/ complete and unchanged."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder import lock, write
from site_builder.diagnostics import InputError
from site_builder.write import Files, write_site

from .support import CORPUS, ROOT, project_args, run_cli, tree_digest


@pytest.fixture()
def previous(built_site, tmp_path) -> Path:
    """A folder holding a complete previous site in output/ and the bundled seeds plus one more
    plan, so a build that got through would visibly change output/."""
    shutil.copytree(built_site, tmp_path / "output")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(CORPUS / "same_title_a.txt", tmp_path / "seeds" / "extra.txt")
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    """What builds left beside output/ (the lock file is meant to stay)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".output.") and p.name != ".output.lock")


def test_template_error_mid_build(previous):
    templates = previous / "templates"
    shutil.copytree(ROOT / "templates", templates)
    plan = templates / "plan.html"
    # Plan pages come after the home, search, list and 404 pages: the build is well under way.
    plan.write_text(plan.read_text(encoding="utf-8").replace("{{ page.title }}</h1>", "{{ plan.no_such }}</h1>"),
                    encoding="utf-8")
    line = next(n for n, l in enumerate(plan.read_text(encoding="utf-8").split("\n"), 1) if "no_such" in l)
    before = tree_digest(previous / "output")
    result = run_cli(["build", "--content", str(ROOT / "content"), "--templates", "templates"], previous)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [finding] = result.stderr.splitlines()
    assert finding.startswith(f"templates/plan.html:{line}: error: 模板出错"), finding
    assert tree_digest(previous / "output") == before
    assert leftovers(previous) == []


def test_failure_while_writing(tmp_path):
    out = tmp_path / "output"
    first = Files()
    first.add("index.html", b"old", "test")
    write_site(first, out, lambda d: None)
    before = tree_digest(out)
    second = Files()
    second.add("index.html", b"new", "test")
    second.add("plans/x/index.html", b"new", "test")

    def fail(site: Path) -> None:
        assert (site / "plans/x/index.html").read_bytes() == b"new"  # written, not yet swapped in
        raise RuntimeError("search index failed")

    with pytest.raises(RuntimeError):
        write_site(second, out, fail)
    assert tree_digest(out) == before
    assert leftovers(tmp_path) == []


def test_swap_without_atomic_exchange(tmp_path, monkeypatch):
    """Where renameat2 is missing the swap is two renames; a build killed between them left the
    previous site aside, and the next build puts it back before anything else."""
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "output"
    files = Files()
    files.add("index.html", b"one", "test")
    write_site(files, out, lambda d: None)
    out.rename(tmp_path / ".output.old-99999")  # as a kill between the renames leaves it
    with pytest.raises(RuntimeError):
        write_site(Files(), out, lambda d: (_ for _ in ()).throw(RuntimeError("fails")))
    assert (out / "index.html").read_bytes() == b"one"
    files = Files()
    files.add("index.html", b"two", "test")
    write_site(files, out, lambda d: None)
    assert (out / "index.html").read_bytes() == b"two"
    assert leftovers(tmp_path) == []


def test_kill_9_mid_build(previous):
    before = tree_digest(previous / "output")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Its own session, so the kill also reaches the Pagefind process it starts.
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build", *project_args()], cwd=previous,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not leftovers(previous) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        assert proc.poll() is None, "the build ended before its temporary folder was seen"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert leftovers(previous), "killed after the swap: nothing was tested"
    assert tree_digest(previous / "output") == before
    # The next build clears what the killed one left and publishes the new plan.
    result = run_cli(["build", "--no-search", *project_args()], previous)
    assert result.returncode == 0, result.stderr
    assert leftovers(previous) == []
    assert tree_digest(previous / "output") != before
    assert "seeds/extra.txt" in (previous / "output/data/plans.json").read_text(encoding="utf-8")


def test_an_output_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    shutil.copy(CORPUS / "same_title_a.txt", project / "seeds")
    (project / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree_digest(project)
    for out in (".", "seeds", "notes.txt"):
        result = run_cli(["build", "--no-search", "--out", out, *project_args()], project)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "不会覆盖" in result.stderr.splitlines()[-1]
        assert tree_digest(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_files_refuses_two_files_at_one_path():
    files = Files()
    files.add("plans/x/index.html", b"a", "seeds/a.txt:1")
    with pytest.raises(InputError) as exc:
        files.add("plans/x/index.html", b"b", "seeds/b.txt:1")
    assert str(exc.value.diagnostic).startswith("seeds/b.txt:1: error: 两个页面要写到同一路径 plans/x/index.html")
    assert "seeds/a.txt:1" in str(exc.value.diagnostic)


def test_a_spare_with_a_file_where_the_site_has_a_folder_and_the_other_way_round(tmp_path):
    spare = tmp_path / "spare"
    (spare / "b").mkdir(parents=True)
    (spare / "a").write_bytes(b"a file")
    (spare / "b" / "index.html").write_bytes(b"b page")
    (spare / "c" / "d").mkdir(parents=True)
    (spare / "c" / "d" / "old.html").write_bytes(b"gone")
    out = tmp_path / "output"
    root = write.staging(out, spare)
    assert not spare.exists() and root.is_dir()
    files = Files(root, None, None, tmp_path / "next-spare")
    assert files.updating
    files.add("a/index.html", b"a page", "test")
    files.add("b", b"b file", "test")
    write_site(files, out, lambda d: None)
    assert tree_digest(out) == tree_digest_of({"a/index.html": b"a page", "b": b"b file"}, tmp_path / "expected")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["a", "a/index.html", "b"]


def tree_digest_of(files: dict[str, bytes], folder: Path) -> str:
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return tree_digest(folder)


def test_a_second_build_into_the_same_folder_waits_for_the_first(previous):
    """Without the lock, the second build deleted the first one's staging folder (it took it for
    one a killed build left) while the first's workers were still writing into it."""
    before = tree_digest(previous / "output")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with lock.exclusive(previous / "output"):  # the first build, still running
        proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--no-search", *project_args()],
                                cwd=previous, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            said = proc.stderr.readline()  # blocks until the build says something, or ends
            assert "另一个构建正在使用 output" in said, said
            time.sleep(0.5)
            assert proc.poll() is None
            assert leftovers(previous) == [] and tree_digest(previous / "output") == before
        except BaseException:
            proc.kill()
            raise
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "seeds/extra.txt" in (previous / "output/data/plans.json").read_text(encoding="utf-8")
    assert leftovers(previous) == []


def test_builds_sharing_a_cache_wait_for_each_other(tmp_path):
    """Two output folders, one cache: the spare site in the cache is one build's at a time."""
    cache = tmp_path / ".cache"
    with lock.exclusive(tmp_path / "a", cache):
        proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--no-search", "--seeds",
                                 str(ROOT / "seeds"), "--out", "b", *project_args()], cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            said = proc.stderr.readline()
            assert "另一个构建正在使用 .cache" in said, said
            assert not (tmp_path / "b").exists()
        except BaseException:
            proc.kill()
            raise
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (tmp_path / "b/index.html").is_file()


@pytest.mark.parametrize("command", [["archive", "site.zip"], ["check", "--site", "output"]])
def test_reading_a_site_whole_waits_for_a_build_writing_it(previous, command):
    """archive and check --site read every file of output/: not while a build swaps it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with lock.exclusive(previous / "output"):
        proc = subprocess.Popen([sys.executable, "-m", "site_builder", *command], cwd=previous, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            said = proc.stderr.readline()
            assert "另一个构建正在使用 output" in said, said
            time.sleep(0.3)
            assert proc.poll() is None
        except BaseException:
            proc.kill()
            raise
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 1), err  # check --site exits 1 on findings; waiting is what is tested


def test_a_site_on_read_only_media_is_read_without_a_lock(tmp_path, monkeypatch):
    """No lock file can be made beside an unpacked archive on read-only media: read it anyway."""
    def refused(*args, **kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(lock.os, "open", refused)
    read = []
    with lock.reading(tmp_path / "output"):
        read.append(True)
    assert read == [True]
