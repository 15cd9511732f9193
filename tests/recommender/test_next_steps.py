"""Next steps that make sense, on the SHIPPED catalog: every property holds for every learner persona.

The personas and the property checks live in `recommender.audit`, shared with `manage.py audit_next_steps`, which
runs them against whatever catalog the database holds (curators run it after a catalog edit).
"""

import pytest
from django.core.management import CommandError, call_command

from recommender import audit
from recommender.data import clear_catalog_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(catalog_for_module, db):
    """Every database test here reads the shipped catalog: it is imported once for the module."""


@pytest.fixture
def shipped(catalog, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    clear_catalog_cache()
    yield
    clear_catalog_cache()


def test_there_are_at_least_twelve_personas_covering_the_issue():
    personas = audit.PERSONAS
    assert len(personas) >= 12
    assert {p.level for p in personas} == {"beginner", "intermediate", "advanced"}
    assert {f for p in personas for f in p.frameworks} >= {"pytorch", "tensorflow", "jax"}
    goals = {g for p in personas for g in p.goals}
    assert goals >= {"computer-vision", "nlp", "generative-models", "reinforcement-learning", "large-language-models"}
    assert {p.completions for p in personas} >= {0, 5, 20}
    assert any(not p.onboarded for p in personas)
    assert any(set(audit.MATHS) <= set(p.known) and set(audit.FOUNDATIONS) - set(p.known) for p in personas)
    assert any(set(audit.FOUNDATIONS) <= set(p.known) for p in personas)


@pytest.mark.parametrize("persona", audit.PERSONAS, ids=lambda p: p.name)
def test_every_property_holds_for_the_persona(shipped, persona):
    outcome = audit.audit_persona(persona, f"persona-{persona.name}")
    assert set(outcome.results) == set(audit.PROPERTIES)
    failed = {name: why for name, why in outcome.results.items() if why}
    assert not failed, failed


def test_the_audit_command_prints_the_table_and_exits_1_on_a_failure(shipped, monkeypatch, capsys):
    monkeypatch.setattr(audit, "PERSONAS", audit.PERSONAS[:2])
    monkeypatch.setattr("recommender.management.commands.audit_next_steps.PERSONAS", audit.PERSONAS[:2])
    call_command("audit_next_steps")
    out = capsys.readouterr().out
    assert "nothing_known" in out
    assert "beginner-nothing-known" in out
    assert "All 10 properties hold" in out
    monkeypatch.setattr(audit.Audit, "level_fit", lambda self: "too hard")
    with pytest.raises(CommandError) as raised:
        call_command("audit_next_steps")
    assert raised.value.returncode == 1
    assert "FAIL skipped-onboarding / level_fit: too hard" in capsys.readouterr().out


def test_the_audit_leaves_no_learner_behind(shipped, monkeypatch, django_user_model):
    monkeypatch.setattr("recommender.management.commands.audit_next_steps.PERSONAS", audit.PERSONAS[:1])
    before = django_user_model.objects.count()
    call_command("audit_next_steps")
    assert django_user_model.objects.count() == before


def test_a_learner_who_knows_nothing_can_reach_every_beginner_resource_through_beginner_ones(shipped):
    """Issue 9 item 2 on the shipped catalog: start from nothing, take only beginner resources that are ready (their
    taught topics' prerequisites, minus what they teach, plus their extra prerequisites, all covered)."""
    from learning.models import Resource, TopicPrerequisite

    requires: dict[int, set[int]] = {}
    for topic, prerequisite in TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id"):
        requires.setdefault(topic, set()).add(prerequisite)
    beginner = Resource.objects.published().filter(level="beginner").prefetch_related("topics", "prerequisites")
    needs = {}
    for resource in beginner:
        taught = {t.pk for t in resource.topics.all()}
        needed = {p for t in taught for p in requires.get(t, ())} | {t.pk for t in resource.prerequisites.all()}
        needs[resource.title] = (taught, needed - taught)
    covered: set[int] = set()
    grew = True
    while grew:
        grew = False
        for taught, needed in needs.values():
            if needed <= covered and not taught <= covered:
                covered |= taught
                grew = True
    assert [title for title, (_, needed) in needs.items() if not needed <= covered] == []


def test_every_property_holds_for_personas_drawn_at_random(shipped):
    """Other known topics, goals, levels and frameworks than the listed personas (`audit_next_steps --random`)."""
    personas = audit.random_personas(4, seed=2026)
    assert len({(p.level, p.known, p.goals, p.frameworks) for p in personas}) == 4
    failed = {}
    for persona in personas:
        outcome = audit.audit_persona(persona, f"persona-{persona.name}")
        failed.update({f"{persona} / {name}": why for name, why in outcome.results.items() if why})
    assert not failed, failed
