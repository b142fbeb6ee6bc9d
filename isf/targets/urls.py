from django.urls import path

from isf.targets import carecost_views, views

app_name = "targets"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/targets/", views.target_set, name="target-set"),
    path("plans/<int:pk>/targets/<int:target_id>/delete/", views.target_delete, name="target-delete"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan-import"),
    path("plans/<int:pk>/targets.csv", views.plan_template, name="plan-csv"),
    path("plans/<int:pk>/agree/", views.plan_agree, name="plan-agree"),
    path("care-cost/", carecost_views.care_cost, name="care-cost"),
    path("care-cost/call-list/", carecost_views.care_call_list, name="care-call-list"),
    path("care-cost/<str:code>/call-instead-of-visit/", carecost_views.care_call_instead_of_visit,
         name="care-call-instead"),
    path("rates/", carecost_views.rates, name="rates"),
]
