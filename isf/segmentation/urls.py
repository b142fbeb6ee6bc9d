from django.urls import path

from isf.segmentation import views

app_name = "segmentation"
urlpatterns = [
    path("", views.kpis, name="kpis"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.segment_edit, name="segment-new"),
    path("rules/<str:code>/", views.segment_edit, name="segment-edit"),
    path("abc/", views.abc, name="abc"),
    path("reassign/", views.reassign, name="reassign"),
    path("account/", views.account_find, name="account-find"),
    path("account/<int:pk>/history/", views.account_history, name="account-history"),
]
