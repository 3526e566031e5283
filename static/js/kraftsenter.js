/* Kraftsenter's own behaviour, loaded on every page (no inline scripts: the CSP forbids them).
   Print buttons: hidden without JavaScript (the browser's own print still works), shown and
   wired to window.print() with it. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    document.querySelectorAll("[data-ks-print]").forEach(function (button) {
      if (button.dataset.ksPrintReady) return;  // bound once, however often this runs
      button.dataset.ksPrintReady = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
