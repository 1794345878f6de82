// Group pages: the benefit-type links are static pages (they work without script); with script a
// click filters the list in place instead of loading another page. Only on pages that hold the
// whole list; the address bar still shows the static page's address, so a reload or a shared
// link gives the same view.
(() => {
  "use strict";
  const nav = document.querySelector("nav.filters");
  const entries = [...document.querySelectorAll("li.entry[data-benefits]")];
  if (!nav || !entries.length) return;
  const status = document.createElement("p");
  status.className = "filter-status";
  status.setAttribute("role", "status");
  nav.appendChild(status);
  const home = location.href;

  function show(link) {
    const type = link.dataset.benefit;
    let shown = 0;
    for (const li of entries) {
      const on = !type || li.dataset.benefits.split(" ").includes(type);
      li.hidden = !on;
      if (on) shown += 1;
    }
    // A region heading with nothing left under it is hidden too.
    for (const h of document.querySelectorAll(".region-heading")) {
      const list = h.nextElementSibling;
      if (list && list.matches("ul.entries")) h.hidden = list.querySelectorAll("li.entry:not([hidden])").length === 0;
    }
    for (const a of nav.querySelectorAll("a[data-benefit]")) a.removeAttribute("aria-current");
    link.setAttribute("aria-current", "page");
    status.textContent = `显示 ${shown} 条`;
  }

  nav.addEventListener("click", (ev) => {
    const link = ev.target.closest("a[data-benefit]");
    if (!link || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    show(link);
    try { history.replaceState(null, "", link.dataset.benefit ? link.href : home); } catch (e) { /* file:// */ }
  });
})();
