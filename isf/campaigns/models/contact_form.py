"""The public contact form's master data: whose form it is, its logo, privacy notice and consent text."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactFormSettings(models.Model):
    """One row (the administrator keeps it in the admin); without it the form names ``ISF_COMPANY_NAME``."""

    company_name = models.CharField(_("company name"), max_length=200)
    logo_url = models.CharField(_("logo (address of the image)"), max_length=500, blank=True,
                                help_text=_("e.g. https://www.example.de/logo.svg or /static/img/logo.svg"))
    privacy_url = models.CharField(_("privacy notice (address)"), max_length=500, blank=True)
    consent_text = models.TextField(_("consent text (German)"), max_length=2000, blank=True)
    consent_text_en = models.TextField(_("consent text (English)"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact form settings")
        verbose_name_plural = _("contact form settings")

    def __str__(self) -> str:
        return self.company_name
