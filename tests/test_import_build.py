"""The fixture notebooks imported with `make import` into a small book, built, and read back as a
reader sees them: each page shows what running its notebook gives, deliberate errors as short boxes,
untranslated prose marked, the video loading nothing; and a notebook listed in _toc.yml as it is.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from small_book import chapter, small_book
from coursebook.build import site_check
from coursebook.build.repo_copy import build, run_tool

pytestmark = pytest.mark.build

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
DIRECT = "08_direct_notebook"  # a notebook listed in _toc.yml without importing it
SEARCHED = "해시표"  # in the prose of that notebook only


def direct_notebook() -> str:
    """The deliberate-errors fixture as Colab saves a notebook, its error cell tagged as Jupyter does."""
    nb = json.loads((FIXTURES / "deliberate_errors.ipynb").read_text(encoding="utf-8"))
    nb["cells"][2]["metadata"]["tags"] = ["raises-exception"]
    nb["metadata"]["colab"] = {"provenance": []}
    nb["cells"][0]["source"] = ["# 노트북 그대로 · A notebook as it is\n"]
    nb["cells"][3]["source"] = [f"{SEARCHED}에 없는 열쇠를 찾아도 오류가 납니다.\n"]  # a word no other page has
    return json.dumps(nb, ensure_ascii=False)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    repo = small_book(tmp_path_factory.mktemp("imported") / "book", {})
    imported = run_tool(repo, "import", str(FIXTURES))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    (repo / "lectures" / f"{DIRECT}.ipynb").write_text(direct_notebook(), encoding="utf-8")
    toc = (repo / "_toc.yml").read_text()
    (repo / "_toc.yml").write_text(toc.replace("  - file: book/glossary", f"  - file: lectures/{DIRECT}.ipynb\n  - file: book/glossary"))
    built = build(repo, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    return repo


def article(book: Path, name: str) -> BeautifulSoup:
    html = (book / "_build" / "html" / "lectures" / f"{name}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article")


def outputs(page: BeautifulSoup) -> list[str]:
    return [o.get_text(" ", strip=True) for o in page.select(".cell_output")]


def inputs(page: BeautifulSoup) -> str:
    return " ".join(o.get_text("", strip=False) for o in page.select(".cell_input"))


def test_each_imported_page_shows_what_running_its_notebook_gives(book):
    assert outputs(article(book, "01_colab_export")) == ["mean 2.5", "warned"]  # the warning's stderr left out
    assert outputs(article(book, "03_english_only")) == ["55"]
    assert outputs(article(book, "05_old_format")) == ["42"]
    assert outputs(article(book, "07_uses_package")) == ["5"]  # the book's shared package, imported by the chapter
    quarto = article(book, "06_quarto_lecture")
    assert "hidden code, shown output" in outputs(quarto) and "print('hidden code" not in inputs(quarto)
    assert "print('shown code, hidden output')" in inputs(quarto)
    assert not any("shown code, hidden output" in o for o in outputs(quarto))
    assert outputs(quarto)[-1] == "after the error"
    pictures = article(book, "04_images_and_scripts")
    sources = [img["src"] for img in pictures.select("img")]
    assert [img["alt"] for img in pictures.select("img")] == ["a red square", "a green square", "a blue square"]
    for src in sources:
        assert (book / "_build" / "html" / "lectures" / src).resolve().read_bytes().startswith(b"\x89PNG")
    assert not pictures.select("section script") and "alert(" not in str(pictures) and "onerror" not in str(pictures)


@pytest.mark.parametrize("name", ["02_deliberate_errors", DIRECT])
def test_a_deliberate_error_is_a_short_box_in_both_languages(book, name):
    page = article(book, name)
    boxes = page.select(".cell.tag_raises-exception .intended-error")
    assert len(boxes) == 2
    texts = [box.get_text("") for box in boxes]
    assert "의도한 오류" in texts[0] and "Intended error" in texts[0]
    assert "l+2" in texts[0] and 'TypeError: can only concatenate list (not "int") to list' in texts[0]
    assert "{'a': 1}['b']" in texts[1] and "KeyError: 'b'" in texts[1]
    assert "Traceback" not in str(page) and "\x1b" not in str(page) and "----> " not in str(page)
    assert outputs(page)[-1] == "the lesson goes on [1, 2, 3]"  # the cells after the errors ran


def test_the_site_check_accepts_exactly_those_boxes(book):
    site = book / "_build" / "html"
    assert site_check.all_problems(site) == []
    page = BeautifulSoup((site / "lectures" / "02_deliberate_errors.html").read_text(encoding="utf-8"), "html.parser")
    assert site_check._output_problems(page) == []
    for cell in page.select(".tag_raises-exception"):
        cell["class"].remove("tag_raises-exception")  # the same box in a cell not tagged: refused
    assert "an 'intended error' box in a cell not tagged raises-exception" in site_check._output_problems(page)
    traceback = BeautifulSoup(
        '<div class="cell tag_raises-exception"><div class="cell_output"><div class="output traceback">ValueError: x</div></div></div>',
        "html.parser",
    )
    assert site_check._output_problems(traceback)  # a tagged cell showing a real traceback: still refused


def test_untranslated_prose_shows_with_a_note_never_a_gap(book):
    korean = article(book, "01_colab_export")
    assert not korean.select(".lang-block.lang-ko")  # no Korean block that English mode would hide
    blocks = korean.select(".lang-block.lang-untranslated[lang=ko]")
    assert len(blocks) == 2
    assert all(
        b.select_one(".untranslated-note.lang-en").get_text(strip=True).startswith("Not yet translated into English") for b in blocks
    )
    english = article(book, "03_english_only")
    notes = english.select(".lang-block.lang-untranslated[lang=en] > .untranslated-note.lang-ko")
    assert len(notes) == 2 and "아직 한국어로 번역되지 않았습니다" in notes[0].get_text()


def test_the_video_loads_nothing_from_its_host_until_clicked(book):
    page = article(book, "06_quarto_lecture")
    [link] = page.select(".video-block a.video-block-link")
    assert link["href"] == "https://www.youtube.com/watch?v=abc123XYZ_0"
    assert link["data-embed"].startswith("https://www.youtube-nocookie.com/embed/abc123XYZ_0")
    html = (book / "_build" / "html" / "lectures" / "06_quarto_lecture.html").read_text(encoding="utf-8")
    loaded = re.findall(r"<(?:iframe|img|script|video|source|link)\b[^>]*(?:src|href)=\"([^\"]+)\"", html)
    assert not [url for url in loaded if "youtube" in url]


SHOWN_ERRORS = {
    "02_deliberate_errors": ['TypeError: can only concatenate list (not "int") to list', "KeyError: 'b'"],
    "06_quarto_lecture": ["ValueError: invalid literal for int() with base 10: 'not a number'"],
}


def test_downloaded_notebooks_run_top_to_bottom_past_the_deliberate_errors(book, tmp_path):
    for name in ("02_deliberate_errors", "06_quarto_lecture", DIRECT):
        nb = nbformat.read(book / "_build" / "html" / "_sources" / "lectures" / f"{name}.ipynb", as_version=4)
        assert not nb.metadata.get("colab") and all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        nb.cells = [c for c in nb.cells if "install" not in c.metadata.get("tags", [])]  # no network here
        assert any("raises-exception" in c.metadata.get("tags", []) for c in nb.cells), "the tag is kept, for Jupyter"
        for cell in nb.cells:
            cell.metadata.pop("tags", None)  # as Colab's "Run all": it ignores raises-exception
        NotebookClient(
            nb, timeout=120, kernel_name="python3", allow_errors=False, resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
        last = [c for c in nb.cells if c.cell_type == "code"][-1]
        assert last.outputs and last.outputs[0].get("output_type") == "stream", name
        shown = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        for error in SHOWN_ERRORS.get(name, SHOWN_ERRORS["02_deliberate_errors"]):
            assert error in shown, name  # the student still sees the error


def test_make_check_lists_every_missing_partner_with_a_count_per_chapter(book):
    result = run_tool(book, "check")
    assert result.returncode == 1
    assert re.search(r"lectures/01_colab_export\.md:\d+: a Korean block without its English partner", result.stderr)
    assert re.search(r"lectures/03_english_only\.md:\d+: a English block without its Korean partner", result.stderr)
    counts = dict(re.findall(r"^  (lectures/\S+\.md): (\d+)$", result.stderr, re.M))
    assert counts["lectures/01_colab_export.md"] == "2" and counts["lectures/03_english_only.md"] == "2"


def test_a_deliberate_error_that_stops_raising_fails_the_build_naming_it(tmp_path):
    tagged = chapter("시험 · Test", "x = 1").replace(
        "```{code-cell} ipython3\nx = 1", "```{code-cell} ipython3\n:tags: [raises-exception]\n\nx = 1"
    )
    repo = small_book(tmp_path / "book", {"01_fixed": tagged})
    result = build(repo, timeout=300)
    assert result.returncode != 0
    assert re.search(r"lectures/01_fixed\.md, line \d+ \(cell \d+\) is tagged raises-exception.*ran without one", result.stderr)


def test_the_config_setting_makes_a_missing_partner_fail_the_build(tmp_path):
    repo = small_book(tmp_path / "book", {"01_draft": chapter("시험 · Test", prose=":::{ko}\n번역이 없는 문단\n:::")})
    config = repo / "_config.yml"
    config.write_text(config.read_text().replace("bilingual_missing_partner: draft", "bilingual_missing_partner: error"))
    result = build(repo, timeout=300)
    assert result.returncode != 0
    assert "01_draft.md" in result.stderr and "a ko block without its en partner" in result.stderr


def test_a_notebook_chapter_s_prose_is_searched(book):
    from test_search_index import index_file, ref

    site = book / "_build" / "html"
    found, _ = ref.search_split(lambda name: index_file(site, name), SEARCHED)
    assert found == [f"lectures/{DIRECT}.html"]
    found, _ = ref.search_split(lambda name: index_file(site, name), "lesson")  # in its code and outputs only
    assert f"lectures/{DIRECT}.html" not in found, "code and outputs are not prose"


@pytest.mark.browser
def test_an_imported_chapter_is_in_the_pdf_with_its_video_as_a_link(book, tmp_path):
    from pypdf import PdfReader

    from coursebook.pdf.printer import pdf_files

    printed = run_tool(book, "pdf", str(book / "_build" / "html"), str(tmp_path), timeout=300)
    assert printed.returncode == 0, printed.stdout + printed.stderr
    video = "https://www.youtube.com/watch?v=abc123XYZ_0"
    for lang, name in pdf_files().items():
        reader = PdfReader(tmp_path / name)
        text = "".join(page.extract_text() for page in reader.pages)
        assert "hidden code, shown output" in text and "after the error" in text, lang  # 06_quarto_lecture's outputs
        assert video in text.replace("\n", ""), f"{lang}: the video's address is printed"
        links = [annot.get_object().get("/A", {}).get("/URI") for page in reader.pages for annot in page.get("/Annots") or []]
        assert video in links, f"{lang}: the printed address is a link"
