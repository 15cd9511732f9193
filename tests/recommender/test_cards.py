"""A recommendation card and the API's Resource object are one declared field list."""

from dataclasses import fields

from learning.api.serializers.catalog import ResourceSerializer
from learning.models.catalog import RESOURCE_CARD_FIELDS
from recommender.data.cards import CARD_COLUMNS, ResourceCard


def test_the_card_and_the_serializer_declare_the_same_fields_in_the_same_order():
    assert tuple(field.name for field in fields(ResourceCard)) == RESOURCE_CARD_FIELDS
    assert tuple(ResourceSerializer.Meta.fields) == RESOURCE_CARD_FIELDS


def test_a_card_is_read_from_its_columns_in_field_order():
    row = (7, *(f"{column}-value" for column in CARD_COLUMNS))
    card = ResourceCard(row[0], *row[1:], topics=("a",), frameworks=())  # as `resource_cards` builds it
    assert card.as_dict() == {
        **{name: f"{name if name != 'provider' else 'provider__name'}-value" for name in RESOURCE_CARD_FIELDS[1:-2]},
        "id": 7,
        "topics": ["a"],
        "frameworks": [],
    }
    assert list(card.as_dict()) == list(RESOURCE_CARD_FIELDS)
