from django.urls import path

from isf.references import views

app_name = "references"
urlpatterns = [
    path("", views.reference_list, name="list"),
    path("new/", views.reference_new, name="new"),
    path("press/new/", views.press_new, name="press-new"),
]
