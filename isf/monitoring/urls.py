from django.urls import path

from isf.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/<int:pk>/", views.account, name="account"),
]
