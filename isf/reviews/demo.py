"""Demo content: last month's review meeting (held, with notes and actions), the next one, two announcements."""

from datetime import datetime, time, timedelta

from django.utils import translation

from isf.planning.services import task_complete
from isf.reviews import services
from isf.reviews.models import AnnouncementKind
from isf.reviews.selectors import LOCAL

NOTES = {
    0: "SLA-Erfüllung 91 %; Angebotserstellung für Key Accounts lag zweimal über 16 Stunden (Urlaubszeit).",
    1: "Anrufvolumen im SMB-Team 8 % über Vorjahr, Montage vormittags Spitzen bis 14 Anrufe je Viertelstunde.",
    2: "Außendienst Süd lobt Angebotsnachverfolgung; Kritik an Rückrufzeiten bei Reklamationen.",
    4: "SMB-Team montags unterbesetzt (Lücke ca. 1,5 VZÄ); Teilzeitkräfte auf Montag verschieben.",
    7: "Neue Strategie: Rückgewinnung verlorener C-Kunden im Q1 aktiv angehen.",
}


def _at(day, hour):
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL)


def load(ctx) -> None:
    vl, idl = ctx.users.get("vl"), ctx.users.get("idl")
    if vl is None or idl is None:
        return
    today = ctx.today
    this_month = today.replace(day=1)
    last_month_end = this_month - timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    before_start = (last_month_start - timedelta(days=1)).replace(day=1)
    held_day = last_month_start + timedelta(days=9)
    while held_day.weekday() > 3:
        held_day += timedelta(days=1)
    with translation.override("de"):
        held = services.meeting_create(
            title=f"Review-Meeting {before_start:%m/%Y}", period_start=before_start,
            period_end=last_month_start - timedelta(days=1), scheduled_at=_at(held_day, 10),
            location="Besprechungsraum Zugspitze", sales_lead=vl, inside_lead=idl, actor=vl,
        )
        agenda = list(held.agenda.all())
        services.meeting_record(
            meeting=held, actor=idl, held=True,
            notes="Teilnehmer: M. Brandl (VL), C. Seidl (IDL). Stimmung gut; Fokus nächster Monat: SMB-Montage "
                  "und Reklamationsrückrufe.",
            item_notes={agenda[i].pk: text for i, text in NOTES.items() if i < len(agenda)},
        )
        agents = [u for u in ctx.users.values() if u.role == "id"]
        actions = [
            ("Teilzeitkräfte SMB-Team auf Montagvormittag umplanen", idl, held_day + timedelta(days=14)),
            ("Rückruf-Standard für Reklamationen auf 4 Stunden festlegen", vl, held_day + timedelta(days=21)),
            ("Liste verlorener C-Kunden für Rückgewinnung aufbereiten", agents[0] if agents else idl,
             held_day + timedelta(days=28)),
        ]
        created = [services.action_add(meeting=held, title=t, owner=o, due_date=d, actor=idl) for t, o, d in actions]
        if created and created[0].task:
            task_complete(task=created[0].task, user=idl, outcome="erledigt", note="Dienstplan ab KW angepasst")

        next_day = today + timedelta(days=12)
        while next_day.weekday() > 3:
            next_day += timedelta(days=1)
        services.meeting_create(
            title=f"Review-Meeting {last_month_start:%m/%Y}", period_start=last_month_start,
            period_end=last_month_end, scheduled_at=_at(next_day, 14), location="Besprechungsraum Zugspitze",
            sales_lead=vl, inside_lead=idl, actor=vl,
        )
        services.announcement_post(
            author=vl, kind=AnnouncementKind.STRATEGY, title="Schwerpunkt Q1: Rückgewinnung von C-Kunden",
            body="Ab Januar rufen wir alle seit 12 Monaten inaktiven C-Kunden aktiv an. Bitte bei jedem Kontakt "
                 "nach dem Grund der Abwanderung fragen und im Anrufprotokoll festhalten.",
            published_at=_at(today - timedelta(days=3), 9),
        )
        services.announcement_post(
            author=vl, kind=AnnouncementKind.DISSATISFACTION, title="Rückrufzeiten bei Reklamationen",
            body="Mehrere Außendienstkollegen melden, dass Kunden bei Reklamationen zu lange auf einen Rückruf warten. "
                 "Bitte Reklamationen ab sofort innerhalb von 4 Stunden zurückrufen.",
            published_at=_at(today - timedelta(days=1), 8),
        )
