from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource-detail"),
    path("resources/<slug:slug>/progress/", views.resource_progress, name="resource-progress"),
    path("resources/<slug:slug>/dismiss/", views.resource_dismiss, name="resource-dismiss"),
    path("resources/<slug:slug>/undismiss/", views.resource_undismiss, name="resource-undismiss"),
    path("resources/<slug:slug>/forget/", views.resource_forget, name="resource-forget"),
    path("paths/", views.path_list, name="path-list"),
    path("paths/plan/save/", views.plan_save, name="plan-save"),
    path("paths/<slug:slug>/", views.path_detail, name="path-detail"),
    path("paths/<slug:slug>/follow/", views.path_follow, name="path-follow"),
    path("paths/<slug:slug>/unfollow/", views.path_unfollow, name="path-unfollow"),
    path("topics/", views.topic_map, name="topic-map"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("topics/<slug:slug>/mark/", views.topic_mark, name="topic-mark"),
    path("progress/", views.progress, name="progress"),
    path("me/list/", views.my_list, name="my-list"),
    path("paths/<slug:slug>/share/", views.path_share, name="path-share"),
    path("shared/<str:token>/", views.shared_path, name="shared-path"),
    path("shared/<str:token>/revoke/", views.share_revoke, name="share-revoke"),
    path("account/", views.account, name="account"),
    path("account/export/", views.account_export, name="account-export"),
    path("account/delete/", views.account_delete, name="account-delete"),
    path("reminders/unsubscribe/<str:token>/", views.reminders_unsubscribe, name="reminders-unsubscribe"),
]
