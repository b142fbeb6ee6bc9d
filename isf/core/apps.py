from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "isf.core"
    label = "core"
    verbose_name = _("core")

    def ready(self):
        from isf.core import security  # noqa: F401 - registers the deploy check of the secret key
