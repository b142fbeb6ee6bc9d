"""The care matrix prints through the one PDF printer, :mod:`isf.core.pdf` (names kept for matrix_views and tests)."""

from isf.core.pdf import CHROMIUM, PdfError, chromium_path, html_to_pdf

__all__ = ["CHROMIUM", "PdfError", "chromium_path", "html_to_pdf"]
