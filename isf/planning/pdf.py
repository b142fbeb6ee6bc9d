"""HTML to PDF with headless Chromium (the browser the browser tests use; no extra package)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("ISF_CHROMIUM", "/usr/bin/chromium")


class PdfError(Exception):
    """The PDF could not be produced; the message says why."""


def chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html: str, *, timeout: int = 60) -> bytes:
    """Print a self-contained HTML document to PDF (A4 as set by the document's @page rule)."""
    binary = chromium_path()
    if binary is None:
        raise PdfError("Chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="isf-pdf-") as tmp:
        source = Path(tmp) / "document.html"
        target = Path(tmp) / "document.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"Chromium did not finish within {timeout} s") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise PdfError("Chromium produced no PDF")
        data = target.read_bytes()
    if not data.startswith(b"%PDF"):
        raise PdfError("Chromium's output is not a PDF")
    return data
