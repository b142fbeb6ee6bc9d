from django.urls import path

from isf.service import views, views_admin

app_name = "service"
urlpatterns = [
    path("orders/", views.order_list, name="order-list"),
    path("orders/new/", views.order_new, name="order-new"),
    path("orders/new/accounts/", views.account_picker, name="account-picker"),
    path("orders/claim-next/", views.order_claim_next, name="order-claim-next"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/claim/", views.order_claim, name="order-claim"),
    path("orders/<int:pk>/transition/", views.order_transition, name="order-transition"),
    path("orders/<int:pk>/steps/<int:index>/", views.order_step, name="order-step"),
    path("orders/<int:pk>/decision/", views.order_decision, name="order-decision"),
    path("orders/<int:pk>/rate/", views.order_rate, name="order-rate"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval-detail"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("catalog/", views_admin.catalog, name="catalog"),
    path("catalog/new/", views_admin.catalog_entry_edit, name="catalog-new"),
    path("catalog/<slug:code>/", views_admin.catalog_entry, name="catalog-entry"),
    path("catalog/<slug:code>/edit/", views_admin.catalog_entry_edit, name="catalog-edit"),
    path("contracts/", views_admin.contract_list, name="contract-list"),
    path("contracts/new/", views_admin.contract_edit, name="contract-new"),
    path("contracts/<int:pk>/", views_admin.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", views_admin.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/accept/", views_admin.contract_accept, name="contract-accept"),
    path("contracts/<int:pk>/new-version/", views_admin.contract_new_version, name="contract-new-version"),
    path("contracts/<int:pk>/print/", views_admin.contract_print, name="contract-print"),
    path("contracts/<int:pk>/pdf/", views_admin.contract_pdf_view, name="contract-pdf"),
    path("sla/", views_admin.sla_report, name="sla-report"),
    path("sla/export.csv", views_admin.sla_report_csv, name="sla-report-csv"),
]
