from django.urls import path

from isf.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/<int:pk>/", views.account_phase, name="account"),
]
