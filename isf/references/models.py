"""Reference cases (Referenzen, case studies) and press findings about customers (issue 20).

A reference case is a customer's story - the account, the product groups, what we did and the result - that the
key-account team and campaigns find by product group and industry; it is used outside only once the customer
approved it (who and when). A press finding is an article about a customer, filed on the account's timeline.
Written by ``isf.references.services`` only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from isf.customers.choices import Industry


class ReferenceCase(models.Model):
    account = models.ForeignKey("customers.Account", on_delete=models.CASCADE, related_name="reference_cases",
                                verbose_name=_("account"))
    title = models.CharField(_("title"), max_length=200)
    product_groups = models.ManyToManyField("customers.ProductGroup", related_name="reference_cases",
                                            verbose_name=_("product groups"))
    industry = models.CharField(_("industry (WZ 2008)"), max_length=1, choices=Industry.choices, blank=True,
                                db_index=True)
    challenge = models.TextField(_("starting point"), blank=True)
    result = models.TextField(_("result"))
    approved_on = models.DateField(_("approved by the customer on"), null=True, blank=True)
    approved_by = models.CharField(_("approved by (customer)"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reference case")
        verbose_name_plural = _("reference cases")
        constraints = [models.CheckConstraint(condition=Q(approved_on__isnull=True) | ~Q(approved_by=""),
                                              name="reference_approval_names_who")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None


class PressFinding(models.Model):
    account = models.ForeignKey("customers.Account", on_delete=models.CASCADE, related_name="press_findings",
                                verbose_name=_("account"))
    published_on = models.DateField(_("published on"))
    publication = models.CharField(_("publication"), max_length=200)
    headline = models.CharField(_("headline"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    note = models.CharField(_("what it means for us"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("press finding")
        verbose_name_plural = _("press findings")
        indexes = [models.Index(fields=["account", "published_on"])]

    def __str__(self) -> str:
        return self.headline
