from django.urls import path

from isf.customers import owner_views, views

app_name = "customers"
urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("<int:pk>/", views.account_detail, name="account-detail"),
    path("owners/", owner_views.owners_page, name="owners"),
    path("owners/reassign/", owner_views.owner_reassign, name="owner-reassign"),
    path("owners/rules/", owner_views.owner_rule_save, name="owner-rule-save"),
    path("owners/rules/<int:pk>/delete/", owner_views.owner_rule_delete, name="owner-rule-delete"),
]
