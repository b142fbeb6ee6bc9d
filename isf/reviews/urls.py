from django.urls import path

from isf.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/notes/", views.meeting_record, name="record"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("<int:pk>/actions/", views.action_add, name="action-add"),
    path("<int:pk>/pack/", views.pack, name="pack"),
    path("<int:pk>/pack.pdf", views.pack_pdf, name="pack-pdf"),
    path("announcements/", views.announcement_new, name="announcement-new"),
    path("announcements/<int:pk>/ack/", views.announcement_ack, name="announcement-ack"),
]
