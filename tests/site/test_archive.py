"""``site-builder archive``: a reproducible zip of the built site, refusing names that are unsafe."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from site_builder import archive
from site_builder.cli import main


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_archive_holds_the_site_byte_for_byte_in_sorted_order(built_site, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    z = tmp_path / "site.zip"
    assert main(["archive", str(z), "--site", str(built_site)]) == 0
    with zipfile.ZipFile(z) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {n: zf.read(n) for n in names} == _files(built_site)
    for i in infos:
        assert i.filename.isascii() and ".." not in i.filename.split("/") and not i.filename.startswith("/")
        assert i.date_time == (1980, 1, 1, 0, 0, 0), (i.filename, i.date_time)
        assert i.external_attr >> 16 == 0o100644, (i.filename, oct(i.external_attr >> 16))
        assert i.create_system == 3 and i.compress_type == zipfile.ZIP_DEFLATED


def test_archive_is_reproducible_and_follows_source_date_epoch(built_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    archive.write(built_site, a, "a.zip")
    copy = tmp_path / "copy"
    shutil.copytree(built_site, copy)  # new mtimes and inode order must not change the bytes
    (copy / "index.html").chmod(0o600)
    archive.write(copy, b, "b.zip")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def _tiny_site(root: Path) -> Path:
    site = root / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    return site


@pytest.mark.parametrize("bad", ["数据.txt", "sub/a b\u00e9.html"])
def test_a_non_ascii_name_is_a_one_line_error(tmp_path, capsys, bad):
    site = _tiny_site(tmp_path)
    (site / bad).write_text("x", encoding="utf-8")
    assert main(["archive", str(tmp_path / "s.zip"), "--site", str(site)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and ": error: " in err and "ASCII" in err, err
    assert not (tmp_path / "s.zip").exists()


def test_a_folder_without_a_site_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["archive", str(tmp_path / "s.zip"), "--site", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "index.html" in err, err


def test_the_zip_may_not_be_written_inside_the_site(tmp_path, capsys):
    site = _tiny_site(tmp_path)
    assert main(["archive", str(site / "s.zip"), "--site", str(site)]) == 2
    assert ": error: " in capsys.readouterr().err
    assert not (site / "s.zip").exists()


def test_every_internal_link_names_a_file_so_it_opens_from_disk(built_site):
    """From file:// a link to a folder shows a directory listing, not its index.html."""
    from tests.site.test_site import html_pages, is_external, parse, resolve
    bad = []
    for page in html_pages(built_site):
        for tag, href in parse(built_site, page).refs:
            if is_external(href) or href.startswith(("#", "mailto:", "tel:", "data:")):
                continue
            target, _frag = resolve(page, href)
            if target.endswith("/") or not (built_site / target).is_file():
                bad.append(f"{page}: <{tag}> {href!r}")
    assert not bad, f"{len(bad)} links that do not name a file:\n" + "\n".join(bad[:20])
