"""Who changed the catalog, and through what: the acting user and source of every historical record.

The catalog's models keep their history with django-simple-history (`CatalogHistory` below). In the admin its
middleware knows the request's user; services that change the catalog outside a request (imports, bulk actions,
link fixes, commands) run their writes inside `acting(user=..., source=...)`, so every record they leave names who
asked (a user, or none for the command line) and how ("import", "bulk action: publish", "command line: ...").
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object, get_m2m_field_name

COMMAND_LINE = "command line"
ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    user: Any  # a User, or None (the command line)
    source: str


_current: ContextVar[Actor | None] = ContextVar("catalog_actor", default=None)


@contextmanager
def acting(*, user: Any, source: str) -> Iterator[Actor]:
    """Every catalog change inside names `user` (None: nobody signed in, such as the command line) and `source`."""
    actor = Actor(user=user if user is not None and user.is_authenticated else None, source=source)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


@dataclass
class Outcome:
    changed: bool


@contextmanager
def quietly(instance: Any) -> Iterator[None]:
    """Write `instance` and its many-to-many rows inside without any history record: the caller records it later
    (with `record_new_rows`)."""
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving


@contextmanager
def one_record_for(instance: Any, *, created: bool) -> Iterator[Outcome]:
    """Write `instance` and its many-to-many rows inside without a record per write (an import sets four sets per
    resource: five records where one says it all), then leave one record of the result when the body set
    `outcome.changed` (a new row always gets its "+" record)."""
    outcome = Outcome(changed=created)
    with quietly(instance):
        yield outcome
    if outcome.changed and not CatalogHistory._private(instance):
        CatalogHistory._by_model[type(instance)].create_historical_record(instance, "+" if created else "~")


def record_new_rows(model: type[Model], instances: list[Any]) -> None:
    """The "+" record of each row in `instances` (created quietly, links included), in a few queries in all rather
    than ten per row: an import of the whole catalog creates hundreds. Each record holds what `one_record_for`
    would have written: the row's fields, who acted and how, and its many-to-many links as they are now."""
    records = CatalogHistory._by_model[model]
    instances = [instance for instance in instances if not CatalogHistory._private(instance)]
    if not instances:
        return
    history = getattr(model, records.manager_name)
    created = history.bulk_history_create(
        instances,
        default_user=history_user(),
        default_change_reason=records.get_change_reason_for_object(instances[0], "+", None) or "",
    )
    by_row = {getattr(record, model._meta.pk.attname): record for record in created}  # a record copies the row's id
    for field in history.model._history_m2m_fields:
        through = getattr(model, field.name).through
        columns = [f.attname for f in through._meta.fields]
        row_column = f"{get_m2m_field_name(field)}_id"
        links = through.objects.filter(**{f"{row_column}__in": list(by_row)}).values_list(*columns)
        history_model = records.m2m_models[field]
        history_model.objects.bulk_create(
            [
                history_model(history=by_row[values[row_column]], **values)
                for values in (dict(zip(columns, link, strict=True)) for link in links)
            ]
        )


def current_actor() -> Actor | None:
    return _current.get()


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """simple-history's `get_user`: the acting user of a service call, else the admin request's user."""
    actor = _current.get()
    if actor is not None:
        return actor.user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class CatalogHistory(HistoricalRecords):
    """Historical records whose change reason says where the change came from (the admin, an import, ...).

    A learner's own saved plan (a path with an owner) is theirs: it leaves no history, so deleting the account
    deletes it everywhere.
    """

    # Each tracked model's records object, so a service that wrote a row quietly can leave one record for it.
    _by_model: dict[type, "CatalogHistory"] = {}  # noqa: RUF012  one registry shared by every instance

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(get_user=history_user, **kwargs)

    def finalize(self, sender: Any, **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            CatalogHistory._by_model[sender] = self

    @staticmethod
    def _private(instance: Any) -> bool:
        return getattr(instance, "owner_id", None) is not None

    def post_save(self, instance: Any, created: bool, using: Any = None, **kwargs: Any) -> None:
        if not self._private(instance):
            super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance: Any, using: Any = None, **kwargs: Any) -> None:
        if not self._private(instance):
            super().post_delete(instance, using=using, **kwargs)

    def m2m_changed(self, instance: Any, action: str, attr: Any, pk_set: Any, reverse: bool, **kwargs: Any) -> None:
        if not self._private(instance):
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def create_historical_record_m2ms(self, history_instance: Any, instance: Any) -> None:
        """simple-history's own, reading the link rows as ids rather than as joined objects: an import leaves
        records for hundreds of resources with four many-to-many sets each. (Its m2m-record signals are not sent:
        nothing here listens to them.)"""
        for field in history_instance._history_m2m_fields:
            through = getattr(instance, field.name).through
            columns = [f.attname for f in through._meta.fields]
            links = through.objects.filter(**{get_m2m_field_name(field): instance}).values_list(*columns)
            history_model = self.m2m_models[field]
            history_model.objects.bulk_create(
                [history_model(history=history_instance, **dict(zip(columns, link, strict=True))) for link in links]
            )

    def get_change_reason_for_object(self, instance: Any, history_type: str, using: Any) -> str | None:
        explicit = get_change_reason_from_object(instance)
        if explicit:
            return explicit
        actor = _current.get()
        if actor is not None:
            return actor.source
        request = getattr(HistoricalRecords.context, "request", None)
        return ADMIN if request is not None else None
