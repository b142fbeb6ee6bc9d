from django.urls import path

from isf.planning import replan_views, views

app_name = "planning"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("take-next/", views.task_take_next, name="take-next"),
    path("weights/<str:code>/", views.kind_weights, name="weights"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/claim/", views.task_claim, name="task-claim"),
    path("<int:pk>/complete/", views.task_complete, name="task-complete"),
    path("<int:pk>/reschedule/", views.task_reschedule, name="task-reschedule"),
    path("replan/", replan_views.replan, name="replan"),
    path("coverage/", views.coverage, name="coverage"),
    path("matrix/", views.matrix_list, name="matrix-list"),
    path("matrix/<str:code>/", views.matrix_detail, name="matrix"),
    path("matrix/<str:code>/edit/", views.matrix_edit, name="matrix-edit"),
]
