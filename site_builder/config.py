"""Site configuration: one dataclass read from ``content/site.toml``; unknown keys are errors."""
from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from .diagnostics import Diagnostic, InputError, toml_error_line


@dataclass(frozen=True)
class Config:
    """Everything about the site that is not a plan or a vocabulary."""

    title: str = "居民增收政策导航"
    """Site name, shown in every page header and <title>."""
    description: str = "把各地居民增收方案按人群、地区和部门整理成一处，方便群众查找与自己有关的政策。"
    """One sentence on the home page and in meta descriptions."""
    base_url: str = ""
    """Absolute URL where the site is published (for sitemap.xml and feeds); empty when unknown."""
    today: str = ""
    """Date plans are judged against (YYYY-MM-DD); empty means SOURCE_DATE_EPOCH, else the build day."""
    organizer: str = ""
    """主办单位 shown in the footer."""
    site_code: str = ""
    """网站标识码 shown in the footer."""
    language: str = "zh-CN"
    """Page language."""

    def today_date(self) -> dt.date:
        if self.today:
            return dt.date.fromisoformat(self.today)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        return dt.date.today()


def load(path: Path) -> Config:
    """Read the config; every problem is reported at once in one InputError."""
    if not path.exists():
        return Config()
    display = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Diagnostic(display, toml_error_line(exc), "error",
                                    f"TOML 格式错误：{exc}", "检查引号和等号"))
    known = {f.name: f for f in fields(Config)}
    problems = []
    for key, value in raw.items():
        if key not in known:
            problems.append(f"未知配置项 {key!r}")
        elif not isinstance(value, str):
            problems.append(f"{key} 应为字符串")
    today = raw.get("today", "")
    if isinstance(today, str) and today:
        try:
            dt.date.fromisoformat(today)
        except ValueError:
            problems.append(f"today 应为 YYYY-MM-DD：{today!r}")
    base = raw.get("base_url", "")
    if isinstance(base, str) and base and not re.match(r"^https?://", base):
        problems.append(f"base_url 应以 http:// 或 https:// 开头：{base!r}")
    if problems:
        raise InputError(Diagnostic(display, None, "error", "；".join(problems),
                                    "允许的配置项：" + " ".join(known)))
    return Config(**raw)
