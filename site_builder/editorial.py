"""Editors' corrections to plan metadata and overrides of measure groups, read from ``content/``."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import Report, toml_error_line
from .lexicon import Lexicon
from .model import Plan, Region
from .parse.metadata import find_doc_numbers

PLAN_FIELDS = ("title", "issuer", "date", "doc_number", "period", "region", "status", "cites")
"""Plan metadata an editor may correct."""

STATUSES = ("已废止", "已失效", "")
"""What ``status`` may say: repealed, lapsed, or empty to clear a status read from the source."""


@dataclass(frozen=True)
class Correction:
    """One corrected metadata field of one plan."""

    seed: str
    """Stem of the seed file the plan comes from (``000_a07863f6e5f64879``)."""
    plan: int
    """1-based position of the plan in that file."""
    field: str
    """One of PLAN_FIELDS."""
    value: object
    """The corrected value, already checked (str, list of str, or (first, last) years)."""
    file: str
    """The editor's file as shown in messages (``content/corrections/x.toml``)."""
    line: int | None
    """Its line, when found."""

    @property
    def where(self) -> str:
        return _where(self.file, self.line)


@dataclass(frozen=True)
class Override:
    """An editor's decision about the groups of one measure."""

    measure: str
    """Measure id as in ``data/measures.json`` (``330305-1a2b3c4d#m-2-1-3``)."""
    add: tuple[str, ...]
    """Group slugs the measure gets whatever the text says."""
    remove: tuple[str, ...]
    """Group slugs the measure never gets."""
    note: str
    """Why, in the editor's words (shown in the build summary)."""
    file: str
    """The editor's file as shown in messages (``content/overrides.toml``)."""
    line: int | None
    """Its line, when found."""

    @property
    def where(self) -> str:
        return _where(self.file, self.line)


@dataclass(frozen=True)
class Edit:
    """An applied correction or override, one line of the build summary."""

    where: str
    """The editor's file and line."""
    target: str
    """Plan or measure it changed."""
    change: str
    """What changed, e.g. ``date: 2022-08 → 2022-08-30``."""

    def __str__(self) -> str:
        return f"{self.where}: {self.target}：{self.change}"


def _where(file: str, line: int | None) -> str:
    return f"{file}:{line}" if line else file


def _line_of(text: str, pattern: str, after: int = 0) -> int | None:
    """Line of the first ``pattern`` match at or after line ``after`` (tomllib keeps no positions)."""
    for no, line in enumerate(text.splitlines(), 1):
        if no >= after and re.match(pattern, line.strip()):
            return no
    return None


