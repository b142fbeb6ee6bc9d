"""Deployment safety (isf.core.security): no serving with the demo key, HTTPS from ISF_HTTPS alone, the deploy
check of the key, and no-store on private pages."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import RequestFactory

from isf.core.security import DEMO_SECRET_KEY, NoStoreMiddleware, check_secret_key
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]
OWN_KEY = "k" * 20 + "own-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def run_python(code: str, tmp_path, **env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("ISF_SECRET_KEY", "ISF_DEBUG", "ISF_HTTPS")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ISF_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT),
               **env_vars)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_server_refuses_to_start_with_the_demo_key_unless_debug(tmp_path, module):
    refused = run_python(f"import {module}", tmp_path, ISF_DEBUG="0")
    assert refused.returncode == 1
    last = refused.stderr.strip().splitlines()[-1]
    assert last == (
        "django.core.exceptions.ImproperlyConfigured: ISF_SECRET_KEY is not set and ISF_DEBUG is off: ISF does "
        "not serve with the demo key from its source code. Set ISF_SECRET_KEY to a long random value of your "
        'own, e.g. the output of: python -c "import secrets; print(secrets.token_urlsafe(50))" (for local '
        "development only: ISF_DEBUG=1).")
    assert run_python(f"import {module}; print('served')", tmp_path, ISF_DEBUG="1").stdout == "served\n"
    own = run_python(f"import {module}; print('served')", tmp_path, ISF_DEBUG="0", ISF_SECRET_KEY=OWN_KEY)
    assert own.stdout == "served\n"


SHOW = ("import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS]))")


@pytest.mark.parametrize(
    ("env", "https"),
    [
        ({"ISF_SECRET_KEY": OWN_KEY}, True),
        ({}, True),  # no key: HTTPS stays on (the server refuses to start anyway)
        ({"ISF_SECRET_KEY": OWN_KEY, "ISF_HTTPS": "0"}, False),
        ({"ISF_DEBUG": "1"}, False),
    ],
)
def test_https_settings_follow_isf_https_not_the_key(tmp_path, env, https):
    shown = run_python(SHOW, tmp_path, **env)
    assert json.loads(shown.stdout) == [https, https, https, 31536000 if https else 0], shown.stderr


def test_check_deploy_reports_the_demo_key(settings):
    settings.SECRET_KEY = DEMO_SECRET_KEY
    with pytest.raises(SystemCheckError, match=r"\(isf\.E001\) SECRET_KEY is ISF's public demo key\.") as error:
        call_command("check", deploy=True, tags=["security"])
    assert "secrets.token_urlsafe(50)" in str(error.value)
    settings.SECRET_KEY = OWN_KEY
    assert check_secret_key() == []


@pytest.mark.django_db
def test_pages_of_a_signed_in_user_are_not_stored(client):
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    for url in ("/home/", "/accounts/", "/imports/export/accounts.csv"):
        response = client.get(url)
        assert (url, response.status_code, response["Cache-Control"]) == (url, 200, "no-store")


@pytest.mark.django_db
def test_public_pages_are_not_marked_no_store(client):
    anonymous = client.get("/campaigns/contact/")
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    signed_in = client.get("/campaigns/contact/")
    assert (anonymous.status_code, signed_in.status_code) == (200, 200)
    assert not anonymous.has_header("Cache-Control") and not signed_in.has_header("Cache-Control")


@pytest.mark.django_db
def test_api_answers_to_a_token_are_not_stored(client):
    response = client.get("/api/v1/accounts", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert (response.status_code, response["Cache-Control"]) == (401, "no-store")


@pytest.mark.django_db
def test_static_files_are_left_alone():
    request = RequestFactory().get("/static/css/isf.css")
    request.user = UserFactory(role=Role.INSIDE_LEAD)
    request.resolver_match = None
    response = NoStoreMiddleware(lambda r: HttpResponse("body{}"))(request)
    assert not response.has_header("Cache-Control")
