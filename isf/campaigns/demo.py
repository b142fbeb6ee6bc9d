"""Demo content: leads in every class, four campaigns with partly worked call lists, appointments for the
field reps in the coming two weeks (and of the last working day, closed by the visit report), complaints in
several states (goodwill within the contract's decision rights, approved, declined and waiting for the owner),
quote follow-ups, buying-center changes.

Few rows, written through the services so every row is consistent with its tasks; fast at 100,000 accounts
(the campaign lists are built with bulk inserts, only a few dozen entries are worked).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from isf.campaigns import demo_telemarketing, selectors
from isf.campaigns.choices import CallOutcome, EntryStatus, LeadSource
from isf.campaigns.demo_leads import LEADS
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import CallListEntry, Lead
from isf.campaigns.services import accounts as account_services
from isf.campaigns.services import appointments as appointment_services
from isf.campaigns.services import campaigns as campaign_services
from isf.campaigns.services import complaints as complaint_services
from isf.campaigns.services import leads as lead_services
from isf.customers.models import Account, Contact, Order, ProductGroup
from isf.lifecycle.choices import Phase
from isf.service.decisions import approval_decide
from isf.service.errors import ServiceOrderError


def _now(ctx) -> datetime:
    return datetime.combine(ctx.today, time(7, 30), tzinfo=timezone.get_default_timezone())


def load(ctx) -> None:
    now = _now(ctx)
    users = ctx.users
    leads = _leads(ctx, now)
    campaigns = _campaigns(ctx, now)
    _contact_form(ctx, now)
    _work_call_lists(ctx, campaigns, now)
    demo_telemarketing.load(ctx, book_for_entry=_book_for_entry)
    _appointments(ctx, leads, now)
    _visited_appointments(ctx)
    _complaints(ctx, now)
    account_services.quote_followups_schedule(limit=250)
    _quote_outcomes(ctx)
    _buying_center(ctx, now)
    ctx.progress(
        f"campaigns: {Lead.objects.count()} leads, {len(campaigns)} campaigns, "
        f"{CallListEntry.objects.count()} call-list entries ({users['idl']} leads the inside team)"
    )


def _leads(ctx, now) -> list[Lead]:
    users = ctx.users
    referrers = list(Account.objects.filter(phase=Phase.ACTIVE, customer_type="b2b").order_by("-potential")[:2])
    created = []
    for i, (company, contact, email, phone, postcode, city, industry, band, potential, source) in enumerate(LEADS):
        source_account = None
        if source == LeadSource.REFERRAL:
            if not referrers:
                source = LeadSource.PHONE
            else:
                source_account = referrers[i % len(referrers)]
        data = {
            "company": company,
            "contact_name": contact,
            "email": email,
            "phone": phone,
            "postcode": postcode,
            "city": city,
            "industry": industry,
            "employee_band": band,
            "potential": potential,
            "message": "Bitte um Rückruf wegen Rahmenvertrag" if i % 3 == 0 else "",
        }
        user = None if source in (LeadSource.WEB_FORM, LeadSource.API) else users["id6"]
        lead = lead_services.lead_create(
            data=data,
            source=source,
            user=user,
            source_account=source_account,
            now=now - timedelta(days=(i * 5) % 40, hours=i),
        ).lead
        created.append(lead)
    # a duplicate of an existing customer, arriving through the web form
    existing = Account.objects.filter(customer_type="b2b").exclude(postcode="").order_by("pk").first()
    if existing is not None:
        lead_services.lead_create(
            data={
                "company": existing.name,
                "postcode": existing.postcode,
                "city": existing.city,
                "email": f"anfrage@{existing.erp_number}.example.de",
                "industry": "C",
            },
            source=LeadSource.WEB_FORM,
            now=now - timedelta(hours=3),
        )
    # some worked: contacted, converted, disqualified
    agent = users["id7"]
    for lead in created[4:7]:
        lead_services.lead_activity_record(
            lead=lead, kind="contact", user=agent, note="Bedarf besprochen", now=now - timedelta(hours=20)
        )
    for lead in created[5:7]:
        lead_services.lead_convert(lead=lead, user=agent)
    lead_services.lead_disqualify(lead=created[9], user=users["mkt"], reason="Nur Unterlagen gewünscht, kein Bedarf")
    return created


CONSENT_DE = ("Ich bin einverstanden, dass die Brandl Technik-Großhandel GmbH meine Angaben speichert und mich zu "
              "meiner Anfrage per E-Mail oder Telefon kontaktiert. Diese Einwilligung kann ich jederzeit widerrufen, "
              "z. B. per E-Mail an datenschutz@brandl-technik.de.")
CONSENT_EN = ("I agree that Brandl Technik-Großhandel GmbH stores my details and contacts me about my request by e-mail "
              "or phone. I can withdraw this consent at any time, e.g. by e-mail to datenschutz@brandl-technik.de.")
WEB_ENQUIRIES = [
    {"company": "Hofmann Gebäudetechnik GmbH", "contact_name": "Sabine Hofmann", "email": "einkauf@hofmann-gt.de",
     "phone": "0911 4471230", "postcode": "90429", "city": "Nürnberg", "industry": "F", "employee_band": "250-999",
     "need": "Befestigungstechnik und Dübel für unsere Montageteams, ca. 300.000 € im Jahr",
     "message": "Wir suchen einen zweiten Lieferanten mit Lieferung frei Baustelle."},
    {"is_private": True, "contact_name": "Markus Lindner", "email": "m.lindner@web.de", "postcode": "90763",
     "city": "Fürth", "need": "Akku-Bohrschrauber und Zubehör für die Werkstatt",
     "message": "Verkaufen Sie auch an Privatkunden?"},
]


def _contact_form(ctx, now) -> None:
    """The company's contact form (master data) and two enquiries through it: a stated need of 300.000 € a year
    from a 250-999-employee firm, and a private person."""
    from isf.campaigns.models import ContactFormSettings

    ContactFormSettings.objects.create(company_name="Brandl Technik-Großhandel GmbH",
                                       logo_url="/static/img/brandl-logo.svg",
                                       privacy_url="https://www.brandl-technik.de/datenschutz",
                                       consent_text=CONSENT_DE, consent_text_en=CONSENT_EN)
    for i, data in enumerate(WEB_ENQUIRIES):
        try:
            lead_services.lead_create(data=data, source=LeadSource.WEB_FORM, consent_text=CONSENT_DE,
                                      now=now - timedelta(hours=3 + 20 * i))
        except CampaignsError as exc:
            ctx.progress(f"contact form: enquiry refused ({exc.message})")


def _campaign(ctx, now, name, kind, filters_options, agents, description, max_attempts=3):
    for filters in filters_options:
        try:
            return campaign_services.campaign_create(
                name=name,
                kind=kind,
                filters=filters,
                user=ctx.users["mkt"],
                max_attempts=max_attempts,
                agents=agents,
                description=description,
                now=now - timedelta(days=3),
            )
        except CampaignsError:
            continue
    return None


def _campaigns(ctx, now) -> list:
    u = ctx.users
    group_codes = set(ProductGroup.objects.values_list("code", flat=True))
    product = (
        {"segment": ["MP", "SMB"], "bought_group": "BOH", "not_bought_group": "AKU"}
        if {"BOH", "AKU"} <= group_codes
        else {"segment": ["MP", "SMB"]}
    )
    region_nue = [r.pk for r in ctx.regions if r.code == "NUE"]
    if region_nue:
        product = {**product, "region": region_nue}
    result = [
        _campaign(
            ctx,
            now,
            "Akku-Systeme Herbstaktion (Franken)",
            "product",
            [product, {"segment": ["SMB"]}],
            [u["id3"], u["id4"], u["id5"]],
            "Kunden, die Bohrer kaufen, aber keine Akkusysteme: 10 % Einführungsrabatt auf Akku-Sets.",
        ),
        _campaign(
            ctx,
            now,
            "Rückgewinnung verlorener Kunden 2026",
            "winback",
            [{"lost_within_months": 12}, {"phase": ["lost"]}],
            [u["id6"], u["id7"]],
            "Nach dem Grund fragen, Sonderkonditionen für die erste Bestellung anbieten.",
            max_attempts=4,
        ),
        _campaign(
            ctx,
            now,
            "Begrüßungsanrufe Neukunden",
            "welcome",
            [{"phase": ["new"]}],
            [u["id8"]],
            "Ansprechpartner vorstellen, Bedarf und Kontaktwunsch erfragen.",
        ),
        _campaign(
            ctx,
            now,
            "Reaktivierung gefährdeter Kunden",
            "reactivation",
            [
                {"phase": ["at_risk"]},
                {
                    "segment": ["KA", "MP"],
                    "last_order_to": (ctx.today - timedelta(days=120)).isoformat(),
                    "last_order_from": (ctx.today - timedelta(days=364)).isoformat(),
                },
            ],
            [u["id1"], u["id2"]],
            "Bestellpause ansprechen, Besuch des Außendienstes anbieten.",
        ),
    ]
    return [c for c in result if c is not None]


OUTCOME_CYCLE = [
    CallOutcome.NOT_REACHED,
    CallOutcome.REACHED,
    CallOutcome.NOT_REACHED,
    CallOutcome.CALL_BACK,
    CallOutcome.QUOTE_REQUESTED,
    CallOutcome.NOT_INTERESTED,
    CallOutcome.NOT_REACHED,
    CallOutcome.SALE,
    CallOutcome.REACHED,
    CallOutcome.DO_NOT_CALL,
    CallOutcome.NOT_REACHED,
    CallOutcome.APPOINTMENT,
]


def _work_call_lists(ctx, campaigns, now) -> None:
    for c_index, campaign in enumerate(campaigns):
        entries = list(campaign.entries.filter(status=EntryStatus.OPEN).select_related("agent").order_by("pk")[:36])
        worked = entries[: max(1, len(entries) * 2 // 3)]
        for i, entry in enumerate(worked):
            outcome = OUTCOME_CYCLE[(i + c_index) % len(OUTCOME_CYCLE)]
            when = now - timedelta(days=2, hours=-(i % 8))
            agent = entry.agent
            try:
                if outcome == CallOutcome.APPOINTMENT:
                    _book_for_entry(ctx, entry, agent, now)
                    continue
                callback = now + timedelta(days=1 + i % 4, hours=2) if outcome == CallOutcome.CALL_BACK else None
                campaign_services.call_record(
                    entry=entry, agent=agent, outcome=outcome, callback_at=callback, note="Demo", now=when
                )
            except CampaignsError:
                continue


def _rep_for(ctx, account):
    reps = [u for name, u in ctx.users.items() if name.startswith("ad")]
    if account is not None and account.owner_id:
        return account.owner
    return reps[0]


def _book(ctx, rep, now, offset, **kwargs):
    slots = appointment_services.rep_free_slots(rep=rep, start_day=ctx.today + timedelta(days=1), days=14, now=now)
    if not slots:
        return None
    start, _end = slots[(offset * 7) % len(slots)]
    try:
        return appointment_services.appointment_book(rep=rep, start=start, now=now, **kwargs)
    except CampaignsError:
        return None


def _book_for_entry(ctx, entry, agent, now) -> None:
    rep = _rep_for(ctx, entry.account)
    _book(
        ctx,
        rep,
        now,
        entry.pk,
        user=agent,
        account=entry.account,
        entry=entry,
        topic="Vorführung im Rahmen der Kampagne",
    )


def _appointments(ctx, leads, now) -> None:
    agent = ctx.users["id1"]
    for i, lead in enumerate(lead for lead in leads if lead.qualification_class == "potential_key_account"):
        if lead.assigned_to_id and lead.is_open:
            lead.refresh_from_db()
            if lead.is_open:
                _book(ctx, lead.assigned_to, now, i + 3, user=agent, lead=lead, topic="Erstbesuch: Bedarfsanalyse")
    for i, rep in enumerate(u for name, u in sorted(ctx.users.items()) if name.startswith("ad")):
        accounts = list(Account.objects.filter(owner=rep, segment__code__in=["KA", "MP"]).order_by("-potential")[:3])
        for j, account in enumerate(accounts):
            _book(
                ctx,
                rep,
                now,
                i + j * 5,
                user=ctx.users["id2"],
                account=account,
                topic=("Jahresgespräch", "Sortimentsvorstellung Arbeitsschutz", "Rahmenvertrag verlängern")[j],
            )


VISITED = [
    ("Jahresgespräch", "Jahresgespräch geführt: Bedarf an Befestigungstechnik steigt, Angebot Rahmenvertrag gewünscht."),
    ("Sortimentsvorstellung Arbeitsschutz", "Arbeitsschutz-Sortiment vorgestellt, Muster Sicherheitsschuhe dagelassen."),
    ("Akku-Systeme vorführen", None),  # visited, report not written yet: the appointment stays open
]


def _visited_appointments(ctx) -> None:
    """Appointments of the last working day: two closed by the rep's visit report, one still waiting for it."""
    from isf.visits.models import VisitType
    from isf.visits.services import VisitReportError, VisitReportInput, visit_report_create

    visit_type = VisitType.objects.filter(is_default=True).first() or VisitType.objects.first()
    tz = timezone.get_default_timezone()
    reps = [u for name, u in sorted(ctx.users.items()) if name.startswith("ad")][: len(VISITED)]
    for rep, (topic, summary) in zip(reps, VISITED, strict=False):
        account = Account.objects.filter(owner=rep, segment__code__in=["KA", "MP"]).order_by("potential").first()
        cal = appointment_services.rep_calendar(rep)
        day = next((ctx.today - timedelta(days=d) for d in range(1, 8)
                    if appointment_services.working_windows(cal, ctx.today - timedelta(days=d), 1)), None)
        if account is None or day is None or visit_type is None:
            continue
        start = datetime.combine(day, time(10, 0), tzinfo=tz)
        try:
            appt = appointment_services.appointment_book(rep=rep, start=start, now=start - timedelta(days=3),
                                                         user=ctx.users["id2"], account=account, topic=topic)
            if summary:
                visit_report_create(author=rep, today=ctx.today, data=VisitReportInput(
                    account=account, visit_date=day, visit_type=visit_type, client_id=f"demo-appointment-{appt.pk}",
                    summary=summary, next_steps="Innendienst erstellt das Angebot."))
        except (CampaignsError, VisitReportError):
            continue


