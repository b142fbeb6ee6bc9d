"""A crawler with hostile input: every route of the URL conf and every GET operation of the API, for every role,
with hostile values in every query parameter the view reads and in every path id. Any 5xx fails.

Which query parameters a view reads is found three ways: every key a view touched while the crawler opened it
(recorded), the keys written in the source (``request.GET.get("x")``, ``params["x"]``; scanned), and
:data:`DECLARED` for keys only read once another parameter is valid. The API's parameters come from its
OpenAPI schema. A new route with a path id needs an object in ``build_world`` (the test says which).
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from isf.core.access import PUBLIC, rule_for
from isf.org.choices import Role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/", "logout/")
HUGE = "9" * 23
#: hostile query values; a list is sent as a repeated parameter
HOSTILE = ["abc", "²", HUGE, "-1", "", "0x10", " 1", "1.5", ["1", "abc"], "9" * 5000, "\x00", "zzz"]
#: hostile path values per converter
HOSTILE_PATH = {"int": ["0", "9" * 19, HUGE, "9" * 30], "str": ["zzz", "²", "x" * 300], "slug": ["zzz", "x" * 300]}

#: keys read only after another key is valid, or through a form or selector the recording does not reach
DECLARED = {
    "campaigns:appointment-book": {"account", "entry", "lead", "rep"},
    "campaigns:appointment-list": {"rep"},
    "campaigns:lead-new": {"referred_by", "phone", "company"},
    "service:order-new": {"account", "service", "account_q", "contact"},  # the last two from its form (POST)
    "service:order-list": {"status", "team", "sla_state", "service", "mine", "account", "requester", "page"},
    "service:sla-report": {"from", "to", "team"},
    "service:sla-report-csv": {"from", "to", "team"},
    "customers:account-list": {"q", "sort", "segment", "phase", "region", "type", "state", "mine", "page"},
    "monitoring:overview": {"weeks", "segment"},
    "planning:queue": {"scope", "kind", "page"},
    "planning:coverage": {"days", "page"},
    "calls:screen": {"phone", "q", "account", "phone_hint", "call_id"},
    "calls:timeline": {"kind", "limit"},
    "calls:results": {"period", "page"},
    "customers:account-detail": {"kind"},
    "campaigns:buying-center": {"months"},
    "campaigns:complaint-list": {"status", "account", "page"},
    "campaigns:quote-followups": {"show", "page"},
    "campaigns:lead-list": {"q", "status", "class", "source", "page"},
    "campaigns:telemarketing-new": {"segment", "max_sow"},  # the portfolio page's link
    "segmentation:account-find": {"number"},
    "capacity:dashboard": {"team", "period", "previous"},
    "visits:new": {"account", "task", "q"},
    "imports:template": {"lang"},  # the template's header language (else the page's)
    "references:list": {"q", "group", "industry", "approval", "page"},
    "references:new": {"account"},
    "references:press-new": {"account"},
    "customers:owners": {"segment", "region", "from", "to"},  # the re-assignment's selection and new owner
    "customers:owner-reassign": {"expected", "reason", "as_rule"},  # its confirmation (POST)
}
ACCOUNT_LIST_KEYS = DECLARED["customers:account-list"] - {"page"}
#: the keys of each export: the filters of its list's page (an export reads them all, strictly)
EXPORT_KEYS = {
    "accounts": ACCOUNT_LIST_KEYS, "contacts": ACCOUNT_LIST_KEYS, "tasks": {"scope", "kind"},
    "leads": {"q", "status", "class", "source"},
    "service_orders": DECLARED["service:order-list"] - {"page"},
    "campaign_results": {"campaign", "status", "outcome", "agent"},
    "telemarketing_results": {"campaign"},
}


def declared_keys(name: str, url: str) -> set[str]:
    if name == "imports:export":  # /imports/export/<name>.<fmt>
        return EXPORT_KEYS[url.rstrip("/").rsplit("/", 1)[1].rsplit(".", 1)[0]]
    return DECLARED.get(name, set())


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name or ""


ROUTES = [(route, f"{ns}:{name}" if ns else name) for route, ns, name in walk(get_resolver().url_patterns)
          if not route.startswith(SKIP_PREFIXES) and not route.startswith("^")]
PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def scanned_keys() -> set[str]:
    """Every query key written in the source of the apps: ``GET.get("x")``, ``GET["x"]``, ``params.get("x")`` and
    the reads of ``isf.core.params.QueryParams`` (``query.id("x")``, ``query.choice("x", …)``, …)."""
    reads = r"GET(?:\.get|\.getlist)?|params\.get|query\.(?:text|flag|ids?|choice(?:_list)?|lookup|integer|month|raw)"
    pattern = re.compile(rf"""(?:{reads})[(\[]["']([\w-]+)["']""")
    keys = set()
    for path in (ROOT / "isf").rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path) or path.name in ("api.py", "endpoints.py"):
            continue  # the API's query parameters come from its OpenAPI schema
        keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return keys


# ---- recording which keys a view reads ------------------------------------------------------------------------
_READ: set[str] = set()


@pytest.fixture
def recording(monkeypatch):
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, name)

        def recorder(self, key, *args, _original=original, **kwargs):
            _READ.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, name, recorder)
    yield _READ
    _READ.clear()


