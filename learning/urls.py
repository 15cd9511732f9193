from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource-detail"),
    path("paths/<slug:slug>/", views.path_detail, name="path-detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
]
