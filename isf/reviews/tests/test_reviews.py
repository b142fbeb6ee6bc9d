"""Review meetings: agenda, notes, actions that become tasks, past meetings; VL announcements on the home page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.models import Task
from isf.reviews import services
from isf.reviews.models import Acknowledgement, Announcement, ReviewAction, ReviewMeeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def leads():
    return UserFactory(role=Role.SALES_LEAD), UserFactory(role=Role.INSIDE_LEAD)


def meeting(vl, idl, days=-20):
    at = timezone.now() + timedelta(days=days)
    return services.meeting_create(title="Review Oktober", period_start=date(2026, 10, 1),
                                   period_end=date(2026, 10, 31), scheduled_at=at, sales_lead=vl, inside_lead=idl,
                                   actor=vl)


def test_a_meeting_gets_the_review_pack_agenda_by_default_shown_in_the_page_language(leads):
    with translation.override("de"):
        m = meeting(*leads)
    assert [a.position for a in m.agenda.all()] == list(range(1, 9))
    first = m.agenda.first()
    assert first.title == "SLA attainment against the contract"  # the source, whoever created the meeting
    with translation.override("de"):
        assert first.display_title == "SLA-Erfüllung gegenüber dem Dienstleistungsvertrag"
    with translation.override("en"):
        assert first.display_title == "SLA attainment against the contract"


def test_a_meeting_needs_a_vl_an_idl_and_an_ordered_period(leads):
    vl, idl = leads
    agent = UserFactory(role=Role.INSIDE_AGENT)
    with pytest.raises(services.ReviewError, match="only the sales lead and the inside-sales lead"):
        services.meeting_create(title="x", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                                scheduled_at=timezone.now(), sales_lead=vl, inside_lead=idl, actor=agent)
    with pytest.raises(services.ReviewError, match="period end 2026-09-30 is before its start"):
        services.meeting_create(title="x", period_start=date(2026, 10, 1), period_end=date(2026, 9, 30),
                                scheduled_at=timezone.now(), sales_lead=vl, inside_lead=idl, actor=vl)
    with pytest.raises(services.ReviewError, match="is not a sales lead"):
        services.meeting_create(title="x", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                                scheduled_at=timezone.now(), sales_lead=idl, inside_lead=idl, actor=vl)
    assert not ReviewMeeting.objects.exists()


def test_an_agreed_action_becomes_a_task_for_its_owner(leads):
    vl, idl = leads
    m = meeting(vl, idl)
    owner = UserFactory(role=Role.INSIDE_AGENT)
    due = (timezone.localdate() + timedelta(days=10))
    action = services.action_add(meeting=m, title="Rückrufliste aufbereiten", owner=owner, due_date=due, actor=idl)
    task = action.task
    assert task.kind == "action" and task.assignee == owner and task.status == "open"
    assert task.source == "reviews" and task.source_id == str(action.pk)
    assert task.due_at.astimezone(timezone.get_current_timezone()).hour == 17
    assert task.due_at.astimezone(timezone.get_current_timezone()).date() == due
    assert task.url == reverse("reviews:detail", args=[m.pk])


def test_an_action_due_before_the_meeting_or_by_an_agent_changes_nothing(leads):
    vl, idl = leads
    m = meeting(vl, idl)
    with pytest.raises(services.ReviewError, match="is before the meeting"):
        services.action_add(meeting=m, title="x", owner=idl, due_date=date(2020, 1, 1), actor=vl)
    with pytest.raises(services.ReviewError, match="must not be empty"):
        services.action_add(meeting=m, title="  ", owner=idl, due_date=timezone.localdate(), actor=vl)
    with pytest.raises(services.ReviewError):
        services.action_add(meeting=m, title="x", owner=idl, due_date=timezone.localdate() + timedelta(days=3),
                            actor=UserFactory(role=Role.INSIDE_AGENT))
    assert not ReviewAction.objects.exists() and not Task.objects.exists()


def test_notes_are_recorded_and_the_meeting_marked_held(client, leads):
    vl, idl = leads
    m = meeting(vl, idl)
    first = m.agenda.first()
    client.force_login(idl)
    client.post(reverse("reviews:record", args=[m.pk]), {"notes": "Gute Stimmung", f"item-{first.pk}": "SLA 91 %",
                                                          "held": "1"})
    m.refresh_from_db()
    first.refresh_from_db()
    assert (m.notes, m.status, first.notes) == ("Gute Stimmung", "held", "SLA 91 %")


def test_a_meeting_in_the_future_cannot_be_marked_held(client, leads, today_is):
    today_is(date(2026, 12, 7), hour=9)
    vl, idl = leads
    m = meeting(vl, idl, days=3)
    client.force_login(idl)
    page = client.post(reverse("reviews:record", args=[m.pk]), {"notes": "vorab", "held": "1"},
                       HTTP_ACCEPT_LANGUAGE="de", follow=True)
    m.refresh_from_db()
    assert (m.status, m.notes) == ("planned", "")
    assert "kann als stattgefunden markiert werden, sobald es begonnen hat; es ist für 10.12.2026" in (
        page.content.decode())


def test_actions_are_added_in_the_browser_form_and_bad_dates_are_named(client, leads):
    vl, idl = leads
    m = meeting(vl, idl)
    client.force_login(vl)
    response = client.post(reverse("reviews:action-add", args=[m.pk]),
                           {"title": "Teilzeit umplanen", "owner": idl.pk, "due_date": "2020-01-01"})
    assert response.status_code == 400 and "is before the meeting" in response.content.decode()
    assert not ReviewAction.objects.exists()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    client.post(reverse("reviews:action-add", args=[m.pk]), {"title": "Teilzeit umplanen", "owner": idl.pk,
                                                              "due_date": due})
    assert Task.objects.get().title == "Teilzeit umplanen"


def test_past_and_upcoming_meetings_with_their_actions_stay_visible(client, leads):
    vl, idl = leads
    past = meeting(vl, idl, days=-40)
    services.action_add(meeting=past, title="Alte Aktion", owner=idl, due_date=timezone.localdate(), actor=vl)
    upcoming = meeting(vl, idl, days=+10)
    client.force_login(vl)
    response = client.get(reverse("reviews:list"))
    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["past"]) == [past]
    assert response.context["past"][0].n_actions == 1 and response.context["past"][0].n_open == 1
    pack = client.get(reverse("reviews:pack", args=[upcoming.pk])).content.decode()
    assert "Alte Aktion" in pack  # open actions of earlier meetings are in the next pack
    for section in ("pack-sla", "pack-volumes", "pack-ratings", "pack-process", "pack-capacity", "pack-segments",
                    "pack-escalations", "pack-actions"):
        assert f'data-testid="{section}"' in pack


def test_reviews_are_for_the_leads_only(client, leads):
    m = meeting(*leads)
    for role in (Role.INSIDE_AGENT, Role.FIELD_REP, Role.MARKETING):
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("reviews:list")).status_code == 403
        assert client.get(reverse("reviews:pack", args=[m.pk])).status_code == 403
        assert client.post(reverse("reviews:record", args=[m.pk]), {"notes": "x"}).status_code == 403
    m.refresh_from_db()
    assert m.notes == ""


# ------------------------------------------------------------------------------------------------ announcements


def test_vl_announcement_shows_on_the_agents_home_until_acknowledged(client, leads):
    vl, idl = leads
    team = TeamFactory(code="SMB")
    agent = UserFactory(role=Role.INSIDE_AGENT, team=team)
    client.force_login(vl)
    client.post(reverse("reviews:announcement-new"), {"kind": "dissatisfaction", "title": "Rückrufzeiten",
                                                      "body": "Bitte binnen 4 Stunden zurückrufen."})
    announcement = Announcement.objects.get()
    assert announcement.author == vl
    client.force_login(agent)
    home = client.get(reverse("home")).content.decode()
    assert "Rückrufzeiten" in home and 'data-testid="announcement"' in home
    client.post(reverse("reviews:announcement-ack", args=[announcement.pk]), {"next": "/home/"})
    client.post(reverse("reviews:announcement-ack", args=[announcement.pk]), {"next": "/home/"})
    assert Acknowledgement.objects.filter(user=agent).count() == 1
    assert "Rückrufzeiten" not in client.get(reverse("home")).content.decode()
    client.force_login(idl)
    assert "Rückrufzeiten" in client.get(reverse("home")).content.decode()
    client.force_login(vl)
    listed = client.get(reverse("reviews:list")).context["announcements"]
    assert (listed[0].n_acks, listed[0].audience) == (1, 1)


def test_only_the_vl_posts_and_only_the_addressed_team_acknowledges(client, leads):
    vl, idl = leads
    ka, smb = TeamFactory(code="KA"), TeamFactory(code="SMB")
    client.force_login(idl)
    assert client.post(reverse("reviews:announcement-new"), {"kind": "other", "title": "x", "body": "y"}).status_code == 403
    assert not Announcement.objects.exists()
    with pytest.raises(services.ReviewError, match="only the sales lead"):
        services.announcement_post(author=idl, title="x", body="y")
    a = services.announcement_post(author=vl, title="Nur KA", body="Key Accounts zuerst", team=ka,
                                   published_at=datetime(2026, 11, 20, 8, tzinfo=UTC))
    other = UserFactory(role=Role.INSIDE_AGENT, team=smb)
    client.force_login(other)
    assert "Nur KA" not in client.get(reverse("home")).content.decode()
    client.post(reverse("reviews:announcement-ack", args=[a.pk]))
    field_rep = UserFactory(role=Role.FIELD_REP)
    with pytest.raises(services.ReviewError):
        services.announcement_acknowledge(announcement=a, user=field_rep)
    assert not Acknowledgement.objects.exists()
