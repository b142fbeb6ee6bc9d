from django.urls import path

from isf.calls import capture_views, results_views, views

app_name = "calls"
urlpatterns = [
    path("", views.screen, name="screen"),
    path("log/", views.log_call, name="log"),
    path("capture/", capture_views.capture, name="capture"),
    path("timeline/<int:pk>/", views.timeline, name="timeline"),
    path("results/", results_views.results, name="results"),
    path("attribution/", results_views.attribution_rules, name="attribution-rules"),
]
