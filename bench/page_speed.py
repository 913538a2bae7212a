"""Every page of the built site as a phone sees it: Lighthouse's scores and the bytes of a first visit.

    .venv/bin/python -m bench.page_speed [--site _build/html] [--runs 3] [PAGE ...]

The site is served gzip-compressed on 127.0.0.1 (coursebook.build.first_visit), as GitHub Pages serves
it. Lighthouse is the one pinned in bench/lighthouse/package-lock.json (installed here with
`npm ci` when missing), run with its default mobile preset (simulated slow 4G, 4x CPU slowdown)
on Debian's Chromium. Scores are medians of ``--runs`` runs; "first visit" is what the page loaded
unscrolled at a phone's size, compressed (the budget the tests hold: 400 KB). A benchmark, not a
test: scores move with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from coursebook.layout import ROOT, SITE
from coursebook.build.first_visit import first_visit, gzip_served
from coursebook.build.site_check import html_files

LIGHTHOUSE = ROOT / "bench" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> Path:
    binary = LIGHTHOUSE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE, check=True)
    return binary


def pages(site: Path) -> list[str]:
    """Every page, except a front door that only redirects (Lighthouse would follow it to the root page)."""
    found = []
    for path in html_files(site):
        if 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")[:2000]:
            found.append(str(path.relative_to(site)))
    return found


def run_lighthouse(binary: Path, url: str, keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(binary),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
        )
        data = json.loads(report.read_text())
        if keep is not None:  # the whole report, for Lighthouse's own diagnosis (lighthouse's viewer reads it)
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_text(report.read_text())
    audits = data["audits"]
    failed = sorted(
        name
        for name, audit in audits.items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "metricSavings")
        and name not in ("largest-contentful-paint-element",)
    )
    return {
        **{category: data["categories"][category]["score"] for category in CATEGORIES},
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lighthouse_kb": audits["total-byte-weight"]["numericValue"] / 1000,
        "failed": failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reports", type=Path, help="keep each run's JSON report in this folder")
    parser.add_argument("page", nargs="*", help="pages relative to the site (default: every page)")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"{site} has no built site: run `make book` first")
    binary = lighthouse()
    names = args.page or pages(site)
    from playwright.sync_api import sync_playwright

    print(
        f"Lighthouse {subprocess.run([str(binary), '--version'], capture_output=True, text=True).stdout.strip()}, mobile, "
        f"site served gzipped; medians of {args.runs} runs; load average {os.getloadavg()[0]:.1f}"
    )
    header = f"{'page':44} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'LH KB':>7} {'first visit KB':>15}"
    print(header)
    with gzip_served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split())
        for name in names:
            visit = first_visit(browser, url, name, site)
            keep = [args.reports / f"{name.replace('/', '_')}.{run}.json" if args.reports else None for run in range(args.runs)]
            runs = [run_lighthouse(binary, f"{url}/{name}", keep[run]) for run in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "failed"}
            failed = sorted({audit for run in runs for audit in run["failed"]})
            print(
                f"{name:44} {median['performance']:5.2f} {median['accessibility']:5.2f} {median['best-practices']:5.2f} "
                f"{median['seo']:5.2f} {median['fcp_s']:6.1f} {median['lcp_s']:6.1f} {median['tbt_ms']:7.0f} "
                f"{median['lighthouse_kb']:7.0f} {sum(visit.values()) / 1000:15.0f}",
                flush=True,
            )
            if failed:
                print(f"    audits below 1: {', '.join(failed)}", flush=True)
        browser.close()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
