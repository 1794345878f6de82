// Only in `site-builder serve`: reload this page after a rebuild, and show a failed build's
// error (file:line) over the last good site instead of a stale page that looks fine. While a
// rebuild runs, the edited plans' pages are served first (a preview): this page reloads then
// only if it is one of them (or shows an earlier preview), and says the rest of the site is
// still being made.
(() => {
  "use strict";
  const endpoint = new URL("../__build", document.currentScript.src);
  const root = new URL("..", document.currentScript.src).pathname;
  let here = decodeURIComponent(location.pathname.slice(root.length));
  if (here === "" || here.endsWith("/")) here += "index.html";
  // The build a reload this script asked for was for, and whether the page it brings is that
  // build's preview: the build may end before this page first polls, so the page compares with
  // that build, not the next; and a page showing a preview reloads at the next build, whichever
  // pages that build shows first.
  const RELOADED = "live-reload-build";
  let seen = null;
  let previewed = false;
  try {
    const was = JSON.parse(sessionStorage.getItem(RELOADED));
    sessionStorage.removeItem(RELOADED);
    if (was && typeof was === "object") ({ id: seen, previewed } = was);
  } catch (err) { seen = null; }
  const shown = {};
  function show(kind, role, text) {
    if (!text) { if (shown[kind]) { shown[kind].remove(); delete shown[kind]; } return; }
    if (!shown[kind]) {
      shown[kind] = document.createElement("div");
      shown[kind].setAttribute("role", role);
      shown[kind].className = kind;
      document.body.prepend(shown[kind]);
    }
    shown[kind].textContent = text;
  }
  async function poll() {
    try {
      const state = await (await fetch(endpoint, { cache: "no-store" })).json();
      const preview = state.preview || [];
      const mine = preview.includes(here);
      if (seen !== null && state.id !== seen && (previewed || !preview.length || mine)) {
        try {
          sessionStorage.setItem(RELOADED, JSON.stringify({ id: state.id, previewed: mine }));
        } catch (err) { /* reload anyway */ }
        location.reload();
        return;
      }
      seen = state.id;
      previewed = mine;
      show("build-error", "alert", state.error ? "生成失败，仍显示上一次的网站：" + state.error : "");
      show("build-note", "status", mine
        ? "预览：本方案已按修改显示，网站其他页面还在生成，完成后本页自动刷新。" : "");
    } catch (err) { /* server stopped: try again */ }
    setTimeout(poll, 1000);
  }
  poll();
})();
