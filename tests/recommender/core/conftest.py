import pytest

from tests.recommender.core.toys import Toy, make_toy


@pytest.fixture
def toy() -> Toy:
    """5 learners x 6 items on two 3-step groups (see `toys.make_toy`)."""
    return make_toy()
