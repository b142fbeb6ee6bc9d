"""The service catalog (Leistungskatalog) and the company closing days of the SLA calendar."""

from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.core import language
from isf.service.choices import InputType, TargetUnit, service_level_text


def _english() -> bool:
    return language.english()


class ServiceCatalogEntry(models.Model):
    """A service inside sales sells to the field: service level, effort, inputs and its process.

    ``inputs`` is a list of form fields ``{"name", "label_de", "label_en", "type", "required"}`` a request
    must carry; ``process_steps`` the checklist ``{"de", "en"}`` the agent ticks off on the order (the
    process the VL defines together with the IDL).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    target_value = models.DecimalField(_("service level"), max_digits=6, decimal_places=2)
    target_unit = models.CharField(_("unit"), max_length=5, choices=TargetUnit.choices, default=TargetUnit.HOURS)
    effort_minutes = models.PositiveIntegerField(_("standard effort (minutes)"))
    segments = models.ManyToManyField(
        "segmentation.Segment", blank=True, related_name="services", verbose_name=_("offered to segments"),
        help_text=_("Empty means all segments"),
    )
    default_team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="services",
        verbose_name=_("default inside team"),
    )
    inputs = models.JSONField(_("inputs"), default=list, blank=True)
    process_steps = models.JSONField(_("process steps"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    history = HistoricalRecords(m2m_fields=[segments])

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("catalog service")
        verbose_name_plural = _("service catalog")
        constraints = [
            models.CheckConstraint(condition=Q(target_value__gt=0), name="catalog_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name_de

    @property
    def description(self) -> str:
        return self.description_en if _english() and self.description_en else self.description_de

    @property
    def service_level_label(self) -> str:
        return service_level_text(self.target_value, self.target_unit)

    def input_fields(self) -> list[dict]:
        """The input definitions with the label of the current language."""
        en = _english()
        return [
            {**field, "label": (field.get("label_en") if en else field.get("label_de")) or field["name"],
             "type": field.get("type", InputType.TEXT), "required": bool(field.get("required"))}
            for field in self.inputs
        ]

    def inputs_shown(self, values: dict) -> list[tuple[str, str]]:
        """An order's stored inputs as people read them: (label, text), numbers and dates in the page's format."""
        from isf.core.dates import format_date, read_date
        from isf.core.numbers import format_number

        specs = {f["name"]: f for f in self.input_fields()}
        shown = []
        for name, value in values.items():
            spec = specs.get(name, {"label": name, "type": InputType.TEXT})
            text = str(value)
            if spec["type"] == InputType.DATE and read_date(value) is not None:
                text = format_date(read_date(value))
            elif spec["type"] == InputType.NUMBER:
                try:  # stored canonically ("1234.5")
                    number = Decimal(text)
                except InvalidOperation:
                    number = None
                if number is not None and number.is_finite():
                    text = format_number(number, max(-number.normalize().as_tuple().exponent, 0))
            shown.append((spec["label"], text))
        return shown

    def step_labels(self) -> list[str]:
        en = _english()
        return [(step.get("en") if en else step.get("de")) or step.get("de", "") for step in self.process_steps]


class ClosingDay(models.Model):
    """A company closing day (e.g. 24 and 31 December): the SLA clock does not run on it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("company closing day")
        verbose_name_plural = _("company closing days")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.name}".strip()
