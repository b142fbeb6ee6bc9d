from django.urls import path

from isf.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="list"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/import", views.import_now, name="job-import-now"),
    path("jobs/<int:pk>/status.json", views.job_status, name="job-status"),
    path("jobs/<int:pk>/errors.csv", views.job_errors, name="job-errors"),
    path("templates/<str:kind>.csv", views.template_download, name="template"),
    path("export/<str:name>.<str:fmt>", views.export, name="export"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke", views.token_revoke, name="token-revoke"),
]
