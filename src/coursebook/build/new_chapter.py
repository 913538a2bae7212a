"""`make chapter NAME=09_my_topic`: create <chapters>/<NAME>.md from a template and list it in _toc.yml.

The template is the course's own (`coursebook: chapter_template:`, a file in which {title} is the
chapter's title), else TEMPLATE below."""

from __future__ import annotations

import re
import sys

from coursebook.chapters import FRONT_MATTER
from coursebook.layout import ROOT, settings
from coursebook.bilingual.translations import confirm

TEMPLATE = (
    FRONT_MATTER
    + """
# 새 장 · {title}

:::{{ko}}
이 장에서 배울 내용을 한국어로 씁니다.
:::

:::{{en}}
What this chapter teaches, in English.
:::

```{{code-cell}} ipython3
from coursebook.runtime import glue

answer = 6 * 7
glue("answer", f"{{answer}}", display=False)
```

:::{{ko}}
책을 만들 때 계산한 답: {{glue:text}}`answer`.
:::

:::{{en}}
The answer, computed when the book is built: {{glue:text}}`answer`.
:::
"""
)


def add_chapter(name: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z_\\-]+", name):
        raise SystemExit(f"NAME={name!r}: use letters, digits, '_' and '-' only, e.g. NAME=09_my_topic")
    chapters = settings()["chapters"]
    path = ROOT / chapters / f"{name}.md"
    if path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} already exists: choose another NAME.")
    toc = ROOT / "_toc.yml"
    lines = toc.read_text(encoding="utf-8").splitlines()
    entry = f"  - file: {chapters}/{name}"
    chapter_lines = [i for i, line in enumerate(lines) if line.startswith(f"  - file: {chapters}/")]
    if not chapter_lines:
        raise SystemExit(f"_toc.yml has no '  - file: {chapters}/...' line to add the chapter after; add it by hand.")
    lines.insert(chapter_lines[-1] + 1, entry)  # after the last chapter, before the back matter
    own = settings()["chapter_template"]
    title = name.split("_", 1)[-1].replace("_", " ").capitalize()
    text = FRONT_MATTER + (ROOT / own).read_text(encoding="utf-8").replace("{title}", title) if own else TEMPLATE.format(title=title)
    path.write_text(text, encoding="utf-8")
    toc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    confirm([path])  # the template's pairs say the same; from here on `make check` watches each edit
    return (
        f"created {path.relative_to(ROOT)} and added it to _toc.yml; edit it (after changing both halves of a "
        f"pair, run `make translations-ok FILE={path.relative_to(ROOT)}`), then make book"
    )


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: make chapter NAME=09_my_topic")
    print(add_chapter(sys.argv[1]))


if __name__ == "__main__":
    main()
