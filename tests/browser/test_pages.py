"""Every page as a reader meets it: downloads, Colab, copy buttons, math, dark mode, a phone's width, alt text."""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from book_pages import ROOT, chapter_pages, offline_context, open_page, redirect_target, screenshot, site_pages

PHONE = {"width": 375, "height": 740}


def repository() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]


def head_commit() -> str | None:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


@pytest.fixture(scope="module")
def chapters(built_site) -> list[str]:
    pages = chapter_pages(built_site)
    assert pages, "the site has no chapter page under lectures/"
    return pages


def test_every_chapter_offers_its_notebook_and_its_source(browser, site_url, built_site, chapters):
    with offline_context(browser) as context:
        page = context.new_page()
        for name in chapters:
            docname = name.removesuffix(".html")
            page.goto(f"{site_url}/{name}")
            links = page.eval_on_selector_all(
                ".dropdown-download-buttons a.dropdown-item", "(links) => links.map((a) => a.getAttribute('href'))"
            )
            depth = "../" * docname.count("/")
            assert f"{depth}_sources/{docname}.ipynb" in links, f"{name}: no .ipynb download in {links}"
            assert f"{depth}_sources/{docname}.md" in links, f"{name}: no source download in {links}"
            for link in links:
                response = page.request.get(urljoin(page.url, link))
                assert response.ok, f"{name}: {link} answers {response.status}"


def test_the_notebooks_first_cell_installs_the_package_at_the_built_commit(built_site, chapters):
    url, branch = repository()["url"], repository()["branch"]
    ref = head_commit() or branch
    for name in chapters:
        docname = name.removesuffix(".html")
        notebook = json.loads((built_site / "_sources" / f"{docname}.ipynb").read_text(encoding="utf-8"))
        first = notebook["cells"][0]
        source = "".join(first["source"])
        assert first["cell_type"] == "code"
        assert re.search(rf'^%pip install .*"nnstep @ git\+{re.escape(url)}@{ref}"', source, re.M), source
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"
        code = [c for c in notebook["cells"][1:] if c["cell_type"] == "code"]
        assert code and all(not c["outputs"] for c in code), f"{docname}: a clean notebook, no outputs"
        markdown = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        leftovers = re.findall(r"\{(?:ko|en|term|glue:text|glue:figure|literalinclude)\}", markdown)
        assert not leftovers, f"{docname}: MyST markup Colab cannot render: {leftovers}"


def test_every_chapter_opens_in_colab_from_the_notebooks_branch(browser, site_url, chapters):
    owner_repo = repository()["url"].removeprefix("https://github.com/").removesuffix(".git").strip("/")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    branch = config.get("coursebook", {}).get("colab_branch", "colab")
    with offline_context(browser) as context:
        page = context.new_page()
        for name in chapters:
            page.goto(f"{site_url}/{name}")
            href = page.get_attribute(".dropdown-launch-buttons a.btn-launch-colab-button", "href")
            expected = f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{name.removesuffix('.html')}.ipynb"
            assert href == expected


def test_code_cells_have_a_working_copy_button(browser, site_url, chapters):
    with offline_context(browser, permissions=["clipboard-read", "clipboard-write"]) as context:
        page = context.new_page()
        for name in chapters:
            page.goto(f"{site_url}/{name}")
            blocks = page.locator("div.highlight pre")
            assert blocks.count() > 0
            assert page.locator("button.copybtn").count() == blocks.count(), f"{name}: a copy button on every code block"
            first = page.locator("div.cell div.highlight").first
            first.hover()
            first.locator("button.copybtn").click()
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.strip() == first.locator("pre").inner_text().strip()


def test_math_is_mathml_the_browser_draws(browser, site_url, built_site):
    with_math = [name for name in site_pages(built_site) if 'class="math' in (built_site / name).read_text(encoding="utf-8")]
    assert any(name.startswith("lectures/") for name in with_math), "no chapter has a formula: the check would check nothing"
    with offline_context(browser) as context:
        for name in with_math:
            page = open_page(context, f"{site_url}/{name}")
            expected = page.locator("span.math, div.math").count()
            assert expected > 0, name
            assert page.locator("span.math math, div.math math").count() >= expected, name
            undrawn = page.evaluate("""() => [...document.querySelectorAll('span.math math, div.math math')]
                .filter((m) => m.checkVisibility() && m.getBoundingClientRect().width === 0)
                .map((m) => m.textContent.slice(0, 40))""")
            assert undrawn == [], f"{name}: formulas the browser did not draw"
            if name.startswith("lectures/"):
                page.locator("div.math, span.math").first.scroll_into_view_if_needed()
                screenshot(page, "chapter-math")
            page.close()


