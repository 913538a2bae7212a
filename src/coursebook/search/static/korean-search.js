/* Korean-aware search for the course book: the search page's script.
 *
 * The index (the folder korean-search/, written by coursebook.search) is
 * split so that a search loads only what its query needs: meta.js (rules,
 * synonyms, page titles and headings), the term files of the query's words (the
 * words filed under their first two letters, with the sections they occur in),
 * and the text of the results shown, ten at a time. Each file is a script that calls
 * KOREAN_SEARCH_LOAD(name, data), so the search also works from file://.
 * The matching rules are those of tests/search_reference.py (the same in Python,
 * with the reasons); tests check that this file and that module give the same pages.
 *
 *   Stop words (question and function words, per language) are dropped.
 *   Hangul term (2+ syllables): one trailing particle or ending comes off
 *       (신경망으로는 -> 신경망) and the rest matches a word that contains it
 *       (곡선 -> 곡선을, 함수 -> 활성화함수를); if nothing does, a compound is cut
 *       into words the book has (손실함수 -> 손실, 함수).
 *   Latin term (2+ characters): equal, same light stem (networks ~ network),
 *       or, from 4 characters on, a prefix (optim -> optimizer).
 *   Synonyms from the glossary (its names, its {variants}) are looked for too.
 *   Code names as written (optimizer.step, zero_grad) are words too.
 *   Pages matching the most terms come first, then by weight (title, best section);
 *   a term the book does not have is left out, so a query finds nothing only if
 *   none of its terms is in the book.
 */
