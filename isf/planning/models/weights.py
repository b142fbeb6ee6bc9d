"""How much each kind of work weighs in a team's ranking; the IDL sets it per team (defaults in code)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.planning.choices import TaskKind

MAX_KIND_WEIGHT = 100


class KindWeight(models.Model):
    """The weight (0-100) of one kind of work in one team's queue; absent: the default of the kind."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="kind_weights",
                             verbose_name=_("inside team"))
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "kind"]
        verbose_name = _("kind weight")
        verbose_name_plural = _("kind weights")
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="kindweight_one_per_team_and_kind"),
            models.CheckConstraint(condition=Q(weight__lte=MAX_KIND_WEIGHT), name="kindweight_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_kind_display()}: {self.weight}"
