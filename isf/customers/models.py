"""The customer base (C1): accounts, contacts, phone numbers, products, orders and quotes.

Orders and quotes are ERP facts: ISF reads them, it does not invent them. Order lines carry
the account and order date redundantly so the revenue aggregates of 3 million lines need no
join; the importer and the demo write both from the same header.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.customers.choices import (
    BuyingRole,
    ContactStatus,
    CustomerType,
    EmployeeBand,
    Industry,
    NeedTiming,
    OwnerSource,
    Phase,
    PhoneKind,
    PotentialSource,
    QuoteStatus,
)
from isf.org.choices import FederalState


class Account(models.Model):
    """A customer (Kunde), identified by its ERP customer number; owned by a field rep."""

    erp_number = models.CharField(_("customer number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices, blank=True)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    industry = models.CharField(_("industry (WZ 2008)"), max_length=1, choices=Industry.choices, blank=True)
    employee_band = models.CharField(_("employees"), max_length=10, choices=EmployeeBand.choices, blank=True)
    customer_type = models.CharField(_("type"), max_length=3, choices=CustomerType.choices, default=CustomerType.B2B)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (field rep)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    # An inside team as owner (issue 20: C/D/private customers are an inside-sales channel of their own); then
    # ``owner`` is empty and what goes to "the owner" goes to the team's lead (isf.customers.owners.responsible_for).
    owner_team = models.ForeignKey(
        "org.Team", verbose_name=_("owner (inside team)"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    team = models.ForeignKey(
        "org.Team", verbose_name=_("inside team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    potential = models.DecimalField(_("estimated annual potential (EUR)"), max_digits=14, decimal_places=2, default=0)
    segment = models.ForeignKey(
        "segmentation.Segment",
        verbose_name=_("segment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    phase = models.CharField(_("lifecycle phase"), max_length=12, choices=Phase.choices, default=Phase.PROSPECT)
    # Consent for phone advertising (UWG §7): B2C needs explicit consent, B2B presumed consent.
    phone_consent = models.BooleanField(_("explicit consent to phone advertising"), default=False)
    phone_consent_date = models.DateField(_("consent date"), null=True, blank=True)
    presumed_consent = models.BooleanField(_("presumed consent (B2B)"), default=False)
    email_opt_in = models.BooleanField(_("e-mail opt-in"), default=False)
    opt_out_date = models.DateField(_("objection (opt-out) date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [models.Index(fields=["segment", "phase"]), models.Index(fields=["owner"])]
        constraints = [
            models.CheckConstraint(condition=Q(potential__gte=0), name="account_potential_not_negative"),
            models.CheckConstraint(
                condition=Q(phone_consent=False) | Q(phone_consent_date__isnull=False),
                name="account_consent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(customer_type=CustomerType.B2C) | Q(presumed_consent=False),
                name="account_b2c_no_presumed_consent",
            ),
            models.CheckConstraint(condition=Q(owner__isnull=True) | Q(owner_team__isnull=True),
                                   name="account_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.erp_number})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("customers:account-detail", args=[self.pk])

    @property
    def owner_display(self) -> str:
        """The field rep, or the inside team that owns the account, in the active language ('–' for none)."""
        from isf.customers.owners import owner_label

        return owner_label(self.owner if self.owner_id else None, self.owner_team if self.owner_team_id else None)


class Contact(models.Model):
    """A person at an account (Ansprechpartner) with a buying-center role."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("account"))
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    salutation = models.CharField(_("salutation"), max_length=20, blank=True)
    function = models.CharField(_("function"), max_length=100, blank=True)
    buying_role = models.CharField(_("buying-center role"), max_length=20, choices=BuyingRole.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    status_date = models.DateField(_("status since"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=50, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ContactStatus.ACTIVE) | Q(status_date__isnull=False),
                name="contact_status_change_has_date",
            ),
        ]

    def __str__(self) -> str:
        return " ".join(p for p in [self.first_name, self.last_name] if p)


