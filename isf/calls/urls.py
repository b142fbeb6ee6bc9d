from django.urls import path

from isf.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.screen, name="screen"),
    path("log/", views.log_call, name="log"),
    path("timeline/<int:pk>/", views.timeline, name="timeline"),
]
