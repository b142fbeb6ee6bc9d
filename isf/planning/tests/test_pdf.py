"""The care matrix as a PDF: a real PDF (header, pages) whose text holds the segment and the matrix."""

import io

import pytest

from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.matrix_services import care_matrix_defaults
from isf.planning.pdf import chromium_path
from isf.planning.tests.helpers import make_segment

pytestmark = pytest.mark.django_db


def test_matrix_pdf_downloads_a_pdf_with_the_segment_name(client):
    if chromium_path() is None:
        pytest.skip("Chromium not installed")
    pypdf = pytest.importorskip("pypdf")
    segment = make_segment()
    care_matrix_defaults(segment=segment)
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    response = client.get("/segments/SMB/matrix.pdf", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Betreuungsmatrix-SMB.pdf"', response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 4
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Betreuungsmatrix SMB – Kleine und mittlere Unternehmen" in text
    assert "Rückgewinnung abgewanderter Kunden" in text
    assert "Segmentbeschreibung" in text


def test_matrix_pdf_needs_a_login_and_a_known_segment(client):
    assert client.get("/segments/SMB/matrix.pdf").status_code == 302
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    assert client.get("/segments/NOPE/matrix.pdf").status_code == 404
