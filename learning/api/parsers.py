"""The API's only request parser: JSON, read with a depth limit and as valid Unicode (see learning.json_input)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from learning.json_input import UnreadableJsonError, json_loads_checked


class CheckedJSONParser(JSONParser):
    """DRF's JSONParser (strict: no NaN or Infinity), answering 400 `parse_error` instead of a 500 for JSON nested
    too deep or holding strings that are not valid Unicode."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        parse_constant = strict_constant if self.strict else None
        try:
            return json_loads_checked(stream.read().decode(encoding), parse_constant=parse_constant)
        except UnreadableJsonError as error:
            raise ParseError(str(error)) from None
        except ValueError as error:  # malformed JSON, bytes that are not `encoding`
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
