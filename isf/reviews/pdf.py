"""The review pack prints through the one PDF printer, :mod:`isf.core.pdf`; the pack (charts, several pages)
gets a longer timeout. Its HTML references its assets as file:// URLs."""

from isf.core import pdf as core_pdf
from isf.core.pdf import CHROMIUM, PdfError, chromium_path

__all__ = ["CHROMIUM", "TIMEOUT_SECONDS", "PdfError", "chromium_path", "html_to_pdf"]

TIMEOUT_SECONDS = 90


def html_to_pdf(html: str, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Print ``html`` (a complete document) to PDF bytes."""
    return core_pdf.html_to_pdf(html, timeout=timeout)
