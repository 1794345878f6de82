"""Synthetic corpus for the benchmark: N plans recombined from the seed items, with seed-like damage.

Run from the project root:
    .venv/bin/python bench/make_corpus.py --n 300 --seed 1 --out bench/out/corpus-300 [--markdown DIR]

How a plan is made (deterministic for a given --seed and seeds/):
- The seeds are parsed with the project's own parser. A synthetic plan takes one seed plan as its
  skeleton (chapters, sections, their kinds), then rebuilds every run of items: items are kept or
  replaced by items of the same marker type and kind from any seed, and each run is scaled by a
  per-plan factor, so lengths spread around the seeds' (29–105 items, 16–84 KB per file).
- Regions: an invented county (name checked against content/regions.csv: neither it nor any
  gazetteer name inside it exists) under a real city and province. Real parents keep the region
  tree as wide as a national archive's (31 provinces, hundreds of cities); invented counties keep
  synthetic text from being attributed to a real county government. Seed place names in the
  recombined text are replaced by the plan's own. A few plans name an invented city (the parser
  can only find the province) or no place at all (it reports that it cannot tell) — both
  degrade with a diagnostic, as real inputs do.
- Layout and damage copy the seeds: flowed PDF text with line counters, page numbers inside
  sentences and spaces inside words (000); a covering notice (001); saved web pages with
  navigation, damaged dates and 文号 (002, 003); blank-line paragraphs with full-width brackets
  and a wrapped title (004). On top: soft wraps, markers that lost a bracket or their number,
  headings run into their text, files cut off mid-item, GB18030 + CRLF and BOMs.
- ``--markdown DIR`` also writes every plan, undamaged, as Markdown with front matter (title,
  province, city) for MkDocs and Hugo: ``DIR/<province>/<name>.md``.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder import lexicon  # noqa: E402
from site_builder.diagnostics import Report  # noqa: E402
from site_builder.model import Item, Node, Plan, Section, Unit  # noqa: E402
from site_builder.parse import parse_source  # noqa: E402
from site_builder.parse.blocks import int_to_cn  # noqa: E402
from site_builder.read import find_sources, read_source  # noqa: E402

# Province abbreviations used in document numbers (黔府发, 粤府 …).
PROVINCE_ABBR = {
    "北京": "京", "天津": "津", "河北": "冀", "山西": "晋", "内蒙古": "蒙", "辽宁": "辽", "吉林": "吉",
    "黑龙江": "黑", "上海": "沪", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽", "江西": "赣",
    "山东": "鲁", "河南": "豫", "湖北": "鄂", "湖南": "湘", "广东": "粤", "广西": "桂", "海南": "琼",
    "重庆": "渝", "四川": "川", "贵州": "黔", "云南": "云", "西藏": "藏", "陕西": "陕", "甘肃": "甘",
    "青海": "青", "宁夏": "宁", "新疆": "新",
}
# Characters invented place names are made of.
SYLLABLES = ("青川石河山安平宁丰泉桥林岭溪湾阳源池塘坪岗峰江沙田松柏桃梅兰云霞星龙凤鹤鹿金玉珠"
             "富康乐寿福禄兴盛和顺泰永长东西南北中上古清明朗原芦苇荷柳杉枫榆槐樟竹茶")
SUFFIXES = ("县", "县", "县", "区", "区", "新区")
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def short_name(name: str) -> str:
    """``贵州省`` → 贵州, ``大连市`` → 大连, ``洞头区`` → 洞头."""
    for suf in PROVINCE_SUFFIXES + ("新区", "自治州", "地区", "盟", "州", "区", "县", "旗"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


# ------------------------------------------------------------------ seeds

@dataclass(frozen=True)
class Origin:
    """A seed plan's place names, to be replaced in text taken from it."""

    province: str | None
    city: str | None
    county: str | None


@dataclass(frozen=True)
class Pool:
    """Everything recombination draws from."""

    skeletons: tuple[tuple[Plan, Origin], ...]
    items: dict  # (marker type, kind) → list of (Item, Origin)
    titles: dict  # (depth, kind) → list of (title, Origin)
    national_cites: tuple[str, ...]