# ---- one small data set for the whole module ------------------------------------------------------------------
@dataclass
class World:
    users: dict
    path_values: dict  # "ns:name" -> {param: value}


def build_world() -> World:
    from isf.campaigns.models import Appointment, CallListEntry, Campaign, Complaint, Lead, RepCalendar
    from isf.customers.tests.factories import AccountFactory, ContactFactory, QuoteFactory
    from isf.imports.models import ImportJob
    from isf.org.models import ApiToken
    from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
    from isf.planning.models import Task
    from isf.reviews.models import Announcement, ReviewMeeting
    from isf.segmentation.models import Segment
    from isf.service.models import Decision, ServiceCatalogEntry, ServiceContract, ServiceOrder
    from isf.visits.models import VisitReport, VisitType

    now = timezone.now()
    today = timezone.localdate()
    region = RegionFactory(code="HX", name="Hostile region")
    team = TeamFactory(code="HXT", name="Hostile team")
    segment = Segment.objects.create(code="HXS", name_de="Feind", name_en="Hostile", team=team, precedence=5)
    users = {
        Role.SALES_LEAD: UserFactory(username="hx-vl", role=Role.SALES_LEAD),
        Role.INSIDE_LEAD: UserFactory(username="hx-idl", role=Role.INSIDE_LEAD, team=team),
        Role.FIELD_REP: UserFactory(username="hx-ad", role=Role.FIELD_REP, region=region),
        Role.INSIDE_AGENT: UserFactory(username="hx-id", role=Role.INSIDE_AGENT, team=team),
        Role.MARKETING: UserFactory(username="hx-mkt", role=Role.MARKETING),
        Role.ADMIN: UserFactory(username="hx-admin", role=Role.ADMIN),
        Role.TELEPHONY: UserFactory(username="hx-tel", role=Role.TELEPHONY),
    }
    rep = users[Role.FIELD_REP]
    account = AccountFactory(name="Hostile GmbH", owner=rep, team=team, region=region, segment=segment)
    contact = ContactFactory(account=account)
    quote = QuoteFactory(account=account)
    task = Task.objects.create(kind="call_back", title="Hostile call", due_at=now, account=account, team=team)
    visit = VisitReport.objects.create(client_id="hx-1", account=account, visit_date=today, author=rep,
                                       visit_type=VisitType.objects.first() or VisitType.objects.create(
                                           code="hx", name_de="Besuch", name_en="Visit"))
    service = ServiceCatalogEntry.objects.order_by("pk").first()
    order = ServiceOrder.objects.create(service=service, account=account, requester=rep, team=team, created_at=now,
                                        target_seconds=3600, clock_started_at=now)
    decision = Decision.objects.create(account=account, order=order, kind="goodwill", value=Decimal("10"),
                                       status="pending", created_at=now, approver=users[Role.SALES_LEAD])
    contract = ServiceContract.objects.create(period="hx", version=1, valid_from=today - timedelta(days=30),
                                              valid_to=today + timedelta(days=300))
    campaign = Campaign.objects.create(name="Hostile campaign", kind="telemarketing", control_share=10)
    entry = CallListEntry.objects.create(campaign=campaign, account=account, agent=users[Role.INSIDE_AGENT])
    lead = Lead.objects.create(company="Hostile lead", email="lead@example.com", region=region)
    complaint = Complaint.objects.create(account=account, category="quality", description="Hostile")
    calendar = RepCalendar.objects.create(rep=rep)
    start = timezone.make_aware(timezone.datetime.combine(today + timedelta(days=3), timezone.datetime.min.time()))
    appointment = Appointment.objects.create(rep=rep, start=start, end=start + timedelta(hours=1), account=account)
    meeting = ReviewMeeting.objects.create(title="Hostile review", period_start=today - timedelta(days=30),
                                           period_end=today, scheduled_at=now, sales_lead=users[Role.SALES_LEAD],
                                           inside_lead=users[Role.INSIDE_LEAD])
    announcement = Announcement.objects.create(author=users[Role.SALES_LEAD], title="Hostile", body="Hostile",
                                               published_at=now)
    job = ImportJob.objects.create(kind="accounts", file_name="hx.csv", path="hx.csv", user=users[Role.ADMIN])
    token = ApiToken.objects.create(user=users[Role.ADMIN], prefix="hx", digest="hx")
    from isf.targets.models import Target
    from isf.targets.services import target_plan_create, target_set

    plan = target_plan_create(period=str(today.year + 5), actor=users[Role.SALES_LEAD])
    target_set(plan=plan, period=str(today.year + 5), scope="segment", code=segment.code, metric="revenue",
               value="1000", actor=users[Role.SALES_LEAD])
    target = Target.objects.get(plan=plan)
    from isf.customers.models import OwnerRule

    owner_rule = OwnerRule.objects.create(segment=segment, team=team)
    acc, seg = {"pk": account.pk}, {"code": segment.code}
    path_values = {
        "matrix-pdf": None, "planning:matrix": seg, "planning:matrix-edit": seg, "segmentation:segment-edit": seg,
        "customers:account-detail": acc, "segmentation:account-history": acc, "lifecycle:account": acc,
        "calls:timeline": acc, "monitoring:account": acc,
        "campaigns:complaint-new": {"account_pk": account.pk}, "campaigns:buying-center": {"account_pk": account.pk},
        "campaigns:company-change": {"account_pk": account.pk},
        **{f"planning:{name}": {"pk": task.pk} for name in ("task-detail", "task-claim", "task-complete",
                                                            "task-reschedule")},
        "visits:detail": {"pk": visit.pk},
        **{f"service:{name}": {"pk": order.pk} for name in ("order-detail", "order-claim", "order-transition",
                                                            "order-decision", "order-rate")},
        "service:order-step": {"pk": order.pk, "index": 1},
        "service:approval-detail": {"pk": decision.pk},
        "service:catalog-entry": {"code": service.code}, "service:catalog-edit": {"code": service.code},
        "planning:weights": {"code": team.code},
        **{f"service:{name}": {"pk": contract.pk} for name in ("contract-detail", "contract-edit", "contract-accept",
                                                               "contract-new-version", "contract-print")},
        "service:contract-pdf": None,  # prints with Chromium: its path id is checked, the print is not repeated
        "campaigns:campaign-detail": {"pk": campaign.pk}, "campaigns:campaign-assign": {"pk": campaign.pk},
        "campaigns:call-list": {"pk": campaign.pk}, "campaigns:call-record": {"pk": entry.pk},
        "campaigns:lead-detail": {"pk": lead.pk}, "campaigns:lead-privacy": {"pk": lead.pk},
        "campaigns:lead-privacy-action": {"pk": lead.pk, "action": "export"},
        "campaigns:lead-action": {"pk": lead.pk, "action": "qualify"},
        "campaigns:appointment-cancel": {"pk": appointment.pk},
        "campaigns:calendar-feed": {"token": calendar.feed_token},
        "campaigns:complaint-detail": {"pk": complaint.pk},
        "campaigns:complaint-action": {"pk": complaint.pk, "action": "resolve"},
        "campaigns:quote-outcome": {"pk": quote.pk}, "campaigns:contact-status": {"pk": contact.pk},
        **{f"reviews:{name}": {"pk": meeting.pk} for name in ("detail", "record", "agenda-add", "action-add",
                                                              "pack")},
        "reviews:pack-pdf": None,
        "reviews:announcement-ack": {"pk": announcement.pk},
        "imports:job": {"pk": job.pk}, "imports:job-status": {"pk": job.pk}, "imports:job-errors": {"pk": job.pk},
        "imports:job-import-now": {"pk": job.pk},
        "imports:template": {"kind": "accounts"},
        "imports:export": [{"name": name, "fmt": fmt} for name in ("accounts", "contacts", "tasks", "leads",
                                                                   "service_orders", "campaign_results")
                           for fmt in ("csv", "xlsx")],
        "imports:token-revoke": {"pk": token.pk},
        **{f"targets:{name}": {"pk": plan.pk} for name in ("plan", "target-set", "plan-import", "plan-csv",
                                                            "plan-agree")},
        "targets:target-delete": {"pk": plan.pk, "target_id": target.pk},
        "targets:care-call-instead": seg,
        "agent-skills": {"pk": users[Role.INSIDE_AGENT].pk},
        "customers:owner-rule-delete": {"pk": owner_rule.pk},
    }
    return World(users=users, path_values=path_values)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def fill(route: str, values: dict) -> str:
    return "/" + PATH_PARAM.sub(lambda m: str(values[m.group(2)]), route)


