"""sitemap.xml and robots.txt: written with every page at base_url, left out with a notice without it."""
from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from site_builder.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "formats" / "front_matter.md"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _build(tmp_path: Path, base_url: str | None, capsys) -> tuple[int, str, Path]:
    seeds, content, out = tmp_path / "seeds", tmp_path / "content", tmp_path / "output"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    shutil.copytree(ROOT / "content", content)
    site = (content / "site.toml").read_text(encoding="utf-8")
    lines = [ln for ln in site.splitlines() if not ln.startswith("base_url")]
    if base_url is not None:
        lines.append(f'base_url = "{base_url}"')
    (content / "site.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["build", "--seeds", str(seeds), "--content", str(content), "--out", str(out),
                 "--templates", str(ROOT / "templates"), "--no-search"])
    return code, capsys.readouterr().out, out


def test_sitemap_and_robots_list_every_page_at_base_url(tmp_path, capsys):
    code, printed, out = _build(tmp_path, "https://www.example.gov.cn/zengshou", capsys)
    assert code == 0
    assert "sitemap.xml" not in printed, printed
    base = "https://www.example.gov.cn/zengshou/"
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().findall("sm:url/sm:loc", NS)]
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                   if not p.relative_to(out).as_posix().startswith(("pagefind/", "data/")))
    assert sorted(locs) == sorted(base + p for p in pages if p != "404.html")
    assert len(locs) == len(set(locs))
    robots = (out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {base}sitemap.xml" in robots


def test_without_base_url_both_are_left_out_with_a_notice(tmp_path, capsys):
    code, printed, out = _build(tmp_path, None, capsys)
    assert code == 0
    assert (out / "index.html").is_file()
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()
    notice = [ln for ln in printed.splitlines() if "sitemap.xml" in ln]
    assert len(notice) == 1 and "base_url" in notice[0], printed
