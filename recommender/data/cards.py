"""Published resources as recommendation cards, built once per catalog snapshot so serving needs no row reads."""

from dataclasses import dataclass

from django.urls import reverse

from learning.models.choices import Cost, Kind, Level

# Columns of a card, in the order `load_catalog_snapshot` selects them after the primary key.
CARD_COLUMNS = ("slug", "title", "kind", "level", "estimated_minutes", "cost", "provider__name", "url", "summary")


@dataclass(frozen=True)
class ResourceCard:
    """What a recommendation shows of a resource: the fields of the API's `Resource` object, topics and frameworks
    as slugs in the order the catalog endpoints list them. Read-only, and as fresh as the catalog snapshot."""

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
        """The API representation (`ResourceSerializer`'s shape; a test keeps the two identical)."""
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind,
            "level": self.level,
            "estimated_minutes": self.estimated_minutes,
            "cost": self.cost,
            "provider": self.provider,
            "url": self.url,
            "summary": self.summary,
            "topics": list(self.topics),
            "frameworks": list(self.frameworks),
        }


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
