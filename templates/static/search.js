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
      // A large site's index is in parts (search.py's shards.json): Pagefind is imported from the
      // first and the others merged in, sharing its WebAssembly. Each part holds whole pages, so
      // a search within one page is answered by one part, in its order (search.py's "order").
      const base = new URL("pagefind/", siteRoot);
      const response = await fetch(new URL("shards.json", base));
      if (!response.ok) throw new Error(`shards.json: ${response.status}`);
      const [first, ...rest] = (await response.json()).shards;
      const mod = await import(new URL(`${first}/pagefind.js`, base).href);
      await mod.options({ baseUrl: siteRoot.pathname });
      await mod.init(); // fetch and compile the WebAssembly now, so a blocked one fails here
      await Promise.all(rest.map((name) => mod.mergeIndex(new URL(`${name}/`, base).href, { baseUrl: siteRoot.pathname })));
      await mod.filters(); // load the page filters, so searches count their results per page
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
    const href = (i) => new URL(idx.pages[i][0], siteRoot).href;
    for (const g of found.groups) {
      const others = g.names.slice(1, 6).join("、");
      pageItem(href(g.page), idx.pages[g.page][1], "group-hit")
        .appendChild(el("p", { textContent: `这一人群的全部政策${others ? `，包括“${others}”等说法` : ""}。` }));
    }
    for (const i of found.titled) pageItem(href(i), idx.pages[i][1]);
    for (const i of found.withParts) {
      const parts = found.byPage.get(i);
      const ul = pageItem(href(i), idx.pages[i][1]).appendChild(el("ul", { className: "sub" }));
      for (const part of parts.slice(0, PARTS_PER_PAGE)) ul.appendChild(partItem(`${href(i)}#${part.anchor}`, part, found.matchers));
      if (parts.length > PARTS_PER_PAGE) {
        ul.appendChild(el("li", { className: "more" }, link(href(i), `本方案还有 ${parts.length - PARTS_PER_PAGE} 处，打开全文查看`)));
      }
    }
  }

  // ---- both: real links, built as elements -----------------------------------------------------

  function el(tag, props, ...kids) {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...kids);
    return e;
  }

  function link(href, text) {
    return el("a", { href, textContent: text });
  }

  function pageItem(href, title, className = "") {
    // One result: the page's title as a link in an <h2>; appended to the list.
    return list.appendChild(el("li", className ? { className } : {}, el("h2", {}, link(href, title))));
  }

  function partItem(href, part, matchers) {
    // One heading or item of a plan: its heading (or first sentence) as a link, an excerpt below.
    return el("li", {}, link(href, label(part)), ...(part.text ? [el("p", {}, excerpt(part, matchers))] : []));
  }

  // ---- Pagefind -------------------------------------------------------------------------------
  // The index (site_builder/search.py) has a record per page title and per heading or item, each
  // Chinese character a word of its own. A query word with Chinese in it is searched as the quoted
  // phrase of its characters: a record matches when it contains the word exactly, whatever a word
  // segmenter would have made of either. Records carry their page as a filter ("index|path|title"),
  // so results are counted and grouped by page before any is loaded.

  const CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}";
  const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+|\\S`, "gu"); // search.py's TOKEN
  const HAS_CJK = new RegExp(`[${CJK}]`, "u");
  const WORDISH = new RegExp(`^(?![${CJK}])[\\p{L}\\p{N}]$`, "u");
  const BREAK = " ¶ "; // search.py's line end
  const PAGES_PER_BATCH = 20;
  const MATCHES_PER_PLAN = 5; // each is a fragment to fetch; the rest behind a "more" link

  function pagefindQuery(word) {
    const tokens = (fold(word).match(TOKEN) || []).join(" ");
    return HAS_CJK.test(word) ? `"${tokens}"` : tokens;
  }

  function unspaced(s) {
    // Undo search.py's spacing: keep a space only between two letters or digits.
    return s.split(BREAK).map((line) => line.replace(/(\S) (?=(\S))/gu,
      (_, a, b) => (WORDISH.test(a) && WORDISH.test(b) ? `${a} ` : a))).join("\n");
  }

  async function matching(pf, words, filters) {
    // Records that match every word, in page order (search.py's "order"); and the first search.
    let found, first;
    for (const w of words) {
      const s = await pf.search(w, { filters, sort: { order: "asc" } });
      first ??= s;
      const ids = new Set(s.results.map((r) => r.id));
      found = found ? found.filter((r) => ids.has(r.id)) : s.results;
      if (!found.length) break;
    }
    return { results: found || [], first };
  }

  async function searchPagefind(pf, query) {
    // Each space-separated word must occur as typed (folded); punctuation alone is no word.
    const terms = [...new Set(fold(query).split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t)))];
    const words = terms.map(pagefindQuery);
    const pages = new Map();
    const { results, first } = await matching(pf, words, {});
    for (const field of results.length ? ["page", "titled"] : []) {
      for (const [key, n] of Object.entries(first.filters[field] || {})) {
        // One word: the filter counts are the answer. More: count what matches all of them.
        const count = n && (words.length === 1 ? n : (await matching(pf, words, { [field]: key })).results.length);
        if (!count) continue;
        if (!pages.has(key)) {
          const [path, title] = key.split("|").map(decodeURIComponent); // search.py's page key
          pages.set(key, { key, path, title, parts: 0 });
        }
        if (field === "page") pages.get(key).parts = count;
      }
    }
    const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return { terms, words, pages: [...pages.values()].sort((a, b) => b.parts - a.parts || byPath(a, b)) };
  }

  function stateUrl(state) {
    // This search with these pages shown and these plans' matches all listed.
    const u = new URL(location.href);
    u.searchParams.set("pages", state.shown);
    if (state.open.size) u.searchParams.set("open", [...state.open].map(encodeURIComponent).join(","));
    return u.href;
  }

  function more(state, a, action) {
    // A "more" link leads to this search with more shown, so it also works in a new tab; a click
    // shows them in place and moves focus to the first new link.
    a.dataset.more = "";
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      list.setAttribute("aria-busy", "true");
      const done = action();
      try { history.replaceState(null, "", stateUrl(state)); } catch (err) { /* file:// */ }
      done.then((focus) => focus?.focus(), () => { statusLine.textContent = "加载更多结果时出错，请刷新页面重试。"; })
        .finally(() => list.removeAttribute("aria-busy"));
    });
  }

  async function fillPlan(pf, state, page, ul, all) {
    // The plan's matching headings and items (the first few, or all), each linking to its anchor;
    // returns the first link that was not there before.
    const { results } = await matching(pf, state.words, { page: page.key });
    const shown = await Promise.all((all ? results : results.slice(0, MATCHES_PER_PLAN)).map((r) => r.data()));
    const href = new URL(page.path, siteRoot).href;
    const matchers = state.terms.map((t) => ({ words: [t], excludes: [] }));
    ul.replaceChildren(...shown.map((d) => {
      // Pagefind ends a block with "." when its text does not (search.py's own has a space before).
      const text = unspaced(d.content.replace(/(\S)\.$/u, "$1"));
      const title = unspaced(d.meta.heading || "");
      const body = title && text.startsWith(title) ? text.slice(title.length + 1) : text;
      // search.py names each record's file after its anchor: p/<page>/<anchor>.html
      const anchor = decodeURIComponent(d.url.split("/").pop().replace(/\.html$/, ""));
      return partItem(`${href}#${anchor}`, { title, text: body, hayText: fold(body) }, matchers);
    }));
    const rest = results.length - shown.length;
    if (rest > 0) {
      const a = link(stateUrl({ ...state, open: new Set([...state.open, page.path]) }), `本方案还有 ${rest} 处，全部列出`);
      more(state, a, () => { state.open.add(page.path); return fillPlan(pf, state, page, ul, true); });
      ul.appendChild(el("li", { className: "more" }, a));
    }
    return all ? ul.children[MATCHES_PER_PLAN]?.querySelector("a") : null;
  }

  async function renderPages(pf, state, from) {
    // Pages [from, state.shown): a title link each, a plan's matches below it; then "more pages".
    const mine = latest;
    const fills = state.pages.slice(from, state.shown).map((page) => {
      const li = pageItem(new URL(page.path, siteRoot).href, page.title);
      return page.parts && fillPlan(pf, state, page, li.appendChild(el("ul", { className: "sub" })), state.open.has(page.path));
    });
    const focus = list.children[list.children.length - fills.length]?.querySelector("a");
    await Promise.all(fills);
    if (mine !== latest) return null;
    document.getElementById("search-more")?.remove();
    if (state.pages.length > state.shown) {
      const next = Math.min(state.pages.length, state.shown + PAGES_PER_BATCH);
      const a = link(stateUrl({ ...state, shown: next }), `显示更多页面（还有 ${state.pages.length - state.shown} 个）`);
      more(state, a, () => { const start = state.shown; state.shown = next; return renderPages(pf, state, start); });
      list.after(el("ul", { id: "search-more", className: "links" }, el("li", {}, a)));
    }
    return focus;
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

  async function showPagefind(pf, query, mine, params) {
    const found = await searchPagefind(pf, query);
    if (mine !== latest) return;
    const groups = groupsFor(query.trim());
    const pages = found.pages.filter((p) => !groups.some((a) => a.href === new URL(p.path, siteRoot).href));
    const parts = pages.reduce((n, p) => n + p.parts, 0);
    const open = new Set((params.get("open") || "").split(",").filter(Boolean).map(decodeURIComponent));
    const state = { ...found, pages, open, shown: Math.max(PAGES_PER_BATCH, +params.get("pages") || 0) };
    list.dataset.engine = "pagefind"; // which search answered, for tests and bug reports
    list.setAttribute("aria-busy", "true");
    for (const a of groups) pageItem(a.href, `${a.textContent}可以享受的政策（人群页面，汇总各地原文的不同说法）`, "group-hit");
    await renderPages(pf, state, 0);
    if (mine !== latest) return;
    list.removeAttribute("aria-busy");
    const summary = pages.length ? `找到 ${pages.length} 个页面、${parts} 处原文。` : "";
    statusLine.textContent = parts || !groups.length ? summary || "没有找到结果，请换个说法试试。"
      : `${summary}方案原文中没有这个说法，请看上面的人群页面。`;
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

  async function run(query, params = new URLSearchParams()) {
    const mine = ++latest;
    list.replaceChildren();
    list.removeAttribute("aria-busy");
    document.getElementById("search-more")?.remove();
    delete list.dataset.engine;
    if (!query.trim()) { statusLine.textContent = ""; return; }
    statusLine.textContent = "正在搜索……";
    let pf = null;
    try {
      pf = await loadPagefind();
    } catch (err) {
      pagefind = Promise.reject(err); // do not try again for the next query
      pagefind.catch(() => {});
    }
    if (pf) {
      try {
        await showPagefind(pf, query, mine, params);
        return;
      } catch (err) {
        if (mine !== latest) return; // a newer search started while this one ran
        list.replaceChildren(); // a broken index: say what the offline index finds instead
        list.removeAttribute("aria-busy");
        delete list.dataset.engine;
      }
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
    u.searchParams.delete("pages");
    u.searchParams.delete("open");
    try { history.replaceState(null, "", u); } catch (err) { /* some browsers refuse it on file:// */ }
    run(q);
  });

  const params = new URLSearchParams(location.search);
  const initial = params.get("q");
  if (initial) { input.value = initial; run(initial, params); }
})();
