from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from learning import selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "paths": selectors.published_paths(),
        "highlighted": selectors.highlighted_resources(),
        "counts": selectors.catalog_summary(),
    }
    return render(request, "learning/home.html", context)


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "learning/resource_detail.html", {"resource": selectors.resource_get(slug=slug)})


def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "learning/path_detail.html", {"path": selectors.path_get(slug=slug)})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "learning/topic_detail.html", {"topic": selectors.topic_get(slug=slug)})
