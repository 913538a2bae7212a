"""`make chapter NAME=09_my_topic`: create lectures/<NAME>.md from a template and list it in _toc.yml."""

from __future__ import annotations

import re
import sys

from .chapters import CHAPTER_DIR, FRONT_MATTER
from .layout import ROOT
from .translations import confirm

TEMPLATE = FRONT_MATTER + """
# 새 장 · {title}

:::{{ko}}
이 장에서 배울 내용을 한국어로 씁니다.
:::

:::{{en}}
What this chapter teaches, in English.
:::

```{{code-cell}} ipython3
import torch
from nnstep.glue import glue

from nnstep import data, describe, fit, from_model, models, pick_device, play, plots

device = pick_device()
print("device:", describe(device))
```

% To let the reader watch a run (a training player, see the README), record it and play it:
% result = fit(net, X, y, epochs=1000, lr=0.1, device=device, record=True)
% play(result, title=("무엇을 학습하나", "What is being learned"))

## 연습문제 · Exercises

````{{admonition}} 연습 1 · Exercise 1
:class: tip

:::{{ko}}
학생이 코드를 바꿔 실행해 보는 문제를 씁니다.
:::
:::{{en}}
An exercise that asks the student to change the code and run it.
:::
````

````{{admonition}} 풀이 보기 · Show the solution
:class: dropdown

:::{{ko}}
풀이의 답은 아래 코드가 책을 만들 때 계산합니다: {{glue:text}}`ex_1_answer`.
:::
:::{{en}}
The answer is computed by the code below when the book is built: {{glue:text}}`ex_1_answer`.
:::
````

```{{code-cell}} ipython3
---
tags: [hide-cell]
mystnb:
  code_prompt_show: "연습 1 풀이 코드 · Exercise 1: the solution's code"
  code_prompt_hide: "연습 1 풀이 코드 숨기기 · Hide exercise 1's code"
---
answer = 6 * 7
glue("ex_1_answer", f"{{answer}}", display=False)
```
"""


def add_chapter(name: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z_\\-]+", name):
        raise SystemExit(f"NAME={name!r}: use letters, digits, '_' and '-' only, e.g. NAME=09_my_topic")
    path = ROOT / CHAPTER_DIR / f"{name}.md"
    if path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} already exists: choose another NAME.")
    toc = ROOT / "_toc.yml"
    lines = toc.read_text(encoding="utf-8").splitlines()
    entry = f"  - file: {CHAPTER_DIR}/{name}"
    chapter_lines = [i for i, line in enumerate(lines) if line.startswith(f"  - file: {CHAPTER_DIR}/")]
    if not chapter_lines:
        raise SystemExit("_toc.yml has no '  - file: lectures/...' line to add the chapter after; add it by hand.")
    lines.insert(chapter_lines[-1] + 1, entry)  # after the last chapter, before the back matter
    path.write_text(TEMPLATE.format(title=name.split("_", 1)[-1].replace("_", " ").capitalize()), encoding="utf-8")
    toc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    confirm([path])  # the template's pairs say the same; from here on `make check` watches each edit
    return (f"created {path.relative_to(ROOT)} and added it to _toc.yml; edit it (after changing both halves of a "
            f"pair, run `make translations-ok FILE={path.relative_to(ROOT)}`), then make book")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make chapter NAME=09_my_topic")
    print(add_chapter(sys.argv[1]))
