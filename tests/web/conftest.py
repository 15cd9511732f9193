import pytest
from django.test import Client
from django.utils import timezone

from learning.models import LearnerProfile
from tests.factories import LearningPathFactory, PathStepFactory, ResourceFactory, TopicFactory


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def other_client(other_learner):
    other = Client()
    other.force_login(other_learner)
    return other


@pytest.fixture
def demo(catalog, built_once):
    """The shipped catalog and 40 demo learners with months of history (what `make run` seeds, smaller)."""
    from learning.services.demo import demo_learners_seed

    built_once("web-demo", lambda: demo_learners_seed(learners=40, seed=7, anchor=timezone.now()))


@pytest.fixture
def trained(demo, built_once):
    """A trained, active recommender model over the demo history, so reasons include collaborative ones (trained
    once per process; later tests get its rows and artifact folder back)."""
    from recommender.models import ModelVersion
    from recommender.services import recommender_train

    def train() -> None:
        report = recommender_train()
        assert report.run.status == "active", report.reason

    built_once("web-trained", train, model_dir=True)
    assert ModelVersion.objects.filter(status="active").exists()


@pytest.fixture
def demo_learner(demo):
    """A demo learner with history, progress, followed paths and dismissals."""
    profile = (
        LearnerProfile.objects.filter(user__username__startswith="demo-", user__progress__status="completed")
        .filter(user__path_enrollments__isnull=False, user__progress__status="in_progress")
        .select_related("user")
        .first()
    )
    return profile.user


@pytest.fixture
def graph(db):
    """A small catalog: basics -> networks -> backprop, a path through them in order, and an extra resource."""
    basics = TopicFactory(slug="basics", name="Basics")
    networks = TopicFactory(slug="networks", name="Networks")
    backprop = TopicFactory(slug="backprop", name="Backprop")
    networks.prerequisite_links.create(prerequisite=basics)
    backprop.prerequisite_links.create(prerequisite=networks)
    path = LearningPathFactory(slug="foundations", title="Foundations")
    steps = [
        ResourceFactory(slug="intro", title="Intro to basics", kind="course", topics=[basics], estimated_minutes=60),
        ResourceFactory(slug="nets", title="Nets explained", kind="article", topics=[networks], estimated_minutes=120),
        ResourceFactory(slug="bp", title="Backprop by hand", kind="project", topics=[backprop], estimated_minutes=180),
    ]
    for position, resource in enumerate(steps, start=1):
        PathStepFactory(path=path, resource=resource, position=position)
    extra = ResourceFactory(slug="extra", title="Extra video", kind="video", topics=[basics], provider="Other")
    return {"topics": (basics, networks, backprop), "path": path, "steps": steps, "extra": extra}
