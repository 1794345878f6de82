// Search page: loads Pagefind only when a query is run, renders results as plain links, and says
// plainly when search cannot run (opened from disk, WebAssembly blocked) instead of spinning.
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const siteRoot = new URL("../", import.meta.url);
let loading = null;
let latest = 0;

function load() {
  // One import and one options() call, however many searches start while it loads.
  loading ??= (async () => {
    if (location.protocol === "file:") throw new Error("file");
    const mod = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await mod.options({ baseUrl: siteRoot.pathname, excerptLength: 40 });
    return mod;
  })();
  return loading;
}

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

async function run(query) {
  const mine = ++latest;
  list.replaceChildren();
  if (!query.trim()) { statusLine.textContent = ""; return; }
  statusLine.textContent = "正在搜索……";
  let pf;
  try {
    pf = await load();
  } catch (err) {
    if (mine !== latest) return;
    statusLine.textContent = location.protocol === "file:"
      ? "从本地文件打开时无法使用全文搜索。请用下方的人群和地区链接浏览。"
      : "搜索暂时无法使用（浏览器可能阻止了所需的组件）。请用下方的人群和地区链接浏览。";
    return;
  }
  // Pagefind 1.5.2 splits Chinese queries differently from the index (农民工 → 农民 + 工…), so an
  // unquoted query also matches 工作 or 工业. A quoted query matches the exact phrase; the plain
  // query is the fallback when the phrase is nowhere.
  const term = query.trim();
  const quoted = /[\u3400-\u9fff]/.test(term) && !/["\s]/.test(term);
  let search = quoted ? await pf.search(`"${term}"`) : await pf.search(term);
  if (quoted && !search.results.length) search = await pf.search(term);
  const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  if (mine !== latest) return; // a newer search started while this one ran
  statusLine.textContent = results.length ? `找到 ${search.results.length} 个页面` : "没有找到结果，请换个说法试试。";
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

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = input.value;
  const u = new URL(location.href);
  u.searchParams.set("q", q);
  history.replaceState(null, "", u);
  run(q);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) { input.value = initial; run(initial); }
