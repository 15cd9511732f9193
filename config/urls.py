from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "DeepPath curation"
admin.site.site_title = "DeepPath admin"
admin.site.index_title = "Catalog, paths and learners"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("learning.urls")),
]
