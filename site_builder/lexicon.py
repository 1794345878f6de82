"""Loads the editable vocabularies in ``content/``: groups, departments, kinds, regions, words."""
from __future__ import annotations

import csv
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostic, InputError, toml_error_line


@dataclass(frozen=True)
class Group:
    """A group of people measures can be for."""

    slug: str
    """Stable URL and data key (``migrant-workers``)."""
    name: str
    """Display name (农民工)."""
    description: str
    """One plain-language line."""
    synonyms: tuple[str, ...]
    """Words that tag a measure with this group."""
    exclude: tuple[str, ...]
    """Longer words containing a synonym that must not trigger it."""
    weak: tuple[str, ...] = ()
    """Synonyms that are also topics (创业, 职工): alone they count only when used twice or in
    the heading; with another synonym of the group they count as usual."""


@dataclass(frozen=True)
class BenefitType:
    """A kind of help (补贴/资金, 贷款/金融 …) group pages can be filtered by."""

    slug: str
    """Stable URL part (``subsidy``)."""
    name: str
    """Display name (补贴/资金)."""
    words: tuple[str, ...]
    """A measure whose text contains one of these has the type."""


@dataclass(frozen=True)
class Department:
    """A department gathered across regions."""

    name: str
    """Canonical name (人力资源和社会保障部门)."""
    aliases: tuple[str, ...]
    """Endings of printed names that mean this department."""
    slug: str = ""
    """Stable URL part of its page (``hrss``)."""


@dataclass(frozen=True)
class Place:
    """One row of the gazetteer."""

    code: str
    province: str
    city: str
    county: str


@dataclass(frozen=True)
class Lexicon:
    """Every vocabulary the pipeline reads, loaded once per build."""

    groups: tuple[Group, ...]
    """Groups in file order."""
    departments: tuple[Department, ...]
    """Canonical departments."""
    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    """(kind, heading words) in the order they are checked."""
    places: tuple[Place, ...]
    """The gazetteer of administrative divisions."""
    words: tuple[tuple[str, int], ...]
    """Domain words for jieba with their frequencies."""
    benefit_types: tuple[BenefitType, ...] = ()
    """Kinds of help, in file order (``content/benefit_types.toml``)."""
    not_people_after: tuple[str, ...] = ()
    """Tokens that, right after a group word, make it name a body or an industry (协会, 托养), not people."""

    def department(self, name: str) -> Department:
        return next(d for d in self.departments if d.name == name)

    def group(self, slug: str) -> Group:
        return next(g for g in self.groups if g.slug == slug)

    def canonical_department(self, name: str) -> str | None:
        """The canonical department whose longest alias the printed name ends with (of two with
        one alias, the first in the file)."""
        bare = name.lstrip("▲")
        by_alias = self._by_alias
        for k in range(min(len(bare), self._longest_alias), 0, -1):
            dep = by_alias.get(bare[-k:])
            if dep is not None:
                return dep
        return by_alias.get("")

    @cached_property
    def _by_alias(self) -> dict[str, str]:
        # Looked up by the name's endings, longest first: every printed department name of every
        # plan went through every alias of every department (34 µs a name).
        table: dict[str, str] = {}
        for dep in self.departments:
            for alias in dep.aliases:
                table.setdefault(alias, dep.name)
        return table

    @cached_property
    def _longest_alias(self) -> int:
        return max(map(len, self._by_alias), default=0)

    def kind_for_heading(self, title: str) -> str | None:
        for kind, words in self.kinds:
            if any(w in title for w in words):
                return kind
        return None


def _load_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(Diagnostic(str(path), None, "error", "缺少词表文件", "从项目仓库恢复该文件"))
    except UnicodeDecodeError:
        raise InputError(Diagnostic(str(path), None, "error", "不是 UTF-8 文本", "用 UTF-8 编码保存该文件"))
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc)
        raise InputError(Diagnostic(str(path), line, "error", f"TOML 格式错误：{exc}", "检查引号和括号"))


