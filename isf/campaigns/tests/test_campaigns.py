"""Target lists under the consent rules (UWG §7), attempt limits, outcomes and progress."""

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest

from isf.campaigns.choices import CallOutcome, EntryStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import CallAttempt, CallListEntry, Campaign
from isf.campaigns.selectors import campaign_progress
from isf.campaigns.services import campaigns as services
from isf.campaigns.tests.factories import make_org
from isf.customers.tests.factories import AccountFactory, OrderFactory, PhoneFactory, ProductFactory, add_line
from isf.planning.models import Task

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def callable_account(org, **kw):
    account = AccountFactory(segment=org.smb, **kw)
    PhoneFactory(account=account)
    return account


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def base(org):
    """6 SMB accounts: 2 callable, 1 objected, 1 B2C without consent, 1 B2B without presumed consent, 1 no phone."""
    ok1 = callable_account(org, name="Erlaubt Eins GmbH")
    ok2 = callable_account(
        org,
        name="Privat mit Einwilligung",
        customer_type="b2c",
        presumed_consent=False,
        phone_consent=True,
        phone_consent_date=dt.date(2025, 3, 1),
    )
    callable_account(org, name="Widerspruch GmbH", opt_out_date=dt.date(2026, 5, 1))
    callable_account(org, name="Privat ohne", customer_type="b2c", presumed_consent=False)
    callable_account(org, name="Ohne Vermutung GmbH", presumed_consent=False)
    AccountFactory(segment=org.smb, name="Ohne Telefon GmbH")
    AccountFactory(segment=org.ka, name="Anderes Segment AG")
    return ok1, ok2


def test_preview_counts_excluded_accounts_by_reason(org, base):
    preview = services.campaign_preview(filters={"segment": ["SMB"]})
    assert preview["total"] == 6
    assert preview["eligible"] == 2
    assert preview["excluded"] == {"opt_out": 1, "b2c_no_consent": 1, "b2b_no_presumed": 1, "no_phone": 1}


def test_objected_account_is_counted_once_even_if_other_rules_apply(org):
    callable_account(org, customer_type="b2c", presumed_consent=False, opt_out_date=dt.date(2026, 1, 1))
    preview = services.campaign_preview(filters={})
    assert preview["excluded"] == {"opt_out": 1, "b2c_no_consent": 0, "b2b_no_presumed": 0, "no_phone": 0}


def test_campaign_lists_only_callable_accounts_and_gives_agents_a_queue_task(org, base):
    campaign = services.campaign_create(
        name="Akku-Aktion",
        kind="product",
        filters={"segment": "SMB"},
        user=org.marketing,
        agents=[org.agent, org.agent2],
        now=NOW,
    )
    names = set(campaign.entries.values_list("account__name", flat=True))
    assert names == {"Erlaubt Eins GmbH", "Privat mit Einwilligung"}
    assert campaign.excluded == {"opt_out": 1, "b2c_no_consent": 1, "b2b_no_presumed": 1, "no_phone": 1}
    assert set(campaign.entries.values_list("agent__username", flat=True)) == {"id1", "id2"}
    assert Task.objects.filter(kind="campaign_call", source_id=str(campaign.pk)).count() == 2


def test_filter_matching_nothing_is_refused_and_nothing_saved(org, base):
    with pytest.raises(CampaignsError, match="match no account") as exc:
        services.campaign_create(
            name="Leer", kind="product", filters={"segment": "KA", "phase": "lost"}, user=org.marketing
        )
    assert exc.value.field == "filters"
    assert Campaign.objects.count() == 0 and CallListEntry.objects.count() == 0


def test_all_excluded_is_refused(org):
    callable_account(org, opt_out_date=dt.date(2026, 1, 1))
    with pytest.raises(CampaignsError, match="excluded by the consent rules"):
        services.campaign_create(name="X", kind="product", filters={}, user=org.marketing)
    assert Campaign.objects.count() == 0


def test_unknown_filter_values_are_refused_naming_the_field(org):
    for filters, field in [
        ({"segment": "NOPE"}, "segment"),
        ({"phase": "asleep"}, "phase"),
        ({"last_order_from": "31.12.2026"}, "last_order_from"),
        ({"colour": "red"}, "colour"),
        ({"bought_group": "XYZ"}, "bought_group"),
    ]:
        with pytest.raises(CampaignsError) as exc:
            services.campaign_preview(filters=filters)
        assert exc.value.field == field


def test_bought_x_but_not_y_and_last_order_range(org):
    drills, saws = ProductFactory(group__code="BOH"), ProductFactory(group__code="SAE")
    both, only_drills, nothing = callable_account(org), callable_account(org), callable_account(org)
    add_line(OrderFactory(account=both, date=dt.date(2026, 3, 1)), product=drills)
    add_line(OrderFactory(account=both, date=dt.date(2026, 4, 1)), product=saws)
    add_line(OrderFactory(account=only_drills, date=dt.date(2025, 6, 1)), product=drills)
    assert services.campaign_preview(filters={"bought_group": "BOH", "not_bought_group": "SAE"})["total"] == 1
    assert services.campaign_preview(filters={"last_order_from": "2026-01-01"})["total"] == 1
    assert services.campaign_preview(filters={"last_order_to": "2025-12-31"})["total"] == 1
    assert nothing.pk not in services.target_queryset({"last_order_to": "2030-01-01"}).values_list("pk", flat=True)


