"""HTML to PDF with headless Chromium's print-to-PDF: the one printer of the care matrix, the service contract
and the review pack.

Chromium is already needed for the browser tests, so no second rendering engine is installed. Its path is
``ISF_CHROMIUM`` (default ``/usr/bin/chromium``, else ``chromium`` / ``chromium-browser`` on the PATH). The
HTML is written to a private temporary directory (removed afterwards, with Chromium's profile); assets it
references must be ``file://`` URLs or embedded, the page is never served.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
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


def _command(binary: str, tmp: Path, source: Path, target: Path) -> list[str]:
    return [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--allow-file-access-from-files", f"--user-data-dir={tmp / 'profile'}", "--no-pdf-header-footer",
        "--virtual-time-budget=3000", f"--print-to-pdf={target}", source.as_uri(),
    ]


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
    with tempfile.TemporaryDirectory(prefix="isf-pdf-", ignore_cleanup_errors=True) as tmp_name:
        tmp = Path(tmp_name)
        source, target = tmp / "document.html", tmp / "document.pdf"
        source.write_text(html, encoding="utf-8")
        log = tmp / "chromium.log"
        with log.open("wb") as stderr:  # a file, not a pipe: a lingering helper cannot hold the print open
            try:
                process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                    _command(binary, tmp, source, target), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
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
    if not data.startswith(b"%PDF"):
        raise PdfError("Chromium's output is not a PDF")
    return data
