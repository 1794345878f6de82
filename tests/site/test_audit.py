"""``site-builder check --site DIR``: the built site passes; a broken copy fails with one line per
problem, each naming the page and line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Appended before </body> of one plan page; each line is one problem, found on its own line.
INJECTED = [
    ('<script>alert(1)</script>', "error: 内联脚本 <script>"),
    ('<p style="color:red">红字</p>', "error: 内联样式：<p style=…>"),
    ('<p onclick="go()">点我</p>', "error: 内联脚本：<p onclick=…>"),
    ('<a href="../no-such-plan/index.html">坏链接</a>', "error: 链接指向不存在的文件：../no-such-plan/index.html"),
    ('<a href="#no-such-anchor">坏锚点</a>', "error: 链接的锚点不存在：#no-such-anchor"),
    ('<a href="../../index.html#nowhere">坏锚点</a>', "error: 链接的锚点不存在：../../index.html#nowhere"),
    ('<a href="/plans/index.html">根路径</a>', "error: 以 / 开头的链接 /plans/index.html"),
    ('<a href="javascript:void(0)">脚本链接</a>', "error: 内联脚本：<a href=\"javascript:…\">"),
    ('<a href="data:text/html,hi">数据链接</a>', "error: 不允许的链接协议 data:"),
    ('<img src="https://cdn.example.com/x.png" alt="">', "error: 从其他网站加载资源：<img src=\"https://cdn.example.com/x.png\">"),
    ('<link rel="stylesheet" href="//fonts.example.com/x.css">', "error: 从其他网站加载资源：<link href=\"//fonts.example.com/x.css\">"),
    ('<a href="../../../../outside.html">越界</a>', "error: 链接 ../../../../outside.html 指向网站文件夹之外"),
    ('<style>p { color: red }</style>', "error: 内联样式 <style>"),
]
# Fine and must stay unreported: a link to another site, mail and phone links, JSON-LD data.
ALLOWED = [
    '<a href="https://www.gov.cn/">中国政府网</a>',
    '<a href="mailto:office@example.gov.cn">邮件</a> <a href="tel:12345">电话</a>',
    '<script type="application/ld+json">{"@type": "GovernmentOrganization"}</script>',
]


def run_check(site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "site_builder", "check", "--site", str(site)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_built_site_passes(built_site):
    result = run_check(built_site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("没有发现问题"), result.stdout


def test_broken_copy_fails_with_one_line_per_problem(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    plan_page = sorted((site / "plans").glob("*/index.html"))[0]
    rel = plan_page.relative_to(site).as_posix()
    text = plan_page.read_text(encoding="utf-8")
    head, tail = text.split("</body>", 1)
    first = head.count("\n") + 2  # the injected block starts on the line after the split point
    block = "\n".join([""] + [html for html, _ in INJECTED] + ALLOWED + [""])
    plan_page.write_text(head + block + "</body>" + tail, encoding="utf-8")
    expected = [f"{rel}:{first + n}: {message}" for n, (_html, message) in enumerate(INJECTED)]

    home = site / "index.html"
    home_text = home.read_text(encoding="utf-8")
    lang_line = home_text[: home_text.index('<html lang="zh-CN">')].count("\n") + 1
    home.write_text(home_text.replace('<html lang="zh-CN">', "<html>", 1), encoding="utf-8")
    expected.append(f"index.html:{lang_line}: error: <html> 缺少 lang 属性")

    big = site / "regions" / "index.html"
    big.write_text(big.read_text(encoding="utf-8") + "<!--" + "x" * 310 * 1024 + "-->", encoding="utf-8")
    expected.append("regions/index.html: error: 页面 ")

    css = site / "assets" / "site.css"
    css_lines = css.read_text(encoding="utf-8").count("\n")
    css.write_text(css.read_text(encoding="utf-8") + '@import "https://evil.example/x.css";\n', encoding="utf-8")
    expected.append(f"assets/site.css:{css_lines + 1}: error: 从其他网站加载资源：https://evil.example/x.css")

    result = run_check(site)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    findings, summary = lines[:-1], lines[-1]
    missing = [e for e in expected if not any(line.startswith(e) for line in findings)]
    assert not missing, "missing:\n" + "\n".join(missing) + "\n--- got:\n" + result.stdout
    # Nothing else: every finding is one we planted (the allowed lines stayed quiet).
    extra = [line for line in findings if not any(line.startswith(e) for e in expected)]
    assert not extra, extra
    assert len(findings) == len(expected)
    assert summary.endswith(f"{len(expected)} 个问题")
    assert "超过 300 KB" in next(line for line in findings if line.startswith("regions/index.html"))


def test_a_folder_that_is_not_a_site(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 1
    assert "没有 index.html" in result.stdout
