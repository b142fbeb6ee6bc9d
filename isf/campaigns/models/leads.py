"""Leads (Interessenten): intake, qualification, routing and conversion."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.campaigns.choices import ActivityKind, DuplicateState, LeadSource, LeadStatus, QualificationClass
from isf.core.text import LONG_TEXT_MAX
from isf.customers.choices import EmployeeBand, Industry


class Lead(models.Model):
    """A prospective customer before it becomes an account; scored, classified and routed."""

    company = models.CharField(_("company"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True, db_index=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    industry = models.CharField(_("industry (WZ 2008)"), max_length=1, choices=Industry.choices, blank=True)
    employee_band = models.CharField(_("employees"), max_length=10, choices=EmployeeBand.choices, blank=True)
    potential = models.DecimalField(_("estimated annual potential (EUR)"), max_digits=14, decimal_places=2, default=0)
    message = models.TextField(_("message"), blank=True, max_length=LONG_TEXT_MAX)
    is_private = models.BooleanField(_("private person"), default=False)
    need = models.CharField(_("stated need"), max_length=500, blank=True)
    #: the largest yearly amount read from the stated need and the message (a monthly one times 12)
    need_amount = models.DecimalField(_("stated yearly volume (EUR)"), max_digits=14, decimal_places=2, null=True,
                                      blank=True)
    consent_text = models.TextField(_("consent text"), blank=True, max_length=LONG_TEXT_MAX)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=LeadSource.choices, default=LeadSource.MANUAL)
    source_account = models.ForeignKey(
        "customers.Account",
        verbose_name=_("referred by (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    status = models.CharField(_("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    fit_score = models.DecimalField(_("fit"), max_digits=5, decimal_places=1, default=0)
    engagement_score = models.DecimalField(_("engagement"), max_digits=5, decimal_places=1, default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    qualification_class = models.CharField(
        _("class"), max_length=24, choices=QualificationClass.choices, default=QualificationClass.SMB
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    duplicate_state = models.CharField(
        _("duplicate check"), max_length=14, choices=DuplicateState.choices, default=DuplicateState.NONE
    )
    duplicate_account = models.ForeignKey(
        "customers.Account",
        verbose_name=_("possible duplicate (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_lead = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate (lead)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("inside team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    followup_due_at = models.DateTimeField(_("first contact due"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    converted_account = models.ForeignKey(
        "customers.Account",
        verbose_name=_("converted to account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disqualify_reason = models.CharField(_("disqualification reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [models.Index(fields=["status", "qualification_class"]), models.Index(fields=["postcode"])]
        constraints = [
            models.CheckConstraint(condition=~Q(company="") | Q(is_private=True, contact_name__gt=""),
                                   name="lead_has_company_or_private_name"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="lead_has_contact_channel"),
            models.CheckConstraint(condition=Q(potential__gte=0), name="lead_potential_not_negative"),
            models.CheckConstraint(
                condition=~Q(source=LeadSource.REFERRAL) | Q(source_account__isnull=False),
                name="lead_referral_has_source_account",
            ),
            models.CheckConstraint(
                condition=~Q(status=LeadStatus.CONVERTED) | Q(converted_account__isnull=False),
                name="lead_converted_has_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:lead-detail", args=[self.pk])

    @property
    def name(self) -> str:
        """The company, or for a private person without one the person's name."""
        return self.company or self.contact_name

    @property
    def is_open(self) -> bool:
        return self.status in (LeadStatus.NEW, LeadStatus.CONTACTED)


INTAKE_NOTE = "intake: "  # ISF's note on a lead's first activity, followed by the source code


class LeadActivity(models.Model):
    """A touch point that feeds the engagement score (decaying with time)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="activities", verbose_name=_("lead"))
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lead activity")
        verbose_name_plural = _("lead activities")

    def __str__(self) -> str:
        return f"{self.lead_id} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def display_note(self) -> str:
        """The note in the page language: ISF's own intake note ("intake: phone", a code) becomes "Received by: Phone
        call"; what a person typed is shown as typed."""
        from django.utils.translation import gettext

        from isf.campaigns.choices import LeadSource

        if self.note.startswith(INTAKE_NOTE):
            code = self.note[len(INTAKE_NOTE):]
            label = LeadSource(code).label if code in LeadSource.values else code
            return gettext("Received by: %(source)s") % {"source": label}
        return self.note

