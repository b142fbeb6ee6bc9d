from django.urls import path

from isf.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("process-times/", views.process_times, name="process-times"),
    path("process-times/adopt/", views.adopt_standard, name="adopt-standard"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
