"""The service contract as PDF: render the print HTML and print it with headless Chromium."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

CHROMIUM = os.environ.get("ISF_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_SECONDS = 60


class PdfError(Exception):
    """Chromium is missing or failed to print."""


def _print_css() -> str:
    return (Path(__file__).parent / "static" / "service" / "print.css").read_text(encoding="utf-8")


def contract_html(contract) -> str:
    """Self-contained HTML of the contract (styles embedded: the file is opened by Chromium, never served)."""
    return render_to_string("service/contract_pdf.html", {
        "contract": contract, "lines": contract.lines.select_related("service"), "print_css": _print_css(),
        "printed_at": timezone.localtime(),
    })


def html_to_pdf(html: str) -> bytes:
    binary = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not binary:
        raise PdfError("Chromium is not installed; the PDF cannot be printed")
    with tempfile.TemporaryDirectory(prefix="isf-pdf-") as tmp:
        source = Path(tmp) / "contract.html"
        target = Path(tmp) / "contract.pdf"
        source.write_text(html, encoding="utf-8")
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}",
                   source.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish printing within {TIMEOUT_SECONDS} s") from None
        if not target.exists() or target.stat().st_size == 0:
            raise PdfError("Chromium did not produce a PDF")
        return target.read_bytes()


def contract_pdf(contract) -> bytes:
    return html_to_pdf(contract_html(contract))
