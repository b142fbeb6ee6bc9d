from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "isf.imports"
    label = "imports"
    verbose_name = _("imports")

    def ready(self):
        from isf.core.workers import register_task
        from isf.imports.jobs import job_worker_stopped

        # An import is all or nothing (one transaction): a run its worker did not finish wrote nothing, so it is
        # repeated; its job page says so.
        register_task("isf.imports.jobs.run_import_job", retry_safe=True, on_stopped=job_worker_stopped)