COMPLAINTS = [
    ("delivery", "high", "Lieferung unvollständig: 3 von 10 Kartons Schrauben fehlen, Baustelle steht.", "0"),
    ("quality", "medium", "Trennscheiben brechen vorzeitig, Charge prüfen.", "180"),
    ("invoice", "low", "Rechnung doppelt gestellt.", "0"),
    ("delivery", "medium", "Falscher Artikel geliefert (Dübel 8 statt 10 mm).", "60"),
    ("quality", "high", "Akku-Bohrhammer nach zwei Wochen defekt, Kunde verärgert.", "850"),
    ("service", "medium", "Rückruf wurde zugesagt, kam aber nicht.", "0"),
    ("delivery", "low", "Lieferung einen Tag zu spät.", "25"),
    ("quality", "medium", "Sicherheitsschuhe in falscher Größe, Umtausch gewünscht.", "1200"),
    ("delivery", "medium", "Palette beim Abladen beschädigt, Fliesenkleber unbrauchbar.", "720"),
]


def _complaints(ctx, now) -> None:
    agent = ctx.users["id6"]
    accounts = list(
        Account.objects.filter(customer_type="b2b", phase=Phase.ACTIVE)
        .exclude(owner=None)
        .order_by("pk")[: len(COMPLAINTS)]
    )
    for i, (account, (category, severity, text, goodwill)) in enumerate(zip(accounts, COMPLAINTS, strict=False)):
        order = Order.objects.filter(account=account).order_by("-date").first()
        complaint = complaint_services.complaint_create(
            account=account,
            category=category,
            severity=severity,
            description=text,
            user=agent,
            order_number=order.number if order else "",
        )
        if i in (0, 5):
            continue  # open
        try:
            complaint = complaint_services.complaint_resolve(
                complaint=complaint,
                user=agent,
                goodwill_eur=goodwill,
                now=now - timedelta(days=2),
                resolution="Nachlieferung veranlasst und Gutschrift erteilt."
                if goodwill != "0"
                else "Sachverhalt geklärt und korrigiert.",
            )
            if complaint.status == "awaiting_approval":
                if i == 4:
                    continue  # waits for the owner's answer to the approval request
                request = selectors.goodwill_request_for(complaint)  # the service firm's approval request
                approval_decide(
                    decision=request,
                    user=request.approver,
                    approve=i != 8,
                    note="Wichtiger Kunde, Kulanz ok" if i != 8 else "Kulanz nicht angemessen, Ersatz statt Gutschrift",
                    now=now - timedelta(days=1),
                )
                complaint.refresh_from_db()
            if i in (1, 3):
                referral = None
                if i == 1:
                    referral = {
                        "company": "Metallbau Kreuzer GmbH",
                        "contact_name": "Stefan Kreuzer",
                        "phone": "0911 7712345",
                        "postcode": "90762",
                        "industry": "C",
                        "employee_band": "10-49",
                        "potential": "35000",
                    }
                complaint_services.complaint_satisfaction_record(
                    complaint=complaint,
                    user=agent,
                    satisfied=True,
                    note="Kunde sehr zufrieden mit der Lösung",
                    cross_sell="Interesse an Arbeitsschutz-Sortiment" if i == 3 else "",
                    referral=referral,
                    now=now,
                )
            elif i == 6:
                complaint_services.complaint_satisfaction_record(
                    complaint=complaint, user=agent, satisfied=False, note="Lieferzeiten weiterhin ein Thema", now=now
                )
        except (CampaignsError, ServiceOrderError):
            continue


