"""Agents' skills route work (key accounts only to approved agents, the needed product group's experts first) and
referrals are asked for after positive events, their outcomes counted per agent (issue 20)."""

import datetime as dt

import pytest
from django.utils import timezone

from isf.customers.services import need_record
from isf.customers.tests.factories import AccountFactory, ProductGroupFactory
from isf.org.choices import Role
from isf.org.services import SkillsError, agent_skills_set
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.choices import TaskKind, TaskOutcome, TaskStatus
from isf.planning.matrix_services import care_matrix_defaults
from isf.planning.models import Task
from isf.planning.referrals import referral_counts
from isf.planning.services import TaskError, task_claim, task_claim_next, task_complete, task_create
from isf.segmentation.models import Segment

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 12)


@pytest.fixture
def team(today_is):
    today_is(DAY)
    return TeamFactory(code="KAT", name="Key-Account-Team")


def _task(account, team, title, hours_ago=0):
    return task_create(kind=TaskKind.CARE_CALL, title=title, due_at=timezone.now() - dt.timedelta(hours=hours_ago),
                       account=account, team=team)


def test_a_key_account_task_only_goes_to_an_approved_agent(team):
    ka = Segment.objects.create(code="KA", name_de="Key Accounts", name_en="Key accounts", team=team, precedence=1)
    key = AccountFactory(name="Großkunde AG", segment=ka, team=team)
    small = AccountFactory(name="Kleinbetrieb", team=team)
    key_task = _task(key, team, "Key account call", hours_ago=5)  # the higher-ranked (more overdue) one
    small_task = _task(small, team, "Small call")
    junior = UserFactory(username="junior", role=Role.INSIDE_AGENT, team=team)
    senior = UserFactory(username="senior", role=Role.INSIDE_AGENT, team=team)
    agent_skills_set(agent=senior, key_account_approved=True)
    with pytest.raises(TaskError):
        task_claim(task_id=key_task.pk, user=junior)
    assert task_claim_next(user=junior) == small_task
    assert task_claim_next(user=junior) is None  # the key account waits for an approved colleague
    assert task_claim_next(user=senior) == key_task


def test_take_next_prefers_the_product_group_the_agent_knows(team):
    drl = ProductGroupFactory(code="DRL", name="Drucklufttechnik")
    swt = ProductGroupFactory(code="SWT", name="Schweißtechnik")
    air, weld, plain = (AccountFactory(name=n, team=team) for n in ("Luft GmbH", "Schweiß KG", "Normal OHG"))
    writer = UserFactory(username="writer", role=Role.INSIDE_AGENT, team=team)
    need_record(account=air, product_group=drl, user=writer)
    need_record(account=weld, product_group=swt, user=writer)
    t_air, t_weld, t_plain = (_task(acc, team, acc.name, hours_ago=h) for acc, h in ((air, 3), (weld, 2), (plain, 1)))
    assert list(Task.objects.filter(pk__in=[t_air.pk, t_weld.pk, t_plain.pk]).order_by("-priority", "due_at")
                .values_list("pk", flat=True))[0] == t_air.pk  # by rank alone the compressed-air task comes first
    welder = UserFactory(username="welder", role=Role.INSIDE_AGENT, team=team)
    agent_skills_set(agent=welder, product_groups=[swt], languages=["de", "pl"])
    assert task_claim_next(user=welder) == t_weld  # his skill first
    assert task_claim_next(user=welder) == t_plain  # then work needing no particular group
    assert task_claim_next(user=welder) == t_air  # a group he does not know last


def test_skills_are_refused_for_unknown_languages_and_other_roles(team):
    agent = UserFactory(role=Role.INSIDE_AGENT, team=team)
    with pytest.raises(SkillsError):
        agent_skills_set(agent=agent, languages=["klingon"])
    with pytest.raises(SkillsError):
        agent_skills_set(agent=UserFactory(role=Role.FIELD_REP))


@pytest.fixture
def smb(team):
    segment = Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB", team=team, precedence=3)
    care_matrix_defaults(segment=segment)
    return segment


def _rated_order(account, score):
    from isf.service.models import ServiceCatalogEntry, ServiceOrder
    from isf.service.services import service_order_rate

    rep = account.owner
    order = ServiceOrder.objects.create(service=ServiceCatalogEntry.objects.order_by("pk").first(), account=account,
                                        requester=rep, team=account.team, created_at=timezone.now(),
                                        target_seconds=3600, clock_started_at=timezone.now(), status="done",
                                        assignee=UserFactory(role=Role.INSIDE_AGENT, team=account.team),
                                        completed_at=timezone.now())
    return service_order_rate(order=order, user=rep, score=score)


def test_a_rating_of_5_creates_a_referral_request_once(team, smb):
    rep = UserFactory(username="rep", role=Role.FIELD_REP)
    account = AccountFactory(name="Begeistert GmbH", segment=smb, team=team, owner=rep, phase="active")
    other = AccountFactory(name="Zufrieden GmbH", segment=smb, team=team, owner=rep, phase="active")
    _rated_order(other, 4)
    rating = _rated_order(account, 5)
    task = Task.objects.get(kind=TaskKind.REFERRAL_ASK)
    assert (task.account, task.team, task.status) == (account, team, TaskStatus.OPEN)
    assert task.due_at.date() == DAY + dt.timedelta(days=2)  # the matrix entry's offset
    assert "5 von 5" in task.reason and "5 of 5" in task.reason_en
    assert task.dedupe_key.endswith(f":r{rating.pk}")
    from isf.planning.plan import plan_run

    plan_run(today=DAY, schedule=False)  # the nightly plan reads the same event: no second request
    assert Task.objects.filter(kind=TaskKind.REFERRAL_ASK).count() == 1


def test_a_solved_complaint_asks_for_a_referral_and_outcomes_count_per_agent(team, smb):
    from isf.campaigns.models import Complaint
    from isf.campaigns.services.complaints import complaint_resolve

    agent = UserFactory(username="anna", role=Role.INSIDE_AGENT, team=team)
    accounts = [AccountFactory(name=f"Kunde {i}", segment=smb, team=team, phase="active") for i in range(3)]
    for acc in accounts:
        complaint = Complaint.objects.create(account=acc, category="quality", description="Kratzer am Gehäuse")
        complaint_resolve(complaint=complaint, resolution="Ersatz geliefert", user=agent)
    tasks = list(Task.objects.filter(kind=TaskKind.REFERRAL_ASK).order_by("pk"))
    assert [t.account for t in tasks] == accounts
    for task, outcome in zip(tasks, (TaskOutcome.REFERRAL_GIVEN, TaskOutcome.REFERRAL_LEAD,
                                     TaskOutcome.REFERRAL_DECLINED), strict=True):
        task_claim(task_id=task.pk, user=agent)
        task_complete(task=Task.objects.get(pk=task.pk), user=agent, outcome=outcome, note="Empfehlung: Bau Meier")
    counts = referral_counts(agents=[agent])[agent.pk]
    assert (counts["asked"], counts["referral_given"], counts["referral_lead"], counts["referral_declined"],
            counts["given_total"], counts["open"]) == (3, 1, 1, 1, 2, 0)
