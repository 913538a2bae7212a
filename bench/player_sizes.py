"""The size of every training player in the built site: HTML + data, uncompressed, per player.

    .venv/bin/python -m bench.player_sizes [SITE]      # default: _build/html (run `make book` first)

A player is one ``<figure class="nnstep-player">`` (nnstep.player): its markup, the static last
frame, the frames' data, and its inline style and script. Prints a Markdown table (the one in the
README) and fails when a player is over nnstep.player.BUDGET.
"""

from __future__ import annotations

import html as html_text
import json
import re
import sys
from pathlib import Path

from nnstep.player import BUDGET
from coursebook.chapters import ROOT

FIGURE = re.compile(r'<figure class="nnstep-player".*?</figure>', re.S)
PART = {
    "data": re.compile(r'<script type="application/json" class="np-data">(.*?)</script>', re.S),
    "script": re.compile(r"<script>(.*?)</script>", re.S),
    "style": re.compile(r"<style>(.*?)</style>", re.S),
}


def players(site: Path) -> list[dict]:
    """One row per player: page, title, frames, and bytes in all and per part."""
    rows = []
    for page in sorted(site.joinpath("lectures").glob("*.html")):
        for html in FIGURE.findall(page.read_text(encoding="utf-8")):
            sizes = {part: len(pattern.search(html)[1].encode()) for part, pattern in PART.items()}
            data = json.loads(PART["data"].search(html)[1])
            title = re.search(r'class="np-title">(.*?)</figcaption>', html, re.S)[1]
            english = re.search(r'lang="en"[^>]*>([^<]*)<', title)
            rows.append(
                {
                    "page": page.name,
                    "title": html_text.unescape(english[1] if english else re.sub("<[^>]+>", "", title)),
                    "runs": len(data["runs"]),
                    "frames": len(data["epochs"]),
                    "total": len(html.encode()),
                    **sizes,
                }
            )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| page | player | runs | frames | HTML + data | of which data | script | style |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{r['page']}` | {r['title']} | {r['runs']} | {r['frames']} | {r['total'] / 1000:.1f} KB | {r['data'] / 1000:.1f} KB "
        f"| {r['script'] / 1000:.1f} KB | {r['style'] / 1000:.1f} KB |"
        for r in rows
    ]
    return "\n".join(lines)


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
    rows = players(site)
    if not rows:
        sys.exit(f"{site}: no training player found; run `make book` first.")
    print(table(rows))
    print(f"\n{len(rows)} players; budget {BUDGET / 1000:.0f} KB each (KB = 1000 bytes, UTF-8, uncompressed).")
    over = [r for r in rows if r["total"] > BUDGET]
    if over:
        sys.exit(f"over the budget: {', '.join(r['page'] for r in over)}")


if __name__ == "__main__":
    main()
