"""Demo content for visit reports: the reps' recent reports (with competitors, company and
contact changes) and today's planned visits in their work queues."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from isf.customers.models import Account
from isf.planning.choices import OPEN_STATUSES, Side, TaskKind, TaskStatus
from isf.planning.models import Task
from isf.planning.services import task_create
from isf.visits.models import AccountChangeEvent, CompetitorMention, VisitReport, VisitType

COMPETITORS = ["Würth", "Berner", "Hoffmann Group", "Förch", "Reca", "Keller & Kalmbach", "Mercateo", "Lokaler Fachhandel"]
SUMMARIES = [
    "Jahresbedarf besprochen, Kunde plant Ausbau der Fertigung.",
    "Neuer Einkäufer vorgestellt, Rahmenvertrag gewünscht.",
    "Produktvorführung Akkusysteme, großes Interesse der Werkstatt.",
    "Reklamation Lieferverzug geklärt, Kunde wieder zufrieden.",
    "Kunde bezieht Arbeitsschutz bisher beim Wettbewerb – Angebot vereinbart.",
    "Umzug an neuen Standort im Frühjahr, Erstausstattung Lager nötig.",
    "Preisverhandlung Befestigungstechnik, Staffelpreise angefragt.",
]
AGREEMENTS = ["Angebot bis Freitag", "Muster werden zugeschickt", "Kanban-Regal wird aufgestellt",
              "Konditionen für 12 Monate fixiert", "Schulung für Werkstattpersonal im nächsten Quartal"]
NEXT_STEPS = ["Innendienst erstellt Angebot", "Rückruf in zwei Wochen", "Termin mit Geschäftsführung vereinbaren",
              "Bedarfsanalyse Arbeitsschutz", "Nachfassen Angebot"]
CHANGES = [("growth", "Neue Fertigungshalle, 20 zusätzliche Mitarbeiter"), ("relocation", "Umzug ins Gewerbegebiet Nord"),
           ("ownership", "Nachfolge: Sohn übernimmt die Geschäftsführung")]


def load(ctx) -> None:
    rng = ctx.rng
    types = list(VisitType.objects.all())
    if not types:
        return
    now = timezone.now()
    reports, competitors, changes = [], [], []
    reps = [u for name, u in ctx.users.items() if name.startswith("ad")]
    for rep in reps:
        accounts = list(Account.objects.filter(owner=rep).order_by("-potential").values_list("pk", "potential")[:60])
        if not accounts:
            continue
        for k in range(min(40, len(accounts))):
            pk, potential = accounts[int(rng.integers(len(accounts)))]
            day = ctx.today - timedelta(days=int(rng.integers(1, 150)))
            vt = types[int(rng.integers(len(types)))]
            reports.append(VisitReport(
                client_id=f"demo-{rep.pk}-{k}", account_id=pk, author=rep, visit_date=day, visit_type=vt,
                summary=SUMMARIES[int(rng.integers(len(SUMMARIES)))],
                needs="Bedarf an Verbrauchsmaterial steigt" if "needs" in vt.sections else "",
                agreements=AGREEMENTS[int(rng.integers(len(AGREEMENTS)))] if "agreements" in vt.sections else "",
                next_steps=NEXT_STEPS[int(rng.integers(len(NEXT_STEPS)))] if "next_steps" in vt.sections else "",
            ))
    VisitReport.objects.bulk_create(reports, batch_size=1000)
    saved = list(VisitReport.objects.filter(client_id__startswith="demo-").select_related("visit_type"))
    for r in saved:
        if "competitors" in r.visit_type.sections and rng.random() < 0.5:
            competitors.append(CompetitorMention(report=r, name=COMPETITORS[int(rng.integers(len(COMPETITORS)))],
                                                 share_percent=int(rng.integers(1, 9)) * 10))
        if "company" in r.visit_type.sections and rng.random() < 0.3:
            kind, text = CHANGES[int(rng.integers(len(CHANGES)))]
            changes.append(AccountChangeEvent(account_id=r.account_id, kind=kind, description=text, date=r.visit_date,
                                              report=r, created_by=r.author))
    CompetitorMention.objects.bulk_create(competitors)
    AccountChangeEvent.objects.bulk_create(changes)
    planned = _planned_visits(ctx, reps, now)
    ctx.progress(f"visit reports: {len(saved)}, planned visits today: {planned}")


def _planned_visits(ctx, reps, now) -> int:
    """Three visits due today for every rep (unless the contact plan already planned some)."""
    count = 0
    for rep in reps:
        start = timezone.make_aware(datetime.combine(ctx.today, time.min))
        end = timezone.make_aware(datetime.combine(ctx.today, time.max))
        existing = Task.objects.filter(kind=TaskKind.VISIT, assignee=rep, status__in=OPEN_STATUSES,
                                       due_at__range=(start, end)).count()
        if existing >= 3:
            continue
        accounts = list(Account.objects.filter(owner=rep).order_by("-potential")[5:5 + 3 - existing])
        for i, account in enumerate(accounts):
            due = timezone.make_aware(datetime.combine(ctx.today, time(9 + 2 * i, 0)))
            task = task_create(kind=TaskKind.VISIT, title=f"Besuch: {account.name}", due_at=due, account=account,
                               assignee=rep, side=Side.FIELD, reason="Geplanter Besuch laut Kontaktplan",
                               reason_en="Visit planned by the contact plan", source="visits",
                               dedupe_key=f"demo-visit:{account.pk}:{ctx.today}")
            if task is not None and task.status == TaskStatus.OPEN:
                count += 1
    return count
