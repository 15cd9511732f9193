import json

import numpy as np
import pytest

from recommender.core import artifacts
from recommender.core.estimators import MODELS, Hybrid


def test_save_and_load_round_trip_with_unicode_strings(tmp_path):
    arrays = {"weights": np.arange(3, dtype=np.float32), "ids": np.array(["a", "bb"], dtype=object)}
    path = artifacts.save_artifact(tmp_path, "v1", {"algorithm": "popularity"}, arrays)
    assert path == tmp_path / "v1"
    manifest, loaded = artifacts.load_artifact(path)
    assert manifest == {"algorithm": "popularity"}
    assert loaded["ids"].dtype.kind == "U"
    assert loaded["ids"].tolist() == ["a", "bb"]
    np.testing.assert_array_equal(loaded["weights"], arrays["weights"])
    assert json.loads((path / "manifest.json").read_text())["algorithm"] == "popularity"


def test_arrays_load_without_pickle(tmp_path):
    path = artifacts.save_artifact(tmp_path, "v1", {}, {"x": np.ones(2)})
    with np.load(path / "arrays.npz", allow_pickle=False) as stored:
        assert all(stored[name].dtype != object for name in stored.files)


def test_object_arrays_that_are_not_strings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="objects"):
        artifacts.save_artifact(tmp_path, "v1", {}, {"x": np.array([{"a": 1}], dtype=object)})
    assert not (tmp_path / "v1").exists()
    assert list(tmp_path.iterdir()) == []  # the staging folder is cleaned up


def test_versions_are_immutable(tmp_path):
    artifacts.save_artifact(tmp_path, "v1", {}, {"x": np.ones(1)})
    with pytest.raises(FileExistsError):
        artifacts.save_artifact(tmp_path, "v1", {}, {"x": np.zeros(1)})


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_estimator_survives_an_artifact_round_trip(name, toy, tmp_path):
    estimator = MODELS[name]().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    manifest, arrays = artifacts.estimator_to_artifact(estimator)
    json.dumps(manifest)  # plain JSON
    path = artifacts.save_artifact(tmp_path, "v1", manifest, arrays)
    restored = artifacts.estimator_from_artifact(*artifacts.load_artifact(path))
    assert type(restored) is type(estimator)
    np.testing.assert_array_equal(restored.score(toy.X, toy.sequences), estimator.score(toy.X, toy.sequences))


def test_estimator_manifest_may_be_nested_under_estimator(toy):
    estimator = Hybrid(cf_weight=0.9).fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    described, arrays = artifacts.estimator_to_artifact(estimator)
    restored = artifacts.estimator_from_artifact({"version": "v1", "estimator": described}, arrays)
    assert restored.cf_weight == 0.9


def test_unknown_algorithms_and_missing_arrays_are_errors(toy):
    with pytest.raises(ValueError, match="unknown algorithm"):
        artifacts.estimator_from_artifact({"algorithm": "magic"}, {})
    with pytest.raises(ValueError, match="lack"):
        artifacts.estimator_from_artifact({"algorithm": "item_knn", "params": {}}, {})


def _context(n: int) -> dict[str, np.ndarray]:
    return {
        artifacts.ITEM_IDS: np.arange(1, n + 1, dtype=np.int64),
        artifacts.POPULARITY_BY_LEVEL: np.zeros((3, n), dtype=np.float32),
    }


def test_checked_artifact_returns_the_estimator_and_context(toy):
    described, arrays = artifacts.estimator_to_artifact(MODELS["item_knn"]().fit(toy.X))
    checked = artifacts.checked_artifact({"estimator": described}, {**arrays, **_context(toy.X.shape[1])})
    assert checked.item_ids.dtype == np.int64
    assert checked.popularity_by_level.shape == (3, toy.X.shape[1])


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({artifacts.MANIFEST_FILE: b"{}"}, "arrays.npz is missing"),
        ({artifacts.MANIFEST_FILE: b"[1,2]", artifacts.ARRAYS_FILE: b"x"}, "holds a list"),
        ({artifacts.MANIFEST_FILE: b"{", artifacts.ARRAYS_FILE: b"x"}, "not valid JSON"),
        ({artifacts.MANIFEST_FILE: b"{}", artifacts.ARRAYS_FILE: b""}, "is empty"),
        ({artifacts.MANIFEST_FILE: b"{}", artifacts.ARRAYS_FILE: b"PK\x03\x04broken"}, "cannot be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(files, reason):
    with pytest.raises(artifacts.ArtifactError, match=reason):
        artifacts.read_artifact(files)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda a: a.pop(artifacts.ITEM_IDS), "missing"),
        (lambda a: a.update({artifacts.ITEM_IDS: np.asarray([3, 2, 1, 4, 5, 6])}), "strictly increasing"),
        (lambda a: a.update({artifacts.ITEM_IDS: np.arange(6, dtype=np.float64) + 1}), "integer"),
        (lambda a: a.update({artifacts.POPULARITY_BY_LEVEL: np.ones((1, 3))}), r"shape \(3, 6\)"),
        (lambda a: a.update({artifacts.POPULARITY_BY_LEVEL: -np.ones((3, 6))}), "negative"),
        (lambda a: a.update({"similarity_.data": a["similarity_.data"] * np.nan}), "NaN"),
        (lambda a: a.update({"similarity_.indptr": a["similarity_.indptr"][:2]}), "cannot be rebuilt"),
    ],
)
def test_inconsistent_arrays_are_refused_with_a_reason(toy, change, reason):
    described, arrays = artifacts.estimator_to_artifact(MODELS["item_knn"]().fit(toy.X))
    arrays = {**arrays, **_context(toy.X.shape[1])}
    change(arrays)
    with pytest.raises(artifacts.ArtifactError, match=reason):
        artifacts.checked_artifact({"estimator": described}, arrays)
