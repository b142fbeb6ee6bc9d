from django.urls import path

from isf.campaigns.views import appointments, campaigns, complaints, leads, privacy, telemarketing

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaign-list"),
    path("new/", campaigns.campaign_new, name="campaign-new"),
    path("opportunities/new/", telemarketing.telemarketing_new, name="telemarketing-new"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("<int:pk>/assign/", campaigns.campaign_assign, name="campaign-assign"),
    path("<int:pk>/calls/", campaigns.call_list, name="call-list"),
    path("entries/<int:pk>/call/", campaigns.call_record, name="call-record"),
    path("leads/", leads.lead_list, name="lead-list"),
    path("leads/new/", leads.lead_new, name="lead-new"),
    path("leads/import/", leads.lead_import, name="lead-import"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead-detail"),
    path("leads/<int:pk>/privacy/", privacy.lead_privacy, name="lead-privacy"),
    path("leads/<int:pk>/privacy/<slug:action>/", privacy.lead_privacy_action, name="lead-privacy-action"),
    path("leads/<int:pk>/<slug:action>/", leads.lead_action, name="lead-action"),
    path("contact/", leads.public_contact, name="public-contact"),
    path("appointments/", appointments.appointment_list, name="appointment-list"),
    path("appointments/book/", appointments.appointment_book, name="appointment-book"),
    path("appointments/<int:pk>/cancel/", appointments.appointment_cancel, name="appointment-cancel"),
    path("appointments/feed/renew/", appointments.feed_renew, name="feed-renew"),
    path("calendar/<str:token>.ics", appointments.calendar_feed, name="calendar-feed"),
    path("complaints/", complaints.complaint_list, name="complaint-list"),
    path("complaints/new/<int:account_pk>/", complaints.complaint_new, name="complaint-new"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/<slug:action>/", complaints.complaint_action, name="complaint-action"),
    path("quotes/", complaints.quote_followups, name="quote-followups"),
    path("quotes/<int:pk>/outcome/", complaints.quote_outcome, name="quote-outcome"),
    path("accounts/<int:account_pk>/buying-center/", complaints.buying_center, name="buying-center"),
    path("accounts/<int:account_pk>/change/", complaints.company_change, name="company-change"),
    path("contacts/<int:pk>/status/", complaints.contact_status, name="contact-status"),
]
