"""HTML to PDF with headless Chromium's print-to-PDF (no extra Python dependency; Chromium is already
needed for the browser tests). The HTML is written to a temporary file and its assets are file:// URLs."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("ISF_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_SECONDS = 90


class PdfError(RuntimeError):
    """Chromium is missing, failed or produced no PDF."""


def chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html: str, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Print ``html`` (a complete document) to PDF bytes."""
    binary = chromium_path()
    if binary is None:
        raise PdfError(f"Chromium not found at {CHROMIUM}; set ISF_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="isf-pdf-") as tmp:
        source = Path(tmp) / "pack.html"
        target = Path(tmp) / "pack.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--allow-file-access-from-files", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", "--virtual-time-budget=3000", f"--print-to-pdf={target}", source.as_uri(),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish the PDF within {timeout} s") from None
        if not target.exists() or target.stat().st_size == 0:
            raise PdfError(f"Chromium produced no PDF (exit {result.returncode}): {result.stderr[-500:]!r}")
        return target.read_bytes()