def _row_line(path: Path, table: str, index: int) -> int | None:
    """Line of the ``index``-th ``[[table]]`` header (tomllib keeps no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    seen = -1
    for no, line in enumerate(lines, 1):
        if re.match(rf"\s*\[\[\s*{re.escape(table)}\s*\]\]", line):
            seen += 1
            if seen == index:
                return no
    return None


def _rows(data: dict, table: str, path: Path) -> list[dict]:
    """The ``[[table]]`` rows of a file, refusing any other shape with a diagnostic."""
    rows = data.get(table, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError(Diagnostic(str(path), None, "error", f"{table} 应写成一组 [[{table}]] 表",
                                    f"每一项以 [[{table}]] 开头"))
    return rows


def _text(row: dict, key: str, where: tuple[Path, int | None], required: bool = True) -> str:
    value = row.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InputError(Diagnostic(str(where[0]), where[1], "error", f"{key} 应为非空的文字：{value!r}",
                                    f'例如 {key} = "…"'))
    return value


def _word_list(row: dict, key: str, where: tuple[Path, int | None]) -> tuple[str, ...]:
    """A list of non-empty words; a bare string or an empty word is an error (a bare "渔村" would
    otherwise become the single characters 渔 and 村)."""
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise InputError(Diagnostic(str(where[0]), where[1], "error", f"{key} 应为词语列表，且不能有空词：{value!r}",
                                    f'例如 {key} = ["词一", "词二"]'))
    return tuple(w.strip() for w in value)



def load(content_dir: Path) -> Lexicon:
    """Read every vocabulary file; a malformed file raises InputError pointing at it."""
    gpath = content_dir / "groups.toml"
    g = _load_toml(gpath)
    groups = []
    seen = set()
    for i, row in enumerate(_rows(g, "group", gpath)):
        where = (gpath, _row_line(gpath, "group", i))
        unknown = set(row) - {"slug", "name", "description", "synonyms", "exclude", "weak"}
        if unknown or not {"slug", "name"} <= set(row):
            raise InputError(Diagnostic(str(gpath), where[1], "error",
                                        f"第 {i + 1} 个 [[group]] 的字段不对：{sorted(unknown) or '缺少 slug/name'}",
                                        "允许的字段：slug name description synonyms exclude weak"))
        slug = _text(row, "slug", where)
        if not re.fullmatch(r"[a-z0-9-]{1,80}", slug) or slug in seen:
            raise InputError(Diagnostic(str(gpath), where[1], "error",
                                        f"slug 无效或重复：{slug}", "只用小写字母、数字和连字符"))
        seen.add(slug)
        _text(row, "name", where)
        _text(row, "description", where, required=False)
        synonyms = _word_list(row, "synonyms", where)
        weak = _word_list(row, "weak", where)
        exclude = _word_list(row, "exclude", where)
        # A weak word is a synonym too: listing it under weak alone is enough.
        groups.append(Group(slug, row["name"], row.get("description", ""),
                            synonyms + tuple(w for w in weak if w not in synonyms),
                            exclude, weak))
    dpath = content_dir / "departments.toml"
    d = _load_toml(dpath)
    departments = []
    for i, r in enumerate(_rows(d, "department", dpath)):
        where = (dpath, _row_line(dpath, "department", i))
        slug = _text(r, "slug", where)
        _text(r, "name", where)
        _word_list(r, "aliases", where)
        if set(r) - {"name", "slug", "aliases"} or not re.fullmatch(r"[a-z0-9-]{1,80}", slug) \
                or slug in {x.slug for x in departments} or r["name"] in {x.name for x in departments}:
            raise InputError(Diagnostic(str(dpath), where[1], "error",
                                        f"第 {i + 1} 个 [[department]] 不对（须有不重复的 name 和 slug）",
                                        "允许的字段：name slug aliases；slug 只用小写字母、数字和连字符"))
        departments.append(Department(r["name"], tuple(r.get("aliases", [])), slug))
    departments = tuple(departments)
    k = _load_toml(content_dir / "kinds.toml").get("kinds", {})
    kinds = tuple((kind, tuple(words)) for kind, words in k.items())
    places = _load_places(content_dir / "regions.csv")
    words = _load_words(content_dir / "words.txt")
    benefit_types = _load_benefit_types(content_dir / "benefit_types.toml")
    tagging = _load_toml(content_dir / "tagging.toml") if (content_dir / "tagging.toml").exists() else {}
    unknown = set(tagging) - {"not_people_after"}
    if unknown:
        raise InputError(Diagnostic(str(content_dir / "tagging.toml"), None, "error",
                                    f"不认识的项：{'、'.join(sorted(unknown))}", "允许的项：not_people_after"))
    return Lexicon(tuple(groups), departments, kinds, places, words, benefit_types,
                   _word_list(tagging, "not_people_after", (content_dir / "tagging.toml", None)))


def _load_benefit_types(path: Path) -> tuple[BenefitType, ...]:
    if not path.exists():
        return ()
    out = []
    for i, row in enumerate(_rows(_load_toml(path), "type", path)):
        where = (path, _row_line(path, "type", i))
        unknown = set(row) - {"slug", "name", "words"}
        slug = _text(row, "slug", where)
        _text(row, "name", where)
        if unknown or not re.fullmatch(r"[a-z0-9-]{1,40}", slug) or slug in {t.slug for t in out}:
            raise InputError(Diagnostic(str(path), where[1], "error",
                                        f"第 {i + 1} 个 [[type]] 不对（slug 须为小写字母、数字、连字符且不重复，须有 name）",
                                        "允许的字段：slug name words"))
        out.append(BenefitType(slug, row["name"], _word_list(row, "words", where)))
    return tuple(out)


def _load_places(path: Path) -> tuple[Place, ...]:
    if not path.exists():
        return ()
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(Diagnostic(str(path), None, "error", "不是 UTF-8 文本", "用 UTF-8 编码保存该文件"))
    places = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "province", "city", "county"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(Diagnostic(str(path), 1, "error", f"缺少列：{'、'.join(sorted(missing))}",
                                        "第一行应为 code,province,city,county"))
        for r in reader:
            # The code becomes part of plan ids and region URLs: digits only, so it is a safe path.
            if not re.fullmatch(r"[0-9]{6,12}", r.get("code") or ""):
                raise InputError(Diagnostic(str(path), reader.line_num, "error", f"行政区划代码无效：{r.get('code')!r}",
                                            "代码只能是 6 到 12 位数字"))
            places.append(Place(r["code"], r["province"], r["city"], r["county"]))
    return tuple(places)


def _load_words(path: Path) -> tuple[tuple[str, int], ...]:
    if not path.exists():
        return ()
    out = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(Diagnostic(str(path), None, "error", "不是 UTF-8 文本", "用 UTF-8 编码保存该文件"))
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        out.append((parts[0], int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 50000))
    return tuple(out)


_TOKENIZERS: dict[tuple, object] = {}


def tokenizer(lex: Lexicon):
    """A jieba tokenizer with the domain words and every group synonym added, quiet, one per
    vocabulary: a word removed from content/ must not linger in a long-running ``serve``, whose
    later builds would then cut text differently from a fresh process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    key = (lex.words, tuple(g.synonyms for g in lex.groups), tuple(g.exclude for g in lex.groups))
    if key not in _TOKENIZERS:
        tok = jieba.Tokenizer()
        for word, freq in lex.words:
            tok.add_word(word, freq)
        for group in lex.groups:
            for word in group.synonyms + group.exclude:
                tok.add_word(word, 50000 + 100 * len(word))
        _TOKENIZERS.clear()  # one vocabulary at a time: the old one is not coming back
        _TOKENIZERS[key] = tok
    return _TOKENIZERS[key]
