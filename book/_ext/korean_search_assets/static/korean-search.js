/* Korean-aware search for the course book: the search page's script.
 *
 * The index (korean-search-index.js, written by book/_ext/korean_search.py) holds
 * the prose of every page, section by section, and the lists the rules need.
 * The matching rules are those of korean_search.py (the reference, with the
 * reasons); tests check that this file and that module give the same pages.
 *
 *   Hangul term (2+ syllables): matches a word that contains it
 *       곡선 -> 곡선을, 함수 -> 활성화함수를; if no word in the book contains
 *       it, one trailing particle or ending is dropped: 신경망으로는 -> 신경망.
 *   Latin term (2+ characters): equal, same light stem (networks ~ network),
 *       or, from 4 characters on, a prefix (optim -> optimizer).
 *   All terms must match on a page.
 */
(function () {
  "use strict";

  const TOKEN_RE = /[가-힣]+|[A-Za-z0-9]+/g;
  const INDEX = window.KOREAN_SEARCH_INDEX;
  const RULES = INDEX ? INDEX.rules : null;
  const SNIPPET_BEFORE = 50;
  const SNIPPET_LENGTH = 200;

  // ----- tokens and matching (mirror of korean_search.py) -----

  const isHangul = (token) => {
    const c = token.charCodeAt(0);
    return c >= 0xac00 && c <= 0xd7a3;
  };

  /** Tokens of an NFC string with their positions: [{token, start, end}]. */
  function tokenize(text) {
    const found = [];
    for (const match of text.matchAll(TOKEN_RE)) {
      found.push({ token: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
    }
    return found;
  }

  const tokens = (text) => tokenize(text.normalize("NFC")).map((t) => t.token);

  function queryTerms(query) {
    const terms = [...new Set(tokens(query).filter((t) => t.length >= RULES.min_term_length))];
    const content = terms.filter((t) => !RULES.stopwords.includes(t));
    return content.length ? content : terms;
  }

  const endsWithAny = (w, endings) => endings.some((e) => w.endsWith(e));

  function englishStem(word) {
    let w = word;
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
    if (w.endsWith("ies") && w.length > 4) return w.slice(0, -3) + "y";
    if (endsWithAny(w, ["sses", "shes", "ches", "xes", "zzes"])) w = w.slice(0, -2);
    else if (w.endsWith("s") && !endsWithAny(w, ["ss", "us", "is", "as"])) w = w.slice(0, -1);
    else if (w.endsWith("ing") && w.length >= 6) w = w.slice(0, -3);
    else if (w.endsWith("ed") && w.length >= 5) w = w.slice(0, -2);
    if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !"aeiouylsz".includes(w[w.length - 1])) {
      w = w.slice(0, -1);
    }
    if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
    return w;
  }

  function stripKoreanEnding(term) {
    for (const ending of RULES.korean_endings) {
      if (term.endsWith(ending) && term.length - ending.length >= RULES.min_term_length) {
        return term.slice(0, -ending.length);
      }
    }
    return null;
  }

  const isDigits = (w) => /^[0-9]+$/.test(w);

  function latinMatch(term, token) {
    if (token === term) return true;
    if (isDigits(term) || isDigits(token) || isHangul(token)) return false;
    if (englishStem(token) === englishStem(term)) return true;
    return term.length >= RULES.prefix_min_length && token.startsWith(term);
  }

  /** {term, form, hits}: the words of the book that a query term matches. */
  function resolveTerm(term, vocabulary) {
    const hits = new Set();
    if (isHangul(term)) {
      let form = term;
      for (const t of vocabulary) if (isHangul(t) && t.includes(term)) hits.add(t);
      const stem = hits.size ? null : stripKoreanEnding(term);
      if (stem) {
        form = stem;
        for (const t of vocabulary) if (isHangul(t) && t.includes(stem)) hits.add(t);
      }
      return { term, form, hits };
    }
    for (const t of vocabulary) if (latinMatch(term, t)) hits.add(t);
    return { term, form: term, hits };
  }

  // ----- the index, prepared once -----

  const pages = INDEX
    ? INDEX.pages.map((page, order) => {
        const title = new Set(tokens(page.title));
        const all = new Set(title);
        const sections = page.sections.map(([anchor, heading, text]) => {
          const headingTokens = new Set(tokens(heading));
          const textTokens = tokenize(text);
          headingTokens.forEach((t) => all.add(t));
          textTokens.forEach((t) => all.add(t.token));
          return { anchor, heading, text, headingTokens, textTokens };
        });
        return { order, url: page.url, titleText: page.title, title, sections, all };
      })
    : [];
  const vocabulary = new Set();
  pages.forEach((page) => page.all.forEach((t) => vocabulary.add(t)));

  const hasAny = (set, hits) => {
    for (const h of hits) if (set.has(h)) return true;
    return false;
  };

  /** Matching pages, best first: [{page, score}]. Same scores as korean_search.search(). */
  function search(terms) {
    const resolved = terms.map((term) => resolveTerm(term, vocabulary));
    if (!resolved.length || resolved.some((r) => r.hits.size === 0)) return { resolved, results: [] };
    const results = [];
    for (const page of pages) {
      if (!resolved.every((r) => hasAny(page.all, r.hits))) continue;
      let score = 0;
      for (const r of resolved) {
        if (hasAny(page.title, r.hits)) score += 10;
        if (page.sections.some((s) => hasAny(s.headingTokens, r.hits))) score += 5;
        let count = 0;
        for (const s of page.sections) for (const t of s.textTokens) if (r.hits.has(t.token)) count += 1;
        score += Math.min(count, 5);
      }
      results.push({ page, score });
    }
    results.sort((a, b) => b.score - a.score || a.page.order - b.page.order);
    return { resolved, results };
  }

  // ----- rendering -----

  /** The section that shows the most query terms (then the most matches, then the first). */
  function bestSection(page, resolved) {
    let best = null;
    let bestKey = [-1, -1];
    for (const section of page.sections) {
      let terms = 0;
      let count = 0;
      for (const r of resolved) {
        const inText = section.textTokens.filter((t) => r.hits.has(t.token)).length;
        if (inText || hasAny(section.headingTokens, r.hits)) terms += 1;
        count += inText;
      }
      if (terms > bestKey[0] || (terms === bestKey[0] && count > bestKey[1])) {
        best = section;
        bestKey = [terms, count];
      }
    }
    return best;
  }

  /** Character ranges to <mark> inside one matching token. */
  function markRanges(token, resolved) {
    const ranges = [];
    for (const r of resolved) {
      if (!r.hits.has(token.token)) continue;
      if (isHangul(token.token)) {
        for (let i = token.token.indexOf(r.form); i >= 0; i = token.token.indexOf(r.form, i + 1)) {
          ranges.push([token.start + i, token.start + i + r.form.length]);
        }
      } else {
        ranges.push([token.start, token.end]);
      }
    }
    return ranges;
  }

  /** Append text[start:end) to an element, with the matches of the query in <mark>. */
  function appendMarked(element, text, textTokens, start, end, resolved) {
    const ranges = textTokens
      .filter((t) => t.start >= start && t.end <= end)
      .flatMap((t) => markRanges(t, resolved))
      .sort((a, b) => a[0] - b[0]);
    let at = start;
    for (const [from, to] of ranges) {
      if (from < at) continue;
      element.append(text.slice(at, from));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(from, to);
      element.append(mark);
      at = to;
    }
    element.append(text.slice(at, end));
  }

  /** A window of the section's text around its first match. */
  function snippet(section, resolved) {
    const text = section.text;
    const first = section.textTokens.find((t) => resolved.some((r) => r.hits.has(t.token)));
    const from = first ? first.start : 0;
    let start = Math.max(0, from - SNIPPET_BEFORE);
    if (start > 0) {
      const space = text.indexOf(" ", start);
      start = space >= 0 && space < from ? space + 1 : start;
    }
    let end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      end = first && space > first.end ? space : end;
    }
    const paragraph = document.createElement("p");
    paragraph.className = "korean-search__snippet";
    if (start > 0) paragraph.append("… ");
    appendMarked(paragraph, text, section.textTokens, start, end, resolved);
    if (end < text.length) paragraph.append(" …");
    if (!/[가-힣]/.test(text.slice(start, end))) paragraph.lang = "en";
    return paragraph;
  }

  function renderResult(page, resolved) {
    const item = document.createElement("li");
    item.className = "korean-search__result";
    const section = bestSection(page, resolved);
    const link = document.createElement("a");
    link.className = "korean-search__title";
    link.href = page.url + (section && section.anchor ? "#" + section.anchor : "");
    appendMarked(link, page.titleText, tokenize(page.titleText), 0, page.titleText.length, resolved);
    item.append(link);
    if (section && section.anchor && section.heading) {
      const where = document.createElement("span");
      where.className = "korean-search__section";
      appendMarked(where, section.heading, tokenize(section.heading), 0, section.heading.length, resolved);
      item.append(where);
    }
    if (section && section.text) item.append(snippet(section, resolved));
    return item;
  }

  // ----- the page -----

  const form = document.getElementById("korean-search-form");
  const input = document.getElementById("korean-search-input");
  const status = document.getElementById("korean-search-status");
  const list = document.getElementById("korean-search-results");
  const baseTitle = document.title;

  // Both languages, as lang spans that the language switch (nnstep-reader.css) shows or hides.
  function say(korean, english) {
    const part = (language, text) => {
      const span = document.createElement("span");
      span.className = `lang-inline lang-${language}`;
      span.lang = language;
      span.textContent = text;
      return span;
    };
    const separator = document.createElement("span");
    separator.className = "lang-sep";
    separator.textContent = " · ";
    status.replaceChildren(part("ko", korean), separator, part("en", english));
  }

  function run(query) {
    list.replaceChildren();
    list.dataset.state = "done";
    list.dataset.query = query;
    if (!INDEX) {
      say("검색 색인을 읽지 못했습니다.", "The search index could not be loaded.");
      return;
    }
    if (!query.trim()) {
      say("검색어를 입력하세요.", "Type a word to search for.");
      return;
    }
    document.title = `${query} - ${baseTitle}`;
    const terms = queryTerms(query);
    if (!terms.length) {
      say("두 글자 이상으로 검색하세요.", "Search for words of two or more letters.");
      return;
    }
    const { resolved, results } = search(terms);
    results.forEach(({ page }) => list.append(renderResult(page, resolved)));
    if (!results.length) {
      say(`‘${query}’에 맞는 페이지가 없습니다.`, `No page matches ‘${query}’.`);
    } else {
      say(`${results.length}개 페이지에서 찾았습니다.`, `${results.length} page${results.length > 1 ? "s" : ""} found.`);
    }
  }

  function urlFor(query) {
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    return url;
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      window.history.replaceState(null, "", urlFor(input.value));
      run(input.value);
    }, 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    window.history.replaceState(null, "", urlFor(input.value));
    run(input.value);
  });

  const initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (!initial) input.focus();
  run(initial);

  // For tests: the same functions the page uses.
  window.KoreanSearch = { tokens, queryTerms, englishStem, stripKoreanEnding, resolveTerm, run };
})();