def _quote_outcomes(ctx) -> None:
    from isf.campaigns.models import QuoteFollowup

    agent = ctx.users["id7"]
    reasons = [
        ("won", "Preis und Lieferzeit passten"),
        ("lost", "Wettbewerber günstiger"),
        ("won", "Musterlieferung überzeugte"),
        ("lost", "Projekt verschoben"),
    ]
    for i, followup in enumerate(QuoteFollowup.objects.filter(outcome="").order_by("due_at", "pk")[:24]):
        outcome, reason = reasons[i % len(reasons)]
        try:
            account_services.quote_outcome_record(followup=followup, outcome=outcome, reason=reason, user=agent)
        except CampaignsError:
            continue


def _buying_center(ctx, now) -> None:
    bosses = list(
        Contact.objects.filter(account__segment__code="KA", buying_role="decision_maker", status="active").order_by(
            "pk"
        )[:3]
    )
    for i, boss in enumerate(bosses):
        account_services.contact_status_change(
            contact=boss, status="leaving" if i else "left", user=ctx.users["ad1"], now=now
        )
    for i, (account, kind, note) in enumerate(
        zip(
            Account.objects.filter(segment__code__in=["KA", "MP"]).order_by("pk")[:3],
            ["growth", "relocation", "merger"],
            ["Neues Werk mit 120 Mitarbeitern in Planung", "Umzug ins Gewerbegebiet Nord", "Übernahme durch Bauer AG"],
            strict=False,
        )
    ):
        account_services.company_change_record(
            account=account, kind=kind, note=note, user=ctx.users[f"id{i + 1}"], now=now
        )