def concrete_urls(route: str, name: str, world: World) -> list[str]:
    if not PATH_PARAM.search(route):
        return ["/" + route]
    values = world.path_values.get(name, ...)
    if values is None:  # a route whose page is not opened (PDF printing); its hostile ids still are
        return []
    assert values is not ..., f"{name} ({route}) has a path parameter: add an object of its kind to build_world()"
    return [fill(route, v) for v in (values if isinstance(values, list) else [values])]


def hostile_path_urls(route: str) -> list[str]:
    """The route with each path parameter in turn set to each hostile value (the others a plausible 1 or x)."""
    params = PATH_PARAM.findall(route)
    urls = []
    for converter, param in params:
        for value in HOSTILE_PATH.get(converter or "str", []):
            plain = {p: ("1" if (c or "str") == "int" else "x") for c, p in params}
            urls.append(fill(route, {**plain, param: value}))
    return urls


def allowed(name: str, role: str) -> bool:
    ns, _, url_name = name.rpartition(":")
    rule = rule_for(ns, url_name)
    return rule == PUBLIC or (rule is not None and role in rule)


def get(client: Client, url: str, data=None):
    """One request in a savepoint: a database error in it (PostgreSQL aborts the transaction) cannot spoil the next."""
    with transaction.atomic():
        response = client.get(url, data or {})
        transaction.set_rollback(True)
    return response


