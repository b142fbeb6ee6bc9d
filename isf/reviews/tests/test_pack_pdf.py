"""The review pack prints to a real PDF with headless Chromium."""

import os
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.reviews import services
from isf.reviews.pdf import chromium_path, html_to_pdf
from isf.reviews.views import pack_html_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs_chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: CI must render the review pack PDF")
        pytest.skip("Chromium not installed")


def _meeting():
    vl, idl = UserFactory(role=Role.SALES_LEAD), UserFactory(role=Role.INSIDE_LEAD)
    TeamFactory(code="SMB", name="SMB-Team")
    m = services.meeting_create(title="Review-Meeting 10/2026", period_start=date(2026, 10, 1),
                                period_end=date(2026, 10, 31), scheduled_at=timezone.now() - timedelta(days=3),
                                sales_lead=vl, inside_lead=idl, actor=vl)
    services.action_add(meeting=m, title="Rückrufstandard festlegen", owner=vl,
                        due_date=timezone.localdate() + timedelta(days=5), actor=idl)
    return m, vl


def test_pack_document_is_standalone_with_embedded_styles(needs_chromium):
    m, _vl = _meeting()
    html = pack_html_document(m)
    assert "Review-Meeting 10/2026" in html and "Rückrufstandard festlegen" in html
    assert ".isf-print" in html  # reviews/print.css, embedded
    assert "file://" not in html and "<link" not in html and "<script" not in html


def test_review_pack_renders_to_a_real_pdf(needs_chromium):
    m, _vl = _meeting()
    pdf = html_to_pdf(pack_html_document(m), timeout=120)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 5000
    assert b"/Type /Page" in pdf or b"/Type/Page" in pdf


def test_pdf_download_for_the_leads(client, needs_chromium):
    m, vl = _meeting()
    client.force_login(vl)
    response = client.get(reverse("reviews:pack-pdf", args=[m.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"review-pack-{m.pk}-" in response["Content-Disposition"]
