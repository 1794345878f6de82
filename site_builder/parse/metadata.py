"""Plan metadata from the text: title, issuer, dates, document numbers, period, region."""
from __future__ import annotations

import operator
import re
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterator, Mapping

from ..lexicon import Lexicon, Place
from ..model import Region

# A plan title standing on its own line: it names a kind of plan at its end, optionally followed
# by its period. `关于印发…的通知` is the covering notice, not the plan.
TITLE = re.compile(
    r"^(?!《)(?!.*的通知$)[^。；，,：:]{4,70}?(?:实施方案|工作方案|行动方案|专项行动方案|方案|规划|实施计划|计划|实施意见)"
    r"(?:\s*[（(]?\s*\d{4}\s*[-—–－~至]\s*\d{4}\s*年?\s*[）)]?)?$"
)
# The title run into the first paragraph in flowed PDF text: `…工作方案 为贯彻落实…`.
TITLE_PREFIX = re.compile(r"^([^。；，,：:\s]{4,70}?(?:方案|规划|计划|意见))\s+(?=为|根据|按照|依据|结合)")
PERIOD_LINE = re.compile(r"^[（(]?\s*(\d{4})\s*[-—–－~至]\s*(\d{4})\s*年?\s*[）)]?$")

_BR_OPEN = "〔［\\[【(（"
_BR_CLOSE = "〕］\\]】)）"
DOC_NUMBER = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{1,12}}?)\s*[{_BR_OPEN}]?\s*(?P<year>(?:19|20)\d{{2}})\s*[{_BR_CLOSE}]?\s*"
    r"(?P<no>\d{1,4})\s*号"
)
_DOC_NUMBER_AT = re.compile(
    rf"(?=[\u4e00-\u9fff]\s*[{_BR_OPEN}]?\s*(?:19|20)\d{{2}}\s*[{_BR_CLOSE}]?\s*\d{{1,4}}\s*号)"
)
"""Where a DOC_NUMBER with a one-character org starts: every match has one within its first 12
characters (where its org ends), and one is found by two or three steps per character of text
instead of twelve tries of the org's length."""
_ORG_LEADIN = re.compile(r"^(?:落实|根据|按照|依据|贯彻|执行|印发|参照|对照|结合|见|的|和|及|与)+")
_DOC_DAMAGED = re.compile(r"^(?P<org>[\u4e00-\u9fff]{2,8}?)(?P<year>20\d{2})(?P<no>\d{1,3})$")
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_DAMAGED = re.compile(r"^(?P<y>20\d{2})年(?P<md>\d{3,4})$")
PUBLISHED = re.compile(r"(?:发布日期|发布时间|发文日期)\s*[:：]\s*(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月](?P<d>\d{1,2})")
ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()]{3,40}(?:人民政府|人民政府办公室|人民政府办公厅|办公室|委员会|领导小组|局|厅)(?:文件)?$"
)
FIVE_YEAR = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
             "十五五": (2026, 2030)}
REPEALED = re.compile(r"(?:文件状态|效力状态|时效性)\s*[:：]?\s*(已废止|废止|已失效|失效)")


def normalise_doc_number(org: str, year: str, no: str) -> str:
    return f"{org}〔{year}〕{int(no)}号"


def find_doc_numbers(text: str) -> list[tuple[str, int]]:
    """Document numbers in text, normalised: ``国发 2016 56 号`` → 国发〔2016〕56号, with offsets."""
    out = []
    for m in _doc_number_matches(text):
        org = _ORG_LEADIN.sub("", m.group("org"))
        if len(org) < 1 or not re.search(r"[发府办函字令委政]", org):
            continue
        # `2022年` dates are not document numbers: the year must be bracketed or spaced, not `年`.
        between = text[m.start("year") + 4:m.start("no")]
        if "年" in between:
            continue
        out.append((normalise_doc_number(org, m.group("year"), m.group("no")), m.start()))
    return out


def _doc_number_matches(text: str) -> Iterator[re.Match]:
    """``DOC_NUMBER.finditer(text)``, faster: the leftmost match from ``pos`` starts at most 11
    characters before the first ``_DOC_NUMBER_AT`` from ``pos`` (its org ends there or later), and
    one starts there at the latest."""
    pos = 0
    while (at := _DOC_NUMBER_AT.search(text, pos)) is not None:
        m = DOC_NUMBER.search(text, max(pos, at.start() - 11))
        yield m
        pos = m.end()


def damaged_doc_number(line: str) -> str | None:
    """``洞共富办20226`` — a 文号 whose brackets and 号 were lost: 洞共富办〔2022〕6号."""
    m = _DOC_DAMAGED.match(line.strip())
    if m and re.search(r"[发府办函字委]$", m.group("org")):
        return normalise_doc_number(m.group("org"), m.group("year"), m.group("no"))
    return None


def find_date(line: str) -> str | None:
    """``2022年6月9日`` → 2022-06-09; ``2022年830`` (月/日 lost) → 2022-08-30."""
    m = DATE.search(line)
    if m:
        return _iso(m.group("y"), m.group("m"), m.group("d"))
    m = _DATE_DAMAGED.match(line.strip())
    if m:
        md = m.group("md")
        for cut in ((1,) if len(md) == 3 else (2, 1)):
            mo, d = int(md[:cut]), int(md[cut:])
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return _iso(m.group("y"), str(mo), str(d))
    return None


