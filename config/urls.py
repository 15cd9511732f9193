from django.contrib import admin
from django.urls import include, path

from learning.admin.audit import audit_urls
from learning.admin.insights import insights_urls

admin.site.site_header = "DeepPath curation"
admin.site.site_title = "DeepPath admin"
admin.site.index_title = "Catalog, paths and learners"

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("admin/insights/", include((insights_urls(), "insights"))),
    path("admin/audit/", include((audit_urls(), "audit"))),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("accounts/", include("learning.accounts_urls")),
    # POST /i18n/setlang/ (Django's set_language): the language switcher in every page's footer.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("learning.urls")),
]
