// Only in `site-builder serve`: reload this page after a rebuild, and show a failed build's
// error (file:line) over the last good site instead of a stale page that looks fine.
(() => {
  "use strict";
  const endpoint = new URL("../__build", document.currentScript.src);
  let seen = null;
  let banner = null;
  function show(error) {
    if (!error) { if (banner) { banner.remove(); banner = null; } return; }
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "alert");
      banner.className = "build-error";
      document.body.prepend(banner);
    }
    banner.textContent = "生成失败，仍显示上一次的网站：" + error;
  }
  async function poll() {
    try {
      const state = await (await fetch(endpoint, { cache: "no-store" })).json();
      if (seen !== null && state.id !== seen) { location.reload(); return; }
      seen = state.id;
      show(state.error);
    } catch (err) { /* server stopped: try again */ }
    setTimeout(poll, 1000);
  }
  poll();
})();