def _read_toml(path: Path, display: str, report: Report) -> tuple[dict, str] | None:
    try:
        text = path.read_text(encoding="utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError:
        report.add(display, None, "error", "不是 UTF-8 文本，已忽略", "用 UTF-8 编码保存")
    except tomllib.TOMLDecodeError as exc:
        report.add(display, toml_error_line(exc), "error", f"TOML 格式错误，已忽略整个文件：{exc}",
                   "检查引号、等号和方括号")
    return None


def load_corrections(content: Path, display_root: str, lex: Lexicon, report: Report) -> tuple[Correction, ...]:
    """Every ``content/corrections/<seed stem>.toml``; a bad key or value is reported and skipped."""
    folder = content / "corrections"
    out: list[Correction] = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        display = f"{display_root}/corrections/{path.name}"
        read = _read_toml(path, display, report)
        if read is None:
            continue
        data, text = read
        for table, fields_ in data.items():
            m = re.fullmatch(r"plan(\d+)", table)
            tline = _line_of(text, rf"\[\s*{re.escape(table)}\s*\]")
            if not m or not isinstance(fields_, dict):
                report.add(display, tline or _line_of(text, re.escape(table)), "error",
                           f"不认识的表 {table!r}，已忽略", "用 [plan1] 表示文件中的第一个方案，[plan2] 第二个")
                continue
            for key, value in fields_.items():
                line = _line_of(text, rf"{re.escape(key)}\s*=", tline or 0)
                checked = _check_field(key, value, lex)
                if isinstance(checked, _Problem):
                    report.add(display, line, "error", f"{key}：{checked.message}，本项更正未采用", checked.hint)
                    continue
                out.append(Correction(path.stem, int(m.group(1)), key, checked, display, line))
    return tuple(out)


@dataclass(frozen=True)
class _Problem:
    message: str
    hint: str


def _check_field(key: str, value, lex: Lexicon):
    if key not in PLAN_FIELDS:
        return _Problem(f"不能更正的字段 {key!r}", "可更正的字段：" + " ".join(PLAN_FIELDS))
    if key == "cites":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _Problem("应为文号列表", '例如 cites = ["国发〔2016〕56号"]')
        numbers = [_doc_number(v) for v in value]
        if None in numbers:
            return _Problem(f"看不懂的文号：{value[numbers.index(None)]!r}", "写成 国发〔2016〕56号")
        return tuple(numbers)
    if not isinstance(value, str):
        return _Problem("应为带引号的文字", f'例如 {key} = "…"')
    if key == "date" and value and not _real_date(value):
        return _Problem(f"日期格式不对：{value!r}", "写成 YYYY-MM-DD、YYYY-MM 或 YYYY，且是真实存在的日期")
    if key == "title" and not value.strip():
        return _Problem("标题不能为空", "写出方案的完整标题")
    if any(ord(c) < 32 for c in value):
        return _Problem("含有控制字符", "删去换行、制表符等不可见字符")
    if key == "period":
        if value == "":
            return None
        m = re.fullmatch(r"(\d{4})-(\d{4})", value)
        if not m or int(m.group(1)) > int(m.group(2)):
            return _Problem(f"期限格式不对：{value!r}", '写成 "2022-2025"')
        return (int(m.group(1)), int(m.group(2)))
    if key == "status" and value not in STATUSES:
        return _Problem(f"状态只能是 已废止、已失效 或空：{value!r}", "到期与否按方案期限自动判断，无需填写")
    if key == "region":
        region = _region(value, lex)
        if region is None:
            return _Problem(f"在 regions.csv 中找不到地区 {value!r}", "写行政区划代码（如 330305）或完整名称（如 浙江省温州市洞头区）")
        return region
    if key == "doc_number" and value:
        number = _doc_number(value)
        return number or _Problem(f"看不懂的文号：{value!r}", "写成 洞政办发〔2022〕37号")
    return value or None


def _real_date(value: str) -> bool:
    import datetime as dt
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return False
    try:
        dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return False
    return True


def _doc_number(text: str) -> str | None:
    found = find_doc_numbers(text)
    return found[0][0] if len(found) == 1 else None


def _region(value: str, lex: Lexicon) -> Region | None:
    for pl in lex.places:
        full = "".join(dict.fromkeys(x for x in (pl.province, pl.city, pl.county) if x))
        if value in (pl.code, full):
            return Region(pl.province or None, pl.city or None, pl.county or None, pl.code,
                          (f"编辑更正：{value}",))
    return None


def correct(plans: list[Plan], corrections: tuple[Correction, ...], report: Report) -> tuple[list[Plan], list[Edit]]:
    """Apply corrections: they win over what was parsed. A correction for no plan is an error."""
    by_seed: dict[str, list[Plan]] = {}
    sources: dict[str, set[str]] = {}
    for p in plans:
        by_seed.setdefault(Path(p.source).stem, []).append(p)
        sources.setdefault(Path(p.source).stem, set()).add(p.source)
    fixes: dict[int, list[Correction]] = {}
    edits: list[Edit] = []
    for c in corrections:
        if len(sources.get(c.seed, ())) > 1:
            report.add(c.file, c.line, "error",
                       f"有多个源文件都叫 {c.seed}（{'、'.join(sorted(sources[c.seed]))}），不知道更正哪一个，更正未采用",
                       "给其中一个源文件改名")
            continue
        seed_plans = by_seed.get(c.seed, [])
        if not 1 <= c.plan <= len(seed_plans):
            report.add(c.file, c.line, "error",
                       f"没有对应的方案：{c.seed} 中第 {c.plan} 个方案，更正未采用",
                       f"文件名应与 seeds/ 中的文件同名；该文件有 {len(seed_plans)} 个方案")
            continue
        fixes.setdefault(id(seed_plans[c.plan - 1]), []).append(c)
    out = []
    for p in plans:
        for c in fixes.get(id(p), ()):
            before = _show(c.field, _current(p, c.field))
            p = _apply(p, c)
            edits.append(Edit(c.where, f"{p.source}《{p.title}》", f"{c.field}: {before} → {_show(c.field, c.value)}"))
        out.append(p)
    return out, edits


def _current(p: Plan, field_: str):
    return {"status": p.status_note, "region": p.region}.get(field_, getattr(p, field_, None))


def _show(field_: str, value) -> str:
    if value is None or value == "" or value == ():
        return "（空）"
    if field_ == "period":
        return f"{value[0]}-{value[1]}"
    if field_ == "region":
        return value.full_name
    if field_ == "cites":
        return "、".join(value)
    return str(value)


def _apply(p: Plan, c: Correction) -> Plan:
    evidence = p.evidence + (f"{c.field}：编辑更正（{c.where}）",)
    if c.field == "status":
        return replace(p, status_note=c.value, evidence=evidence)
    return replace(p, **{c.field: c.value}, evidence=evidence)


def load_overrides(content: Path, display_root: str, lex: Lexicon, report: Report) -> tuple[Override, ...]:
    """``content/overrides.toml``: ``[[override]]`` tables with measure, add, remove, note."""
    path = content / "overrides.toml"
    display = f"{display_root}/overrides.toml"
    if not path.exists():
        return ()
    read = _read_toml(path, display, report)
    if read is None:
        return ()
    data, text = read
    slugs = {g.slug for g in lex.groups}
    out = []
    after = 0
    for key in data:
        if key != "override":
            report.add(display, _line_of(text, re.escape(key)), "error", f"不认识的项 {key!r}，已忽略",
                       "每条写成 [[override]]，含 measure、add、remove、note")
    rows = data.get("override", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        report.add(display, _line_of(text, r"\[?\s*override|override\s*="), "error",
                   "override 应写成一组 [[override]] 表（两层方括号），全部未采用",
                   "每条以 [[override]] 开头，含 measure、add、remove、note")
        rows = []
    for row in rows:
        line = _line_of(text, r"\[\[\s*override\s*\]\]", after + 1)
        after = line or after
        problems = []
        unknown = set(row) - {"measure", "add", "remove", "note"}
        if unknown:
            problems.append(f"不认识的字段 {'、'.join(sorted(unknown))}")
        measure = row.get("measure")
        if not isinstance(measure, str) or "#m-" not in measure:
            problems.append("measure 应为条目编号，如 \"330305-1a2b3c4d#m-2-1-3\"（见 data/measures.json 的 id）")
        lists = {}
        for k in ("add", "remove"):
            v = row.get(k, [])
            if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
                problems.append(f"{k} 应为人群 slug 列表")
                v = []
            bad = [s for s in v if s not in slugs]
            if bad:
                problems.append(f"不认识的人群 {'、'.join(bad)}")
            lists[k] = tuple(s for s in v if s in slugs)
        both = set(lists.get("add", ())) & set(lists.get("remove", ()))
        if both:
            problems.append(f"同一人群既要加又要去：{'、'.join(sorted(both))}")
        if problems:
            report.add(display, line, "error", "；".join(problems) + "，本条未采用", "人群 slug 见 content/groups.toml")
            continue
        out.append(Override(measure, lists["add"], lists["remove"], str(row.get("note", "")), display, line))
    return tuple(out)
