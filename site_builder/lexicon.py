"""Loads the editable vocabularies in ``content/``: groups, departments, kinds, regions, words."""
from __future__ import annotations

import csv
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, InputError


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
    """Tokens that, right after a group word, make it name a place or body (创业园, 实训基地)."""

    def department(self, name: str) -> Department:
        return next(d for d in self.departments if d.name == name)

    def group(self, slug: str) -> Group:
        return next(g for g in self.groups if g.slug == slug)

    def canonical_department(self, name: str) -> str | None:
        """The canonical department whose longest alias the printed name ends with."""
        best: tuple[int, str] | None = None
        bare = name.lstrip("▲")
        for dep in self.departments:
            for alias in dep.aliases:
                if bare.endswith(alias) or bare == alias:
                    if best is None or len(alias) > best[0]:
                        best = (len(alias), dep.name)
        return best[1] if best else None

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
    except tomllib.TOMLDecodeError as exc:
        line = _toml_line(str(exc))
        raise InputError(Diagnostic(str(path), line, "error", f"TOML 格式错误：{exc}", "检查引号和括号"))


def _toml_line(msg: str) -> int | None:
    m = re.search(r"line (\d+)", msg)
    return int(m.group(1)) if m else None


def load(content_dir: Path) -> Lexicon:
    """Read every vocabulary file; a malformed file raises InputError pointing at it."""
    g = _load_toml(content_dir / "groups.toml")
    groups = []
    seen = set()
    for i, row in enumerate(g.get("group", [])):
        unknown = set(row) - {"slug", "name", "description", "synonyms", "exclude", "weak"}
        if unknown or not {"slug", "name"} <= set(row):
            raise InputError(Diagnostic(str(content_dir / "groups.toml"), None, "error",
                                        f"第 {i + 1} 个 [[group]] 的字段不对：{sorted(unknown) or '缺少 slug/name'}",
                                        "允许的字段：slug name description synonyms exclude weak"))
        if not re.fullmatch(r"[a-z0-9-]{1,80}", row["slug"]) or row["slug"] in seen:
            raise InputError(Diagnostic(str(content_dir / "groups.toml"), None, "error",
                                        f"slug 无效或重复：{row['slug']}", "只用小写字母、数字和连字符"))
        seen.add(row["slug"])
        synonyms = tuple(row.get("synonyms", []))
        weak = tuple(row.get("weak", []))
        # A weak word is a synonym too: listing it under weak alone is enough.
        groups.append(Group(row["slug"], row["name"], row.get("description", ""),
                            synonyms + tuple(w for w in weak if w not in synonyms),
                            tuple(row.get("exclude", [])), weak))
    d = _load_toml(content_dir / "departments.toml")
    departments = []
    for i, r in enumerate(d.get("department", [])):
        slug = r.get("slug", "")
        if set(r) - {"name", "slug", "aliases"} or not r.get("name") \
                or not re.fullmatch(r"[a-z0-9-]{1,80}", slug) or slug in {x.slug for x in departments}:
            raise InputError(Diagnostic(str(content_dir / "departments.toml"), None, "error",
                                        f"第 {i + 1} 个 [[department]] 不对（须有 name 和不重复的 slug）",
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
                   tuple(tagging.get("not_people_after", ())))


def _load_benefit_types(path: Path) -> tuple[BenefitType, ...]:
    if not path.exists():
        return ()
    out = []
    for i, row in enumerate(_load_toml(path).get("type", [])):
        unknown = set(row) - {"slug", "name", "words"}
        slug = row.get("slug", "")
        if unknown or not re.fullmatch(r"[a-z0-9-]{1,40}", slug) or not row.get("name") \
                or slug in {t.slug for t in out}:
            raise InputError(Diagnostic(str(path), None, "error",
                                        f"第 {i + 1} 个 [[type]] 不对（slug 须为小写字母、数字、连字符且不重复，须有 name）",
                                        "允许的字段：slug name words"))
        out.append(BenefitType(slug, row["name"], tuple(row.get("words", []))))
    return tuple(out)


def _load_places(path: Path) -> tuple[Place, ...]:
    if not path.exists():
        return ()
    places = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
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
    for line in path.read_text(encoding="utf-8").splitlines():
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
