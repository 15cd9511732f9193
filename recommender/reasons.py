"""Why an item was suggested: 1-3 structured reasons, from the parts of the score that put it there."""

from dataclasses import dataclass

import numpy as np

from learning.models.choices import Level

MAX_REASONS = 3
COLLABORATIVE_MIN = 0.15  # share of the best model score the collaborative part must reach to be cited
POPULAR_MIN = 0.5  # share of the most popular item's completions at the learner's level
LEVEL_PLURALS = {rank: label.lower() + "s" for rank, label in enumerate(Level.labels)}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    resource_id: int | None = None
    topic_id: int | None = None
    path_id: int | None = None

    def as_dict(self) -> dict:
        """Code, text and whichever of the ids are set (`dataclasses.asdict` deep-copies, far slower here)."""
        found = {"code": self.code, "text": self.text}
        for key in ("resource_id", "topic_id", "path_id"):
            if (value := getattr(self, key)) is not None:
                found[key] = value
        return found


def explain(ranking, row: int) -> list[Reason]:
    """Reasons for catalog row `row`, most telling first."""
    found = [
        reason
        for maker in (_next_in_path, _unlocks, _goal_path_start, _learners_went_on, _saved, _goal_topic, _popular)
        if (reason := maker(ranking, row)) is not None
    ]
    if not found:
        found.append(_fits_level(ranking))
    return found[:MAX_REASONS]


def _next_in_path(ranking, row: int) -> Reason | None:
    path = ranking.scores.next_in_path.get(row)
    if path is None:
        return None
    catalog = ranking.catalog
    return Reason("next_in_path", f"Next in your path {catalog.path_titles[path]}", path_id=catalog.path_ids[path])


def _goal_path_start(ranking, row: int) -> Reason | None:
    path = ranking.scores.goal_path_start.get(row)
    if path is None:
        return None
    catalog = ranking.catalog
    title = catalog.path_titles[path]
    return Reason("path_start", f"Start of the path {title}, towards your goals", path_id=catalog.path_ids[path])


def _unlocks(ranking, row: int) -> Reason | None:
    topic = ranking.unlocks.get(row)
    if topic is None:
        topic = _unlocked_goal(ranking, row)
    if topic is None:
        return None
    catalog = ranking.catalog
    return Reason("unlocks", f"Unlocks {catalog.topic_names[topic]}", topic_id=int(catalog.topic_ids[topic]))


def _unlocked_goal(ranking, row: int) -> int | None:
    """A goal topic (or a topic a goal directly needs) this item teaches and the learner has not covered."""
    catalog, state = ranking.catalog, ranking.state
    goals = [catalog.topic_index[t] for t in sorted(state.goal_topics) if t in catalog.topic_index]
    taught = set(catalog.topics_of(row).tolist())
    for goal in goals:
        for prerequisite in catalog.topic_prerequisites.get(goal, []):
            if prerequisite in taught and not ranking.scores.covered_topics[prerequisite]:
                return goal
    return None


def _learners_went_on(ranking, row: int) -> Reason | None:
    scores, model, catalog = ranking.scores, ranking.model, ranking.catalog
    if model is None or scores.collaborative[row] < COLLABORATIVE_MIN:
        return None
    history = scores.history_rows
    finished = np.asarray([r for r in history.tolist() if r not in scores.saved], dtype=np.int64)
    columns = model.columns_of(catalog.resource_ids[finished]) if finished.size else finished
    target = model.columns_of(catalog.resource_ids[[row]])[0]
    neighbour = model.strongest_neighbour(columns[columns >= 0], int(target)) if target >= 0 else -1
    if neighbour < 0:
        return Reason("similar_learners", "Learners with a history like yours went on to this")
    resource_id = int(model.item_ids[neighbour])
    title = catalog.cards[catalog.index_of[resource_id]].title if resource_id in catalog.index_of else "it"
    return Reason("similar_learners", f"Learners who finished {title} went on to this", resource_id=resource_id)


def _saved(ranking, row: int) -> Reason | None:
    return Reason("saved", "You saved this") if row in ranking.scores.saved else None


def _goal_topic(ranking, row: int) -> Reason | None:
    catalog, state = ranking.catalog, ranking.state
    for topic in catalog.topics_of(row).tolist():
        topic_id = int(catalog.topic_ids[topic])
        if topic_id in state.goal_topics:
            return Reason("goal", f"Covers your goal {catalog.topic_names[topic]}", topic_id=topic_id)
    return None


def _popular(ranking, row: int) -> Reason | None:
    if ranking.scores.popularity[row] < POPULAR_MIN:
        return None
    return Reason("popular", f"Popular with {LEVEL_PLURALS[ranking.state.level]}")


def _fits_level(ranking) -> Reason:
    return Reason("fits_level", f"Matches your {Level.labels[ranking.state.level].lower()} level")
