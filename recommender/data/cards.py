"""Published resources as recommendation cards, built once per catalog snapshot so serving needs no row reads."""

from dataclasses import dataclass

from django.urls import reverse

from learning.models.catalog import RESOURCE_CARD_FIELDS
from learning.models.choices import Cost, Kind, Level

# The fields that are not other rows: what `load_catalog_snapshot` selects after the primary key, in card order.
_RELATED = {"id", "topics", "frameworks"}
CARD_COLUMNS = tuple(
    "provider__name" if name == "provider" else name for name in RESOURCE_CARD_FIELDS if name not in _RELATED
)


@dataclass(frozen=True)
class ResourceCard:
    """What a recommendation shows of a resource: `RESOURCE_CARD_FIELDS`, the fields of the API's `Resource`
    object, topics and frameworks as slugs in the order the catalog endpoints list them. Read-only, and as fresh
    as the catalog snapshot."""

    id: int
    slug: str
    title: str
    kind: str
    level: str
    estimated_minutes: int
    cost: str
    provider: str
    url: str
    summary: str
    topics: tuple[str, ...]
    frameworks: tuple[str, ...]

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return reverse("learning:resource-detail", kwargs={"slug": self.slug})

    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)

    def get_level_display(self) -> str:
        return str(Level(self.level).label)

    def get_cost_display(self) -> str:
        return str(Cost(self.cost).label)

    def as_dict(self) -> dict:
        """The API representation: `ResourceSerializer`'s, both being `RESOURCE_CARD_FIELDS` (lists as JSON arrays)."""
        values = ((name, getattr(self, name)) for name in RESOURCE_CARD_FIELDS)
        return {name: list(value) if isinstance(value, tuple) else value for name, value in values}


def resource_cards(rows, taught_pairs, framework_pairs, topics, frameworks) -> list[ResourceCard]:
    """One card per resource row (`pk` then CARD_COLUMNS).

    `taught_pairs` and `framework_pairs` are (resource id, topic or framework id, _) relation rows; `topics` are
    (pk, slug, name) and `frameworks` (pk, slug, position, name) rows, sorted here as their models order them.
    """
    topic_rank = {pk: (name, pk) for pk, _, name in topics}
    topic_slug = {pk: slug for pk, slug, _ in topics}
    framework_rank = {pk: (position, name, pk) for pk, _, position, name in frameworks}
    framework_slug = {pk: slug for pk, slug, _, _ in frameworks}
    taught: dict[int, list[int]] = {}
    for resource, topic, _ in taught_pairs:
        taught.setdefault(resource, []).append(topic)
    used: dict[int, list[int]] = {}
    for resource, framework, _ in framework_pairs:
        used.setdefault(resource, []).append(framework)
    return [
        ResourceCard(
            row[0],
            *row[1:],
            topics=tuple(topic_slug[t] for t in sorted(taught.get(row[0], ()), key=topic_rank.__getitem__)),
            frameworks=tuple(framework_slug[f] for f in sorted(used.get(row[0], ()), key=framework_rank.__getitem__)),
        )
        for row in rows
    ]