class PhoneNumber(models.Model):
    """A phone number of an account or contact, stored as E.164 for lookup in any format."""

    e164 = models.CharField(_("number (E.164)"), max_length=20, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PhoneKind.choices, default=PhoneKind.LANDLINE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="phones", verbose_name=_("account"))
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones", verbose_name=_("contact")
    )

    class Meta:
        ordering = ["e164"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [
            models.CheckConstraint(condition=Q(e164__regex=r"^\+[1-9][0-9]{6,14}$"), name="phone_is_e164"),
        ]

    def __str__(self) -> str:
        from isf.customers.phones import format_national

        return format_national(self.e164)


class ProductGroup(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(_("article number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="products", verbose_name=_("group"))
    list_price = models.DecimalField(_("list price (EUR)"), max_digits=12, decimal_places=2, default=0)
    unit = models.CharField(_("unit"), max_length=10, default="Stk")

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [models.CheckConstraint(condition=Q(list_price__gte=0), name="product_price_not_negative")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Order(models.Model):
    """An ERP order header."""

    number = models.CharField(_("order number"), max_length=30, unique=True)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="orders", verbose_name=_("account"), db_index=False
    )
    date = models.DateField(_("order date"), db_index=True)

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["account", "date"])]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    # order and account need no index of their own: (order, line_no) and (account, order_date) cover them.
    # product has none either: every reader selects lines by account or date first, and an index on product
    # alone would only serve the rare deletion check of a product (PROTECT), at the price of a third of the
    # index work of every order import (bench/import_orders.py).
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"), db_index=False
    )
    line_no = models.PositiveIntegerField(_("line"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("account"), db_index=False
    )
    order_date = models.DateField(_("order date"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("product"), db_index=False
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    net_revenue = models.DecimalField(_("net revenue (EUR)"), max_digits=14, decimal_places=2)
    margin = models.DecimalField(_("contribution margin (EUR)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["order", "line_no"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        # Covering indexes: the segment KPIs scan a date range and sum revenue and margin per
        # account; the customer screen and cross-sell read one account's lines by date and product.
        indexes = [
            models.Index(fields=["order_date", "account", "net_revenue", "margin"], name="orderline_date_cover"),
            models.Index(fields=["account", "order_date", "product", "net_revenue"], name="orderline_account_cover"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="orderline_unique_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(net_revenue__gte=0), name="orderline_revenue_not_negative"),
            models.CheckConstraint(condition=Q(margin__lte=models.F("net_revenue")), name="orderline_margin_le_revenue"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}"


class Quote(models.Model):
    number = models.CharField(_("quote number"), max_length=30, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("account"))
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes", verbose_name=_("contact")
    )
    date = models.DateField(_("quote date"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.SENT)
    outcome_reason = models.CharField(_("won/lost reason"), max_length=200, blank=True)
    product_group = models.ForeignKey(
        ProductGroup, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("main product group")
    )

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="quote_amount_not_negative"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("date")), name="quote_valid_after_date"),
        ]

    def __str__(self) -> str:
        return self.number


class PrivacyEvent(models.Model):
    """GDPR log: exports and erasures of a person's data (the person's own data is gone after erasure)."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")
        CONSENT = "consent", _("Consent recorded")
        OBJECTION = "objection", _("Objection recorded")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}:{self.subject_id}"


class CustomerNeed(models.Model):
    """A need the customer told us about (Bedarf): a product group, the expected volume and when he will buy.

    Written by ``isf.customers.services.need_record`` only; shown on the account timeline."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="needs", verbose_name=_("account"))
    product_group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="needs",
                                      verbose_name=_("product group"))
    expected_volume = models.DecimalField(_("expected volume (EUR a year)"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    timing = models.CharField(_("timing"), max_length=10, choices=NeedTiming.choices, default=NeedTiming.YEAR)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=PotentialSource.choices, default=PotentialSource.CALL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("customer need")
        verbose_name_plural = _("customer needs")
        indexes = [models.Index(fields=["account", "recorded_at"])]
        constraints = [models.CheckConstraint(condition=Q(expected_volume__isnull=True) | Q(expected_volume__gte=0),
                                              name="need_volume_not_negative")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.product_group_id}"


class PotentialEstimate(models.Model):
    """One estimate of an account's annual potential with its source and date, kept as history.

    The latest (by date, then by entry) is the account's potential: ``Account.potential`` holds its value, kept by
    ``isf.customers.services.potential_record``, and the segmentation reads that field."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="potential_estimates",
                                verbose_name=_("account"))
    value = models.DecimalField(_("estimated annual potential (EUR)"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=PotentialSource.choices)
    estimated_on = models.DateField(_("estimated on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-estimated_on", "-pk"]
        verbose_name = _("potential estimate")
        verbose_name_plural = _("potential estimates")
        indexes = [models.Index(fields=["account", "estimated_on"])]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="potential_estimate_not_negative")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.value}"


class OwnerRule(models.Model):
    """Who owns the accounts of a segment in a region (empty region: every region without a rule of its own): a
    field rep or an inside team. Accounts of a segment and region without a rule go to the region's field rep.
    Read by the nightly run, imports and new accounts alike (isf.customers.owners)."""

    segment = models.ForeignKey("segmentation.Segment", on_delete=models.CASCADE, related_name="owner_rules",
                                verbose_name=_("segment"))
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="owner_rules", verbose_name=_("region"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="owner_rules", verbose_name=_("field rep"))
    team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="owner_rules", verbose_name=_("inside team"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["segment__precedence", "segment__code", "region__code", "pk"]
        verbose_name = _("owner rule")
        verbose_name_plural = _("owner rules")
        constraints = [
            models.CheckConstraint(condition=(Q(owner__isnull=False) & Q(team__isnull=True))
                                   | (Q(owner__isnull=True) & Q(team__isnull=False)),
                                   name="ownerrule_rep_or_team"),
            models.UniqueConstraint(fields=["segment", "region"], name="ownerrule_one_per_segment_region"),
            models.UniqueConstraint(fields=["segment"], condition=Q(region__isnull=True),
                                    name="ownerrule_one_default_per_segment"),
        ]

    def __str__(self) -> str:
        return f"{self.segment_id}/{self.region_id or '*'} → {self.owner_id or self.team_id}"


class OwnerChange(models.Model):
    """An append-only record of one change of an account's owner (field rep or inside team): the timeline's entry."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="owner_changes",
                                verbose_name=_("account"))
    from_owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("from (field rep)"))
    from_team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("from (inside team)"))
    to_owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("to (field rep)"))
    to_team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("to (inside team)"))
    source = models.CharField(_("source"), max_length=12, choices=OwnerSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("when"), db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("who"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("owner change")
        verbose_name_plural = _("owner changes")
        indexes = [models.Index(fields=["account", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.from_owner_id or self.from_team_id} → {self.to_owner_id or self.to_team_id}"
