"""Ranked catalog search, the one selector the web catalog and `GET /api/v1/resources/?search=` share.

A resource matches when every term of the query is in it as a whole word (in any field), or, failing that, as a
substring (so "optim" still finds "optimization"); when nothing matches either way, resources with some of the
terms are shown. They come in this order:

1. more terms found as whole words first (so whole-word matches come before substring-only ones),
2. then more terms in the title, then more terms in the names of the topics it teaches,
3. then the engine's relevance score over the weighted document (title, topics, facets, summary),
4. then by title.

Whole words are the engines' own: SQLite's FTS5 (the `learning_resource_search` table that migration 0013 keeps
in step with the catalog by triggers) and PostgreSQL's full-text search over the same document, built in the query.
Both stem English words ("transformers" finds "Transformer").
"""

from collections.abc import Iterable
from functools import reduce
from operator import add, and_, or_
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat

from learning.models import Resource, Topic
from learning.search_terms import SearchQuery as ParsedQuery
from learning.search_terms import Term, fts5_term, parse_query

FTS_TABLE = "learning_resource_search"
# How much a match in each column of the document weighs, in the order (title, topics, facets, summary).
FIELD_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
PG_CONFIG = "english"


def resource_search(*, queryset: QuerySet[Resource], text: str) -> QuerySet[Resource]:
    """`queryset` narrowed to the resources matching `text`, best first (see the module docstring). A query with no
    word in it (only punctuation) leaves `queryset` as it is."""
    query = parse_query(text)
    if not query:
        return queryset
    engine = _PostgresEngine() if connection.vendor == "postgresql" else _Fts5Engine()
    ranked = engine.annotate(queryset, query.terms).annotate(whole_terms=_sum(engine.hits(t) for t in query.terms))
    everything = _substring_match(query) if not query.terms else engine.all_of(query.terms) | _substring_match(query)
    matches = ranked.filter(everything)
    if query.terms and not matches.exists():
        matches = ranked.filter(engine.any_of(query.terms))
    return matches.order_by(
        F("whole_terms").desc(),
        F("title_hits").desc(),
        F("topic_hits").desc(),
        F("search_rank").desc(nulls_last=True),
        "title",
    )


def _sum(expressions: Iterable[Case]) -> Case | Value:
    items = list(expressions)
    return reduce(add, items) if items else Value(0, output_field=IntegerField())


