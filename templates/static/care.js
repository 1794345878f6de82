// 关怀模式: larger text and higher contrast for older readers. The choice is kept in
// localStorage (no cookies) and applied before the page paints, so there is no flash.
(function () {
  var KEY = "care-mode";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { /* storage blocked: session only */ }
  if (stored === "on") root.classList.add("care");

  function setup() {
    var slot = document.getElementById("care-slot");
    if (!slot) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "care-toggle";
    function sync() {
      var on = root.classList.contains("care");
      button.textContent = on ? "标准模式" : "关怀模式";
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    button.addEventListener("click", function () {
      root.classList.toggle("care");
      try { window.localStorage.setItem(KEY, root.classList.contains("care") ? "on" : "off"); } catch (e) { /* ignore */ }
      sync();
    });
    sync();
    slot.appendChild(button);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
