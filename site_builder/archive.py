"""The built site as a reproducible zip to open from disk: same site, same bytes."""
from __future__ import annotations

import datetime as dt
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .diagnostics import Diagnostic, InputError

EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
"""The first moment a zip timestamp can hold, and the one used without SOURCE_DATE_EPOCH."""
LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.timezone.utc)
FILE_MODE = 0o100644
"""Regular file, rw-r--r--, whatever the modes in the site folder were."""


@dataclass(frozen=True)
class Archived:
    """What ``archive`` wrote."""

    files: int
    size: int


def timestamp() -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH (clamped to what a zip can hold), else 1980-01-01 00:00:00."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = EARLIEST
    if epoch.isdigit():
        moment = min(max(dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc), EARLIEST), LATEST)
    # Zip times have two-second steps; round down so the stored time is the one we chose.
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second - moment.second % 2)


def members(site: Path, display: str) -> list[tuple[str, Path]]:
    """(member name, file) for every file under ``site``, sorted by name; names checked safe."""
    out: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(site):
        dirs.sort()
        for name in names:
            path = Path(folder) / name
            rel = path.relative_to(site).as_posix()
            if path.is_symlink() or not path.is_file():
                _fail(display, f"{rel} 不是普通文件（符号链接或设备）", "压缩包只收普通文件")
            if not rel.isascii() or not rel.isprintable() or "\\" in rel:
                _fail(display, f"文件名不是 ASCII：{rel}", "网站里的路径应只用 ASCII 字符，检查 slug 和方案 id")
            if ".." in rel.split("/") or rel.startswith("/"):
                _fail(display, f"路径越界：{rel}")
            out.append((rel, path))
    return sorted(out)


def write(site: Path, zip_path: Path, display: str) -> Archived:
    """Zip ``site`` into ``zip_path``: sorted entries, one fixed time and mode, deflate level 9."""
    if not (site / "index.html").is_file():
        _fail(display, "这里没有生成好的网站（缺少 index.html）", "先运行 site-builder build，或用 --site 指定网站文件夹")
    if zip_path.resolve().is_relative_to(site.resolve()):
        _fail(display, f"压缩包 {zip_path} 不能写在网站文件夹里", "换一个输出位置")
    files = members(site, display)
    when = timestamp()
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_name(f".{zip_path.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for name, path in files:
                info = zipfile.ZipInfo(name, date_time=when)
                info.create_system = 3  # Unix, so external_attr carries the mode
                info.external_attr = FILE_MODE << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=9)
        os.replace(tmp, zip_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Archived(len(files), zip_path.stat().st_size)


def _fail(display: str, message: str, hint: str = "") -> NoReturn:
    raise InputError(Diagnostic(display, None, "error", message, hint))
