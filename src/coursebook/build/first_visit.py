"""What a phone's first visit of a built page transfers: the site served gzipped, as GitHub Pages serves it.

``gzip_served(site)`` serves a built site on 127.0.0.1 with every text file gzip-compressed
(images and fonts go as they are, already compressed). ``first_visit(page, site)`` opens
a page in headless Chromium at a phone's size, lets it settle, and returns each file the page
loaded with the bytes it took compressed. ``make bench`` (bench/page_speed.py) reports these
with Lighthouse's figures; tests/browser/test_first_visit.py holds them to the budget
(docs/page-weight.md).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".pdf", ".zip", ".gz"}
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}
FIRST_VISIT_BUDGET = 400_000  # bytes, compressed, for a chapter's first visit (issue 22)


def compressed_size(path: Path) -> int:
    """Bytes on the wire: gzip level 6 (the usual server default) for text, the file itself otherwise."""
    data = path.read_bytes()
    return len(data) if path.suffix.lower() in COMPRESSED else len(gzip.compress(data, compresslevel=6, mtime=0))


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the client accepts it; quiet."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix.lower() in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, *args) -> None:
        pass


class _Body:
    """What send_head returns and copyfile reads: the compressed body."""

    def __init__(self, data: bytes) -> None:
        self.data, self.done = data, False

    def read(self, size: int = -1) -> bytes:
        if self.done:
            return b""
        self.done = True
        return self.data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def gzip_served(site: Path) -> Iterator[str]:
    """Serve ``site`` gzipped on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def first_visit(browser, base_url: str, page_name: str, site: Path) -> dict[str, int]:
    """file (relative to the site) -> compressed bytes, for every file of the site the page loaded, unscrolled."""
    context = browser.new_context(**PHONE)
    loaded: list[str] = []
    context.on("request", lambda request: loaded.append(request.url))
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{page_name}", wait_until="load")
        page.wait_for_timeout(500)  # scripts that load more once the page is there
    finally:
        context.close()
    files = {}
    for url in loaded:
        parts = urlsplit(url)
        if url.startswith(base_url) and (path := site / unquote(parts.path).lstrip("/")).is_file():
            files[str(path.relative_to(site))] = compressed_size(path)
    return files
