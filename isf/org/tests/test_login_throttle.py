"""Log-in throttling (django-axes, isf.core.login_throttle): per user name + client address and per client
address, with the client address taken from X-Forwarded-For behind ISF_PROXY_COUNT trusted proxies."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from isf.core.security import client_ip
from isf.org.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture
def throttle(settings):
    """Throttling on (the suite turns it off), with the shipped limits: 8 per pair, 24 per address."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 8
    settings.ISF_LOGIN_ADDRESS_FAILURE_LIMIT = 24
    settings.ISF_PROXY_COUNT = 0
    return settings


def log_in(client, username, password, *, address="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": address, "HTTP_ACCEPT_LANGUAGE": "en"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    client.logout()
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_eight_wrong_passwords_lock_the_user_from_that_address_only(client, throttle):
    UserFactory(username="anna")
    statuses = [log_in(client, "anna", f"wrong-{i}", address="198.51.100.7").status_code for i in range(8)]
    assert statuses == [200] * 7 + [429]
    assert log_in(client, "anna", TEST_PASSWORD, address="198.51.100.7").status_code == 429  # locked for real
    assert log_in(client, "anna", TEST_PASSWORD, address="203.0.113.5").status_code == 302  # anna elsewhere


def test_one_address_trying_seven_passwords_against_every_user_is_locked(client, throttle):
    for name in ("anna", "bert", "carl", "dora", "emil"):
        UserFactory(username=name)
    statuses = []
    for name in ("anna", "bert", "carl", "dora"):
        statuses += [log_in(client, name, f"guess-{i}", address="198.51.100.66").status_code for i in range(7)]
    # 24 failures from the address: locked from the 24th on, although no user name had more than 7
    assert statuses == [200] * 23 + [429] * 5
    assert log_in(client, "emil", TEST_PASSWORD, address="198.51.100.66").status_code == 429
    assert log_in(client, "emil", TEST_PASSWORD, address="198.51.100.67").status_code == 302


def test_behind_the_proxy_a_client_locks_only_itself(client, throttle):
    throttle.ISF_PROXY_COUNT = 1
    UserFactory(username="anna")
    statuses = [log_in(client, "anna", f"wrong-{i}", address=PROXY, forwarded="203.0.113.5").status_code
                for i in range(8)]
    assert statuses == [200] * 7 + [429]
    assert log_in(client, "anna", TEST_PASSWORD, address=PROXY, forwarded="203.0.113.5").status_code == 429
    # the same user from another client behind the same proxy logs in
    assert log_in(client, "anna", TEST_PASSWORD, address=PROXY, forwarded="198.51.100.7").status_code == 302
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(client, throttle):
    throttle.ISF_PROXY_COUNT = 1
    UserFactory(username="anna")
    # the proxy appends the real client (203.0.113.5); what the client wrote to the left is ignored
    statuses = [log_in(client, "anna", "wrong", address=PROXY, forwarded=f"192.0.2.{i}, 203.0.113.5").status_code
                for i in range(8)]
    assert statuses == [200] * 7 + [429]
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_the_lockout_page_is_the_same_for_existing_and_unknown_users(client, throttle):
    UserFactory(username="anna")
    for _ in range(8):
        log_in(client, "anna", "wrong", address="198.51.100.1")
        log_in(client, "nobody", "wrong", address="198.51.100.2")
    known = log_in(client, "anna", "wrong", address="198.51.100.1")
    unknown = log_in(client, "nobody", "wrong", address="198.51.100.2")
    assert known.status_code == unknown.status_code == 429

    def page(response):  # without the per-response tokens (CSRF, CSP nonce)
        return re.sub(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]+"', b"", response.content)

    assert page(known) == page(unknown)
    assert b"Too many failed log-ins" in known.content


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no trusted proxy: the header is the client's word
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, PROXY, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (1, PROXY, None, PROXY),  # did not pass the proxy: its own address
        (2, PROXY, "203.0.113.5", PROXY),  # fewer entries than proxies
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, " , ,", PROXY),
        (1, PROXY, "1" * 5000, PROXY),
    ],
)
def test_client_address(settings, count, remote, forwarded, expected):
    settings.ISF_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected
