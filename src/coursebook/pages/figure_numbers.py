"""Book-wide figure numbers without loading every page on every build.

With ``numfig`` on, Sphinx numbers the figures, tables and equations across the
whole book after reading even one changed page: it loads every page's doctree
from disk and walks it. At 50 chapters that was 1.1 s of a 4.6 s prose-only
rebuild, and it grows with every chapter.

The numbers depend only on each page's outline as that walk sees it: its
sections, its toctrees and its numbered nodes, in order. So this extension keeps
each page's outline, and when no page read again has a new outline (the usual
prose edit), no page was added or removed and no section number changed, it
keeps the numbers it has instead of walking. Otherwise Sphinx walks as always.
tests/test_figure_numbers.py checks the numbers after edits that do and do not
move them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector

# Kept in the environment between builds: {docname: outline}, and the section numbers last seen.
OUTLINES, SECTION_NUMBERS = "coursebook_figure_outlines", "coursebook_section_numbers"
# Pages read in this build, as they were before: {docname: (outline or None for a new page, their numbers)}.
READ = "coursebook_figure_outlines_before"


def figure_type(env: BuildEnvironment, node: nodes.Element) -> str | None:
    """The type Sphinx's walk numbers this node as (its get_figtype, condition for condition)."""
    for domain in env.domains.values():
        figtype = domain.get_enumerable_node_type(node)
        if domain.name == "std" and not domain.get_numfig_title(node):
            continue  # std numbers only what has a caption or title
        if figtype:
            return figtype
    return None


def outline(env: BuildEnvironment, tree: nodes.Element) -> tuple:
    """What the walk reads from a page, in its order: sections (entered and left), toctree entries, numbered nodes."""
    found: list[tuple] = []

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if isinstance(child, nodes.section):
                found.append(("section", tuple(child["ids"])))
                walk(child)
                found.append(("end",))
            elif isinstance(child, addnodes.toctree):
                found.append(("toctree", tuple(name for _title, name in child["entries"])))
            elif isinstance(child, nodes.Element):
                if (figtype := figure_type(env, child)) and child["ids"]:
                    found.append((figtype, child["ids"][0]))
                walk(child)

    walk(tree)
    return tuple(found)


_assign_figure_numbers = TocTreeCollector.assign_figure_numbers


def assign_figure_numbers(self: TocTreeCollector, env: BuildEnvironment) -> list[str]:
    """Sphinx's numbering, skipped when nothing it depends on changed; the pages whose numbers changed."""
    outlines = env.__dict__.setdefault(OUTLINES, {})
    before = env.__dict__.pop(READ, {})
    for docname in before:
        if docname in env.all_docs:
            outlines[docname] = outline(env, env.get_doctree(docname))
    unchanged = (
        all(outlines.get(docname) == old for docname, (old, _) in before.items())  # a removed or new page: None != old
        and env.__dict__.get(SECTION_NUMBERS) == env.toc_secnumbers  # None before the first numbering
    )
    env.__dict__[SECTION_NUMBERS] = env.toc_secnumbers
    if not unchanged:
        return _assign_figure_numbers(self, env)
    for docname, (_, numbers) in before.items():  # Sphinx dropped them when it read the page again
        if numbers:
            env.toc_fignumbers[docname] = numbers
    return []


def remember_outline(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """The page is about to be read (again, or for the first time) or removed: keep its outline, to
    compare, and its numbers, which Sphinx is about to drop (this runs before Sphinx's own handler)."""
    outlines = env.__dict__.setdefault(OUTLINES, {})
    read = env.__dict__.setdefault(READ, {})
    if docname not in read:
        read[docname] = (outlines.pop(docname, None), env.toc_fignumbers.get(docname))


def setup(app: Sphinx) -> dict:
    # Sphinx has no hook around this walk: its collector's method is replaced, and calls the original.
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers
    app.connect("env-purge-doc", remember_outline, priority=400)  # before Sphinx clears the page (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
