/* The language switch: 한국어 / English / 둘 다 (both).
 *
 * Runs in <head>, before the page paints: it sets <html data-nnstep-lang> (which
 * nnstep-reader.css uses to hide the other language) and <html lang>. Without
 * JavaScript nothing is hidden and both languages show.
 *
 * The reader's choice is kept in localStorage; until there is one, the first of
 * the browser's languages that is Korean or English decides, and English is the
 * fallback.
 */
(function () {
  "use strict";

  var KEY = "nnstep-lang";
  var CHOICES = ["ko", "en", "both"];
  var root = document.documentElement;
  var siteLang = root.getAttribute("data-nnstep-site-lang") || root.getAttribute("lang") || "ko";
  root.setAttribute("data-nnstep-site-lang", siteLang);

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return CHOICES.indexOf(value) >= 0 ? value : null;
    } catch (error) {
      return null; // storage blocked: follow the browser every time
    }
  }

  function fromBrowser() {
    var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < languages.length; i++) {
      var tag = String(languages[i]).toLowerCase();
      if (tag === "ko" || tag.indexOf("ko-") === 0) return "ko";
      if (tag === "en" || tag.indexOf("en-") === 0) return "en";
    }
    return "en";
  }

  function apply(choice) {
    root.setAttribute("data-nnstep-lang", choice);
    root.setAttribute("lang", choice === "en" ? "en" : siteLang); // "both": the site's language
    var select = document.getElementById("nnstep-lang-select");
    if (select) select.value = choice;
  }

  function choose(choice) {
    if (CHOICES.indexOf(choice) < 0) return;
    try {
      window.localStorage.setItem(KEY, choice);
    } catch (error) {
      /* not kept, but still applied to this page */
    }
    apply(choice);
  }

  apply(stored() || fromBrowser());

  // A diagram wider than the column scrolls inside its own box; keyboard users need to
  // reach that box to scroll it (the theme does the same for code and outputs).
  function markScrollableDiagrams() {
    var diagrams = document.querySelectorAll(".nnstep-diagram");
    for (var i = 0; i < diagrams.length; i++) {
      if (diagrams[i].scrollWidth > diagrams[i].clientWidth + 1) diagrams[i].setAttribute("tabindex", "0");
      else diagrams[i].removeAttribute("tabindex");
    }
  }
  var resizeTimer = null;
  window.addEventListener("load", markScrollableDiagrams);
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollableDiagrams, 200);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("nnstep-lang-select");
    if (!select) return;
    select.value = root.getAttribute("data-nnstep-lang");
    select.addEventListener("change", function () {
      choose(select.value);
      markScrollableDiagrams();
    });
  });

  // A choice made in another tab applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(stored() || fromBrowser());
  });
})();