def failures_of(client: Client, url: str, data, failures: list[str], what: str) -> None:
    response = get(client, url, data)
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}: GET {url} {str(data)[:120]}")


@pytest.fixture
def crawler():
    return Client(raise_request_exception=False)  # a view's exception is a 500 answer, collected with the others


def sweeper(name: str) -> str | None:
    """The first role (in Role order) that may open the route: it sends every key every hostile value alone."""
    return next((role for role in Role.values if allowed(name, role)), None)


@pytest.mark.parametrize("role", Role.values)
def test_no_route_answers_5xx_to_hostile_query_values_or_path_ids(crawler, world, recording, role):
    """Each route the role may open, plain. The route's sweeping role (:func:`sweeper`) also sends the hostile path
    ids and each key alone with each hostile value; every other role each hostile value in all keys at once.
    The xlsx form of an export reads its keys as the csv form does: it gets all keys at once."""
    client = crawler
    client.force_login(world.users[role])
    failures: list[str] = []
    for route, name in ROUTES:
        if not allowed(name, role):
            continue
        sweeping = sweeper(name) == role
        if sweeping:  # the converter answers before any view or permission: once per route
            for url in hostile_path_urls(route):
                failures_of(client, url, {}, failures, "path id")
        for url in concrete_urls(route, name, world):
            recording.clear()
            failures_of(client, url, {}, failures, "plain")
            keys = sorted((set(recording) | declared_keys(name, url)) - {"csrfmiddlewaretoken"})
            alone = sweeping and not url.endswith(".xlsx")
            for value in HOSTILE:
                if alone:
                    for key in keys:
                        failures_of(client, url, {key: value}, failures, f"?{key}")
                elif keys:
                    failures_of(client, url, dict.fromkeys(keys, value), failures, "all keys")
    assert failures == [], f"{len(failures)} server errors for {role}:\n" + "\n".join(failures[:80])


