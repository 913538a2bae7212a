"""The search page in Chromium: search.html?q=... must find Korean words with
particles attached, parts of compounds and English words, and nothing for words
that are not in the book.

Expected pages are "must include", not "exactly": chapters are added all the
time. Queries for words that are not in the book must find nothing at all.
"""

import json
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

import coursebook.search.korean_search as ks  # noqa: E402
import search_reference as ref  # noqa: E402

INDEX = "book/index.html"
POLY = "lectures/02_polynomial_regression.html"
GLOSSARY = "book/glossary.html"

# (query, pages it must find, what it checks)
QUERIES = [
    ("신경망", [INDEX, GLOSSARY], "2-3 syllables; the index has only 신경망의"),
    ("신경망으로", [INDEX, GLOSSARY], "particle typed in the query, not in the book: 신경망으로 -> 신경망"),
    ("다항식", [POLY], "in the book only as 다항식에서"),
    ("계수", [POLY], "2 syllables, only as 계수를"),
    ("점선", [POLY], "only in figure captions: 점선은, 점선을"),
    ("함수", [POLY, GLOSSARY], "part of compounds: 손실함수, 항등함수(identity)"),
    ("오차", [POLY, GLOSSARY], "end of a compound with a particle: 평균제곱오차를"),
    ("하강법", [POLY, GLOSSARY], "part of 경사하강법"),
    ("손실", [POLY, GLOSSARY], "손실, 손실의, 손실함수"),
    ("가중치", [POLY, GLOSSARY], "가중치로, 가중치를"),
    ("그래디언트", [POLY, GLOSSARY], "the loss's gradient: 그래디언트를, 그래디언트(미분값)"),
    ("기울기", [GLOSSARY], "kept for a line's slope: 기울기(slope)"),
    ("보폭", [POLY, GLOSSARY], "보폭을, 보폭이"),
    ("잡음", [POLY, GLOSSARY], "잡음이, 잡음까지"),
    ("표현력", [GLOSSARY], "only as 표현력이"),
    ("과적합", [GLOSSARY], "a glossary term"),
    ("은닉층", [GLOSSARY], "a glossary term"),
    ("역전파", [POLY, GLOSSARY], "bold list item and glossary"),
    ("에폭", [POLY, GLOSSARY], "에폭(epoch)마다, 에폭별"),
    ("모형이", [POLY, GLOSSARY], "a query with its particle, as written"),
    ("다항회귀", [POLY], "the page title"),
    ("용어집", [GLOSSARY], "the page title"),
    ("편향 상수열", [POLY], "two Korean words: pages with both first"),
    ("network", [INDEX, GLOSSARY], "English: networks, network"),
    ("networks", [INDEX, GLOSSARY], "English plural query"),
    ("polynomial", [POLY], "English"),
    ("overfitting", [GLOSSARY], "English glossary term"),
    ("gradient descent", [POLY, GLOSSARY], "two English words"),
    ("Learning Rate", [POLY, GLOSSARY], "case-insensitive"),
    ("epochs", [POLY, GLOSSARY], "plural query finds the singular"),
    ("fitted", [GLOSSARY], "stem: fitted ~ fits"),
    ("coefficient", [POLY], "prefix of coefficients"),
    ("optim", [POLY, GLOSSARY], "prefix of optimizer"),
    ("MSELoss", [POLY], "inline code in a sentence"),
    ("PyTorch", [INDEX], "mixed case"),
    ("신경망 PyTorch", [INDEX], "Korean and English together"),
]

# Words that are not in the book, and queries too short to mean anything.
NOTHING = [
    "양자역학",
    "블록체인",
    "바나나우유",
    "zebra",
    "qwxz",
    "xyzzy",
    "quantum",
    "zebra quantum",
    "양자역학이 뭐예요",
    "x",
    "a",
    "가",
    "ㅋㅋ",
    "!!!",
]


def results(page, site_url: str, query: str, everything: bool = True) -> list[dict]:
    """The results shown for a query; with ``everything``, after pressing "more" until all are shown."""
    page.goto(f"{site_url}/search.html?q={quote(query)}")
    done = f"#korean-search-results[data-state=done][data-query={json.dumps(query, ensure_ascii=False)}]"
    page.wait_for_selector(done, state="attached")
    while everything and page.locator(".korean-search__more").is_visible():
        page.locator(".korean-search__more").click()
        page.wait_for_selector(done, state="attached")
    return page.eval_on_selector_all(
        "#korean-search-results > li",
        """items => items.map(li => ({
            href: li.querySelector("a").getAttribute("href"),
            title: li.querySelector("a").textContent,
            marks: [...li.querySelectorAll("mark")].map(m => m.textContent),
            section: (li.querySelector(".korean-search__section") || {}).textContent || "",
        }))""",
    )


