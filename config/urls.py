"""URL root: every app's urls.py under its prefix, listed here (the composition layer, docs/architecture.md)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from isf.api.api import api
from isf.core import views as core_views
from isf.planning import views as planning_views

# app -> URL prefix; every app listed has its urls.py (no discovery: a new app adds its line).
APP_PREFIXES = {
    "customers": "accounts/",
    "planning": "queue/",
    "segmentation": "segments/",
    "lifecycle": "lifecycle/",
    "visits": "visits/",
    "calls": "call/",
    "service": "service/",
    "monitoring": "monitoring/",
    "campaigns": "campaigns/",
    "capacity": "capacity/",
    "reviews": "reviews/",
    "targets": "targets/",
    "imports": "imports/",
    "references": "references/",
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("isf.org.urls")),
    path("segments/<str:code>/matrix.pdf", planning_views.matrix_pdf, name="matrix-pdf"),
    path("ops/", core_views.operations, name="operations"),  # /health/ is answered by isf.core.observability
]
urlpatterns += [path(prefix, include(f"isf.{app}.urls")) for app, prefix in APP_PREFIXES.items()]

handler404 = "isf.core.views.not_found"
handler403 = "isf.core.views.forbidden"
handler400 = "isf.core.views.bad_request"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
