"""Model artifacts: a versioned folder of `arrays.npz` + `manifest.json`, and the checks that make one servable.

Nothing here unpickles: arrays load with allow_pickle=False and the manifest is JSON, so an artifact file cannot
run code. An artifact is checked once, when it is read (`read_artifact` then `checked_artifact`): a truncated or
empty file, a manifest that is not an object, ids out of order, arrays of the wrong shape or holding NaN are
refused with an `ArtifactError` whose message says why, so the caller can log it and keep serving what it had.
Where the bytes are stored (a folder, an object store) is the caller's business: this module only turns an
artifact into bytes and back.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from recommender.core.estimators import MODELS

MANIFEST_FILE = "manifest.json"
ARRAYS_FILE = "arrays.npz"
ITEM_IDS = "context.item_ids"  # resource id of each model column, strictly increasing
POPULARITY_BY_LEVEL = "context.popularity_by_level"  # (3, n_items) training-time completions by learner level
LEVELS = 3


class ArtifactError(ValueError):
    """An artifact that must not serve; the message is the reason, fit for a log line and the health check."""


@dataclass(frozen=True)
class CheckedArtifact:
    manifest: dict[str, Any]
    estimator: Any
    item_ids: np.ndarray  # int64, strictly increasing
    popularity_by_level: np.ndarray  # float32 (3, n_items), finite and >= 0


def _plain_array(name: str, value: np.ndarray) -> np.ndarray:
    """`value` as an array that loads without pickle; strings become unicode ('<U..') arrays."""
    array = np.asarray(value)
    if array.dtype == object:
        if not all(isinstance(item, str) for item in array.reshape(-1).tolist()):
            raise ValueError(f"array {name!r} holds Python objects; only numbers and strings can be saved")
        array = array.astype(str)
    return array


def artifact_files(manifest: dict[str, Any], arrays: dict[str, np.ndarray]) -> dict[str, bytes]:
    """The two files of an artifact as bytes: {ARRAYS_FILE: compressed npz, MANIFEST_FILE: JSON}.

    Raises ValueError for object arrays that are not strings (they could only be stored by pickling).
    """
    plain = {name: _plain_array(name, value) for name, value in arrays.items()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **plain)
    return {
        ARRAYS_FILE: buffer.getvalue(),
        MANIFEST_FILE: json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"),
    }


def read_artifact(files: Mapping[str, bytes]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, arrays) from the two files' bytes; arrays are read eagerly and without pickle.

    Raises ArtifactError for a file that is missing, truncated, empty or not what it claims to be.
    """
    for name in (MANIFEST_FILE, ARRAYS_FILE):
        if name not in files:
            raise ArtifactError(f"{name} is missing")
    try:
        manifest = json.loads(files[MANIFEST_FILE].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ArtifactError(f"{MANIFEST_FILE} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict):
        raise ArtifactError(f"{MANIFEST_FILE} holds a {type(manifest).__name__}, not an object")
    if not files[ARRAYS_FILE]:
        raise ArtifactError(f"{ARRAYS_FILE} is empty")
    try:
        with np.load(io.BytesIO(files[ARRAYS_FILE]), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as error:
        raise ArtifactError(f"{ARRAYS_FILE} cannot be read ({type(error).__name__}: {error})") from None
    return manifest, arrays


def checked_artifact(manifest: dict[str, Any], arrays: dict[str, np.ndarray]) -> CheckedArtifact:
    """The fitted estimator and serving context an artifact describes, once every check passed.

    Checks: no object arrays, every floating array finite, item ids a strictly increasing 1-D integer array,
    popularity_by_level of shape (3, n_items), finite and not negative, and an estimator that rebuilds from its
    arrays. Whether the estimator *scores* with those shapes is the caller's last check (it knows how serving
    calls it). Raises ArtifactError naming the first problem found.
    """
    if not isinstance(manifest, dict):
        raise ArtifactError(f"the manifest holds a {type(manifest).__name__}, not an object")
    for name, array in arrays.items():
        if array.dtype == object:
            raise ArtifactError(f"array {name!r} holds Python objects")
        if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
            raise ArtifactError(f"array {name!r} holds NaN or infinite values")
    item_ids = _item_ids(arrays)
    popularity = _popularity_by_level(arrays, len(item_ids))
    try:
        estimator = estimator_from_artifact(manifest, arrays)
    except ArtifactError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise ArtifactError(f"the estimator cannot be rebuilt ({type(error).__name__}: {error})") from None
    return CheckedArtifact(manifest=manifest, estimator=estimator, item_ids=item_ids, popularity_by_level=popularity)


def _item_ids(arrays: dict[str, np.ndarray]) -> np.ndarray:
    if ITEM_IDS not in arrays:
        raise ArtifactError(f"array {ITEM_IDS!r} is missing")
    ids = arrays[ITEM_IDS]
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ArtifactError(f"{ITEM_IDS!r} must be a 1-D integer array, got {ids.dtype} of shape {ids.shape}")
    if np.any(np.diff(ids) <= 0):
        raise ArtifactError(f"{ITEM_IDS!r} must be strictly increasing")
    if ids.size and ids[0] < 1:
        raise ArtifactError(f"{ITEM_IDS!r} must hold resource ids (1 or more)")
    return ids.astype(np.int64)


def _popularity_by_level(arrays: dict[str, np.ndarray], n_items: int) -> np.ndarray:
    if POPULARITY_BY_LEVEL not in arrays:
        raise ArtifactError(f"array {POPULARITY_BY_LEVEL!r} is missing")
    popularity = arrays[POPULARITY_BY_LEVEL]
    if popularity.shape != (LEVELS, n_items) or popularity.dtype.kind not in "iuf":
        raise ArtifactError(
            f"{POPULARITY_BY_LEVEL!r} must be numbers of shape {(LEVELS, n_items)} (3 levels x {n_items} items), "
            f"got {popularity.dtype} of shape {popularity.shape}"
        )
    if np.any(popularity < 0):
        raise ArtifactError(f"{POPULARITY_BY_LEVEL!r} holds negative counts")
    return popularity.astype(np.float32)


def save_artifact(root: Path, version: str, manifest: dict[str, Any], arrays: dict[str, np.ndarray]) -> Path:
    """Write root/version/{arrays.npz, manifest.json} to a local folder atomically and return the folder (for
    offline work; the app writes through its storage).

    Raises FileExistsError if the version already exists (versions are immutable) and ValueError for a version
    that is not a plain folder name or for object arrays that are not strings.
    """
    root = Path(root)
    check_version_name(version)
    target = root / version
    if target.exists():
        raise FileExistsError(f"artifact version {version!r} already exists in {root}")
    files = artifact_files(manifest, arrays)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=root))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        staging.chmod(0o755)  # mkdtemp makes it owner-only; a served model must be readable by the web workers
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def load_artifact(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, arrays) of a local artifact folder; ArtifactError when a file is missing or unreadable."""
    path = Path(path)
    files = {name: (path / name).read_bytes() for name in (MANIFEST_FILE, ARRAYS_FILE) if (path / name).is_file()}
    return read_artifact(files)


def check_version_name(version: str) -> None:
    """A version names a folder (or key prefix): a plain name, nothing that climbs or hides."""
    if not version or Path(version).name != version or version.startswith(".") or "/" in version:
        raise ValueError(f"invalid artifact version {version!r}")


def estimator_to_artifact(estimator) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, arrays) describing a fitted estimator: its algorithm name, parameters and learned arrays.

    Callers add their own manifest keys (data snapshot, metrics, library versions) before saving.
    """
    if type(estimator).name not in MODELS:
        raise ValueError(f"{type(estimator).__name__} is not a registered estimator")
    manifest = {"algorithm": type(estimator).name, "params": estimator.get_params()}
    return manifest, estimator.to_arrays()


def estimator_from_artifact(manifest: dict[str, Any], arrays: dict[str, np.ndarray]):
    """The fitted estimator an artifact describes, dispatching on its "algorithm".

    `manifest` is either what `estimator_to_artifact` returned or a larger manifest that holds it under the
    "estimator" key (the app's layout); "parameters" is accepted as a synonym of "params".
    """
    described = manifest.get("estimator") if isinstance(manifest.get("estimator"), dict) else manifest
    algorithm = described.get("algorithm")
    if algorithm not in MODELS:
        raise ValueError(f"unknown algorithm {algorithm!r} in artifact; expected one of {', '.join(MODELS)}")
    params = described.get("params", described.get("parameters", {}))
    return MODELS[algorithm].from_arrays(params, arrays)
