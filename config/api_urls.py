"""The REST API: /api/v1/ for mobile clients, /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI)."""

from django.urls import include, path, re_path, register_converter
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.views import page_not_found
from learning.api.views.auth import AuthLogoutAllApi, AuthLogoutApi, AuthRegisterApi, AuthTokenApi
from learning.api.views.catalog import PathViewSet, ResourceViewSet, TopicViewSet
from learning.api.views.events import EventSyncApi
from learning.api.views.me import ProfileApi, ProgressDetailApi, ProgressListApi
from learning.api.views.shares import ShareDetailApi, ShareListApi
from recommender.api import DigestApi, HealthApi, PlanApi, RecommendationDismissApi, RecommendationListApi, SavedPlanApi


class IdConverter:
    """A row id: at most 18 digits, so it always fits a 64-bit primary key (a longer number is a 404, not an
    integer overflow in the database driver)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script as a file of its own (`?script`), so the Content-Security-Policy needs no
    inline script; and without drf-spectacular's `Cross-Origin-Opener-Policy: unsafe-none` (meant for OAuth2
    pop-ups, which this API does not use), so the site-wide `same-origin` applies."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.headers.get("Cross-Origin-Opener-Policy") == "unsafe-none":
            del response.headers["Cross-Origin-Opener-Policy"]
        return response


register_converter(IdConverter, "id")
LIST, DETAIL = {"get": "list"}, {"get": "retrieve"}

v1 = [
    path("auth/register/", AuthRegisterApi.as_view(), name="auth-register"),
    path("auth/token/", AuthTokenApi.as_view(), name="auth-token"),
    path("auth/logout/", AuthLogoutApi.as_view(), name="auth-logout"),
    path("auth/logout-all/", AuthLogoutAllApi.as_view(), name="auth-logout-all"),
    path("topics/", TopicViewSet.as_view(LIST), name="topic-list"),
    path("topics/<slug:slug>/", TopicViewSet.as_view(DETAIL), name="topic-detail"),
    path("resources/", ResourceViewSet.as_view(LIST), name="resource-list"),
    path("resources/<id:id>/", ResourceViewSet.as_view(DETAIL), name="resource-detail"),
    path("paths/", PathViewSet.as_view(LIST), name="path-list"),
    path("paths/<slug:slug>/", PathViewSet.as_view(DETAIL), name="path-detail"),
    path("me/", ProfileApi.as_view(), name="me"),
    path("me/progress/", ProgressListApi.as_view(), name="me-progress-list"),
    path("me/progress/<id:resource_id>/", ProgressDetailApi.as_view(), name="me-progress-detail"),
    path("me/events/", EventSyncApi.as_view(), name="me-events"),
    path("me/recommendations/", RecommendationListApi.as_view(), name="me-recommendations"),
    path(
        "me/recommendations/<id:resource_id>/dismiss/",
        RecommendationDismissApi.as_view(),
        name="me-recommendation-dismiss",
    ),
    path("me/plan/", PlanApi.as_view(), name="me-plan"),
    path("me/digest/", DigestApi.as_view(), name="me-digest"),
    path("me/plans/", SavedPlanApi.as_view(), name="me-plans"),
    path("me/shares/", ShareListApi.as_view(), name="me-shares"),
    path("me/shares/<str:token>/", ShareDetailApi.as_view(), name="me-share-detail"),
    path("health/", HealthApi.as_view(), name="health"),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: any other /api/ address is a JSON 404, with DEBUG on too (Django's debug 404 page is HTML), and for
    # unsafe methods too (CSRF would refuse those with an HTML 403 first: there is no session to protect here).
    re_path(r"^", csrf_exempt(page_not_found), name="api-not-found"),
]