def marker_type(marker: str) -> str:
    if marker.startswith("专栏"):
        return "col"
    if marker == "——":
        return "dash"
    if marker.endswith("、"):
        return "cn"
    if marker.startswith("（") and marker[1:2].isdigit():
        return "pnum"
    if marker.startswith("（"):
        return "pcn"
    return "num"


def load_pool(seeds_dir: Path, lex) -> Pool:
    skeletons = []
    items: dict = {}
    titles: dict = {}
    cites: list[str] = []
    for path in find_sources(seeds_dir):
        report = Report()
        source = read_source(path, path.name, report)
        if source is None:
            continue
        for m in re.finditer(r"《(国务院[^《》]{6,60})》\s*[（(]\s*(国发|国办发)\s*〔?\s*(\d{4})\s*〕?\s*(\d{1,3})\s*号\s*[）)]",
                             source.text):
            cite = f"《{m.group(1)}》（{m.group(2)}〔{m.group(3)}〕{m.group(4)}号）"
            if cite not in cites:
                cites.append(cite)
        for plan in parse_source(source, lex, report):
            origin = Origin(plan.region.province, plan.region.city, plan.region.county)
            skeletons.append((plan, origin))

            def walk(nodes, depth):
                for n in nodes:
                    if isinstance(n, Section):
                        titles.setdefault((depth, n.kind), []).append((n.title, origin))
                        walk(n.children, depth + 1)
                    else:
                        items.setdefault((marker_type(n.marker), n.kind), []).append((n, origin))

            walk(plan.body, 0)
    if not skeletons:
        raise SystemExit(f"{seeds_dir}: no seed plans to recombine")
    return Pool(tuple(skeletons), items, titles, tuple(cites))


# ------------------------------------------------------------------ regions

@dataclass(frozen=True)
class Target:
    """Where a synthetic plan says it is from."""

    mode: str
    """``county`` (invented county, real city and province), ``city`` (invented city, real
    province) or ``none`` (no place named)."""
    province: str
    city: str
    county: str
    """The invented name for ``county`` mode; empty otherwise."""

    @property
    def local(self) -> str:
        """The name the plan's own government goes by."""
        return self.county or self.city

    @property
    def level_char(self) -> str:
        """Prefix of its departments (县人力资源社会保障局 …)."""
        if self.mode == "county":
            return "区" if self.county.endswith("区") else "县"
        return "市"


def invent_names(rng: random.Random, lex, count: int, suffixes) -> list[str]:
    known = {n for p in lex.places for n in (p.province, p.city, p.county) if n}
    known |= {short_name(n) for p in lex.places for n in (p.province, p.city) if n}
    taken = set(known)
    out: list[str] = []
    tries = 0
    while len(out) < count and tries < count * 200:
        tries += 1
        name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(suffixes)
        core = name[:2]
        if name in taken or core[0] == core[1]:
            continue
        # Neither a gazetteer name nor a short province/city name may stand inside it, or region
        # inference would count the invented name as a mention of a real place.
        if any(name[a:b] in known for a in range(len(name)) for b in range(a + 2, len(name) + 1)):
            continue
        taken.add(name)
        out.append(name)
    return out