(function () {
  "use strict";

  let TOKEN_RE = null; // the build's token pattern and Hangul syllables, from the index's rules
  let HANGUL = null;
  const SCRIPT = document.currentScript;
  const FOLDER = SCRIPT.dataset.folder; // the index folder, relative to this page, ending in "/"
  const BUILD = SCRIPT.dataset.build; // the build the page was made with
  let RULES = null;
  const SNIPPET_BEFORE = 50;
  const SNIPPET_LENGTH = 200;
  // ----- tokens and matching (the rules of tests/search_reference.py) -----

  const isHangul = (token) => HANGUL.test(token.charAt(0));

  /** Tokens of an NFC string with their positions: [{token, start, end}]. */
  function tokenize(text) {
    const found = [];
    for (const match of text.matchAll(TOKEN_RE)) {
      found.push({ token: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
    }
    return found;
  }

  const tokens = (text) => tokenize(text.normalize("NFC")).map((t) => t.token);

  /** Tokens, then each code name as written (optimizer.step, zero_grad) and without its leading
   * parts (torch.nn.mseloss, nn.mseloss), as korean_search.words. */
  const words = (text) => {
    const names = [];
    for (const match of text.normalize("NFC").matchAll(/[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+/g)) {
      const name = match[0].toLowerCase();
      if (!/[a-z]/.test(name)) continue;
      const starts = [0];
      for (let i = 0; i < name.length; i++) if (name[i] === "." || name[i] === "_") starts.push(i + 1);
      starts.pop();
      starts.forEach((start) => names.push(name.slice(start)));
    }
    return [...tokens(text), ...names];
  };

  const isStopword = (term) =>
    RULES.stopwords.includes(term) || (isHangul(term) && RULES.stopwords.includes(stripKoreanEnding(term)));

  function queryTerms(query) {
    const terms = [...new Set(words(query).filter((t) => t.length >= RULES.min_term_length))];
    const content = terms.filter((t) => !isStopword(t));
    const kept = content.length ? content : terms;
    const forms = new Set();
    return kept.filter((t) => !forms.has(lookupForm(t)) && forms.add(lookupForm(t))); // 노드는 ... 노드가: once
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
    return w.slice(0, 2) + w.slice(2).replaceAll("iz", "is").replaceAll("yz", "ys");
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

  const lookupForm = (term) => (isHangul(term) ? stripKoreanEnding(term) || term : term);
  const synonymKey = (word) => (isHangul(word) ? word : englishStem(word));

  /** Map(synonym key -> the other names of its glossary groups) (korean_search.synonym_table). */
  function synonymTable(groups) {
    const table = new Map();
    for (const names of groups) {
      for (const word of names) {
        if (tokens(word).length !== 1 || word.length < RULES.min_term_length) continue;
        const key = synonymKey(word);
        if (!table.has(key)) table.set(key, []);
        const others = table.get(key);
        for (const o of names) if (o !== word && !others.includes(o)) others.push(o);
      }
    }
    return table;
  }

  /** [words a term looks for, its synonyms of several words as their words] (korean_search.term_forms). */
  function termForms(term, synonyms) {
    const form = lookupForm(term);
    const found = [...new Set([...(synonyms.get(synonymKey(form)) || []), ...(synonyms.get(synonymKey(term)) || [])])];
    const words = [...new Set([form, ...found.filter((s) => !s.includes(" "))])];
    const phrases = found.filter((s) => s.includes(" ")).map((s) => s.split(" ").filter((w) => w.length >= RULES.min_term_length));
    return [words, phrases.filter((phrase) => phrase.length)];
  }

  const termKeys = (term, synonyms) => {
    const [words, phrases] = termForms(term, synonyms);
    return [...words, ...phrases.flat()];
  };

  function wordHits(form, vocabulary) {
    const hits = new Set();
    if (isHangul(form)) {
      for (const t of vocabulary) if (isHangul(t) && t.includes(form)) hits.add(t);
    } else {
      for (const t of vocabulary) if (latinMatch(form, t)) hits.add(t);
    }
    return hits;
  }

  /** A Hangul word no word of the book contains, cut into the fewest parts the book has, or
   * without a last syllable that is a noun of its own (korean_search.split_compound). */
  function splitCompound(word, vocabulary) {
    const parts = cutCompound(word, vocabulary);
    if (parts || word.length <= RULES.min_term_length || !(RULES.korean_suffixes || []).includes(word[word.length - 1])) {
      return parts;
    }
    const head = word.slice(0, -1);
    return wordHits(head, vocabulary).size ? [head] : cutCompound(head, vocabulary);
  }

  function cutCompound(word, vocabulary) {
    const min = RULES.min_term_length;
    const best = new Map([[word.length, []]]);
    for (let start = word.length - min; start >= 0; start--) {
      for (let end = word.length; end >= start + min; end--) {
        if ((start === 0 && end === word.length) || !best.has(end)) continue;
        const part = word.slice(start, end);
        if ((!best.has(start) || 1 + best.get(end).length < best.get(start).length) && wordHits(part, vocabulary).size) {
          best.set(start, [part, ...best.get(end)]);
        }
      }
    }
    return best.get(0) || null;
  }

  /** [{term, forms, hits}] for the query's terms (korean_search.resolve_terms). */
  function resolveTerms(terms, vocabulary, synonyms) {
    const resolved = [];
    for (const term of terms) {
      const [forms, phrases] = termForms(term, synonyms);
      const hits = new Set();
      for (const form of forms) wordHits(form, vocabulary).forEach((h) => hits.add(h));
      let parts = null;
      if (!hits.size) {
        parts = phrases.length ? phrases[0] : isHangul(term) ? splitCompound(forms[0], vocabulary) : null;
      }
      if (parts) parts.forEach((part) => resolved.push({ term, forms: [part], hits: wordHits(part, vocabulary) }));
      else resolved.push({ term, forms, hits });
    }
    return resolved;
  }

  /** The keys a term's parts could be filed under, should it match nothing as it is. */
  function compoundKeys(term) {
    const form = lookupForm(term);
    const keys = [];
    if (isHangul(term)) for (let i = 0; i < form.length - 1; i++) keys.push(form.slice(i, i + 2));
    return keys;
  }

  const TITLE_WEIGHT = 5;
  const HEADING_WEIGHT = 5;
  const TEXT_CAP = 3;

  /** For each term, on a page: {found, inTitle, sections: its score in each section} (korean_search.term_places). */
  function termPlaces(page, resolved) {
    return resolved.map((r) => {
      const inTitle = hasAny(page.title, r.hits);
      const places = r.places.get(page.order) || new Map();
      const sections = page.sections.map(
        (section, s) => (hasAny(section.headingTokens, r.hits) ? HEADING_WEIGHT : 0) + Math.min(places.get(s) || 0, TEXT_CAP),
      );
      return { found: inTitle || sections.some((v) => v > 0), inTitle, sections };
    });
  }

  /** 1 + k for the largest k with (pages the term is on) * 2**k <= pages (korean_search.term_weights). */
  function termWeights(places) {
    return (places[0] || []).map((_, t) => {
      const found = places.filter((page) => page[t].found).length;
      let k = 0;
      while (found && found * 2 ** (k + 1) <= places.length) k += 1;
      return 1 + k;
    });
  }

  /** {matched, score, best section} of a page (korean_search.score_page). */
  function scorePage(page, places, weights) {
    let title = 0;
    places.forEach((p, t) => (title += p.inTitle ? weights[t] * TITLE_WEIGHT : 0));
    const sections = page.sections.map((_, s) => places.reduce((sum, p, t) => sum + weights[t] * p.sections[s], 0));
    let best = sections.length ? 0 : -1;
    sections.forEach((score, s) => {
      if (score > sections[best]) best = s;
    });
    return { matched: places.filter((p) => p.found).length, score: title + (best >= 0 ? sections[best] : 0), best };
  }

  /** The term file a term's words are filed in: FNV-1a of its first two letters (as korean_search.bucket_of). */
  function bucketOf(key, buckets) {
    let value = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      value = Math.imul(value ^ key.charCodeAt(i), 0x01000193) >>> 0;
    }
    return value % buckets;
  }

  // ----- the index, loaded as needed -----

  const files = new Map(); // name -> Promise of the file's data
  const pending = new Map(); // name -> resolve, until the file's script has called in
  window.KOREAN_SEARCH_LOAD = (name, data) => {
    const resolve = pending.get(name);
    if (resolve) {
      pending.delete(name);
      resolve(data);
    }
  };

  class StaleIndex extends Error {}

  /** One file of the index; every file must come from the same build as meta.js. */
  function load(name, build) {
    if (!files.has(name)) {
      const promise = new Promise((resolve, reject) => {
        pending.set(name, resolve);
        const script = document.createElement("script");
        script.src = `${FOLDER}${name}.js?v=${encodeURIComponent(build)}`;
        const failed = () => {
          pending.delete(name);
          files.delete(name); // a later search may try again
          reject(new Error(`${name}.js could not be loaded`));
        };
        script.onerror = failed;
        script.onload = () => pending.has(name) && failed();
        document.head.append(script);
      }).then((data) => {
        if (data.build !== build) throw new StaleIndex(name);
        return data;
      });
      files.set(name, promise);
    }
    return files.get(name);
  }

  let index = null; // {buckets, resultsAtOnce, pages, vocabulary, synonyms}, from meta.js

  async function ready() {
    if (index) return index;
    const meta = await load("meta", BUILD);
    RULES = meta.rules;
    TOKEN_RE = new RegExp(RULES.token_pattern, "g");
    HANGUL = new RegExp(`[${RULES.syllables}]`);
    const pages = meta.pages.map(([url, titleText, sections], order) => {
      const title = new Set(words(titleText));
      const heads = sections.map(([anchor, heading]) => ({ anchor, heading, headingTokens: new Set(words(heading)) }));
      const headings = new Set();
      heads.forEach((s) => s.headingTokens.forEach((t) => headings.add(t)));
      return { order, url, titleText, title, headings, sections: heads };
    });
    const vocabulary = new Set();
    pages.forEach((page) => [...page.title, ...page.headings].forEach((t) => vocabulary.add(t)));
    const synonyms = synonymTable(RULES.synonyms || []);
    index = { buckets: meta.buckets, resultsAtOnce: meta.results_at_once, pages, vocabulary, synonyms };
    return index;
  }

  const hasAny = (set, hits) => {
    for (const h of hits) if (set.has(h)) return true;
    return false;
  };

  /** Matching pages, best first, as korean_search.search_split: {resolved, results: [{page, score}]}.
   * resolved: the terms with the words they matched; each also holds where its words occur:
   * places = Map(page -> Map(section -> count)). Terms that match nothing are in `missing`. */
  async function search(terms) {
    const postings = new Map();
    const loadedNames = new Set();
    async function read(keys) {
      const names = [...new Set(keys.map((k) => "t" + bucketOf(k.slice(0, 2), index.buckets)))].filter((n) => !loadedNames.has(n));
      names.forEach((n) => loadedNames.add(n));
      for (const file of await Promise.all(names.map((name) => load(name, BUILD)))) {
        for (const [word, places] of Object.entries(file.terms)) postings.set(word, places);
      }
      const vocabulary = new Set(index.vocabulary);
      postings.forEach((_, word) => vocabulary.add(word));
      return vocabulary;
    }
    let vocabulary = await read(terms.flatMap((t) => termKeys(t, index.synonyms)));
    const unmatched = terms.filter(
      (t) => isHangul(t) && !termForms(t, index.synonyms)[0].some((f) => wordHits(f, vocabulary).size),
    );
    if (unmatched.length) vocabulary = await read(unmatched.flatMap(compoundKeys));
    const all = resolveTerms(terms, vocabulary, index.synonyms);
    const resolved = all.filter((r) => r.hits.size);
    // a code name not written as typed is not reported: its words are terms of their own
    const missing = all.filter((r) => !r.hits.size && !/[._]/.test(r.term)).map((r) => r.term);
    for (const r of resolved) {
      r.places = new Map();
      for (const word of r.hits) {
        for (const [page, section, count] of postings.get(word) || []) {
          if (!r.places.has(page)) r.places.set(page, new Map());
          const sections = r.places.get(page);
          sections.set(section, (sections.get(section) || 0) + count);
        }
      }
    }
    const places = index.pages.map((page) => termPlaces(page, resolved));
    const weights = termWeights(places);
    const results = [];
    index.pages.forEach((page, p) => {
      const { matched, score, best } = scorePage(page, places[p], weights);
      if (matched) results.push({ page, matched, score, best });
    });
    results.sort((a, b) => b.matched - a.matched || b.score - a.score || a.page.order - b.page.order);
    return { resolved, missing, results };
  }

  // ----- rendering -----

  /** Character ranges to <mark> inside one matching token. */
  function markRanges(token, resolved) {
    const ranges = [];
    for (const r of resolved) {
      if (!r.hits.has(token.token)) continue;
      const form = isHangul(token.token) && r.forms.find((f) => isHangul(f) && token.token.includes(f));
      if (form) {
        for (let i = token.token.indexOf(form); i >= 0; i = token.token.indexOf(form, i + 1)) {
          ranges.push([token.start + i, token.start + i + form.length]);
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
  function snippet(text, resolved) {
    const textTokens = tokenize(text);
    const first = textTokens.find((t) => resolved.some((r) => r.hits.has(t.token)));
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
    appendMarked(paragraph, text, textTokens, start, end, resolved);
    if (end < text.length) paragraph.append(" …");
    if (!HANGUL.test(text.slice(start, end))) paragraph.lang = "en";
    return paragraph;
  }

  /** One result: the page's title, the best section's heading and a snippet of its text (texts: the page file's). */
  function renderResult(page, best, texts, resolved) {
    const item = document.createElement("li");
    item.className = "korean-search__result";
    const section = best >= 0 ? page.sections[best] : null;
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
    if (section && texts[best]) item.append(snippet(texts[best], resolved));
    return item;
  }

  // ----- the page -----

  const form = document.getElementById("korean-search-form");
  const input = document.getElementById("korean-search-input");
  const status = document.getElementById("korean-search-status");
  const list = document.getElementById("korean-search-results");
  const baseTitle = document.title;

  // Both languages, as lang spans that the language switch (coursebook-reader.css) shows or hides.
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

  const more = document.createElement("button");
  more.type = "button";
  more.className = "korean-search__more";
  more.hidden = true;
  list.after(more);

  let generation = 0; // the latest search; an older one that finishes late shows nothing
  let shown = null; // {resolved, results, count}: the latest search's results, count of them on the page

  function failed(error) {
    if (error instanceof StaleIndex) {
      say("검색 색인이 새로 만들어졌습니다. 페이지를 새로 고치세요.", "The search index was rebuilt: reload the page.");
    } else {
      say("검색 색인을 읽지 못했습니다.", "The search index could not be loaded.");
    }
  }

  /** Show the next results (and load their pages' texts). */
  async function showMore(mine) {
    const { resolved, results } = shown;
    const batch = results.slice(shown.count, shown.count + index.resultsAtOnce);
    const texts = await Promise.all(batch.map(({ page }) => load("p" + page.order, BUILD)));
    if (mine !== generation) return null;
    const items = batch.map(({ page, best }, i) => renderResult(page, best, texts[i].texts, resolved));
    list.append(...items);
    shown.count += batch.length;
    const left = results.length - shown.count;
    more.hidden = left <= 0;
    more.replaceChildren(`결과 ${left}개 더 보기 · `);
    const english = document.createElement("span");
    english.lang = "en";
    english.textContent = `${left} more result${left > 1 ? "s" : ""}`;
    more.append(english);
    return items[0] || null;
  }

  async function run(query) {
    const mine = ++generation;
    list.replaceChildren();
    more.hidden = true;
    list.dataset.state = "loading";
    list.dataset.query = query;
    try {
      await ready();
      if (mine !== generation) return;
      if (!query.trim()) {
        say("검색어를 입력하세요.", "Type a word to search for.");
      } else {
        document.title = `${query} - ${baseTitle}`;
        const terms = queryTerms(query);
        if (!terms.length) {
          say("두 글자 이상으로 검색하세요.", "Search for words of two or more letters.");
        } else {
          const { resolved, missing, results } = await search(terms);
          if (mine !== generation) return;
          shown = { resolved, results, count: 0 };
          await showMore(mine);
          if (mine !== generation) return;
          if (!results.length) {
            say(`‘${query}’에 맞는 페이지가 없습니다.`, `No page matches ‘${query}’.`);
          } else {
            // words the book does not have are left out; say which, so a typo is noticed
            const left = missing.length ? missing.join(", ") : "";
            say(
              `${results.length}개 페이지에서 찾았습니다.` + (left ? ` 책에 없는 낱말: ${left}` : ""),
              `${results.length} page${results.length > 1 ? "s" : ""} found.` + (left ? ` Not in the book: ${left}` : ""),
            );
          }
        }
      }
    } catch (error) {
      if (mine !== generation) return;
      failed(error);
    }
    list.dataset.state = "done";
  }

  more.addEventListener("click", async () => {
    const mine = generation;
    list.dataset.state = "loading";
    try {
      const first = await showMore(mine);
      if (first) first.querySelector("a").focus(); // keyboard and screen-reader users continue from the new results
    } catch (error) {
      failed(error);
    }
    if (mine === generation) list.dataset.state = "done";
  });

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
  window.KoreanSearch = { tokens, words, queryTerms, englishStem, stripKoreanEnding, resolveTerms, splitCompound, bucketOf, run };
})();
