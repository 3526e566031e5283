/* Searchable comboboxes (kraftsenter/core/widgets.py), after the WAI-ARIA combobox pattern:
   the text box has role=combobox, aria-expanded, aria-controls (its listbox) and
   aria-activedescendant (the option the arrow keys are on); Down/Up move through the options
   (Alt+Down opens the list), Enter chooses, Escape closes the list (and clears the box if the
   list is already closed). Options come from the widget's JSON endpoint ({results: [{value,
   label, detail}]}), searched as the user types.

   Single value ([data-ks-combobox]): the box shows the chosen name; a hidden twin carries the
   field's name and sends the chosen value, or the text as typed when nothing was chosen (the
   server then accepts a number or an exact name, or says what is wrong).
   Several values ([data-ks-combobox-list]): a combobox above the textarea adds each chosen
   value as a line.
   Without JavaScript both stay plain text fields. Rows added to a page later (formsets,
   htmx) are enhanced as they appear. */
(function () {
  "use strict";

  var counter = 0;

  function combobox(input, container, onChoose) {
    var listId = (input.id || ("ks-combobox-" + (++counter))) + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "ks-combobox__list";
    list.setAttribute("role", "listbox");
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    if (label) {
      if (!label.id) label.id = input.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "ds-sr-only ks-combobox__status";
    status.setAttribute("role", "status");
    container.classList.add("ks-combobox--ready");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var asked = 0;
    var timer = null;
    var source = container.dataset.ksCombobox || container.dataset.ksComboboxList;

    function setActive(index) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      close();
      onChoose(option);
    }

    function render(results) {
      options = results;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.textContent = "";
      results.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.className = "ks-combobox__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.value = option.value;
        var name = document.createElement("span");
        name.className = "ks-combobox__name";
        name.textContent = option.label;
        item.appendChild(name);
        if (option.detail) {
          var detail = document.createElement("span");
          detail.className = "ks-combobox__detail";
          detail.textContent = option.detail;
          item.appendChild(document.createTextNode(" "));
          item.appendChild(detail);
        }
        // mousedown, not click: the box must not lose the focus (and close) first.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(item);
      });
      status.textContent = results.length ?
        (container.dataset.ksResultsHint || "%(count)s").replace("%(count)s", results.length) :
        (container.dataset.ksNoResults || "");
      if (results.length && document.activeElement === input) open(); else close();
    }

    function search(then) {
      var mine = ++asked;
      var url = source + (source.indexOf("?") < 0 ? "?" : "&") + "q=" +
        encodeURIComponent(input.value.trim());
      fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          if (mine !== asked) return;  // an older answer arriving late
          render(data.results || []);
          if (then) then();
        })
        .catch(function () { if (mine === asked) render([]); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var down = event.key === "ArrowDown";
        if (!expanded) {
          var first = function () { open(); if (!event.altKey) setActive(down ? 0 : options.length - 1); };
          if (options.length) first(); else search(first);
          return;
        }
        if (!options.length) return;
        setActive(down ? (active + 1) % options.length :
          (active <= 0 ? options.length - 1 : active - 1));
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault();  // choose, do not send the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          input.dispatchEvent(new Event("input", {bubbles: true}));
        }
      }
    });
    input.addEventListener("blur", function () { close(); });
  }

  function enhanceOne(container) {
    var input = container.querySelector("input:not([type=hidden])");
    if (!input || !input.name) return;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    hidden.dataset.ksComboboxValue = "";
    input.removeAttribute("name");
    container.appendChild(hidden);
    if (container.dataset.ksComboboxDisplay) input.value = container.dataset.ksComboboxDisplay;
    var chosen = {label: input.value, value: hidden.value};
    input.addEventListener("input", function () {
      hidden.value = input.value === chosen.label ? chosen.value : input.value;
    });
    combobox(input, container, function (option) {
      chosen = {label: option.label, value: option.value};
      input.value = option.label;
      hidden.value = option.value;
    });
  }

  function enhanceList(container) {
    var textarea = container.querySelector("textarea");
    if (!textarea) return;
    var field = document.createElement("div");
    field.className = "ks-combobox ks-combobox--add";
    var label = document.createElement("label");
    label.className = "ds-label";
    label.setAttribute("data-weight", "regular");
    var input = document.createElement("input");
    input.type = "text";
    input.className = "ds-input";
    input.id = (textarea.id || ("ks-combobox-" + (++counter))) + "-add";
    label.htmlFor = input.id;
    label.textContent = container.dataset.ksAddLabel || "";
    field.appendChild(label);
    field.appendChild(input);
    container.insertBefore(field, textarea);
    field.dataset.ksComboboxList = container.dataset.ksComboboxList;
    field.dataset.ksNoResults = container.dataset.ksNoResults || "";
    field.dataset.ksResultsHint = container.dataset.ksResultsHint || "";
    combobox(input, field, function (option) {
      var lines = textarea.value.split("\n").map(function (l) { return l.trim(); })
        .filter(function (l) { return l; });
      if (lines.indexOf(option.value) < 0) lines.push(option.value);
      textarea.value = lines.join("\n");
      input.value = "";
    });
  }

  function enhance(root) {
    if (!root.querySelectorAll) return;
    var singles = root.matches && root.matches("[data-ks-combobox]") ? [root] : [];
    root.querySelectorAll("[data-ks-combobox]").forEach(function (c) { singles.push(c); });
    singles.forEach(function (container) {
      if (container.dataset.ksComboboxReady) return;  // once per field, however often this runs
      container.dataset.ksComboboxReady = "1";
      enhanceOne(container);
    });
    root.querySelectorAll("[data-ks-combobox-list]").forEach(function (container) {
      if (container.classList.contains("ks-combobox--add") || container.dataset.ksComboboxReady) return;
      container.dataset.ksComboboxReady = "1";
      enhanceList(container);
    });
  }

  function start() {
    enhance(document);
    // Rows added later (another participant, a part replaced by htmx) get the same treatment.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) { if (node.nodeType === 1) enhance(node); });
      });
    }).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
