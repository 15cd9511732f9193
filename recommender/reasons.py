"""Why an item was suggested: 1-3 structured reasons, each produced only when its definition holds.

The definitions (also in the README, "Why this"):

- `next_in_path`: the first step of a path you follow that you have not finished, dismissed or already know.
- `path_start`: the first open step of a published path near your level; "towards your goal X" only when the path
  leads to one of your goals.
- `unlocks`: teaches a topic you lack that X needs, where X is a topic you have not covered and the resource does
  not teach (X is taught by a resource it opens, or is one of your goals).
- `goal_needs`: teaches X, a topic you lack that one of your goals builds on.
- `goal`: teaches X, one of your goals.
- `similar_learners`: learners whose history is like yours (or who finished a resource you finished) went on to it.
- `saved`: you saved it.
- `popular`: among the most completed by learners at your level, and it fits your level and frameworks.
- `fits_level`: at your level, in a framework you chose or framework-free.
- `new_topic`: teaches X, which you have not covered (every suggestion does; said when nothing more specific holds).
"""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext, gettext_noop

MAX_REASONS = 3
COLLABORATIVE_MIN = 0.15  # share of the best model score the collaborative part must reach to be cited
POPULAR_MIN = 0.5  # share of the most popular item's completions at the learner's level
# By level rank; translated when a reason is written, in the language of the request.
POPULAR_WITH = (
    gettext_noop("Popular with beginners"),
    gettext_noop("Popular with intermediate learners"),
    gettext_noop("Popular with advanced learners"),
)
MATCHES_LEVEL = (
    gettext_noop("Matches your beginner level"),
    gettext_noop("Matches your intermediate level"),
    gettext_noop("Matches your advanced level"),
)

REASON_CODES = (
    "next_in_path",
    "path_start",
    "unlocks",
    "goal_needs",
    "goal",
    "similar_learners",
    "saved",
    "popular",
    "fits_level",
    "new_topic",
)


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
    makers = (
        _next_in_path,
        _path_start,
        _unlocks,
        _goal_topic,
        _goal_needs,
        _learners_went_on,
        _saved,
        _popular,
    )
    found = [reason for maker in makers if (reason := maker(ranking, row)) is not None]
    if not found:
        found.append(_fits_level(ranking, row) or _new_topic(ranking, row))
    return found[:MAX_REASONS]


def _topic_reason(ranking, code: str, text: str, topic: int) -> Reason:
    return Reason(code, text, topic_id=int(ranking.catalog.topic_ids[topic]))


def _next_in_path(ranking, row: int) -> Reason | None:
    path = ranking.scores.next_in_path.get(row)
    if path is None:
        return None
    catalog = ranking.catalog
    return Reason(
        "next_in_path",
        gettext("Next in your path %(path)s") % {"path": catalog.path_titles[path]},
        path_id=catalog.path_ids[path],
    )


def _goal_indices(ranking) -> list[int]:
    catalog = ranking.catalog
    return [catalog.topic_index[t] for t in sorted(ranking.state.goal_topics) if t in catalog.topic_index]


def _path_start(ranking, row: int) -> Reason | None:
    path = ranking.scores.goal_path_start.get(row)
    if path is None:
        return None
    catalog = ranking.catalog
    shared = [goal for goal in _goal_indices(ranking) if catalog.path_goals[path, goal]]
    text = gettext("Start of the path %(path)s") % {"path": catalog.path_titles[path]}
    if shared:
        text = gettext("Start of the path %(path)s, towards your goal %(goal)s") % {
            "path": catalog.path_titles[path],
            "goal": catalog.topic_names[shared[0]],
        }
    return Reason("path_start", text, path_id=catalog.path_ids[path])


