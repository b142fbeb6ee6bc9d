"""Care matrices (Betreuungsmatrix): per segment, who cares for the customer how often.

The descriptive part follows the seed's table (segment description, inside-sales and field care
concepts, strategy, other measures); the operational part is a list of activities with a side,
a channel and either a frequency per year, visits per year by potential class, or a trigger (a
lifecycle event plus an offset in days). The contact plan (`isf plan`) turns these into tasks.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.core.language import in_language
from isf.lifecycle.choices import Phase
from isf.planning.choices import ACTIVITY_CHOICES, Channel, Side, TriggerEvent

MAX_PER_YEAR = 365


class CareMatrix(models.Model):
    """The care matrix of one segment: concept texts, potential classes and the call-instead-of-visit rule."""

    segment = models.OneToOneField(
        "segmentation.Segment", on_delete=models.CASCADE, related_name="care_matrix", verbose_name=_("segment")
    )
    inside_concept = models.TextField(_("inside-sales care concept"), blank=True)
    field_concept = models.TextField(_("field care concept"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    other_measures = models.TextField(_("other measures"), blank=True)
    call_counts_as_visit = models.BooleanField(
        _("a documented call counts as a due visit"),
        default=False,
        help_text=_("Call instead of visit: a completed call covers a due field visit"),
    )
    # [[code, minimum potential in EUR], ...] from the highest class down; the last minimum is 0.
    potential_classes = models.JSONField(_("potential classes"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["segment__precedence", "segment__code"]
        verbose_name = _("care matrix")
        verbose_name_plural = _("care matrices")

    def __str__(self) -> str:
        return f"{_('Care matrix')} {self.segment.code}"

    def class_for(self, potential) -> str:
        """The potential class code of an account potential (EUR); '' without classes."""
        value = Decimal(str(potential or 0))
        for code, minimum in self.potential_classes:
            if value >= Decimal(str(minimum)):
                return code
        return self.potential_classes[-1][0] if self.potential_classes else ""

    def classes_text(self) -> str:
        """The classes with their minimum potential in the active language: 'A ≥ 50.000 €, B ≥ 0 €'."""
        from isf.core.numbers import format_eur

        return ", ".join(f"{code} ≥ {format_eur(minimum)}" for code, minimum in self.potential_classes)


class CareActivity(models.Model):
    """One operational entry of a care matrix: an activity planned by frequency, by potential class or by trigger."""

    matrix = models.ForeignKey(CareMatrix, on_delete=models.CASCADE, related_name="activities", verbose_name=_("care matrix"))
    activity = models.CharField(_("activity"), max_length=20, choices=ACTIVITY_CHOICES)
    title_de = models.CharField(_("description (German)"), max_length=200)
    title_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    side = models.CharField(_("responsible side"), max_length=10, choices=Side.choices, default=Side.INSIDE)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    frequency_per_year = models.PositiveSmallIntegerField(_("frequency per year"), null=True, blank=True)
    visits_by_class = models.JSONField(
        _("visits per year by potential class"), default=dict, blank=True, help_text=_("e.g. A: 6, B: 4, C: 2")
    )
    trigger_event = models.CharField(_("trigger event"), max_length=20, choices=TriggerEvent.choices, blank=True)
    offset_days = models.PositiveSmallIntegerField(_("offset (days)"), null=True, blank=True)
    phases = models.CharField(_("lifecycle phases"), max_length=100, help_text=_("Comma-separated phase codes"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["matrix", "position", "pk"]
        verbose_name = _("care activity")
        verbose_name_plural = _("care activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency_per_year__isnull=True) | Q(frequency_per_year__lte=MAX_PER_YEAR),
                name="careactivity_frequency_range",
            ),
            models.CheckConstraint(
                condition=Q(offset_days__isnull=True) | Q(offset_days__lte=MAX_PER_YEAR),
                name="careactivity_offset_range",
            ),
            models.CheckConstraint(
                condition=Q(trigger_event="") | Q(frequency_per_year__isnull=True),
                name="careactivity_frequency_or_trigger",
            ),
            models.CheckConstraint(
                condition=~Q(trigger_event="") | Q(offset_days__isnull=True),
                name="careactivity_offset_needs_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matrix.segment.code}: {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_de, self.title_en)

    @property
    def phase_list(self) -> list[str]:
        return [p for p in self.phases.split(",") if p]

    def phase_labels(self) -> str:
        labels = dict(Phase.choices)
        return ", ".join(str(labels.get(p, p)) for p in self.phase_list)

    @property
    def is_triggered(self) -> bool:
        return bool(self.trigger_event)

    def visits_text(self) -> str:
        return ", ".join(f"{code}: {n}" for code, n in self.visits_by_class.items())

    def rhythm_text(self) -> str:
        """Frequency, visits by class or trigger as one line, e.g. '4 × per year' or 'First order + 14 days'."""
        if self.trigger_event:
            return _("%(event)s + %(days)s days") % {
                "event": self.get_trigger_event_display(),
                "days": self.offset_days or 0,
            }
        if self.visits_by_class:
            return _("%(visits)s per year") % {"visits": self.visits_text()}
        return _("%(n)s × per year") % {"n": self.frequency_per_year or 0}

    def per_year_for(self, potential_class: str) -> int:
        """How often per year this entry plans for an account of the class (0 for triggered entries)."""
        if self.trigger_event:
            return 0
        if self.visits_by_class:
            return int(self.visits_by_class.get(potential_class, 0))
        return int(self.frequency_per_year or 0)
