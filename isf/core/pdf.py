"""HTML to PDF with headless Chromium's print-to-PDF: the one printer of the care matrix, the service contract
and the review pack.

Chromium is already needed for the browser tests, so no second rendering engine is installed. Its path is
``ISF_CHROMIUM`` (default ``/usr/bin/chromium``, else ``chromium`` / ``chromium-browser`` on the PATH).

The printed HTML may one day contain entered text that was not escaped, so Chromium gets nothing but the page:
it is served once, from a random path of a server on 127.0.0.1 that lives for the print and answers nothing
else, with a Content-Security-Policy header (:data:`PAGE_CSP`) that sandboxes the page without
``allow-scripts`` - JavaScript does not run at all, a meta refresh does not navigate - and allows no request
to any other address (styles, images and fonts only inline or as ``data:``). A page from ``http://`` cannot
load ``file://`` URLs, so no local file reaches the PDF. (Chromium's ``--blink-settings=scriptEnabled=false``
would be the other switch, but headless Chromium then prints nothing.) Assets must therefore be embedded (``<style>``, ``data:`` URLs). Chromium's
profile and output live in a private temporary directory, removed afterwards.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logger = logging.getLogger(__name__)

CHROMIUM = os.environ.get("ISF_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_SECONDS = 60


class PdfError(RuntimeError):
    """The PDF could not be produced (Chromium missing, too slow or without output); the message says why."""


def chromium_path() -> str | None:
    """The Chromium binary to print with, or None when none is installed."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


#: What the printed page may load: nothing but inline styles and data: images and fonts; no script; sandboxed.
PAGE_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            "base-uri 'none'; form-action 'none'")


def _command(binary: str, tmp: Path, url: str, target: Path) -> list[str]:
    return [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={tmp / 'profile'}", "--no-pdf-header-footer",
        "--virtual-time-budget=3000", f"--print-to-pdf={target}", url,
    ]


class _OnePageHandler(BaseHTTPRequestHandler):
    """Answers the page's own random path with the HTML and its CSP; every other request gets 404."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        server = self.server
        if self.path != server.page_path:
            server.refused.append(self.path[:200])
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(server.page)))
        self.send_header("Content-Security-Policy", PAGE_CSP)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(server.page)

    def do_POST(self):  # noqa: N802
        self.server.refused.append(self.path[:200])
        self.send_error(404)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@contextmanager
def _serve_once(html: str):
    """A server on 127.0.0.1 (a free port) that serves ``html`` at a random path while the block runs.

    Yields the page's URL and the list of other paths that were asked for (and refused).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OnePageHandler)
    server.daemon_threads = True
    server.page = html.encode("utf-8")
    server.page_path = f"/{secrets.token_urlsafe(16)}/document.html"
    server.refused = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{server.page_path}", server.refused
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _kill_group(process: subprocess.Popen) -> None:
    """Chromium forks renderer/GPU helpers; kill the whole session so none outlives (or blocks) the print."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def html_to_pdf(html: str, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Print ``html`` (a complete, self-contained document; A4 via its ``@page`` rule) to PDF bytes.

    Raises :class:`PdfError` when Chromium is missing, does not finish within ``timeout`` seconds or
    produces no PDF.
    """
    binary = chromium_path()
    if binary is None:
        raise PdfError(f"Chromium is not installed (looked for {CHROMIUM} and chromium on the PATH); "
                       "set ISF_CHROMIUM to its path")
    with (tempfile.TemporaryDirectory(prefix="isf-pdf-", ignore_cleanup_errors=True) as tmp_name,
          _serve_once(html) as (url, refused)):
        tmp = Path(tmp_name)
        target = tmp / "document.pdf"
        log = tmp / "chromium.log"
        with log.open("wb") as stderr:  # a file, not a pipe: a lingering helper cannot hold the print open
            try:
                process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                    _command(binary, tmp, url, target), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=stderr, start_new_session=True,
                )
            except OSError as exc:
                raise PdfError(f"Chromium at {binary} could not be started: {exc.strerror or exc}") from None
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                raise PdfError(f"Chromium did not finish the PDF within {timeout} s") from None
            finally:
                _kill_group(process)
                process.wait()
        if not target.exists() or target.stat().st_size == 0:
            logger.warning("Chromium produced no PDF (exit %s): %s", process.returncode,
                           log.read_text(encoding="utf-8", errors="replace")[-2000:])
            raise PdfError(f"Chromium produced no PDF (exit {process.returncode})")
        data = target.read_bytes()
        if refused:
            logger.warning("The printed page asked for %s more URL(s), refused: %s", len(refused), refused[:5])
    if not data.startswith(b"%PDF"):
        raise PdfError("Chromium's output is not a PDF")
    return data
