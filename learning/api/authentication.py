"""API authentication: knox per-device tokens, checked with one query per request."""

import functools
from collections.abc import Callable
from hmac import compare_digest
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions


class DeviceTokenAuthentication(TokenAuthentication):
    """knox's scheme (`Authorization: Token <token>`, stored hashed, expiring), without its per-request sweep.

    knox deletes the learner's other expired tokens on every authenticated request, one more query each time on
    the hottest endpoints. Here that sweep runs when a token is issued (`device_token_issue`); an expired token that
    is presented is still deleted and refused.

    Every request reads the token from the database (nothing is cached, so a revoked token fails at once), with
    one prepared SQL join instead of a queryset: composing the ORM query cost more than running it.
    """

    def authenticate_credentials(self, token: bytes):
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            text = token.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid from None
        digest = hash_token(text)
        for auth_token in tokens_with_key(text[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            return self.validate_user(auth_token)
        raise invalid


def tokens_with_key(token_key: str) -> list[AuthToken]:
    """The tokens whose public key is `token_key`, each with its user loaded (what
    `AuthToken.objects.filter(token_key=...).select_related("user")` returns), in one query."""
    sql, token_fields, user_fields = _token_lookup_sql()
    converters = _converters(connections[DEFAULT_DB_ALIAS], token_fields + user_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_key])
        rows = cursor.fetchall()
    found, user_model = [], get_user_model()
    token_names, user_names = [f.attname for f in token_fields], [f.attname for f in user_fields]
    for row in rows:
        values = [value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)]
        auth_token = AuthToken.from_db(connection.alias, token_names, values[: len(token_fields)])
        auth_token.user = user_model.from_db(connection.alias, user_names, values[len(token_fields) :])
        found.append(auth_token)
    return found


@functools.cache
def _token_lookup_sql() -> tuple[str, tuple, tuple]:
    """The join, built once from the models' metadata: only table and column names are formatted in."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    token_fields, user_fields = tuple(AuthToken._meta.concrete_fields), tuple(user_model._meta.concrete_fields)
    columns = [f"t.{quote(field.column or '')}" for field in token_fields]
    columns += [f"u.{quote(field.column or '')}" for field in user_fields]
    user_pk = quote(user_model._meta.pk.column or "") if user_model._meta.pk else "id"
    token_user = quote(AuthToken._meta.get_field("user").column or "")
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(AuthToken._meta.db_table)} t "  # noqa: S608
        f"JOIN {quote(user_model._meta.db_table)} u ON u.{user_pk} = t.{token_user} "
        f"WHERE t.{quote(AuthToken._meta.get_field('token_key').column)} = %s"
    )
    return sql, token_fields, user_fields


@functools.lru_cache(maxsize=16)
def _converters(database, fields: tuple) -> list:
    """One function per column turning the raw database value into what the ORM would give (aware datetimes, ...),
    or None where the value is already right. Keyed by connection: converters are the backend's own methods."""
    converters: list[Callable[[Any], Any] | None] = []
    for field in fields:
        column = field.get_col(field.model._meta.db_table)
        found = database.ops.get_db_converters(column) + field.get_db_converters(database)
        if not found:
            converters.append(None)
            continue
        converters.append(functools.partial(_apply, found, column, database))
    return converters


def _apply(converters: list, expression, database, value):
    for convert in converters:
        value = convert(value, expression, database)
    return value


class DeviceTokenScheme(KnoxTokenScheme):
    """Documents DeviceTokenAuthentication in the OpenAPI schema exactly as knox's own scheme (`knoxApiToken`)."""

    target_class = "learning.api.authentication.DeviceTokenAuthentication"
