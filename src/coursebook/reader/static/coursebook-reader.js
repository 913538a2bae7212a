/* The language switch: 한국어 / English / 둘 다 (both).
 *
 * Runs in <head>, before the page paints: it sets <html data-coursebook-lang> (which
 * coursebook-reader.css uses to hide the other language) and <html lang>. Without
 * JavaScript nothing is hidden and both languages show.
 *
 * The reader's choice is kept in localStorage; until there is one, the first of
 * the browser's languages that is Korean or English decides, and English is the
 * fallback.
 *
 * Text comes in both languages from the server (lang spans). Attributes cannot
 * hold markup: the build writes the theme's tooltips and labels as
 * "한국어 · English" (coursebook.reader.ui_strings), and this script keeps the half
 * of the chosen language, in the page's title too. Strings that other scripts
 * write later (the copy button's tooltip) are looked up in window.coursebookUiStrings.
 */
(function () {
  "use strict";

  var KEY = "coursebook-lang";
  var CHOICES = ["ko", "en", "both"];
  var root = document.documentElement;
  var siteLang = root.getAttribute("data-coursebook-site-lang") || root.getAttribute("lang") || "ko";
  root.setAttribute("data-coursebook-site-lang", siteLang);

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

  // --- Attributes and the page's title: one language, as the text ---------------------
  var SEPARATOR = " · ";
  var HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;
  var LATIN = /[A-Za-z]/;
  var ATTRIBUTES = ["title", "aria-label", "placeholder", "alt", "data-bs-title", "data-bs-original-title", "data-tooltip", "data-toggle-hint"];
  var SELECTOR = ATTRIBUTES.map(function (name) { return "[" + name + "]"; }).join(",");
  var scriptStrings = window.coursebookUiStrings || {};

  // "모형 · The model" -> ["모형", "The model"]; null for anything else (bilingual.split_pair: the same rule).
  function splitPair(text) {
    var halves = text.split(SEPARATOR);
    if (halves.length !== 2) return null;
    var korean = halves[0].trim(), english = halves[1].trim();
    return HANGUL.test(korean) && !HANGUL.test(english) && LATIN.test(english) ? [korean, english] : null;
  }

  function pick(pair, choice) {
    return choice === "ko" ? pair[0] : choice === "en" ? pair[1] : pair[0] + SEPARATOR + pair[1];
  }

  // An attribute's two languages are kept in data-coursebook-both-<name>, so switching back and forth
  // loses nothing; a value that a script sets later (the copy button's "Copied!") starts afresh.
  function localizeElement(element, choice) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var name = ATTRIBUTES[i];
      var value = element.getAttribute(name);
      if (value === null || value === "") continue;
      var keptName = "data-coursebook-both-" + (name === "data-bs-original-title" && !element.hasAttribute("data-coursebook-both-" + name) ? "title" : name);
      var kept = element.getAttribute(keptName); // Bootstrap moves a tooltip's title to data-bs-original-title
      var pair = kept === null ? null : splitPair(kept);
      if (!pair || (value !== kept && value !== pair[0] && value !== pair[1])) {
        pair = splitPair(value) || scriptStrings[value] || null;
        if (!pair) continue;
        element.setAttribute("data-coursebook-both-" + name, pair[0] + SEPARATOR + pair[1]);
      }
      var wanted = pick(pair, choice);
      if (value === wanted) continue;
      element.setAttribute(name, wanted);
      // Bootstrap read data-bs-title once, when it made the tooltip
      var tooltip = name === "data-bs-title" && window.bootstrap ? window.bootstrap.Tooltip.getInstance(element) : null;
      if (tooltip) tooltip.setContent({ ".tooltip-inner": wanted });
    }
  }

  function localizeTree(node, choice) {
    if (node.nodeType !== 1) return;
    localizeElement(node, choice);
    var elements = node.querySelectorAll(SELECTOR);
    for (var i = 0; i < elements.length; i++) localizeElement(elements[i], choice);
    var titles = node.matches(ICON_TITLES) ? [node] : node.querySelectorAll(ICON_TITLES);
    for (var j = 0; j < titles.length; j++) localizeIconTitle(titles[j], choice);
  }

  // A button's icon can name it in an SVG <title>: the copy button's, and Font Awesome's, which
  // turns <i title="밝게 · Light"> into <svg><title>, before or after this script split the title
  // (after: the <svg> inherits the <i>'s data-coursebook-both-title).
  var ICON_TITLES = "button svg title";
  function localizeIconTitle(title, choice) {
    var kept = title.getAttribute("data-coursebook-both") || title.parentElement.getAttribute("data-coursebook-both-title");
    var text = title.textContent.trim();
    var pair = kept && splitPair(kept);
    if (!pair || (text !== kept && text !== pair[0] && text !== pair[1])) pair = splitPair(text) || scriptStrings[text];
    if (!pair) return;
    title.setAttribute("data-coursebook-both", pair[0] + SEPARATOR + pair[1]);
    if (text !== pick(pair, choice)) title.textContent = pick(pair, choice);
  }

  var bothTitle = null, shownTitle = null;
  function localizeTitle(choice) {
    if (document.title !== shownTitle) bothTitle = document.title; // the first time, or a script set it (search)
    // "예제1: 선형모형 · Linear model — 신경망 기초 · Neural-network basics": each part on its own
    shownTitle = bothTitle.split(/( [\u2014-] )/).map(function (part) {
      var pair = splitPair(part);
      return pair ? pick(pair, choice) : part;
    }).join("");
    if (document.title !== shownTitle) document.title = shownTitle;
  }

  var BOTH_LABELS = { ko: "둘 다", en: "Both", both: "둘 다 · Both" };
  function localizeSwitch(choice) {
    var option = document.querySelector('#coursebook-lang-select option[value="both"]');
    if (option) {
      option.textContent = BOTH_LABELS[choice];
      option.lang = choice === "en" ? "en" : "ko";
    }
  }

  function localize(choice) {
    localizeTree(document.body, choice);
    localizeTitle(choice);
    localizeSwitch(choice);
  }

  var ready = false;
  function apply(choice) {
    root.setAttribute("data-coursebook-lang", choice);
    root.setAttribute("lang", choice === "en" ? "en" : siteLang); // "both": the site's language
    var select = document.getElementById("coursebook-lang-select");
    if (select) select.value = choice;
    if (ready) localize(choice);
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
    var diagrams = document.querySelectorAll(".coursebook-diagram");
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

  // Registered in <head>, so it runs before the theme's scripts read the tooltips.
  document.addEventListener("DOMContentLoaded", function () {
    ready = true;
    localize(root.getAttribute("data-coursebook-lang"));
    // Scripts add buttons and change tooltips later (copy buttons, "Copied!", Bootstrap's tooltips).
    new MutationObserver(function (records) {
      var choice = root.getAttribute("data-coursebook-lang");
      for (var i = 0; i < records.length; i++) {
        var record = records[i];
        if (record.type === "attributes") localizeElement(record.target, choice);
        else for (var j = 0; j < record.addedNodes.length; j++) localizeTree(record.addedNodes[j], choice);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ATTRIBUTES });
    var titleElement = document.querySelector("head > title");
    if (titleElement) {
      new MutationObserver(function () {
        localizeTitle(root.getAttribute("data-coursebook-lang"));
      }).observe(titleElement, { childList: true, characterData: true, subtree: true });
    }

    var select = document.getElementById("coursebook-lang-select");
    if (!select) return;
    select.value = root.getAttribute("data-coursebook-lang");
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
