from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

#: Django texts its own German catalog lacks; translated in locale/de (listed here so `make messages` keeps them)
DJANGO_TEXTS = [gettext_noop("- Select an option -")]


class CoreConfig(AppConfig):
    name = "isf.core"
    label = "core"
    verbose_name = _("core")

    def ready(self):
        from django import forms

        from isf.core.text import NoControlCharacters

        # Every text field of every HTML form refuses control characters (the rule: isf/core/text.py). A browser
        # sends line breaks only from a textarea, so the form-wide default is the multi-line variant.
        forms.CharField.default_validators = [NoControlCharacters(multiline=True)]

        from isf.core.number_fields import install

        install()  # every number field reads numbers as typed in the page's language (isf/core/number_fields.py)

        from isf.core import security  # noqa: F401 - registers the deploy check of the secret key
        from isf.core.workers import register_task

        # validating foreign keys again changes nothing but the catalog: safe to repeat after a lost worker
        register_task("isf.core.tasks.validate_foreign_keys", retry_safe=True)
