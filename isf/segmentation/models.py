"""Customer segments (Kundensegmente): grouping by potential and buying behaviour."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Segment(models.Model):
    """A segment with its criteria, care budget and the inside team that serves it."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    criteria = models.TextField(_("criteria"), blank=True)
    particularities = models.TextField(_("particularities"), blank=True)
    precedence = models.PositiveIntegerField(_("precedence"), default=100, help_text=_("Lower is checked first"))
    care_budget = models.DecimalField(_("care budget per account and year (EUR)"), max_digits=10, decimal_places=2, default=0)
    team = models.ForeignKey(
        "org.Team", verbose_name=_("inside team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )

    class Meta:
        ordering = ["precedence", "code"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [models.CheckConstraint(condition=Q(care_budget__gte=0), name="segment_budget_not_negative")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de
