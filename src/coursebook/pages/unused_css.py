"""Stylesheets cut to the rules a site can use (docs/page-weight.md).

The theme's stylesheet carries all of Bootstrap and the theme's styles for every component it
offers (397 KB, nine tenths of it unused on a page). A rule is dropped only when one of its
selectors' classes or IDs occurs nowhere: not in any page of the site (its markup, its inline
scripts) and not in any script the pages load (the classes Bootstrap's and the theme's scripts
add at run time, such as ``show`` or ``collapsing``). A script that builds a class name from parts
(``"bs-" + name + "-auto"``) names its first part, and every class starting with that part is kept.
What stays is the same stylesheet, in the same order, minus those rules.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z_][\w-]*")
NAME = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
GROUPS = ("@media", "@supports", "@layer", "@container", "@document")  # at-rules that hold rules: pruned inside


def words(text: str) -> set[str]:
    """Every word that could be a class or an ID, as it occurs in a page or script."""
    return set(WORD.findall(text))


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _block_end(css: str, i: int) -> int:
    """The index after the ``}`` that closes the ``{`` at ``i``."""
    depth = 0
    while i < len(css):
        char = css[i]
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        if css.startswith("/*", i):
            i = css.find("*/", i + 2) + 2 if css.find("*/", i + 2) >= 0 else len(css)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("a { is never closed")


def _prelude_end(css: str, i: int) -> int:
    """The index of the ``{`` or ``;`` that ends the prelude starting at ``i``."""
    while i < len(css):
        if css[i] in "\"'":
            i = _skip_string(css, i)
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = end + 2 if end >= 0 else len(css)
        elif css[i] in "{;":
            return i
        else:
            i += 1
    return len(css)


def _top_level_split(selectors: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(selectors):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(selectors[start:i])
            start = i + 1
    parts.append(selectors[start:])
    return parts


def _required_names(selector: str) -> set[str] | None:
    """The classes and IDs an element must have for ``selector`` to match; None when it cannot tell."""
    if "\\" in selector:
        return None  # an escaped name: keep the rule rather than read it wrongly
    bare = re.sub(r"\[[^\]]*\]", "", selector)  # [href$=".pdf"] holds no class
    while re.search(r"\([^()]*\)", bare):  # :not(.x), :is(.a, .b), :has(.y): nothing they name is required
        bare = re.sub(r"\([^()]*\)", "", bare)
    return set(NAME.findall(bare))


def _used(name: str, known: set[str], prefixes: tuple[str, ...]) -> bool:
    return name in known or name.startswith(prefixes)


def prune(css: str, known: set[str]) -> str:
    """``css`` without the selectors (and then rules) that name a class or ID not in ``known``."""
    prefixes = tuple(sorted(word for word in known if word.endswith("-") and len(word) > 2))
    out: list[str] = []
    i = 0
    while i < len(css):
        if css[i].isspace():
            out.append(css[i])
            i += 1
            continue
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = end + 2 if end >= 0 else len(css)
            if css.startswith("/*!", i):
                out.append(css[i:end])  # a licence, which must stay with the code
            i = end
            continue
        end = _prelude_end(css, i)
        prelude = css[i:end]
        if end >= len(css) or css[end] == ";":  # @import, @charset, a stray declaration
            out.append(css[i : end + 1])
            i = end + 1
            continue
        close = _block_end(css, end)
        body = css[end + 1 : close - 1]
        if prelude.lstrip().startswith("@"):
            if prelude.lstrip().lower().startswith(GROUPS):
                inner = prune(body, known)
                if inner.strip():
                    out.append(f"{prelude}{{{inner}}}")
            else:
                out.append(css[i:close])  # @font-face, @keyframes, @page...: kept whole
        else:
            kept = []
            for selector in _top_level_split(prelude):
                names = _required_names(selector)
                if names is None or all(_used(name, known, prefixes) for name in names):
                    kept.append(selector)
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
        i = close
    return "".join(out)