def make_targets(rng: random.Random, lex, n: int) -> list[Target]:
    cities = [(p.province, p.city) for p in lex.places if p.city and not p.county]
    provinces = sorted({p.province for p in lex.places if p.province})
    # A county usually publishes more than one plan: about 0.6 counties per plan.
    counties = invent_names(rng, lex, max(1, math.ceil(n * 0.6)), SUFFIXES)
    city_names = invent_names(rng, lex, max(1, n // 10), ("市",))
    county_home = {c: rng.choice(cities) for c in counties}
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.85:
            county = rng.choice(counties)
            province, city = county_home[county]
            out.append(Target("county", province, city, county))
        elif r < 0.95:
            out.append(Target("city", rng.choice(provinces), rng.choice(city_names), ""))
        else:
            out.append(Target("none", "", "", ""))
    return out


class Substitution:
    """Replaces a seed plan's place names (and its level words) with the target's."""

    def __init__(self, origin: Origin, target: Target):
        pairs: dict[str, str] = {}
        generic = target.mode == "none"
        if origin.county:
            pairs[origin.county] = "本县" if generic else target.local
            if len(short_name(origin.county)) >= 2:
                pairs[short_name(origin.county)] = "本地" if generic else short_name(target.local)
        if origin.city:
            city = target.city if target.mode == "county" else target.local
            pairs[origin.city] = "本市" if generic else city
            pairs[short_name(origin.city)] = "本市" if generic else short_name(city)
        if origin.province:
            pairs[origin.province] = "本省" if generic else target.province
            pairs[short_name(origin.province)] = "本省" if generic else short_name(target.province)
        self.pairs = pairs
        keys = sorted(pairs, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        self.level = target.level_char
        # 我区 / 全区 / 区委 / 区政府 → the target's own level.
        self.level_words = re.compile(r"(?<=[我全本])(?:新区|区|县|市)|(?:新区|区|县)(?=委|政府|人民政府|级)")

    def text(self, s: str | None) -> str | None:
        if not s:
            return s
        if self.pattern is not None:
            s = self.pattern.sub(lambda m: self.pairs[m.group(0)], s)
        return self.level_words.sub(self.level, s)

    def unit(self, u: Unit) -> Unit:
        name = self.text(u.name) or u.name
        name = re.sub(r"^(?:新区|区|县|市)(?=[\u4e00-\u9fff]{2})", self.level, name)
        return replace(u, name=name)

    def item(self, it: Item) -> Item:
        return replace(
            it, heading=self.text(it.heading), text=self.text(it.text) or "",
            lead_units=tuple(self.unit(u) for u in it.lead_units),
            units=tuple(self.unit(u) for u in it.units),
            children=tuple(self.item(c) for c in it.children),
            table=tuple(self.text(c) or c for c in it.table),
        )


# ------------------------------------------------------------------ composition

@dataclass(frozen=True)
class Synthetic:
    """A composed plan, before layout."""

    name: str
    """File name without suffix."""
    title: str
    target: Target
    issuer: str
    date: tuple[int, int, int]
    doc_number: tuple[str, int, int]
    """(organ, year, number) of its covering notice."""
    opening: str
    body: tuple[Node, ...]


def _year_of(title: str, default: int) -> int:
    m = re.search(r"(20\d{2})\s*年", title)
    if m:
        return int(m.group(1))
    if "十三五" in title:
        return 2017
    if "十四五" in title:
        return 2021
    return default


def compose(rng: random.Random, pool: Pool, target: Target, name: str) -> Synthetic:
    skeleton, origin = rng.choice(pool.skeletons)
    sub = Substitution(origin, target)
    # Lengths: a log-normal factor around the skeleton's own length, clipped to sane bounds.
    scale = min(2.4, max(0.45, rng.lognormvariate(0.0, 0.4)))
    swap = rng.uniform(0.3, 0.9)

    def take(kind_key, fallback: Item) -> Item:
        cands = pool.items.get(kind_key)
        if not cands or rng.random() > swap:
            return sub.item(fallback)
        it, o = rng.choice(cands)
        return Substitution(o, target).item(it)

    def rebuild(nodes, depth):
        out = []
        run: list[Item] = []

        def flush():
            if not run:
                return
            mtype = marker_type(run[0].marker)
            if mtype == "col":
                out.extend(sub.item(i) for i in run)
            else:
                length = max(1, round(len(run) * scale + rng.uniform(-0.5, 0.5)))
                for j in range(length):
                    model = run[j % len(run)]
                    out.append(take((mtype, model.kind), model))
            run.clear()

        for n in nodes:
            if isinstance(n, Item) and (not run or marker_type(n.marker) == marker_type(run[0].marker)):
                run.append(n)
                continue
            flush()
            if isinstance(n, Item):
                run.append(n)
                continue
            title = n.title
            cands = pool.titles.get((depth, n.kind))
            if cands and depth > 0 and rng.random() < 0.3:
                title, o = rng.choice(cands)
                title = Substitution(o, target).text(title)
            else:
                title = sub.text(title)
            out.append(replace(n, title=title or n.title, intro=sub.text(n.intro) or "",
                               children=tuple(rebuild(n.children, depth + 1))))
        flush()
        return out

    body = renumber(tuple(rebuild(skeleton.body, 0)), global_items=rng.random() < 0.35)
    # Plans of a five-year period are issued early in it; dated plans any year up to 2025.
    base = _year_of(skeleton.title, 2018)
    year = min(2025, base + (rng.randint(0, 1) if "五”" in skeleton.title else rng.randint(0, 4)))
    title = sub.text(skeleton.title) or skeleton.title
    title = re.sub(r"^20\d{2}(?=年)", str(year), title)
    if target.mode == "county" and target.county not in title:
        # A title that names no place (seed 004) is usually prefixed by the county that issues it.
        title = target.county + title if rng.random() < 0.6 else title
    if target.mode == "county" and target.city in title and rng.random() < 0.7:
        title = title.replace(target.city, "")  # 温州市洞头区… is the exception, not the rule
    issuer = f"{target.local or ''}人民政府办公室" if target.mode != "none" else "人民政府办公室"
    date = (year, rng.randint(1, 12), rng.randint(1, 28))
    organ = (short_name(target.local)[:1] if target.local else "") + rng.choice(("政办发", "政发", "政办"))
    opening = make_opening(rng, pool, target, year)
    return Synthetic(name, title, target, issuer, date, (organ, year, rng.randint(1, 120)), opening, body)


def make_opening(rng: random.Random, pool: Pool, target: Target, year: int) -> str:
    parts = []
    if pool.national_cites and rng.random() < 0.8:
        parts.append(rng.choice(pool.national_cites))
    if target.province:
        p_short = short_name(target.province)
        abbr = PROVINCE_ABBR.get(p_short, p_short[:1])
        # One provincial plan per province and year: every county of a province cites the same one.
        no = int(hashlib.sha1(f"{target.province}{year}".encode()).hexdigest(), 16) % 60 + 1
        parts.append(f"《{target.province}人民政府关于印发{p_short}促进城乡居民增收行动方案的通知》（{abbr}政发〔{year - 1}〕{no}号）")
    if target.mode == "county":
        c_short = short_name(target.city)
        no = int(hashlib.sha1(f"{target.city}{year}".encode()).hexdigest(), 16) % 90 + 1
        parts.append(f"《{target.city}人民政府关于印发{c_short}促进城乡居民增收实施方案的通知》（{c_short[:1]}政发〔{year}〕{no}号）")
    cited = "、".join(parts[:-1]) + ("和" if len(parts) > 1 else "") + parts[-1] if parts else "党中央、国务院决策部署"
    level = target.level_char
    return (f"为贯彻落实{cited}精神，切实提高全{level}城乡居民收入，增强人民群众的获得感、幸福感，"
            f"结合我{level}实际，制定本方案。")


def renumber(body: tuple[Node, ...], global_items: bool) -> tuple[Node, ...]:
    """Markers from each node's position: 一、 （一） 1. （1） —— 专栏N, as the seeds print them."""
    columns = [0]
    items = [0]

    def mark(mtype: str, n: int) -> tuple[str, str]:
        if mtype == "cn":
            return f"{int_to_cn(n)}、", int_to_cn(n)
        if mtype == "pcn":
            return f"（{int_to_cn(n)}）", int_to_cn(n)
        if mtype == "pnum":
            return f"（{n}）", str(n)
        if mtype == "dash":
            return "——", "——"
        return f"{n}.", str(n)

    def walk(nodes, top):
        counters: dict[str, int] = {}
        out = []
        for node in nodes:
            mtype = marker_type(node.marker)
            if mtype == "col":
                columns[0] += 1
                marker, number = f"专栏{columns[0]}", str(columns[0])
            elif mtype == "num" and global_items and isinstance(node, Item) and not top:
                items[0] += 1
                marker, number = mark(mtype, items[0])
            else:
                counters[mtype] = counters.get(mtype, 0) + 1
                marker, number = mark(mtype, counters[mtype])
            node = replace(node, marker=marker, number=number, children=tuple(walk(node.children, False)))
            out.append(node)
        return out

    return tuple(walk(body, True))


# ------------------------------------------------------------------ layout and damage

STYLES = ("pdf", "notice", "web", "plain")
STYLE_WEIGHTS = (0.2, 0.3, 0.3, 0.2)
TERMINAL = "。；;！？!?）)”"


@dataclass(frozen=True)
class Damage:
    """How damaged one plan's text is."""

    rate: float
    lost_open_bracket: bool
    """Every （一） printed as 一) (seed 003)."""
    truncate: bool


def units_suffix(style: str, it: Item, first_rule: list[bool]) -> str:
    lead = [u.name for u in it.lead_units]
    others = [u.name for u in it.units]
    if not lead and not others:
        return ""
    if style == "pdf":
        s = f"(牵头单位: {' 、 '.join(lead or others[:1])} "
        rest = others if lead else others[1:]
        return s + (f";配合单位: {'、 '.join(rest)})" if rest else ")")
    if style == "notice":
        return f"(责任单位:{'、'.join(lead + others)}等)"
    if style == "web":
        s = f"(牵头单位:{'、'.join(lead or others[:1])}"
        rest = others if lead else others[1:]
        return s + (f",责任单位:{'、'.join(rest)})" if rest else ")")
    names = "、".join(lead + others)
    if not first_rule[0]:
        first_rule[0] = True
        return f"（{names}负责，列第一位的为牵头单位，下同）"
    return f"（{names}负责）"


def style_marker(style: str, marker: str) -> str:
    if style == "plain":
        return marker + (" " if marker.endswith(".") else "")
    if style == "pdf" and re.fullmatch(r"\d+\.", marker):
        return marker[:-1] + " "  # bare item numbers of flowed PDF text
    return marker.replace("（", "(").replace("）", ")")


def paragraphs(syn: Synthetic, style: str, rng: random.Random, dmg: Damage) -> list[tuple[str, str]]:
    """(kind, text) for every printed paragraph of the plan body, damage to markers applied."""
    out: list[tuple[str, str]] = []
    first_rule = [False]

    def marker_of(node) -> str:
        m = style_marker(style, node.marker)
        if marker_type(node.marker) == "pcn":
            if dmg.lost_open_bracket or rng.random() < dmg.rate:
                m = m.lstrip("(（")  # 一)指导思想
            elif isinstance(node, Section) and rng.random() < dmg.rate / 4:
                m = m[:1]  # (加强… — the number lost
        return m

    def body_text(it: Item) -> str:
        text = it.text.strip()
        if text and text[-1] not in TERMINAL:
            text += "。"
        if it.heading:
            sep = "" if style in ("web", "plain") and rng.random() < dmg.rate * 2 else "。"
            text = it.heading + sep + text if text else it.heading + "。"
        return text + units_suffix(style, it, first_rule)

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Section):
                if marker_type(n.marker) == "col":
                    head = f"{n.marker}{':' if style == 'web' else ' '}{n.title}"
                else:
                    head = marker_of(n) + n.title
                if n.intro and style == "web":
                    out.append(("heading", head + "。" + n.intro))
                else:
                    out.append(("heading", head))
                    if n.intro:
                        out.append(("para", n.intro))
                walk(n.children)
            else:
                if n.table:
                    out.append(("heading", f"{n.marker}{':' if style == 'web' else ' '}{n.heading or ''}"))
                    out.extend(("cell", c) for c in n.table)
                    continue
                if marker_type(n.marker) == "col":
                    out.append(("item", f"{n.marker}:{n.heading or ''}"))
                    if n.text:
                        out.append(("para", n.text))
                else:
                    out.append(("item", marker_of(n) + body_text(n)))
                walk(n.children)

    walk(syn.body)
    return out


def soft_wrap(rng: random.Random, text: str, rate: float) -> list[str]:
    """A long line broken mid-sentence, as extractors do."""
    if len(text) < 70 or rng.random() >= rate:
        return [text]
    for _ in range(5):
        cut = rng.randint(40, len(text) - 10)
        if text[cut - 1] not in TERMINAL + "：:" and not text[cut].isdigit():
            return [text[:cut], text[cut:]]
    return [text]


def fmt_date(d: tuple[int, int, int]) -> str:
    return f"{d[0]}年{d[1]}月{d[2]}日"


def _has_table(nodes) -> bool:
    return any((isinstance(n, Item) and n.table) or _has_table(n.children) for n in nodes)


def render_txt(syn: Synthetic, rng: random.Random) -> tuple[str, str]:
    """(text, style) of one plan file."""
    style = rng.choices(STYLES, STYLE_WEIGHTS)[0]
    if style == "pdf" and _has_table(syn.body):
        style = "web"  # the flowed-PDF seed has no tables; a flowed table is noise, not damage
    dmg = Damage(rate=rng.uniform(0.0, 0.08), lost_open_bracket=rng.random() < 0.08,
                 truncate=rng.random() < 0.03)
    paras = paragraphs(syn, style, rng, dmg)
    if dmg.truncate and len(paras) > 10:
        cut = rng.randint(len(paras) * 3 // 4, len(paras) - 1)
        kind, text = paras[cut]
        paras = paras[:cut] + [(kind, text[: max(8, len(text) * rng.randint(2, 8) // 10)])]
    if style == "pdf":
        return render_pdf(syn, paras, rng), style
    lines: list[str] = []
    blank = style in ("web", "plain")
    if style == "notice":
        lines += [f"各乡(镇)人民政府、街道办事处，{syn.target.level_char}人民政府各部门、各直属机构：",
                  f"《{syn.title}》已经{syn.target.level_char}人民政府研究同意，现印发给你们，请认真抓好贯彻落实。",
                  fmt_date(syn.date), "(此件公开发布)"]
    elif style == "web":
        organ, year, no = syn.doc_number
        pub = f"{syn.date[0]}-{syn.date[1]:02d}-{syn.date[2]:02d}"
        damaged = rng.random() < 0.5
        lines += ["首页 公开指南 公开目录 公开制度 依申请公开 公开年度报告 年度公开要点 工作落实情况 意见箱",
                  "您现在的位置是: 首页» 公开目录» 规划计划", "",
                  f"{syn.issuer}关于印发{syn.title}的通知", "",
                  f"作者: | 来源: | 发布日期:{pub} | 阅读次数:  [] [] []" if not damaged else
                  f"发布日期:{pub} 16:16:49 浏览次数: 来源:{syn.target.level_char}发改局 字体:[ ]", "",
                  f"{organ}{year}{no}" if damaged else f"{organ}〔{year}〕{no}号", "",
                  f"各乡镇人民政府，{syn.target.level_char}政府各部门：",
                  f"《{syn.title}》已经{syn.target.level_char}政府同意，现印发你们，请结合实际，认真组织实施。",
                  "\u00a0", " " * 18 + syn.issuer,
                  " " * 17 + (f"{syn.date[0]}年{syn.date[1]}{syn.date[2]:02d}" if damaged else fmt_date(syn.date)),
                  "\u00a0"]
    title_lines = [syn.title]
    if style == "plain" and len(syn.title) > 16 and rng.random() < 0.5:
        cut = len(syn.title) // 2
        title_lines = [syn.title[:cut], "", syn.title[cut:] + "       "]
    lines += title_lines + ([""] if blank else [])
    lines += soft_wrap(rng, syn.opening, dmg.rate * 3)
    for kind, text in paras:
        if blank:
            lines.append("")
        lines += soft_wrap(rng, text, dmg.rate * 3) if kind != "cell" else [text]
    if style == "plain":
        lines = [l.replace("(", "（").replace(")", "）").replace(":", "：") for l in lines]
    return "\n".join(lines) + "\n", style


def render_pdf(syn: Synthetic, paras: list[tuple[str, str]], rng: random.Random) -> str:
    """Flowed PDF text: one long stream, spaces inside words, page numbers, line counters."""
    stream = " ".join([syn.opening] + [t for _, t in paras])
    # Spaces the extractor left inside words (新区 社会事业局, 持 续); the seed's title has none.
    chars = [syn.title, " "]
    for ch in stream:
        chars.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.006:
            chars.append(" ")
    stream = "".join(chars)
    # Page numbers wherever a page ended, sentences included.
    out = ["1 "]
    page, pos = 1, 0
    while pos < len(stream):
        step = rng.randint(1400, 2000)
        chunk = stream[pos:pos + step]
        pos += step
        out.append(chunk)
        if pos < len(stream) and not chunk[-1:].isdigit() and not stream[pos:pos + 1].isdigit():
            page += 1
            out.append(f" {page} ")
    stream = "".join(out)
    lines = []
    pos = 0
    while pos < len(stream):
        width = rng.randint(260, 320)
        lines.append(stream[pos:pos + width])
        pos += width
    return "\n".join(f"{i}、 {line}" for i, line in enumerate(lines, 1)) + "\n"


def encode(text: str, rng: random.Random) -> bytes:
    r = rng.random()
    if r < 0.05:
        return text.replace("\n", "\r\n").encode("gb18030")
    if r < 0.08:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


# ------------------------------------------------------------------ Markdown

def _md_escape(s: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", s)


def units_md(it: Item) -> str:
    lead = [u.name for u in it.lead_units]
    others = [u.name for u in it.units]
    parts = []
    if lead:
        parts.append("牵头单位：" + "、".join(lead))
    if others:
        parts.append(("配合单位：" if lead else "责任单位：") + "、".join(others))
    return f"（{'；'.join(parts)}）" if parts else ""


def plan_markdown(title: str, province: str, city: str, meta_line: str, opening: str,
                  body: tuple[Node, ...]) -> str:
    """A plan as Markdown with YAML front matter, as a webmaster would feed MkDocs or Hugo."""
    q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    lines = ["---", f"title: {q(title)}", f"province: {q(province)}", f"city: {q(city)}",
             f"regions: [{q(province)}]", "---", "", f"# {_md_escape(title)}", ""]
    if meta_line:
        lines += [meta_line, ""]
    if opening:
        lines += [_md_escape(opening), ""]

    def walk(nodes, depth):
        for n in nodes:
            if isinstance(n, Section):
                lines.append("#" * min(6, depth + 2) + f" {n.marker}{_md_escape(n.title)}")
                lines.append("")
                if n.intro:
                    lines.extend([_md_escape(n.intro), ""])
                walk(n.children, depth + 1)
            else:
                # CommonMark does not close ** right after 。 when a character follows, so the
                # punctuation stays outside the emphasis.
                head = f"**{n.marker}{_md_escape(n.heading)}**。" if n.heading else f"**{n.marker}** "
                if n.marker == "——":
                    lines.append(f"- {head}{_md_escape(n.text)}{units_md(n)}")
                else:
                    lines.append(f"{head}{_md_escape(n.text)}{units_md(n)}")
                lines.append("")
                for cell in n.table:
                    lines.append(f"- {_md_escape(cell)}")
                if n.table:
                    lines.append("")
                if n.children:
                    walk(n.children, depth + 1)
                    lines.append("")

    walk(body, 0)
    return "\n".join(lines) + "\n"


def synthetic_markdown(syn: Synthetic) -> str:
    t = syn.target
    organ, year, no = syn.doc_number
    meta = f"{syn.issuer} · {fmt_date(syn.date)} · {organ}〔{year}〕{no}号"
    return plan_markdown(syn.title, t.province or "未知地区", t.city if t.mode == "county" else "",
                         meta, syn.opening, syn.body)


# ------------------------------------------------------------------ main

def generate(n: int, seed: int, out: Path, markdown: Path | None = None,
             seeds_dir: Path = ROOT / "seeds", content_dir: Path = ROOT / "content") -> dict:
    """Write N plan files into ``out`` (and Markdown into ``markdown``); returns counts."""
    lex = lexicon.load(content_dir)
    pool = load_pool(seeds_dir, lex)
    rng = random.Random(seed)
    targets = make_targets(rng, lex, n)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    if markdown is not None:
        for old in markdown.glob("*/*.md"):
            old.unlink()
    styles: dict[str, int] = {}
    total = 0
    for i, target in enumerate(targets):
        name = f"{i:05d}"
        syn = compose(rng, pool, target, name)
        text, style = render_txt(syn, rng)
        data = encode(text, rng)
        (out / f"{name}.txt").write_bytes(data)
        total += len(data)
        styles[style] = styles.get(style, 0) + 1
        if markdown is not None:
            folder = markdown / (target.province or "未知地区")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.md").write_text(synthetic_markdown(syn), encoding="utf-8")
    return {"plans": n, "bytes": total, "styles": styles,
            "modes": {m: sum(1 for t in targets if t.mode == m) for m in ("county", "city", "none")}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, required=True, help="number of plans")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same corpus)")
    p.add_argument("--out", type=Path, required=True, help="folder for the .txt plans")
    p.add_argument("--markdown", type=Path, help="also write the plans as Markdown here")
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    p.add_argument("--content", type=Path, default=ROOT / "content")
    args = p.parse_args(argv)
    stats = generate(args.n, args.seed, args.out, args.markdown, args.seeds, args.content)
    print(f"{stats['plans']} plans, {stats['bytes'] / 1e6:.1f} MB; layouts {stats['styles']}; "
          f"regions {stats['modes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