def test_every_query_key_in_the_source_is_declared_for_a_route():
    declared = set().union(*DECLARED.values(), *EXPORT_KEYS.values())
    assert sorted(scanned_keys() - declared) == []
    assert set(DECLARED) <= {name for _route, name in ROUTES}


# ---- the API -----------------------------------------------------------------------------------------------------
def api_get_operations() -> list[tuple[str, list[tuple[str, str]], list[str]]]:
    """(path, [(path parameter, type)], [query parameter]) of every GET operation in the OpenAPI schema."""
    from isf.api.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        params = operation.get("parameters", [])
        operations.append((path, [(p["name"], p.get("schema", {}).get("type", "string")) for p in params
                                  if p["in"] == "path"],
                           [p["name"] for p in params if p["in"] == "query"]))
    return operations


def api_failures(response, what: str) -> list[str]:
    if response.status_code >= 500:
        return [f"{response.status_code}: {what}"]
    if response.status_code in (400, 422):
        body = response.json()
        if not isinstance(body, dict) or not body.get("message") or "field" not in body:
            return [f"{response.status_code} without message/field: {what}"]
    return []


def test_no_api_operation_answers_5xx_to_hostile_query_values_or_path_ids(world):
    """Every GET operation for every role, plain. The first role (in Role order) that the operation does not
    refuse sweeps (the last role if all are refused): hostile path ids and each query key alone with each hostile value; every later role sends each
    hostile value in all query keys at once. A 400 or 422 names its message and field."""
    clients = {}
    for role in Role.values:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world.users[role])
    failures: list[str] = []
    operations = api_get_operations()
    assert any(path.endswith("/service-orders") for path, _p, _q in operations)
    for path, path_params, query in operations:
        plain = re.sub(r"\{\w+\}", "1", path)
        swept = False
        for role, client in clients.items():
            response = get(client, plain)
            failures += api_failures(response, f"{role} GET {plain}")
            # the last role sweeps an operation every role is refused: the refusal must hold against hostile values
            sweeping = not swept and (response.status_code not in (401, 403) or role == Role.values[-1])
            if sweeping:
                swept = True
                for param, _type in path_params:
                    for value in [*HOSTILE_PATH["int"], "abc", "²"]:
                        url = path.replace("{" + param + "}", value)
                        failures += api_failures(get(client, url), f"{role} GET {url}")
            for value in HOSTILE:
                if sweeping:
                    for key in query:
                        failures += api_failures(get(client, plain, {key: value}),
                                                 f"{role} GET {plain} ?{key}={str(value)[:40]}")
                elif query:
                    failures += api_failures(get(client, plain, dict.fromkeys(query, value)),
                                             f"{role} GET {plain} all keys ={str(value)[:40]}")
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:80])
