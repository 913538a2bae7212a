// What a page searching with MiniSearch would load for any query: its whole serialized index.
// For docs/search.md's comparison; not part of the build (which needs no node). Run:
//   .venv/bin/python -m bench.search_size --sections /tmp/ms
//   cd /tmp/ms && npm i -E minisearch@7.2.0 && node /path/to/bench/minisearch_size.js
// Documents are the book's sections (title, heading, text), as the split index holds them.
const MiniSearch = require(require.resolve("minisearch", { paths: [process.cwd()] })); // installed where it runs
const fs = require("fs");
const zlib = require("zlib");

const TOKEN = /[가-힣]+|[A-Za-z0-9]+/g;
const words = (text) => text.normalize("NFC").match(TOKEN) || [];
const TOKENIZERS = [
  ["its default tokenizer", undefined],
  ["Korean split into words", words],
  // a search for 함수 must find 활성화함수를; MiniSearch's prefix search finds it only if every suffix is indexed
  ["every suffix of a Hangul word", (text) =>
    words(text).flatMap((w) => (/[가-힣]/.test(w) ? [...w].map((_, i) => w.slice(i)).filter((s) => s.length >= 2) : [w]))],
];

for (const file of fs.readdirSync(".").filter((f) => /^sections\d+\.json$/.test(f)).sort((a, b) => a.length - b.length || a.localeCompare(b))) {
  const sections = JSON.parse(fs.readFileSync(file, "utf8"));
  const chapters = file.match(/\d+/)[0];
  for (const [label, tokenize] of TOKENIZERS) {
    const index = new MiniSearch({ fields: ["title", "heading", "text"], ...(tokenize ? { tokenize } : {}) });
    index.addAll(sections);
    const json = Buffer.from(JSON.stringify(index));
    const gzip = zlib.gzipSync(json, { level: 6 }).length;
    console.log(`| ${chapters} | ${label} | ${(json.length / 1e3).toFixed(0)} | ${(gzip / 1e3).toFixed(0)} |`);
  }
}
