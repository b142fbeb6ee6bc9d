"""Appointments of field reps booked by inside sales, with a per-rep iCalendar feed."""

import secrets
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from isf.campaigns.choices import AppointmentStatus


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class RepCalendar(models.Model):
    """A field rep's working hours, travel buffer and secret calendar-feed token."""

    rep = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rep_calendar", verbose_name=_("field rep")
    )
    work_start = models.TimeField(_("working day starts"), default=time(8, 0))
    work_end = models.TimeField(_("working day ends"), default=time(17, 0))
    workdays = models.CharField(_("workdays"), max_length=10, default="1-5", help_text=_("ISO weekdays, e.g. 1-5"))
    travel_buffer_minutes = models.PositiveSmallIntegerField(_("travel buffer (minutes)"), default=30)
    slot_minutes = models.PositiveSmallIntegerField(_("visit length (minutes)"), default=60)
    feed_token = models.CharField(_("feed token"), max_length=64, unique=True, default=new_feed_token)
    feed_renewed_at = models.DateTimeField(_("feed renewed"), auto_now_add=True)

    class Meta:
        ordering = ["rep"]
        verbose_name = _("rep calendar")
        verbose_name_plural = _("rep calendars")
        constraints = [
            models.CheckConstraint(condition=Q(work_end__gt=F("work_start")), name="repcal_end_after_start"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=15), name="repcal_slot_min_15"),
        ]

    def __str__(self) -> str:
        return str(self.rep)


class Appointment(models.Model):
    """A visit in a field rep's calendar; the visit task in the contact plan carries it."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("field rep")
    )
    account = models.ForeignKey(
        "customers.Account",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("account"),
    )
    lead = models.ForeignKey(
        "campaigns.Lead",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        verbose_name=_("lead"),
    )
    entry = models.ForeignKey(
        "campaigns.CallListEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        verbose_name=_("call-list entry"),
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    task = models.ForeignKey(
        "planning.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("visit task"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["rep", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointment_end_after_start"),
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(lead__isnull=False), name="appointment_has_account_or_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.rep}"

    @property
    def party(self) -> str:
        return str(self.account.name if self.account_id else self.lead.company)
