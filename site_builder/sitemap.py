"""sitemap.xml and robots.txt, which need the absolute address the site is published at."""
from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape

from .config import Config
from .routes import NOT_FOUND, Page

NOTICE = ("未写出 sitemap.xml 和 robots.txt：content/site.toml 没有设置 base_url"
          "（网站发布后的完整地址，例如 https://www.example.gov.cn/zengshou/）")


def files(pages: list[Page], config: Config) -> dict[str, bytes]:
    """Both files, or none when ``base_url`` is unset: a sitemap must list absolute URLs."""
    if not config.base_url:
        return {}
    base = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
    # The 404 page is what a server shows for a missing path; it is not a page to index.
    urls = [base + quote(p.path) for p in sorted(pages, key=lambda p: p.path) if p.path != NOT_FOUND]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             *(f"  <url><loc>{escape(u)}</loc></url>" for u in urls),
             "</urlset>", ""]
    # Crawlers read robots.txt only at a host's root; under a sub-path it is harmless and the
    # portal can copy its Sitemap line into its own.
    robots = f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
    return {"sitemap.xml": "\n".join(lines).encode("utf-8"), "robots.txt": robots.encode("utf-8")}