def path_of(href: str) -> str:
    return urlsplit(href).path


def index_file(site: Path, name: str) -> dict:
    raw = (site / ks.INDEX_DIR / f"{name}.js").read_text(encoding="utf-8")
    return json.loads(raw[raw.index(",") + 1 :].rstrip().removesuffix(");"))


@pytest.fixture(scope="module")
def index(built_site) -> dict:
    return ref.join_index(lambda name: index_file(built_site, name))


def test_queries_find_their_pages(page, site_url, index, capsys):
    assert len(QUERIES) >= 20
    rows, expected_total, found_total, misses = [], 0, 0, []
    for query, expected, why in QUERIES:
        found = results(page, site_url, query)
        paths = [path_of(r["href"]) for r in found]
        hit = [p for p in expected if p in paths]
        expected_total += len(expected)
        found_total += len(hit)
        if len(hit) < len(expected):
            misses.append((query, sorted(set(expected) - set(hit)), paths))
        assert all(r["marks"] for r in found), f"{query!r}: every result shows its match in <mark>"
        assert all(r["title"].strip() for r in found)
        # the page and the Python reference agree on every query, order included
        assert paths == ref.search(index, query), query
        rows.append(f"  {'ok  ' if len(hit) == len(expected) else 'MISS'} {query:<16} {len(hit)}/{len(expected)}  {why}")
    with capsys.disabled():
        print(f"\nsearch queries ({len(QUERIES)}):")
        print("\n".join(rows))
        print(f"search hit rate: {found_total}/{expected_total} expected pages found = {found_total / expected_total:.0%}")
    assert not misses, misses


def test_words_not_in_the_book_find_nothing(page, site_url, capsys):
    found = {query: results(page, site_url, query) for query in NOTHING}
    with capsys.disabled():
        empty = sum(not r for r in found.values())
        print(f"\nnonsense queries with no result: {empty}/{len(NOTHING)}")
    assert not {q: r for q, r in found.items() if r}
    assert page.locator("#korean-search-status").inner_text().strip(), "the page says that nothing was found"


def test_a_word_not_in_the_book_is_left_out_and_named(page, site_url, index):
    """신경망 zebra: the pages of 신경망, and the status says the book has no 'zebra' (a typo shows)."""
    found = results(page, site_url, "신경망 zebra")
    assert [path_of(r["href"]) for r in found] == ref.search(index, "신경망") != []
    status = page.locator("#korean-search-status").text_content()
    assert "책에 없는 낱말: zebra" in status and "Not in the book: zebra" in status


def test_snippet_marks_the_word_inside_its_particle(page, site_url):
    found = results(page, site_url, "점선")
    assert found and all(set(r["marks"]) == {"점선"} for r in found)
    position = [path_of(r["href"]) for r in found].index(POLY)
    snippet = page.locator("#korean-search-results .korean-search__snippet").nth(position).inner_text()
    assert "점선은" in snippet or "점선을" in snippet
    assert found[position]["href"].endswith("#simulating-the-data")


def test_a_result_link_opens_the_page(page, site_url):
    found = results(page, site_url, "과적합")
    position = [path_of(r["href"]) for r in found].index(GLOSSARY)
    page.locator("#korean-search-results > li").nth(position).locator("a").first.click()
    page.wait_for_url(f"{site_url}/{GLOSSARY}#term-*")
    assert "용어집" in page.title()


def test_the_theme_search_dialog_submits_to_the_search_page(page, site_url):
    page.goto(f"{site_url}/{POLY}")
    page.keyboard.press("Control+k")
    dialog_input = page.locator("#pst-search-dialog input[name=q]")
    dialog_input.wait_for(state="visible")
    dialog_input.fill("신경망으로")
    dialog_input.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#korean-search-results[data-state=done]", state="attached")
    assert page.locator("#korean-search-input").input_value() == "신경망으로"
    hrefs = [path_of(a.get_attribute("href")) for a in page.locator("#korean-search-results a").all()]
    assert INDEX in hrefs and GLOSSARY in hrefs


