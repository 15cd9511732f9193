"""Input fields that take JSON types at their word.

DRF's own fields coerce: "5" is an integer, 1 a boolean, 42 a string. A mobile client sending the wrong type has
a bug it should hear about, and the OpenAPI schema promises these types, so body fields accept only them.
"""

import re

from rest_framework import serializers

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class _JsonTyped:
    json_types: tuple[type, ...] = ()
    json_kind = ""
    default_error_messages = {"wrong_type": "Must be a {kind}."}

    def to_internal_value(self, data):
        if (isinstance(data, bool) and bool not in self.json_types) or not isinstance(data, self.json_types):
            self.fail("wrong_type", kind=self.json_kind)
        return super().to_internal_value(data)


class StrictCharField(_JsonTyped, serializers.CharField):
    json_types, json_kind = (str,), "string"


class StrictEmailField(_JsonTyped, serializers.EmailField):
    json_types, json_kind = (str,), "string"


class StrictChoiceField(_JsonTyped, serializers.ChoiceField):
    json_types, json_kind = (str,), "string"


class StrictBooleanField(_JsonTyped, serializers.BooleanField):
    json_types, json_kind = (bool,), "boolean (true or false)"


class StrictFloatField(_JsonTyped, serializers.FloatField):
    json_types, json_kind = (int, float), "number"


class StrictIntegerField(_JsonTyped, serializers.IntegerField):
    json_types, json_kind = (int, float), "whole number"

    def to_internal_value(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugRelatedField(_JsonTyped, serializers.SlugRelatedField):
    """A row by slug; a string that cannot be a slug is not looked up (PostgreSQL refuses NUL characters)."""

    json_types, json_kind = (str,), "string"

    def to_internal_value(self, data):
        if isinstance(data, str) and not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class StrictListField(serializers.ListField):
    """A JSON array only (DRF would read an object as the list of its keys)."""

    default_error_messages = {"not_a_list": 'Expected a list of items but got type "{input_type}".'}

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class QueryIntegerField(serializers.IntegerField):
    """A whole number in a query string: digits only (DRF would also take "2.0")."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not (data.isascii() and data.lstrip("-").isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)