def _hit(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _substring_match(query: ParsedQuery) -> Q:
    """Every word typed appears somewhere as a substring (the catalog's search before ranking)."""
    conditions = []
    for word in query.words:
        topic = Topic.objects.filter(resources=OuterRef("pk"), name__icontains=word)
        conditions.append(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(provider__name__icontains=word) | Q(Exists(topic))
        )
    return reduce(and_, conditions)


class _Fts5Engine:
    """SQLite: MATCH queries against the FTS5 table; every phrase is quoted, so input never becomes syntax."""

    def _ids(self, match: str) -> RawSQL:
        return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611 (the table name is a constant; input is a parameter)

    def _matching(self, match: str) -> Q:
        return Q(pk__in=self._ids(match))

    def hits(self, term: Term) -> Case:
        return _hit(self._matching(fts5_term(term)))

    def all_of(self, terms: tuple[Term, ...]) -> Q:
        return self._matching(" AND ".join(fts5_term(term) for term in terms))

    def any_of(self, terms: tuple[Term, ...]) -> Q:
        return self._matching(" OR ".join(fts5_term(term) for term in terms))

    def annotate(self, queryset: QuerySet[Resource], terms: tuple[Term, ...]) -> QuerySet[Resource]:
        if not terms:
            return queryset.annotate(
                title_hits=Value(0), topic_hits=Value(0), search_rank=Value(None, output_field=FloatField())
            )
        weights = ", ".join(str(weight) for weight in FIELD_WEIGHTS)
        any_of = " OR ".join(fts5_term(term) for term in terms)
        # The table name and weights are constants; what the learner typed is a parameter.
        rank_sql = f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        rank = RawSQL(  # noqa: S611
            rank_sql + f' AND {FTS_TABLE}.rowid = "learning_resource"."id"',
            [any_of],
            output_field=FloatField(),
        )
        return queryset.annotate(
            title_hits=_sum(_hit(self._matching("{title} : " + fts5_term(term))) for term in terms),
            topic_hits=_sum(_hit(self._matching("{topics} : " + fts5_term(term))) for term in terms),
            search_rank=rank,
        )


class _PostgresEngine:
    """PostgreSQL: the same weighted document as the FTS5 table, as a tsvector computed in the query."""

    def _query(self, term: Term) -> Any:
        from django.contrib.postgres.search import SearchQuery

        return reduce(
            or_,
            (
                SearchQuery(phrase, search_type="phrase" if " " in phrase else "plain", config=PG_CONFIG)
                for phrase in term.phrases
            ),
        )

    def hits(self, term: Term) -> Case:
        return _hit(Q(search_document=self._query(term)))

    def all_of(self, terms: tuple[Term, ...]) -> Q:
        return Q(search_document=reduce(and_, (self._query(term) for term in terms)))

    def any_of(self, terms: tuple[Term, ...]) -> Q:
        return Q(search_document=reduce(or_, (self._query(term) for term in terms)))

    def annotate(self, queryset: QuerySet[Resource], terms: tuple[Term, ...]) -> QuerySet[Resource]:
        from django.contrib.postgres.search import SearchRank, SearchVector

        topics, facets = _pg_topic_names(), _pg_facets()
        document = (
            SearchVector("title", weight="A", config=PG_CONFIG)
            + SearchVector(topics, weight="B", config=PG_CONFIG)
            + SearchVector(facets, weight="C", config=PG_CONFIG)
            + SearchVector("summary", weight="D", config=PG_CONFIG)
        )
        queryset = queryset.annotate(
            search_document=document,
            title_document=SearchVector("title", config=PG_CONFIG),
            topics_document=SearchVector(topics, config=PG_CONFIG),
        )
        if not terms:
            return queryset.annotate(
                title_hits=Value(0), topic_hits=Value(0), search_rank=Value(None, output_field=FloatField())
            )
        # ts_rank's weights are listed D, C, B, A: the same proportions as FTS5's column weights.
        weights = [weight / FIELD_WEIGHTS[0] for weight in reversed(FIELD_WEIGHTS)]
        return queryset.annotate(
            title_hits=_sum(_hit(Q(title_document=self._query(term))) for term in terms),
            topic_hits=_sum(_hit(Q(topics_document=self._query(term))) for term in terms),
            search_rank=SearchRank(
                F("search_document"), reduce(or_, (self._query(t) for t in terms)), weights=weights, normalization=1
            ),
        )


def _pg_topic_names() -> Coalesce:
    from django.contrib.postgres.aggregates import StringAgg
    from django.db.models import Subquery

    names = (
        Resource.topics.through.objects.filter(resource_id=OuterRef("pk"))
        .values("resource_id")
        .annotate(names=StringAgg("topic__name", delimiter=" "))
        .values("names")  # type: ignore[misc]  # the stubs do not see aggregate annotations
    )
    return Coalesce(Subquery(names, output_field=TextField()), Value(""), output_field=TextField())


def _pg_facets() -> Concat:
    from django.contrib.postgres.aggregates import StringAgg
    from django.db.models import Subquery

    frameworks = (
        Resource.frameworks.through.objects.filter(resource_id=OuterRef("pk"))
        .values("resource_id")
        .annotate(names=StringAgg("framework__name", delimiter=" "))
        .values("names")  # type: ignore[misc]  # the stubs do not see aggregate annotations
    )
    return Concat(
        "kind",
        Value(" "),
        "level",
        Value(" "),
        "provider__name",
        Value(" "),
        Coalesce(Subquery(frameworks, output_field=TextField()), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