def _unlocks(ranking, row: int) -> Reason | None:
    catalog, covered = ranking.catalog, ranking.scores.covered_topics
    taught = set(catalog.topics_of(row).tolist())
    candidates = []  # (missing topic the row teaches, topic it opens, whether that topic needs it by construction)
    if row in ranking.unlocks:
        # A stepping stone: the locked resource needs `missing` (a direct or transitive prerequisite of what it
        # teaches, or one of its declared prerequisites), so every topic it teaches is opened by this row.
        missing, locked_row = ranking.unlocks[row]
        candidates += [(missing, t, True) for t in catalog.topics_of(locked_row).tolist()]
    goal_needs = [
        (p, goal, False) for goal in _goal_indices(ranking) for p in catalog.topic_prerequisites.get(goal, ())
    ]
    candidates += goal_needs
    for prerequisite, target, needed in candidates:
        if (
            prerequisite in taught
            and target not in taught
            and not covered[prerequisite]
            and not covered[target]
            and (needed or prerequisite in catalog.topic_prerequisites.get(target, ()))
        ):
            return _topic_reason(
                ranking, "unlocks", gettext("Unlocks %(topic)s") % {"topic": catalog.topic_names[target]}, target
            )
    return None


def _goal_topic(ranking, row: int) -> Reason | None:
    catalog = ranking.catalog
    taught = set(catalog.topics_of(row).tolist())
    for goal in _goal_indices(ranking):
        if goal in taught and not ranking.scores.covered_topics[goal]:
            return _topic_reason(
                ranking, "goal", gettext("Covers your goal %(goal)s") % {"goal": catalog.topic_names[goal]}, goal
            )
    return None


def _goal_needs(ranking, row: int) -> Reason | None:
    """A topic this item teaches that a goal builds on (directly or further down) and the learner lacks."""
    catalog, covered = ranking.catalog, ranking.scores.covered_topics
    taught = catalog.topics_of(row).tolist()
    for goal in _goal_indices(ranking):
        if covered[goal]:
            continue
        needed = _below(catalog, goal)
        for topic in taught:
            if topic in needed and not covered[topic]:
                name = catalog.topic_names[topic]
                text = gettext("Teaches %(topic)s, which your goal %(goal)s needs") % {
                    "topic": name,
                    "goal": catalog.topic_names[goal],
                }
                return _topic_reason(ranking, "goal_needs", text, topic)
    return None


def _below(catalog, topic: int) -> set[int]:
    found, stack = set(), list(catalog.topic_prerequisites.get(topic, ()))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(catalog.topic_prerequisites.get(current, ()))
    return found


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
        return Reason("similar_learners", gettext("Learners with a history like yours went on to this"))
    resource_id = int(model.item_ids[neighbour])
    if resource_id not in catalog.index_of:
        return Reason("similar_learners", gettext("Learners with a history like yours went on to this"))
    title = catalog.cards[catalog.index_of[resource_id]].title
    text = gettext("Learners who finished %(title)s went on to this") % {"title": title}
    return Reason("similar_learners", text, resource_id=resource_id)


def _saved(ranking, row: int) -> Reason | None:
    return Reason("saved", gettext("You saved this")) if row in ranking.scores.saved else None


def _popular(ranking, row: int) -> Reason | None:
    if not ranking.fits[row] or ranking.scores.popularity[row] < POPULAR_MIN:
        return None
    return Reason("popular", gettext(POPULAR_WITH[ranking.state.level]))


def _fits_level(ranking, row: int) -> Reason | None:
    if not ranking.fits[row] or int(ranking.catalog.levels[row]) != ranking.state.level:
        return None
    return Reason("fits_level", gettext(MATCHES_LEVEL[ranking.state.level]))


def _new_topic(ranking, row: int) -> Reason:
    catalog, covered = ranking.catalog, ranking.scores.covered_topics
    fresh = [topic for topic in catalog.topics_of(row).tolist() if not covered[topic]]
    topic = fresh[0] if fresh else int(catalog.topics_of(row)[0])
    return _topic_reason(
        ranking, "new_topic", gettext("Teaches %(topic)s, new to you") % {"topic": catalog.topic_names[topic]}, topic
    )
