/* Kraftsenter's own behaviour, loaded on every page (no inline scripts: the CSP forbids them).
   - Print buttons: hidden without JavaScript (the browser's own print still works), shown and
     wired to window.print() with it.
   - The header's menu button (below 1024 px): a disclosure with aria-expanded; Escape closes
     it and returns focus to the button. Without JavaScript the menu is simply shown.
   - From 1024 px the language list and the account menu are disclosures in the header's row.
   - Tables wider than the screen scroll inside their own labelled, focusable container, so
     that the page itself never scrolls sideways (and keyboard users can scroll the table).
   - After a failed save the error summary takes the focus, so that screen readers read it and
     keyboard users start from the list of fields to correct. */
(function () {
  "use strict";
  document.documentElement.classList.add("ks-js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function bindPrint(root) {
    root.querySelectorAll("[data-ks-print]").forEach(function (button) {
      if (button.dataset.ksPrintReady) return;  // bound once, however often this runs
      button.dataset.ksPrintReady = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function bindMenu() {
    var button = document.querySelector("[data-ks-menu-toggle]");
    if (!button || button.dataset.ksMenuReady) return;
    button.dataset.ksMenuReady = "1";
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("ks-menu--open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  // The header's language list (from 1024 px): a disclosure button with aria-expanded;
  // Escape or a click elsewhere closes it. Below 1024 px the list lies open in the menu.
  function bindLanguageChoice() {
    var choice = document.querySelector("[data-ks-lang-choice]");
    if (!choice || choice.dataset.ksReady) return;
    choice.dataset.ksReady = "1";
    var button = choice.querySelector("button[aria-controls]");
    if (!button) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      choice.classList.toggle("ks-lang-choice--open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    choice.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!choice.contains(event.target)) setOpen(false);
    });
  }

  // The header's account menu (a <details>): Escape closes it, as a click elsewhere does.
  function bindAccountMenu() {
    document.querySelectorAll("details.ks-disclosure").forEach(function (menu) {
      if (menu.dataset.ksReady) return;
      menu.dataset.ksReady = "1";
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  }

  var SCROLLERS = ".ks-scroll, .ks-profile__scroll, [data-ks-scroll]";

  // Focusable and named only while it scrolls: a table that fits adds no tab stop.
  function markScrollable(wrapper) {
    var table = wrapper.querySelector("table");
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      var caption = table && table.querySelector("caption");
      var label = (caption && caption.textContent.trim()) ||
        document.documentElement.dataset.ksScrollLabel || "Table";
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", label);
    } else {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  }

  function wrapTables(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(SCROLLERS)) return;
      var wrapper = document.createElement("div");
      wrapper.setAttribute("data-ks-scroll", "");
      table.parentNode.insertBefore(wrapper, table);
      wrapper.appendChild(table);
      markScrollable(wrapper);
    });
  }

  function remarkTables() {
    document.querySelectorAll("div[data-ks-scroll]").forEach(markScrollable);
  }

  function focusErrorSummary(root) {
    var summary = root.matches && root.matches(".ds-error-summary") ? root :
      root.querySelector("[data-ks-error-summary], .ds-error-summary");
    if (summary) summary.focus();
  }

  ready(function () {
    bindPrint(document);
    bindMenu();
    bindLanguageChoice();
    bindAccountMenu();
    wrapTables(document);
    focusErrorSummary(document);
    var resizing = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(remarkTables, 150);
    });
    // Parts of a page replaced by htmx (filtered lists) get the same treatment.
    document.body.addEventListener("htmx:load", function (event) {
      bindPrint(event.target);
      wrapTables(event.target);
      focusErrorSummary(event.target);  // a form sent with htmx that came back refused
    });
  });
})();