def test_typing_updates_the_results_and_the_address(page, site_url):
    results(page, site_url, "")
    assert page.locator("#korean-search-input").evaluate("el => document.activeElement === el")
    page.locator("#korean-search-input").fill("은닉층")
    # done, not only started: the query's term files load on demand
    page.wait_for_selector('#korean-search-results[data-state=done][data-query="은닉층"]', state="attached")
    assert page.locator("#korean-search-results > li").count() >= 1
    assert "q=%EC%9D%80%EB%8B%89%EC%B8%B5" in page.url


def test_the_page_and_the_reference_stem_english_alike(page, site_url):
    results(page, site_url, "")
    words = [
        "networks",
        "studies",
        "losses",
        "biases",
        "fitted",
        "fitting",
        "updating",
        "trained",
        "classes",
        "bias",
        "gas",
        "is",
        "running",
        "batches",
        "boxes",
        "buzzes",
        "model",
        "models",
        "mseloss",
        "l2",
    ]
    stems = page.evaluate("words => words.map(w => window.KoreanSearch.englishStem(w))", words)
    assert stems == [ref.english_stem(w) for w in words]
    terms = ["신경망으로는", "학습하는", "곡선을", "차이", "하나"]
    stripped = page.evaluate("terms => terms.map(t => window.KoreanSearch.stripKoreanEnding(t))", terms)
    assert stripped == [ref.strip_korean_ending(t) for t in terms]


def test_search_page_is_accessible(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    results(page, site_url, "신경망")
    form = page.locator("#korean-search-form")
    assert form.get_attribute("role") == "search"
    assert page.locator("label[for=korean-search-input]").count() == 1
    assert page.locator("#korean-search-status").get_attribute("role") == "status"
    report = Axe().run(page)
    serious = [v for v in report.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]


def test_search_page_fits_a_phone(browser, site_url):
    context = browser.new_context(locale="ko-KR", viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    try:
        found = results(page, site_url, "함수")
        assert found
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page scrolls sideways: {width} px"
        for selector in ("#korean-search-input", ".korean-search__button", "#korean-search-results > li"):
            box = page.locator(selector).first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
    finally:
        context.close()


def test_the_page_and_the_reference_file_words_alike(page, site_url):
    results(page, site_url, "")
    keys = ["곡선", "함수", "ne", "op", "20", "ab", "망으"]
    assert page.evaluate("keys => keys.map(k => window.KoreanSearch.bucketOf(k, 64))", keys) == [ks.bucket_of(k, 64) for k in keys]


@pytest.mark.parametrize("query", ["", "곡선", "신경망으로", "gradient descent", "outputs", "양자역학"])
def test_a_search_loads_only_the_files_its_query_needs(page, site_url, built_site, query):
    """The files the page requests are those search_reference.search_split names (what `make bench` weighs)."""
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    results(page, site_url, query, everything=False)
    loaded = sorted(Path(p).stem for p in requested if p.startswith(f"/{ks.INDEX_DIR}/"))
    _, expected = ref.search_split(lambda name: index_file(built_site, name), query)
    assert loaded == sorted(expected)


def test_more_results_come_ten_at_a_time(page, site_url, index):
    query = "outputs"
    expected = ref.search(index, query)
    assert len(expected) > ks.RESULTS_AT_ONCE, "a query that finds more pages than are shown at once"
    first = results(page, site_url, query, everything=False)
    assert [path_of(r["href"]) for r in first] == expected[: ks.RESULTS_AT_ONCE]
    more = page.locator(".korean-search__more")
    assert more.is_visible() and str(len(expected) - ks.RESULTS_AT_ONCE) in more.inner_text()
    more.click()
    page.wait_for_selector("#korean-search-results[data-state=done]", state="attached")
    shown = page.eval_on_selector_all(
        "#korean-search-results > li a.korean-search__title", "links => links.map(a => a.getAttribute('href'))"
    )
    assert [path_of(h) for h in shown] == expected
    assert not more.is_visible()
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert path_of(focused) == expected[ks.RESULTS_AT_ONCE], "focus moves to the first new result"


def test_files_of_another_build_are_not_mixed_in(page, site_url):
    """A term file cached from an older build: the page says so instead of showing wrong results."""

    def older_build(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('"build":"', '"build":"older', 1))

    page.route("**/korean-search/t*.js*", older_build)
    results(page, site_url, "곡선")
    assert page.locator("#korean-search-results > li").count() == 0
    status = page.locator("#korean-search-status").text_content()  # both languages; the switch shows one
    assert "새로 고치세요" in status and "reload" in status
