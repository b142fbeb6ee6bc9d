from django.contrib.auth import views as auth_views
from django.urls import path

from isf.org import agent_views, views

urlpatterns = [
    path("", views.root, name="root"),
    path("home/", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("team/agents/", agent_views.agent_list, name="agent-list"),
    path("team/agents/<int:pk>/", agent_views.agent_skills, name="agent-skills"),
]
