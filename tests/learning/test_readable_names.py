"""Every row the admin can list (delete confirmations, change messages, history) reads as names, not ids."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from learning.models import Dismissal, Framework, PathEnrollment, Resource, Topic, TopicPrerequisite
from tests.factories import InteractionFactory, LearningPathFactory, PathStepFactory, ProgressFactory, ResourceFactory

DJANGO_DEFAULT_NAME = re.compile(r"object \(\d+\)")

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything(learner):
    basics = Topic.objects.create(slug="basics", name="Basics")
    advanced = Topic.objects.create(slug="advanced", name="Advanced stuff")
    TopicPrerequisite.objects.create(topic=advanced, prerequisite=basics)
    resource = ResourceFactory(title="Intro Course", topics=[basics])
    resource.touches.set([advanced])
    resource.prerequisites.set([advanced])
    path = LearningPathFactory(title="Starter Path")
    path.goal_topics.set([advanced])
    PathStepFactory(path=path, resource=resource, position=1)
    ProgressFactory(learner=learner, resource=resource)
    InteractionFactory(learner=learner, resource=resource)
    PathEnrollment.objects.create(learner=learner, path=path)
    Dismissal.objects.create(learner=learner, resource=resource, reason="too_easy")
    return resource


def test_no_learning_row_reads_as_a_django_default_name(one_of_everything):
    checked = []
    for model in apps.get_app_config("learning").get_models(include_auto_created=True):
        for row in model.objects.all()[:3]:
            assert not DJANGO_DEFAULT_NAME.search(str(row)), (model.__name__, str(row))
            checked.append(model._meta.model_name)
    assert {"resource_frameworks", "resource_topics", "learningpath_goal_topics", "pathstep"} <= set(checked)


def test_link_rows_name_both_ends(one_of_everything):
    framework = Framework.objects.get(slug="none")
    through = Resource.frameworks.through
    assert str(through.objects.get(resource=one_of_everything)) == f"Intro Course uses framework {framework.name}"
    assert str(Resource.topics.through.objects.get(resource=one_of_everything)) == "Intro Course teaches Basics"
    assert str(TopicPrerequisite.objects.get()) == "Advanced stuff requires Basics"
    assert str(one_of_everything.path_steps.get()) == "Starter Path, step 1: Intro Course"
    assert "Intro Course" in str(Dismissal.objects.get())


def test_the_delete_confirmation_of_a_resource_lists_readable_rows(client, staff_user, one_of_everything):
    client.force_login(staff_user)
    spare = ResourceFactory(title="Spare Notes", topics=[Topic.objects.get(slug="basics")])
    spare.touches.set([Topic.objects.get(slug="advanced")])
    page = client.get(reverse("admin:learning_resource_delete", args=[spare.pk])).content.decode()
    assert not DJANGO_DEFAULT_NAME.search(page)
    assert "Spare Notes teaches Basics" in page
    assert "Spare Notes touches Advanced stuff" in page


def test_the_delete_confirmation_of_a_topic_lists_readable_rows(client, staff_user, one_of_everything):
    client.force_login(staff_user)
    basics = Topic.objects.get(slug="basics")
    page = client.get(reverse("admin:learning_topic_delete", args=[basics.pk])).content.decode()
    assert not DJANGO_DEFAULT_NAME.search(page)
    assert "Advanced stuff requires Basics" in page
