/* Offers the visitor's own language (issue 16): the site is bokmål first for everyone who has
   not chosen, whatever the browser asks, so that every visitor and the anonymous response cache
   see the same page. When no language was chosen (no language cookie) and the browser's
   preferred languages (navigator.languages) name one the site has before bokmål, the hidden
   offer for that language in the header is shown: one sentence in that language and a link
   to the switch. Without JavaScript there is no offer, and the switch itself is always there. */
(function () {
  "use strict";
  var COOKIE = "django_language";

  function chosen() {
    return document.cookie.split(";").some(function (part) {
      return part.trim().indexOf(COOKIE + "=") === 0;
    });
  }

  // "nn-NO" -> "nn"; the Norwegian macro-language "no" is bokmål here, as it is for most.
  function base(tag) {
    var code = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return code === "no" ? "nb" : code;
  }

  // The site's language the browser puts first among those the site has, or "".
  function preferred(available) {
    var wanted = (navigator.languages && navigator.languages.length)
      ? navigator.languages : [navigator.language];
    for (var i = 0; i < wanted.length; i++) {
      var code = base(wanted[i]);
      if (available.indexOf(code) !== -1) return code;
    }
    return "";
  }

  function offer() {
    var box = document.querySelector("[data-ks-language-offer]");
    if (!box || chosen()) return;
    var links = document.querySelectorAll("[data-ks-languages] [data-ks-language]");
    var available = Array.prototype.map.call(links, function (a) {
      return a.getAttribute("data-ks-language");
    });
    var code = preferred(available);
    if (!code || code === box.getAttribute("data-ks-current")) return;
    var line = box.querySelector('[data-ks-offer="' + code + '"]');
    if (!line) return;
    line.hidden = false;
    box.hidden = false;
  }

  if (document.readyState !== "loading") offer();
  else document.addEventListener("DOMContentLoaded", offer);
})();
