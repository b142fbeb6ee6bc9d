"""The service contract as PDF: render the print HTML and print it with :mod:`isf.core.pdf`."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from isf.core.pdf import CHROMIUM, PdfError, html_to_pdf
from isf.service.service_levels import contract_body_context

__all__ = ["CHROMIUM", "PdfError", "contract_html", "contract_pdf", "html_to_pdf"]


def _print_css() -> str:
    return (Path(__file__).parent / "static" / "service" / "print.css").read_text(encoding="utf-8")


def contract_html(contract) -> str:
    """Self-contained HTML of the contract (styles embedded: the file is opened by Chromium, never served)."""
    return render_to_string("service/contract_pdf.html", contract_body_context(contract) | {
        "print_css": _print_css(), "printed_at": timezone.localtime(),
    })


def contract_pdf(contract) -> bytes:
    return html_to_pdf(contract_html(contract))
