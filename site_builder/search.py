"""Search index: Pagefind (extended binary, which segments Chinese) run over the written site."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from .diagnostics import Diagnostic, InputError


def _run(coro):
    """asyncio.run, also from code that already runs an event loop (a thread of its own then)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def index_site(site_dir: Path) -> int:
    """Index every page that marks a ``data-pagefind-body``; returns the number of pages indexed."""
    logging.getLogger("pagefind").setLevel(logging.WARNING)
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:  # pragma: no cover - installation problem
        raise InputError(Diagnostic("pagefind", None, "error", f"无法导入 Pagefind：{exc}",
                                    "运行 pip install 'pagefind[extended]'"))

    async def run() -> int:
        config = IndexConfig(output_path=str(site_dir / "pagefind"))
        async with PagefindIndex(config=config) as index:
            result = await index.add_directory(str(site_dir))
            return int(result.get("page_count", 0))

    try:
        return _run(run())
    except FileNotFoundError as exc:
        raise InputError(Diagnostic("pagefind", None, "error", f"找不到 Pagefind 程序：{exc}",
                                    "运行 pip install 'pagefind[extended]'"))
