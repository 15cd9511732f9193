"""The catalog's filters, shared by the web catalog page and the API so both filter the same way."""

import django_filters

from learning.models import Cost, Kind, Level, Resource
from learning.selectors.search import resource_search


class ResourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    cost = django_filters.ChoiceFilter(choices=Cost.choices)
    topic = django_filters.CharFilter(method="filter_topic", label="Topic (slug)")
    framework = django_filters.CharFilter(field_name="frameworks__slug", label="Framework (slug)", distinct=True)
    max_minutes = django_filters.NumberFilter(field_name="estimated_minutes", lookup_expr="lte", min_value=1)
    search = django_filters.CharFilter(method="filter_search", label="Search")
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("estimated_minutes", "minutes"), ("created_at", "created")),
        label="Order by",
    )

    class Meta:
        model = Resource
        fields = ["kind", "level", "cost", "topic", "framework", "max_minutes", "search", "ordering"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__slug=value).distinct()

    def filter_search(self, queryset, name, value):
        return resource_search(queryset=queryset, text=value)
