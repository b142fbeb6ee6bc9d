"""Every page serves only the app's own assets: no CDN, no external src/href."""

import re

import pytest
from django.urls import reverse

from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
EXTERNAL = re.compile(rb'(?:src|href)\s*=\s*["\'](?:https?:)?//', re.I)


def test_no_page_references_an_external_url(client):
    account = AccountFactory()
    pages = ["/login/"]
    for role in Role.values:
        client.force_login(UserFactory(role=role))
        for url in ["/home/", "/accounts/", f"/accounts/{account.pk}/", "/queue/", "/api/v1/docs"]:
            response = client.get(url, follow=True)
            assert not EXTERNAL.search(response.content), (role, url)
    client.logout()
    for url in pages:
        assert not EXTERNAL.search(client.get(url).content)


def test_language_follows_accept_language_and_can_be_switched(client):
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    assert b'lang="en"' in client.get("/home/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b'lang="de"' in client.get("/home/", HTTP_ACCEPT_LANGUAGE="de").content
    client.post(reverse("set_language"), {"language": "en", "next": "/home/"})
    assert b'lang="en"' in client.get("/home/", HTTP_ACCEPT_LANGUAGE="de").content


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    response = client.get("/home/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>", response.content)
