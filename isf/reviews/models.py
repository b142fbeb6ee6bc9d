"""Review meetings between sales lead (VL) and inside-sales lead (IDL), and the VL's announcements.

A meeting covers a period, has an agenda, notes and agreed actions; each action becomes a task in the one
work queue for its owner. Announcements (new strategy, changed processes, dissatisfaction with a service)
reach inside sales on its home page between meetings and are acknowledged there.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewMeeting(models.Model):
    """One review meeting of VL and IDL about a period (usually a month or a quarter)."""

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    scheduled_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    sales_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_as_sales_lead",
        verbose_name=_("sales lead"),
    )
    inside_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_as_inside_lead",
        verbose_name=_("inside-sales lead"),
    )
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="review_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.pk])


class AgendaItem(models.Model):
    """A point on a meeting's agenda, with what was said about it."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def display_title(self) -> str:
        """A default topic in the page language (stored as its source text); a typed topic as typed."""
        from django.utils.translation import gettext

        from isf.reviews.services import DEFAULT_AGENDA

        return gettext(self.title) if self.title in DEFAULT_AGENDA else self.title


class ReviewAction(models.Model):
    """An action agreed in a meeting: owner and due date; it lives on as a task in the work queue."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting"))
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_actions", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    task = models.OneToOneField(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_action",
        verbose_name=_("task"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "due_date", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")

    def __str__(self) -> str:
        return self.title


class AnnouncementKind(models.TextChoices):
    STRATEGY = "strategy", _("New strategy")
    PROCESS = "process", _("Changed process")
    DISSATISFACTION = "dissatisfaction", _("Dissatisfaction with a service")
    OTHER = "other", _("Information")


class Announcement(models.Model):
    """A message from the sales lead to inside sales (all teams or one), acknowledged by each reader."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="announcements", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnnouncementKind.choices, default=AnnouncementKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="announcements",
        verbose_name=_("team"), help_text=_("Empty: all of inside sales"),
    )
    published_at = models.DateTimeField(_("published"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title


class Acknowledgement(models.Model):
    """A user confirmed having read an announcement."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("announcement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("user")
    )
    at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        ordering = ["announcement", "at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="ack_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.announcement}"