def _iso(y: str, m: str, d: str) -> str | None:
    mo, da = int(m), int(d)
    if not (1 <= mo <= 12 and 1 <= da <= 31):
        return None
    return f"{int(y):04d}-{mo:02d}-{da:02d}"


def find_period(title: str, intro: str = "") -> tuple[int, int] | None:
    """``（2021-2025年）`` / ``“十三五”`` / ``2022年…计划`` in the title."""
    m = re.search(r"(\d{4})\s*[-—–－~至]\s*(\d{4})", title)
    if m:
        return int(m.group(1)), int(m.group(2))
    for name, span in FIVE_YEAR.items():
        if name in title:
            return span
    m = re.match(r"^(\d{4})\s*年", title)
    if m:
        return int(m.group(1)), int(m.group(1))
    return None


# ---------------------------------------------------------------- regions

_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class _Gazetteer:
    places: tuple[Place, ...]
    by_name: dict[str, list[Place]]
    short: dict[str, list[Place]]
    names: tuple[str, ...]
    """Keys of by_name of two or more characters (one-character names say nothing)."""


_GAZ_CACHE: dict[str, _Gazetteer] = {}
"""The last gazetteer made, for the places it was made of (checked by identity: a new build's
vocabularies replace it, so a long ``serve`` keeps one, not one per build)."""


def _gazetteer(lex: Lexicon) -> _Gazetteer:
    last = _GAZ_CACHE.get("last")
    if last is None or last.places is not lex.places:
        by_name: dict[str, list[Place]] = {}
        short: dict[str, list[Place]] = {}
        for p in lex.places:
            name = p.county or p.city or p.province
            by_name.setdefault(name, []).append(p)
            if not p.county and name:
                for suf in _SUFFIXES:
                    if name.endswith(suf) and len(name) - len(suf) >= 2:
                        short.setdefault(name[: -len(suf)], []).append(p)
                        break
        _GAZ_CACHE["last"] = _Gazetteer(lex.places, by_name, short, tuple(n for n in by_name if len(n) >= 2))
    return _GAZ_CACHE["last"]


@dataclass(frozen=True)
class PlaceMentions:
    """Place names a source text mentions, counted once per file rather than once per plan in it."""

    counts: Mapping[str, int]
    """Gazetteer name (full or without its 省/市 suffix) → times the text mentions it (0 if never)."""
    level_hint: int
    """The level the text speaks of: 3 for 我区/本县, 2 for 我市, else 1."""


def place_mentions(text: str, lex: Lexicon) -> PlaceMentions:
    gaz = _gazetteer(lex)
    mentions: Counter[str] = Counter()
    # Thousands of names against a long text: a name whose first two characters never stand
    # together in the text is not searched for.
    pairs = set(map(operator.add, text, text[1:]))
    for names in (gaz.names, gaz.short):
        for name in names:
            if name[:2] in pairs and name in text:
                mentions[name] += text.count(name)
    level_hint = 3 if re.search(r"[我全本](?:区|县)", text) else 2 if re.search(r"[我全本]市", text) else 1
    return PlaceMentions(MappingProxyType(mentions), level_hint)


def infer_region(title: str, found: PlaceMentions, lex: Lexicon) -> Region:
    """Province / city / county from the title first, then from place names in the text.

    A title place wins; other mentions break ties between places with the same name and supply
    the parent levels of a place the gazetteer does not know (``金普新区`` + ``大连市``).
    """
    gaz = _gazetteer(lex)
    mentions = found.counts

    def places_of(name: str) -> list[Place]:
        return gaz.by_name.get(name, []) + gaz.short.get(name, [])

    def support(p: Place) -> int:
        return sum(mentions[n] + mentions[_strip(n)] for n in (p.province, p.city) if n)

    evidence: list[str] = []
    # 1. places named in the title, most specific first
    title_hits = [n for n in gaz.names if n in title]
    title_hits.sort(key=lambda n: (-len(n), n))
    best: Place | None = None
    for n in title_hits:
        cands = sorted(places_of(n), key=lambda p: (-(bool(p.county)), -support(p), p.code))
        if cands:
            cand = cands[0]
            if best is None or _level(cand) > _level(best):
                best = cand
                evidence.append(f"标题：{n}")
    unknown_local = None
    m = re.match(r"^(?:\d{4}年)?([\u4e00-\u9fff]{2,6}?(?:新区|开发区|高新区|自治县|区|县|旗))", title)
    if m and m.group(1) not in gaz.by_name and (best is None or not best.county):
        unknown_local = m.group(1)
        evidence.append(f"标题：{unknown_local}（地名表中没有）")
    if best is None or (unknown_local and not best.county):
        # 2. the place the text mentions most, at the level the text speaks of
        level_hint = found.level_hint
        if unknown_local:
            level_hint = 2  # the title names the county; the text supplies its city and province
        scored = []
        for name, count in mentions.items():
            for p in places_of(name):
                if _level(p) <= level_hint:
                    scored.append((count + support(p), _level(p), p.code, p, name))
        if scored:
            scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
            best = scored[0][3]
            evidence.append(f"正文提到：{scored[0][4]}（{scored[0][0]} 次）")
    if best is None:
        return Region(None, None, unknown_local, None, tuple(evidence))
    province = best.province or None
    city = best.city or None
    county = best.county or unknown_local
    code = best.code if (best.county or not unknown_local) else None
    return Region(province, city, county, code, tuple(evidence))


def _strip(name: str) -> str:
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def _level(p: Place) -> int:
    return 3 if p.county else 2 if p.city else 1
