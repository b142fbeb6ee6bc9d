"""Capacity: interval call volumes, staff absences and the staffing parameters per team.

Volumes are stored per interval start in UTC (like every instant in ISF); the forecast works on the
local wall-clock grid, which the selectors rebuild from these rows.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class VolumeSource(models.TextChoices):
    TELEPHONY = "telephony", _("Telephony export")
    DEMO = "demo", _("Demo data")


class CallVolume(models.Model):
    """Inbound calls offered in one interval (5, 15 or 30 minutes) for a team, or the whole line (no team); answered,
    abandoned and the average handling time when the interval file has them."""

    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="call_volumes",
        verbose_name=_("team"),
    )
    start = models.DateTimeField(_("interval start"))
    resolution_minutes = models.PositiveSmallIntegerField(_("interval length (minutes)"))
    calls = models.PositiveIntegerField(_("calls"))
    answered = models.PositiveIntegerField(_("answered"), null=True, blank=True)
    abandoned = models.PositiveIntegerField(_("abandoned"), null=True, blank=True)
    aht_seconds = models.PositiveIntegerField(_("average handling time (s)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=VolumeSource.choices, default=VolumeSource.TELEPHONY)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["team", "start"]
        verbose_name = _("call volume")
        verbose_name_plural = _("call volumes")
        constraints = [
            models.UniqueConstraint(fields=["team", "start"], name="callvolume_one_per_team_interval"),
            models.UniqueConstraint(
                fields=["start"], condition=Q(team__isnull=True), name="callvolume_one_per_line_interval"
            ),
            models.CheckConstraint(
                condition=Q(resolution_minutes__in=[5, 15, 30]), name="callvolume_resolution_5_15_30"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team or '-'} {self.start:%Y-%m-%d %H:%M} {self.calls}"


class AbsenceKind(models.TextChoices):
    VACATION = "vacation", _("Vacation")
    SICK = "sick", _("Sick leave")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Absence(models.Model):
    """A user's whole-day absence (vacation, sickness, training): reduces the staff available."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences", verbose_name=_("user")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    kind = models.CharField(_("kind"), max_length=10, choices=AbsenceKind.choices, default=AbsenceKind.VACATION)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_day", "user"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="absence_last_after_first"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.first_day}–{self.last_day} ({self.get_kind_display()})"


class StaffingParameters(models.Model):
    """How a team is staffed: service-level target, handling times, occupancy cap and shrinkage."""

    team = models.OneToOneField(
        "org.Team", on_delete=models.CASCADE, related_name="staffing", verbose_name=_("team")
    )
    aht_seconds = models.PositiveIntegerField(
        _("average handling time of an inbound call (s)"), default=240, validators=[MinValueValidator(1)]
    )
    outbound_minutes = models.DecimalField(
        _("handling time of a planned outbound contact (min)"), max_digits=5, decimal_places=1, default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    target_level = models.PositiveSmallIntegerField(
        _("service level target (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    target_seconds = models.PositiveSmallIntegerField(_("answered within (s)"), default=20)
    max_occupancy = models.DecimalField(
        _("maximum occupancy"), max_digits=3, decimal_places=2, default=Decimal("0.85"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    shrinkage = models.DecimalField(
        _("shrinkage"), max_digits=3, decimal_places=2, default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.95"))],
        help_text=_("Share of paid time not available for work: breaks, training, meetings"),
    )
    productive_hours_per_day = models.DecimalField(
        _("paid hours of one FTE per day"), max_digits=4, decimal_places=2, default=Decimal("8"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("12"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["team"]
        verbose_name = _("staffing parameters")
        verbose_name_plural = _("staffing parameters")
        constraints = [
            models.CheckConstraint(condition=Q(aht_seconds__gte=1), name="staffing_aht_positive"),
            models.CheckConstraint(
                condition=Q(shrinkage__gte=0) & Q(shrinkage__lt=1), name="staffing_shrinkage_range"
            ),
            models.CheckConstraint(
                condition=Q(max_occupancy__gt=0) & Q(max_occupancy__lte=1), name="staffing_occupancy_range"
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=1) & Q(target_level__lte=99), name="staffing_target_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.target_level}/{self.target_seconds}"
