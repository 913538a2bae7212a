"""`make serve`: build, serve _build/html on 127.0.0.1, rebuild on save, reload open pages.

Watches everything a page is made from: the chapters, the book frame, the shared
package, the build tools and the configuration.
Each rebuild is a normal `make book` run, so the preview is exactly what gets
published, never a stale page (a failed rebuild keeps the last good site and
prints why).
"""

from __future__ import annotations

import functools
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from coursebook.layout import INPUTS, ROOT, SITE, files_under, settings

# Open pages ask for the build number every second and reload when it changes.
RELOAD_SCRIPT = b"""<script>(function(){var seen=null;setInterval(function(){fetch('/__build__').then(function(r){return r.text()})
.then(function(n){if(seen!==null&&n!==seen){location.reload()}seen=n}).catch(function(){})},1000)})();</script>"""


def snapshot() -> dict[Path, float]:
    return {file: file.stat().st_mtime for file in files_under(*INPUTS, settings()["chapters"])}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    build_number = 0

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/__build__":
            return self._send(str(PreviewHandler.build_number).encode(), "text/plain")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def rebuild() -> None:
    build = subprocess.Popen([sys.executable, "-m", "coursebook", "build"], cwd=ROOT)
    try:
        build.wait()
    except KeyboardInterrupt:  # the build got the same Ctrl-C: let it end its kernels and say what it kept
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        build.wait()
        raise
    PreviewHandler.build_number += 1


def main(port: int = int(os.environ.get("PORT", "8000"))) -> None:
    try:
        rebuild()
        handler = functools.partial(PreviewHandler, directory=str(SITE))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        seen = snapshot()  # before saying so: a save made right after the line below must count as a change
        print(f"\nserving http://127.0.0.1:{port}/  (rebuilds on save; Ctrl+C stops)", flush=True)
        while True:
            time.sleep(1)
            now = snapshot()
            if now != seen:
                changed = sorted(str(p.relative_to(ROOT)) for p in set(now) ^ set(seen) | {p for p in now if seen.get(p) != now[p]})
                print(f"\nchanged: {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}", flush=True)
                seen = now  # a save made while it builds is a change for the next round
                rebuild()
    except KeyboardInterrupt:  # Ctrl-C stops the preview (the server thread ends with the process)
        pass


if __name__ == "__main__":
    main()
