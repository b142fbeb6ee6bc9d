"""Organisation: users with their role, inside-sales teams and field regions."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.org.choices import FederalState, Role


class Region(models.Model):
    """A field-sales region: a set of postcode areas within (mostly) one federal state."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    postcode_prefixes = models.CharField(
        _("postcode areas"), max_length=200, blank=True, help_text=_("Comma-separated leading digits, e.g. 80,81,82")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"

    def prefixes(self) -> list[str]:
        return [p.strip() for p in self.postcode_prefixes.split(",") if p.strip()]


class Team(models.Model):
    """An inside-sales team; teams work per segment (KA team, mid-potential team, ...)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(
        _("federal state (holidays)"), max_length=2, choices=FederalState.choices, default=FederalState.BY
    )
    business_hours = models.CharField(_("business hours"), max_length=11, default="08:00-17:00")
    workdays = models.CharField(_("workdays"), max_length=10, default="1-5", help_text=_("ISO weekdays, e.g. 1-5"))
    email = models.EmailField(_("team e-mail"), blank=True)
    inbound_numbers = models.CharField(
        _("inbound numbers"), max_length=200, blank=True,
        help_text=_("The numbers customers dial to reach this team (the phone system's 'to'), comma-separated, "
                    "e.g. +49 911 4711-100"),
    )
    inbound_default = models.BooleanField(
        _("default inbound team"), default=False,
        help_text=_("Takes the calls to numbers no team has, from callers nobody knows (one team at most)"),
    )

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["inbound_default"], condition=models.Q(inbound_default=True),
                                               name="one_default_inbound_team")]
        verbose_name = _("inside team")
        verbose_name_plural = _("inside teams")

    def __str__(self) -> str:
        return self.name


class IsfUserManager(UserManager):
    """`isf createsuperuser` makes an administrator: the role decides the home page and the menu, and a superuser
    with the default role (inside-sales agent) landed on a work queue without administration."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person working with ISF; the role decides the home page and what they may see."""

    objects = IsfUserManager()

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.INSIDE_AGENT)
    team = models.ForeignKey(
        Team, verbose_name=_("inside team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reps"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    extension = models.CharField(
        _("phone extension"), max_length=20, blank=True,
        help_text=_("The extension the phone system names in its call events (e.g. 214)"),
    )
    weekly_hours = models.DecimalField(_("weekly working hours"), max_digits=4, decimal_places=1, default=40)
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gte=0) & models.Q(weekly_hours__lte=80), name="user_weekly_hours_range"
            ),
            models.UniqueConstraint(
                fields=["extension"], condition=~models.Q(extension=""), name="user_extension_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_lead(self) -> bool:
        return self.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return "isf_" + secrets.token_urlsafe(32)

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AgentSkills(models.Model):
    """An inside agent's skills (Qualifikationen): the product groups he knows, the languages he speaks and whether
    he is approved for key accounts. They decide who gets which task (``isf.planning.routing``)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="skills", verbose_name=_("agent"))
    product_groups = models.ManyToManyField("customers.ProductGroup", blank=True, related_name="skilled_agents",
                                            verbose_name=_("product groups"))
    languages = models.CharField(_("languages"), max_length=60, blank=True,
                                 help_text=_("Comma-separated language codes, e.g. de,en,pl"))
    key_account_approved = models.BooleanField(_("approved for key accounts"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[product_groups])

    class Meta:
        verbose_name = _("agent skills")
        verbose_name_plural = _("agent skills")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]
