import json

import numpy as np
import pytest

from recommender.core import artifacts
from recommender.core.models import MODELS, Hybrid


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


def test_activate_switches_the_pointer_atomically(tmp_path):
    assert artifacts.active_version(tmp_path) is None
    for version in ("v1", "v2"):
        artifacts.save_artifact(tmp_path, version, {}, {"x": np.ones(1)})
    artifacts.activate(tmp_path, "v1")
    artifacts.activate(tmp_path, "v2")
    assert artifacts.active_version(tmp_path) == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ACTIVE", "v1", "v2"]  # no temp files left


def test_activate_refuses_an_unknown_version(tmp_path):
    with pytest.raises(FileNotFoundError):
        artifacts.activate(tmp_path, "missing")
    assert artifacts.active_version(tmp_path) is None


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
