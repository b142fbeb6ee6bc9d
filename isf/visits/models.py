"""Visit reports (Besuchsberichte) of the field, structured so inside sales can work with them.

A VisitType is a template: it decides which sections of the report show. The report keeps the
facts the field brought back: needs and the (re-)estimated potential, competitors with their
share, company changes (which become AccountChangeEvent rows on the account), contact changes
(which update the contact's status), agreements and next steps; follow-ups go to inside sales as
service orders. `client_id` is generated in the browser form, so a report resent after a failed
or offline submit is stored once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from isf.core.language import in_language
from isf.visits.choices import ChangeKind, ContactChangeKind


class VisitType(models.Model):
    """A visit report template: its sections in order."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sections = models.JSONField(_("sections"), default=list)
    position = models.PositiveIntegerField(_("position"), default=100)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("visit type")
        verbose_name_plural = _("visit types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_de, self.name_en)


class VisitReport(models.Model):
    """What the field rep learned and agreed on a customer visit."""

    client_id = models.CharField(_("form id"), max_length=40, unique=True)
    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="visit_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("field rep"), null=True, on_delete=models.SET_NULL,
        related_name="visit_reports",
    )
    visit_date = models.DateField(_("visit date"))
    visit_type = models.ForeignKey(VisitType, verbose_name=_("visit type"), on_delete=models.PROTECT)
    contacts = models.ManyToManyField("customers.Contact", verbose_name=_("contacts met"), blank=True, related_name="+")
    summary = models.TextField(_("summary"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    potential_before = models.DecimalField(
        _("potential before (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    potential_estimate = models.DecimalField(
        _("new potential estimate (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    agreements = models.TextField(_("agreements"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    task = models.ForeignKey(
        "planning.Task", verbose_name=_("planned visit"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_ups = models.JSONField(_("follow-ups"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")
        indexes = [models.Index(fields=["account", "visit_date"]), models.Index(fields=["author", "visit_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(potential_estimate__isnull=True) | Q(potential_estimate__gte=0),
                name="visit_potential_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.visit_date}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("visits:detail", args=[self.pk])

    @property
    def headline(self) -> str:
        for text in (self.summary, self.needs, self.agreements, self.next_steps):
            if text.strip():
                return text.strip().splitlines()[0][:160]
        return ""


class CompetitorMention(models.Model):
    """A competitor seen at the account, with its estimated share of the account's demand."""

    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(_("competitor"), max_length=100)
    share_percent = models.PositiveSmallIntegerField(_("estimated share (%)"), null=True, blank=True)
    product_group = models.ForeignKey(
        "customers.ProductGroup", verbose_name=_("product group"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("competitor mention")
        verbose_name_plural = _("competitor mentions")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__lte=100), name="competitor_share_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AccountChangeEvent(models.Model):
    """A change at the customer's company (growth, relocation, ownership ...) reported by the field."""

    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="change_events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ChangeKind.choices)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    report = models.ForeignKey(
        VisitReport, verbose_name=_("visit report"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="change_events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        indexes = [models.Index(fields=["account", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class ContactChange(models.Model):
    """A contact change reported in a visit (leaving, left, new decision maker)."""

    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="contact_changes")
    contact = models.ForeignKey(
        "customers.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("change"), max_length=20, choices=ContactChangeKind.choices)
    date = models.DateField(_("effective date"))

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")

    def __str__(self) -> str:
        return f"{self.contact} {self.get_kind_display()}"