def test_dark_mode_keeps_diagrams_and_plots_readable(browser, site_url, built_site, chapters):
    def has_both(name: str) -> bool:
        html = (built_site / name).read_text(encoding="utf-8")
        return "coursebook-diagram" in html and "<figure" in html and "<img" in html

    chapter = next((name for name in chapters if has_both(name)), None)
    assert chapter, "no chapter shows both a diagram and a plot"
    with offline_context(browser, viewport={"width": 1280, "height": 900}) as context:
        page = open_page(context, f"{site_url}/{chapter}")
        for _ in range(3):  # the theme button cycles light -> dark -> auto
            if page.evaluate("document.documentElement.dataset.theme") == "dark":
                break
            page.locator("button.theme-switch-button").first.click()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate("localStorage.getItem('theme')") == "dark"

        diagram = page.locator(".coursebook-diagram svg").first
        assert "invert" in diagram.evaluate("(svg) => getComputedStyle(svg).filter")
        diagram.scroll_into_view_if_needed()
        screenshot(page, "chapter-dark-diagram")
        plot = page.locator("figure img").first
        assert plot.evaluate("(img) => getComputedStyle(img).backgroundColor") == "rgb(255, 255, 255)"
        plot.scroll_into_view_if_needed()
        screenshot(page, "chapter-dark-plot")


def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, built_site):
    wide = []
    with offline_context(browser, viewport=PHONE, is_mobile=True, has_touch=True) as context:
        context.add_init_script("localStorage.setItem('coursebook-lang', 'both')")  # the most text there is
        for name in site_pages(built_site):
            page = open_page(context, f"{site_url}/{name}")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > PHONE["width"]:
                culprits = page.evaluate(
                    """(limit) => [...document.querySelectorAll("body *")]
                        .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.checkVisibility())
                        .slice(0, 5).map((el) => el.tagName + "." + el.className)""",
                    PHONE["width"],
                )
                wide.append(f"{name}: {width}px wide ({culprits})")
            if name.startswith("lectures/"):
                screenshot(page, "chapter-phone", full_page=True)
            page.close()
    assert not wide, "pages wider than a 375px phone:\n" + "\n".join(wide)


def test_every_image_and_diagram_has_alt_text(browser, site_url, built_site):
    missing = []
    with offline_context(browser) as context:
        page = context.new_page()
        for name in site_pages(built_site):
            page.goto(f"{site_url}/{name}")
            images = page.eval_on_selector_all(
                "img", "(imgs) => imgs.map((img) => [img.getAttribute('src') || '', img.getAttribute('alt')])"
            )
            for src, alt in images:
                file = Path(src.split("?")[0]).name
                if not alt or not alt.strip() or alt.strip() in (file, Path(file).stem):
                    missing.append(f"{name}: <img src={src}> alt={alt!r}")
            diagrams = page.eval_on_selector_all(
                ".coursebook-diagram svg, svg[role='img']:not([aria-hidden='true'])",  # not the icons
                """(svgs) => svgs.map((svg) => [
                    svg.getAttribute("role"),
                    svg.getAttribute("aria-label") ||
                        (svg.getAttribute("aria-labelledby") || "").split(" ")
                            .map((id) => document.getElementById(id)?.textContent || "").join(" "),
                ])""",
            )
            for role, label in diagrams:
                if role != "img" or not (label or "").strip():
                    missing.append(f"{name}: <svg role={role!r} aria-label={label!r}>")
    assert not missing, "\n".join(missing)


def test_the_sites_front_door_is_a_complete_page(built_site):
    redirects = [p for p in site_pages(built_site, redirects=True) if redirect_target(built_site, p)]
    for name in redirects:
        html = (built_site / name).read_text(encoding="utf-8")
        target = redirect_target(built_site, name)
        assert (built_site / Path(name).parent / target).is_file(), f"{name} redirects to a missing {target}"
        assert re.search(r'<html lang="\w+', html) and re.search(r"<title>[^<]+</title>", html), name
        assert f'href="{target}"' in html, f"{name}: a link for when the redirect does not happen"