def test_lost_within_months(org):
    today = dt.date(2026, 11, 27)
    recent_lost = callable_account(org, phase="lost")
    long_lost = callable_account(org, phase="lost")
    add_line(OrderFactory(account=recent_lost, date=today - timedelta(days=400)))
    add_line(OrderFactory(account=long_lost, date=today - timedelta(days=365 + 400)))
    ids = list(services.target_queryset({"lost_within_months": 6}, today=today).values_list("pk", flat=True))
    assert ids == [recent_lost.pk]


@pytest.fixture
def campaign(org, base):
    return services.campaign_create(
        name="Reaktivierung",
        kind="reactivation",
        filters={"segment": "SMB"},
        user=org.idl,
        max_attempts=2,
        agents=[org.agent],
        now=NOW,
    )


def test_not_reached_is_retried_and_attempts_are_limited(org, campaign):
    entry = campaign.entries.order_by("pk").first()
    entry = services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.NOT_REACHED, now=NOW)
    assert (entry.attempts, entry.status) == (1, EntryStatus.OPEN)
    assert entry.next_attempt_at == NOW + timedelta(hours=4, minutes=30)  # half a business day later
    assert services.next_entry(campaign=campaign, agent=org.agent, now=NOW).pk != entry.pk
    entry = services.call_record(
        entry=entry, agent=org.agent, outcome=CallOutcome.NOT_REACHED, now=NOW + timedelta(days=1)
    )
    assert (entry.attempts, entry.status, entry.next_attempt_at) == (2, EntryStatus.EXHAUSTED, None)
    with pytest.raises(CampaignsError):
        services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.REACHED, now=NOW + timedelta(days=2))
    assert CallAttempt.objects.filter(entry=entry).count() == 2


def test_attempt_limit_is_checked_even_if_status_were_open(org, campaign):
    entry = campaign.entries.first()
    CallListEntry.objects.filter(pk=entry.pk).update(attempts=2)
    with pytest.raises(CampaignsError, match="maximum of 2 attempts") as exc:
        services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.REACHED, now=NOW)
    assert exc.value.field == "attempts"
    assert CallAttempt.objects.count() == 0


def test_call_back_needs_a_future_time(org, campaign):
    entry = campaign.entries.first()
    with pytest.raises(CampaignsError, match="call back"):
        services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.CALL_BACK, now=NOW)
    at = NOW + timedelta(days=3)
    entry = services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.CALL_BACK, callback_at=at, now=NOW)
    assert entry.next_attempt_at == at and entry.status == EntryStatus.OPEN


def test_do_not_call_records_the_objection_at_once_everywhere(org, campaign):
    entry = campaign.entries.get(account__name="Erlaubt Eins GmbH")
    other = services.campaign_create(
        name="Zweite", kind="product", filters={"segment": "SMB"}, user=org.idl, agents=[org.agent2], now=NOW
    )
    services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.DO_NOT_CALL, now=NOW)
    entry.account.refresh_from_db()
    assert entry.account.opt_out_date == dt.date(2026, 11, 27)
    other_entry = other.entries.get(account=entry.account)
    assert (other_entry.status, other_entry.outcome) == (EntryStatus.DONE, CallOutcome.DO_NOT_CALL)
    assert entry.account.history.first().opt_out_date == dt.date(2026, 11, 27)
    assert services.campaign_preview(filters={"segment": "SMB"})["excluded"]["opt_out"] == 2


def test_a_call_to_someone_who_objected_is_refused(org, campaign):
    entry = campaign.entries.get(account__name="Erlaubt Eins GmbH")
    entry.account.opt_out_date = dt.date(2026, 11, 20)
    entry.account.save()
    assert services.next_entry(campaign=campaign, agent=org.agent, now=NOW).account.name != "Erlaubt Eins GmbH"
    with pytest.raises(CampaignsError, match="objected") as exc:
        services.call_record(entry=entry, agent=org.agent, outcome=CallOutcome.REACHED, now=NOW)
    assert exc.value.field == "consent"
    entry.refresh_from_db()
    assert (entry.attempts, entry.status) == (0, EntryStatus.OPEN)


def test_quote_requested_creates_a_task_and_progress_counts(org, campaign):
    first, second = campaign.entries.order_by("pk")
    services.call_record(entry=first, agent=org.agent, outcome=CallOutcome.QUOTE_REQUESTED, now=NOW)
    services.call_record(entry=second, agent=org.agent, outcome=CallOutcome.NOT_REACHED, now=NOW)
    assert Task.objects.filter(kind="quote_followup", account=first.account).count() == 1
    progress = campaign_progress(campaign=campaign)
    assert progress["total"] == 2 and progress["worked"] == 2 and progress["success"] == 1
    assert progress["agents"][0]["calls"] == 2
    assert progress["agents"][0]["outcomes"] == {"quote_requested": 1, "not_reached": 1}


def test_someone_elses_entry_is_refused(org, campaign):
    entry = campaign.entries.first()
    with pytest.raises(CampaignsError, match="belongs to"):
        services.call_record(entry=entry, agent=org.agent2, outcome=CallOutcome.REACHED, now=NOW)


def test_preview_page_shows_counts_and_empty_filter_warning(org, base, client):
    client.force_login(org.marketing)
    resp = client.post(
        "/campaigns/new/",
        {"name": "X", "kind": "product", "max_attempts": 3, "segment": ["SMB"], "preview": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "<h1>" not in text and "6" in text
    resp = client.post(
        "/campaigns/new/", {"name": "Leer", "kind": "product", "max_attempts": 3, "segment": ["KA"], "phase": ["lost"]}
    )
    assert resp.status_code == 200
    assert Campaign.objects.count() == 0
