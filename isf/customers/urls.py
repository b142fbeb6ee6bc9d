from django.urls import path

from isf.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("<int:pk>/", views.account_detail, name="account-detail"),
]
