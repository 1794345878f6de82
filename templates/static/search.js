// Search page. Pagefind when a server can run it; otherwise (opened from disk, WebAssembly blocked,
// index missing) the compact index in search/offline-index.js, loaded by a plain <script> element
// only when a search is run and matched by exact substring. When neither can run the page says so
// and points at the browse links: never an endless spinner. Results are always real <a href> links.
// A classic script, not a module: browsers refuse module scripts from file://.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  const input = document.getElementById("q");
  const statusLine = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const siteRoot = new URL("../", document.currentScript.src);
  const LOAD_TIMEOUT_MS = 8000;
  const PARTS_PER_PAGE = 10;
  let pagefind = null;
  let offline = null;
  let latest = 0;

  function withTimeout(promise, ms) {
    return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
  }

  function loadPagefind() {
    // One import and one init, however many searches start while it loads; a failure is kept, so
    // later searches go straight to the offline index.
    pagefind ??= withTimeout((async () => {
      if (location.protocol === "file:") throw new Error("file");
      const mod = await import(new URL("pagefind/pagefind.js", siteRoot).href);
      await mod.options({ baseUrl: siteRoot.pathname, excerptLength: 40 });
      await mod.init(); // fetch and compile the WebAssembly now, so a blocked one fails here
      return mod;
    })(), LOAD_TIMEOUT_MS);
    return pagefind;
  }

  function loadOffline() {
    offline ??= withTimeout(new Promise((resolve, reject) => {
      const ready = () => globalThis.SITE_OFFLINE_INDEX
        ? resolve(prepare(globalThis.SITE_OFFLINE_INDEX)) : reject(new Error("offline index is empty"));
      if (globalThis.SITE_OFFLINE_INDEX) { ready(); return; }
      const s = document.createElement("script");
      s.src = new URL("search/offline-index.js", siteRoot).href;
      s.addEventListener("load", ready);
      s.addEventListener("error", () => reject(new Error("offline index missing")));
      document.head.appendChild(s);
    }), LOAD_TIMEOUT_MS);
    return offline;
  }

  // ---- offline index: exact substring matching ----------------------------------------------

  function fold(s) {
    // Full-width Latin and digits to half-width, A–Z to a–z. One UTF-16 unit in, one out, so a
    // position in the folded text is the same position in the original.
    let out = "";
    for (const ch of s) {
      let c = ch.charCodeAt(0);
      if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
      else if (c === 0x3000) c = 0x20;
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      out += ch.length === 1 ? String.fromCharCode(c) : ch;
    }
    return out;
  }

  function prepare(data) {
    return {
      pages: data.pages,
      groups: data.groups.map(([page, names, exclude]) => ({ page, names, folded: names.map(fold), exclude: exclude.map(fold) })),
      parts: data.parts.map(([page, anchor, title, text]) => ({ page, anchor, title, text, hayTitle: fold(title), hayText: fold(text) })),
    };
  }

  function masked(hay, term, excludes) {
    // Hide the longer words that contain the term but mean something else (农民工作 for 农民工).
    for (const x of excludes) if (x.includes(term) && x !== term) hay = hay.split(x).join("\u0000".repeat(x.length));
    return hay;
  }

  function label(part) {
    // What the plan page shows for an item without a heading: its first sentence.
    if (part.title) return part.title;
    const first = part.text.split("。", 1)[0];
    return first.length <= 60 ? first : first.slice(0, 58) + "…";
  }

  function searchOffline(idx, query) {
    const terms = [...new Set(fold(query).split(/\s+/).filter(Boolean))];
    // A group's name or synonym puts its page first: exact matches, then groups the query mentions.
    const exact = idx.groups.filter((g) => terms.some((t) => g.folded.includes(t)));
    const mentioned = idx.groups.filter((g) => !exact.includes(g)
      && terms.some((t) => g.folded.some((n) => t.includes(n)) && !g.exclude.some((x) => t.includes(x))));
    // Each term is matched as typed. A group word found nowhere (the plans say 渔农民, never 渔民)
    // is matched by the group's other words instead, and the status line says so.
    const matchers = terms.map((t) => {
      const groups = exact.filter((g) => g.folded.includes(t));
      const m = { term: t, words: [t], excludes: groups.flatMap((g) => g.exclude), widened: false };
      if (groups.length && !idx.parts.some((p) => hits(p.hayTitle, m) || hits(p.hayText, m))) {
        m.words = [...new Set(groups.flatMap((g) => g.folded))];
        m.widened = true;
      }
      return m;
    });
    const byPage = new Map();
    for (const part of idx.parts) {
      if (matchers.every((m) => hits(part.hayTitle, m) || hits(part.hayText, m))) {
        if (!byPage.has(part.page)) byPage.set(part.page, []);
        byPage.get(part.page).push(part);
      }
    }
    const groupPages = new Set([...exact, ...mentioned].map((g) => g.page));
    const titled = idx.pages.map((_, i) => i)
      .filter((i) => !groupPages.has(i) && !byPage.has(i) && terms.every((t) => fold(idx.pages[i][1]).includes(t)));
    const withParts = [...byPage.keys()].sort((a, b) => byPage.get(b).length - byPage.get(a).length || a - b);
    return { matchers, groups: [...exact, ...mentioned], titled, withParts, byPage };
  }

  function hits(hay, matcher) {
    return matcher.words.some((w) => masked(hay, w, matcher.excludes).includes(w));
  }

  function excerpt(part, matchers) {
    // About 80 characters around the first match in the text, every match marked.
    const words = matchers.flatMap((m) => m.words.map((w) => [w, masked(part.hayText, w, m.excludes)]));
    const first = Math.min(...words.map(([w, hay]) => hay.indexOf(w)).filter((p) => p >= 0));
    const start = Number.isFinite(first) ? Math.max(0, first - 20) : 0;
    const end = Math.min(part.text.length, start + 80);
    const marks = [];
    for (const [w, hay] of words) {
      for (let p = hay.indexOf(w, start); p >= 0 && p < end; p = hay.indexOf(w, p + 1)) {
        marks.push([p, Math.min(end, p + w.length)]);
      }
    }
    marks.sort((a, b) => a[0] - b[0]);
    const frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("…"));
    let at = start;
    for (const [s, e] of marks) {
      if (e <= at) continue;
      const from = Math.max(s, at);
      frag.appendChild(document.createTextNode(part.text.slice(at, from)));
      const m = document.createElement("mark");
      m.textContent = part.text.slice(from, e);
      frag.appendChild(m);
      at = e;
    }
    frag.appendChild(document.createTextNode(part.text.slice(at, end)));
    if (end < part.text.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }

  function renderOffline(idx, found) {
    const pageLink = (i) => link(new URL(idx.pages[i][0], siteRoot).href, idx.pages[i][1]);
    for (const g of found.groups) {
      const li = document.createElement("li");
      li.className = "group-hit";
      const h = document.createElement("h2");
      h.appendChild(pageLink(g.page));
      li.appendChild(h);
      const p = document.createElement("p");
      const others = g.names.slice(1, 6).join("、");
      p.textContent = `这一人群的全部政策${others ? `，包括“${others}”等说法` : ""}。`;
      li.appendChild(p);
      list.appendChild(li);
    }
    for (const i of found.titled) {
      const li = document.createElement("li");
      const h = document.createElement("h2");
      h.appendChild(pageLink(i));
      li.appendChild(h);
      list.appendChild(li);
    }
    for (const i of found.withParts) {
      const parts = found.byPage.get(i);
      const li = document.createElement("li");
      const h = document.createElement("h2");
      h.appendChild(pageLink(i));
      li.appendChild(h);
      const ul = document.createElement("ul");
      ul.className = "sub";
      for (const part of parts.slice(0, PARTS_PER_PAGE)) {
        const sli = document.createElement("li");
        sli.appendChild(link(new URL(idx.pages[i][0], siteRoot).href + `#${part.anchor}`, label(part)));
        if (part.text) {
          const p = document.createElement("p");
          p.appendChild(excerpt(part, found.matchers));
          sli.appendChild(p);
        }
        ul.appendChild(sli);
      }
      if (parts.length > PARTS_PER_PAGE) {
        const more = document.createElement("li");
        more.className = "more";
        more.appendChild(link(new URL(idx.pages[i][0], siteRoot).href, `本方案还有 ${parts.length - PARTS_PER_PAGE} 处，打开全文查看`));
        ul.appendChild(more);
      }
      li.appendChild(ul);
      list.appendChild(li);
    }
  }

  // ---- Pagefind -------------------------------------------------------------------------------

  function excerptNodes(html) {
    // Keep only text and <mark>: the excerpt never becomes markup of its own.
    const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
    const frag = document.createDocumentFragment();
    for (const node of doc.body.firstChild.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        const m = document.createElement("mark");
        m.textContent = node.textContent;
        frag.appendChild(m);
      } else {
        frag.appendChild(document.createTextNode(node.textContent));
      }
    }
    return frag;
  }

  function pageUrl(u) {
    // Pagefind drops index.html; our links always end in it so they also work from disk.
    const [path, hash] = u.split("#");
    const full = path.endsWith("/") ? path + "index.html" : path;
    return hash ? `${full}#${hash}` : full;
  }

  function plainText(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  }

  function link(url, text) {
    const a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  async function searchPagefind(pf, query) {
    // Pagefind 1.5.2 splits Chinese queries differently from the index (农民工 → 农民 + 工…), so an
    // unquoted query also matches 工作 or 工业. A quoted query matches the exact phrase; the plain
    // query is the fallback when the phrase is nowhere.
    const term = query.trim();
    const quoted = /[\u3400-\u9fff]/.test(term) && !/["\s]/.test(term);
    let search = quoted ? await pf.search(`"${term}"`) : await pf.search(term);
    if (quoted && !search.results.length) search = await pf.search(term);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    return { term, total: search.results.length, results };
  }

  // Groups whose name or synonym the query is or contains (not inside an exclude word such as
  // 农民工作), read from the browse links on this page; their pages come first.
  function groupsFor(term) {
    const out = [];
    for (const li of document.querySelectorAll("#browse li[data-names]")) {
      const names = li.dataset.names.split("|").filter(Boolean);
      const excludes = (li.dataset.exclude || "").split("|").filter(Boolean);
      const hit = names.some((n) => n === term || (n.length >= 2 && term.includes(n)
        && !excludes.some((x) => x.includes(n) && term.includes(x))));
      if (hit) out.push(li.querySelector("a"));
    }
    return out;
  }

  function renderGroups(anchors) {
    for (const a of anchors) {
      const li = document.createElement("li");
      li.className = "group-hit";
      const h = document.createElement("h2");
      h.appendChild(link(a.href, `${a.textContent}可以享受的政策（人群页面，汇总各地原文的不同说法）`));
      li.appendChild(h);
      list.appendChild(li);
    }
  }

  function renderPagefind({ term, total, results }) {
    const groups = groupsFor(term);
    renderGroups(groups);
    statusLine.textContent = results.length ? `找到 ${total} 个页面` : groups.length
      ? "原文中没有这个说法，请看上面的人群页面。" : "没有找到结果，请换个说法试试。";
    for (const r of results) {
      const li = document.createElement("li");
      const h = document.createElement("h2");
      h.appendChild(link(pageUrl(r.url), r.meta.title || r.url));
      li.appendChild(h);
      // Sections whose excerpt holds the whole query first, then the rest in page order.
      const subs = (r.sub_results || []).filter((s) => s.url.includes("#"))
        .map((s, i) => [plainText(s.excerpt).includes(term) ? 0 : 1, i, s])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]).slice(0, 5);
      if (subs.length) {
        const ul = document.createElement("ul");
        ul.className = "sub";
        for (const s of subs) {
          const sli = document.createElement("li");
          sli.appendChild(link(pageUrl(s.url), s.title));
          const p = document.createElement("p");
          p.appendChild(excerptNodes(s.excerpt));
          sli.appendChild(p);
          ul.appendChild(sli);
        }
        li.appendChild(ul);
      } else {
        const p = document.createElement("p");
        p.appendChild(excerptNodes(r.excerpt));
        li.appendChild(p);
      }
      list.appendChild(li);
    }
  }

  // ---- one search -----------------------------------------------------------------------------

  function cannotSearch() {
    statusLine.replaceChildren(
      document.createTextNode(location.protocol === "file:"
        ? "从本地文件打开时，搜索所需的文件没有找到，暂时无法搜索。请"
        : "搜索暂时无法使用（浏览器可能阻止了所需的组件）。请"),
      link("#browse-title", "用下方的人群和地区链接浏览"),
      document.createTextNode("。"));
  }

  async function run(query) {
    const mine = ++latest;
    list.replaceChildren();
    delete list.dataset.engine;
    if (!query.trim()) { statusLine.textContent = ""; return; }
    statusLine.textContent = "正在搜索……";
    try {
      const found = await searchPagefind(await loadPagefind(), query);
      if (mine !== latest) return; // a newer search started while this one ran
      list.dataset.engine = "pagefind"; // which search answered, for tests and bug reports
      renderPagefind(found);
      return;
    } catch (err) {
      pagefind = Promise.reject(err); // do not try again for the next query
      pagefind.catch(() => {});
    }
    let idx;
    try {
      idx = await loadOffline();
    } catch (err) {
      if (mine === latest) cannotSearch();
      return;
    }
    if (mine !== latest) return;
    const found = searchOffline(idx, query);
    const parts = found.withParts.reduce((n, i) => n + found.byPage.get(i).length, 0);
    const pages = found.groups.length + found.titled.length + found.withParts.length;
    const widened = found.matchers.filter((m) => m.widened)
      .map((m) => `原文没有“${m.term}”，改找${m.words.filter((w) => w !== m.term).slice(0, 4).join("、")}等说法。`).join("");
    statusLine.textContent = pages
      ? `找到 ${pages} 个页面、${parts} 处原文（离线搜索：逐字匹配）。${widened}`
      : `没有找到含有“${query.trim()}”的内容（离线搜索：逐字匹配），请换个说法，或用下方链接浏览。`;
    list.dataset.engine = "offline";
    renderOffline(idx, found);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = input.value;
    const u = new URL(location.href);
    u.searchParams.set("q", q);
    try { history.replaceState(null, "", u); } catch (err) { /* some browsers refuse it on file:// */ }
    run(q);
  });

  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
