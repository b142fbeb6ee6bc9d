"""Hostile form posts: every route that takes a POST, for the role that may use it, with hostile values in every form
field the view reads (ids, numbers, choices, texts with NUL). Any 5xx fails; a refusal is a 400 with the reason or
the form again with its error.

Which fields a view reads is recorded while the crawler posts (an empty form first, then every field found so far),
plus :data:`DECLARED` for fields read only once another one is valid. The role that may use a route is the one of
the roles its access rule admits whose empty post reads the most fields (a role the view turns away reads none).
Each post runs in a savepoint that is rolled back, so every post meets the same small world
(``tests/test_hostile_params.build_world``) and a database error in one cannot hide behind another. CSRF is off in
the test client.
"""

import re

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client

from isf.org.choices import Role
from tests.test_hostile_params import HOSTILE, HUGE, ROUTES, allowed, build_world, concrete_urls

pytestmark = pytest.mark.django_db

#: every post carries this field: the fields read from a QueryDict that holds it are the form's (not the query's)
MARK = "hostile-post"

#: each field alone gets these (one per kind of failure: not a number, out of the database's range, too many digits
#: to parse or round, NUL); then each of :data:`HOSTILE` goes into all fields at once
ALONE = ["abc", HUGE, "9" * 5000, "\x00"]
#: path values beyond the GET crawler's: every action of the routes that dispatch on one
ACTIONS = {
    "campaigns:lead-action": ["activity", "confirm", "merge-lead", "merge-account", "disqualify", "convert", "zzz"],
    "campaigns:complaint-action": ["resolve", "satisfaction", "zzz"],
    "campaigns:lead-privacy-action": ["record", "erase", "export", "zzz"],
}
#: fields read only once another field is valid (the valid one comes from :func:`base_data`)
DECLARED = {
    "service:order-new": {"account", "account_q", "contact", "service"},
    "visits:new": {"account", "client_id", "visit_type", "task"},
    "calls:log": {"account", "phone", "contact", "service", "outcome", "direction"},
    "campaigns:lead-action": {"target", "reason"},
    "campaigns:campaign-assign": {"agents"},
    "campaigns:appointment-book": {"account", "start", "topic", "rep"},
}
#: values beyond :data:`ALONE` for fields that parse them (dates at the edges of what Python can represent)
EXTRA = {"start": ["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00"]}
ROW = re.compile(r"-(\d+)-")
SKIP = {"login", "set_language"}  # Django's own views (log-in throttling has its own tests)


_READ: set[str] = set()


@pytest.fixture
def recording(monkeypatch):
    """The fields a view reads from the posted form (``request.POST``), not from its query string."""
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, name)

        def recorder(self, key, *args, _original=original, **kwargs):
            if dict.__contains__(self, MARK):
                _READ.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, name, recorder)
    yield _READ
    _READ.clear()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def base_data(name: str) -> dict:
    """A valid value for the fields that open a view's deeper reads (the account a visit or call is for)."""
    from isf.customers.models import Account

    if name in ("visits:new", "calls:log", "service:order-new", "campaigns:appointment-book"):
        return {"account": str(Account.objects.get(name="Hostile GmbH").pk)}
    return {}


def post_urls(route: str, name: str, world) -> list[str]:
    if name in ACTIONS:
        return [url.rstrip("/").rsplit("/", 1)[0] + f"/{action}/" for url in concrete_urls(route, name, world)[:1]
                for action in ACTIONS[name]]
    return concrete_urls(route, name, world)


def later_row(key: str) -> bool:
    """A field of a formset's second or later row (``rules-7-value``): the first row stands for it."""
    match = ROW.search(key)
    return match is not None and int(match.group(1)) > 0


def post(client: Client, url: str, data: dict, failures: list[str], what: str) -> int:
    with transaction.atomic():  # each post meets the same world; a failed statement cannot spoil the next
        response = client.post(url, {MARK: "1", **data})
        transaction.set_rollback(True)
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}: POST {url} {str(data)[:160]}")
    return response.status_code


def test_no_form_post_answers_5xx_to_hostile_values(world, recording):
    """Each route that takes a POST: an empty form from every role its rule admits; the role whose post reads the
    most fields then posts each field alone with each of :data:`ALONE` and each of :data:`HOSTILE` in all fields."""
    clients = {}
    for role in Role.values:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world.users[role])
    failures: list[str] = []
    swept_routes = []
    for route, name in ROUTES:
        if name in SKIP:
            continue
        for url in post_urls(route, name, world):
            base = base_data(name)
            reads = {}
            for role in (role for role in Role.values if allowed(name, role)):
                recording.clear()
                if post(clients[role], url, base, failures, f"{role} empty form") == 405:
                    break  # no POST on this route
                reads[role] = set(recording)
            if not reads:
                break
            role = max(reads, key=lambda r: len(reads[r]))  # the first of the roles that read the most
            client = clients[role]
            recording.clear()
            recording.update(reads[role])
            swept: set[str] = {MARK}  # a view that reads no field of the form (a page) is posted to once
            while new := sorted((set(recording) | DECLARED.get(name, set())) - swept):
                swept |= set(new)  # a field found while posting (read once another is valid) is swept in turn
                fields = sorted(key for key in swept - {MARK} if not later_row(key))
                for key in [key for key in new if not later_row(key)]:
                    for value in ALONE + EXTRA.get(key, []):
                        post(client, url, {**base, key: value}, failures, f"{role} {key} alone")
                for value in HOSTILE:
                    post(client, url, {**base, **dict.fromkeys(fields, value)}, failures, f"{role} all fields")
            swept_routes.append(name)
    assert {"campaigns:lead-action", "service:order-new", "visits:new", "planning:matrix-edit"} <= set(swept_routes)
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:80])
